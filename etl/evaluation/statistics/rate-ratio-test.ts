import { binomialTest } from "./binomial-test.ts";

/** The exact conditional test of two Poisson rates, reported as the ratio after/before. */
export interface RateRatioTestResult {
  /** (after / afterExposure) / (before / beforeExposure); Infinity when before = 0 < after, NaN when both are 0. */
  rateRatio: number;
  pValue: number;
  /** Confidence bounds of the rate ratio (upper is Infinity when before = 0). */
  lower: number;
  upper: number;
  confidenceLevel: number;
}

/**
 * Exact conditional (binomial) test of H0: the rate after equals the rate before, for Poisson counts
 * observed over exposures (time, or time × population) — R `poisson.test(c(after, before),
 * T = c(afterExposure, beforeExposure))` [@r-poisson-test; @przyborowski1940].
 *
 * Given the total n = after + before, the after count is Binomial(n, π0) under H0 with
 * π0 = E_after / (E_after + E_before). The two-sided p-value is the exact binomial one (see
 * binomial-test.ts) and the Clopper–Pearson interval [πL, πU] of π maps to the rate ratio
 * ρ = (π / (1 − π)) · (E_before / E_after) [@clopper1934]. With equal exposures this is the
 * test of after vs before counts with π0 = ½; e.g. 3 → 8 gives p = 0.2265625 and ρ = 2.667 with
 * 95 % CI [0.640036, 15.606].
 */
export function rateRatioTest(before: number, after: number, beforeExposure = 1, afterExposure = 1, confidenceLevel = 0.95): RateRatioTestResult {
  for (const [name, value] of [
    ["beforeExposure", beforeExposure],
    ["afterExposure", afterExposure],
  ] as const) {
    if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`${name} must be a positive finite number, got ${value}`);
  }
  const n = before + after;
  const test = binomialTest(after, n, afterExposure / (afterExposure + beforeExposure), confidenceLevel);
  const scale = beforeExposure / afterExposure;
  const toRatio = (pi: number) => (pi >= 1 ? Number.POSITIVE_INFINITY : (pi / (1 - pi)) * scale);
  return {
    rateRatio: n === 0 ? Number.NaN : before === 0 ? Number.POSITIVE_INFINITY : after / afterExposure / (before / beforeExposure),
    pValue: test.pValue,
    lower: n === 0 ? 0 : toRatio(test.lower),
    upper: n === 0 ? Number.POSITIVE_INFINITY : toRatio(test.upper),
    confidenceLevel,
  };
}
