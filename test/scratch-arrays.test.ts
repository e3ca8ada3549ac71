/**
 * The run's scratch arrays (ScratchArrays): a slot's array comes back zeroed and of the length asked,
 * in the memory of the last one where that fits; and emerging hot spots of several grids one after
 * another through one set of scratch arrays are those each grid gives with new arrays — the bigger
 * grid first and a smaller one after (a view of the bigger arrays), then a bigger one again.
 */
import { gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import type { CellMonthGrid } from "../etl/analytics/cell-month-grid.ts";
import { DEFAULT_EMERGING_OPTIONS, emergingWithCube } from "../etl/analytics/emerging-hot-spots.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { ScratchArrays } from "../etl/analytics/scratch-arrays.ts";

describe("scratch arrays", () => {
  it("a slot comes back zeroed, of the length asked, reusing its memory when it fits", () => {
    const scratch = new ScratchArrays();
    const first = scratch.float64("a", 10);
    first.fill(7);
    const smaller = scratch.float64("a", 4);
    expect(smaller.length).toBe(4);
    expect([...smaller]).toEqual([0, 0, 0, 0]);
    expect(smaller.buffer).toBe(first.buffer);
    const larger = scratch.float64("a", 12);
    expect(larger.length).toBe(12);
    expect(larger.buffer).not.toBe(first.buffer);
    // Another slot or another type is another array.
    expect(scratch.float64("b", 4).buffer).not.toBe(larger.buffer);
    const bytes = scratch.int8("a", 4);
    expect(bytes).toBeInstanceOf(Int8Array);
    expect(bytes.buffer).not.toBe(larger.buffer);
  });

  it("grids classified one after another in one set of arrays give what each gives alone", () => {
    const cells = [...new Set(gridDisk(latLngToCell(55.93, 23.31, 8), 4))].sort();
    const weights = kRingWeights(cells, 1);
    let state = 11;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const gridOf = (steps: number, rate: number): CellMonthGrid => ({
      cells,
      months: Array.from({ length: steps }, (_, t) => `20${String(10 + Math.floor(t / 12))}-${String((t % 12) + 1).padStart(2, "0")}`),
      counts: Float64Array.from({ length: steps * cells.length }, () => (random() < rate ? 1 + Math.floor(random() * 4) : 0)),
    });
    const grids = [gridOf(30, 0.3), gridOf(18, 0.1), gridOf(36, 0.2)];
    const scratch = new ScratchArrays();
    for (const grid of grids) {
      const alone = emergingWithCube(grid, weights, DEFAULT_EMERGING_OPTIONS);
      const shared = emergingWithCube(grid, weights, DEFAULT_EMERGING_OPTIONS, undefined, null, scratch);
      expect(shared.grouped).not.toBeNull();
      expect(shared.result).toEqual(alone.result);
      expect(shared.grouped!.lags).toEqual(alone.grouped!.lags);
      expect(shared.tails).toEqual(alone.tails);
    }
  });
});
