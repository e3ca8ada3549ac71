import type { CellMonthGrid } from "./cell-month-grid.ts";

/**
 * The half-lives (months) the fitted smoothing chooses among: about √2 apart from one month to four
 * years, and no decay. A grid rather than a continuous optimiser, so that the choice is exact and
 * cheap to reproduce; it spans every memory the fixed `ewma(h)` candidates offer and the gaps
 * between them.
 */
export const FITTED_HALF_LIVES: readonly number[] = [1, 1.5, 2, 3, 4, 6, 8, 12, 18, 24, 36, 48, Number.POSITIVE_INFINITY];

/**
 * The one-step-ahead squared error of the age-weighted rate (`ageWeightedRates`) of half-life h over
 * the whole grid, month by month: for t = 1..months−1,
 *
 *     e_h(t) = Σ_i (c_i(t) − r_i^h(t))²,
 *
 * where r^h(t) is the forecast of month t from months 0..t−1 only (element 0 is 0: month 0 has no
 * forecast). Streamed in one pass, without keeping the rates.
 */
export function oneStepSquaredErrors(grid: CellMonthGrid, halfLife: number): Float64Array {
  if (!(halfLife > 0)) throw new RangeError(`the half-life must be positive, got ${halfLife}`);
  const n = grid.cells.length;
  const steps = grid.months.length;
  const lambda = halfLife === Number.POSITIVE_INFINITY ? 1 : 2 ** (-1 / halfLife);
  const sum = new Float64Array(n);
  const errors = new Float64Array(steps);
  let total = 0;
  for (let t = 1; t < steps; t++) {
    const previous = (t - 1) * n;
    for (let i = 0; i < n; i++) sum[i] = lambda * sum[i]! + grid.counts[previous + i]!;
    total = lambda * total + 1;
    const base = t * n;
    let e = 0;
    for (let i = 0; i < n; i++) e += (grid.counts[base + i]! - sum[i]! / total) ** 2;
    errors[t] = e;
  }
  return errors;
}

/**
 * The age-weighted rate of every cell at one origin, r^h(T) of `ageWeightedRates` (bit for bit: the
 * same recursion), without the rows of the other origins — the fitted half-life changes from origin
 * to origin, and keeping a full table per half-life would cost (months + 1) × cells numbers each.
 */
export function ageWeightedRateAt(grid: CellMonthGrid, halfLife: number, origin: number): Float64Array {
  if (!(halfLife > 0)) throw new RangeError(`the half-life must be positive, got ${halfLife}`);
  if (!(Number.isInteger(origin) && origin >= 0 && origin <= grid.months.length))
    throw new RangeError(`origin ${origin} is not a month index in 0..${grid.months.length}`);
  const n = grid.cells.length;
  const lambda = halfLife === Number.POSITIVE_INFINITY ? 1 : 2 ** (-1 / halfLife);
  const sum = new Float64Array(n);
  let total = 0;
  for (let t = 1; t <= origin; t++) {
    const base = (t - 1) * n;
    for (let i = 0; i < n; i++) sum[i] = lambda * sum[i]! + grid.counts[base + i]!;
    total = lambda * total + 1;
  }
  return total === 0 ? sum : sum.map((v) => v / total);
}

/**
 * Simple exponential smoothing with its smoothing weight estimated from the past, per forecast
 * origin: the half-life of least one-step-ahead squared error over the months before the origin,
 *
 *     h(T) = argmin_{h ∈ halfLives} Σ_{t=1..T−1} e_h(t)     (`oneStepSquaredErrors`),
 *
 * the least-squares estimate of the smoothing parameter that exponential smoothing is fitted by
 * [@brown1959; @gardner1985; @hyndman2008, §2.2], pooled over every cell of the grid (one weight
 * per city and category, as the cells share the city's pace of change). Each error forecasts month t
 * from months before t, and every t < T, so h(T) reads nothing from month T or later and a level
 * shift in the recent months shortens the memory as soon as the shorter one would have predicted
 * them better. Element T is h(T) for T = 0..months (the rates' origins); NaN where fewer than one
 * error is available (T < 2). Ties go to the shorter half-life (the first in `halfLives`).
 *
 * Assumptions: squared error weighs the busy cells most, which are the ones a patrol list is made of;
 * the months' errors are summed with equal weight, so a change of pace is followed only as fast as
 * its months outweigh the earlier ones.
 */
export function fittedHalfLives(grid: CellMonthGrid, halfLives: readonly number[] = FITTED_HALF_LIVES): Float64Array {
  if (halfLives.length === 0) throw new RangeError("give at least one half-life to choose from");
  const steps = grid.months.length;
  const cumulative = halfLives.map((h) => {
    const e = oneStepSquaredErrors(grid, h);
    const out = new Float64Array(steps + 1);
    for (let t = 1; t <= steps; t++) out[t] = out[t - 1]! + (t - 1 >= 1 ? e[t - 1]! : 0);
    return out;
  });
  const chosen = new Float64Array(steps + 1).fill(Number.NaN);
  for (let origin = 2; origin <= steps; origin++) {
    let best = 0;
    for (let k = 1; k < halfLives.length; k++) if (cumulative[k]![origin]! < cumulative[best]![origin]!) best = k;
    chosen[origin] = halfLives[best]!;
  }
  return chosen;
}
