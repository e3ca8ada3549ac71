import type { CellMonthGrid } from "./cell-month-grid.ts";

/**
 * Age-weighted monthly rates of every cell at every forecast origin — exponential smoothing over
 * the whole history [@brown1959]. For origin T (forecasting month T from months 0..T−1), with
 * λ = 2^(−1/halfLife),
 *
 *     r_i(T) = Σ_{l=1..T} λ^(l−1) c_i(T−l)  /  Σ_{l=1..T} λ^(l−1),
 *
 * a weighted mean of the cell's monthly counts in which a month `halfLife` months older weighs half
 * as much (halfLife = Infinity: the plain mean over all earlier months). Row T of the result
 * (`rates.subarray(T·n, (T+1)·n)`) is r(T), for T = 0..months (row 0 is all zero: no history);
 * computed by the recursion S(T) = λ S(T−1) + c(T−1) in one pass over the grid.
 */
export function ageWeightedRates(grid: CellMonthGrid, halfLife: number): Float64Array {
  if (!(halfLife > 0)) throw new RangeError(`the half-life must be positive, got ${halfLife}`);
  const n = grid.cells.length;
  const steps = grid.months.length;
  const lambda = halfLife === Number.POSITIVE_INFINITY ? 1 : 2 ** (-1 / halfLife);
  const rates = new Float64Array((steps + 1) * n);
  const sum = new Float64Array(n);
  let total = 0;
  for (let t = 1; t <= steps; t++) {
    const base = (t - 1) * n;
    for (let i = 0; i < n; i++) sum[i] = lambda * sum[i]! + grid.counts[base + i]!;
    total = lambda * total + 1;
    for (let i = 0; i < n; i++) rates[t * n + i] = sum[i]! / total;
  }
  return rates;
}
