import { binomial, extremeSumProbabilities, LeaveOneOutTails, valueCounts, type ValueCounts } from "./sample-sum-distribution.ts";
import { countTails, monteCarloSums, upperCounts } from "./sample-sum-monte-carlo.ts";

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
  let expansion = 0;
  for (let j = 0; j < vc.counts.length; j++) expansion += Math.min(vc.counts[j]!, deepest);
  const cost = (expansion + deepest) * (deepest + 1) * (cap + 1);
  // The caller's arrays when given (the grouped result's own p, a work array for the direction).
  const p = (out?.p ?? new Float64Array(groups)).fill(1, 0, groups);
  const direction = (out?.direction ?? new Float64Array(groups)).fill(0, 0, groups);
  if (cost <= (inference.exactBudget ?? EXACT_BUDGET)) {
    const width = (deepest + 1) * (cap + 1);
    if (scratch.length < width) scratch = new Float64Array(Math.max(width, 2 * scratch.length));
    const tailsOf = new LeaveOneOutTails(vc, deepest, cap, scratch);
    // C(n − 1, m) once per sample size.
    const totals = new Float64Array(deepest + 1);
    for (let m = 0; m <= deepest; m++) totals[m] = binomial(vc.n - 1, m);
    const tails = new Float64Array(2);
    for (let l = 0; l < lives; l++) {
      const g = live[l]!;
      const m = cells.size[g]! - 1;
      const x = cells.own[g]!;
      tailsOf.tails(m, x, cells.sum[g]! - x, tails);
      const total = totals[m]!;
      const upper = tails[0]! / total;
      const lower = tails[1]! / total;
      setResult(p, direction, g, upper, lower, 2 * Math.min(upper, lower));
    }
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
  return { p, direction, method: "monte-carlo" };
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
 * a third case for whole-number counts (groupedGiStar): a month where one incident alone would pass 90 %
 * (loneIncidentSignificant in getis-ord.ts).
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
