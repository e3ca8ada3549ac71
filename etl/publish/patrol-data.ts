import type { DuckDBConnection } from "@duckdb/node-api";
import type { PatrolData } from "../../dashboard/data-contract.ts";
import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { BASELINE_METHOD } from "../analytics/forecast-candidates.ts";
import { pairedComparison } from "../analytics/paired-comparison.ts";
import { SELECTED_METHOD } from "../analytics/rolling-backtest.ts";
import { addMonths } from "../analytics/monthly-counts.ts";
import { analyticsTables } from "../lake/analytics-tables.ts";
import type { Manifest } from "../lake/manifest.ts";
import { sensitiveList } from "./release-rules.ts";
import { hasParquet, queryRows, round } from "./lake-query.ts";

/**
 * Next month's patrol priorities (the latest forecast partition, with the method the nested backtest
 * chose and its margin) and the rolling-origin backtest of every method (its latest partition: means,
 * top-10/20 captures and the paired comparison with last-12-months; month by month for the methods drawn), for "all" offences when present, else the first non-sensitive
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
async function latest(
  connection: DuckDBConnection,
  dir: string,
  sensitive: ReadonlySet<string>,
): Promise<{ category: string; month: string; glob: string } | null> {
  if (!(await hasParquet(dir))) return null;
  const glob = `${dir}/*/*.parquet`;
  const [row] = await queryRows<{ category: string; month: string }>(
    connection,
    `SELECT offence_category AS category, max(month) AS month FROM read_parquet($glob, hive_partitioning = true)
      WHERE NOT list_contains($sensitive, offence_category)
      GROUP BY offence_category ORDER BY (offence_category = $all) DESC, offence_category LIMIT 1`,
    { glob, sensitive: sensitiveList(sensitive), all: ALL_OFFENCES },
  );
  return row ? { ...row, glob } : null;
}

async function forecast(connection: DuckDBConnection, lakeDir: string, manifest: Manifest, sensitive: ReadonlySet<string>): Promise<PatrolData["forecast"]> {
  const table = await latest(connection, analyticsTables.forecastsDir(lakeDir), sensitive);
  if (!table) return null;
  const cells = await queryRows<{
    method: string;
    rank: number;
    cell: string;
    score: number;
    area_km2: number;
    cumulative_area_share: number;
    history_from: string;
  }>(
    connection,
    `SELECT method, rank, h3_cell AS cell, score, area_km2, cumulative_area_share, history_from
       FROM read_parquet($glob, hive_partitioning = true) WHERE offence_category = $category AND month = $month ORDER BY method, rank`,
    { glob: table.glob, category: table.category, month: table.month },
  );
  const selection = manifest.parameters?.[`forecasts/${table.category}`]?.selection as { areaShare?: number } | undefined;
  const [why] = await queryRows<{ method: string; reason: string; margin: number; gain: number; runner_up: string | null; months: number }>(
    connection,
    `SELECT chosen_method AS method, selection_reason AS reason, selection_margin AS margin, gain_over_baseline AS gain, runner_up, selection_months AS months
       FROM read_parquet($glob, hive_partitioning = true, union_by_name = true)
      WHERE offence_category = $category AND month = $month AND method = $selected AND rank = 1`,
    { glob: table.glob, category: table.category, month: table.month, selected: SELECTED_METHOD },
  );
  return {
    month: table.month,
    category: table.category,
    history_from: cells[0]?.history_from ?? "",
    history_to: addMonths(table.month, -1),
    area_share: selection?.areaShare ?? null,
    methods: [...new Set(cells.map((c) => c.method))].sort((a, b) => Number(b === SELECTED_METHOD) - Number(a === SELECTED_METHOD)),
    chosen: why
      ? {
          method: why.method,
          reason: why.reason,
          margin: round(why.margin, 4),
          gain_over_baseline: round(why.gain, 4),
          runner_up: why.runner_up,
          months: why.months,
        }
      : null,
    cells: cells.map((c) => ({
      method: c.method,
      rank: c.rank,
      cell: c.cell,
      score: round(c.score, 2),
      area_km2: round(c.area_km2, 3),
      cumulative_area_share: round(c.cumulative_area_share, 4),
    })),
  };
}

async function backtest(connection: DuckDBConnection, lakeDir: string, manifest: Manifest, sensitive: ReadonlySet<string>): Promise<PatrolData["backtest"]> {
  const table = await latest(connection, analyticsTables.backtestsDir(lakeDir), sensitive);
  if (!table) return null;
  const rows = await queryRows<{
    method: string;
    area_target: number;
    month: string;
    area_share: number;
    hit_rate: number;
    pai: number;
    pei_star: number;
    top10: number;
    top20: number;
    chosen: string | null;
  }>(
    connection,
    `SELECT method, area_target, forecast_month AS month, area_share, hit_rate, pai, pei_star, hits_top_10 AS top10, hits_top_20 AS top20, chosen_method AS chosen
       FROM read_parquet($glob, hive_partitioning = true, union_by_name = true)
      WHERE offence_category = $category AND month = $month AND isfinite(pai) AND isfinite(pei_star) ORDER BY method, area_target, forecast_month`,
    { glob: table.glob, category: table.category, month: table.month },
  );
  const parameters = manifest.parameters?.[`backtests/${table.category}`] as { min_history_months?: number; next?: { method?: string } } | undefined;
  const drawn = [...new Set([SELECTED_METHOD, BASELINE_METHOD, "last-month", ...(parameters?.next?.method ? [parameters.next.method] : [])])].filter((m) =>
    rows.some((r) => r.method === m),
  );
  const groups = new Map<string, typeof rows>();
  for (const r of rows) {
    const key = `${r.method}\u0000${r.area_target}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  const summary = [...groups.values()].map((g) => {
    const { method, area_target } = g[0]!;
    const reference = groups.get(`${BASELINE_METHOD}\u0000${area_target}`) ?? [];
    const byMonth = new Map(reference.map((r) => [r.month, r.pai]));
    const v = pairedComparison(
      g.map((r) => r.pai),
      g.map((r) => byMonth.get(r.month) ?? Number.NaN),
    );
    const r2 = (x: number) => (Number.isFinite(x) ? round(x, 2) : null);
    return {
      method,
      area_target,
      months: g.length,
      area_share: round(mean(g.map((r) => r.area_share)), 4),
      hit_rate: round(mean(g.map((r) => r.hit_rate)), 4),
      pai: round(mean(g.map((r) => r.pai)), 2),
      pei_star: round(mean(g.map((r) => r.pei_star)), 4),
      hits_top_10: round(mean(g.map((r) => r.top10)), 1),
      hits_top_20: round(mean(g.map((r) => r.top20)), 1),
      recent_pai: round(mean(g.slice(-12).map((r) => r.pai)), 2),
      vs_baseline: { mean_difference: r2(v.meanDifference) ?? 0, ci_low: r2(v.ciLow), ci_high: r2(v.ciHigh), wins: v.wins, losses: v.losses, ties: v.ties },
    };
  });
  const monthly = rows.filter((r) => drawn.includes(r.method));
  return {
    category: table.category,
    first_month: monthly.reduce((m, x) => (x.month < m ? x.month : m), monthly[0]?.month ?? ""),
    last_month: monthly.reduce((m, x) => (x.month > m ? x.month : m), ""),
    min_history_months: parameters?.min_history_months ?? 0,
    methods: drawn,
    summary,
    monthly: monthly.map((r) => ({
      method: r.method,
      area_target: r.area_target,
      month: r.month,
      hit_rate: round(r.hit_rate, 4),
      pai: round(r.pai, 2),
      pei_star: round(r.pei_star, 4),
      chosen: r.chosen,
    })),
  };
}
