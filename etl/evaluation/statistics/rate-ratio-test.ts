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

/** The rule exactTestReading applies, as the lake records it: evaluations computed under another are computed again. */
export const EXACT_TEST_RULE = "a change where the minlike two-sided p < α and the Clopper–Pearson interval excludes 1 (Fay 2010)";

/** What the exact test says about a change (see exactTestReading). */
export type ExactTestReading = "change" | "borderline" | "no_change";

/**
 * What the exact test says about a change at level α: `change` when its two-sided p-value is below α
 * AND its interval at 1 − α excludes a rate ratio of 1; `borderline` when p < α but the interval
 * includes 1; `no_change` otherwise. The minlike p-value of R's poisson.test/binom.test and the
 * Clopper–Pearson interval it reports are not inverses of each other: with unequal periods they
 * often disagree (0 → 3 in 365/182 days: p = 0.037, interval 0.83 to ∞) [@fay2010]. The interval
 * excludes 1 exactly when the central p-value 2·min(P(X ≤ a), P(X ≥ a)) is below α, so `change` is
 * the intersection of the two exact tests' rejections: a change no reported figure contradicts. The
 * one rule for every "significant" of the exact test (outcome rows, detectable splits, power).
 */
export function exactTestReading(test: Pick<RateRatioTestResult, "pValue" | "lower" | "upper">, alpha: number): ExactTestReading {
  if (!(test.pValue < alpha)) return "no_change";
  return test.lower > 1 || test.upper < 1 ? "change" : "borderline";
}

/** Whether the exact test shows a change at level α (exactTestReading is `change`). */
export const exactTestShowsChange = (test: Pick<RateRatioTestResult, "pValue" | "lower" | "upper">, alpha: number): boolean =>
  exactTestReading(test, alpha) === "change";
