/**
 * The pipeline as one list: each stage with the lake paths it reads and writes. The CLI's `run`, the
 * monthly Lambda run and the S3 mirror all go through this list, so a stage added here runs
 * everywhere and a remote lake is mirrored with everything its stages need.
 */
import type { AnalyseSummary } from "./analytics/analyse-lake.ts";
import { sessionConnection, withAnalyticsSession } from "./analytics/analytics-session.ts";
import { analyticsStage, type AnalyticsStageSummary, type AnalyticsTimings } from "./analytics/analytics-stage.ts";
import { ALL_OFFENCES } from "./analytics/cell-month-grid.ts";
import { DEFAULT_EMERGING_OPTIONS } from "./analytics/emerging-hot-spots.ts";
import { emergingStage, RECORD_SPARSE, type EmergingSummary } from "./analytics/emerging-lake.ts";
import { analysisEndOf, type LakeMemo } from "./analytics/lake-grid.ts";
import { readLakeCounts } from "./analytics/lake-counts.ts";
import { addMonths } from "./analytics/monthly-counts.ts";
import { forecastStage, type ForecastRequest, type ForecastSummary } from "./analytics/forecast-lake.ts";
import type { UnchangedOutput } from "./analytics/output-fingerprint.ts";
import type { ContextSummary } from "./context/context-lake.ts";
import { evaluateStage, type EvaluateSummary } from "./evaluation/lake/evaluate-stage.ts";
import { resolveArea } from "./evaluation/lake/evaluation-area.ts";
import type { OutcomeEvaluationSpec } from "./context/project-indicators.ts";
import { AGGREGATE_TABLES, aggregatesCurrent, ensureAggregates } from "./lake/aggregates.ts";
import { MANIFEST_FILE, type Manifest } from "./lake/manifest.ts";
import { tableScope } from "./lake/table-paths.ts";
import { ALL_TABLES, TABLES, type LakeTable } from "./lake/tables.ts";
import { analyseStage, contextStage, ingestStage, publishStage, type IngestStageSummary } from "./pipeline.ts";
import type { PipelineSettings } from "./settings.ts";
import type { PublishSummary } from "./publish/dashboard-data.ts";
import { perCellCategories, releaseRules } from "./publish/release-rules.ts";

/** Lake paths relative to its root: a folder ends with `/` (everything under it), else one file. */
export type LakeScope = readonly string[];

/** What a run's stages are given beyond the settings; each stage reads its own part. */
export interface StageInputs {
  /** ingest: incident files and the source description saying how they are laid out. */
  files?: readonly string[];
  source?: string;
  onIngestProgress?: (file: string, rowsRead: number) => void;
  /** context: exposure statistics and the projects' indicators (default: the bundled ones on a lake of the bundled data, else none; bundled-context.ts). */
  exposureCsv?: string | null;
  projectsJson?: string | null;
  /** analyse: a month range, or every month (default: the months whose inputs changed). */
  analyse?: { from?: string; to?: string; full?: boolean };
  onAnalyseProgress?: (done: number, total: number) => void;
  /** analytics: where to add the seconds of its all-offences parts (the benchmark's). */
  analyticsTimings?: AnalyticsTimings;
}

/** Each stage's summary, by stage name. */
export interface StageResults {
  ingest: IngestStageSummary;
  context: ContextSummary;
  analyse: AnalyseSummary;
  analytics: AnalyticsRunSummary;
  evaluate: EvaluateSummary;
  publish: PublishSummary;
}
export type StageName = keyof StageResults;

/** The analytics of all offences, and of each category published per cell (see categoryAnalytics). */
export type AnalyticsRunSummary = AnalyticsStageSummary & { categories: Record<string, CategoryAnalyticsSummary> };

/**
 * One category's emerging hot spots (a summary with `skipped` where too sparse for the method) and
 * patrol forecast (baselines only), or `UnchangedOutput` where kept; forecast null for a lake with no month.
 */
export interface CategoryAnalyticsSummary {
  emerging: EmergingSummary | UnchangedOutput;
  forecast: ForecastSummary | UnchangedOutput | null;
}

/** What a run did: the lake and the summary of every stage that ran. */
export type PipelineSummary = { lake: string } & Partial<StageResults>;

interface Stage<N extends StageName> {
  name: N;
  reads: LakeScope;
  writes: LakeScope;
  run(settings: PipelineSettings, inputs: StageInputs): Promise<StageResults[N]>;
}

/** The scope entries of tables: their folders (see tables.ts). */
const scope = (...tables: LakeTable[]): string[] => tables.map(tableScope);
const INCIDENTS = scope(TABLES.incidents);
/** The per-month counts ingest keeps beside the incidents (lake/aggregates.ts). */
const AGGREGATES = AGGREGATE_TABLES.map(tableScope);
const QUARANTINE = scope(TABLES.quarantine);
const HOTSPOTS = scope(TABLES.hot_spots);
const ANALYTICS = scope(TABLES.emerging, TABLES.forecasts, TABLES.backtests);
const CONTEXT = scope(TABLES.exposure, TABLES.projects, TABLES.project_indicators, TABLES.project_checkpoints, TABLES.project_outcome_evaluations);
const EVALUATIONS = ALL_TABLES.filter((t) => t.manifest === TABLES.evaluation_outcomes.manifest).map(tableScope);

/** The stages in the order a full run takes them. Every stage also reads and writes the manifest. */
export const STAGES: readonly { [N in StageName]: Stage<N> }[StageName][] = [
  {
    name: "ingest",
    reads: [],
    writes: [...INCIDENTS, ...AGGREGATES, ...QUARANTINE],
    run: (settings, inputs) => ingestStage(inputs.files ?? [], settings, inputs.onIngestProgress, inputs.source),
  },
  {
    name: "context",
    reads: [],
    writes: CONTEXT,
    run: (settings, inputs) => contextStage(settings, { exposureCsv: inputs.exposureCsv, projectsJson: inputs.projectsJson }),
  },
  {
    name: "analyse",
    reads: [...AGGREGATES, ...HOTSPOTS],
    writes: HOTSPOTS,
    run: (settings, inputs) => analyseStage(settings, inputs.onAnalyseProgress, inputs.analyse ?? {}),
  },
  {
    name: "analytics",
    reads: [...AGGREGATES, ...ANALYTICS],
    writes: ANALYTICS,
    run: (settings, inputs) =>
      // All offences and every category in one session: one connection, one commit, the counts, study area and weights shared.
      withAnalyticsSession(settings, async (memo) => {
        const full = inputs.analyse?.full === true;
        const all = await analyticsStage(settings, undefined, inputs.analyticsTimings, { full, memo });
        // Beside all offences, a forecast of each category the configuration lists that may be published per cell.
        const held = await sessionConnection(memo, (connection) => readLakeCounts(connection, settings.lakeDir, settings.resolution, memo.counts));
        const listed = held.categories.filter((c) => c !== ALL_OFFENCES && (!settings.categories || settings.categories.includes(c)));
        // The month after the analysed ones (analysisEnd: not the current month nor a sparse last one).
        const last = (await analysisEndOf(settings, held)).end;
        const next = last === null ? null : addMonths(last, 1);
        const categories: Record<string, CategoryAnalyticsSummary> = {};
        for (const category of perCellCategories(listed, releaseRules(settings)))
          categories[category] = await categoryAnalytics(settings, category, next, full, memo);
        return { ...all, categories };
      }),
  },
  {
    name: "evaluate",
    // The projects' outcome evaluations count the incidents the context tables' specifications select (day_counts).
    reads: [...AGGREGATES, ...CONTEXT, ...EVALUATIONS],
    writes: EVALUATIONS,
    run: (settings, inputs) => evaluateStage(settings, { full: inputs.analyse?.full === true }),
  },
  {
    name: "publish",
    // The evaluation page's figures are the evaluation tables, with the projects and exposure of the context tables.
    reads: [...AGGREGATES, ...HOTSPOTS, ...ANALYTICS, ...CONTEXT, ...EVALUATIONS],
    writes: [],
    run: (settings) => publishStage(settings),
  },
];

/**
 * A category's emerging hot spots over the whole history (what the emerging page offers per
 * category; skipped, with the reason in the manifest, where the category is too sparse for the
 * method: emergingSparsity) and its patrol forecast for `month` by the two baselines (last month,
 * last 12 months). Not the backtest of every method and the selection it makes (276 s of CPU with
 * it instead of 49): `forecast --category` and `backtest --category` give them for one category.
 */
async function categoryAnalytics(
  settings: PipelineSettings,
  category: string,
  month: string | null,
  full: boolean,
  memo: LakeMemo,
): Promise<CategoryAnalyticsSummary> {
  const keep = full ? undefined : ({ keepUnchanged: true } as const);
  const hullRing = settings.hullRing ?? null;
  const emerging = await emergingStage(settings, { category, memo, hullRing }, DEFAULT_EMERGING_OPTIONS, keep, RECORD_SPARSE);
  if (month === null) return { emerging, forecast: null };
  const request: ForecastRequest = { month, category, methods: CATEGORY_METHODS, selection: { areaShare: 0.05 }, hullRing, memo };
  return { emerging, forecast: keep ? await forecastStage(settings, request, keep) : await forecastStage(settings, request) };
}
const CATEGORY_METHODS = ["last-month", "last-12-months"] as const;

/** Every stage, in order: what `hotspots run` does. */
export const ALL_STAGES: readonly StageName[] = STAGES.map((s) => s.name);

/** The scheduled monthly run on a lake that uploads keep filling: everything after ingest. */
export const MONTHLY_STAGES: readonly StageName[] = ALL_STAGES.filter((name) => name !== "ingest");

/** Runs the named stages in the list's order on one lake and returns their summaries. */
export async function runStages(names: readonly StageName[], given: PipelineSettings, inputs: StageInputs = {}): Promise<PipelineSummary> {
  // One time for every stage: a run across midnight at a month's end must not end its analyses at two months.
  const settings = given.now ? given : { ...given, now: new Date() };
  const summary: PipelineSummary = { lake: settings.lakeDir };
  let aggregatesChecked = false;
  for (const stage of STAGES) {
    if (!names.includes(stage.name)) continue;
    // A lake written before the aggregates gets them once, before the first stage that reads them.
    if (stage.name !== "ingest" && !aggregatesChecked) {
      await ensureAggregates(settings.lakeDir);
      aggregatesChecked = true;
    }
    Object.assign(summary, { [stage.name]: await stage.run(settings, inputs) });
  }
  return summary;
}

/**
 * The part of a lake the named stages read or write (the manifest always): what a remote lake mirrors.
 * No stage after ingest reads incident rows, except where {@link stagesReadIncidents} says so: then
 * give `withIncidents`.
 */
export function stagesScope(names: readonly StageName[], options: { withIncidents?: boolean } = {}): LakeScope {
  const paths = STAGES.filter((s) => names.includes(s.name)).flatMap((s) => [...s.reads, ...s.writes]);
  return [MANIFEST_FILE, ...new Set([...paths, ...(options.withIncidents ? INCIDENTS : [])])];
}

/** What deciding whether stages read incident rows needs: the lake's manifest, the run's resolution, the outcome evaluations the evaluate stage will run. */
export interface IncidentReadInputs {
  manifest: Manifest;
  resolution: number;
  /** The outcome evaluations of the projects the context stage loads (or the lake holds); only their areas matter. */
  evaluations: ReadonlyArray<Pick<OutcomeEvaluationSpec, "area" | "control">>;
}

/**
 * Whether the named stages after ingest read incident rows, not only the aggregates: the one place a
 * remote lake's mirror (the CLI's and the monthly Lambda's) decides to download `incidents/`. Three
 * cases: a lake whose aggregates are not current (ensureAggregates builds them from the incidents
 * before the first stage), an analysis at another H3 resolution than the stored one (it indexes the
 * incidents' coordinates), and an outcome evaluation whose area or control is a polygon (each
 * incident's point is tested). Days in another time zone than the lake's, the aggregates' other gap,
 * cannot occur: a time zone other than the lake's is refused. Ingest fetches what it reads itself
 * (IngestOptions.fetchLakeFiles).
 */
export function stagesReadIncidents(names: readonly StageName[], inputs: IncidentReadInputs): boolean {
  if (!names.some((name) => name !== "ingest")) return false;
  if (!aggregatesCurrent(inputs.manifest) || inputs.manifest.h3_resolution !== inputs.resolution) return true;
  return names.includes("evaluate") && polygonEvaluations(inputs.evaluations).length > 0;
}

/**
 * The outcome evaluations whose evaluation or control area is a polygon (`geojson:<file>`, or a
 * GeoJSON file's path): counting them tests each incident's point, so they read incident rows, not
 * day_counts (evaluation/lake/read-area-counts.ts). The area is classified by resolveArea itself,
 * with no municipalities or localities known, so only a polygon resolves; a GeoJSON file that cannot
 * be read is left to the evaluation, which reports it.
 */
export function polygonEvaluations<E extends Pick<OutcomeEvaluationSpec, "area" | "control">>(evaluations: readonly E[]): E[] {
  const context = { municipalities: { type: "FeatureCollection" as const, features: [] }, localities: [], resolution: 0 };
  const isPolygon = (spec: string | undefined) => {
    if (spec === undefined) return false;
    try {
      return resolveArea(spec, context).kind === "polygon";
    } catch {
      return false;
    }
  };
  return evaluations.filter((e) => isPolygon(e.area) || isPolygon(e.control));
}
