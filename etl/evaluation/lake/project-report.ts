import type { ExposureSeries } from "../../context/immigration.ts";
import type { Indicator, OutcomeEvaluationSpec, Project } from "../../context/project-indicators.ts";
import type { PipelineSettings } from "../../settings.ts";
import { indicatorProgress, type IndicatorProgress } from "../statistics/process-indicators.ts";
import { runEvaluation, type EvaluationResult } from "./run-evaluation.ts";

/** A lake count set beside the figure its seed states, for one case type. */
export interface CrossCheck {
  case_type: string;
  indicator_id: string;
  seed_before: number | null;
  seed_after: number | null;
  lake_before: number;
  lake_after: number;
  agrees: boolean;
}

/** One incident-based outcome evaluation of a project, or why it could not be run. */
export interface ProjectOutcome {
  spec: OutcomeEvaluationSpec;
  result: EvaluationResult | null;
  error: string | null;
  crossChecks: CrossCheck[];
}

/** Everything a project's evaluation export shows. */
export interface ProjectReport {
  project: Project;
  process: IndicatorProgress[];
  outcomeIndicators: IndicatorProgress[];
  outcomes: ProjectOutcome[];
}

/**
 * Builds a project's evaluation: the progress of its process and outcome indicators as the seed
 * states them, and each incident-based outcome evaluation run on the lake, with the lake's counts
 * checked against the seed's figures for the same indicator (baseline = before, achieved = after).
 * A failed evaluation (e.g. the lake lacks the period) is kept with its message, not dropped.
 */
export async function buildProjectReport(
  project: Project,
  indicators: readonly Indicator[],
  specs: readonly OutcomeEvaluationSpec[],
  context: { settings: PipelineSettings; exposure: (indicator: string) => ExposureSeries },
): Promise<ProjectReport> {
  const own = indicators.filter((i) => i.project_id === project.id);
  const outcomes: ProjectOutcome[] = [];
  for (const spec of specs) {
    try {
      const desired = own.find((i) => Object.values(spec.indicators).includes(i.id))?.desired_direction;
      const result = await runEvaluation({
        lakeDir: context.settings.lakeDir,
        timeZone: context.settings.timeZone,
        resolution: context.settings.resolution,
        municipalitiesGeoJson: context.settings.municipalitiesGeoJson,
        area: spec.area,
        control: spec.control,
        before: spec.before,
        after: spec.after,
        categories: spec.categories,
        desired,
        exposure: spec.exposure ? context.exposure(spec.exposure) : null,
        history: spec.history,
      });
      outcomes.push({ spec, result, error: null, crossChecks: crossChecks(spec, result, own) });
    } catch (error) {
      outcomes.push({ spec, result: null, error: (error as Error).message, crossChecks: [] });
    }
  }
  return {
    project,
    process: own.filter((i) => i.kind === "process").map(indicatorProgress),
    outcomeIndicators: own.filter((i) => i.kind === "outcome").map(indicatorProgress),
    outcomes,
  };
}

function crossChecks(spec: OutcomeEvaluationSpec, result: EvaluationResult, indicators: readonly Indicator[]): CrossCheck[] {
  return Object.entries(spec.indicators).flatMap(([caseType, id]) => {
    const indicator = indicators.find((i) => i.id === id);
    const row = result.outcomes.find((r) => r.case_type === caseType);
    if (!indicator || !row) return [];
    return [
      {
        case_type: caseType,
        indicator_id: id,
        seed_before: indicator.baseline,
        seed_after: indicator.achieved,
        lake_before: row.before,
        lake_after: row.after,
        agrees: indicator.baseline === row.before && indicator.achieved === row.after,
      },
    ];
  });
}
