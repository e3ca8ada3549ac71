import { latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";

// Seven cells in a row east of a point in Vilnius, and the same cells in another order.
const row = Array.from({ length: 7 }, (_, i) => latLngToCell(54.6872, 25.2797 + i * 0.004, 9));
const distinct = [...new Set(row)];

describe("kRingWeights, kept per study area and k", () => {
  it("gives the same object for the same cells in another array, so the stages of a run share one build", () => {
    const first = kRingWeights(distinct, 1);
    expect(kRingWeights([...distinct], 1)).toBe(first);
  });

  it("builds anew for another k, another order or another set of cells", () => {
    const first = kRingWeights(distinct, 1);
    const k2 = kRingWeights(distinct, 2);
    expect(k2).not.toBe(first);
    // k = 2 reaches at least as far as k = 1 from every cell.
    for (let i = 0; i < distinct.length; i++) expect(k2.offsets[i + 1]! - k2.offsets[i]!).toBeGreaterThanOrEqual(first.offsets[i + 1]! - first.offsets[i]!);
    const reversed = [...distinct].reverse();
    const back = kRingWeights(reversed, 1);
    expect(back).not.toBe(first);
    // Cell i of the reversed list is cell n − 1 − i of the original: its neighbours, renumbered.
    const n = distinct.length;
    for (let i = 0; i < n; i++) {
      const mine = Array.from(back.neighbours.subarray(back.offsets[i]!, back.offsets[i + 1]!));
      const theirs = Array.from(first.neighbours.subarray(first.offsets[n - 1 - i]!, first.offsets[n - i]!))
        .map((j) => n - 1 - j)
        .sort((a, b) => a - b);
      expect(mine).toEqual(theirs);
    }
    expect(kRingWeights(distinct.slice(1), 1)).not.toBe(first);
  });

  it("keeps a bounded number of study areas, dropping the least recently used", () => {
    const first = kRingWeights(distinct, 1);
    for (let drop = 1; drop <= 8; drop++) kRingWeights(distinct.slice(drop % distinct.length), 1 + Math.floor(drop / distinct.length));
    expect(kRingWeights(distinct, 1)).not.toBe(first);
    const again = kRingWeights(distinct, 1);
    expect(Array.from(again.neighbours)).toEqual(Array.from(first.neighbours));
  });

  it("still refuses a cell listed twice and a k below 1", () => {
    expect(() => kRingWeights([distinct[0]!, distinct[0]!], 1)).toThrow(/twice/);
    expect(() => kRingWeights(distinct, 0)).toThrow(/positive integer/);
  });
});
