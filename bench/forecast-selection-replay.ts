/**
 * Replays the nested method selection on the evidence that `bench/forecast-datasets.ts --evidence`
 * saved (every candidate's PAI per decision share and backtest month), so that a selection rule can
 * be compared with the product's on the same months without rescoring a single forecast (seconds
 * instead of minutes). For each data set and resolution, month by month, it calls the product's
 * `selectByBacktest` on the months before (nested, as `rollingBacktest` does) and takes the chosen
 * candidate's PAI; then it prints the issue-14 figures — the mean PAI of the replayed "selected" and
 * of last-12-months over the last 12 backtest months, per decision share — and the summary over every
 * non-overlapping 12-month block counted back from the last month with at least 12 backtest months
 * before it: the share of blocks where "selected" is at least the baseline and strictly above it, and
 * the mean and worst relative gain.
 *
 * With the product's defaults it must reproduce the "selected" rows the bench recorded (it prints
 * how many months differ), which checks the replay itself.
 *
 *   npx tsx bench/forecast-datasets.ts --json --evidence folds.jsonl > figures.jsonl
 *   npx tsx bench/forecast-selection-replay.ts folds.jsonl                    # the product's rule
 *   npx tsx bench/forecast-selection-replay.ts folds.jsonl --selection '{"standardErrors":2,"resamples":0}'
 *   npx tsx bench/forecast-selection-replay.ts folds.jsonl --eligible 'w=0\)$'  # candidates whose label matches
 *   npx tsx bench/forecast-selection-replay.ts folds.jsonl --per-share        # one choice per decision share
 *   npx tsx bench/forecast-selection-replay.ts folds.jsonl --joint            # the worse share's relative difference, month by month
 *   npx tsx bench/forecast-selection-replay.ts folds.jsonl --rank-by-gain     # of the methods past the margin, the largest worse-share gain
 *   npx tsx bench/forecast-selection-replay.ts folds.jsonl --selection '{"halfLife":12}'   # recent months weigh more
 *   npx tsx bench/forecast-selection-replay.ts folds.jsonl --recorded         # the recorded "selected" only
 *   npx tsx bench/forecast-selection-replay.ts folds.jsonl --cell-id-ties     # a kept baseline published as it is, ties by cell id
 *   npx tsx bench/forecast-selection-replay.ts folds.jsonl --reference 'stacked(kde(b=1,h=24),w=0)' --eligible 'w=0\.'
 *                                               # challengers must beat the tie-broken baseline, not last-12-months
 *
 * `--per-share` chooses separately at each share (as a 1 % list from one method and a 5 % list from
 * another would); its figures are then those of each share's own choice.
 */
import { DEFAULT_SELECTION, selectByBacktest, type MethodSelection, type SelectionOptions } from "../etl/analytics/forecast-selection.ts";
import { BASELINE_METHOD } from "../etl/analytics/forecast-candidates.ts";
import { candidateList, DECISION_SHARES, publishedMethods, selectable, SELECTED_METHOD } from "../etl/analytics/rolling-backtest.ts";
import { readEvidence, type EvidenceRow } from "./forecast-evidence.ts";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const file = args[0];
if (file === undefined || file.startsWith("--"))
  throw new Error("give the evidence file that `bench/forecast-datasets.ts --evidence <file>` wrote as the first argument");
const selection: SelectionOptions = { ...DEFAULT_SELECTION, ...(JSON.parse(option("--selection") ?? "{}") as Partial<SelectionOptions>) };
const eligiblePattern = option("--eligible");
const perShare = args.includes("--per-share");
// --joint: one paired series per candidate, its worse relative difference from the reference over the shares each month.
const joint = args.includes("--joint");
// --rank-by-gain: the baseline is left as the product leaves it, but the method taken is the one of largest worse-share mean gain.
const rankByGain = args.includes("--rank-by-gain");
const recordedOnly = args.includes("--recorded");
const cellIdTies = args.includes("--cell-id-ties");
// --reference <label>: challengers are measured against this candidate instead of the baseline, and it is kept when none beats it.
const referenceLabel = option("--reference");
const BLOCK = 12;

const groups = new Map<string, EvidenceRow[]>();
for (const row of readEvidence(file)) {
  const key = `${row.data} r${row.resolution}`;
  groups.set(key, [...(groups.get(key) ?? []), row]);
}
if (groups.size === 0) throw new Error(`${file} holds no evidence rows; write it with bench/forecast-datasets.ts --evidence ${file}`);

// The product's own eligible set (`selectable`: the stacked candidates and ewma-fitted), by label, unless --eligible names others.
const all = candidateList();
const productEligible = new Set((selectable(all) ?? all.map((_, m) => m)).map((m) => all[m]!.method));
const gains: number[] = [];
let atLeast = 0;
let above = 0;
let figures = 0;
for (const [key, rows] of groups) {
  const candidates = rows.filter((r) => r.method !== SELECTED_METHOD);
  const recorded = rows.find((r) => r.method === SELECTED_METHOD);
  const pai = candidates.map((r) => r.pai.map((series) => Float64Array.from(series)));
  const baseline = candidates.findIndex((r) => r.method === BASELINE_METHOD);
  if (baseline < 0) throw new Error(`${key}: the evidence has no ${BASELINE_METHOD} rows`);
  const pattern = eligiblePattern === undefined ? null : new RegExp(eligiblePattern);
  const eligible = candidates.flatMap((r, m) => ((pattern === null ? productEligible.has(r.method) : pattern.test(r.method)) ? [m] : []));
  // What the product publishes for a choice (the kept baseline with its ties broken by risk, unless --cell-id-ties).
  const published = (choice: MethodSelection) => (cellIdTies ? choice.chosen : publishedMethods(choice, candidates)[0]!);
  const reference = referenceLabel === undefined ? baseline : candidates.findIndex((r) => r.method === referenceLabel);
  if (reference < 0) throw new Error(`${key}: --reference '${referenceLabel}' is not a candidate of the evidence; write one of its method labels`);
  const shares = pai[baseline]!.length;
  const folds = pai[baseline]![0]!.length;
  // chosen[s][f]: the candidate whose forecast "selected" uses at share s in month f.
  const chosen = Array.from({ length: shares }, () => new Int32Array(folds));
  if (!recordedOnly)
    for (let f = 0; f < folds; f++) {
      const before = Array.from({ length: f }, (_, i) => i);
      if (perShare)
        for (let s = 0; s < shares; s++)
          chosen[s]![f] = published(
            selectByBacktest(
              pai.map((p) => [p[s]!]),
              before,
              reference,
              selection,
              eligible,
            ),
          );
      else if (joint) {
        // One series per candidate: the worse of its two relative differences from the reference each month.
        const used = before.slice(Math.max(0, before.length - selection.window));
        const baseMeans = Array.from({ length: shares }, (_, s) => used.reduce((t, i) => t + pai[reference]![s]![i]!, 0) / Math.max(1, used.length));
        const worse = pai.map((p) => [
          Float64Array.from({ length: folds }, (_, i) =>
            Math.min(...Array.from({ length: shares }, (_, s) => 1 + (baseMeans[s]! > 0 ? (p[s]![i]! - pai[reference]![s]![i]!) / baseMeans[s]! : 0))),
          ),
        ]);
        const c = published(selectByBacktest(worse, before, reference, selection, eligible));
        for (let s = 0; s < shares; s++) chosen[s]![f] = c;
      } else if (rankByGain) {
        // Leave the baseline as the product does (criterion > 0), but among those that may replace it take the largest worse-share gain.
        const choice = selectByBacktest(pai, before, reference, selection, eligible);
        const used = before.slice(Math.max(0, before.length - selection.window));
        const gain = (m: number) =>
          Math.min(
            ...Array.from({ length: shares }, (_, s) => {
              const b = used.reduce((t, i) => t + pai[reference]![s]![i]!, 0);
              return b > 0 ? used.reduce((t, i) => t + pai[m]![s]![i]!, 0) / b - 1 : 0;
            }),
          );
        const passing = eligible.filter((m) => m !== reference && choice.criterion[m]! > 0);
        const best = passing.length === 0 ? null : passing.reduce((a, b) => (gain(b) > gain(a) ? b : a));
        const c = best === null ? published(choice) : best;
        for (let s = 0; s < shares; s++) chosen[s]![f] = c;
      } else {
        const c = published(selectByBacktest(pai, before, reference, selection, eligible));
        for (let s = 0; s < shares; s++) chosen[s]![f] = c;
      }
    }
  const series = (s: number) =>
    recordedOnly ? Float64Array.from(recorded!.pai[s]!) : Float64Array.from({ length: folds }, (_, f) => pai[chosen[s]![f]!]![s]![f]!);
  if (!recordedOnly && recorded?.chosen !== undefined && !perShare && !joint && !rankByGain) {
    const differ = recorded.chosen.filter((label, f) => label !== candidates[chosen[0]![f]!]!.method).length;
    console.log(`${key}: ${differ} of ${folds} months chosen differently from the recorded "selected"`);
  }
  for (let s = 0; s < shares; s++) {
    const selected = series(s);
    const base = pai[baseline]![s]!;
    const a = mean(selected, folds - BLOCK, folds);
    const b = mean(base, folds - BLOCK, folds);
    figures++;
    if (a >= b - 1e-12) atLeast++;
    if (a > b + 1e-12) above++;
    for (let end = folds; end - BLOCK >= BLOCK; end -= BLOCK) {
      const base12 = mean(base, end - BLOCK, end);
      gains.push(base12 > 0 ? mean(selected, end - BLOCK, end) / base12 - 1 : 0);
    }
    const last = recordedOnly ? [] : Array.from(chosen[s]!.subarray(folds - BLOCK), (m) => candidates[m]!.method);
    const counted = [...new Set(last)].map((m) => `${m} ×${last.filter((x) => x === m).length}`).join("; ");
    const share = `${Math.round(100 * (DECISION_SHARES[s] ?? Number.NaN))} %`;
    console.log(`${key} ${share}: selected ${a.toFixed(2)}, ${BASELINE_METHOD} ${b.toFixed(2)} (${signed(a - b)})${counted ? `; chosen: ${counted}` : ""}`);
  }
}
const share = (k: number) => `${Math.round((100 * k) / gains.length)} %`;
console.log(
  `figures (last ${BLOCK} months): selected >= baseline ${atLeast}/${figures}, strictly higher ${above}/${figures}; ` +
    `${gains.length} blocks of ${BLOCK} months: >= ${share(gains.filter((g) => g >= -1e-12).length)}, > ${share(gains.filter((g) => g > 1e-12).length)}, ` +
    `mean gain ${signed((100 * gains.reduce((t, g) => t + g, 0)) / gains.length)} %, worst ${signed(100 * Math.min(...gains))} %`,
);

function mean(values: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i]!;
  return sum / (to - from);
}
function signed(x: number): string {
  return `${x >= 0 ? "+" : ""}${x.toFixed(2)}`;
}
