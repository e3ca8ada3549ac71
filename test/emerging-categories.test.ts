import { describe, expect, it } from "vitest";
import { classifyEmerging } from "../etl/analytics/emerging-categories.ts";
import { mannKendall } from "../etl/analytics/mann-kendall.ts";

// Significance as the 95 % Gi_Bin would give it: |z| ≥ 1.96, signed.
const significance = (z: readonly number[]) => z.map((v) => (Math.abs(v) >= 1.959963984540054 ? Math.sign(v) : 0));
const classify = (z: readonly number[]) => classifyEmerging(z, significance(z)).category;
const rising = Array.from({ length: 12 }, (_, t) => 2 + 0.2 * t); // 2.0 … 4.2, all hot
const level = [3.0, 2.2, 2.8, 2.4, 3.1, 2.1, 2.9, 2.3, 3.0, 2.2, 2.8, 2.4]; // all hot, no trend
const quiet = [0.1, -0.3, 0.2, 0.4, -0.1, 0.0, 0.3, -0.2, 0.1, 0.2, -0.4, 0.1];

// One constructed z-series per hot pattern; each cold pattern is its mirror image (z → −z).
const hot: Array<[string, number[]]> = [
  ["new", [...quiet.slice(0, 11), 2.5]],
  ["consecutive", [...quiet.slice(0, 9), 2.2, 2.4, 2.6]],
  ["intensifying", rising],
  ["persistent", level],
  ["diminishing", [...rising].reverse()],
  ["sporadic", [2.5, 0.1, 0.0, 2.3, 0.5, 0.2, 2.1, 0.3, -0.4, 0.0, 0.1, 2.4]],
  ["oscillating", [-2.5, 0.1, 0.0, 2.3, 0.5, 0.2, -0.3, 0.3, -0.4, 0.0, 0.1, 2.4]],
  ["historical", [...level.slice(0, 11), 0.5]],
];

describe("emerging hot and cold spot categories (ArcGIS definitions)", () => {
  it.each(hot)("%s hot spot", (pattern, z) => {
    expect(classify(z)).toBe(`${pattern}_hot_spot`);
  });

  it.each(hot)("%s cold spot (mirror)", (pattern, z) => {
    expect(classify(z.map((v) => -v))).toBe(`${pattern}_cold_spot`);
  });

  it("no pattern: never significant, or hot now and then but not in the final step and < 90 %", () => {
    expect(classify(quiet)).toBe("no_pattern");
    expect(classify([2.5, 2.6, 0.1, 2.2, ...quiet.slice(4)])).toBe("no_pattern");
    expect(classify([])).toBe("no_pattern");
  });

  it("the trend decides intensifying / persistent / diminishing, at the chosen level", () => {
    const r = classifyEmerging(rising, significance(rising));
    expect(r.trend.z).toBeGreaterThan(0);
    expect(r.trend.p).toBeLessThan(0.05);
    expect(r.hotSteps).toBe(12);
    // The level series alternates strictly: its lag-1 rank autocorrelation is about −1, which leaves
    // the autocorrelation-corrected variance undefined (hamedRao ≤ 0) — no trend test, so no trend.
    expect(mannKendall(level).p).toBeGreaterThan(0.05);
    expect(classifyEmerging(level, significance(level)).trend.p).toBeNaN();
    // With a trend level so strict that nothing passes, a rising hot spot is merely persistent.
    expect(classifyEmerging(rising, significance(rising), 1e-12).category).toBe("persistent_hot_spot");
  });

  it("90 % is inclusive: 9 of 10 hot steps (including the final one) count as ≥ 90 %", () => {
    const nine = [0.5, 2.2, 2.8, 2.4, 3.1, 2.1, 2.9, 2.3, 3.0, 2.2];
    expect(classify(nine)).toBe("persistent_hot_spot");
    const eight = [0.5, 0.4, 2.8, 2.4, 3.1, 2.1, 2.9, 2.3, 3.0, 2.2]; // one run of 8: consecutive
    expect(classify(eight)).toBe("consecutive_hot_spot");
    const gappy = [2.5, 0.4, 0.3, 2.4, 3.1, 2.1, 2.9, 2.3, 3.0, 2.2];
    expect(classify(gappy)).toBe("sporadic_hot_spot");
  });

  it("months with undefined z are not significant and are skipped by the trend test", () => {
    const z = [Number.NaN, ...rising.slice(1)];
    const r = classifyEmerging(z, significance(z));
    expect(r.trend.n).toBe(11);
    expect(r.hotSteps).toBe(11); // 11 of 12 ≥ 90 %, final hot, rising
    expect(r.category).toBe("intensifying_hot_spot");
  });
});
