import type { DuckDBConnection } from "@duckdb/node-api";
import { lakeLayout } from "../lake/lake-layout.ts";

/** One month of one category's hot spots, as read back from the lake's hot-spot table. */
export interface HotSpotMonthReport {
  month: string;
  cells: number;
  incidents: number;
  /** Cells by Gi_Bin ("-3" … "3", zeros omitted), without and with FDR. */
  by_bin: Record<string, number>;
  by_bin_fdr: Record<string, number>;
  /** Significant hot-spot cells after FDR, highest z first (at most `limit`). */
  hot_cells: Array<{ h3_cell: string; incidents: number; gi_z: number; gi_bin_fdr: number }>;
}

// Plain SQL (GROUP BY / ORDER BY by name, no DuckDB-only syntax) so the same queries run in Athena /
// Trino over the same table; only the read_parquet(...) source is DuckDB's, Athena names the table.
const BINS_SQL = `
  SELECT month, gi_bin, gi_bin_fdr, count(*) AS cells, sum(incidents) AS incidents
    FROM read_parquet($glob, hive_partitioning = true)
   WHERE category = $category AND month BETWEEN $from AND $to
   GROUP BY month, gi_bin, gi_bin_fdr
   ORDER BY month, gi_bin, gi_bin_fdr`;
const HOT_SQL = `
  SELECT month, h3_cell, incidents, gi_z, gi_bin_fdr
    FROM read_parquet($glob, hive_partitioning = true)
   WHERE category = $category AND month BETWEEN $from AND $to AND gi_bin_fdr > 0
   ORDER BY month, gi_z DESC, h3_cell`;

/** Reads the hot spots of one category for months `from`…`to` from the lake's hot-spot table. */
export async function hotSpotReport(connection: DuckDBConnection, lakeDir: string, category: string, from: string, to: string, limit = 10): Promise<HotSpotMonthReport[]> {
  const params = { glob: lakeLayout.glob(lakeLayout.hotspotsDir(lakeDir)), category, from, to };
  const bins = (await connection.runAndReadAll(BINS_SQL, params)).getRowObjectsJS();
  const hot = (await connection.runAndReadAll(HOT_SQL, params)).getRowObjectsJS();
  const months = new Map<string, HotSpotMonthReport>();
  for (const row of bins) {
    const month = String(row.month);
    const report = months.get(month) ?? { month, cells: 0, incidents: 0, by_bin: {}, by_bin_fdr: {}, hot_cells: [] };
    months.set(month, report);
    const cells = Number(row.cells);
    report.cells += cells;
    report.incidents += Number(row.incidents);
    for (const [key, bin] of [["by_bin", Number(row.gi_bin)], ["by_bin_fdr", Number(row.gi_bin_fdr)]] as const) {
      if (bin !== 0) report[key][bin] = (report[key][bin] ?? 0) + cells;
    }
  }
  for (const row of hot) {
    const report = months.get(String(row.month));
    if (report && report.hot_cells.length < limit) {
      report.hot_cells.push({ h3_cell: String(row.h3_cell), incidents: Number(row.incidents), gi_z: Number(row.gi_z), gi_bin_fdr: Number(row.gi_bin_fdr) });
    }
  }
  return [...months.values()];
}
