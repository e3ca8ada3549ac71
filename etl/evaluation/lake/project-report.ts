import type { ExposureSeries } from "../../context/immigration.ts";
import type { Indicator, OutcomeEvaluationSpec, Project } from "../../context/project-indicators.ts";
import type { PipelineSettings } from "../../settings.ts";
import { withConnection } from "../../duckdb/connection.ts";
import { evaluationTimeSeries, withTimeSeriesCaveats, type CategoryTimeSeries } from "../its/outcome-time-series.ts";
import { evaluationDesign } from "../report/evaluation-design.ts";
import { ALL } from "../statistics/count-table.ts";
import type { DesignRating } from "../statistics/design-rating.ts";
import { indicatorProgress, type IndicatorProgress } from "../statistics/process-indicators.ts";
import { syntheticControl, syntheticControlPlacebos, type SyntheticControl, type SyntheticPlaceboTest } from "../statistics/synthetic-control.ts";
import { localityMonthlySeries, localityPlacebos, type CategorySpacePlacebos } from "./locality-placebos.ts";
import { runEvaluation, type EvaluationResult } from "./run-evaluation.ts";
import { publishesFigure, releaseRules } from "../../publish/release-rules.ts";
import { withheldCategories } from "../report/withheld-categories.ts";

/** A lake count set beside the figure its seed states, for one case type. */
export interface CrossCheck {
  case_type: string;
  indicator_id: string;
  seed_before: number | null;
  seed_after: number | null;
  lake_before: number;
  lake_after: number;
  agrees: boolean;
  /**
   * The categories the lake's figure leaves out: the sensitive ones, where it is the evaluation's "all
   * offences" and that was counted without them (run-evaluation.ts `all_excludes`); else none.
   */
  lake_excludes: string[];
}

/**
 * How a cross-check reads: the figures agree; they differ; or they differ only in the direction that
 * the lake's leaving out `lake_excludes` explains (the lake's figure at most the project's in both
 * periods), so the difference may be that exclusion alone — unlike figures, not a disagreement. The
 * sensitive categories' counts cannot be shown beside them to compare like with like (a sub-municipal
 * area's sensitive count would be their difference), and the release withholds such an "all" beside the
 * project's figure (release-rules.ts withheldInEvaluation), so this reading is the lake's. One reading for
 * the reports and the dashboard.
 */
export type CrossCheckReading = "agrees" | "differs" | "excluded";
export function crossCheckReading(
  c: Pick<CrossCheck, "seed_before" | "seed_after" | "lake_before" | "lake_after" | "agrees" | "lake_excludes">,
): CrossCheckReading {
  if (c.agrees) return "agrees";
  const atMost = (lake: number, seed: number | null) => seed !== null && lake <= seed;
  return c.lake_excludes.length > 0 && atMost(c.lake_before, c.seed_before) && atMost(c.lake_after, c.seed_after) ? "excluded" : "differs";
}

/** One incident-based outcome evaluation of a project, or why it could not be run. */
export interface ProjectOutcome {
  spec: OutcomeEvaluationSpec;
  result: EvaluationResult | null;
  error: string | null;
  crossChecks: CrossCheck[];
  /**
   * The indicators the evaluation cross-checks whose figures the project publishes itself for its area
   * (release-rules.ts publishesFigure): beside them the release withholds an "all" counted without the
   * sensitive categories (withheldInEvaluation).
   */
  projectFigures: string[];
  /** Each category's interrupted time series over the monthly history, with in-time placebos (empty when the evaluation failed). */
  timeSeries: CategoryTimeSeries[];
  /** The design's Maryland SMS rating (null when the evaluation failed). */
  design: DesignRating | null;
  /** Each category's before/after change ranked among the lake's other localities (empty when the evaluation failed). */
  spacePlacebos: CategorySpacePlacebos[];
  /** Each category's synthetic control from the lake's other localities over the time series' months (empty when the evaluation failed). */
  syntheticControls: Array<{ category: string; control: SyntheticControl; placebos: SyntheticPlaceboTest | null }>;
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
 * checked against the seed's figures for the same indicator (baseline = before, achieved = after),
 * each category's interrupted time series over the monthly history from the spec's first history
 * year, the in-space placebos on the lake's other localities, and the design's rating.
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
    const figures = projectFigures(spec, own);
    try {
      const desired = own.find((i) => Object.values(spec.indicators).includes(i.id))?.desired_direction;
      const counted = await runEvaluation({
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
        sensitive: releaseRules(context.settings).sensitive,
      });
      const lake = {
        lakeDir: context.settings.lakeDir,
        timeZone: context.settings.timeZone,
        resolution: context.settings.resolution,
        municipalitiesGeoJson: context.settings.municipalitiesGeoJson,
      };
      const timeSeries = await evaluationTimeSeries(lake, { area: spec.area, categories: spec.categories, firstYear: spec.history.first }, counted);
      const result = withTimeSeriesCaveats(counted, timeSeries);
      // Rated on the series that may be shown: whether a withheld category's series could be fitted depends on its counts.
      const withheld = new Set(withheldCategories(result, figures, releaseRules(context.settings).sensitive));
      const fitted = timeSeries.flatMap((t) => (t.its.refused || withheld.has(t.category) ? [] : [t.its.pre_months]));
      const design = evaluationDesign(result, { comparisonReached: spec.control_reached ?? null, preMonths: fitted.length > 0 ? Math.min(...fitted) : 0 });
      const treated = new Map(result.outcomes.filter((r) => r.case_type === ALL).map((r) => [r.category, { before: r.before, after: r.after }]));
      const spacePlacebos = await withConnection((connection) =>
        localityPlacebos(connection, {
          ...lake,
          area: result.area,
          control: result.control,
          controlReached: spec.control_reached ?? null,
          before: result.before,
          after: result.after,
          categories: spec.categories,
          treated,
          allExcludes: new Set(result.all_excludes),
        }),
      );
      const syntheticControls = await withConnection(async (connection) => {
        const out: ProjectOutcome["syntheticControls"] = [];
        for (const ts of timeSeries) {
          const months = ts.series.map((m) => m.month);
          const donors = await localityMonthlySeries(connection, {
            ...lake,
            area: result.area,
            months,
            categories: [ts.category],
            allExcludes: new Set(result.all_excludes),
          });
          const control: SyntheticControl = donors
            ? syntheticControl(
                ts.series,
                donors.map((d) => ({ label: d.label, series: d.series.get(ts.category)! })),
                ts.intervention_month,
              )
            : {
                refused: true,
                reason: `donors are the lake's other localities, and the evaluation area is a ${result.area.kind} area: evaluate a locality or a municipality`,
                reason_lt: `Donorės – kitos duomenų ežero vietovės, o vertinama teritorija yra ne vietovė ir ne savivaldybė (${result.area.kind}). Vertinkite vietovę arba savivaldybę.`,
                donors: 0,
                pre_months: ts.its.pre_months,
                post_months: ts.its.post_months,
              };
          const pool = donors?.map((d) => ({ label: d.label, series: d.series.get(ts.category)! })) ?? [];
          out.push({ category: ts.category, control, placebos: control.refused ? null : syntheticControlPlacebos(ts.series, pool, ts.intervention_month) });
        }
        return out;
      });
      outcomes.push({
        spec,
        result,
        error: null,
        crossChecks: crossChecks(spec, result, own),
        projectFigures: figures,
        timeSeries,
        design,
        spacePlacebos,
        syntheticControls,
      });
    } catch (error) {
      outcomes.push({
        spec,
        result: null,
        error: (error as Error).message,
        crossChecks: [],
        projectFigures: figures,
        timeSeries: [],
        design: null,
        spacePlacebos: [],
        syntheticControls: [],
      });
    }
  }
  return {
    project,
    process: own.filter((i) => i.kind === "process").map(indicatorProgress),
    outcomeIndicators: own.filter((i) => i.kind === "outcome").map(indicatorProgress),
    outcomes,
  };
}

/** The ids of the indicators `spec` cross-checks that state a figure of the project's own (publishesFigure), sorted. */
function projectFigures(spec: OutcomeEvaluationSpec, indicators: readonly Indicator[]): string[] {
  const linked = new Set(Object.values(spec.indicators));
  return indicators
    .filter((i) => linked.has(i.id) && publishesFigure(i))
    .map((i) => i.id)
    .sort();
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
        lake_excludes: row.category === ALL ? [...result.all_excludes] : [],
      },
    ];
  });
}
