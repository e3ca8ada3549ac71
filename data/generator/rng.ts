import seedrandom from "seedrandom";

/** A seeded source of randomness: the only one the generator uses, so one seed fixes every row. */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal deviate (mean 0, standard deviation 1). */
  normal(): number;
  /** Uniform integer in [0, n). */
  integer(n: number): number;
}

/**
 * Creates the generator's random source from a string seed. seedrandom's default ARC4 stream is
 * specified and platform-independent, unlike Math.random, which is what makes the output file
 * byte-identical between runs and machines.
 */
export function createRng(seed: string): Rng {
  const prng = seedrandom(seed);
  const uniform = () => prng.double();
  return { uniform, normal: normalsFrom(uniform), integer: (n) => Math.floor(prng.double() * n) };
}

/**
 * Standard normal deviates from a uniform source in [0, 1) by Box–Muller. It yields normals in
 * pairs; keeping the spare for the next call halves the draws without changing the sequence's
 * determinism. Shared with the benchmark's faster generator (bench/synthetic/random.ts).
 */
export function normalsFrom(uniform: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
}

/** The first index whose running sum exceeds `target` (bisection over non-decreasing sums). */
export function bisectCumulative(cumulative: ArrayLike<number>, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cumulative[mid]! > target) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Draws indices in proportion to fixed non-negative weights. */
export interface WeightedSampler {
  /** Index i with probability weights[i] / sum(weights). */
  sample(rng: Rng): number;
}

/**
 * Builds a sampler over fixed weights (cumulative sums + binary search, O(log n) per draw). Throws
 * when no weight is positive, because a silent fallback would hide a configuration mistake such as
 * an hour mask that closes a place all day.
 */
export function weightedSampler(weights: readonly number[]): WeightedSampler {
  const cumulative: number[] = [];
  let total = 0;
  for (const weight of weights) {
    if (!(weight >= 0) || !Number.isFinite(weight)) throw new Error(`weight ${weight} is not a finite non-negative number`);
    total += weight;
    cumulative.push(total);
  }
  if (total <= 0) throw new Error("weighted sampler needs at least one positive weight");
  return {
    sample: (rng) => bisectCumulative(cumulative, rng.uniform() * total),
  };
}
