import poissonCdf from "@stdlib/stats-base-dists-poisson-cdf";
import poissonPmf from "@stdlib/stats-base-dists-poisson-pmf";

/** The E-test of two Poisson means: the observed statistic and its two-sided p-value. */
export interface ETestResult {
  /** T(k1, k2), the standardised difference of the observed rates (NaN when both counts are 0). */
  statistic: number;
  pValue: number;
}

// Grid bounds as scipy takes them: poisson.ppf(1e-10) and poisson.ppf(1 - 1e-16).
const LOWER_Q = 1e-10;
const UPPER_Q = 1 - 1e-16;

/**
 * The E-test of H0: λ1 − λ2 = d for Poisson counts k1 over exposure n1 and k2 over n2
 * [@krishnamoorthy2004], computed as scipy `stats.poisson_means_test(k1, n1, k2, n2, diff=d)`
 * [@scipy-poisson-means-test] does, operation for operation:
 *
 *     T(x1, x2) = (x1/n1 − x2/n2 − d) / sqrt(x1/n1² + x2/n2²)
 *     λ̂2 = (k1 + k2)/(n1 + n2) − d·n1/(n1 + n2)                      (restricted MLE under H0)
 *     p = Σ_x1 Σ_x2 Pois(x1; n1(λ̂2 + d)) · Pois(x2; n2·λ̂2) · I(|T(x1, x2)| ≥ |T(k1, k2)|)
 *
 * The double sum runs over each Poisson's [1e-10, 1 − 1e-16] quantile range, as scipy's does; the
 * omitted mass is below 1e-10. When λ̂2 ≤ 0 the null cannot be rejected and p = 1. The E-test is
 * more powerful than the conditional (binomial) test for small counts while keeping its size close
 * to nominal; e.g. (k1, k2) = (3, 8) with equal exposures gives p = 0.1407088692.
 */
export function eTest(k1: number, n1: number, k2: number, n2: number, diff = 0): ETestResult {
  for (const [name, k] of [
    ["k1", k1],
    ["k2", k2],
  ] as const) {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`${name} must be a non-negative integer, got ${k}`);
  }
  for (const [name, n] of [
    ["n1", n1],
    ["n2", n2],
  ] as const) {
    if (!(n > 0 && Number.isFinite(n))) throw new RangeError(`${name} must be a positive finite number, got ${n}`);
  }
  const lambda2 = (k1 + k2) / (n1 + n2) - (diff * n1) / (n1 + n2);
  if (lambda2 <= 0) return { statistic: Number.NaN, pValue: 1 };
  const observed = (k1 / n1 - k2 / n2 - diff) / Math.sqrt(k1 / n1 ** 2 + k2 / n2 ** 2);
  const threshold = Math.abs(observed);
  const mean1 = n1 * (lambda2 + diff);
  const mean2 = n2 * lambda2;
  const [lo1, hi1] = quantileRange(mean1);
  const [lo2, hi2] = quantileRange(mean2);
  const p2 = new Float64Array(hi2 - lo2 + 1);
  for (let x2 = lo2; x2 <= hi2; x2++) p2[x2 - lo2] = poissonPmf(x2, mean2);

  let pValue = 0;
  for (let x1 = lo1; x1 <= hi1; x1++) {
    const p1 = poissonPmf(x1, mean1);
    const rate1 = x1 / n1;
    for (let x2 = lo2; x2 <= hi2; x2++) {
      const rate2 = x2 / n2;
      // 0/0 at x1 = x2 = 0 (d = 0) is NaN and, as in scipy, never counts as extreme.
      const t = (rate1 - rate2 - diff) / Math.sqrt(rate1 / n1 + rate2 / n2);
      if (Math.abs(t) >= threshold) pValue += p1 * p2[x2 - lo2]!;
    }
  }
  return { statistic: observed, pValue: Math.min(1, pValue) };
}

/** [ppf(1e-10), ppf(1 − 1e-16)] of Poisson(mean): the smallest k with cdf(k) ≥ q, for both q. */
function quantileRange(mean: number): [number, number] {
  const ppf = (q: number) => {
    let k = Math.max(0, Math.floor(mean));
    while (k > 0 && poissonCdf(k - 1, mean) >= q) k--;
    while (poissonCdf(k, mean) < q) k++;
    return k;
  };
  return [ppf(LOWER_Q), ppf(UPPER_Q)];
}
