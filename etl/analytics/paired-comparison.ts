import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { bartlettLongRunVariance, neweyWestLag } from "./long-run-variance.ts";

/** A method against a reference over the same backtest months. */
export interface PairedComparison {
  /** Months compared (both defined). */
  n: number;
  /** Mean of d_t = method − reference, and its two-sided confidence interval (Diebold–Mariano, Newey–West variance). */
  meanDifference: number;
  ciLow: number;
  ciHigh: number;
  /** Truncation lag of the Newey–West variance (autocovariances at lags 1 … lag). */
  lag: number;
  /** Why the interval is NaN, or null where it is given. */
  refusal: string | null;
  /** Months the method was higher, lower, equal. */
  wins: number;
  losses: number;
  ties: number;
}

/** Fewest months compared for which an interval is given: below 6 the autocovariances at lags 1 … 2 rest on 3–5 pairs. */
export const MIN_PAIRED_MONTHS = 6;

/** Two selections of one backtest month caught alike: as many incidents in as many cells (`same` of pairedComparison). */
export function caughtAlike(a: { hits: number; cells: number }, b: { hits: number; cells: number } | undefined): boolean {
  return b !== undefined && a.hits === b.hits && a.cells === b.cells;
}

/**
 * Paired comparison of two accuracy series month by month (e.g. PAI of a method and of the
 * last-12-months baseline): the mean difference d̄ with the Diebold–Mariano interval [@diebold1995]
 * in Harvey, Leybourne & Newbold's small-sample form [@harvey1997], and the count of months won,
 * lost and tied (the sign-test view):
 *
 *     d̄ ± t_{(1+level)/2, n−1} · √(Ω̂ / n) / k,   k = √((n − 1)/n)  (HLN's factor at horizon h = 1),
 *
 * Ω̂ the Bartlett long-run variance of d_t with truncation lag L = floor(4 (n/100)^(2/9)) [@newey1987;
 * @newey1994] (`bartlettLongRunVariance`). This is R's `forecast::dm.test(e1, e2, h = 1, power = 1)`
 * inverted, except for L: dm.test takes the lag from the horizon, h − 1 = 0 (optimal one-step forecasts
 * have uncorrelated errors), and with lag 0 the interval is exactly the paired t one. Here both methods
 * forecast consecutive months from nearly the same history (last-12-months shares 11 of its 12 months),
 * so d_t is autocorrelated whatever the horizon, and the Newey–West lag, which grows with n, estimates
 * that dependence where lag 0 ignores it. On zero-mean AR(1) differences with ρ = 0.5 the interval
 * covers 0 in 82–87 % of series of 24–48 months, the paired t interval in 74 %: closer to 95 %, not
 * there, as the Newey–West variance is biased down in so few months (test/paired-comparison.test.ts).
 *
 * Pairs where either value is not finite are skipped and the rest taken as consecutive. The interval
 * is NaN, with `refusal` saying why, below MIN_PAIRED_MONTHS months or where Ω̂ is not positive (every
 * month's difference the same).
 *
 * `same` marks months where the two are the same in substance though their values differ (a
 * backtest's PAI of two selections that caught as many incidents in as many cells differs only by
 * the few-per-10⁴ spread of H3 cell areas): they count as ties, not as months won or lost. The mean
 * and interval keep the values as they are.
 */
export function pairedComparison(method: ArrayLike<number>, reference: ArrayLike<number>, level = 0.95, same?: ArrayLike<boolean>): PairedComparison {
  if (method.length !== reference.length || (same !== undefined && same.length !== method.length)) throw new RangeError("the two series differ in length");
  const d: number[] = [];
  let wins = 0;
  let losses = 0;
  let ties = 0;
  for (let t = 0; t < method.length; t++) {
    const a = method[t]!;
    const b = reference[t]!;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    d.push(a - b);
    if (same?.[t] || a === b) ties++;
    else if (a > b) wins++;
    else losses++;
  }
  const n = d.length;
  const mean = n > 0 ? d.reduce((s, v) => s + v, 0) / n : Number.NaN;
  const lag = neweyWestLag(n);
  const counts = { n, meanDifference: mean, lag, wins, losses, ties };
  if (n < MIN_PAIRED_MONTHS)
    return { ...counts, ciLow: Number.NaN, ciHigh: Number.NaN, refusal: `${n} months compared, fewer than the ${MIN_PAIRED_MONTHS} an interval needs` };
  const omega = bartlettLongRunVariance(d, lag);
  if (!(omega > 0)) return { ...counts, ciLow: Number.NaN, ciHigh: Number.NaN, refusal: "the difference is the same every month: no variance to estimate" };
  // √(Ω̂/n) / √((n − 1)/n) = √(Ω̂/(n − 1)).
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(omega / (n - 1));
  return { ...counts, ciLow: mean - half, ciHigh: mean + half, refusal: null };
}
