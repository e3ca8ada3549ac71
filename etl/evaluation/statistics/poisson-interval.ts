import poissonCdf from "@stdlib/stats-base-dists-poisson-cdf";

/**
 * Exact (Garwood) confidence interval of a Poisson mean from one observed count x:
 *
 *     lower = λ with P(X ≥ x; λ) = α/2   (0 when x = 0),    upper = λ with P(X ≤ x; λ) = α/2,
 *
 * α = 1 − level, the same as qchisq(α/2, 2x)/2 and qchisq(1 − α/2, 2x + 2)/2 [@garwood1936]. Found
 * by bisection on the Poisson CDF to 1e-9 relative, so no gamma quantile is needed. For x = 3 at
 * 95 %: 0.6187 to 8.7673. Used to draw the uncertainty of each before and after count.
 */
export function poissonInterval(x: number, level = 0.95): [number, number] {
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`a count must be a whole number ≥ 0, got ${x}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie strictly between 0 and 1, got ${level}`);
  const tail = (1 - level) / 2;
  const lower = x === 0 ? 0 : solve((lambda) => 1 - poissonCdf(x - 1, lambda) - tail, x);
  const upper = solve((lambda) => tail - poissonCdf(x, lambda), x + 1);
  return [lower, upper];
}

/** The root of an increasing function of λ > 0, bracketed by doubling from `guess`. */
function solve(f: (lambda: number) => number, guess: number): number {
  let lo = 0;
  let hi = Math.max(guess, 1);
  while (f(hi) < 0) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-9 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
