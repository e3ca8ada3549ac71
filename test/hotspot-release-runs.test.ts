/**
 * A significant cell's counts across two runs. A hull study area grows with a month whose incidents
 * lie outside it, every month is computed again, and every z shifts: a cell significant for all
 * offences in one run may be significant for one category only in the next. Released by which
 * counts were significant, the first run published the cell's "all" (its categories withheld
 * together) and the second its category alone, whose difference is the other category's small count.
 */
import { latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { releaseHotSpotMonth, type CategoryMonth } from "../etl/publish/hotspot-release.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";

const rules = releaseRules({ suppressionThreshold: 5, sensitiveCategories: [] });
const weights = kRingWeights([latLngToCell(52.95, -1.15, 8)], 1);
const month = (category: string, count: number, hot: boolean): CategoryMonth => ({
  category,
  counts: Float64Array.of(count),
  bin: Int8Array.of(hot ? 3 : 0),
  binFdr: Int8Array.of(0),
});

/** The counts one run publishes of the cell, by category. */
const published = (hot: Record<string, boolean>) =>
  Object.fromEntries(
    releaseHotSpotMonth(month("all", 12, hot.all!), [month("theft", 3, hot.theft!), month("vehicle_crime", 9, hot.vehicle_crime!)], weights, rules).flatMap(
      (g) => (g.count[0] == null ? [] : [[g.category, g.count[0]]]),
    ),
  );

describe("a cell's counts over two runs whose bins differ", () => {
  it("are parts of one release: no run's figures with another's give a count below the threshold", () => {
    const first = published({ all: true, theft: false, vehicle_crime: true });
    const second = published({ all: false, theft: false, vehicle_crime: true });
    // 12 incidents, 3 thefts: the total may be shown, neither category (either would give the other back), in any run.
    expect(first).toEqual({ all: 12 });
    expect(second).toEqual({});
  });

  it("still shows a significant category where the cell's release publishes it", () => {
    const counts = (all: number, theft: number, vehicle: number, hot: Record<string, boolean>) =>
      Object.fromEntries(
        releaseHotSpotMonth(
          month("all", all, hot.all!),
          [month("theft", theft, hot.theft!), month("vehicle_crime", vehicle, hot.vehicle_crime!)],
          weights,
          rules,
        ).flatMap((g) => (g.count[0] == null ? [] : [[g.category, g.count[0]]])),
      );
    expect(counts(16, 6, 10, { all: false, theft: false, vehicle_crime: true })).toEqual({ vehicle_crime: 10 });
    expect(counts(16, 6, 10, { all: true, theft: false, vehicle_crime: true })).toEqual({ all: 16, vehicle_crime: 10 });
  });
});
