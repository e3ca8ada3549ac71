import cdf from "@stdlib/stats-base-dists-normal-cdf";
import quantile from "@stdlib/stats-base-dists-normal-quantile";
import { kthSmallest } from "./cell-selection.ts";

/** Result of the Mann-Kendall trend test on one series. */
export interface MannKendallResult {
  /** Number of finite values used. */
  n: number;
  /** Kendall's S: concordant minus discordant pairs of (time, value). */
  s: number;
  /** Variance of S under no trend, corrected for tied values. */
  varS: number;
  /** Standard normal score with continuity correction; positive for an upward trend. */
  z: number;
  /** Two-sided p-value of z (NaN when the test is undefined: fewer than 3 values, or all tied). */
  p: number;
  /** Kendall's tau-b between time and value (S over the tie-corrected number of pairs). */
  tau: number;
  /** n/n*, the factor varS already carries for autocorrelation (hamedRao); absent for the plain test. */
  varianceFactor?: number;
}

/**
 * Mann-Kendall test for a monotonic trend [@mann1945; @kendall1975], with the variance corrected for
 * ties [@hipel1994, ch. 23; @helsel2020, §12.1], as in R `Kendall::MannKendall` and
 * `cor.test(x, time, method = "kendall", exact = FALSE, continuity = TRUE)`:
 *
 *     S      = Σ_{i<j} sgn(x_j − x_i)
 *     Var(S) = [ n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5) ] / 18     (t_g: size of tie group g)
 *     z      = (S − sgn(S)) / √Var(S)                            (continuity correction)
 *     tau_b  = S / √( n₀ (n₀ − n₁) ),  n₀ = n(n−1)/2,  n₁ = Σ_g t_g(t_g−1)/2
 *
 * Values are taken in time order; non-finite values (months where a statistic is undefined) are
 * skipped.
 *
 * Ties are decided by `compare(s, t)` (indices into `series`, the sign of series[s] − series[t]) when
 * given: values equal on paper can differ in floating point by an ulp, which would turn a tie into a
 * concordant or discordant pair and drop it from the tie correction. Gi* z-scores have an exact
 * integer form for that (gi-star-exact.ts); without `compare` the doubles are compared as they are.
 * `compare` must be a total preorder (consistent and transitive), as an exact comparison is.
 *
 * Cost: the values are sorted once — with `compare` (O(n log n) calls: an exact comparison can be dear,
 * and a sparse series is mostly ties), or without it by the typed array's numeric sort — and replaced
 * by the rank of their tie group, so S's pairs are counted on small integers in O(n log n). Every
 * ranking consistent with `compare` gives the same S and ties: a series of such ranks (emerging hot
 * spots rank a cube's z-scores once, see groupRanks) tests as its values do.
 */
export function mannKendall(series: ArrayLike<number>, compare?: (s: number, t: number) => number): MannKendallResult {
  const index: number[] = [];
  for (let i = 0; i < series.length; i++) if (Number.isFinite(series[i]!)) index.push(i);
  const n = index.length;
  // Each value's tie-group rank (by position in `index`), and the tie correction of the groups.
  const { rank, groups, tieTerm, tiedPairs } = compare ? ranksByComparator(index, compare) : ranksOfValues(series, index);
  // S = Σ_j (#earlier values ranked below x_j − #earlier ranked above it), counted with a Fenwick tree
  // over the tie-group ranks: O(n log n) instead of the O(n²) pairs (emerging hot spots test every cell).
  const seen = new Int32Array(groups + 1);
  let s = 0;
  for (let j = 0; j < n; j++) {
    const r = rank[j]! + 1;
    s += countUpTo(seen, r - 1) - (j - countUpTo(seen, r));
    for (let x = r; x <= groups; x += x & -x) seen[x]!++;
  }
  return mannKendallOf(n, s, tieTerm, tiedPairs);
}

/** The test's result from n, S and the tie terms Σ t(t−1)(2t+5) and Σ t(t−1)/2. */
function mannKendallOf(n: number, s: number, tieTerm: number, tiedPairs: number): MannKendallResult {
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const pairs = (n * (n - 1)) / 2;
  if (n < 3 || varS <= 0) return { n, s, varS, z: Number.NaN, p: Number.NaN, tau: Number.NaN };
  const z = (s - Math.sign(s)) / Math.sqrt(varS);
  return { n, s, varS, z, p: 2 * cdf(-Math.abs(z), 0, 1), tau: s / Math.sqrt(pairs * (pairs - tiedPairs)) };
}

/**
 * mannKendall for many series whose values are already ranks: whole numbers 0 … groups − 1, equal
 * exactly where the values they stand for tie, NaN where a value is undefined (skipped). Each value's
 * tie group is its rank, so nothing is sorted: S is counted with a Fenwick tree over the ranks and the
 * ties with a counter per rank, both kept from series to series and cleared of what a series touched
 * (O(n log groups) a series). Emerging hot spots test every cell's series of its bins' z ranks (see
 * groupRanks); the result is mannKendall's for the values.
 */
export class RankSeriesMannKendall {
  private readonly tree: Int32Array;
  private readonly tied: Int32Array;
  private seen = new Int32Array(0);

  constructor(readonly groups: number) {
    if (!Number.isInteger(groups) || groups < 0) throw new RangeError(`the number of ranks must be a whole number, got ${groups}`);
    this.tree = new Int32Array(groups + 1);
    this.tied = new Int32Array(groups);
  }

  test(ranks: ArrayLike<number>): MannKendallResult {
    const { tree, tied, groups } = this;
    if (this.seen.length < ranks.length) this.seen = new Int32Array(ranks.length);
    const seen = this.seen;
    let n = 0;
    let s = 0;
    for (let t = 0; t < ranks.length; t++) {
      const value = ranks[t]!;
      if (!Number.isFinite(value)) continue;
      // A small integer from here on: the tree's indices stay int32 arithmetic.
      const rank = value | 0;
      if (rank !== value || rank < 0 || rank >= groups) throw new RangeError(`rank ${value} is not a whole number in 0 … ${groups - 1}`);
      // Earlier values ranked below minus those ranked above (1-based in the tree).
      s += countUpTo(tree, rank) - (n - countUpTo(tree, rank + 1));
      for (let x = rank + 1; x <= groups; x += x & -x) tree[x]!++;
      tied[rank]!++;
      seen[n++] = rank;
    }
    const [tieTerm, tiedPairs] = this.clearTies(n);
    for (let k = 0; k < n; k++) for (let x = seen[k]! + 1; x <= groups; x += x & -x) tree[x] = 0;
    return mannKendallOf(n, s, tieTerm, tiedPairs);
  }

  /**
   * test(ranks) for a series whose S is known (an emerging cube carries most of each cell's S from
   * the month before: see emergingOfSpaceTime): n and the ties are counted from the ranks, no pair.
   */
  testKnownS(ranks: ArrayLike<number>, s: number): MannKendallResult {
    const { tied, groups } = this;
    if (this.seen.length < ranks.length) this.seen = new Int32Array(ranks.length);
    const seen = this.seen;
    let n = 0;
    for (let t = 0; t < ranks.length; t++) {
      const value = ranks[t]!;
      if (!Number.isFinite(value)) continue;
      const rank = value | 0;
      if (rank !== value || rank < 0 || rank >= groups) throw new RangeError(`rank ${value} is not a whole number in 0 … ${groups - 1}`);
      tied[rank]!++;
      seen[n++] = rank;
    }
    return mannKendallOf(n, s, ...this.clearTies(n));
  }

  /** The tie terms Σ t(t−1)(2t+5) and Σ t(t−1)/2 of the `n` ranks in `seen`, their counters cleared. */
  private clearTies(n: number): [number, number] {
    const { tied, seen } = this;
    let tieTerm = 0;
    let tiedPairs = 0;
    for (let k = 0; k < n; k++) {
      const rank = seen[k]!;
      const t = tied[rank]!;
      if (t === 0) continue;
      tieTerm += t * (t - 1) * (2 * t + 5);
      tiedPairs += (t * (t - 1)) / 2;
      tied[rank] = 0;
    }
    return [tieTerm, tiedPairs];
  }
}

/** Fenwick prefix count of ranks 1 … r (1-based). */
function countUpTo(tree: Int32Array, r: number): number {
  let c = 0;
  for (let x = r; x > 0; x -= x & -x) c += tree[x]!;
  return c;
}

interface TieRanks {
  /** Per finite value (by position in `index`), the rank of its tie group; the number of groups. */
  rank: Int32Array;
  groups: number;
  /** Σ_g t_g(t_g − 1)(2t_g + 5) and Σ_g t_g(t_g − 1)/2 over the tie groups. */
  tieTerm: number;
  tiedPairs: number;
}

/** Tie groups of `series[index[·]]` ordered by `compare` (sorted once: O(n log n) calls). */
function ranksByComparator(index: readonly number[], compare: (s: number, t: number) => number): TieRanks {
  const n = index.length;
  const sorted = Array.from(index.keys()).sort((a, b) => compare(index[a]!, index[b]!));
  const rank = new Int32Array(n);
  const ties = new TieCounter();
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && compare(index[sorted[j]!]!, index[sorted[i]!]!) === 0) j++;
    for (let m = i; m < j; m++) rank[sorted[m]!] = ties.groups;
    ties.add(j - i);
    i = j;
  }
  return { rank, ...ties };
}

/**
 * Tie groups of the numbers `series[index[·]]` compared as they are: the values sorted by the typed
 * array's numeric sort (no comparator calls) and each one's group found by binary search. Equal
 * numbers (0 and −0 too) are one group, as Math.sign(a − b) = 0 makes them.
 */
function ranksOfValues(series: ArrayLike<number>, index: readonly number[]): TieRanks {
  const n = index.length;
  const values = new Float64Array(n);
  for (let k = 0; k < n; k++) values[k] = series[index[k]!]!;
  const distinct = values.slice().sort();
  const ties = new TieCounter();
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && distinct[j] === distinct[i]) j++;
    distinct[ties.groups] = distinct[i]!;
    ties.add(j - i);
    i = j;
  }
  const rank = new Int32Array(n);
  for (let k = 0; k < n; k++) rank[k] = searchSorted(distinct, ties.groups, values[k]!, "left");
  return { rank, groups: ties.groups, tieTerm: ties.tieTerm, tiedPairs: ties.tiedPairs };
}

/** Counts tie groups and their correction terms as they are found. */
class TieCounter {
  groups = 0;
  tieTerm = 0;
  tiedPairs = 0;
  add(t: number): void {
    this.groups++;
    this.tieTerm += t * (t - 1) * (2 * t + 5);
    this.tiedPairs += (t * (t - 1)) / 2;
  }
}

/**
 * The variance correction of Hamed & Rao [@hamed1998, eq. 18–19] for Mann-Kendall on an
 * autocorrelated series: n/n* = 1 + 2 / (n(n−1)(n−2)) · Σ_{k=1}^{n−1} (n−k)(n−k−1)(n−k−2) ρ_k, where
 * ρ_k is the lag-k autocorrelation of the ranks (ties averaged) of the series detrended by Sen's slope
 * (the median of (x_j − x_i)/(j − i), i < j), and only the ρ_k beyond ± z_{1−α/2}/√n — the
 * significant ones — are kept (α = 0.05, as the paper and R `modifiedmk::mmkh`). `lags` keeps only
 * k ≤ lags (the paper: all; Rao, Hamed & Chen [@rao2003] and `modifiedmk::mmkh3lag`: the first three;
 * emerging hot spots choose them in zTrend). Var(S) is multiplied by it (correctedForAutocorrelation);
 * S is unchanged.
 *
 * Why: Gi* z-scores of a space-time cube with a time window share counts between consecutive months
 * (window 1: a lag-1 correlation ≈ 0.5), which makes Var(S) about twice the independence formula and a
 * 5 % test reject ≈ 16 % of trend-free series. Assumes the dependence is stationary and short next to
 * n, and that a monotonic trend, if any, is what Sen's slope removes. Non-finite values are skipped as
 * mannKendall skips them, the remaining values taken as consecutive steps. Returns NaN for fewer than
 * 3 values (mannKendall has no test there either; emerging hot spots refuse a series with fewer than
 * 10 months with incidents beforehand: emerging-sparsity.ts), and 1 where the detrended series is
 * constant (an exact line: its ranks have no autocorrelation to estimate). The factor can fall below
 * 1 (negative autocorrelation), and, with strong negative ρ_k, to 0 or below, where no variance
 * follows: correctedForAutocorrelation then gives no test. Cost O(n²) at most: Sen's slope (sensSlope)
 * and the n − 1 lags.
 */
export function hamedRao(series: ArrayLike<number>, lags = Infinity, alpha = 0.05): number {
  let n = 0;
  if (values.length < series.length) values = new Float64Array(series.length);
  for (let t = 0; t < series.length; t++) if (Number.isFinite(series[t]!)) values[n++] = series[t]!;
  if (n < 3) return Number.NaN;
  const slope = sensSlope(values, n);
  const residual = new Float64Array(n);
  for (let t = 0; t < n; t++) residual[t] = values[t]! - slope * (t + 1);
  const ranks = averageRanks(residual);
  // Average ranks have mean (n + 1)/2 exactly; R's acf divides every lag by the same Σ (r − mean)².
  const mean = (n + 1) / 2;
  let denominator = 0;
  for (let t = 0; t < n; t++) denominator += (ranks[t]! - mean) ** 2;
  if (denominator === 0) return 1;
  const bound = quantile(1 - alpha / 2, 0, 1) / Math.sqrt(n);
  let sum = 0;
  for (let k = 1; k <= Math.min(lags, n - 3); k++) {
    let c = 0;
    for (let t = 0; t + k < n; t++) c += (ranks[t]! - mean) * (ranks[t + k]! - mean);
    const rho = c / denominator;
    if (rho > bound || rho < -bound) sum += (n - k) * (n - k - 1) * (n - k - 2) * rho;
  }
  return 1 + (2 * sum) / (n * (n - 1) * (n - 2));
}

/** hamedRao's and sensSlope's work arrays, kept from call to call (emerging hot spots call them for every cell). */
let values = new Float64Array(0);
let slopes = new Float64Array(0);

/**
 * Sen's slope of x[0 … n − 1] at times 0 … n − 1 [@sen1968]: the median of the pairwise slopes
 * (x_j − x_i)/(j − i), i < j (the two middle slopes' mean for an even number of pairs), as R
 * `trend::sens.slope` and `modifiedmk` compute it; x finite.
 *
 * A slope has the sign of its pair's difference, so the sorted slopes are the pairs with x_j < x_i,
 * then the tied pairs (slope 0), then the rest; how many pairs fall below and how many tie are
 * counted first in O(n log n) (Kendall's discordant and tied pairs, as mannKendall counts them).
 * A middle position among the ties is 0 with no slope computed — a count series is mostly ties: in one
 * more month of the 10 M bench lake, 54 % of the 33,726 emerging z-series had a median slope of exactly 0
 * — and otherwise only the slopes of the middle's sign are computed and selected among (no sort).
 * The result is the same number as selecting among all the slopes. (A difference of finite doubles
 * divided by a whole number keeps its sign unless it underflows, which needs values below 1e-307.)
 */
export function sensSlope(x: Float64Array, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > x.length) throw new RangeError(`sensSlope of the first ${n} of ${x.length} values`);
  const pairs = (n * (n - 1)) / 2;
  if (pairs === 0) return Number.NaN;
  const { below, tied } = pairOrder(x, n);
  const lower = (pairs - 1) >> 1;
  const upper = pairs >> 1;
  const side = (k: number) => (k < below ? -1 : k < below + tied ? 0 : 1);
  const offset = (sign: number) => (sign < 0 ? 0 : below + tied);
  const sl = side(lower);
  if (sl === 0 && side(upper) === 0) return 0;
  if (sl === side(upper)) return middleOf(slopesOfSign(x, n, sl), lower - offset(sl), lower !== upper);
  // The two middle positions straddle a boundary between the signs: each is found on its own side.
  const at = (k: number) => (side(k) === 0 ? 0 : middleOf(slopesOfSign(x, n, side(k)), k - offset(side(k)), false));
  return (at(lower) + at(upper)) / 2;
}

/**
 * The pairs i < j of x[0 … n − 1] with x_j < x_i, and with x_j = x_i, in O(n log n): each value keyed
 * by its first position in the sorted values (equal values share it), the earlier values at or below
 * it counted with a Fenwick tree. (Comparing the pairs one by one cost more: 0.9 s against 0.4 s of CPU
 * over one more month's emerging series on the 10 M bench lake, the branches mispredicted.)
 */
function pairOrder(x: Float64Array, n: number): { below: number; tied: number } {
  if (sorted.length < n) {
    sorted = new Float64Array(n);
    tree = new Int32Array(n + 1);
  }
  const order = sorted.subarray(0, n);
  order.set(x.subarray(0, n));
  order.sort();
  let tied = 0;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && order[j] === order[i]) j++;
    tied += ((j - i) * (j - i - 1)) / 2;
    i = j;
  }
  tree.fill(0, 0, n + 1);
  let below = 0;
  for (let j = 0; j < n; j++) {
    const key = searchSorted(order, n, x[j]!, "left") + 1;
    // Earlier values keyed ≤ this one's (1-based) are the ones not above it.
    below += j - countUpTo(tree, key);
    for (let g = key; g <= n; g += g & -g) tree[g]!++;
  }
  return { below, tied };
}
let sorted = new Float64Array(0);
let tree = new Int32Array(0);

/** The slopes (x_j − x_i)/(j − i), i < j, of the pairs whose difference has `sign` (−1 or 1), in the `slopes` work array. */
function slopesOfSign(x: Float64Array, n: number, sign: number): Float64Array {
  const pairs = (n * (n - 1)) / 2;
  if (slopes.length < pairs) slopes = new Float64Array(pairs);
  let count = 0;
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i]!;
    for (let j = i + 1; j < n; j++) {
      const d = x[j]! - xi;
      if (sign < 0 ? d < 0 : d > 0) slopes[count++] = d / (j - i);
    }
  }
  return slopes.subarray(0, count);
}

/**
 * `result` with Var(S) multiplied by `factor` (hamedRao) and z, p recomputed from it as mannKendall
 * computes them; no test (z, p NaN) where the factor is not a positive number.
 */
export function correctedForAutocorrelation(result: MannKendallResult, factor: number): MannKendallResult {
  const varS = result.varS * factor;
  if (!Number.isFinite(result.p) || !(factor > 0)) return { ...result, varS, z: Number.NaN, p: Number.NaN, varianceFactor: factor };
  const z = (result.s - Math.sign(result.s)) / Math.sqrt(varS);
  return { ...result, varS, z, p: 2 * cdf(-Math.abs(z), 0, 1), varianceFactor: factor };
}

/** The value at sorted position k of `a`, or with `withNext` the mean of those at k and k + 1, by selection: `a` is reordered. */
function middleOf(a: Float64Array, k: number, withNext: boolean): number {
  const lower = kthSmallest(a, k);
  if (!withNext) return lower;
  // After the selection every value past k is ≥ a[k]: the next one up is their least.
  let upper = Infinity;
  for (let i = k + 1; i < a.length; i++) if (a[i]! < upper) upper = a[i]!;
  return (lower + upper) / 2;
}

/** 1-based ranks of `x`, tied values sharing the mean of their ranks (R's rank, ties.method = "average"). */
function averageRanks(x: Float64Array): Float64Array {
  // A numeric sort of a copy and two binary searches a value: no comparator calls (every cell's series, every run).
  const n = x.length;
  const sorted = Float64Array.from(x).sort();
  const ranks = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    // Positions lo + 1 … end (1-based) hold the values equal to x_t: their mean rank.
    const lo = searchSorted(sorted, n, x[t]!, "left");
    const end = searchSorted(sorted, n, x[t]!, "right");
    ranks[t] = (lo + end + 1) / 2;
  }
  return ranks;
}

/**
 * Where v would go in sorted[0 … length − 1] (ascending, no NaN): before the values equal to it
 * ("left") or after them ("right"), as numpy's searchsorted. Binary search.
 */
function searchSorted(sorted: ArrayLike<number>, length: number, v: number, side: "left" | "right"): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (side === "left" ? sorted[mid]! < v : sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
