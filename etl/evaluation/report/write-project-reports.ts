import { join } from "node:path";
import { loadImmigrationExposure, type ExposureSeries } from "../../context/immigration.ts";
import { loadProjects } from "../../context/project-indicators.ts";
import { writeFile } from "node:fs/promises";
import { replaceAtomically, writeTextAtomically } from "../../lake/atomic-file.ts";
import type { PipelineSettings } from "../../settings.ts";
import {
  CHECKPOINT_COLUMNS,
  INDICATOR_COLUMNS,
  OUTCOME_COLUMNS,
  checkId,
  checkpointTableRows,
  indicatorTableRows,
  outcomeTableRows,
  saveProjectEvaluations,
} from "../lake/evaluation-tables.ts";
import { ecpaDraft } from "../ecpa/ecpa-draft.ts";
import type { CategoryTimeSeries } from "../its/outcome-time-series.ts";
import { buildProjectReport } from "../lake/project-report.ts";
import { REPORT_TABLES, projectReportDocument } from "./project-report-document.ts";
import { toCsv } from "./report-csv.ts";
import { chartsOf } from "./report-document.ts";
import { renderDocx } from "./report-docx.ts";
import { renderHtml } from "./report-html.ts";
import { renderMarkdown } from "./report-markdown.ts";
import { releasableReport } from "./release.ts";
import { releaseRules } from "../../publish/release-rules.ts";

/** What `hotspots report` wrote, for the CLI summary (`--json` prints exactly this). */
export interface ReportSummary {
  lake: string;
  out: string;
  projects: Array<{
    id: string;
    title: string;
    dir: string;
    files: string[];
    process_indicators: number;
    outcome_indicators: number;
    evaluations: Array<{ id: string; ok: boolean; error: string | null; lake_rows: number }>;
  }>;
}

/**
 * Writes the evaluation export of each project into `<outDir>/<project id>/` — evaluation.md,
 * evaluation.html (self-contained, printable), one SVG per chart, the CSV tables and the ECPA Annex I
 * draft in English and Lithuanian (ecpa-draft.{en,lt}.{md,html,docx}) — and the same
 * tables into the lake (evaluations/indicators, /checkpoints, /outcomes) for the dashboard.
 */
export async function writeProjectReports(options: {
  settings: PipelineSettings;
  outDir: string;
  projectsFile: string;
  exposureFile: string;
  projectIds?: string[];
}): Promise<ReportSummary> {
  const file = loadProjects(options.projectsFile);
  const known = file.projects.map((p) => p.id);
  for (const id of options.projectIds ?? []) if (!known.includes(id)) throw new Error(`unknown project '${id}'; known: ${known.join(", ")}`);
  const chosen = file.projects.filter((p) => !options.projectIds?.length || options.projectIds.includes(p.id));
  const exposures = new Map<string, ExposureSeries>();
  const exposure = (indicator: string) =>
    exposures.get(indicator) ?? exposures.set(indicator, loadImmigrationExposure(options.exposureFile, indicator)).get(indicator)!;
  const lake = options.settings.lakeDir;
  const { sensitive } = releaseRules(options.settings);
  const summary: ReportSummary = { lake, out: options.outDir, projects: [] };

  for (const project of chosen) {
    const report = await buildProjectReport(
      project,
      file.indicators,
      file.outcome_evaluations.filter((e) => e.project_id === project.id),
      { settings: options.settings, exposure },
    );
    // What the files show: the release rules applied (the lake's tables below keep everything).
    const shared = releasableReport(report, sensitive);
    // The monthly history behind each evaluation: an interrupted time series per category, or why not.
    const timeSeries = new Map<string, CategoryTimeSeries[]>(shared.outcomes.filter((o) => o.result).map((o) => [o.spec.id, o.timeSeries]));
    const document = projectReportDocument(shared, timeSeries);
    const dir = join(options.outDir, checkId(project.id));
    const all = [...report.process, ...report.outcomeIndicators];
    const files: Record<string, string> = {
      "evaluation.md": renderMarkdown(document),
      "evaluation.html": renderHtml(document),
      [REPORT_TABLES.process]: toCsv(INDICATOR_COLUMNS, indicatorTableRows(report.process)),
      [REPORT_TABLES.outcome]: toCsv(INDICATOR_COLUMNS, indicatorTableRows(report.outcomeIndicators)),
      [REPORT_TABLES.checkpoints]: toCsv(CHECKPOINT_COLUMNS, checkpointTableRows(all)),
    };
    // The ECPA Annex I evaluation sections and the targets-versus-results table, in both languages.
    const binary: Record<string, Buffer> = {};
    for (const language of ["en", "lt"] as const) {
      const draft = ecpaDraft(shared, language);
      files[`ecpa-draft.${language}.md`] = renderMarkdown(draft);
      files[`ecpa-draft.${language}.html`] = renderHtml(draft);
      binary[`ecpa-draft.${language}.docx`] = await renderDocx(draft);
    }
    const evaluated = shared.outcomes.filter((o) => o.result !== null);
    if (report.outcomes.length > 0) {
      const rows = evaluated.flatMap((o) =>
        outcomeTableRows(o.result!, { project_id: project.id, indicators: o.spec.indicators }, sensitive).map((r) => ({ evaluation_id: o.spec.id, ...r })),
      );
      files[REPORT_TABLES.tests] = toCsv(["evaluation_id", ...Object.keys(OUTCOME_COLUMNS)], rows);
    }
    for (const chart of chartsOf(document)) files[chart.file] = chart.svg;
    for (const [name, content] of Object.entries(files)) await writeTextAtomically(join(dir, name), content);
    for (const [name, content] of Object.entries(binary)) await replaceAtomically(join(dir, name), (temporary) => writeFile(temporary, content));

    const { evaluations } = await saveProjectEvaluations(lake, [report], { sensitive });
    summary.projects.push({
      id: project.id,
      title: project.title,
      dir,
      files: [...Object.keys(files), ...Object.keys(binary)].sort(),
      process_indicators: report.process.length,
      outcome_indicators: report.outcomeIndicators.length,
      evaluations: evaluations.map(({ id, ok, error, lake_rows }) => ({ id, ok, error, lake_rows })),
    });
  }
  return summary;
}

/** The report summary for people: one block per project with its folder, files and evaluations. */
export function reportText(summary: ReportSummary): string {
  const lines = [`Reports: ${summary.out}`, `Lake tables: ${join(summary.lake, "evaluations")}`];
  for (const p of summary.projects) {
    lines.push(
      `${p.id}: ${p.title}`,
      `  ${p.dir}: ${p.files.length} files (${p.files.join(", ")})`,
      `  indicators: ${p.process_indicators} process, ${p.outcome_indicators} outcome`,
    );
    for (const e of p.evaluations) lines.push(`  evaluation ${e.id}: ${e.ok ? `${e.lake_rows} rows in the lake` : `FAILED: ${e.error}`}`);
  }
  return lines.join("\n");
}
