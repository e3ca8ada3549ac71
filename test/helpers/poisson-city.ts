import { gridDisk, latLngToCell } from "h3-js";
import type { CellMonthGrid } from "../../etl/analytics/cell-month-grid.ts";
import { mulberry32 } from "../../etl/analytics/sample-sum-monte-carlo.ts";

/** `count` consecutive calendar months "YYYY-MM" from January of `firstYear`. */
export function monthLabels(firstYear: number, count: number): string[] {
  return Array.from({ length: count }, (_, t) => `${firstYear + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`);
}

/** The H3 cells within `radius` grid steps of a resolution-8 cell in Medellín, sorted (3r² + 3r + 1 cells). */
export function diskCells(radius: number): string[] {
  return gridDisk(latLngToCell(6.25, -75.57, 8), radius).sort();
}

/**
 * A synthetic city whose answer is known: independent Poisson counts of the given cell rates
 * (`rate(i)` per month for cell i), month after month, from a seeded generator so that every run
 * draws the same counts. Knuth's product method, which is exact and fast for the small rates used.
 */
export function poissonCity(cells: readonly string[], months: readonly string[], rate: (i: number) => number, seed: number): CellMonthGrid {
  const random = mulberry32(seed);
  const counts = new Float64Array(months.length * cells.length);
  for (let t = 0; t < months.length; t++) {
    for (let i = 0; i < cells.length; i++) {
      const limit = Math.exp(-rate(i));
      let k = 0;
      for (let p = random(); p > limit; p *= random()) k++;
      counts[t * cells.length + i] = k;
    }
  }
  return { cells, months, counts };
}
