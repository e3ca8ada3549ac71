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
  const deepest = Math.max(...sizes);
  if (deepest > n - 1) throw new RangeError(`samples of ${deepest} from ${n - 1} units`);
  const last = x[n - 1]!;
  // The representative position of each held-out value (none for the last unit's own value).
  const representative = new Int32Array(n).fill(-1);
  const ownIndex = new Map(own.map((value, k) => [value, k]));
  for (let i = 0; i < n - 1; i++) {
    const k = ownIndex.get(x[i]!);
    if (k !== undefined && x[i] !== last) {
      representative[i] = k;
      ownIndex.delete(x[i]!);
    }
  }
  for (const value of ownIndex.keys()) if (value !== last) throw new RangeError(`held-out value ${value} does not occur`);
  const values = Float64Array.from(x);
  // The hits in typed arrays grown by doubling (about replicates × deepest × own values / n of them).
  let hitOwn = new Int32Array(1024);
  let hitReplicate = new Int32Array(1024);
  let hitDepth = new Int32Array(1024);
  let hits = 0;
  const sums = new Float64Array(sizes.length * replicates);
  const order = new Int32Array(n - 1);
  for (let i = 0; i < n - 1; i++) order[i] = i;
  const swaps = new Int32Array(deepest);
  const prefix = new Float64Array(deepest + 1);
  // The state as an int32 (| 0) rather than a uint32 (>>> 0): the same 32 bits for every operation
  // below (>>> and Math.imul read them alike), but a small integer V8 keeps unboxed.
  let state = seed | 0;
  for (let r = 0; r < replicates; r++) {
    for (let d = 0; d < deepest; d++) {
      // mulberry32, as in `mulberry32` below.
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      // u · (n − 1 − d) is ≥ 0 and below 2^31: truncation (| 0) is Math.floor.
      const j = d + (((((t ^ (t >>> 14)) >>> 0) / 4294967296) * (n - 1 - d)) | 0);
      swaps[d] = j;
      const pick = order[j]!;
      order[j] = order[d]!;
      order[d] = pick;
      prefix[d + 1] = prefix[d]! + values[pick]!;
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
    // Undo the swaps so every replicate starts from the same order (same stream → same samples).
    for (let d = deepest - 1; d >= 0; d--) {
      const j = swaps[d]!;
      const t = order[j]!;
      order[j] = order[d]!;
      order[d] = t;
    }
    for (let q = 0; q < sizes.length; q++) sums[q * replicates + r] = prefix[sizes[q]!]!;
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

/** A copy of `a` twice as long. */
function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Per size index q, counts of replicates with base sum ≥ s for s = 0…cap (last entry: ≥ cap), so a
 * tail query costs one look-up plus the few replicates that drew the held-out value's representative.
 */
export function upperCounts(mc: MonteCarloSums, cap: number): Int32Array[] {
  const { sums, replicates } = mc;
  return mc.sizes.map((_, q) => {
    const counts = new Int32Array(cap + 2);
    // Sums are whole numbers ≥ 0 (counts): the bin is the sum itself, or the cap.
    for (let r = q * replicates, end = r + replicates; r < end; r++) {
      const sum = sums[r]!;
      counts[sum < cap ? sum : cap]!++;
    }
    for (let s = cap - 1; s >= 0; s--) counts[s]! += counts[s + 1]!;
    return counts;
  });
}

/** Replicates whose sample sum (size index q, own-value index k) is ≥ s (s ≤ cap). */
export function countAtLeast(mc: MonteCarloSums, upper: Int32Array[], q: number, k: number, ownValue: number, s: number): number {
  const counts = upper[q]!;
  let count = s <= 0 ? mc.replicates : counts[Math.min(s, counts.length - 2)]!;
  const size = mc.sizes[q]!;
  const shift = mc.last - ownValue;
  for (let h = mc.hitStart[k]!; h < mc.hitStart[k + 1]!; h++) {
    if (mc.hitDepth[h]! >= size) continue;
    const base = mc.sums[q * mc.replicates + mc.hitReplicate[h]!]!;
    count += (base + shift >= s ? 1 : 0) - (base >= s ? 1 : 0);
  }
  return count;
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
