import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { ewcDegreesOfFreedom, ewcLongRunVariance } from "./long-run-variance.ts";

/** A method against a reference over the same backtest months. */
export interface PairedComparison {
  /** Months compared (both defined). */
  n: number;
  /** Mean of d_t = method − reference, and its two-sided confidence interval (EWC variance, Student t). */
  meanDifference: number;
  ciLow: number;
  ciHigh: number;
  /** Degrees of freedom ν of the interval's t: the cosine terms of its EWC variance, floor(0.4 n^(2/3)). */
  degreesOfFreedom: number;
  /** Why the interval is NaN, or null where it is given. */
  refusal: string | null;
  /** Months the method was higher, lower, equal. */
  wins: number;
  losses: number;
  ties: number;
}

/**
 * Fewest months compared for which an interval is given, 6 as before (the dashboard's text promises
 * none below). The EWC variance would allow one from 4 months (ν ≥ 1), but up to 11 months it rests
 * on one cosine term and t_1, 12.7 standard errors each side: wide, as so few months warrant.
 */
export const MIN_PAIRED_MONTHS = 6;

/** Two selections of one backtest month caught alike: as many incidents in as many cells (`same` of pairedComparison). */
export function caughtAlike(a: { hits: number; cells: number }, b: { hits: number; cells: number } | undefined): boolean {
  return b !== undefined && a.hits === b.hits && a.cells === b.cells;
}

/**
 * Paired comparison of two accuracy series month by month (e.g. PAI of a method and of the
 * last-12-months baseline): the mean difference d̄ with its Diebold–Mariano-type interval
 * [@diebold1995] in the form Lazarus, Lewis, Stock & Watson recommend for HAR inference
 * [@lazarus2018], and the count of months won, lost and tied (the sign-test view):
 *
 *     d̄ ± t_{(1+level)/2, ν} · √(Ω̂ / n),   ν = floor(0.4 n^(2/3)),
 *
 * Ω̂ the equal-weighted cosine (EWC) long-run variance of d_t over its first ν cosine terms
 * (`ewcLongRunVariance`, `ewcDegreesOfFreedom`): 1 degree of freedom up to 11 months, 2 from 12, 3
 * from 21, 5 from 45. Both methods forecast consecutive months from nearly the same history
 * (last-12-months shares 11 of its 12 months), so d_t is autocorrelated, and in the 1–5 years of a
 * backtest a variance that allows for it is itself noisy and biased down: the Newey–West variance
 * with t_{n−1} used before covered 0 in only 79–87 % of zero-mean AR(1) series (ρ = 0.5) of 12–48
 * months, the paired t in 74 %. EWC with t_ν prices that noise into the critical value (exact for
 * independent normal months): on the same series it covers 0 in 93–94 % (ρ = 0.5) and 95 % (ρ = 0),
 * at the cost of a wider interval, which is the honest answer in so few months
 * (test/paired-comparison.test.ts; test/fixtures/paired-comparison/coverage.R).
 *
 * Pairs where either value is not finite are skipped and the rest taken as consecutive. The interval
 * is NaN, with `refusal` saying why, below MIN_PAIRED_MONTHS months, where every month's difference
 * is the same, or where Ω̂ is 0 (all the variation faster than the first ν cosines).
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
  const degreesOfFreedom = ewcDegreesOfFreedom(n);
  const counts = { n, meanDifference: mean, degreesOfFreedom, wins, losses, ties };
  const refuse = (refusal: string) => ({ ...counts, ciLow: Number.NaN, ciHigh: Number.NaN, refusal });
  if (n < MIN_PAIRED_MONTHS) return refuse(`${n} months compared, fewer than the ${MIN_PAIRED_MONTHS} an interval needs`);
  if (d.every((v) => v === d[0])) return refuse("the difference is the same every month: no variance to estimate");
  const omega = ewcLongRunVariance(d, degreesOfFreedom);
  // The first ν cosines (periods ≥ 2n/ν months) miss variation that is all faster: a zero Ω̂ then is not precision.
  const variance = d.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  if (!(omega > 1e-12 * variance))
    return refuse("the difference varies only from one month to the next, with no slower variation to estimate its variance from");
  const half = tQuantile(1 - (1 - level) / 2, degreesOfFreedom) * Math.sqrt(omega / n);
  return { ...counts, ciLow: mean - half, ciHigh: mean + half, refusal: null };
}
