/**
 * Truncation lag of the Bartlett kernel by the Newey–West rule of thumb floor(4 (n/100)^(2/9))
 * [@newey1994]: 1 below 5 observations, 2 from 5 to 27, 3 from 28 to 99, 4 from 100 to 272.
 */
export function neweyWestLag(n: number): number {
  return n > 0 ? Math.floor(4 * (n / 100) ** (2 / 9)) : 0;
}

/**
 * Long-run variance of a stationary series (n times the variance of its mean, as n grows) by the
 * Bartlett kernel [@newey1987]:
 *
 *     Ω̂ = γ̂_0 + 2 Σ_{j=1}^{L} (1 − j/(L+1)) γ̂_j,   γ̂_j = (1/n) Σ_{t=j+1}^{n} (d_t − d̄)(d_{t−j} − d̄),
 *
 * the autocovariances with divisor n, as R's `acf(type = "covariance")` and `forecast::dm.test(varestimator =
 * "bartlett")`. The Bartlett weights make Ω̂ ≥ 0 for any series; it is 0 for a constant one. Lag 0 gives
 * γ̂_0, the variance with divisor n. Lags beyond n − 1 have no pairs and are ignored.
 */
export function bartlettLongRunVariance(d: ArrayLike<number>, lag: number): number {
  const n = d.length;
  if (n === 0) return Number.NaN;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += d[t]!;
  mean /= n;
  const centred = Float64Array.from({ length: n }, (_, t) => d[t]! - mean);
  const autocovariance = (j: number) => {
    let s = 0;
    for (let t = j; t < n; t++) s += centred[t]! * centred[t - j]!;
    return s / n;
  };
  let omega = autocovariance(0);
  for (let j = 1; j <= Math.min(lag, n - 1); j++) omega += 2 * (1 - j / (lag + 1)) * autocovariance(j);
  return omega;
}
