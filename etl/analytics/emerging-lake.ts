import { withConnection } from "../duckdb/connection.ts";
import { analyticsTables } from "../lake/analytics-tables.ts";
import { readManifest, writeManifest } from "../lake/manifest.ts";
import { recordPartition, writeParquetTable, type Column } from "../lake/write-table.ts";
import type { PipelineSettings } from "../settings.ts";
import type { GridAccounting } from "./cell-month-grid.ts";
import { DEFAULT_EMERGING_OPTIONS, emergingHotSpots, type EmergingOptions } from "./emerging-hot-spots.ts";
import { kRingWeights } from "./k-ring-weights.ts";
import { lakeGrid, type GridRequest } from "./lake-grid.ts";

const COLUMNS: Column[] = [
  { name: "offence_category", type: "VARCHAR" },
  { name: "h3_cell", type: "VARCHAR" },
  { name: "emerging_category", type: "VARCHAR" },
  { name: "hot_months", type: "INTEGER" },
  { name: "cold_months", type: "INTEGER" },
  { name: "trend_z", type: "DOUBLE" },
  { name: "trend_p", type: "DOUBLE" },
  { name: "final_gi_z", type: "DOUBLE" },
  { name: "final_gi_bin", type: "TINYINT" },
  { name: "first_month", type: "VARCHAR" },
  { name: "months", type: "INTEGER" },
  { name: "h3_resolution", type: "TINYINT" },
  { name: "k", type: "TINYINT" },
  { name: "time_window", type: "INTEGER" },
  { name: "fdr", type: "BOOLEAN" },
  { name: "min_bin", type: "TINYINT" },
  { name: "trend_alpha", type: "DOUBLE" },
  { name: "study_area", type: "VARCHAR" },
];

export interface EmergingSummary {
  category: string;
  first_month: string | null;
  last_month: string | null;
  months: number;
  cells: number;
  parameters: Record<string, unknown>;
  accounting: GridAccounting;
  /** Cells per emerging category (categories with no cell omitted). */
  cells_by_category: Record<string, number>;
  /** Hot-spot cells of the final month's patterns, strongest trend first (at most 20). */
  hot_cells: Array<{ h3_cell: string; emerging_category: string; hot_months: number; trend_z: number }>;
  file: string | null;
}

/**
 * Emerging hot spots of one offence category (or all offences) over a month range of the lake:
 * classifies every study-area cell, writes `emerging/month=<last>/<category>.parquet` with the
 * parameters in every row and in the manifest, and returns a summary.
 */
export async function emergingStage(settings: PipelineSettings, request: GridRequest, options: EmergingOptions = DEFAULT_EMERGING_OPTIONS): Promise<EmergingSummary> {
  return withConnection(async (connection) => {
    const { grid, accounting, area, category } = await lakeGrid(connection, settings, request);
    const result = emergingHotSpots(grid, kRingWeights(grid.cells, settings.k), options);
    const first = grid.months[0] ?? null;
    const last = grid.months.at(-1) ?? null;
    const parameters = { h3_resolution: settings.resolution, k: settings.k, time_window: options.timeWindow, fdr: options.fdr, min_bin: options.minBin, trend_alpha: options.trendAlpha, study_area: area.label };
    const byCategory: Record<string, number> = {};
    for (const c of result.category) byCategory[c] = (byCategory[c] ?? 0) + 1;
    const hot = grid.cells
      .map((cell, i) => ({ h3_cell: cell, emerging_category: result.category[i]!, hot_months: result.hotSteps[i]!, trend_z: result.trendZ[i]! }))
      .filter((r) => r.emerging_category.endsWith("_hot_spot"))
      .sort((a, b) => b.hot_months - a.hot_months || b.trend_z - a.trend_z);
    let file: string | null = null;
    if (last !== null) {
      file = analyticsTables.file(analyticsTables.emergingDir(settings.lakeDir), last, category);
      const rows = grid.cells.map((cell, i) => [
        category, cell, result.category[i]!, result.hotSteps[i]!, result.coldSteps[i]!, result.trendZ[i]!, result.trendP[i]!, result.finalZ[i]!, result.finalBin[i]!,
        first, grid.months.length, settings.resolution, settings.k, options.timeWindow, options.fdr, options.minBin, options.trendAlpha, area.label,
      ]);
      const written = await writeParquetTable(connection, file, COLUMNS, rows, "h3_cell");
      const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
      await recordPartition(manifest, "emerging", settings.lakeDir, file, last, written, category);
      manifest.parameters = { ...manifest.parameters, [`emerging/${category}`]: { ...parameters, first_month: first, last_month: last, statistic: options.timeWindow === null ? "monthly Getis-Ord Gi*" : "space-time Getis-Ord Gi* over the cube", trend: "Mann-Kendall (tie-corrected, continuity-corrected)" } };
      await writeManifest(settings.lakeDir, manifest);
    }
    return { category, first_month: first, last_month: last, months: grid.months.length, cells: grid.cells.length, parameters, accounting, cells_by_category: byCategory, hot_cells: hot.slice(0, 20), file };
  });
}
