import type { CellMonthGrid } from "./cell-month-grid.ts";

/**
 * Each cell's mean count in the same calendar month of earlier years, widened by the months either
 * side to steady it: for forecast origin T,
 *
 *     s_i(T) = mean over years y ≥ 1 with T − 12y − 1 ≥ 0 of (c_i(T−12y−1) + c_i(T−12y) + c_i(T−12y+1)) / 3,
 *
 * which uses months before T only (T − 12y + 1 ≤ T − 11). Null until the history holds a year and a
 * month. Seasonal risk is modelled this way, as a same-season average, by e.g. [@johnson2009].
 */
export function seasonalRates(grid: CellMonthGrid, origin: number): Float64Array | null {
  const n = grid.cells.length;
  const out = new Float64Array(n);
  let years = 0;
  for (let centre = origin - 12; centre - 1 >= 0; centre -= 12) {
    for (const t of [centre - 1, centre, centre + 1]) {
      const base = t * n;
      for (let i = 0; i < n; i++) out[i]! += grid.counts[base + i]! / 3;
    }
    years++;
  }
  if (years === 0) return null;
  for (let i = 0; i < n; i++) out[i]! /= years;
  return out;
}
