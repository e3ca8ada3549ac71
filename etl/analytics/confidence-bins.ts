import cdf from "@stdlib/stats-base-dists-normal-cdf";

/** Two-sided p-value of a standard normal z-score; NaN stays NaN. */
export function twoSidedP(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return 2 * cdf(-Math.abs(z), 0, 1);
}

/** The confidence levels of ArcGIS Hot Spot Analysis: bin ±3, ±2, ±1 at 99 %, 95 %, 90 %. */
const LEVELS = [
  { bin: 3, alpha: 0.01 },
  { bin: 2, alpha: 0.05 },
  { bin: 1, alpha: 0.1 },
] as const;

/**
 * Gi_Bin as ArcGIS reports it: +3/−3 for hot/cold spots significant at 99 % confidence, ±2 at 95 %,
 * ±1 at 90 %, 0 otherwise, from the two-sided p-value and the sign of z.
 */
export function confidenceBins(z: ArrayLike<number>): Int8Array {
  return binsOfP(z, pValues(z));
}

/**
 * Confidence bins with the false discovery rate controlled [@benjamini1995], as ArcGIS applies its
 * FDR option: at each level α the Benjamini–Hochberg step-up rule over the m finite p-values finds
 * the largest rank k with p_(k) ≤ k α / m, and only p-values at or below p_(k) stay significant at
 * that level. Fewer cells survive than with `confidenceBins`, never more.
 */
export function confidenceBinsFdr(z: ArrayLike<number>): Int8Array {
  return binsFdrOfP(z, pValues(z));
}

/** Two-sided p-values of z-scores (NaN where z is NaN). */
export function pValues(z: ArrayLike<number>): Float64Array {
  const p = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) p[i] = twoSidedP(z[i]!);
  return p;
}

/** `confidenceBins` from z-scores and their already computed two-sided p-values (into `out` when given). */
export function binsOfP(z: ArrayLike<number>, p: ArrayLike<number>, out: Int8Array = new Int8Array(z.length)): Int8Array {
  for (let i = 0; i < z.length; i++) {
    const level = binOf(p[i]!, LEVELS[0].alpha, LEVELS[1].alpha, LEVELS[2].alpha);
    out[i] = level !== 0 ? Math.sign(z[i]!) * level : 0;
  }
  return out;
}

/** `confidenceBinsFdr` from z-scores and their already computed two-sided p-values. */
export function binsFdrOfP(z: ArrayLike<number>, p: ArrayLike<number>): Int8Array {
  let m = 0;
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i]!)) m++;
  const sorted = new Float64Array(m);
  for (let i = 0, j = 0; i < p.length; i++) if (!Number.isNaN(p[i]!)) sorted[j++] = p[i]!;
  sorted.sort();
  const [c3, c2, c1] = LEVELS.map(({ alpha }) => {
    for (let k = m; k >= 1; k--) {
      if (sorted[k - 1]! <= (k * alpha) / m) return sorted[k - 1]!;
    }
    return -1;
  }) as [number, number, number];
  const bins = new Int8Array(z.length);
  for (let i = 0; i < z.length; i++) {
    const level = binOf(p[i]!, c3, c2, c1);
    if (level !== 0) bins[i] = Math.sign(z[i]!) * level;
  }
  return bins;
}

/**
 * binsFdrOfP for values that repeat: group g stands for `members[g]` cells with p-value p[g]. The
 * Benjamini–Hochberg rule looks for the largest rank k with p_(k) ≤ k α / m; among equal p-values the
 * condition can only hold last at the group's highest rank, so only those ranks are tested — with the
 * same expression as over the expanded list, hence the same cut-offs.
 */
export function binsFdrOfGroups(z: Float64Array, p: Float64Array, members: ArrayLike<number>, out: Int8Array = new Int8Array(p.length)): Int8Array {
  const [c3, c2, c1] = fdrCutoffsOfGroups(p, members);
  for (let g = 0; g < p.length; g++) {
    const level = binOf(p[g]!, c3, c2, c1);
    out[g] = level !== 0 ? Math.sign(z[g]!) * level : 0;
  }
  return out;
}

/** The strictest level's α (99 %, bin ±3): a p-value resolved below STRICTEST_ALPHA / m passes it after FDR at any rank. */
export const STRICTEST_ALPHA = LEVELS[0].alpha;

/**
 * binsFdrOfGroups' Benjamini–Hochberg cut-offs at 99 %, 95 % and 90 % (−1: none): a group is significant
 * at a level when its p-value is at or below that level's cut-off.
 */
export function fdrCutoffsOfGroups(p: Float64Array, members: ArrayLike<number>): [number, number, number] {
  // Only p-values ≤ the largest α can be a cut-off (p_(k) ≤ k α / m ≤ α), and their ranks count only
  // smaller p-values: so those groups alone are sorted, while m counts every cell with a p-value.
  const largest = LEVELS[2].alpha;
  let m = 0;
  let count = 0;
  for (let g = 0; g < p.length; g++) {
    if (Number.isNaN(p[g]!)) continue;
    m += members[g]!;
    if (p[g]! <= largest) count++;
  }
  // The candidates' p-values sorted by the typed array's numeric sort (no comparator calls), their
  // distinct values kept, and each value's cells summed by binary search: whole numbers, so the
  // ranks are the same in any order of addition.
  // Work arrays kept from call to call (a month's hot spots are computed thousands of times a run).
  if (fdrScratch.length < 2 * count) fdrScratch = new Float64Array(Math.max(2 * count, 2 * fdrScratch.length));
  const values = fdrScratch.subarray(0, count);
  for (let g = 0, j = 0; g < p.length; g++) if (p[g]! <= largest) values[j++] = p[g]!;
  values.sort();
  let distinct = 0;
  for (let j = 0; j < count; j++) if (j === 0 || values[j] !== values[distinct - 1]) values[distinct++] = values[j]!;
  const cells = fdrScratch.subarray(count, count + distinct).fill(0);
  for (let g = 0; g < p.length; g++) {
    const value = p[g]!;
    if (!(value <= largest)) continue;
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    cells[lo]! += members[g]!;
  }
  // The levels' cut-offs without a closure per call (tsx wraps every closure it makes in a __name call).
  const c3 = fdrCutoff(values, cells, distinct, LEVELS[0].alpha, m);
  const c2 = fdrCutoff(values, cells, distinct, LEVELS[1].alpha, m);
  const c1 = fdrCutoff(values, cells, distinct, LEVELS[2].alpha, m);
  return [c3, c2, c1];
}

/** The Benjamini–Hochberg cut-off at level α over distinct sorted p-values with their cells (−1: none). */
function fdrCutoff(values: Float64Array, cells: Float64Array, distinct: number, alpha: number, m: number): number {
  let rank = 0;
  let cutoff = -1;
  for (let j = 0; j < distinct; j++) {
    rank += cells[j]!;
    if (values[j]! <= (rank * alpha) / m) cutoff = values[j]!;
  }
  return cutoff;
}

/** binsFdrOfGroups' sorted p-values and cells per value. */
let fdrScratch = new Float64Array(0);

// The bin of a p-value against the thresholds of bins 3, 2 and 1, the first that holds (0 for NaN).
const binOf = (p: number, t3: number, t2: number, t1: number) => (p <= t3 ? 3 : p <= t2 ? 2 : p <= t1 ? 1 : 0);
