import { bisectCumulative, normalsFrom } from "../../data/generator/rng.ts";

/**
 * A fast seeded random source for the synthetic benchmark data: sfc32 (Chris Doty-Humphrey's small
 * fast chaotic generator, 128-bit state, passes PractRand to many terabytes), seeded from a string
 * by a 32-bit FNV-1a hash per word. Deterministic on every platform: only 32-bit integer arithmetic.
 * seedrandom (used by the demo generator) is about ten times slower, which matters at 10 M rows.
 */
export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal deviate (Box–Muller, pairs kept; see normalsFrom). */
  normal(): number;
  /** Uniform integer in [0, n). */
  integer(n: number): number;
}

export function createRandom(seed: string): Random {
  let a = fnv1a(`${seed}#a`);
  let b = fnv1a(`${seed}#b`);
  let c = fnv1a(`${seed}#c`);
  let d = fnv1a(`${seed}#d`);
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next(); // mix the seed in
  return { uniform: next, normal: normalsFrom(next), integer: (n) => Math.floor(next() * n) };
}

/** Index drawn in proportion to `cumulative` (running sums of non-negative weights), by bisection. */
export function drawIndex(random: Random, cumulative: Float64Array): number {
  return bisectCumulative(cumulative, random.uniform() * cumulative[cumulative.length - 1]!);
}

/** Running sums of `weights`. */
export function cumulativeOf(weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) out[i] = total += weights[i]!;
  return out;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
