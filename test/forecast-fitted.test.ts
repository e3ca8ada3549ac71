/**
 * Exponential smoothing with its half-life fitted from the past (fitted-smoothing.ts): the one-step
 * errors and the choice at every origin against base R (test/fixtures/forecast-fitted/
 * forecast-fitted.R, the weighted means written out), the candidate as the grid builds it, and its
 * place among the methods the selection may publish.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ageWeightedRates } from "../etl/analytics/age-weighted-counts.ts";
import type { CellMonthGrid } from "../etl/analytics/cell-month-grid.ts";
import { candidateScorer, candidatesNamed, forecastCandidates, scoringContext, SELECTABLE_FAMILIES } from "../etl/analytics/forecast-candidates.ts";
import { ageWeightedRateAt, FITTED_HALF_LIVES, fittedHalfLives, oneStepSquaredErrors } from "../etl/analytics/fitted-smoothing.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { selectable } from "../etl/analytics/rolling-backtest.ts";
import { monthLabels } from "./helpers/poisson-city.ts";
import { strings } from "../dashboard/src/components/strings.js";

const csv = (name: string) =>
  readFileSync(new URL(`fixtures/forecast-fitted/${name}`, import.meta.url), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(",").map((field) => field.replace(/"/g, "")));

const gridRows = csv("fitted-grid-r.csv").map((r) => r.map(Number));
const cellCount = Math.max(...gridRows.map((r) => r[1]!)) + 1;
const monthCount = Math.max(...gridRows.map((r) => r[0]!)) + 1;
const rGrid: CellMonthGrid = {
  cells: Array.from({ length: cellCount }, (_, i) => `c${i}`),
  months: monthLabels(2020, monthCount),
  counts: new Float64Array(monthCount * cellCount),
};
for (const [month, cell, count] of gridRows) rGrid.counts[month! * cellCount + cell!] = count!;

describe("exponential smoothing with a fitted half-life, against R", () => {
  it("one-step squared errors at h = 1, 6 and ∞ equal R's explicitly weighted forecasts", () => {
    const rows = csv("one-step-errors-r.csv").map((r) => r.map(Number));
    for (const [column, h] of [
      [1, 1],
      [2, 6],
      [3, Number.POSITIVE_INFINITY],
    ] as const) {
      const ours = oneStepSquaredErrors(rGrid, h);
      rows.forEach((r) => expect(ours[r[0]!]).toBeCloseTo(r[column]!, 9));
    }
  });

  it("the half-life chosen at each of the 49 origins is R's which.min over the months before it", () => {
    const rows = csv("fitted-half-lives-r.csv");
    const ours = fittedHalfLives(rGrid);
    expect(ours.length).toBe(rows.length);
    for (const [origin, h] of rows) {
      const expected = h === "NA" ? Number.NaN : h === "Inf" ? Number.POSITIVE_INFINITY : Number(h);
      expect(ours[Number(origin)], `origin ${origin}`).toBe(expected);
    }
    // The doubling in month 30 shortens the memory: no decay before it, 6–8 months by the end.
    expect(ours[29]).toBe(Number.POSITIVE_INFINITY);
    expect(ours[48]).toBeLessThanOrEqual(8);
  });

  it("the candidate scores each origin by the age-weighted rate of its fitted half-life, and refuses origin 0", () => {
    const context = scoringContext(rGrid, kRingWeights([], 1));
    const score = candidateScorer(candidatesNamed(["ewma-fitted"])[0]!, context);
    const fitted = fittedHalfLives(rGrid);
    for (const origin of [2, 20, 40, 48]) {
      const rates = ageWeightedRates(rGrid, fitted[origin]!).subarray(origin * cellCount, (origin + 1) * cellCount);
      expect(Array.from(score(origin).score)).toEqual(Array.from(rates));
    }
    expect(Array.from(score(1).score)).toEqual(Array.from(rGrid.counts.subarray(0, cellCount)));
    expect(() => score(0)).toThrow(/at least one earlier month/);
    expect(FITTED_HALF_LIVES).toContain(Number.POSITIVE_INFINITY);
  });
});

describe("the fitted smoothing among the candidates", () => {
  it("the rate at one origin is ageWeightedRates' row, bit for bit, at every origin and a few half-lives", () => {
    for (const h of [1, 6, 18, Number.POSITIVE_INFINITY]) {
      const table = ageWeightedRates(rGrid, h);
      for (let origin = 0; origin <= monthCount; origin++)
        expect(Array.from(ageWeightedRateAt(rGrid, h, origin))).toEqual(Array.from(table.subarray(origin * cellCount, (origin + 1) * cellCount)));
    }
    expect(() => ageWeightedRateAt(rGrid, 6, monthCount + 1)).toThrow(/not a month index in 0..48/);
    expect(() => ageWeightedRateAt(rGrid, 0, 3)).toThrow(/half-life must be positive/);
  });

  it("may be published beside the stacked forecasts; the other unanchored methods stay evidence", () => {
    const all = forecastCandidates();
    const eligible = selectable(all)!.map((m) => all[m]!);
    expect(SELECTABLE_FAMILIES).toEqual(["stacked", "ewma-fitted"]);
    expect(eligible.filter((c) => c.family !== "stacked").map((c) => c.method)).toEqual(["ewma-fitted"]);
    expect(eligible.length).toBe(all.filter((c) => c.family === "stacked").length + 1);
    // Without a stacked forecast in the backtest (a user's --method list), every candidate may be chosen.
    expect(selectable(candidatesNamed(["kde", "ewma-fitted"]))).toBeUndefined();
  });

  it("is named on the patrol page in both languages", () => {
    expect(strings("en").methodLabel("ewma-fitted")).toBe("Age-weighted history (half-life fitted to the city)");
    expect(strings("lt").methodLabel("ewma-fitted")).toBe("Visa istorija, sverta pagal senumą (pusėjimo trukmė pritaikyta miestui)");
  });
});
