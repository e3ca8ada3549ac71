/**
 * Issue 14's "the figures will also be checked on data that is not in the repo", approached with the
 * data that is: every real data set of the forecast benches cut into windows of `--span` months (36 by
 * default, stepping by the same), each backtested as a new user holding only that window would see it
 * — the nested selection from the window's own months, with no earlier folds — so that one city's
 * years stand in for cities the selection's defaults were never shown. The hull study area is built
 * from the incidents before the window's 13th month, which in a later window includes the lake's
 * earlier years too (`lakeGrid` has no lower bound for it): a somewhat larger area than a user with
 * only the window would get, the same for every method.
 * Per window, resolution and decision share: the mean PAI of "selected" and of last-12-months over all
 * of the window's backtest months and the paired comparison (mean difference, 95 % EWC interval (pairedComparison),
 * months won/lost). A window where the interval lies wholly below 0 is the product losing to the
 * baseline by more than noise; it is flagged.
 *
 *   npx tsx bench/forecast-history-windows.ts                      # 36-month windows, resolutions 8 and 9
 *   npx tsx bench/forecast-history-windows.ts --span 24 --resolutions 9 --only medellin
 */
import { withConnection } from "../etl/duckdb/connection.ts";
import { ALL_OFFENCES } from "../etl/analytics/cell-month-grid.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { firstLakeMonth, lakeGrid } from "../etl/analytics/lake-grid.ts";
import { addMonths, monthRange } from "../etl/analytics/monthly-counts.ts";
import { pairedComparison } from "../etl/analytics/paired-comparison.ts";
import { BASELINE_METHOD } from "../etl/analytics/forecast-candidates.ts";
import { DECISION_SHARES, rollingBacktest, SELECTED_METHOD } from "../etl/analytics/rolling-backtest.ts";
import { DATASETS, datasetLake, MIN_HISTORY } from "./forecast-dataset-grids.ts";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = option("--only");
const span = Number(option("--span") ?? 36);
const resolutions = (option("--resolutions") ?? "8,9").split(",").map(Number);
if (!(Number.isInteger(span) && span >= MIN_HISTORY + 6))
  throw new Error(
    `--span must be a whole number of months of at least ${MIN_HISTORY + 6} (${MIN_HISTORY} of history and 6 backtest months), got ${option("--span")}`,
  );

let windows = 0;
let below = 0;
let behind = 0;
for (const data of DATASETS.filter((d) => only === undefined || d.name.includes(only))) {
  for (const resolution of resolutions) {
    const settings = await datasetLake(data, resolution);
    const grids = await withConnection(async (connection) => {
      const first = await firstLakeMonth(connection, settings, ALL_OFFENCES);
      const last = (await lakeGrid(connection, settings, { category: ALL_OFFENCES })).grid.months.at(-1);
      if (first === null || last === undefined) return [];
      const months = monthRange(first, last);
      const out = [];
      for (let start = 0; start + span <= months.length; start += span) {
        const from = months[start]!;
        const request = { category: ALL_OFFENCES, from, to: months[start + span - 1]! };
        const hull = data.hull ? { hullRing: 1, hullBefore: addMonths(from, MIN_HISTORY) } : {};
        out.push((await lakeGrid(connection, settings, { ...request, ...hull })).grid);
      }
      return out;
    });
    for (const grid of grids) {
      const result = rollingBacktest(grid, kRingWeights(grid.cells, settings.k), { minHistory: MIN_HISTORY });
      const line = DECISION_SHARES.map((share) => {
        const pai = (method: string) => result.folds.filter((f) => f.method === method && f.areaTarget === share).map((f) => f.pai);
        const selected = pai(SELECTED_METHOD);
        const baseline = pai(BASELINE_METHOD);
        const v = pairedComparison(selected, baseline);
        const mean = (x: number[]) => x.reduce((s, y) => s + y, 0) / x.length;
        windows++;
        if (v.meanDifference < 0) behind++;
        const flag = v.ciHigh < 0 ? " BELOW BY MORE THAN NOISE" : "";
        if (flag) below++;
        return `${100 * share} %: ${mean(selected).toFixed(2)} / ${mean(baseline).toFixed(2)}, ${signed(v.meanDifference)} [${signed(v.ciLow)}, ${signed(v.ciHigh)}] W/L ${v.wins}/${v.losses}${flag}`;
      });
      console.log(
        `${data.name} r${resolution} ${grid.months[0]} – ${grid.months.at(-1)} (${grid.cells.length} cells, ${grid.counts.reduce((s, c) => s + c, 0)} incidents): ${line.join("; ")}`,
      );
    }
  }
}
console.log(
  `${windows} window figures (window × resolution × share): selected behind the baseline on ${behind}, below it by more than noise (interval wholly below 0) on ${below}`,
);

function signed(v: number): string {
  return Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${v.toFixed(2)}` : "–";
}
