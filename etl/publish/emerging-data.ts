import type { DuckDBConnection } from "@duckdb/node-api";
import type { EmergingData } from "../../dashboard/data-contract.ts";
import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { emergingHotSpots } from "../analytics/emerging-hot-spots.ts";
import { kRingWeights } from "../analytics/k-ring-weights.ts";
import { monthRange } from "../analytics/monthly-counts.ts";
import { lakeLayout } from "../lake/lake-layout.ts";
import { analyticsTables } from "../lake/analytics-tables.ts";
import { sensitiveList } from "./release-rules.ts";
import { hasParquet, queryRows, round } from "./lake-query.ts";

/** A row of the query below: one cell's classification with its run's settings. */
type Row = EmergingData["cells"][number] & Omit<EmergingData["runs"][number], "category" | "patterns">;

/**
 * The emerging hot-spot classification of each analysed offence category (the latest run of each:
 * the partition of the last month), except sensitive categories, which are never shown per cell.
 * "All offences" is classified again here over the non-sensitive categories only, with the lake
 * run's months and settings (see allWithoutSensitive): the lake's own run counts the sensitive
 * categories, and a cell's pattern could then change because of them alone.
 * Cells without a pattern are only counted, to keep the file small.
 */
export async function emergingData(connection: DuckDBConnection, lakeDir: string, sensitive: ReadonlySet<string>, k = 1): Promise<EmergingData> {
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
    { glob: `${dir}/*/*.parquet`, sensitive: sensitiveList(sensitive) },
  );
  const runs = new Map<string, EmergingData["runs"][number]>();
  const cells: EmergingData["cells"] = [];
  for (const r of await allWithoutSensitive(connection, lakeDir, sensitive, k, rows)) {
    let run = runs.get(r.category);
    if (!run) {
      run = {
        category: r.category,
        first_month: r.first_month,
        last_month: r.last_month,
        months: r.months,
        fdr: r.fdr,
        min_bin: r.min_bin,
        trend_alpha: r.trend_alpha,
        patterns: {},
      };
      runs.set(r.category, run);
    }
    run.patterns[r.pattern] = (run.patterns[r.pattern] ?? 0) + 1;
    if (r.pattern === "no_pattern") continue;
    cells.push({
      category: r.category,
      cell: r.cell,
      pattern: r.pattern,
      hot_months: r.hot_months,
      cold_months: r.cold_months,
      trend_z: round(r.trend_z, 2),
      trend_p: round(r.trend_p, 4),
    });
  }
  const categories = [...runs.keys()].sort((a, b) => (a === ALL_OFFENCES ? -1 : b === ALL_OFFENCES ? 1 : a.localeCompare(b)));
  return { categories, runs: categories.map((c) => runs.get(c)!), cells };
}

/**
 * The rows of `rows` with those of "all" replaced by a classification of the non-sensitive
 * categories' cell-month counts over the same study-area cells, months and settings (the lake's
 * time window is in its partition's rows).
 */
async function allWithoutSensitive(
  connection: DuckDBConnection,
  lakeDir: string,
  sensitive: ReadonlySet<string>,
  k: number,
  rows: readonly Row[],
): Promise<Row[]> {
  const all = rows.filter((r) => r.category === ALL_OFFENCES);
  const first = all[0];
  if (!first) return [...rows];
  const [setting] = await queryRows<{ time_window: number | null }>(
    connection,
    `SELECT any_value(time_window) AS time_window FROM read_parquet($glob, hive_partitioning = true) WHERE offence_category = $all AND month = $month`,
    { glob: `${analyticsTables.emergingDir(lakeDir)}/*/*.parquet`, all: ALL_OFFENCES, month: first.last_month },
  );
  const cells = all.map((r) => r.cell);
  const months = monthRange(first.first_month, first.last_month);
  const counts = await queryRows<{ month: string; cell: string; n: number }>(
    connection,
    `SELECT month, h3_cell AS cell, count(*)::INTEGER AS n FROM read_parquet($glob, hive_partitioning = true)
      WHERE month BETWEEN $from AND $to AND NOT list_contains($sensitive, offence_category) AND h3_cell IS NOT NULL GROUP BY ALL`,
    { glob: lakeLayout.glob(lakeLayout.incidentsDir(lakeDir)), from: first.first_month, to: first.last_month, sensitive: sensitiveList(sensitive) },
  );
  const cellIndex = new Map(cells.map((c, i) => [c, i]));
  const monthIndex = new Map(months.map((m, t) => [m, t]));
  const grid = new Float64Array(months.length * cells.length);
  for (const c of counts) {
    const i = cellIndex.get(c.cell);
    const t = monthIndex.get(c.month);
    if (i !== undefined && t !== undefined) grid[t * cells.length + i]! += c.n;
  }
  const options = { timeWindow: setting?.time_window ?? null, fdr: first.fdr, minBin: first.min_bin as 1 | 2 | 3, trendAlpha: first.trend_alpha };
  const result = emergingHotSpots({ cells, months, counts: grid }, kRingWeights(cells, k), options);
  const again: Row[] = all.map((r, i) => ({
    ...r,
    pattern: result.category[i]!,
    hot_months: result.hotSteps[i]!,
    cold_months: result.coldSteps[i]!,
    trend_z: Number.isFinite(result.trendZ[i]!) ? result.trendZ[i]! : 0,
    trend_p: Number.isFinite(result.trendP[i]!) ? result.trendP[i]! : 1,
  }));
  return [...again, ...rows.filter((r) => r.category !== ALL_OFFENCES)];
}
