/**
 * The scorers' inputs computed for the origins asked only (issue 19: a backtest that reuses its earlier
 * folds scores two or three origins): the age-weighted rates row by row, and the Gi* z of the months a
 * "gi-star-mean" score reads, each equal bit for bit to the whole-history computation they replace.
 */
import { describe, expect, it } from "vitest";
import { ageWeightedRateRows, ageWeightedRates } from "../etl/analytics/age-weighted-counts.ts";
import type { CellMonthGrid } from "../etl/analytics/cell-month-grid.ts";
import { monthSlice } from "../etl/analytics/cell-month-grid.ts";
import { getisOrdZ } from "../etl/analytics/getis-ord.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { scorer } from "../etl/analytics/patrol-scores.ts";
import { gridDisk, latLngToCell } from "h3-js";
import { monthLabels } from "./helpers/poisson-city.ts";

const cells = gridDisk(latLngToCell(55.93, 23.31, 8), 3).sort();
const months = monthLabels(2020, 30);
let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const grid: CellMonthGrid = { cells, months, counts: Float64Array.from({ length: cells.length * months.length }, () => Math.floor(random() * random() * 6)) };
const n = cells.length;

describe("rates and z computed for the origins asked only", () => {
  it("ageWeightedRateRows gives ageWeightedRates' rows bit for bit, whatever order the origins are asked in", () => {
    for (const h of [1, 3, 24, Number.POSITIVE_INFINITY]) {
      const table = ageWeightedRates(grid, h);
      const rows = ageWeightedRateRows(grid, h);
      // Ascending, then back to earlier origins (the recursion starts again), then ones already asked.
      for (const origin of [0, 1, 5, 17, 30, 3, 29, 0, 17, 2]) expect(rows(origin)).toEqual(table.subarray(origin * n, (origin + 1) * n));
      expect(() => rows(31)).toThrow(/not a month index/);
      expect(() => rows(1.5)).toThrow(/not a month index/);
    }
  });

  it("gi-star-mean is the mean of the window's finite z, each month's z computed when first read", () => {
    const weights = kRingWeights(cells, 1);
    const score = scorer("gi-star-mean", grid, weights, { window: 12, halfLife: 3, ringWeight: 0.5 });
    const z = months.map((_, t) => getisOrdZ(monthSlice(grid, t), weights));
    for (const origin of [30, 1, 13, 12, 29]) {
      const expected = Float64Array.from(cells, (_, i) => {
        let sum = 0;
        let m = 0;
        for (let lag = 1; lag <= 12 && origin - lag >= 0; lag++) {
          const v = z[origin - lag]![i]!;
          if (Number.isFinite(v)) {
            sum += v;
            m++;
          }
        }
        return m > 0 ? sum / m : Number.NaN;
      });
      expect(score(origin).score).toEqual(expected);
    }
  });
});
