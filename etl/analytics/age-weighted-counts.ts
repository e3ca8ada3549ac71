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

/**
 * The rows of `ageWeightedRates(grid, halfLife)` one origin at a time, bit for bit (the same
 * recursion), without the table: `rate(T)` is r(T), computed when first asked for and kept. Asked in
 * increasing order (as a backtest does), the recursion runs once over the months up to the largest
 * origin; an origin below the last one reached and not asked before starts it again. A backtest that
 * reuses its earlier folds asks for two or three origins, and the table cost (months + 1) × cells
 * numbers per half-life, written in full (issue 19: the +1 month's backtest).
 */
export function ageWeightedRateRows(grid: CellMonthGrid, halfLife: number): (origin: number) => Float64Array {
  if (!(halfLife > 0)) throw new RangeError(`the half-life must be positive, got ${halfLife}`);
  const n = grid.cells.length;
  const steps = grid.months.length;
  const counts = grid.counts;
  const lambda = halfLife === Number.POSITIVE_INFINITY ? 1 : 2 ** (-1 / halfLife);
  const rows = new Map<number, Float64Array>();
  // The recursion's state after months 0..reached − 1.
  const sum = new Float64Array(n);
  let total = 0;
  let reached = 0;
  return (origin) => {
    const kept = rows.get(origin);
    if (kept) return kept;
    if (!(Number.isInteger(origin) && origin >= 0 && origin <= steps)) throw new RangeError(`origin ${origin} is not a month index in 0..${steps}`);
    if (origin < reached) {
      sum.fill(0);
      total = 0;
      reached = 0;
    }
    for (; reached < origin; reached++) {
      const base = reached * n;
      for (let i = 0; i < n; i++) sum[i] = lambda * sum[i]! + counts[base + i]!;
      total = lambda * total + 1;
    }
    const row = new Float64Array(n);
    // Row 0 of the table is all zero (no history).
    if (origin > 0) for (let i = 0; i < n; i++) row[i] = sum[i]! / total;
    rows.set(origin, row);
    return row;
  };
}
