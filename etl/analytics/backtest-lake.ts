import type { DuckDBConnection } from "@duckdb/node-api";
import type { Manifest } from "../lake/manifest.ts";
import { tablePath } from "../lake/table-paths.ts";
import { TABLES, type RowToWrite } from "../lake/tables.ts";
import { writeTableRows } from "../lake/write-table.ts";
import { excludedFromAll, releaseRules } from "../publish/release-rules.ts";
import type { PipelineSettings } from "../settings.ts";
import { sessionConnection, sessionWriter } from "./analytics-session.ts";
import { cachedFolds, storeFolds } from "./backtest-folds-store.ts";
import { ALL_OFFENCES, type GridAccounting } from "./cell-month-grid.ts";
import { kernelBandwidths } from "./forecast-candidates.ts";
import { DEFAULT_SELECTION } from "./forecast-selection.ts";
import { loadGridKernels } from "./grid-kernel-store.ts";
import { kRingWeights } from "./k-ring-weights.ts";
import { firstLakeMonth, lakeGrid, type GridRequest } from "./lake-grid.ts";
import { addMonths } from "./monthly-counts.ts";
import { earlierOutput, keptOutput, outputFingerprints, type EarlierOutput, type KeepUnchanged, type UnchangedOutput } from "./output-fingerprint.ts";
import { DEFAULT_SCORING } from "./patrol-scores.ts";
import {
  candidateList,
  DEFAULT_AREA_SHARES,
  rollingBacktest,
  type BacktestFold,
  type BacktestOptions,
  type BacktestSummary,
  type ChosenMethod,
} from "./rolling-backtest.ts";

export interface BacktestStageSummary {
  category: string;
  first_month: string | null;
  last_month: string | null;
  cells: number;
  accounting: GridAccounting;
  parameters: Record<string, unknown>;
  summary: BacktestSummary[];
  /** What the nested selection would choose for the month after the last, from every backtest month. */
  next: ChosenMethod | null;
  file: string | null;
  /** The earlier backtest whose folds (those of months up to `through`) were taken as they are, if any. */
  reused: { file: string; through: string; folds: number } | null;
}

/**
 * Rolling-origin backtest of every patrol-priority method, and of the nested selection among them,
 * over a month range of the lake (see `rollingBacktest`). With a hull study area, the hull is built
 * from the incidents before the first forecast month only, so no fold's area depends on later months.
 * Writes one row per method, forecast month and area share to
 * `backtests/month=<last month>/<category>.parquet` (for "selected", the method chosen and its margin),
 * so the figures can be re-aggregated in SQL, and returns the means per method and area share with
 * the paired comparison against last-12-months. With `keep`, a file whose fingerprints and bytes are
 * the manifest's is kept and not recomputed (see keptOutput); otherwise the latest earlier backtest of
 * the same question on the lake's first months (see earlierOutput) gives its folds as they are, and only
 * the months after it are backtested — a month added costs one fold per method, not the whole history
 * (see rollingBacktest for why the result is the same).
 */
export async function backtestStage(settings: PipelineSettings, request: GridRequest, options?: Partial<BacktestOptions>): Promise<BacktestStageSummary>;
export async function backtestStage(
  settings: PipelineSettings,
  request: GridRequest,
  options: Partial<BacktestOptions>,
  keep: KeepUnchanged,
): Promise<BacktestStageSummary | UnchangedOutput>;
export async function backtestStage(
  settings: PipelineSettings,
  request: GridRequest,
  options: Partial<BacktestOptions> = {},
  keep?: KeepUnchanged,
): Promise<BacktestStageSummary | UnchangedOutput> {
  const full: Omit<BacktestOptions, "methods"> & { methods?: readonly string[] } = {
    areaShares: DEFAULT_AREA_SHARES,
    minHistory: 12,
    parameters: DEFAULT_SCORING,
    selection: DEFAULT_SELECTION,
    ...options,
  };
  const memo = request.memo;
  return sessionConnection(memo, async (connection) => {
    const first = request.from ?? (await firstLakeMonth(connection, settings, request.category ?? ALL_OFFENCES, request.memo));
    const hullBefore = first === null ? undefined : addMonths(first, full.minHistory);
    // All offences without the release rules' sensitive categories, as the forecast counts them (its method is chosen here).
    const excludes = excludedFromAll(request.category ?? ALL_OFFENCES, releaseRules(settings));
    // The grid in the run's scratch arrays (see LakeMemo.scratch): dropped when this stage returns.
    const arrays = memo ? { arrays: memo.scratch } : {};
    const { grid, accounting, area, category } = await lakeGrid(connection, settings, { ...request, hullBefore, exclude: excludes, ...arrays });
    const last = grid.months.at(-1) ?? null;
    // The parameters every row carries (one column each), and those of the run as a whole (manifest only).
    const rowParameters = {
      h3_resolution: settings.resolution,
      k: settings.k,
      window_months: full.parameters.window,
      half_life_months: full.parameters.halfLife,
      ring_weight: full.parameters.ringWeight,
      min_history_months: full.minHistory,
      selection_window_months: full.selection.window,
      study_area: area.label,
    };
    const parameters = { ...rowParameters, selection_min_months: full.selection.minFolds, area_shares: full.areaShares, all_excludes: excludes };
    const at = { partition: last ?? "", name: category };
    // The methods backtested are the options' (or every candidate): known before the backtest runs.
    const methods = candidateList(full.methods).map((c) => c.method);
    // The file carries the fingerprints of what made it (see outputFingerprints).
    const fingerprintsOf = (manifest: Manifest, months: readonly string[] = grid.months) =>
      outputFingerprints(manifest, { ...parameters, selection: full.selection, scoring: full.parameters, methods }, { category, cells: grid.cells, months });
    // An earlier backtest of the same question on the first months gives its folds as they are (see rollingBacktest): a new month adds one fold per method.
    let earlier: EarlierOutput | null = null;
    if (keep && last !== null) {
      const kept = await keptOutput(settings, TABLES.backtests, at, grid.months, fingerprintsOf, memo?.writer?.manifest);
      if (kept) return kept;
      earlier = await earlierOutput(settings, TABLES.backtests, category, grid.months, fingerprintsOf, memo?.writer?.manifest);
    }
    // The earlier file's folds from the lake's store when it holds that file's (the bytes earlierOutput has just checked), else from the file.
    const stored = earlier
      ? { through: earlier.month, folds: (await cachedFolds(settings.lakeDir, earlier.sha256)) ?? (await readFolds(connection, earlier.path)) }
      : undefined;
    const weights = memo ? memo.weights(grid.cells, settings.k) : kRingWeights(grid.cells, settings.k);
    // The study area's kde kernels from the lake's store (built and kept there on a miss): see grid-kernel-store.ts.
    await loadGridKernels(settings.lakeDir, grid.cells, kernelBandwidths(candidateList(full.methods)));
    const { folds, summary, candidates, next, reusedThrough } = rollingBacktest(grid, weights, full, stored);
    let file: string | null = null;
    if (last !== null) {
      file = tablePath(settings.lakeDir, TABLES.backtests, at);
      let written: string | undefined;
      await sessionWriter(memo, settings, async (writer) => {
        const write = (path: string) => writeFolds(connection, path, category, folds, rowParameters);
        const { key } = await writer.writeFile(TABLES.backtests, at, write, fingerprintsOf(writer.manifest));
        // The writer has hashed the file for its manifest entry: the folds are kept under that SHA-256.
        written = writer.manifest.tables[TABLES.backtests.manifest!]?.[key]?.sha256;
        writer.manifest.parameters = {
          ...writer.manifest.parameters,
          [`backtests/${category}`]: { ...parameters, methods: candidates.map((c) => c.method), first_month: grid.months[0], last_month: last, next },
        };
      });
      // Next month's backtest reuses these folds: kept as that file's (see backtest-folds-store.ts).
      if (written !== undefined) await storeFolds(settings.lakeDir, written, folds);
    }
    return {
      category,
      first_month: grid.months[0] ?? null,
      last_month: last,
      cells: grid.cells.length,
      accounting,
      parameters,
      summary,
      next: last === null ? null : next,
      file,
      reused: earlier && stored && reusedThrough ? { file: earlier.path, through: earlier.month, folds: stored.folds.length } : null,
    };
  });
}

/** The parameters every row of a backtest file carries beside its fold (see backtestStage). */
export type FoldRowParameters = Pick<
  RowToWrite<typeof TABLES.backtests.columns>,
  "h3_resolution" | "k" | "window_months" | "half_life_months" | "ring_weight" | "min_history_months" | "selection_window_months" | "study_area"
>;

/** Writes a backtest file of `category`'s folds, each row with `parameters` (see readFolds for reading them back). */
export function writeFolds(
  connection: DuckDBConnection,
  path: string,
  category: string,
  folds: readonly BacktestFold[],
  parameters: FoldRowParameters,
): Promise<number> {
  // One object literal per row, as the appender reads them: built from two spread objects, V8 made
  // them slow to read (the +1 month's forecast + backtest took 0.25-0.6 s more CPU).
  const rows = folds.map((f) => ({
    offence_category: category,
    method: f.method,
    forecast_month: f.month,
    area_target: f.areaTarget,
    area_share: f.areaShare,
    cells: f.cells,
    hits: f.hits,
    incidents: f.total,
    hit_rate: f.hitRate,
    pai: f.pai,
    pai_max: f.paiMax,
    pei_star: f.pei,
    hits_top_10: f.hitsTop10,
    hits_top_20: f.hitsTop20,
    chosen_method: f.chosen,
    selection_margin: f.margin,
    gain_over_baseline: f.gainOverBaseline,
    ...parameters,
  }));
  return writeTableRows(connection, path, TABLES.backtests, rows, ["method", "area_target", "forecast_month"]);
}

/**
 * The folds of a backtest file as rollingBacktest returned them: the file holds every field of a fold
 * (doubles exactly as computed; a non-finite number was written as NULL and is read back as NaN, the
 * selection's fields of a candidate's fold as null).
 */
export async function readFolds(connection: DuckDBConnection, path: string): Promise<BacktestFold[]> {
  const reader = await connection.runAndReadAll(
    `SELECT method, forecast_month, area_target, area_share, cells, hits, incidents, hit_rate, pai, pai_max, pei_star,
            hits_top_10, hits_top_20, chosen_method, selection_margin, gain_over_baseline
       FROM read_parquet($path)`,
    { path },
  );
  // Column by column: one object per row of DuckDB's values cost more than the folds built from them (17 k rows on a 10-year lake).
  const c = reader.getColumnsObjectJS();
  const column = (name: string) => c[name] as readonly unknown[];
  const [method, month, areaTarget, areaShare, cells, hits, total, hitRate, pai, paiMax, pei, top10, top20, chosen, margin, gain] = [
    "method",
    "forecast_month",
    "area_target",
    "area_share",
    "cells",
    "hits",
    "incidents",
    "hit_rate",
    "pai",
    "pai_max",
    "pei_star",
    "hits_top_10",
    "hits_top_20",
    "chosen_method",
    "selection_margin",
    "gain_over_baseline",
  ].map(column) as Array<readonly unknown[]>;
  const number = (v: unknown) => (v === null ? Number.NaN : Number(v));
  const orNull = (v: unknown) => (v === null ? null : Number(v));
  const folds: BacktestFold[] = new Array(reader.currentRowCount);
  for (let r = 0; r < folds.length; r++) {
    folds[r] = {
      method: String(method![r]),
      month: String(month![r]),
      areaTarget: number(areaTarget![r]),
      areaShare: number(areaShare![r]),
      cells: number(cells![r]),
      hits: number(hits![r]),
      total: number(total![r]),
      hitRate: number(hitRate![r]),
      pai: number(pai![r]),
      paiMax: number(paiMax![r]),
      pei: number(pei![r]),
      hitsTop10: number(top10![r]),
      hitsTop20: number(top20![r]),
      chosen: chosen![r] === null ? null : String(chosen![r]),
      margin: orNull(margin![r]),
      gainOverBaseline: orNull(gain![r]),
    };
  }
  return folds;
}
