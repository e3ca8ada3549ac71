/**
 * How much of issue 14's "Done when" figure (the selected method's mean PAI over the last 12 backtest
 * months at least the last-12-months baseline's, on every data set, resolution and share) is noise:
 * from the evidence that `bench/forecast-datasets.ts --evidence` saved, for each figure
 *
 * - the last 12 months' paired difference (mean, 95 % EWC interval (pairedComparison), months won/lost);
 * - the same over every backtest month (the difference the method makes in expectation);
 * - the share of every 12-month window (overlapping, one ending at each backtest month from the 12th)
 *   in which the method's mean PAI is at least the baseline's: how often a check made at a random
 *   month passes, and where the last 12 months' difference falls among the windows' (its rank);
 *
 * and over all figures: the expected number of figures below the baseline in a random window
 * (Σ of 1 − share), and the share of windows, per data set, in which all of its figures pass at once
 * (both resolutions and shares, windows aligned by their last month), multiplied over the data sets
 * (data sets are different cities, so independent) — the chance that a check at a random month finds
 * every figure at or above the baseline, for a method whose record is this one.
 *
 *   npx tsx bench/forecast-figure-noise.ts folds.jsonl                         # "selected" as recorded
 *   npx tsx bench/forecast-figure-noise.ts folds.jsonl --method 'ewma-fitted'  # any candidate of the evidence
 */
import { BASELINE_METHOD } from "../etl/analytics/forecast-candidates.ts";
import { pairedComparison } from "../etl/analytics/paired-comparison.ts";
import { DECISION_SHARES, SELECTED_METHOD } from "../etl/analytics/rolling-backtest.ts";
import { readEvidence } from "./forecast-evidence.ts";

const WINDOW = 12;
const args = process.argv.slice(2);
const file = args[0];
if (file === undefined || file.startsWith("--"))
  throw new Error("give the evidence file that `bench/forecast-datasets.ts --evidence <file>` wrote as the first argument");
const method = args.includes("--method") ? args[args.indexOf("--method") + 1]! : SELECTED_METHOD;

const rows = readEvidence(file);
const find = (data: string, resolution: number, label: string) => rows.find((r) => r.data === data && r.resolution === resolution && r.method === label);
const sets = [...new Set(rows.map((r) => r.data))];

let expectedFailures = 0;
let allPass = 1;
let figures = 0;
for (const data of sets) {
  // passes.get(last month)[figure]: whether the window ending at that month is at or above the baseline.
  const passes = new Map<string, boolean[]>();
  let perSet = 0;
  for (const resolution of [...new Set(rows.filter((r) => r.data === data).map((r) => r.resolution))]) {
    const m = find(data, resolution, method);
    const b = find(data, resolution, BASELINE_METHOD);
    if (m === undefined || b === undefined)
      throw new Error(`${data} r${resolution}: the evidence has no '${method}' or '${BASELINE_METHOD}' rows; name a method of the evidence`);
    for (let s = 0; s < b.pai.length; s++) {
      const x = m.pai[s]!;
      const y = b.pai[s]!;
      const n = x.length;
      const last = pairedComparison(x.slice(-WINDOW), y.slice(-WINDOW));
      const all = pairedComparison(x, y);
      const diffs: number[] = [];
      for (let end = WINDOW; end <= n; end++) {
        let d = 0;
        for (let t = end - WINDOW; t < end; t++) d += x[t]! - y[t]!;
        diffs.push(d / WINDOW);
        const pass = d >= -1e-9;
        const month = b.months[end - 1]!;
        passes.set(month, [...(passes.get(month) ?? []), pass]);
      }
      const share = diffs.filter((d) => d >= -1e-9).length / diffs.length;
      const rank = diffs.filter((d) => d < diffs.at(-1)! - 1e-12).length / diffs.length;
      expectedFailures += 1 - share;
      figures++;
      perSet++;
      console.log(
        `${data} r${resolution} ${Math.round(100 * DECISION_SHARES[s]!)} %: last ${WINDOW} ${signed(last.meanDifference)} [${signed(last.ciLow)}, ${signed(last.ciHigh)}] ` +
          `W/L ${last.wins}/${last.losses}; all ${n} ${signed(all.meanDifference)} [${signed(all.ciLow)}, ${signed(all.ciHigh)}]; ` +
          `${diffs.length} windows ≥ baseline ${percent(share)}, last window at the ${percent(rank)} point of them`,
      );
    }
  }
  const complete = [...passes.values()].filter((p) => p.length === perSet);
  const joint = complete.filter((p) => p.every(Boolean)).length / complete.length;
  allPass *= joint;
  console.log(`${data}: all ${perSet} figures ≥ baseline in ${percent(joint)} of ${complete.length} windows`);
}
console.log(
  `${method}: expected figures below the baseline in a random window ${expectedFailures.toFixed(2)} of ${figures}; ` +
    `chance all ${figures} are at or above it (data sets independent) ${percent(allPass)}`,
);

function signed(x: number): string {
  return `${x >= 0 ? "+" : ""}${x.toFixed(2)}`;
}
function percent(x: number): string {
  return `${Math.round(100 * x)} %`;
}
