import type { DuckDBConnection } from "@duckdb/node-api";
import { lakeLayout } from "../lake/lake-layout.ts";

/** One month of one category's hot spots, as read back from the lake's hot-spot table. */
export interface HotSpotMonthReport {
  month: string;
  cells: number;
  incidents: number;
  /** "too_few_incidents": the month's incidents cannot be tested and it has no bins (see gi-star-permutation.ts testability). */
  status: string;
  /** How the p-values were obtained: "exact" / "monte-carlo" permutation distribution, or "normal". */
  inference: string;
  /** Cells by Gi_Bin ("-3" … "3", zeros omitted), without and with FDR. */
  by_bin: Record<string, number>;
  by_bin_fdr: Record<string, number>;
  /** Significant hot-spot cells after FDR, highest z first (at most `limit`). */
  hot_cells: Array<{ h3_cell: string; incidents: number; gi_z: number; gi_bin_fdr: number }>;
}

// Plain SQL (GROUP BY / ORDER BY by name, no DuckDB-only syntax) so the same queries run in Athena /
// Trino over the same table; only the read_parquet(...) source is DuckDB's, Athena names the table.
const BINS_SQL = `
  SELECT month, status, inference, gi_bin, gi_bin_fdr, count(*) AS cells, sum(incidents) AS incidents
    FROM read_parquet($glob, hive_partitioning = true, union_by_name = true)
   WHERE category = $category AND month BETWEEN $from AND $to
   GROUP BY month, status, inference, gi_bin, gi_bin_fdr
   ORDER BY month, gi_bin, gi_bin_fdr`;
const HOT_SQL = `
  SELECT month, h3_cell, incidents, gi_z, gi_bin_fdr
    FROM read_parquet($glob, hive_partitioning = true, union_by_name = true)
   WHERE category = $category AND month BETWEEN $from AND $to AND gi_bin_fdr > 0
   ORDER BY month, gi_z DESC, h3_cell`;

/** Reads the hot spots of one category for months `from`…`to` from the lake's hot-spot table. */
export async function hotSpotReport(
  connection: DuckDBConnection,
  lakeDir: string,
  category: string,
  from: string,
  to: string,
  limit = 10,
): Promise<HotSpotMonthReport[]> {
  const params = { glob: lakeLayout.glob(lakeLayout.hotspotsDir(lakeDir)), category, from, to };
  const bins = (await connection.runAndReadAll(BINS_SQL, params)).getRowObjectsJS();
  const hot = (await connection.runAndReadAll(HOT_SQL, params)).getRowObjectsJS();
  const months = new Map<string, HotSpotMonthReport>();
  for (const row of bins) {
    const month = String(row.month);
    // Partitions written before the status and inference columns were normal-approximation results.
    const report = months.get(month) ?? {
      month,
      cells: 0,
      incidents: 0,
      status: String(row.status ?? "tested"),
      inference: String(row.inference ?? "normal"),
      by_bin: {},
      by_bin_fdr: {},
      hot_cells: [],
    };
    months.set(month, report);
    const cells = Number(row.cells);
    report.cells += cells;
    report.incidents += Number(row.incidents);
    for (const [key, bin] of [
      ["by_bin", Number(row.gi_bin)],
      ["by_bin_fdr", Number(row.gi_bin_fdr)],
    ] as const) {
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

const INFERENCE_TEXT: Record<string, string> = {
  exact: "exact permutation p-values",
  "monte-carlo": "Monte Carlo permutation p-values",
  normal: "normal-approximation p-values",
};

/** One line for a month of the report: incidents, then the FDR hot spots or why there are none. */
export function hotSpotMonthText(m: HotSpotMonthReport): string {
  if (m.status === "too_few_incidents") {
    const why =
      m.inference === "normal"
        ? "all in one cell, no cell could reach 90 %, or under 5 expected in a neighbourhood for the normal approximation"
        : "all in one cell, or no cell could reach 90 %";
    return `${m.incidents} incidents; too few incidents to test (${why}): no bins`;
  }
  const hot =
    Object.entries(m.by_bin_fdr)
      .filter(([b]) => Number(b) > 0)
      .map(([b, n]) => `bin ${b}: ${n}`)
      .join(", ") || "none";
  const top = m.hot_cells.length
    ? `; top ${m.hot_cells
        .slice(0, 3)
        .map((h) => `${h.h3_cell} z=${h.gi_z.toFixed(2)}`)
        .join(", ")}`
    : "";
  return `${m.incidents} incidents; hot spots (FDR) ${hot}${top} (${INFERENCE_TEXT[m.inference] ?? m.inference})`;
}
