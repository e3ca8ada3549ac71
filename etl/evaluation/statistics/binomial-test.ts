import betaQuantile from "@stdlib/stats-base-dists-beta-quantile";
import binomialCdf from "@stdlib/stats-base-dists-binomial-cdf";
import binomialPmf from "@stdlib/stats-base-dists-binomial-pmf";

/** An exact binomial test: two-sided p-value and the Clopper–Pearson interval of the proportion. */
export interface BinomialTestResult {
  /** Successes x out of n trials. */
  x: number;
  n: number;
  /** Proportion under the null hypothesis. */
  p0: number;
  /** x / n. */
  estimate: number;
  pValue: number;
  /** Clopper–Pearson bounds of the proportion at `confidenceLevel`. */
  lower: number;
  upper: number;
  confidenceLevel: number;
}

// R's binom.test counts outcomes "as extreme" with this relative tolerance on the probability.
const RELATIVE_ERROR = 1 + 1e-7;

/**
 * Exact two-sided binomial test of H0: P(success) = p0, as R `binom.test` computes it
 * [@clopper1934; @r-binom-test]. The p-value sums the probabilities of every outcome no more likely
 * than the observed one, d(i) ≤ d(x)·(1 + 10⁻⁷), where d is the Binomial(n, p0) pmf:
 *
 *     x < n·p0:  p = P(X ≤ x) + P(X ≥ n − y + 1),  y = #{ i ≥ ⌈n·p0⌉ : d(i) ≤ d(x)(1 + 10⁻⁷) }
 *     x > n·p0:  p = P(X ≤ y − 1) + P(X ≥ x),      y = #{ i ≤ ⌊n·p0⌋ : d(i) ≤ d(x)(1 + 10⁻⁷) }
 *     x = n·p0:  p = 1
 *
 * The Clopper–Pearson interval [@clopper1934] inverts two one-sided tests with beta quantiles:
 * lower = B⁻¹(α/2; x, n − x + 1) (0 when x = 0), upper = B⁻¹(1 − α/2; x + 1, n − x) (1 when x = n),
 * α = 1 − confidenceLevel. The interval covers the true proportion in at least `confidenceLevel` of
 * repeated samples (it is conservative, never anti-conservative).
 */
export function binomialTest(x: number, n: number, p0: number, confidenceLevel = 0.95): BinomialTestResult {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(x) || x < 0 || x > n) throw new RangeError(`x must be an integer from 0 to n = ${n}, got ${x}`);
  if (!(p0 > 0 && p0 < 1)) throw new RangeError(`p0 must lie strictly between 0 and 1, got ${p0}`);
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) throw new RangeError(`confidenceLevel must lie strictly between 0 and 1, got ${confidenceLevel}`);
  const alpha = 1 - confidenceLevel;
  return {
    x,
    n,
    p0,
    estimate: n === 0 ? Number.NaN : x / n,
    pValue: n === 0 ? 1 : twoSidedP(x, n, p0),
    lower: x === 0 ? 0 : betaQuantile(alpha / 2, x, n - x + 1),
    upper: x === n ? 1 : betaQuantile(1 - alpha / 2, x + 1, n - x),
    confidenceLevel,
  };
}

function twoSidedP(x: number, n: number, p0: number): number {
  const d = binomialPmf(x, n, p0) * RELATIVE_ERROR;
  const m = n * p0;
  if (x === m) return 1;
  // The pmf is unimodal with its mode in [m − 1 + p0, m + p0]: non-increasing on [⌈m⌉, n] and
  // non-decreasing on [0, ⌊m⌋]. So the outcomes counted in y are one run at the far end of the other
  // side, found by bisection: a few dozen pmf calls, not one per outcome (a briefing tests counts in the thousands).
  if (x < m) {
    const first = firstWhere(Math.ceil(m), n, (i) => binomialPmf(i, n, p0) <= d);
    return Math.min(1, binomialCdf(x, n, p0) + upperTail(first, n, p0));
  }
  const y = firstWhere(0, Math.floor(m), (i) => binomialPmf(i, n, p0) > d);
  return Math.min(1, (y > 0 ? binomialCdf(y - 1, n, p0) : 0) + upperTail(x, n, p0));
}

/** The least i in [from, to] with `holds(i)`, or to + 1 when none does; `holds` is false, then true, along the range. */
function firstWhere(from: number, to: number, holds: (i: number) => boolean): number {
  let lo = from;
  let hi = to + 1;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (holds(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** P(X ≥ k) for X ~ Binomial(n, p), 0 when k > n. */
function upperTail(k: number, n: number, p: number): number {
  if (k > n) return 0;
  if (k <= 0) return 1;
  return 1 - binomialCdf(k - 1, n, p);
}
