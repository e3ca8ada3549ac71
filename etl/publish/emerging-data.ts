import { listValue, type DuckDBConnection } from "@duckdb/node-api";
import type { EmergingData } from "../../dashboard/data-contract.ts";
import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { analyticsTables } from "../lake/analytics-tables.ts";
import { hasParquet, queryRows, round } from "./lake-query.ts";

/** A row of the query below: one cell's classification with its run's settings. */
type Row = EmergingData["cells"][number] & Omit<EmergingData["runs"][number], "category" | "patterns">;

/**
 * The emerging hot-spot classification of each analysed offence category (the latest run of each:
 * the partition of the last month), except sensitive categories, which are never shown per cell.
 * Cells without a pattern are only counted, to keep the file small.
 */
export async function emergingData(connection: DuckDBConnection, lakeDir: string, sensitive: ReadonlySet<string>): Promise<EmergingData> {
  const dir = analyticsTables.emergingDir(lakeDir);
  if (!(await hasParquet(dir))) return { categories: [], runs: [], cells: [] };
  const rows = await queryRows<Row>(
    connection,
    `WITH e AS (SELECT * FROM read_parquet($glob, hive_partitioning = true) WHERE NOT list_contains($sensitive, offence_category)),
          latest AS (SELECT offence_category, max(month) AS month FROM e GROUP BY ALL)
     SELECT e.offence_category AS category, h3_cell AS cell, emerging_category AS pattern, hot_months, cold_months,
            coalesce(trend_z, 0) AS trend_z, coalesce(trend_p, 1) AS trend_p, first_month, e.month AS last_month, months,
            fdr, min_bin::INTEGER AS min_bin, trend_alpha
       FROM e JOIN latest USING (offence_category, month)
      ORDER BY category, cell`,
    { glob: `${dir}/*/*.parquet`, sensitive: listValue([...sensitive]) },
  );
  const runs = new Map<string, EmergingData["runs"][number]>();
  const cells: EmergingData["cells"] = [];
  for (const r of rows) {
    let run = runs.get(r.category);
    if (!run) {
      run = { category: r.category, first_month: r.first_month, last_month: r.last_month, months: r.months, fdr: r.fdr, min_bin: r.min_bin, trend_alpha: r.trend_alpha, patterns: {} };
      runs.set(r.category, run);
    }
    run.patterns[r.pattern] = (run.patterns[r.pattern] ?? 0) + 1;
    if (r.pattern === "no_pattern") continue;
    cells.push({ category: r.category, cell: r.cell, pattern: r.pattern, hot_months: r.hot_months, cold_months: r.cold_months, trend_z: round(r.trend_z, 2), trend_p: round(r.trend_p, 4) });
  }
  const categories = [...runs.keys()].sort((a, b) => (a === ALL_OFFENCES ? -1 : b === ALL_OFFENCES ? 1 : a.localeCompare(b)));
  return { categories, runs: categories.map((c) => runs.get(c)!), cells };
}
