import type { BinaryWeights } from "./spatial-weights.ts";

/**
 * Gi* z-scores in an exact form, for comparisons that floating point gets wrong by an ulp. With
 * binary Gi* weights and whole-number counts, Σx = T, Σx² = Q over the n units of a block (a month,
 * or the whole space-time cube), neighbourhood sum L and W neighbours [@getis1992; @ord1995],
 *
 *     z = (L − x̄W) / (S √((nW − W²)/(n − 1))) = a √(n − 1) / √(D E),
 *     a = nL − TW,   D = nQ − T²,   E = nW − W²,
 *
 * all integers, so two z-scores compare exactly by sign(a) and then a₁² D₂ E₂ against a₂² D₁ E₁
 * (BigInt). getisOrdZ computes the same z in floating point; values equal on paper can differ there
 * by an ulp (issue 13), which would split a tie in the Mann-Kendall test.
 */
export interface ExactGiStar {
  /** Per unit: a = nL − TW (exact while |a| < 2^53), W, and its block. */
  a: Float64Array;
  w: Float64Array;
  block: Int32Array;
  /** Per block: D = nQ − T², and n. */
  d: bigint[];
  n: number[];
}

/**
 * The exact parts of Gi* for consecutive blocks of `counts`, each of `weights.n` units and scored
 * with `weights` (one block: the cube with space-time weights; one per month: monthly Gi*). Null when
 * a count is not a whole number or a part could leave the exact range of doubles.
 */
export function exactGiStar(counts: ArrayLike<number>, weights: BinaryWeights): ExactGiStar | null {
  const size = weights.n;
  const blocks = counts.length / size;
  if (!Number.isInteger(blocks)) throw new RangeError(`${counts.length} counts are not whole blocks of ${size}`);
  const a = new Float64Array(counts.length);
  const w = new Float64Array(counts.length);
  const block = new Int32Array(counts.length);
  const d: bigint[] = [];
  const n: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const base = b * size;
    let total = 0;
    let squares = 0;
    for (let i = 0; i < size; i++) {
      const v = counts[base + i]!;
      if (v === 0) continue;
      if (!(v > 0 && Number.isSafeInteger(v))) return null;
      total += v;
      squares += v * v;
    }
    if (!Number.isSafeInteger(squares) || !Number.isSafeInteger(total)) return null;
    d.push(BigInt(size) * BigInt(squares) - BigInt(total) * BigInt(total));
    n.push(size);
    for (let i = 0; i < size; i++) {
      let lag = 0;
      for (let e = weights.offsets[i]!; e < weights.offsets[i + 1]!; e++) lag += counts[base + weights.neighbours[e]!]!;
      const wi = weights.offsets[i + 1]! - weights.offsets[i]!;
      const value = size * lag - total * wi;
      if (!Number.isSafeInteger(value) || !Number.isSafeInteger(size * lag) || !Number.isSafeInteger(total * wi)) return null;
      a[base + i] = value;
      w[base + i] = wi;
      block[base + i] = b;
    }
  }
  return { a, w, block, d, n };
}

/** sign(z_u − z_v), exact; units whose z is undefined (D = 0 or E = 0) must not be compared. */
export function compareExactGiStar(g: ExactGiStar, u: number, v: number): number {
  const au = g.a[u]!;
  const av = g.a[v]!;
  if (Math.sign(au) !== Math.sign(av)) return Math.sign(au - av);
  if (au === 0) return 0;
  const bu = g.block[u]!;
  const bv = g.block[v]!;
  // The same parts give the same z: the common tie (cells with no incident around them) needs no BigInt.
  if (au === av && bu === bv && g.w[u] === g.w[v]) return 0;
  // z² ∝ a² / (D E), the same √(n − 1) for blocks of one size: compare a_u² D_v E_v with a_v² D_u E_u.
  const left = BigInt(au) * BigInt(au) * g.d[bv]! * exactE(g, v, bv) * BigInt(g.n[bu]! - 1);
  const right = BigInt(av) * BigInt(av) * g.d[bu]! * exactE(g, u, bu) * BigInt(g.n[bv]! - 1);
  const magnitude = left > right ? 1 : left < right ? -1 : 0;
  return au > 0 || magnitude === 0 ? magnitude : -magnitude;
}

/** E = nW − W² of unit x in block b. */
function exactE(g: ExactGiStar, x: number, b: number): bigint {
  const w = BigInt(g.w[x]!);
  return BigInt(g.n[b]!) * w - w * w;
}

/**
 * A comparator of z-scores `z[index(t)]` that uses floating point where two values are clearly apart
 * (relative difference above 1e-9, far beyond the ulps of getisOrdZ) and the exact form otherwise.
 */
export function giStarComparator(z: ArrayLike<number>, exact: ExactGiStar | null, unit: (t: number) => number): (s: number, t: number) => number {
  return (s, t) => {
    const zs = z[unit(s)]!;
    const zt = z[unit(t)]!;
    const difference = zs - zt;
    if (!exact || Math.abs(difference) > 1e-9 * (Math.abs(zs) + Math.abs(zt))) return Math.sign(difference);
    return compareExactGiStar(exact, unit(s), unit(t));
  };
}
