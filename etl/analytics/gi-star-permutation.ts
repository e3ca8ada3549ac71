import { binomial, extremeSumProbabilities, LeaveOneOutTails, valueCounts, type ValueCounts } from "./sample-sum-distribution.ts";
import { fdrCutoffsOfGroups, STRICTEST_ALPHA } from "./confidence-bins.ts";
import { countTails, monteCarloSums, streamedTailCounts, upperCounts, type MonteCarloSums } from "./sample-sum-monte-carlo.ts";

/** How Gi* p-values are obtained: the normal approximation of z, or conditional randomisation. */
export type HotSpotInference = { method: "normal" } | ({ method: "permutation" } & PermutationOptions);

/** R replicates and the seed of the Monte Carlo fallback; `exactBudget` overrides EXACT_BUDGET (tests). */
export interface PermutationOptions {
  permutations: number;
  seed: number;
  exactBudget?: number;
}

/** Permutation inference by default: exact where cheap, otherwise 9,999 seeded replicates. */
export const DEFAULT_INFERENCE: HotSpotInference = { method: "permutation", permutations: 9999, seed: 20260101 };

/** Cells (as groups sharing the same neighbourhood sum L, number of neighbours W and own value x) to test. */
export interface PermutationGroups {
  sum: ArrayLike<number>;
  size: ArrayLike<number>;
  own: ArrayLike<number>;
  groups: number;
  /** Cells per group, when some groups may be empty (they get p = 1 and are not tested). */
  members?: ArrayLike<number>;
}

/** Per group its two-sided p-value and the tail it lies in (+1 upper: hot, −1 lower: cold, 0 neither), and how it was computed. */
export interface PermutationTest {
  p: Float64Array;
  direction: Float64Array;
  method: "exact" | "monte-carlo";
}

/** The exact expansion's table, kept from month to month (a month's is up to EXACT_BUDGET / 7 doubles). */
let scratch = new Float64Array(0);
/** The groups tested in a call, kept from call to call. */
let liveScratch = new Int32Array(0);
/**
 * The Monte Carlo test's own-value index per group and its table of own values, kept from call to call:
 * a dense month's are kilobytes each, and fresh memory is slow to touch the first time on the bench machine.
 */
let ownOfScratch = new Int32Array(0);
let ownTableScratch = new Int32Array(0);

/** Work units (≈ multiply-adds) up to which the exact distribution is computed instead of sampled. */
export const EXACT_BUDGET = 5_000_000;

/**
 * Gi* p-values by conditional randomisation [@anselin1995; @getis1992; @esda; @spdep], for binary
 * weights with the cell itself included. Under the null hypothesis the cell's own value x_i stays
 * where it is and the month's other n − 1 values are randomly permuted over the other cells (PySAL
 * esda `G_Local(star=True)` with its `crand`; spdep `localG_perm` with `fix_i_in_Gstar_permutations =
 * TRUE`, `no_repeat_in_row = TRUE`). The denominator of Gi* (Σ x) and its moments do not change
 * under permutation, so the test statistic is the neighbourhood sum
 *
 *     L_i = x_i + S_i,   S_i = sum of a sample of W_i − 1 values drawn without replacement from the
 *                           month's values with x_i taken out,
 *
 * whose law depends only on the month's value counts, W_i and x_i (sample-sum-distribution.ts: the
 * subset-sum counts of the whole month are expanded once, and each cell's tail, x_i taken out, is an
 * alternating sum of m + 1 look-ups in them — `LeaveOneOutTails`). With
 * U_i = P(S_i ≥ L_i − x_i) and D_i = P(S_i ≤ L_i − x_i), the two-sided p-value is
 *
 *     p_i = min(1, 2 · min(U_i, D_i)),
 *
 * hot (+1) when U_i < D_i, cold (−1) when D_i < U_i. It is computed exactly when the expansion costs
 * at most EXACT_BUDGET, otherwise from R seeded replicates (sample-sum-monte-carlo.ts) as the pseudo
 * p-value min(1, 2 (M + 1) / (R + 1)), M = min(#{S ≥ L − x}, #{S ≤ L − x}) [@davison1997, §4.2]; the
 * Monte Carlo p-value cannot fall below 2 / (R + 1). Assumes whole-number values (counts).
 */
export function giStarPermutation(
  counts: ArrayLike<number>,
  cells: PermutationGroups,
  inference: PermutationOptions,
  vc: ValueCounts = valueCounts(counts),
  out?: { p: Float64Array; direction: Float64Array },
): PermutationTest {
  const { groups } = cells;
  // The groups to test, their sample sizes m = W − 1 and own values, as small typed tables (a month of
  // thousands of groups is tested 1,440 times in a bench run: no Sets or Maps per call, and the
  // list of groups in an array kept from call to call).
  if (liveScratch.length < groups) liveScratch = new Int32Array(Math.max(groups, 2 * liveScratch.length));
  const live = liveScratch;
  let lives = 0;
  let deepest = 0;
  let cap = 1;
  for (let g = 0; g < groups; g++) {
    if (cells.members && !(cells.members[g]! > 0)) continue;
    live[lives++] = g;
    deepest = Math.max(deepest, cells.size[g]! - 1);
    cap = Math.max(cap, cells.sum[g]! - cells.own[g]! + 1);
  }
  const cost = exactCost(vc, deepest, cap);
  // The caller's arrays when given (the grouped result's own p, a work array for the direction).
  const p = (out?.p ?? new Float64Array(groups)).fill(1, 0, groups);
  const direction = (out?.direction ?? new Float64Array(groups)).fill(0, 0, groups);
  const budget = inference.exactBudget ?? EXACT_BUDGET;
  if (cost <= budget) {
    exactResults(vc, cells, live, lives, deepest, cap, p, direction);
    return { p, direction, method: "exact" };
  }
  // The distinct sample sizes and own values, ascending, and each group's indices into them.
  const sizeIndex = new Int32Array(deepest + 1).fill(-1);
  for (let l = 0; l < lives; l++) sizeIndex[cells.size[live[l]!]! - 1] = 0;
  const sizes: number[] = [];
  for (let m = 0; m <= deepest; m++) if (sizeIndex[m]! === 0) sizeIndex[m] = sizes.push(m) - 1;
  // The distinct own values (in order of appearance: any order serves) and each group's index into them.
  const own: number[] = [];
  if (ownOfScratch.length < lives) ownOfScratch = new Int32Array(Math.max(lives, 2 * ownOfScratch.length));
  const ownOf = ownOfScratch;
  let largestOwn = 0;
  for (let l = 0; l < lives; l++) largestOwn = Math.max(largestOwn, cells.own[live[l]!]!);
  // Counts: whole numbers, mostly small — a typed table by value (kept from call to call), else a Map.
  const small = largestOwn <= 1 << 20;
  if (small && ownTableScratch.length < largestOwn + 1) ownTableScratch = new Int32Array(Math.max(largestOwn + 1, 2 * ownTableScratch.length));
  const table = small ? ownTableScratch.fill(-1, 0, largestOwn + 1) : undefined;
  const map = table ? undefined : new Map<number, number>();
  for (let l = 0; l < lives; l++) {
    const x = cells.own[live[l]!]!;
    let k = table ? table[x]! : (map!.get(x) ?? -1);
    if (k < 0) {
      k = own.push(x) - 1;
      if (table) table[x] = k;
      else map!.set(x, k);
    }
    ownOf[l] = k;
  }
  // Per sample size, the largest tail queried (s + 1): its histogram of replicate sums goes no further.
  const reach = new Float64Array(sizes.length);
  for (let l = 0; l < lives; l++) {
    const g = live[l]!;
    const q = sizeIndex[cells.size[g]! - 1]!;
    reach[q] = Math.max(reach[q]!, cells.sum[g]! - cells.own[g]! + 1);
  }
  const { permutations: r, seed } = inference;
  const mc = monteCarloSums(counts, sizes, own, r, seed);
  const upperCount = upperCounts(mc, reach);
  const tails = new Int32Array(2);
  for (let l = 0; l < lives; l++) {
    const g = live[l]!;
    const q = sizeIndex[cells.size[g]! - 1]!;
    const x = cells.own[g]!;
    const s = cells.sum[g]! - x;
    countTails(mc, upperCount, q, ownOf[l]!, x, s, tails);
    const atLeast = tails[0]!;
    const atMost = r - tails[1]!;
    setResult(p, direction, g, atLeast, atMost, (2 * (Math.min(atLeast, atMost) + 1)) / (r + 1));
  }
  refineNearFloor(counts, vc, cells, live, lives, inference, mc, upperCount, sizeIndex, ownOf, p, direction);
  return { p, direction, method: "monte-carlo" };
}

/** Besag & Clifford's h: a group with fewer replicates than this in its smaller tail has a p-value near the floor. */
const RESOLVED_TAIL = 10;
/**
 * How many EXACT_BUDGETs the exact tails of a dense month's groups near the floor may cost at least. The
 * budget bounds the expansion's work from above: on the bench's 10 M-incident grid the 124 months past it
 * (estimates 5·10⁶ to 4.3·10⁷) took 1.8 ms each exactly, against 1.2 ms by Monte Carlo.
 */
const REFINE_BUDGET_FACTOR = 20;
/**
 * The exact expansion's work units that cost about as much as one streamed draw of the refinement
 * (mulberry32, a swap, a sum and the tally): where the exact tails cost less than the draws the
 * refinement would make, they are computed instead. Measured on the 10 M bench's space-time cubes
 * (374,052 bins, samples of 13, 12.87 M draws to the second stage), both routes in one run each: exact
 * tails ran at 2–3·10⁶ units a millisecond (4.7·10⁸ units in 0.15 s, 4.9·10⁹ in 2.5 s) and the draws at
 * 8,000 a millisecond (1.6–2.1 s), break-even at 300–380 units a draw. 100, not 300: the draws may stop
 * after the first stage, which the comparison (with every stage's draws) does not know. Recorded with
 * the hot spots' parameters (`inferenceParameters`), as it decides which p-values are exact.
 */
export const EXACT_UNITS_PER_DRAW = 100;
/** Each refinement stage multiplies the replicates by STAGE_GROWTH, at most REFINE_STAGES times (999,999 for R = 9,999). */
const STAGE_GROWTH = 10;
const REFINE_STAGES = 2;

/**
 * Draws more replicates for the groups whose Monte Carlo p-value sits near its floor 2 / (R + 1) when
 * that floor exceeds STRICTEST_ALPHA / m (m cells tested): Benjamini–Hochberg accepts k cells tied at
 * the floor only if the floor ≤ k α / m, so with 9,999 replicates a compact cluster in a dense month
 * of 3,066 cells could not reach 99 % (nor, under 13 such cells, 95 %) however extreme it was, while
 * the exact test of a smaller month gave it 99 %. A group with fewer than RESOLVED_TAIL replicates in
 * its smaller tail (M < h) keeps drawing, in stages of STAGE_GROWTH times the replicates, until M ≥ h
 * [@besag1991: h exceedances resolve a p-value to about 1/√h], the floor reaches STRICTEST_ALPHA / m,
 * or REFINE_STAGES stages are drawn; its p-value is then 2 (M + 1) / (R' + 1) over all R' replicates
 * drawn for it. That is valid at every level t: a group goes on only while its pseudo p-value is
 * ≤ 2h / (R + 1), so for t at or above that bound {p ≤ t} lies in {first-stage p ≤ t}, and below it
 * in {p of the R' replicates ≤ t} (stage by stage). The month stops early once every group still
 * drawing is significant at 99 % after FDR (more draws could then move those p-values only by Monte
 * Carlo error, not lift a floor that blocks them). The extra replicates come from streams seeded from
 * `seed` and the stage, so results stay deterministic. Cost: only months with a group near a floor that
 * matters draw them — dense months with a strong cluster.
 */
function refineNearFloor(
  counts: ArrayLike<number>,
  vc: ValueCounts,
  cells: PermutationGroups,
  live: Int32Array,
  lives: number,
  inference: PermutationOptions,
  mc: MonteCarloSums,
  upperCount: Int32Array[],
  sizeIndex: Int32Array,
  ownOf: Int32Array,
  p: Float64Array,
  direction: Float64Array,
): void {
  const { permutations: r, seed } = inference;
  let tested = 0;
  for (let l = 0; l < lives; l++) tested += cells.members ? cells.members[live[l]!]! : 1;
  // The replicates at which the floor no longer limits any rank: 2 / (R + 1) ≤ α / m.
  const enough = Math.ceil((2 * tested) / STRICTEST_ALPHA) - 1;
  if (r >= enough) return;
  // The groups near the floor, with their tail counts from the first R replicates.
  const near: number[] = [];
  const first: number[] = [];
  const tails = new Int32Array(2);
  for (let l = 0; l < lives; l++) {
    const g = live[l]!;
    const x = cells.own[g]!;
    countTails(mc, upperCount, sizeIndex[cells.size[g]! - 1]!, ownOf[l]!, x, cells.sum[g]! - x, tails);
    if (Math.min(tails[0]!, r - tails[1]!) >= RESOLVED_TAIL) continue;
    near.push(g);
    first.push(tails[0]!, r - tails[1]!);
  }
  if (near.length === 0) return;
  // Their exact tails where the expansion up to their largest sum costs at most REFINE_BUDGET_FACTOR budgets.
  let deepest = 0;
  let cap = 1;
  for (const g of near) {
    deepest = Math.max(deepest, cells.size[g]! - 1);
    cap = Math.max(cap, cells.sum[g]! - cells.own[g]! + 1);
  }
  // The replicates the stages could draw, each `deepest` draws deep: a space-time cube's many bins raise
  // the floor's target, and with it what exact tails may cost (both scale with `exactBudget`, for tests).
  const budget = inference.exactBudget ?? EXACT_BUDGET;
  const draws = (Math.min((r + 1) * STAGE_GROWTH ** REFINE_STAGES - 1, enough) - r) * deepest;
  if (exactCost(vc, deepest, cap) <= Math.max(REFINE_BUDGET_FACTOR * budget, (EXACT_UNITS_PER_DRAW * draws * budget) / EXACT_BUDGET)) {
    exactResults(vc, cells, Int32Array.from(near), near.length, deepest, cap, p, direction);
    return;
  }
  const atLeast = Float64Array.from(near, (_, t) => first[2 * t]!);
  const atMost = Float64Array.from(near, (_, t) => first[2 * t + 1]!);
  const members = cells.members ?? new Float64Array(p.length).fill(1);
  let drawn = r;
  for (let stage = 1; stage <= REFINE_STAGES && drawn < enough; stage++) {
    // The groups still near the floor; none, or all of them at 99 % after FDR: done.
    const going: number[] = [];
    const strictest = fdrCutoffsOfGroups(p, members)[0];
    let blocked = false;
    for (let t = 0; t < near.length; t++) {
      if (Math.min(atLeast[t]!, atMost[t]!) >= RESOLVED_TAIL) continue;
      going.push(t);
      if (!(p[near[t]!]! <= strictest)) blocked = true;
    }
    if (!blocked) break;
    const target = Math.min((r + 1) * STAGE_GROWTH ** stage - 1, enough);
    const sizes = going.map((t) => cells.size[near[t]!]! - 1);
    const owns = going.map((t) => cells.own[near[t]!]!);
    const observed = going.map((t) => cells.sum[near[t]!]! - cells.own[near[t]!]!);
    const more = new Float64Array(going.length);
    const fewer = new Float64Array(going.length);
    streamedTailCounts(counts, sizes, owns, observed, target - drawn, (seed + Math.imul(stage, 0x9e3779b9)) | 0, more, fewer);
    drawn = target;
    going.forEach((t, j) => {
      atLeast[t]! += more[j]!;
      atMost[t]! += fewer[j]!;
      setResult(p, direction, near[t]!, atLeast[t]!, atMost[t]!, (2 * (Math.min(atLeast[t]!, atMost[t]!) + 1)) / (drawn + 1));
    });
  }
}
/** The exact expansion's work units (≈ multiply-adds) for sample sizes up to `deepest` and sums below `cap`. */
function exactCost(vc: ValueCounts, deepest: number, cap: number): number {
  let expansion = 0;
  for (let j = 0; j < vc.counts.length; j++) expansion += Math.min(vc.counts[j]!, deepest);
  return (expansion + deepest) * (deepest + 1) * (cap + 1);
}

/** Exact p-values and tails of the groups list[0 … count), sample sizes up to `deepest`, sums below `cap`. */
function exactResults(
  vc: ValueCounts,
  cells: PermutationGroups,
  list: Int32Array,
  count: number,
  deepest: number,
  cap: number,
  p: Float64Array,
  direction: Float64Array,
): void {
  const width = (deepest + 1) * (cap + 1);
  if (scratch.length < width) scratch = new Float64Array(Math.max(width, 2 * scratch.length));
  const tailsOf = new LeaveOneOutTails(vc, deepest, cap, scratch);
  // C(n − 1, m) once per sample size.
  const totals = new Float64Array(deepest + 1);
  for (let m = 0; m <= deepest; m++) totals[m] = binomial(vc.n - 1, m);
  const tails = new Float64Array(2);
  for (let l = 0; l < count; l++) {
    const g = list[l]!;
    const m = cells.size[g]! - 1;
    const x = cells.own[g]!;
    tailsOf.tails(m, x, cells.sum[g]! - x, tails);
    const total = totals[m]!;
    const upper = tails[0]! / total;
    const lower = tails[1]! / total;
    setResult(p, direction, g, upper, lower, 2 * Math.min(upper, lower));
  }
}

/**
 * Group g's p-value (at most 1) and the tail it lies in. A module function, not a closure made per
 * call: tsx wraps every closure it makes in a __name call.
 */
function setResult(p: Float64Array, direction: Float64Array, g: number, upper: number, lower: number, pValue: number): void {
  p[g] = Math.min(1, pValue);
  direction[g] = upper < lower ? 1 : lower < upper ? -1 : 0;
}

/** Whether a month's Gi* can be tested at all (see testability). */
export type HotSpotStatus = "tested" | "too_few_incidents";

/** The 90 % level: the least significant confidence bin. */
const WIDEST_LEVEL = 0.1;

/**
 * Whether a month (one category) has enough incidents for Gi* bins: "too_few_incidents" when
 *
 *  1. all its incidents lie in one cell. Then, under conditional randomisation, the cell itself has
 *     p = 1 (nothing else to draw into its ring) and only its W − 1 neighbours can be "hot", each with
 *     p = 2 (W − 1) / (n − 1); Benjamini–Hochberg over n cells would need 2 (W − 1) / (n − 1) ≤
 *     (W − 1) α / n, which never holds for α ≤ 0.1: no FDR hot spot is possible, and the bins without
 *     FDR would mark a ring around the incident but not the incident's cell. Or
 *  2. no cell can reach the 90 % level whatever the arrangement: the smallest attainable two-sided
 *     p-value, min over the study area's neighbour counts W and the month's values x of
 *     2 · min(P(S = max), P(S = min)) (extremeSumProbabilities), exceeds 0.10.
 *
 * The rule depends on the month's values only (not on the inference method), and is applied to both
 * inference methods; such a month keeps its z and p but shows no bins. The normal approximation adds
 * a third case for whole-number counts (groupedGiStar): a month with fewer than 5 incidents expected in
 * a neighbourhood (tooSparseForNormal in getis-ord.ts).
 */
export function testability(vc: ValueCounts, neighbourCounts: readonly number[]): HotSpotStatus {
  if (vc.values.length === 0 || (vc.values.length === 1 && vc.counts[0] === 1)) return "too_few_incidents";
  // The own values x: 0 (when a cell has none) and then the distinct non-zero values, with no array made.
  for (const w of neighbourCounts) {
    for (let j = vc.zeros > 0 ? -1 : 0; j < vc.values.length; j++) {
      const x = j < 0 ? 0 : vc.values[j]!;
      if (w - 1 > vc.n - 1) continue;
      const { largest, smallest } = extremeSumProbabilities(vc, w - 1, x);
      if (2 * Math.min(largest, smallest) <= WIDEST_LEVEL) return "tested";
    }
  }
  return "too_few_incidents";
}

/** How a month's p-values were obtained: normal approximation, exact permutation distribution, or Monte Carlo. */
export type InferenceUsed = "normal" | "exact" | "monte-carlo";
