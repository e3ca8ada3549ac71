import type { BinaryWeights } from "./spatial-weights.ts";

/**
 * The least expected neighbourhood count x̄·W at which the normal approximation of Gi* is used: the usual
 * rule for normal approximations of counts asks for an expected count of at least 5 [@cochran1954;
 * the binomial's np ≥ 5], and a neighbourhood sum of rare counts is close to a Poisson sum of mean x̄·W,
 * whose skewness 1/√(x̄·W) is 0.45 there and larger below — the upper tail that Gi*'s hot spots read is
 * the one the approximation understates.
 */
export const MIN_EXPECTED_NEIGHBOURHOOD = 5;

/**
 * Whether a month is too sparse for the normal approximation of Gi*: the expected count in the largest
 * neighbourhood, x̄·W, is below MIN_EXPECTED_NEIGHBOURHOOD. On mostly empty units x̄ and S are so small
 * that one incident alone passes 90 % and two pass 99 %, and three in a 7-cell ring get z ≈ 2.75 at a
 * mean of 0.1 a cell, while such a ring holds three about once in 20 by chance: the approximation's
 * p-values then mark where incidents happened to fall, not where they cluster [@getis1992; @ord1995:
 * the approximation needs the neighbourhood sum near normal]. Smaller neighbourhoods (edge cells) expect
 * fewer, so the largest one decides.
 */
export function tooSparseForNormal(mean: number, w: number): boolean {
  return !(mean * w >= MIN_EXPECTED_NEIGHBOURHOOD);
}

/**
 * Local Getis-Ord statistic as a z-score for every unit, with binary weights [@getis1992; @ord1995].
 *
 * Gi* (weights include the unit itself), with x̄ and S the mean and population standard deviation
 * of x over all n units, W_i = Σ_j w_ij and S1_i = Σ_j w_ij²:
 *
 *     Gi* = (Σ_j w_ij x_j − x̄ W_i) / ( S · sqrt( (n S1_i − W_i²) / (n − 1) ) )
 *
 * Gi (weights exclude the unit) uses the same form over the other n − 1 units: x̄_i and S_i are
 * computed without x_i, and n becomes n − 1. Both match R spdep `localG` with style "B".
 *
 * A positive z means high values cluster around unit i (hot spot), a negative z low values (cold
 * spot). Where the statistic is undefined — every value equal (S = 0), or a unit whose neighbourhood
 * is empty or covers every unit — the z-score is NaN, never a made-up 0.
 */
export function getisOrdZ(x: ArrayLike<number>, w: BinaryWeights): Float64Array {
  const n = w.n;
  if (x.length !== n) throw new RangeError(`x has ${x.length} values but the weights have ${n} units`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`x[${i}] is not a finite number`);
    sum += v;
  }
  const grandMean = sum / n;
  // Centred sum of squares (two-pass) keeps the variance exact for large counts. Zeros, the bulk of
  // a month's cells, share one term: the non-zero terms in index order, then the zeros' at once
  // (groupedGiStar sums the same way, so both give the same bits).
  let m2 = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    if (x[i] === 0) zeros++;
    else m2 += (x[i]! - grandMean) ** 2;
  }
  m2 += zeros * (grandMean * grandMean);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = w.offsets[i]!;
    const end = w.offsets[i + 1]!;
    let lag = 0;
    for (let k = start; k < end; k++) lag += x[w.neighbours[k]!]!;
    // Binary weights: W_i = S1_i = number of neighbours.
    const wi = end - start;
    let m = n;
    let mean = grandMean;
    let variance = m2 / n;
    if (!w.selfIncluded) {
      // Leave x_i out: the centred sum of squares of the other units, by the update formula.
      const dev = x[i]! - grandMean;
      m = n - 1;
      mean = (sum - x[i]!) / m;
      variance = (m2 - (dev * dev * n) / m) / m;
    }
    const sd = Math.sqrt(Math.max(variance, 0));
    const spread = Math.sqrt((m * wi - wi * wi) / (m - 1));
    z[i] = sd > 0 && spread > 0 ? (lag - mean * wi) / (sd * spread) : Number.NaN;
  }
  return z;
}
