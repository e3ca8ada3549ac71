/**
 * A candidate tried for issue 14 and not adopted: each cell's rate since its last change point, found
 * by PELT [@killick2012] with the Poisson cost −2·(S log(S/L) − S) of a segment of L months holding S
 * incidents and a penalty of pen·log(t) per change (pen = 1, BIC-like; pen = 3, sparser), stacked on
 * last-12-months at the weights of the product's stacked forecasts (`stackedScores`). It is the
 * per-cell answer to a city whose busy places move (the Tempe r9 diagnosis of
 * `forecast-list-changes.ts --blocks`): a cell whose level changed is ranked by its counts since.
 *
 * It writes a copy of an evidence file (`forecast-datasets.ts --evidence`) with the eight candidates'
 * rows added, on the same data sets, resolutions and backtest months, so that the selection replay can
 * weigh them beside the product's:
 *
 *   npx tsx bench/forecast-datasets.ts --json --evidence folds.jsonl
 *   npx tsx bench/forecast-changepoint-trial.ts folds.jsonl folds-pelt.jsonl
 *   npx tsx bench/forecast-selection-replay.ts folds-pelt.jsonl --eligible '^(stacked\(|ewma-fitted$)'
 *   npx tsx bench/forecast-changepoint-trial.ts --check    # PELT against optimal partitioning
 *
 * `--check` compares the pruned search with exhaustive optimal partitioning [@jackson2005], which it
 * must equal exactly [@killick2012, Theorem 3.1], on 4,000 random Poisson series with one change.
 *
 * Measured on the bench's evidence (16 figures, 76 twelve-month blocks), the eight candidates
 * selectable beside the product's: figures at or above the baseline over the last 12 months 15/16 as
 * before (Tempe r9 5 % still −0.23: never chosen there), blocks at or above it 91 % → 88 %, mean gain
 * +4.89 % → +4.60 %; no change-point candidate is at or above the baseline on Tempe r9 5 % over its
 * last 12 months. Per-cell counts are too sparse for their changes to be found before they pay.
 *
 * killick2012 — Killick, R., Fearnhead, P. & Eckley, I. A. (2012). Optimal detection of changepoints
 *   with a linear computational cost. *JASA* 107(500), 1590–1598.
 * jackson2005 — Jackson, B. et al. (2005). An algorithm for optimal partitioning of data on an
 *   interval. *IEEE Signal Processing Letters* 12(2), 105–108.
 */
import { writeFileSync } from "node:fs";
import { ALL_OFFENCES, monthSlice } from "../etl/analytics/cell-month-grid.ts";
import { cellAreasKm2, cellsCovering, rankCells } from "../etl/analytics/cell-selection.ts";
import { BASELINE_METHOD, candidateScorer, candidatesNamed, scoringContext, STACK_WEIGHTS } from "../etl/analytics/forecast-candidates.ts";
import { forecastAccuracy } from "../etl/analytics/forecast-accuracy.ts";
import { stackedScores } from "../etl/analytics/forecast-stacking.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { DECISION_SHARES, SELECTED_METHOD } from "../etl/analytics/rolling-backtest.ts";
import { DATASETS, datasetGrid, datasetLake, MIN_HISTORY } from "./forecast-dataset-grids.ts";
import { readEvidence, type EvidenceRow } from "./forecast-evidence.ts";

const PENALTIES = [1, 3] as const;

/** Optimal segmentation of x[0..len) under the Poisson cost and `beta` per change: the last segment's start and the optimum. */
function segmentation(x: ArrayLike<number>, len: number, beta: number, prune: boolean): { start: number; cost: number } {
  const cum = new Float64Array(len + 1);
  for (let i = 0; i < len; i++) cum[i + 1] = cum[i]! + x[i]!;
  const cost = (a: number, b: number) => {
    const s = cum[b]! - cum[a]!;
    return s > 0 ? -2 * (s * Math.log(s / (b - a)) - s) : 0;
  };
  const best = new Float64Array(len + 1);
  best[0] = -beta;
  const start = new Int32Array(len + 1);
  let candidates = [0];
  for (let t = 1; t <= len; t++) {
    const from = prune ? candidates : Array.from({ length: t }, (_, s) => s);
    const values = from.map((s) => best[s]! + cost(s, t) + beta);
    let m = 0;
    for (let k = 1; k < values.length; k++) if (values[k]! < values[m]!) m = k;
    best[t] = values[m]!;
    start[t] = from[m]!;
    // PELT's pruning: a start that cannot beat the optimum even after a further change is never one again.
    if (prune) candidates = [...from.filter((_, k) => values[k]! - beta <= best[t]!), t];
  }
  return { start: start[len]!, cost: best[len]! };
}

/** Each cell's mean monthly count since its last change point before `origin`. */
function rateSinceChange(series: readonly Float64Array[], origin: number, pen: number): Float64Array {
  return Float64Array.from(series, (x) => {
    let total = 0;
    for (let t = 0; t < origin; t++) total += x[t]!;
    if (total === 0) return 0;
    const { start } = segmentation(x, origin, pen * Math.log(origin), true);
    let since = 0;
    for (let t = start; t < origin; t++) since += x[t]!;
    return since / (origin - start);
  });
}

const args = process.argv.slice(2);
if (args.includes("--check")) {
  let seed = 7;
  const uniform = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const poisson = (mean: number) => {
    let k = 0;
    let p = Math.exp(-mean);
    let s = p;
    const u = uniform();
    while (u > s) {
      p *= mean / ++k;
      s += p;
    }
    return k;
  };
  let differ = 0;
  let series = 0;
  for (let trial = 0; trial < 2000; trial++) {
    const len = 12 + Math.floor(uniform() * 100);
    const change = Math.floor(uniform() * len);
    const [before, after] = [uniform() * 0.5, uniform() * 3];
    const x = Array.from({ length: len }, (_, t) => poisson(t < change ? before : after));
    for (const pen of PENALTIES) {
      series++;
      const a = segmentation(x, len, pen * Math.log(len), true);
      const b = segmentation(x, len, pen * Math.log(len), false);
      if (a.start !== b.start || Math.abs(a.cost - b.cost) > 1e-9) differ++;
    }
  }
  console.log(`${series} series: PELT differs from optimal partitioning on ${differ}`);
  process.exit(differ === 0 ? 0 : 1);
}

const [input, output] = args;
if (input === undefined || output === undefined)
  throw new Error("give the evidence file to read and the file to write: forecast-changepoint-trial.ts folds.jsonl folds-pelt.jsonl");
const rows = readEvidence(input);
const out: EvidenceRow[] = [];
for (const data of DATASETS) {
  for (const resolution of [...new Set(rows.filter((r) => r.data === data.name).map((r) => r.resolution))]) {
    const group = rows.filter((r) => r.data === data.name && r.resolution === resolution);
    const settings = await datasetLake(data, resolution);
    const grid = await datasetGrid(data, settings, ALL_OFFENCES);
    const n = grid.cells.length;
    const context = scoringContext(grid, kRingWeights(grid.cells, settings.k));
    const baseline = candidateScorer(candidatesNamed([BASELINE_METHOD])[0]!, context);
    const areas = cellAreasKm2(grid.cells);
    const limit = Math.max(cellsCovering(areas, Math.max(...DECISION_SHARES)), 20);
    const series = grid.cells.map((_, c) => Float64Array.from(grid.months, (_, t) => grid.counts[t * n + c]!));
    const origins = group[0]!.months.map((m) => grid.months.indexOf(m));
    if (origins.some((t) => t < MIN_HISTORY))
      throw new Error(`${data.name} r${resolution}: the evidence's months are not this grid's; write it again with forecast-datasets.ts`);
    const added = new Map<string, number[][]>();
    for (const t of origins) {
      const actual = monthSlice(grid, t);
      const b = baseline(t);
      for (const pen of PENALTIES) {
        const rate = rateSinceChange(series, t, pen);
        for (const w of STACK_WEIGHTS) {
          const s = stackedScores(b.score, rate, w);
          const order = rankCells(s.score, s.tieBreak, limit);
          const method = `stacked(pelt(pen=${pen}),w=${w})`;
          const pai = added.get(method) ?? DECISION_SHARES.map(() => []);
          DECISION_SHARES.forEach((share, k) => pai[k]!.push(forecastAccuracy(order, actual, areas, share).pai));
          added.set(method, pai);
        }
      }
    }
    const extra = [...added].map(([method, pai]) => ({ data: data.name, resolution, method, months: group[0]!.months, pai }));
    out.push(...group.filter((r) => r.method !== SELECTED_METHOD), ...extra, ...group.filter((r) => r.method === SELECTED_METHOD));
    console.log(`${data.name} r${resolution}: ${extra.length} change-point candidates over ${origins.length} months`);
  }
}
writeFileSync(output, out.map((r) => JSON.stringify(r)).join("\n") + "\n");
