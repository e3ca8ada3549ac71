import { listValue, type DuckDBConnection } from "@duckdb/node-api";
import type { PatrolData } from "../../dashboard/data-contract.ts";
import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { addMonths } from "../analytics/monthly-counts.ts";
import { analyticsTables } from "../lake/analytics-tables.ts";
import type { Manifest } from "../lake/manifest.ts";
import { hasParquet, queryRows, round } from "./lake-query.ts";

/**
 * Next month's patrol priorities (the latest forecast partition) and the rolling-origin backtest of
 * every method (its latest partition), for "all" offences when present, else the first non-sensitive
 * category analysed. Scores and accuracy measures are rounded for display; nothing here is a count
 * of one cell.
 */
export async function patrolData(connection: DuckDBConnection, lakeDir: string, manifest: Manifest, sensitive: ReadonlySet<string>): Promise<PatrolData> {
  return {
    forecast: await forecast(connection, lakeDir, manifest, sensitive),
    backtest: await backtest(connection, lakeDir, manifest, sensitive),
  };
}

/** The category and latest month partition of a table: "all" first, never a sensitive category. */
async function latest(connection: DuckDBConnection, dir: string, sensitive: ReadonlySet<string>): Promise<{ category: string; month: string; glob: string } | null> {
  if (!(await hasParquet(dir))) return null;
  const glob = `${dir}/*/*.parquet`;
  const [row] = await queryRows<{ category: string; month: string }>(
    connection,
    `SELECT offence_category AS category, max(month) AS month FROM read_parquet($glob, hive_partitioning = true)
      WHERE NOT list_contains($sensitive, offence_category)
      GROUP BY offence_category ORDER BY (offence_category = $all) DESC, offence_category LIMIT 1`,
    { glob, sensitive: listValue([...sensitive]), all: ALL_OFFENCES },
  );
  return row ? { ...row, glob } : null;
}

async function forecast(connection: DuckDBConnection, lakeDir: string, manifest: Manifest, sensitive: ReadonlySet<string>): Promise<PatrolData["forecast"]> {
  const table = await latest(connection, analyticsTables.forecastsDir(lakeDir), sensitive);
  if (!table) return null;
  const cells = await queryRows<{ method: string; rank: number; cell: string; score: number; area_km2: number; cumulative_area_share: number; history_from: string }>(
    connection,
    `SELECT method, rank, h3_cell AS cell, score, area_km2, cumulative_area_share, history_from
       FROM read_parquet($glob, hive_partitioning = true) WHERE offence_category = $category AND month = $month ORDER BY method, rank`,
    { glob: table.glob, category: table.category, month: table.month },
  );
  const selection = manifest.parameters?.[`forecasts/${table.category}`]?.selection as { areaShare?: number } | undefined;
  return {
    month: table.month,
    category: table.category,
    history_from: cells[0]?.history_from ?? "",
    history_to: addMonths(table.month, -1),
    area_share: selection?.areaShare ?? null,
    methods: [...new Set(cells.map((c) => c.method))],
    cells: cells.map((c) => ({ method: c.method, rank: c.rank, cell: c.cell, score: round(c.score, 2), area_km2: round(c.area_km2, 3), cumulative_area_share: round(c.cumulative_area_share, 4) })),
  };
}

async function backtest(connection: DuckDBConnection, lakeDir: string, manifest: Manifest, sensitive: ReadonlySet<string>): Promise<PatrolData["backtest"]> {
  const table = await latest(connection, analyticsTables.backtestsDir(lakeDir), sensitive);
  if (!table) return null;
  const params = { glob: table.glob, category: table.category, month: table.month };
  const where = "offence_category = $category AND month = $month AND isfinite(pai) AND isfinite(pei_star)";
  const monthly = await queryRows<{ method: string; area_target: number; month: string; hit_rate: number; pai: number; pei_star: number }>(
    connection,
    `SELECT method, area_target, forecast_month AS month, hit_rate, pai, pei_star FROM read_parquet($glob, hive_partitioning = true)
      WHERE ${where} ORDER BY method, area_target, forecast_month`,
    params,
  );
  const summary = await queryRows<{ method: string; area_target: number; months: number; area_share: number; hit_rate: number; pai: number; pei_star: number }>(
    connection,
    `SELECT method, area_target, count(*)::INTEGER AS months, avg(area_share) AS area_share, avg(hit_rate) AS hit_rate, avg(pai) AS pai, avg(pei_star) AS pei_star
       FROM read_parquet($glob, hive_partitioning = true) WHERE ${where} GROUP BY ALL ORDER BY method, area_target`,
    params,
  );
  const parameters = manifest.parameters?.[`backtests/${table.category}`] as { min_history_months?: number; methods?: string[] } | undefined;
  const r = <T extends { hit_rate: number; pai: number; pei_star: number }>(row: T): T => ({ ...row, hit_rate: round(row.hit_rate, 4), pai: round(row.pai, 2), pei_star: round(row.pei_star, 4) });
  return {
    category: table.category,
    first_month: monthly.reduce((m, x) => (x.month < m ? x.month : m), monthly[0]?.month ?? ""),
    last_month: monthly.reduce((m, x) => (x.month > m ? x.month : m), ""),
    min_history_months: parameters?.min_history_months ?? 0,
    methods: parameters?.methods ?? [...new Set(summary.map((s) => s.method))],
    summary: summary.map((s) => r({ ...s, area_share: round(s.area_share, 4) })),
    monthly: monthly.map(r),
  };
}
