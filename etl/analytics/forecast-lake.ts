import type { Manifest } from "../lake/manifest.ts";
import { tablePath } from "../lake/table-paths.ts";
import { TABLES, type RowToWrite } from "../lake/tables.ts";
import { writeTableRows } from "../lake/write-table.ts";
import type { PipelineSettings } from "../settings.ts";
import { releaseRules, excludedFromAll } from "../publish/release-rules.ts";
import { sessionConnection, sessionWriter } from "./analytics-session.ts";
import { ALL_OFFENCES, monthSlice, monthWindow } from "./cell-month-grid.ts";
import { cellAreasKm2, cellsCovering, cellsForAreaShare, rankCells } from "./cell-selection.ts";
import { forecastAccuracy, type ForecastAccuracy } from "./forecast-accuracy.ts";
import { candidateScorer, candidatesNamed, scoringContext } from "./forecast-candidates.ts";
import { DEFAULT_SELECTION, type SelectionOptions } from "./forecast-selection.ts";
import { kRingWeights } from "./k-ring-weights.ts";
import { analysisEndOf, lakeGrid, type LakeMemo } from "./lake-grid.ts";
import { readLakeCounts } from "./lake-counts.ts";
import { checkForecastMonth, lakeMonthSpan } from "./lake-months.ts";
import { monthRange } from "./monthly-counts.ts";
import { keptOutput, outputFingerprints, type KeepUnchanged, type UnchangedOutput } from "./output-fingerprint.ts";
import { DEFAULT_SCORING, type ScoringParameters } from "./patrol-scores.ts";
import { candidateList, combinedScores, rollingBacktest, SELECTED_METHOD, type ChosenMethod } from "./rolling-backtest.ts";

/** The methods `forecast` publishes by default: the selected one and both naive baselines. */
export const DEFAULT_FORECAST_METHODS = [SELECTED_METHOD, "last-month", "last-12-months"] as const;

export interface ForecastRequest {
  month: string;
  category?: string;
  hullRing?: number | null;
  /** "selected" and/or method families or labels (see `forecastCandidates`). */
  methods: readonly string[];
  /** Either the number of cells, or the share of the study area (by real cell area) to cover. */
  selection: { top: number } | { areaShare: number };
  parameters?: ScoringParameters;
  /** Months of history before the first month of the selection backtest (default 12). */
  minHistory?: number;
  choice?: SelectionOptions;
  /**
   * The selection for this month when the caller has made it already from the same study area and
   * every earlier month (the `next` of a backtest ending the month before): saves repeating that backtest.
   */
  chosen?: ChosenMethod;
  /** What earlier stages of the same run already read (see LakeMemo). */
  memo?: LakeMemo;
}

export interface ForecastSummary {
  month: string;
  category: string;
  history: { from: string | null; to: string | null };
  selection: ForecastRequest["selection"];
  parameters: Record<string, unknown>;
  /** When "selected" was asked for: the method the backtest over earlier months chose, and why. */
  chosen: ChosenMethod | null;
  /** Per method the ranked cells; with `accuracy` when the lake already holds the month's incidents. */
  methods: Array<{ method: string; cells: Array<{ rank: number; h3_cell: string; score: number; area_km2: number }>; accuracy?: ForecastAccuracy }>;
  file: string;
}

/**
 * Patrol priorities for `month` from every earlier month in the lake: per method the ranked cells,
 * the top N or the first cells covering the area share, written to `forecasts/month=<month>/<category>.parquet`
 * with their parameters. "selected" is the method a nested rolling-origin backtest over the earlier
 * months chooses (`rollingBacktest`, `selectByBacktest`); its rows name the method, the margin and the
 * reason (including when the baseline is the best available). A hull study area is built from the
 * incidents before `month` only. A month past the one after the lake's last month with incidents is
 * refused (checkForecastMonth). When the lake already holds incidents of that month, the summary also
 * gives each forecast's PAI, PEI* and hit rate at the chosen area (a one-month backtest). All offences
 * are counted without the release rules' sensitive categories (recorded as `all_excludes`): the ranked
 * cells are published per cell, where those categories may not show. With `keep`, a file whose
 * fingerprints and bytes are the manifest's is kept and not recomputed (see keptOutput).
 */
export async function forecastStage(settings: PipelineSettings, request: ForecastRequest): Promise<ForecastSummary>;
export async function forecastStage(settings: PipelineSettings, request: ForecastRequest, keep: KeepUnchanged): Promise<ForecastSummary | UnchangedOutput>;
export async function forecastStage(settings: PipelineSettings, request: ForecastRequest, keep?: KeepUnchanged): Promise<ForecastSummary | UnchangedOutput> {
  const parameters = request.parameters ?? DEFAULT_SCORING;
  const memo = request.memo;
  return sessionConnection(memo, async (connection) => {
    // A month past the one after the data would read the months not yet ingested as months without incidents.
    const counts = await readLakeCounts(connection, settings.lakeDir, settings.resolution, memo?.counts);
    const ending = await analysisEndOf(settings, counts);
    checkForecastMonth(request.month, lakeMonthSpan(counts.months), ending);
    // "All offences" leaves out the sensitive categories: its ranked cells are published per cell.
    const excludes = excludedFromAll(request.category ?? ALL_OFFENCES, releaseRules(settings));
    const { grid, area, category } = await lakeGrid(connection, settings, {
      category: request.category,
      exclude: excludes,
      to: request.month,
      hullRing: request.hullRing,
      hullBefore: request.month,
      memo: request.memo,
      // The grid in the run's scratch arrays (see LakeMemo.scratch): dropped when this stage returns.
      ...(memo ? { arrays: memo.scratch } : {}),
    });
    const origin = grid.months.indexOf(request.month);
    if (origin < 1) throw new Error(`${request.month} needs at least one month of history in the lake (the lake starts ${grid.months[0] ?? "nowhere"})`);
    const history = monthRange(grid.months[0]!, grid.months[origin - 1]!);
    const at = { partition: request.month, name: category };
    const recorded = {
      h3_resolution: settings.resolution,
      k: settings.k,
      window_months: parameters.window,
      half_life_months: parameters.halfLife,
      ring_weight: parameters.ringWeight,
      study_area: area.label,
      selection: request.selection,
      all_excludes: excludes,
    };
    // The file carries the fingerprints of what made it (see outputFingerprints): the history only, not the month forecast.
    const asked = { ...recorded, methods: request.methods, min_history_months: request.minHistory ?? 12, choice: request.choice ?? DEFAULT_SELECTION };
    const fingerprintsOf = (manifest: Manifest) =>
      outputFingerprints(manifest, { ...asked, month: request.month }, { category, cells: grid.cells, months: history });
    if (keep) {
      const kept = await keptOutput(settings, TABLES.forecasts, at, history, fingerprintsOf, memo?.writer?.manifest);
      if (kept) return kept;
    }
    const weights = memo ? memo.weights(grid.cells, settings.k) : kRingWeights(grid.cells, settings.k);
    const context = scoringContext(grid, weights, parameters);
    const areas = memo ? memo.areas(grid.cells) : cellAreasKm2(grid.cells);
    const totalArea = areas.reduce((s, a) => s + a, 0);
    const actual = monthSlice(grid, origin);
    // A month not analysed (not ended, or too few incidents: analysisEnd) has no actual to score the forecast by.
    const hasActual = ending.end !== null && request.month <= ending.end && actual.some((v) => v > 0);
    const wantsSelected = request.methods.includes(SELECTED_METHOD);
    const chosen = !wantsSelected
      ? null
      : request.chosen
        ? request.chosen
        : rollingBacktest(monthWindow(grid, 0, origin), weights, {
            methods: candidateList().map((c) => c.method),
            areaShares: [0.01, 0.05],
            minHistory: request.minHistory ?? 12,
            parameters,
            selection: request.choice ?? DEFAULT_SELECTION,
          }).next;
    const named = candidatesNamed(request.methods.filter((m) => m !== SELECTED_METHOD));
    const plan = [
      ...(chosen ? [{ label: SELECTED_METHOD, parts: candidatesNamed(chosen.parts) }] : []),
      ...named.map((c) => ({ label: c.method, parts: [c] })),
    ];
    const rows: Array<RowToWrite<typeof TABLES.forecasts.columns>> = [];
    const methods: ForecastSummary["methods"] = [];
    // Only the cells published are ranked: the first cells of the full order (rankCells with a limit), enough for any order.
    const { selection } = request;
    const ranked =
      "top" in selection ? (Number.isFinite(selection.top) ? Math.max(0, Math.ceil(selection.top)) : areas.length) : cellsCovering(areas, selection.areaShare);
    for (const { label, parts } of plan) {
      const { score: scores, tieBreak } = combinedScores(parts.map((c) => candidateScorer(c, context)(origin)));
      const order = rankCells(scores, tieBreak, ranked);
      const count = "top" in request.selection ? Math.min(request.selection.top, order.length) : cellsForAreaShare(order, areas, request.selection.areaShare);
      const why =
        label === SELECTED_METHOD && chosen
          ? {
              chosen_method: chosen.method,
              selection_reason: chosen.reason,
              selection_margin: chosen.marginOverRunnerUp,
              gain_over_baseline: chosen.gainOverBaseline,
              runner_up: chosen.runnerUp,
              selection_months: chosen.folds,
            }
          : {};
      const cells: ForecastSummary["methods"][number]["cells"] = [];
      let cumulative = 0;
      for (let r = 0; r < count; r++) {
        const i = order[r]!;
        cumulative += areas[i]!;
        cells.push({ rank: r + 1, h3_cell: grid.cells[i]!, score: scores[i]!, area_km2: areas[i]! });
        rows.push({
          offence_category: category,
          method: label,
          rank: r + 1,
          h3_cell: grid.cells[i]!,
          score: scores[i]!,
          area_km2: areas[i]!,
          cumulative_area_share: cumulative / totalArea,
          history_from: history[0] ?? "",
          ...why,
          h3_resolution: settings.resolution,
          k: settings.k,
          window_months: parameters.window,
          half_life_months: parameters.halfLife,
          ring_weight: parameters.ringWeight,
          study_area: area.label,
        });
      }
      const accuracy = hasActual ? forecastAccuracy(order, actual, areas, cumulative / totalArea) : undefined;
      methods.push({ method: label, cells, ...(accuracy ? { accuracy } : {}) });
    }
    const file = tablePath(settings.lakeDir, TABLES.forecasts, at);
    await sessionWriter(memo, settings, async (writer) => {
      const write = (path: string) => writeTableRows(connection, path, TABLES.forecasts, rows, ["method", "rank"]);
      await writer.writeFile(TABLES.forecasts, at, write, fingerprintsOf(writer.manifest));
      writer.manifest.parameters = {
        ...writer.manifest.parameters,
        [`forecasts/${category}`]: { ...recorded, methods: plan.map((p) => p.label), month: request.month, chosen },
      };
    });
    return {
      month: request.month,
      category,
      history: { from: history[0] ?? null, to: history.at(-1) ?? null },
      selection: request.selection,
      parameters: recorded,
      chosen,
      methods,
      file,
    };
  });
}
