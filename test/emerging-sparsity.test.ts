import { describe, expect, it } from "vitest";
import { EMERGING_MINIMUM_MONTHS, emergingSparsity } from "../etl/analytics/emerging-sparsity.ts";
import { monthRange } from "../etl/analytics/monthly-counts.ts";

/** A grid of `cells` cells over 2019-01 … with one incident in cell 0 in each month of `withIncidents`. */
function grid(months: number, cells: number, withIncidents: readonly number[]) {
  const list = monthRange("2019-01", monthRange("2019-01", "2030-12")[months - 1]!);
  const counts = new Float64Array(months * cells);
  for (const t of withIncidents) counts[t * cells + (t % cells)] = t === 0 ? 40 : 1;
  return { cells: Array.from({ length: cells }, (_, i) => `c${i}`), months: list, counts };
}

describe("emerging hot spots refuse a category too sparse for the method", () => {
  it("counts months with any incident, not incidents: 9 months of 84 are too few however many incidents they hold", () => {
    const sparse = grid(84, 5, [0, 10, 20, 30, 40, 50, 60, 70, 80]);
    expect(emergingSparsity(sparse)).toEqual({ reason: "few_months", months: 84, minimum_months: EMERGING_MINIMUM_MONTHS });
    expect(emergingSparsity(grid(84, 5, [0, 10, 20, 30, 40, 50, 60, 70, 80, 83]))).toBeNull();
  });

  it("takes another minimum, and refuses one that is not a positive whole number", () => {
    expect(emergingSparsity(grid(12, 3, [1, 2, 3]), 3)).toBeNull();
    expect(emergingSparsity(grid(12, 3, [1, 2]), 3)).toMatchObject({ months: 12, minimum_months: 3 });
    expect(emergingSparsity(grid(1, 3, []))).toMatchObject({ months: 1 });
    expect(() => emergingSparsity(grid(12, 3, []), 0)).toThrow(/positive integer, got 0/);
  });
});
