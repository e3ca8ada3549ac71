/**
 * The exact distribution of the sum of a simple random sample (drawn without replacement) from a
 * multiset of whole numbers — the null distribution of a Gi* neighbourhood sum under conditional
 * randomisation (see gi-star-permutation.ts).
 *
 * The multiset is held as its distinct non-zero values v_j with multiplicities c_j, plus z zeros,
 * N = z + Σ_j c_j. The number of m-subsets (of the N units) whose values sum to s is the
 * coefficient of y^m t^s in the generating function [@wilf1994, ch. 1; the multivariate
 * hypergeometric law]
 *
 *     G(y, t) = (1 + y)^z · Π_j (1 + y t^{v_j})^{c_j},
 *
 * so P(S = s) = [y^m t^s] G / C(N, m). `subsetSumCounts` expands the non-zero part by dynamic
 * programming over the distinct values (O(Σ_j min(c_j, m) · m · cap)); the zeros, usually the bulk of
 * a month's cells, enter in closed form through C(z, m − k). Removing one unit of value x (the cell
 * whose own value is held fixed) divides by (1 + y t^x): g_k(s) = F_k(s) − g_{k−1}(s − x), exact in
 * integer arithmetic and so exact in doubles while the counts stay below 2^53 (small grids); beyond
 * that the relative rounding is that of the products, an absolute error in a probability near 1e-15.
 * Sums at or above `cap` are collected in one overflow bin. `buffer`, when long enough, holds the
 * table (a view of it is returned). With `reached`, the caller learns each row's largest sum below
 * the cap (`top`, −1: row empty) and whether the overflow bins were filled (`overflow`); in the
 * integer-exact case they are then left 0 for the caller, who derives them from the row totals.
 */

/** A multiset of whole numbers ≥ 0: distinct non-zero values (ascending), their multiplicities, and the zeros. */
export interface ValueCounts {
  values: Float64Array;
  counts: Float64Array;
  zeros: number;
  /** Number of units, zeros included. */
  n: number;
}

/** The value counts of `x` (whole numbers ≥ 0; anything else throws). */
export function valueCounts(x: ArrayLike<number>): ValueCounts {
  const tally = new Map<number, number>();
  let zeros = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!(v >= 0 && Math.floor(v) === v)) throw new RangeError(`x[${i}] = ${v} is not a whole number ≥ 0`);
    if (v === 0) zeros++;
    else tally.set(v, (tally.get(v) ?? 0) + 1);
  }
  const values = Float64Array.from(tally.keys()).sort();
  return { values, counts: values.map((v) => tally.get(v)!), zeros, n: x.length };
}

/**
 * valueCounts of whole-number counts whose non-zero cells are listed (`cells[0 … listed)`, as
 * groupedGiStar lists them) and whose largest value is `largest`: the same result from a typed
 * histogram over the listed cells only, without a Map over every cell (most cells of a month are 0).
 */
export function valueCountsOfListed(x: ArrayLike<number>, cells: ArrayLike<number>, listed: number, largest: number): ValueCounts {
  if (largest > TALLY_LIMIT) return valueCounts(x);
  // The histogram in an array kept from call to call (zeroed up to `largest`), the result's two
  // arrays in one buffer: allocations outside the heap cost more than these loops on a sparse month.
  // Allocated at its full size on the first call (4 MB of address space; only the pages zeroed are
  // touched): a branch that grows it, first taken by a later month with a larger count, made V8 drop
  // the optimised code of groupedGiStar, which inlines this function, and compile it again.
  if (tallyScratch.length === 0) tallyScratch = new Int32Array(TALLY_LIMIT + 1);
  const tally = tallyScratch.fill(0, 0, largest + 1);
  let distinct = 0;
  for (let t = 0; t < listed; t++) if (tally[x[cells[t]!]!]!++ === 0) distinct++;
  const both = new Float64Array(2 * distinct);
  const values = both.subarray(0, distinct);
  const counts = both.subarray(distinct);
  for (let v = 1, d = 0; v <= largest; v++) {
    if (tally[v] === 0) continue;
    values[d] = v;
    counts[d++] = tally[v]!;
  }
  return { values, counts, zeros: x.length - listed, n: x.length };
}

/** valueCountsOfListed's histogram, and the largest value it takes (larger ones go through valueCounts). */
let tallyScratch = new Int32Array(0);
const TALLY_LIMIT = 1 << 20;

/**
 * Counts of k-subsets of the non-zero units by their sum, k = 0…maxSize: entry k·(cap + 1) + s is
 * the number with sum s (s < cap) or with sum ≥ cap (s = cap).
 *
 * While every count fits a double exactly (C(units, k) · k < 2^53 — months that the exact test
 * takes have a few hundred non-zero cells, C(900, 6) ≈ 7·10^14), additions in any order give the
 * same integers, so the overflow bin is not accumulated term by term: it is the row's total C(units,
 * k) less its sums below the cap, and a shifted row only touches the sums that land below the cap
 * (for the large values, a short stretch instead of the whole row). Beyond that the overflow is
 * summed as the rows are built, in the order of the recurrence.
 */
export function subsetSumCounts(
  vc: ValueCounts,
  maxSize: number,
  cap: number,
  buffer?: Float64Array,
  reached?: { top: Int32Array; overflow: boolean },
): Float64Array {
  const width = cap + 1;
  const length = (maxSize + 1) * width;
  // A caller's buffer (zeroed here) spares a month's table its allocation and collection.
  const f = buffer && buffer.length >= length ? buffer.subarray(0, length).fill(0) : new Float64Array(length);
  f[0] = 1;
  const units = vc.n - vc.zeros;
  const exact = integerExact(units, maxSize);
  // The largest sum reached so far in each row: rows start narrow, and only that support is scanned.
  // In the integer-exact case only sums below the cap are tracked (the overflow comes from the totals).
  const top = new Int32Array(maxSize + 1).fill(-1);
  top[0] = 0;
  const choose = new Float64Array(maxSize + 1);
  for (let j = 0; j < vc.values.length; j++) {
    const v = vc.values[j]!;
    const c = vc.counts[j]!;
    binomialRow(c, maxSize, choose);
    // Take t ≥ 1 units of value v on top of every (k, s) already reached: k descends, so each
    // source row still holds its counts before value v.
    for (let k = maxSize - 1; k >= 0; k--) {
      const reach = top[k]!;
      if (reach < 0) continue;
      const most = Math.min(c, maxSize - k);
      const source = k * width;
      for (let t = 1; t <= most; t++) {
        const ways = choose[t]!;
        const target = (k + t) * width;
        const shift = t * v;
        // Sums that stay below the cap shift by t·v; the rest collect in the overflow bin.
        const below = Math.min(reach, cap - 1 - shift);
        if (exact && below < 0) break;
        addRowTimes(f, source, target + shift, below + 1, ways);
        if (exact) {
          if (below + shift > top[k + t]!) top[k + t] = below + shift;
          continue;
        }
        let over = 0;
        for (let s = Math.max(0, below + 1); s <= reach; s++) over += f[source + s]!;
        if (over !== 0) f[target + cap]! += over * ways;
        top[k + t] = Math.max(top[k + t]!, Math.min(reach + shift, cap));
      }
    }
  }
  if (reached) {
    reached.top = top;
    reached.overflow = !exact;
  }
  if (exact && !reached) {
    for (let k = 0; k <= maxSize; k++) {
      const row = k * width;
      let below = 0;
      for (let s = 0; s < cap; s++) below += f[row + s]!;
      f[row + cap] = binomial(units, k) - below;
    }
  }
  return f;
}

// The DP's inner loops as small functions of their own: V8 optimises them after a few calls, with
// type feedback for all of their code. In the one large function they were compiled on-stack while
// its first call was still in its first loop, and that code left the optimised tier at the end of
// every later call (some forty times a bench run, each call starting again in the interpreter).

/**
 * f[to + s] += f[from + s] · ways for s = 0…length − 1 (rows of one table; `to` > `from`, so no overlap
 * is read after written). × 1 is exact, so one loop serves every multiplicity.
 */
function addRowTimes(f: Float64Array, from: number, to: number, length: number, ways: number): void {
  // Four sums a step (≈ 20 % faster in V8 than one; each entry gets the same single addition).
  let s = 0;
  for (; s + 4 <= length; s += 4) {
    const a = f[from + s]!;
    const b = f[from + s + 1]!;
    const c = f[from + s + 2]!;
    const d = f[from + s + 3]!;
    f[to + s]! += a * ways;
    f[to + s + 1]! += b * ways;
    f[to + s + 2]! += c * ways;
    f[to + s + 3]! += d * ways;
  }
  for (; s < length; s++) f[to + s]! += f[from + s]! * ways;
}

/**
 * Whether every k-subset count of `units` units, k ≤ maxSize, and the products and sums that build
 * it are integers below 2^53 (then exact in doubles, in any order of addition).
 */
function integerExact(units: number, maxSize: number): boolean {
  let c = 1;
  for (let k = 1; k <= Math.min(maxSize, units); k++) {
    c = (c * (units - k + 1)) / k;
    if (c * k >= 2 ** 53) return false;
  }
  return true;
}

/**
 * Upper-tail counts of the sum S of an m-sample drawn without replacement from the multiset with one
 * unit of value `removed` taken out (pass −1 to remove nothing): `upper[s]` = number of m-subsets with
 * S ≥ s for s = 0…cap (sums ≥ cap share the last entry), `upper[cap + 1]` = 0; `total` = C(N, m) with N
 * the units left. P(S ≥ s) = upper[s] / total and P(S ≤ s) = 1 − upper[s + 1] / total.
 * `table` is subsetSumCounts of the same multiset with maxSize ≥ m and the same cap.
 */
export function sampleSumTails(vc: ValueCounts, table: Float64Array, cap: number, m: number, removed: number): { upper: Float64Array; total: number } {
  const width = cap + 1;
  let zeros = vc.zeros;
  let nonZero = vc.n - vc.zeros;
  let rows = table;
  if (removed === 0) zeros--;
  else if (removed > 0) {
    nonZero--;
    rows = new Float64Array((m + 1) * width);
    rows.set(table.subarray(0, width));
    for (let k = 1; k <= m; k++) {
      const row = k * width;
      const below = (k - 1) * width;
      for (let s = 0; s < cap; s++) rows[row + s] = table[row + s]! - (s >= removed ? rows[below + s - removed]! : 0);
      // The overflow bin of size k minus every (k−1)-subset that the removed unit lifts to ≥ cap.
      let lifted = 0;
      for (let s = Math.max(0, cap - removed); s <= cap; s++) lifted += rows[below + s]!;
      rows[row + cap] = table[row + cap]! - lifted;
    }
  }
  if (zeros < 0 || nonZero < 0 || m > zeros + nonZero) throw new RangeError(`a sample of ${m} from ${zeros + nonZero} units`);
  const choose = binomialRow(zeros, m, new Float64Array(m + 1));
  const upper = new Float64Array(cap + 2);
  for (let k = Math.min(m, nonZero); k >= 0; k--) {
    const ways = choose[m - k]!;
    if (ways === 0) continue;
    const row = k * width;
    for (let s = 0; s <= cap; s++) {
      const count = rows[row + s]!;
      // Rounding in the removal can leave −1e-16-sized residues where the true count is 0.
      if (count > 0) upper[s]! += count * ways;
    }
  }
  for (let s = cap - 1; s >= 0; s--) upper[s]! += upper[s + 1]!;
  return { upper, total: binomial(zeros + nonZero, m) };
}

/** C(n, t) for t = 0…size into `out` (0 beyond n). */
export function binomialRow(n: number, size: number, out: Float64Array): Float64Array {
  out[0] = 1;
  for (let t = 1; t <= size; t++) out[t] = t > n ? 0 : (out[t - 1]! * (n - t + 1)) / t;
  return out;
}

/** C(n, t) as a double (exact while below 2^53). */
export function binomial(n: number, t: number): number {
  if (t < 0 || t > n) return 0;
  let c = 1;
  for (let i = 1; i <= Math.min(t, n - t); i++) c = (c * (n - i + 1)) / i;
  return c;
}

/**
 * Both tails for every sample size m ≤ maxSize and held-out value x at once: `tails(m, x, s, out)`
 * sets out[0] to the number of m-subsets of the multiset with one unit of value x taken out whose sum
 * is ≥ s, and out[1] to the number whose sum is ≤ s (0 ≤ s < cap). One expansion of the non-zero
 * units (subsetSumCounts, then each row's suffix sums U_i(u): i-subsets with sum ≥ u) serves every
 * query. Taking out a non-zero unit divides their generating function by (1 + y t^x), i.e. multiplies
 * it by Σ_j (−y t^x)^j, so the i-subsets of the units left with sum ≥ u number
 *
 *     U'_i(u) = Σ_{j=0}^{i} (−1)^j U_{i−j}(u − j x)      (U_k(u ≤ 0) = C(units, k)),
 *
 * and the zeros enter last: #{S ≥ s} = Σ_i C(z', m − i) U'_i(s), #{S ≤ s} = Σ_i C(z', m − i)
 * (C(units', i) − U'_i(s + 1)), with z' and units' the zeros and non-zero units left. The alternating
 * sums stay among the non-zero units' counts, exact integers while those are below 2^53
 * (subsetSumCounts); the C(z', ·) products, which exceed 2^53, are only summed, all ≥ 0, so each tail
 * keeps a relative error of a few ulps however small it is (test/gi-star-permutation.test.ts checks
 * this against BigInt counts). The zeros' rounded products never enter a cancelling sum.
 * `buffer` is passed to subsetSumCounts; `tails` reads it, so it must not be reused while `tails` is.
 * (A class, not a closure: one shape for every month, and no function object made per month.)
 */
export class LeaveOneOutTails {
  private readonly width: number;
  private readonly upper: Float64Array;
  private readonly unitsAll: Float64Array;
  private readonly unitsLess: Float64Array;
  private readonly zerosAll: Float64Array;
  private readonly zerosLess: Float64Array;

  constructor(vc: ValueCounts, maxSize: number, cap: number, buffer?: Float64Array) {
    const width = cap + 1;
    const units = vc.n - vc.zeros;
    const reached = { top: new Int32Array(0), overflow: false };
    const upper = subsetSumCounts(vc, maxSize, cap, buffer, reached);
    const size = maxSize + 1;
    const unitsAll = binomialRow(units, maxSize, new Float64Array(size));
    // U_i(u) = Σ_{s ≥ u} F_i(s) in place (the overflow bin, sums ≥ cap, is the last entry).
    for (let i = 0; i <= maxSize; i++) {
      const row = i * width;
      if (reached.overflow) {
        // Past the row's largest sum below the cap every entry is 0 (only the overflow bin is filled),
        // so its suffix sums there all equal the overflow bin: 0 + u is u, bit for bit.
        const last = Math.min(reached.top[i]!, cap - 1);
        upper.fill(upper[row + cap]!, row + last + 1, row + cap);
        for (let s = last; s >= 0; s--) upper[row + s]! += upper[row + s + 1]!;
        continue;
      }
      // Integer-exact: U_i(u) = C(units, i) − Σ_{s < u} F_i(s), exact, and constant past the row's
      // largest sum below the cap (that constant is the overflow bin).
      const last = reached.top[i]!;
      let below = 0;
      for (let s = 0; s <= last; s++) {
        const count = upper[row + s]!;
        upper[row + s] = unitsAll[i]! - below;
        below += count;
      }
      upper.fill(unitsAll[i]! - below, row + last + 1, row + width);
    }
    this.width = width;
    this.upper = upper;
    this.unitsAll = unitsAll;
    this.unitsLess = binomialRow(units - 1, maxSize, new Float64Array(size));
    this.zerosAll = binomialRow(vc.zeros, maxSize, new Float64Array(size));
    this.zerosLess = binomialRow(vc.zeros - 1, maxSize, new Float64Array(size));
  }

  /** out[0] = #{m-subsets with sum ≥ s}, out[1] = #{… ≤ s}, one unit of value `removed` taken out (0 ≤ s < cap). */
  tails(m: number, removed: number, s: number, out: Float64Array): void {
    const { width, upper, unitsAll, unitsLess, zerosAll, zerosLess } = this;
    let above = 0;
    let atMost = 0;
    if (removed === 0) {
      // A zero taken out: the non-zero units are all there (s ≥ 0, so s + 1 > 0).
      for (let i = 0, row = 0; i <= m; i++, row += width) {
        const ways = zerosLess[m - i]!;
        if (ways === 0) continue;
        above += ways * (s <= 0 ? unitsAll[i]! : upper[row + s]!);
        atMost += ways * (unitsAll[i]! - upper[row + s + 1]!);
      }
    } else {
      for (let i = 0; i <= m; i++) {
        const ways = zerosAll[m - i]!;
        if (ways === 0) continue;
        let from = 0;
        let past = 0;
        // j = 0…i: U_{i−j}(s − j x) and U_{i−j}(s + 1 − j x), signs alternating.
        for (let j = 0, u = s, row = i * width; j <= i; j++, u -= removed, row -= width) {
          const a = u <= 0 ? unitsAll[i - j]! : upper[row + u]!;
          const b = u + 1 <= 0 ? unitsAll[i - j]! : upper[row + u + 1]!;
          if ((j & 1) === 0) {
            from += a;
            past += b;
          } else {
            from -= a;
            past -= b;
          }
        }
        // Rounding beyond 2^53 could leave a −1-sized residue where the count is 0.
        above += ways * Math.max(0, from);
        atMost += ways * Math.max(0, unitsLess[i]! - past);
      }
    }
    out[0] = above;
    out[1] = atMost;
  }
}

/**
 * P(S = its largest value) and P(S = its smallest value) for an m-sample drawn without replacement
 * from the multiset with one unit of value `removed` taken out (−1: none) — the smallest upper and
 * lower tail probabilities any observation can have. The largest sum is reached exactly by the
 * samples whose multiset is the m largest values (a smaller value drawn while a larger one is left
 * could be swapped for a larger sum), so P = C(c_b, j_b) / C(N, m) with b the boundary value, c_b
 * its multiplicity and j_b how many of it the top m hold; likewise from below.
 */
export function extremeSumProbabilities(vc: ValueCounts, m: number, removed: number): { largest: number; smallest: number } {
  // Value index j: 0 for the zeros, 1…d for the distinct non-zero values (ascending); `at` is the
  // removed unit's (−1: none). No arrays: testability calls this for every month.
  const d = vc.values.length;
  let at = removed === 0 ? 0 : -1;
  for (let j = 0; j < d && at < 0; j++) if (vc.values[j] === removed) at = j + 1;
  let units = 0;
  for (let j = 0; j <= d; j++) units += countAt(vc, j, at);
  const logAll = logBinomial(units, m);
  return { largest: boundaryProbability(vc, at, m, logAll, true), smallest: boundaryProbability(vc, at, m, logAll, false) };
}

/** The multiplicity of value index j (0: the zeros) with the unit at index `at` taken out. */
function countAt(vc: ValueCounts, j: number, at: number): number {
  return (j === 0 ? vc.zeros : vc.counts[j - 1]!) - (j === at ? 1 : 0);
}

/** C(c_b, j_b) / C(N, m) of extremeSumProbabilities: the m units taken from the top (`fromTop`) or the bottom. */
function boundaryProbability(vc: ValueCounts, at: number, m: number, logAll: number, fromTop: boolean): number {
  const d = vc.values.length;
  let left = m;
  for (let step = 0; step <= d; step++) {
    const count = countAt(vc, fromTop ? d - step : step, at);
    if (count >= left) return Math.exp(logBinomial(count, left) - logAll);
    left -= count;
  }
  return 1;
}

function logBinomial(n: number, t: number): number {
  let sum = 0;
  for (let i = 1; i <= Math.min(t, n - t); i++) sum += Math.log((n - i + 1) / i);
  return sum;
}
