/**
 * Seeded Monte Carlo counterpart of sampleSumTails for multisets too rich for the exact expansion:
 * R replicates of a sample drawn without replacement from the month's values with one unit of value
 * x_i held out, for every own value x_i and sample size m at once.
 *
 * One stream of samples serves every (m, x_i), as esda's conditional randomisation reuses one set
 * of permuted ids for all units [@esda]: each replicate is a partial Fisher–Yates shuffle of the
 * positions 0…n−2 of the value array, whose first m positions form a uniform m-sample for every m
 * (a prefix of a uniform random ordering). Position n−1 is the held-out unit when x_i equals its
 * value u; for another x_i the held-out unit is a representative cell c of value x_i and the pool is
 * the array with c's value replaced by u, so its sum is the replicate's sum plus (u − x_i) when c was
 * drawn. Every (m, x_i) thus sees exactly the law of a uniform m-sample from its own pool.
 *
 * The positions drawn depend only on n, the largest sample size, R and the seed — not on the values
 * — so every month of one study area draws the same positions (as esda draws one set of permuted
 * ids per run): they are drawn once (`drawnPositions`) and each month gathers its values at them.
 */
export interface MonteCarloSums {
  /** Per size index q (sizes[q]) and replicate r, the base sum: sums[q · R + r]. */
  sums: Float64Array;
  sizes: readonly number[];
  replicates: number;
  /** The value u of the last unit. */
  last: number;
  /** Per own-value index k, hits[hitStart[k] … hitStart[k + 1]) list the replicates that drew its representative, and the draw depth. */
  hitStart: Int32Array;
  hitReplicate: Int32Array;
  hitDepth: Int32Array;
}

/**
 * Draws `replicates` samples of the largest of `sizes` from x (whole numbers) with the generator
 * seeded by `seed` (mulberry32, inlined); `own` lists the held-out values (each must occur in x).
 */
export function monteCarloSums(x: ArrayLike<number>, sizes: readonly number[], own: readonly number[], replicates: number, seed: number): MonteCarloSums {
  const n = x.length;
  let deepest = 0;
  for (const m of sizes) deepest = Math.max(deepest, m);
  if (deepest > n - 1) throw new RangeError(`samples of ${deepest} from ${n - 1} units`);
  const last = x[n - 1]!;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = x[i]!;
  const representative = representatives(values, own, last);
  // Per draw depth d, the size index whose sample ends there (−1: none): the sums are stored as drawn.
  const endsAt = new Int32Array(deepest + 1).fill(-1);
  sizes.forEach((m, q) => (endsAt[m] = q));
  const picks = drawnPositions(n, deepest, replicates, seed);
  // The hits in typed arrays grown by doubling (about replicates × deepest × own values / n of them).
  let hitOwn = new Int32Array(1024);
  let hitReplicate = new Int32Array(1024);
  let hitDepth = new Int32Array(1024);
  let hits = 0;
  const sums = new Float64Array(sizes.length * replicates);
  for (let r = 0, at = 0; r < replicates; r++) {
    // Whole numbers: the running sum is the same double in any grouping of the additions.
    let sum = 0;
    for (let d = 0; d < deepest; d++) {
      const pick = picks[at++]!;
      sum += values[pick]!;
      const q = endsAt[d + 1]!;
      if (q >= 0) sums[q * replicates + r] = sum;
      const k = representative[pick]!;
      if (k >= 0) {
        if (hits === hitOwn.length) {
          hitOwn = grow(hitOwn);
          hitReplicate = grow(hitReplicate);
          hitDepth = grow(hitDepth);
        }
        hitOwn[hits] = k;
        hitReplicate[hits] = r;
        hitDepth[hits++] = d;
      }
    }
  }
  // The hits grouped by own value (counting sort, replicates stay in order).
  const hitStart = new Int32Array(own.length + 1);
  for (let h = 0; h < hits; h++) hitStart[hitOwn[h]! + 1]!++;
  for (let k = 0; k < own.length; k++) hitStart[k + 1]! += hitStart[k]!;
  const fill = hitStart.slice(0, own.length);
  const byReplicate = new Int32Array(hits);
  const byDepth = new Int32Array(hits);
  for (let h = 0; h < hits; h++) {
    const at = fill[hitOwn[h]!]!++;
    byReplicate[at] = hitReplicate[h]!;
    byDepth[at] = hitDepth[h]!;
  }
  return { sums, sizes, replicates, last, hitStart, hitReplicate: byReplicate, hitDepth: byDepth };
}

/** The last positions drawn (one study area's months all draw the same ones). */
let drawn: { n: number; deepest: number; replicates: number; seed: number; picks: Int32Array } | undefined;

/**
 * The positions (0…n−2) that replicate r draws at depth d, picks[r · deepest + d]: a partial
 * Fisher–Yates shuffle of deepest steps per replicate, from one mulberry32 stream seeded by `seed`.
 * Kept for the next call with the same arguments.
 */
export function drawnPositions(n: number, deepest: number, replicates: number, seed: number): Int32Array {
  if (drawn && drawn.n === n && drawn.deepest === deepest && drawn.replicates === replicates && drawn.seed === seed) return drawn.picks;
  const picks = new Int32Array(replicates * deepest);
  const order = new Int32Array(n - 1);
  for (let i = 0; i < n - 1; i++) order[i] = i;
  const swaps = new Int32Array(deepest);
  // The state as an int32 (| 0) rather than a uint32 (>>> 0): the same 32 bits for every operation
  // below (>>> and Math.imul read them alike), but a small integer V8 keeps unboxed.
  let state = seed | 0;
  for (let r = 0, at = 0; r < replicates; r++) {
    for (let d = 0; d < deepest; d++) {
      // mulberry32, as in `mulberry32` below.
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      // u · (n − 1 − d) is ≥ 0 and below 2^31: truncation (| 0) is Math.floor (× 2^−32 divides by
      // 2^32 exactly).
      const j = d + ((((t ^ (t >>> 14)) >>> 0) * 2.3283064365386963e-10 * (n - 1 - d)) | 0);
      swaps[d] = j;
      const pick = order[j]!;
      order[j] = order[d]!;
      order[d] = pick;
      picks[at++] = pick;
    }
    // Undo the swaps so every replicate starts from the same order (same stream → same samples).
    for (let d = deepest - 1; d >= 0; d--) {
      const j = swaps[d]!;
      const t = order[j]!;
      order[j] = order[d]!;
      order[d] = t;
    }
  }
  drawn = { n, deepest, replicates, seed, picks };
  return picks;
}

/**
 * Per position 0…n−2, the index in `own` of the held-out value it represents (its first position,
 * unless that value is the last unit's), else −1; throws for a held-out value that does not occur.
 */
function representatives(values: Float64Array, own: readonly number[], last: number): Int32Array {
  const n = values.length;
  const representative = new Int32Array(n).fill(-1);
  let largest = 0;
  for (const value of own) largest = Math.max(largest, value);
  // Counts are small whole numbers: a typed table by value rather than a Map (one look-up per cell).
  const small = largest <= 1 << 20 && own.every((value) => Number.isInteger(value) && value >= 0);
  const table = small ? new Int32Array(largest + 1).fill(-1) : undefined;
  const map = small ? undefined : new Map<number, number>();
  own.forEach((value, k) => (table ? (table[value] = k) : map!.set(value, k)));
  let found = 0;
  for (let i = 0; i < n - 1; i++) {
    const value = values[i]!;
    if (value === last) continue;
    const k = table ? (value <= largest && value >= 0 ? table[value]! : -1) : (map!.get(value) ?? -1);
    if (k < 0) continue;
    representative[i] = k;
    found++;
    if (table) table[value] = -1;
    else map!.delete(value);
  }
  const wanted = own.filter((value) => value !== last).length;
  if (found !== wanted) {
    const seen = new Set<number>(values);
    const missing = own.find((value) => !seen.has(value));
    throw new RangeError(`held-out value ${missing} does not occur`);
  }
  return representative;
}

/** A copy of `a` twice as long. */
function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Per size index q, counts of replicates with base sum ≥ s for s = 0…top (top: the cap, or one past the
 * size's largest replicate sum if that is lower — every entry beyond is 0), so a tail query costs one
 * look-up plus the few replicates that drew the held-out value's representative.
 */
export function upperCounts(mc: MonteCarloSums, cap: number): Int32Array[] {
  const { sums, replicates } = mc;
  return mc.sizes.map((_, q) => {
    const from = q * replicates;
    const end = from + replicates;
    let largest = 0;
    for (let r = from; r < end; r++) if (sums[r]! > largest) largest = sums[r]!;
    const top = Math.min(cap, largest + 1);
    const counts = new Int32Array(top + 2);
    // Sums are whole numbers ≥ 0 (counts): the bin is the sum itself, or the top.
    for (let r = from; r < end; r++) {
      const sum = sums[r]!;
      counts[sum < top ? sum : top]!++;
    }
    for (let s = top - 1; s >= 0; s--) counts[s]! += counts[s + 1]!;
    return counts;
  });
}

/**
 * Replicates whose sample sum (size index q, own-value index k) is ≥ s, and ≥ s + 1 (s + 1 ≤ cap),
 * into `out` [≥ s, ≥ s + 1]: the upper tail and, by difference from R, the lower one.
 */
export function countTails(mc: MonteCarloSums, upper: Int32Array[], q: number, k: number, ownValue: number, s: number, out: Int32Array): void {
  const counts = upper[q]!;
  const top = counts.length - 2;
  let atLeast = s <= 0 ? mc.replicates : counts[Math.min(s, top)]!;
  let above = s + 1 <= 0 ? mc.replicates : counts[Math.min(s + 1, top)]!;
  const size = mc.sizes[q]!;
  const shift = mc.last - ownValue;
  const base = q * mc.replicates;
  for (let h = mc.hitStart[k]!, end = mc.hitStart[k + 1]!; h < end; h++) {
    if (mc.hitDepth[h]! >= size) continue;
    const sum = mc.sums[base + mc.hitReplicate[h]!]!;
    // This replicate drew the representative: its pool holds the last unit's value there instead.
    const moved = sum + shift;
    atLeast += (moved >= s ? 1 : 0) - (sum >= s ? 1 : 0);
    above += (moved > s ? 1 : 0) - (sum > s ? 1 : 0);
  }
  out[0] = atLeast;
  out[1] = above;
}

/** mulberry32: a small, fast 32-bit generator, uniform on [0, 1); the same seed gives the same stream. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
