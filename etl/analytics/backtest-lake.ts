import { withConnection } from "../duckdb/connection.ts";
import { analyticsTables } from "../lake/analytics-tables.ts";
import { readManifest, writeManifest } from "../lake/manifest.ts";
import { recordPartition, writeParquetTable, type Column } from "../lake/write-table.ts";
import type { PipelineSettings } from "../settings.ts";
import { ALL_OFFENCES, type GridAccounting } from "./cell-month-grid.ts";
import { DEFAULT_SELECTION } from "./forecast-selection.ts";
import { kRingWeights } from "./k-ring-weights.ts";
import { firstLakeMonth, lakeGrid, type GridRequest } from "./lake-grid.ts";
import { addMonths } from "./monthly-counts.ts";
import { DEFAULT_SCORING } from "./patrol-scores.ts";
import { DEFAULT_AREA_SHARES, rollingBacktest, type BacktestOptions, type BacktestSummary, type ChosenMethod } from "./rolling-backtest.ts";

const COLUMNS: Column[] = [
  { name: "offence_category", type: "VARCHAR" },
  { name: "method", type: "VARCHAR" },
  { name: "forecast_month", type: "VARCHAR" },
  { name: "area_target", type: "DOUBLE" },
  { name: "area_share", type: "DOUBLE" },
  { name: "cells", type: "INTEGER" },
  { name: "hits", type: "INTEGER" },
  { name: "incidents", type: "INTEGER" },
  { name: "hit_rate", type: "DOUBLE" },
  { name: "pai", type: "DOUBLE" },
  { name: "pai_max", type: "DOUBLE" },
  { name: "pei_star", type: "DOUBLE" },
  { name: "hits_top_10", type: "INTEGER" },
  { name: "hits_top_20", type: "INTEGER" },
  { name: "chosen_method", type: "VARCHAR" },
  { name: "selection_margin", type: "DOUBLE" },
  { name: "gain_over_baseline", type: "DOUBLE" },
  { name: "h3_resolution", type: "TINYINT" },
  { name: "k", type: "TINYINT" },
  { name: "window_months", type: "INTEGER" },
  { name: "half_life_months", type: "DOUBLE" },
  { name: "ring_weight", type: "DOUBLE" },
  { name: "min_history_months", type: "INTEGER" },
  { name: "selection_window_months", type: "INTEGER" },
  { name: "study_area", type: "VARCHAR" },
];

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
}

/**
 * Rolling-origin backtest of every patrol-priority method, and of the nested selection among them,
 * over a month range of the lake (see `rollingBacktest`). With a hull study area, the hull is built
 * from the incidents before the first forecast month only, so no fold's area depends on later months.
 * Writes one row per method, forecast month and area share to
 * `backtests/month=<last month>/<category>.parquet` (for "selected", the method chosen and its margin),
 * so the figures can be re-aggregated in SQL, and returns the means per method and area share with
 * the paired comparison against last-12-months.
 */
export async function backtestStage(settings: PipelineSettings, request: GridRequest, options: Partial<BacktestOptions> = {}): Promise<BacktestStageSummary> {
  const full: Omit<BacktestOptions, "methods"> & { methods?: readonly string[] } = { areaShares: DEFAULT_AREA_SHARES, minHistory: 12, parameters: DEFAULT_SCORING, selection: DEFAULT_SELECTION, ...options };
  return withConnection(async (connection) => {
    const first = request.from ?? (await firstLakeMonth(connection, settings, request.category ?? ALL_OFFENCES));
    const hullBefore = first === null ? undefined : addMonths(first, full.minHistory);
    const { grid, accounting, area, category } = await lakeGrid(connection, settings, { ...request, hullBefore });
    const { folds, summary, candidates, next } = rollingBacktest(grid, kRingWeights(grid.cells, settings.k), full);
    const last = grid.months.at(-1) ?? null;
    const parameters = {
      h3_resolution: settings.resolution, k: settings.k, window_months: full.parameters.window, half_life_months: full.parameters.halfLife, ring_weight: full.parameters.ringWeight,
      min_history_months: full.minHistory, selection_window_months: full.selection.window, selection_min_months: full.selection.minFolds, area_shares: full.areaShares, study_area: area.label,
    };
    let file: string | null = null;
    if (last !== null) {
      file = analyticsTables.file(analyticsTables.backtestsDir(settings.lakeDir), last, category);
      const rows = folds.map((f) => [
        category, f.method, f.month, f.areaTarget, f.areaShare, f.cells, f.hits, f.total, f.hitRate, f.pai, f.paiMax, f.pei, f.hitsTop10, f.hitsTop20, f.chosen, f.margin, f.gainOverBaseline,
        settings.resolution, settings.k, full.parameters.window, full.parameters.halfLife, full.parameters.ringWeight, full.minHistory, full.selection.window, area.label,
      ]);
      const written = await writeParquetTable(connection, file, COLUMNS, rows, "method, area_target, forecast_month");
      const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
      await recordPartition(manifest, "backtests", settings.lakeDir, file, last, written, category);
      manifest.parameters = { ...manifest.parameters, [`backtests/${category}`]: { ...parameters, methods: candidates.map((c) => c.method), first_month: grid.months[0], last_month: last, next } };
      await writeManifest(settings.lakeDir, manifest);
    }
    return { category, first_month: grid.months[0] ?? null, last_month: last, cells: grid.cells.length, accounting, parameters, summary, next: last === null ? null : next, file };
  });
}
