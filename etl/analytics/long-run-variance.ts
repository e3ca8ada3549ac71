/**
 * Degrees of freedom ν of the equal-weighted cosine (EWC) long-run variance for a series of n
 * observations: the rule ν = 0.4 n^(2/3) that Lazarus, Lewis, Stock & Watson recommend for
 * t-based HAR inference [@lazarus2018], rounded down to a whole number of cosine terms: 0 up to 3
 * observations (no variance), 1 from 4 to 11, 2 from 12 to 20, 3 from 21 to 31, 4 from 32 to 44,
 * 5 from 45 to 58. Down, not to the nearest: fewer terms reach less far from frequency 0, so Ω̂ is
 * less biased by autocorrelation, and t_ν already prices in the variance that fewer terms add.
 * By the cube root, exact for cubes: n ** (2/3) puts 1000 months at 39.999… and ν at 39, not 40.
 */
export function ewcDegreesOfFreedom(n: number): number {
  return n > 0 ? Math.floor(0.4 * Math.cbrt(n) ** 2) : 0;
}

/**
 * Long-run variance of a stationary series (n times the variance of its mean, as n grows) by the
 * equal-weighted cosine estimator [@lazarus2018; @muller2007]:
 *
 *     Ω̂ = (1/ν) Σ_{j=1}^{ν} Λ_j²,   Λ_j = √(2/n) Σ_{t=1}^{n} cos(π j (t − ½)/n) (d_t − d̄),
 *
 * the mean of the series' first ν cosine (DCT-II) coefficients squared, its periodogram near
 * frequency 0. The cosines are orthonormal and orthogonal to the constant, so for independent
 * normal d_t the Λ_j are independent N(0, σ²) and √n d̄ / √Ω̂ is exactly Student t with ν degrees of
 * freedom; under autocorrelation it is so asymptotically with ν fixed. Ω̂ ≥ 0, 0 for a constant
 * series. NaN for an empty series or ν outside 1 … n − 1 (beyond n − 1 the cosines repeat).
 */
export function ewcLongRunVariance(d: ArrayLike<number>, nu: number): number {
  const n = d.length;
  if (n === 0 || !Number.isInteger(nu) || nu < 1 || nu > n - 1) return Number.NaN;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += d[t]!;
  mean /= n;
  let sum = 0;
  for (let j = 1; j <= nu; j++) {
    let lambda = 0;
    for (let t = 0; t < n; t++) lambda += Math.cos((Math.PI * j * (t + 0.5)) / n) * (d[t]! - mean);
    sum += (2 / n) * lambda * lambda;
  }
  return sum / nu;
}
