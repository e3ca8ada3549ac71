import binomialCdf from "@stdlib/stats-base-dists-binomial-cdf";
import binomialPmf from "@stdlib/stats-base-dists-binomial-pmf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import poissonCdf from "@stdlib/stats-base-dists-poisson-cdf";
import poissonPmf from "@stdlib/stats-base-dists-poisson-pmf";

/** The smallest changes a comparison had an even chance — or better, `power` — of detecting, each way. */
export interface MinimumDetectableEffect {
  alpha: number;
  power: number;
  /** Smallest after/before rate ratio > 1 detected with `power`; null when none up to MAX_RATIO is. */
  increase_ratio: number | null;
  /** Largest after/before rate ratio < 1 detected with `power`; null when not even a fall to zero is. */
  decrease_ratio: number | null;
}

// Rate ratios searched for a detectable rise: beyond a 100-fold rise the answer is "none".
const MAX_RATIO = 100;
// Poisson mass left out of the sums over the total count.
const TAIL = 1e-12;
// Above this many expected cases in the two periods the exact sum is slow (each rejection region
// costs O(n)) and the normal approximation of the conditional binomial is as good as exact.
const EXACT_LIMIT = 4000;

/**
 * Power of the conditional test by the normal approximation at n = μ: rejects when
 * |a − nπ0| > z₁₋α/₂ √(nπ0(1 − π0)), with a ≈ Normal(nπ, nπ(1 − π)) under the alternative.
 */
function normalPower(n: number, pi: number, pi0: number, alpha: number): number {
  const z = normalQuantile(1 - alpha / 2, 0, 1);
  const sd = Math.sqrt(n * pi * (1 - pi));
  const half = z * Math.sqrt(n * pi0 * (1 - pi0));
  if (sd === 0) return Math.abs(n * pi - n * pi0) > half ? 1 : 0;
  return normalCdf((n * pi - n * pi0 - half) / sd, 0, 1) + normalCdf((n * pi0 - half - n * pi) / sd, 0, 1);
}

/**
 * Rejection regions of the exact conditional rate-ratio test (rate-ratio-test.ts) by total count n:
 * the after counts a ≥ `rise` or a ≤ `fall` that show a change (n + 1 / −1 when none). They depend
 * only on n, the exposures and α, so one table serves every alternative. A change is shown where
 * both exact tests reject (exactTestShowsChange) [@fay2010]: the minlike p-value — on the
 * Binomial(n, π0) pmf with prefix sums by R's rule, an outcome is as extreme as a when its
 * probability is at most d(a)·(1 + 10⁻⁷), the test's own p-value (binomial-test.ts) computed for
 * all a at once — is below α, and the Clopper–Pearson interval excludes 1, i.e. a's own tail is below
 * α/2. Each test rejects a tail on each side, so each bound is the more extreme of the two tests'
 * bounds; the tests check that the regions are exactly detectable-change.ts's.
 */
export function rejectionRegions(beforeExposure: number, afterExposure: number, alpha: number): (n: number) => { rise: number; fall: number } {
  const pi0 = afterExposure / (afterExposure + beforeExposure);
  const cache = new Map<number, { rise: number; fall: number }>();
  return (n: number) => {
    let region = cache.get(n);
    if (!region) {
      region = regionOf(n, pi0, alpha);
      cache.set(n, region);
    }
    return region;
  };
}

function regionOf(n: number, pi0: number, alpha: number): { rise: number; fall: number } {
  const mode = Math.min(n, Math.floor((n + 1) * pi0));
  // The pmf from its mode outwards by the ratio of neighbours, d(i+1)/d(i) = (n−i)/(i+1) · π0/(1−π0):
  // one library call per n instead of n + 1 (tails that underflow to 0 are never as likely as a).
  const d = new Float64Array(n + 1);
  const odds = pi0 / (1 - pi0);
  d[mode] = binomialPmf(mode, n, pi0);
  for (let i = mode; i < n; i++) d[i + 1] = (d[i]! * (n - i) * odds) / (i + 1);
  for (let i = mode; i > 0; i--) d[i - 1] = (d[i]! * i) / ((n - i + 1) * odds);
  const cumulative = new Float64Array(n + 2);
  for (let i = 0; i <= n; i++) cumulative[i + 1] = cumulative[i]! + d[i]!;
  const tol = 1 + 1e-7;
  // Two-sided p of a: its own tail plus the other side's outcomes no more likely than it (d rises to
  // the mode and falls after it, so those form a tail found by bisection).
  const p = (a: number): number => {
    const limit = d[a]! * tol;
    if (a >= mode) {
      let [lo, hi] = [0, mode]; // count of i < mode with d(i) ≤ limit
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (d[mid]! <= limit) lo = mid + 1;
        else hi = mid;
      }
      return cumulative[lo]! + (cumulative[n + 1]! - cumulative[a]!);
    }
    let [lo, hi] = [mode + 1, n + 1]; // first i > mode with d(i) ≤ limit
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (d[mid]! <= limit) hi = mid;
      else lo = mid + 1;
    }
    return cumulative[a + 1]! + (cumulative[n + 1]! - cumulative[lo]!);
  };
  // The interval excludes 1 where a's own tail, P(X ≥ a) for a rise or P(X ≤ a) for a fall, is below α/2.
  const shows = (a: number): boolean => p(a) < alpha && (a >= mode ? cumulative[n + 1]! - cumulative[a]! : cumulative[a + 1]!) < alpha / 2;
  let rise = n + 1;
  for (let [lo, hi] = [Math.max(mode, 0), n]; lo <= hi;) {
    const mid = (lo + hi) >> 1;
    if (shows(mid)) {
      rise = mid;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  let fall = -1;
  for (let [lo, hi] = [0, Math.min(mode, n)]; lo <= hi;) {
    const mid = (lo + hi) >> 1;
    if (shows(mid)) {
      fall = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return { rise, fall };
}

/**
 * Power of the exact conditional rate-ratio test, two-sided at level α, when the before count is
 * Poisson with mean `beforeMean` and the after rate is `rateRatio` times the before rate (per unit of
 * exposure). As ptools `powalt` does for its exact tests [@wheeler-ptools], the power is the
 * alternative's probability of the outcomes the test rejects, summed exactly — here unconditionally,
 * over the total n ~ Poisson(μb + μa) and, given n, a ~ Binomial(n, μa / (μb + μa)):
 *
 *     power = Σₙ Pois(n; μb + μa) · [P(a ≥ riseₙ) + P(a ≤ fallₙ)],   μa = ρ · μb · E_after / E_before
 *
 * (the sum stops where less than 10⁻¹² of the Poisson mass is left; above 4,000 expected cases the
 * normal approximation of the binomial at n = μb + μa replaces it). Assumes independent Poisson
 * counts: over-dispersed counts (repeat incidents, clusters) have less power than this says.
 */
export function rateTestPower(beforeMean: number, rateRatio: number, beforeExposure = 1, afterExposure = 1, alpha = 0.05): number {
  if (!(beforeMean >= 0 && Number.isFinite(beforeMean))) throw new RangeError(`beforeMean must be a non-negative finite number, got ${beforeMean}`);
  if (!(rateRatio >= 0 && Number.isFinite(rateRatio))) throw new RangeError(`rateRatio must be a non-negative finite number, got ${rateRatio}`);
  return powerWith(rejectionRegions(beforeExposure, afterExposure, alpha), alpha, beforeMean, rateRatio, beforeExposure, afterExposure);
}

function powerWith(
  region: (n: number) => { rise: number; fall: number },
  alpha: number,
  beforeMean: number,
  rateRatio: number,
  beforeExposure: number,
  afterExposure: number,
): number {
  const afterMean = (rateRatio * beforeMean * afterExposure) / beforeExposure;
  const mu = beforeMean + afterMean;
  if (mu === 0) return 0;
  const pi = afterMean / mu;
  if (mu > EXACT_LIMIT) return normalPower(mu, pi, afterExposure / (afterExposure + beforeExposure), alpha);
  const first = Math.max(0, Math.floor(mu - 10 * Math.sqrt(mu) - 10));
  const last = Math.ceil(mu + 12 * Math.sqrt(mu) + 30);
  let power = 0;
  let mass = poissonCdf(first - 1, mu);
  for (let n = first; n <= last && mass < 1 - TAIL; n++) {
    const weight = poissonPmf(n, mu);
    mass += weight;
    if (weight === 0) continue;
    const { rise, fall } = region(n);
    const upper = rise <= n ? 1 - (rise > 0 ? binomialCdf(rise - 1, n, pi) : 0) : 0;
    const lower = fall >= 0 ? binomialCdf(fall, n, pi) : 0;
    power += weight * (upper + lower);
  }
  return Math.min(1, power);
}

/**
 * The minimum detectable effect of the exact rate-ratio test: taking the before count as the before
 * period's mean, the smallest rise and the smallest fall of the rate that the test would detect with
 * probability `power` (80 % by convention [@cohen1988]). Found on a 1 % grid of ratios from 1 outward,
 * then refined by bisection to 10⁻⁶; a fall is null when even a fall to zero has less power — with 3
 * cases before, nothing the project did could have been shown as a fall.
 */
export function minimumDetectableEffect(beforeCount: number, beforeExposure = 1, afterExposure = 1, alpha = 0.05, power = 0.8): MinimumDetectableEffect {
  if (!(power > 0 && power < 1)) throw new RangeError(`power must lie strictly between 0 and 1, got ${power}`);
  const region = rejectionRegions(beforeExposure, afterExposure, alpha);
  const powerOf = (ratio: number) => powerWith(region, alpha, beforeCount, ratio, beforeExposure, afterExposure);
  const search = (step: number, limit: number): number | null => {
    // A fall's limit (0) is cheap to check first; a rise's (a 100-fold rate) would sum thousands of
    // counts, so the grid walks up to it instead.
    if (step < 1 && powerOf(limit) < power) return null;
    let inside = 1;
    let ratio = 1;
    for (;;) {
      const next = step > 1 ? Math.min(ratio * step, limit) : ratio * step < 1e-3 ? limit : ratio * step;
      if (powerOf(next) >= power) {
        let [lo, hi] = [inside, next];
        while (Math.abs(hi - lo) > 1e-6 * Math.max(hi, 1e-3)) {
          const mid = (lo + hi) / 2;
          if (powerOf(mid) >= power) hi = mid;
          else lo = mid;
        }
        return hi;
      }
      if (next === limit) return null;
      inside = ratio = next;
    }
  };
  return {
    alpha,
    power,
    increase_ratio: beforeCount > 0 ? search(1.01, MAX_RATIO) : null,
    decrease_ratio: beforeCount > 0 ? search(1 / 1.01, 0) : null,
  };
}

/**
 * Months of data each period would need — equal before and after periods of m months, at the
 * observed monthly rate — for the exact rate-ratio test to detect a change of the rate by
 * `rateRatio` with probability `power`; null when not even `maxMonths` would do. Power of exact tests
 * rises in small saw-teeth with the counts, so this is the first m with enough power, found by
 * doubling then bisection.
 */
export function monthsNeeded(monthlyRate: number, rateRatio: number, alpha = 0.05, power = 0.8, maxMonths = 600): number | null {
  if (!(monthlyRate > 0 && Number.isFinite(monthlyRate))) throw new RangeError(`monthlyRate must be a positive finite number, got ${monthlyRate}`);
  if (!(rateRatio >= 0 && rateRatio !== 1 && Number.isFinite(rateRatio)))
    throw new RangeError(`rateRatio must be a finite non-negative number other than 1, got ${rateRatio}`);
  const region = rejectionRegions(1, 1, alpha);
  const enough = (months: number) => powerWith(region, alpha, monthlyRate * months, rateRatio, 1, 1) >= power;
  let hi = 1;
  while (!enough(hi)) {
    if (hi >= maxMonths) return null;
    hi = Math.min(hi * 2, maxMonths);
  }
  let lo = Math.floor(hi / 2);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (enough(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The minimum detectable WDD: the smallest difference in differences, in cases, each way, detected with `power`. */
export interface WddDetectable {
  alpha: number;
  power: number;
  /** Smallest |WDD| detected with `power` (same either way: the test is symmetric). */
  cases: number;
}

/**
 * Minimum detectable effect of the WDD [@wheeler2018]: the z-test rejects when |WDD / SE| > z₁₋α/₂,
 * so a true difference δ is detected with probability Φ(δ/SE − z₁₋α/₂) + Φ(−δ/SE − z₁₋α/₂); this
 * solves that for `power` by bisection (≈ (z₁₋α/₂ + z_power) · SE, the far tail adding a little).
 * The SE is the observed one: the counts under the alternative would change it slightly, which the
 * normal approximation already ignores.
 */
export function wddDetectable(se: number, alpha = 0.05, power = 0.8): WddDetectable {
  if (!(se > 0 && Number.isFinite(se))) throw new RangeError(`se must be a positive finite number, got ${se}`);
  const z = normalQuantile(1 - alpha / 2, 0, 1);
  const powerOf = (delta: number) => normalCdf(delta / se - z, 0, 1) + normalCdf(-delta / se - z, 0, 1);
  let lo = 0;
  let hi = (z + normalQuantile(power, 0, 1) + 1) * se;
  while (hi - lo > 1e-10 * se) {
    const mid = (lo + hi) / 2;
    if (powerOf(mid) >= power) hi = mid;
    else lo = mid;
  }
  return { alpha, power, cases: hi };
}
