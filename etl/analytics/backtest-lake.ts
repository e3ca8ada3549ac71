import { withConnection } from "../duckdb/connection.ts";
import { analyticsTables } from "../lake/analytics-tables.ts";
import { readManifest, writeManifest } from "../lake/manifest.ts";
import { recordPartition, writeParquetTable, type Column } from "../lake/write-table.ts";
import type { PipelineSettings } from "../pipeline.ts";
import type { GridAccounting } from "./cell-month-grid.ts";
import { kRingWeights } from "./k-ring-weights.ts";
import { lakeGrid, type GridRequest } from "./lake-grid.ts";
import { DEFAULT_SCORING, SCORING_METHODS } from "./patrol-scores.ts";
import { DEFAULT_AREA_SHARES, rollingBacktest, type BacktestOptions, type BacktestSummary } from "./rolling-backtest.ts";

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
  { name: "h3_resolution", type: "TINYINT" },
  { name: "k", type: "TINYINT" },
  { name: "window_months", type: "INTEGER" },
  { name: "half_life_months", type: "DOUBLE" },
  { name: "ring_weight", type: "DOUBLE" },
  { name: "min_history_months", type: "INTEGER" },
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
  file: string | null;
}

/**
 * Rolling-origin backtest of every patrol-priority method over a month range of the lake (see
 * `rollingBacktest`). Writes one row per method, forecast month and area share to
 * `backtests/month=<last month>/<category>.parquet`, so the figures can be re-aggregated in SQL, and
 * returns the means per method and area share.
 */
export async function backtestStage(settings: PipelineSettings, request: GridRequest, options: Partial<BacktestOptions> = {}): Promise<BacktestStageSummary> {
  const full: BacktestOptions = { methods: SCORING_METHODS, areaShares: DEFAULT_AREA_SHARES, minHistory: 12, parameters: DEFAULT_SCORING, ...options };
  return withConnection(async (connection) => {
    const { grid, accounting, area, category } = await lakeGrid(connection, settings, request);
    const { folds, summary } = rollingBacktest(grid, kRingWeights(grid.cells, settings.k), full);
    const last = grid.months.at(-1) ?? null;
    const parameters = { h3_resolution: settings.resolution, k: settings.k, window_months: full.parameters.window, half_life_months: full.parameters.halfLife, ring_weight: full.parameters.ringWeight, min_history_months: full.minHistory, area_shares: full.areaShares, study_area: area.label };
    let file: string | null = null;
    if (last !== null) {
      file = analyticsTables.file(analyticsTables.backtestsDir(settings.lakeDir), last, category);
      const rows = folds.map((f) => [
        category, f.method, f.month, f.areaTarget, f.areaShare, f.cells, f.hits, f.total, f.hitRate, f.pai, f.paiMax, f.pei,
        settings.resolution, settings.k, full.parameters.window, full.parameters.halfLife, full.parameters.ringWeight, full.minHistory, area.label,
      ]);
      const written = await writeParquetTable(connection, file, COLUMNS, rows, "method, area_target, forecast_month");
      const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
      await recordPartition(manifest, "backtests", settings.lakeDir, file, last, written, category);
      manifest.parameters = { ...manifest.parameters, [`backtests/${category}`]: { ...parameters, methods: full.methods, first_month: grid.months[0], last_month: last } };
      await writeManifest(settings.lakeDir, manifest);
    }
    return { category, first_month: grid.months[0] ?? null, last_month: last, cells: grid.cells.length, accounting, parameters, summary, file };
  });
}
