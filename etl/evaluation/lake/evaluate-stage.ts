import { exposureSeries } from "../../context/immigration.ts";
import { withConnection } from "../../duckdb/connection.ts";
import type { PipelineSettings } from "../../settings.ts";
import { saveProjectEvaluations, type SavedEvaluations } from "./evaluation-tables.ts";
import { readLakeProjects } from "./lake-projects.ts";
import { buildProjectReport, type ProjectReport } from "./project-report.ts";

/** What the evaluate stage wrote: per evaluation whether it ran and its outcome rows. */
export type EvaluateSummary = SavedEvaluations;

/**
 * The evaluate stage: every project of the lake's context tables evaluated as `hotspots report` does
 * (indicator progress, each outcome evaluation with its design rating, power, interrupted time
 * series and placebos), written to the `evaluations/` tables in one commit that replaces what an
 * earlier run wrote. Publish reads these tables; it computes no statistic itself. A lake without
 * context tables has no projects, and the stage writes nothing but empty tables.
 */
export async function evaluateStage(settings: PipelineSettings): Promise<EvaluateSummary> {
  const lake = await withConnection((connection) => readLakeProjects(connection, settings.lakeDir));
  const reports: ProjectReport[] = [];
  for (const project of lake.projects) {
    reports.push(
      await buildProjectReport(
        project,
        lake.indicators,
        lake.outcomeEvaluations.filter((e) => e.project_id === project.id),
        { settings, exposure: (indicator) => exposureSeries(lake.exposure, indicator) },
      ),
    );
  }
  return saveProjectEvaluations(settings.lakeDir, reports, { replace: true });
}

/** The stage's summary for people: one line per evaluation. */
export function evaluateText(summary: EvaluateSummary): string {
  const lines = [`Evaluations: ${summary.projects} projects, ${summary.evaluations.length} outcome evaluations`];
  for (const e of summary.evaluations) lines.push(`  ${e.id}: ${e.ok ? `${e.lake_rows} outcome rows` : `FAILED: ${e.error}`}`);
  return lines.join("\n");
}
