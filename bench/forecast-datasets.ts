/**
 * Patrol-forecast accuracy per data set (issue 14, "Done when"): the bundled Šiauliai data and every
 * real data set in ../shared/data/real with at least 24 months, each at H3 resolutions 8 and 9, with
 * the study area a user of that data would have (the municipalities for the bundled data, the hull of
 * the incidents before the first forecast month elsewhere, as `backtest --hull` builds it). For each:
 * the rolling-origin backtest of every method with the nested selection (`rollingBacktest`, exactly
 * what `backtest` runs), and per decision share (1 %, 5 %) the mean PAI of "selected" and of the two
 * baselines over the last 12 backtest months and over all of them, with the paired comparison of
 * "selected" against last-12-months (mean difference, 95 % EWC interval (pairedComparison), months won/lost/tied).
 *
 *   npx tsx bench/forecast-datasets.ts                         # every data set, resolutions 8 and 9
 *   npx tsx bench/forecast-datasets.ts --only medellin --resolutions 9
 *   npx tsx bench/forecast-datasets.ts --json                  # one JSON line per data set and resolution
 *   npx tsx bench/forecast-datasets.ts --only siauliai --category theft   # one offence category (default: all)
 *   npx tsx bench/forecast-datasets.ts --evidence folds.jsonl  # also every candidate's PAI per decision share and month
 *   npx tsx bench/forecast-datasets.ts --sweep --only medellin # held-out subsets instead (sweepDatasets)
 *   npx tsx bench/forecast-datasets.ts --only tempe --months 24 # the first 24 months only (a short export)
 *
 * The data sets, their lakes and study areas: `forecast-dataset-grids.ts`. The evidence file feeds
 * `forecast-selection-replay.ts` (selection rules on the same months) and the lakes
 * `forecast-list-changes.ts` (which cells a method's list swaps against the baseline's, and why).
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { ALL_OFFENCES } from "../etl/analytics/cell-month-grid.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { pairedComparison, type PairedComparison } from "../etl/analytics/paired-comparison.ts";
import { DECISION_SHARES, rollingBacktest, SELECTED_METHOD, type BacktestFold } from "../etl/analytics/rolling-backtest.ts";
import { DEFAULT_SELECTION, type SelectionOptions } from "../etl/analytics/forecast-selection.ts";
import { DATASETS, datasetGrid, datasetLake, MIN_HISTORY, sweepDatasets } from "./forecast-dataset-grids.ts";

const BASELINES = ["last-12-months", "last-month"] as const;

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = option("--only");
const resolutions = (option("--resolutions") ?? "8,9").split(",").map(Number);
const json = args.includes("--json");
const category = option("--category") ?? ALL_OFFENCES;
const months = option("--months") === undefined ? undefined : Number(option("--months"));
const datasets = args.includes("--sweep") ? sweepDatasets() : DATASETS;
// --selection '{"window":24}' overrides selection options, to see how the defaults' choices matter.
const selection = { ...DEFAULT_SELECTION, ...(JSON.parse(option("--selection") ?? "{}") as Partial<SelectionOptions>) };
// --evidence <file>: one JSON line per data set, resolution and candidate with its PAI per decision share and
// backtest month, so that selection rules can be compared on the same evidence without rescoring.
const evidence = option("--evidence");
if (evidence !== undefined) writeFileSync(evidence, "");

for (const data of datasets.filter((d) => only === undefined || d.name.includes(only))) {
  for (const resolution of resolutions) {
    const settings = await datasetLake(data, resolution);
    // The configuration's name in the output and the evidence (the replay groups by it).
    const label = [data.name, ...(category === ALL_OFFENCES ? [] : [category]), ...(months === undefined ? [] : [`${months}m`])].join("/");
    const started = performance.now();
    const grid = await datasetGrid(data, settings, category, months);
    const result = rollingBacktest(grid, kRingWeights(grid.cells, settings.k), { minHistory: MIN_HISTORY, selection });
    const seconds = (performance.now() - started) / 1000;
    const pai = (method: string, share: number) => result.folds.filter((f) => f.method === method && f.areaTarget === share);
    const shares = DECISION_SHARES.map((share) => {
      const selected = pai(SELECTED_METHOD, share);
      const baseline = pai(BASELINES[0], share);
      const mean = (f: readonly BacktestFold[]) => f.reduce((s, x) => s + x.pai, 0) / f.length;
      const versus = (n: number): PairedComparison =>
        pairedComparison(
          selected.slice(-n).map((f) => f.pai),
          baseline.slice(-n).map((f) => f.pai),
        );
      return {
        share,
        last12: { selected: mean(selected.slice(-12)), ...Object.fromEntries(BASELINES.map((b) => [b, mean(pai(b, share).slice(-12))])), versus: versus(12) },
        all: { selected: mean(selected), ...Object.fromEntries(BASELINES.map((b) => [b, mean(pai(b, share))])), versus: versus(selected.length) },
        chosen: Object.entries(countBy(selected.slice(-12).map((f) => f.chosen ?? ""))).sort((a, b) => b[1] - a[1]),
      };
    });
    if (evidence !== undefined)
      for (const method of [...result.candidates.map((c) => c.method), SELECTED_METHOD])
        appendFileSync(
          evidence,
          JSON.stringify({
            data: label,
            resolution,
            method,
            months: pai(method, DECISION_SHARES[0]).map((f) => f.month),
            pai: DECISION_SHARES.map((share) => pai(method, share).map((f) => f.pai)),
            chosen: method === SELECTED_METHOD ? pai(method, DECISION_SHARES[0]).map((f) => f.chosen) : undefined,
          }) + "\n",
        );
    const incidents = grid.counts.reduce((s, v) => s + v, 0);
    const folds = pai(SELECTED_METHOD, DECISION_SHARES[0]).length;
    const record = {
      data: label,
      category,
      resolution,
      cells: grid.cells.length,
      months: grid.months.length,
      incidents,
      folds,
      backtest_s: round(seconds),
      next: result.next,
      shares,
    };
    if (json) console.log(JSON.stringify(record));
    else print(record);
  }
}

function print(r: {
  data: string;
  category: string;
  resolution: number;
  cells: number;
  months: number;
  incidents: number;
  folds: number;
  backtest_s: number;
  next: { method: string; reason: string };
  shares: Array<{
    share: number;
    last12: Record<string, unknown> & { versus: PairedComparison };
    all: Record<string, unknown> & { versus: PairedComparison };
    chosen: Array<[string, number]>;
  }>;
}): void {
  console.log(
    `\n${r.data} (${r.category}), res ${r.resolution}: ${r.cells} cells, ${r.months} months, ${r.incidents} incidents, ${r.folds} backtest months, ${r.backtest_s} s; next: ${r.next.method} (${r.next.reason})`,
  );
  for (const s of r.shares) {
    for (const [span, v] of [
      ["last 12", s.last12],
      ["all", s.all],
    ] as const) {
      const c = v.versus;
      console.log(
        `  ${(100 * s.share).toFixed(0)} % ${span.padEnd(7)} selected ${f2(v.selected)}  last-12-months ${f2(v["last-12-months"])}  last-month ${f2(v["last-month"])}  ` +
          `diff ${signed(c.meanDifference)} [${signed(c.ciLow)}, ${signed(c.ciHigh)}] W/L/T ${c.wins}/${c.losses}/${c.ties}`,
      );
    }
    console.log(`       chosen in the last 12: ${s.chosen.map(([m, n]) => `${m} ×${n}`).join("; ")}`);
  }
}

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
function f2(v: unknown): string {
  return (typeof v === "number" ? v.toFixed(2) : "–").padStart(7);
}
function signed(x: number): string {
  return Number.isFinite(x) ? `${x >= 0 ? "+" : ""}${x.toFixed(2)}` : "–";
}
function round(v: number): number {
  return Math.round(v * 10) / 10;
}
