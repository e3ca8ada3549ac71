import type { DuckDBConnection } from "@duckdb/node-api";
import type { PatrolBacktest, PatrolCategoryPlan, PatrolData, PatrolForecast, PatrolNoBacktest } from "../../dashboard/data-contract.ts";
import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { BASELINE_METHOD } from "../analytics/forecast-candidates.ts";
import { caughtAlike, pairedComparison } from "../analytics/paired-comparison.ts";
import { DECISION_SHARES, SELECTED_METHOD } from "../analytics/rolling-backtest.ts";
import { addMonths, monthRange } from "../analytics/monthly-counts.ts";
import { analyticsTables } from "../lake/analytics-tables.ts";
import type { Manifest } from "../lake/manifest.ts";
import { TABLES } from "../lake/tables.ts";
import { countGrid } from "./count-grid.ts";
import { excludedFromAll, perCellCategories, releasedBacktestFolds, releasedCount, selectionEvidenceReleased, type ReleaseRules } from "./release-rules.ts";
import { z } from "zod";
import { lakeAnalysisEnd } from "../analytics/lake-months.ts";
import { hasParquet, listedPartitions, queryRows, round, type QueryRow } from "./lake-query.ts";

/**
 * Next month's patrol priorities (the latest forecast partition up to the month after the lake's
 * last month with incidents, with the method the nested backtest chose and its margin; the months of
 * later forecast partitions, what-if plans past the data, in `beyond_data`) and the rolling-origin backtest of every method (its latest partition: means,
 * top-10/20 captures and the paired comparison with last-12-months; month by month for the methods
 * drawn), for every category the lake has a forecast or a backtest of that may be shown per cell
 * (perCellCategories: "all" first, never a sensitive category): the first's in `patrol`, the others'
 * in `more` (patrol.json and patrol-categories.json).
 *
 * Under the release rules (release-rules.ts) the ranked cells carry no score: every method's score is
 * a known function of the cell's (and its ring's) monthly counts — last-month's is the count itself,
 * last-12-months' is the 12-month count over 12 — and scores set beside the per-cell counts of the
 * hot-spot page difference back to small counts. A ranked cell is listed only where the count its
 * method rests on (`supportMonths`) is 0 or at least the threshold: a cell listed ahead of the cells
 * without incidents says it had some. The others are counted in `withheld`. "All" offences must come
 * from a forecast made without the sensitive categories (the forecast stage records `all_excludes`);
 * a lake whose forecast of all offences counts them publishes no forecast. A backtest month's
 * measures are published, and averaged, only where releasedBacktestFolds lets them out: with the
 * month's published incidents they are counts of the lists' cells.
 */
export async function patrolData(
  connection: DuckDBConnection,
  lakeDir: string,
  manifest: Manifest,
  rules: ReleaseRules,
  now?: Date,
): Promise<{ patrol: PatrolData; more: PatrolCategoryPlan[] }> {
  // The plan shown is the one for the month after the analysed ones (analysisEnd at `now`, default the clock: the
  // current month when it has not ended): a what-if forecast of a later month (forecast --month) is not (see beyond_data).
  const last = lakeAnalysisEnd(manifest, manifest.timezone, now).end;
  const next = last === null ? null : addMonths(last, 1);
  const planned = await latestPartitions(
    connection,
    lakeDir,
    analyticsTables.forecastsDir(lakeDir),
    manifest.tables[TABLES.forecasts.manifest ?? ""],
    rules,
    next,
  );
  const forecasts = planned.latest;
  const backtests = (
    await latestPartitions(connection, lakeDir, analyticsTables.backtestsDir(lakeDir), manifest.tables[TABLES.backtests.manifest ?? ""], rules)
  ).latest;
  const categories = perCellCategories([...forecasts.keys(), ...backtests.keys()], rules);
  const ranked = await forecastRows(connection, [...forecasts.values()]);
  const both: PatrolCategoryPlan[] = [];
  for (const category of categories) {
    const f = forecasts.get(category);
    const b = backtests.get(category);
    const tested = b ? await backtest(connection, manifest, b, rules) : null;
    both.push({
      category,
      forecast: f ? await forecast(connection, lakeDir, manifest, rules, f, ranked.get(category) ?? [], tested?.evidenceReleased ?? null) : null,
      ...(tested ? { backtest: tested.data } : { backtest: null, no_backtest: noBacktest(manifest, category) }),
    });
  }
  // The first category's plan is what the page shows first; the others' go to a file it loads on demand.
  const [first, ...more] = both;
  const why = first?.no_backtest ? { no_backtest: first.no_backtest } : {};
  const beyond = last !== null && planned.beyond.length > 0 ? { beyond_data: { last_month: last, months: planned.beyond } } : {};
  return { patrol: { forecast: first?.forecast ?? null, backtest: first?.backtest ?? null, ...why, ...beyond, categories }, more };
}

/**
 * Why a category has no backtest partition with a scored month: the manifest records a backtest run
 * (its first and last month and the history a scored month needs) where one was run, which a lake of
 * `min_history_months` months or fewer cannot score (rolling-backtest.ts scores months from that
 * index on, those holding an incident).
 */
export function noBacktest(manifest: Pick<Manifest, "parameters">, category: string): PatrolNoBacktest {
  const recorded = manifest.parameters?.[`backtests/${category}`] as { first_month?: unknown; last_month?: unknown; min_history_months?: unknown } | undefined;
  const { first_month: first, last_month: last, min_history_months: history } = recorded ?? {};
  if (typeof first !== "string" || typeof last !== "string" || typeof history !== "number") return { reason: "not_run" };
  const months = monthRange(first, last).length;
  return { reason: months <= history ? "too_few_months" : "no_scored_month", months, min_history_months: history };
}

/**
 * The months before the forecast month whose counts of the cell a method's ranking rests on: 1 for
 * last-month, w for the w-month windows (last-12-months is window 12), and every month of the history
 * (null) for the smoothed, age-weighted, seasonal, stacked and combined methods.
 */
export function supportMonths(method: string): number | null {
  if (method === "last-month") return 1;
  if (method === BASELINE_METHOD) return 12;
  const window = /^window\(w=(\d+)\)$/.exec(method);
  return window ? Number(window[1]) : null;
}

/** One category's latest month partition of a forecast or backtest table. */
interface Partition {
  category: string;
  month: string;
  glob: string;
}

/**
 * The latest month partition not after `notAfter` (null: any) of each category of a table that may
 * be published per cell, and the months of the partitions after it (`beyond`, sorted): from the
 * manifest's entries where the folder holds just the files they list (listedPartitions: a file per
 * category and month, named by the category), else read from the files.
 */
async function latestPartitions(
  connection: DuckDBConnection,
  lakeDir: string,
  dir: string,
  entries: Manifest["tables"][string] | undefined,
  rules: ReleaseRules,
  notAfter: string | null = null,
): Promise<{ latest: Map<string, Partition>; beyond: string[] }> {
  if (!(await hasParquet(dir))) return { latest: new Map(), beyond: [] };
  const glob = `${dir}/*/*.parquet`;
  const listed = listedPartitions(lakeDir, dir, entries);
  const rows = listed
    ? listed.map(({ name, month }) => ({ category: name, month }))
    : await queryRows(
        connection,
        `SELECT DISTINCT offence_category AS category, month FROM read_parquet($glob, hive_partitioning = true)`,
        { category: z.string(), month: z.string() },
        { glob },
      );
  const allowed = new Set(
    perCellCategories(
      rows.map((r) => r.category),
      rules,
    ),
  );
  const latest = new Map<string, Partition>();
  const beyond = new Set<string>();
  for (const r of rows) {
    if (!allowed.has(r.category)) continue;
    if (notAfter !== null && r.month > notAfter) beyond.add(r.month);
    else if (r.month > (latest.get(r.category)?.month ?? "")) latest.set(r.category, { ...r, glob });
  }
  return { latest, beyond: [...beyond].sort() };
}

/** The columns of a forecast row patrol publishes from (the selection's only on the selected method's rows). */
const FORECAST_ROW = {
  category: z.string(),
  month: z.string(),
  method: z.string(),
  rank: z.number(),
  cell: z.string(),
  area_km2: z.number(),
  cumulative_area_share: z.number(),
  history_from: z.string(),
  chosen_method: z.string().nullable(),
  selection_reason: z.string().nullable(),
  selection_margin: z.number().nullable(),
  gain_over_baseline: z.number().nullable(),
  runner_up: z.string().nullable(),
  selection_months: z.number().nullable(),
};
type ForecastRow = QueryRow<typeof FORECAST_ROW>;

/**
 * The ranked rows of each category's latest forecast partition, by category, ordered by method and
 * rank: one read of the forecast files for every category (a query per category cost some 20-40 ms
 * each). Partitions of other months than a category's latest are left out.
 */
async function forecastRows(connection: DuckDBConnection, partitions: readonly Partition[]): Promise<Map<string, ForecastRow[]>> {
  const byCategory = new Map<string, ForecastRow[]>(partitions.map((p) => [p.category, []]));
  if (partitions.length === 0) return byCategory;
  const latest = new Map(partitions.map((p) => [p.category, p.month]));
  const rows = await queryRows(
    connection,
    `SELECT offence_category AS category, month, method, rank, h3_cell AS cell, area_km2, cumulative_area_share, history_from,
            chosen_method, selection_reason, selection_margin, gain_over_baseline, runner_up, selection_months
       FROM read_parquet($glob, hive_partitioning = true, union_by_name = true)
      WHERE month >= $oldest ORDER BY offence_category, method, rank`,
    FORECAST_ROW,
    { glob: partitions[0]!.glob, oldest: [...latest.values()].sort()[0]! },
  );
  for (const row of rows) if (latest.get(row.category) === row.month) byCategory.get(row.category)!.push(row);
  return byCategory;
}

async function forecast(
  connection: DuckDBConnection,
  lakeDir: string,
  manifest: Manifest,
  rules: ReleaseRules,
  table: Partition,
  rows: readonly ForecastRow[],
  evidenceReleased: EvidenceReleased | null,
): Promise<PatrolForecast | null> {
  // The parameters of the category's last forecast run, which may have been of another month than the latest partition.
  const recorded = manifest.parameters?.[`forecasts/${table.category}`] as
    { month?: string; selection?: { areaShare?: number }; all_excludes?: string[] } | undefined;
  const excludes = excludedFromAll(table.category, rules);
  // A forecast of all offences made with the sensitive categories in it (a lake from before the rule) is not published per cell.
  if (!excludes.every((c) => recorded?.all_excludes?.includes(c))) return null;
  const historyFrom = rows[0]?.history_from ?? "";
  const historyTo = addMonths(table.month, -1);
  // The ranked cells' incidents per month of the history, of the category or of all offences less `excludes`.
  const ranked = [...new Set(rows.map((r) => r.cell))];
  const cellIndex = new Map(ranked.map((cell, i) => [cell, i]));
  const months = historyFrom === "" ? [] : monthRange(historyFrom, historyTo);
  const support = await countGrid(connection, lakeDir, ranked, months, table.category, new Set(excludes));
  // Most methods rest on the same months (the whole history, or 12): each cell's sum from a first month is counted once.
  const sums = new Map<string, number>();
  const supportOf = (cell: string, method: string) => {
    const window = supportMonths(method);
    const first = window === null ? historyFrom : addMonths(table.month, -window);
    const key = `${cell} ${first}`;
    let n = sums.get(key);
    if (n === undefined) {
      n = 0;
      const i = cellIndex.get(cell)!;
      for (let t = 0; t < months.length; t++) if (months[t]! >= first) n += support[t * ranked.length + i]!;
      sums.set(key, n);
    }
    return n;
  };
  const withheld: Record<string, number> = {};
  const cells: PatrolForecast["cells"] = [];
  for (const c of rows) {
    withheld[c.method] ??= 0;
    if (releasedCount(supportOf(c.cell, c.method), rules) === null) {
      withheld[c.method]!++;
      continue;
    }
    cells.push({
      method: c.method,
      rank: c.rank,
      cell: c.cell,
      score: null,
      area_km2: round(c.area_km2, 3),
      cumulative_area_share: round(c.cumulative_area_share, 4),
    });
  }
  const why = chosenOf(rows.find((r) => r.method === SELECTED_METHOD && r.rank === 1));
  // Margin and gain are means over the selection's backtest months: withheld where one of those months is (selectionEvidenceReleased).
  // Without a published backtest no month of them is published, so none can be solved for.
  const comparable = why !== undefined && why.runner_up !== null;
  const evidenceWithheld =
    comparable && evidenceReleased !== null && !evidenceReleased(table.month, [...why.method.split(" + "), BASELINE_METHOD, why.runner_up!], why.months);
  return {
    month: table.month,
    category: table.category,
    all_excludes: excludes,
    history_from: historyFrom,
    history_to: historyTo,
    area_share: areaShareOf(table.month, recorded, rows),
    methods: [...new Set(rows.map((c) => c.method))].sort((a, b) => Number(b === SELECTED_METHOD) - Number(a === SELECTED_METHOD)),
    chosen: why
      ? {
          method: why.method,
          reason: why.reason,
          // Where the choice had nothing to compare (too little history, no runner-up) the lake has no
          // margin: published as null, which the page words "no runner-up", never as a margin of 0.
          margin: !comparable || evidenceWithheld || why.margin === null ? null : round(why.margin, 4),
          gain_over_baseline: !comparable || evidenceWithheld || why.gain === null ? null : round(why.gain, 4),
          runner_up: why.runner_up,
          months: why.months,
          withheld: evidenceWithheld,
        }
      : null,
    cells,
    withheld,
  };
}

/** The selection a forecast's first selected row records; its method, reason and months are always written with it. */
function chosenOf(row: ForecastRow | undefined) {
  if (!row) return undefined;
  const { chosen_method: method, selection_reason: reason, selection_months: months } = row;
  if (method === null || reason === null || months === null)
    throw new Error(
      `the selected forecast of ${row.category} for ${row.month} has no chosen method, reason or months: recompute it (hotspots forecast --month ${row.month})`,
    );
  return { method, reason, margin: row.selection_margin, gain: row.gain_over_baseline, runner_up: row.runner_up, months };
}

/**
 * The share of the study area the month's ranked cells cover, for the caption: the share asked for
 * when the manifest's record of the category's last forecast run is of this month (it records one
 * run per category, and a forecast of another month may have run since), else the most any method's
 * listed cells of this month cover — also what a forecast of a number of cells (`--top`) covers.
 */
export function areaShareOf(
  month: string,
  recorded: { month?: string; selection?: { areaShare?: number } } | undefined,
  rows: ReadonlyArray<{ cumulative_area_share: number }>,
): number | null {
  if (recorded?.month === month && recorded.selection?.areaShare !== undefined) return recorded.selection.areaShare;
  if (rows.length === 0) return null;
  return round(Math.max(...rows.map((r) => r.cumulative_area_share)), 4);
}

/**
 * Per share of the area, the months every one of `methods` has among `rows` (the summarised folds):
 * means over them compare the methods on the same months. They are released months only, so such a
 * mean gives back no withheld month. A method with no row at a share leaves that share's set empty.
 */
export function sharedMonths(
  rows: ReadonlyArray<{ method: string; area_target: number; month: string }>,
  methods: readonly string[],
): Map<number, Set<string>> {
  const shares = [...new Set(rows.map((r) => r.area_target))];
  return new Map(
    shares.map((share) => {
      const monthsOf = (method: string) => new Set(rows.filter((r) => r.area_target === share && r.method === method).map((r) => r.month));
      const [first, ...rest] = methods.map(monthsOf);
      return [share, new Set([...(first ?? [])].filter((m) => rest.every((s) => s.has(m))))];
    }),
  );
}

/** Whether a forecast of `month` chosen over the last `months` backtest months before it may publish its margin and gain (selectionEvidenceReleased). */
type EvidenceReleased = (month: string, methods: readonly string[], months: number) => boolean;

async function backtest(
  connection: DuckDBConnection,
  manifest: Manifest,
  table: Partition,
  rules: ReleaseRules,
): Promise<{ data: PatrolBacktest; evidenceReleased: EvidenceReleased }> {
  const rows = await queryRows(
    connection,
    `SELECT method, area_target, forecast_month AS month, cells, hits, incidents, area_share, hit_rate, pai, pai_max, pei_star,
            hits_top_10 AS top10, hits_top_20 AS top20, chosen_method AS chosen
       FROM read_parquet($glob, hive_partitioning = true, union_by_name = true)
      WHERE offence_category = $category AND month = $month AND isfinite(pai) AND isfinite(pei_star) ORDER BY method, area_target, forecast_month`,
    {
      method: z.string(),
      area_target: z.number(),
      month: z.string(),
      cells: z.number(),
      hits: z.number(),
      incidents: z.number(),
      area_share: z.number(),
      hit_rate: z.number(),
      pai: z.number(),
      pai_max: z.number(),
      pei_star: z.number(),
      top10: z.number(),
      top20: z.number(),
      chosen: z.string().nullable(),
    },
    { glob: table.glob, category: table.category, month: table.month },
  );
  const parameters = manifest.parameters?.[`backtests/${table.category}`] as
    { min_history_months?: number; next?: { method?: string }; all_excludes?: string[] } | undefined;
  const drawn = [...new Set([SELECTED_METHOD, BASELINE_METHOD, "last-month", ...(parameters?.next?.method ? [parameters.next.method] : [])])].filter((m) =>
    rows.some((r) => r.method === m),
  );
  // Only the months whose figures the release rules let out (releasedBacktestFolds) are shown or averaged.
  const release = releasedBacktestFolds(rows, rules);
  const backtestMonths = [...new Set(rows.map((r) => r.month))].sort();
  const evidenceReleased: EvidenceReleased = (month, methods, months) => {
    const before = backtestMonths.filter((m) => m < month);
    // Fewer months than the selection used: they are not this backtest's, and nothing shows them safe.
    if (before.length < months) return false;
    return selectionEvidenceReleased(rows, release.published, { methods, months: before.slice(before.length - months), shares: DECISION_SHARES });
  };
  const groups = new Map<string, typeof rows>();
  for (const r of rows.filter((r) => release.summarised.has(r))) {
    const key = `${r.method}\u0000${r.area_target}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(r);
  }
  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  // The bars set the drawn methods side by side: over the months every one of them released at the share.
  const shared = sharedMonths([...groups.values()].flat(), drawn);
  const summary = [...groups.values()].map((g) => {
    const { method, area_target } = g[0]!;
    const reference = groups.get(`${BASELINE_METHOD}\u0000${area_target}`) ?? [];
    const byMonth = new Map(reference.map((r) => [r.month, r]));
    // As the backtest summarises it (rolling-backtest.ts): a month caught alike, as many incidents in as many cells, is a tie.
    const v = pairedComparison(
      g.map((r) => r.pai),
      g.map((r) => byMonth.get(r.month)?.pai ?? Number.NaN),
      0.95,
      g.map((r) => caughtAlike(r, byMonth.get(r.month))),
    );
    const r2 = (x: number) => (Number.isFinite(x) ? round(x, 2) : null);
    const common = g.filter((r) => shared.get(area_target)?.has(r.month));
    const commonMean = (values: number[], digits: number) => (values.length === 0 ? null : round(mean(values), digits));
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
      shared: {
        months: common.length,
        hit_rate: commonMean(
          common.map((r) => r.hit_rate),
          4,
        ),
        pai: commonMean(
          common.map((r) => r.pai),
          2,
        ),
        pei_star: commonMean(
          common.map((r) => r.pei_star),
          4,
        ),
      },
      vs_baseline: {
        months: v.n,
        mean_difference: r2(v.meanDifference) ?? 0,
        ci_low: r2(v.ciLow),
        ci_high: r2(v.ciHigh),
        wins: v.wins,
        losses: v.losses,
        ties: v.ties,
      },
    };
  });
  const monthly = rows.filter((r) => drawn.includes(r.method));
  const data: PatrolBacktest = {
    category: table.category,
    // What the lake's backtest of all offences left out, as it recorded it (nothing when it did not say).
    all_excludes: table.category === ALL_OFFENCES ? [...(parameters?.all_excludes ?? [])].sort() : [],
    first_month: monthly.reduce((m, x) => (x.month < m ? x.month : m), monthly[0]?.month ?? ""),
    last_month: monthly.reduce((m, x) => (x.month > m ? x.month : m), ""),
    min_history_months: parameters?.min_history_months ?? 0,
    methods: drawn,
    summary,
    monthly: monthly.map((r) => {
      const shown = release.published.has(r);
      return {
        method: r.method,
        area_target: r.area_target,
        month: r.month,
        hit_rate: shown ? round(r.hit_rate, 4) : null,
        pai: shown ? round(r.pai, 2) : null,
        pei_star: shown ? round(r.pei_star, 4) : null,
        chosen: r.chosen,
      };
    }),
  };
  return { data, evidenceReleased };
}
