/**
 * The exact expansion's WebAssembly row kernel (etl/analytics/sample-sum-rows.ts) against the same
 * loop in JavaScript, bit for bit, and subsetSumCounts on its table against a table of its own.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addRowTimes, addRowTimesJs, rowKernelAvailable, rowTable } from "../etl/analytics/sample-sum-rows.ts";
import { subsetSumCounts, valueCounts } from "../etl/analytics/sample-sum-distribution.ts";

const SEED = { seed: 20260104, numRuns: 200 };

describe("sample-sum row kernel", () => {
  it("runs in WebAssembly on this Node (a module that fails to validate would fall back unseen)", () => {
    expect(rowKernelAvailable()).toBe(true);
  });

  it("adds a row times a factor with the bits of the JavaScript loop, at any offset and length", () => {
    const double = fc.double({ noNaN: true, min: -1e300, max: 1e300 });
    fc.assert(
      fc.property(
        fc.array(double, { minLength: 24, maxLength: 24 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 11 }),
        double,
        fc.integer({ min: 0, max: 5 }),
        (values, from, length, ways, offset) => {
          const to = 12;
          const table = rowTable(offset + values.length).subarray(offset, offset + values.length);
          table.set(values);
          const expected = Float64Array.from(values);
          addRowTimes(table, from, to, length, ways);
          addRowTimesJs(expected, from, to, length, ways);
          expect(Array.from(table, (v) => (Object.is(v, -0) ? "-0" : v))).toEqual(Array.from(expected, (v) => (Object.is(v, -0) ? "-0" : v)));
        },
      ),
      SEED,
    );
  });

  it("gives subsetSumCounts the same table in its memory as in an array of its own, growing the memory", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 6 }), (x, maxSize) => {
        const vc = valueCounts(x);
        const cap = x.reduce((a, b) => a + b, 0) + 1;
        const own = subsetSumCounts(vc, maxSize, cap);
        const inKernel = subsetSumCounts(vc, maxSize, cap, rowTable((maxSize + 1) * (cap + 1)));
        expect(Buffer.from(inKernel.buffer, inKernel.byteOffset, inKernel.byteLength).equals(Buffer.from(own.buffer, own.byteOffset, own.byteLength))).toBe(
          true,
        );
      }),
      SEED,
    );
    // Larger than any table before: the memory grows and the new view covers it.
    expect(rowTable(3_000_000).length).toBeGreaterThanOrEqual(3_000_000);
  });
});
