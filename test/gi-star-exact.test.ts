/**
 * Exact Gi* comparisons: z-scores equal on paper compare equal even where getisOrdZ's doubles differ
 * by an ulp, and clearly different ones compare as their doubles do.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getisOrdZ } from "../etl/analytics/getis-ord.ts";
import { compareExactGiStar, exactGiStar, giStarComparator } from "../etl/analytics/gi-star-exact.ts";
import { fromLists } from "../etl/analytics/spatial-weights.ts";

// A 5 × 5 grid (n = 25: the mean is no binary fraction) with rook neighbours and the cell itself.
const side = 5;
const weights = fromLists(
  Array.from({ length: side * side }, (_, i) =>
    [i, i - side, i + side, ...(i % side ? [i - 1] : []), ...(i % side < side - 1 ? [i + 1] : [])].filter((j) => j >= 0 && j < side * side),
  ),
  true,
);
const n = side * side;

describe("exactGiStar", () => {
  it("orders every pair of z-scores of two months as their doubles do where they are clearly apart", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(9), { minLength: 2 * n, maxLength: 2 * n }), (values) => {
        fc.pre(
          values.slice(0, n).some((v) => v > 0) &&
            values.slice(n).some((v) => v > 0) &&
            new Set(values.slice(0, n)).size > 1 &&
            new Set(values.slice(n)).size > 1,
        );
        const z = [...getisOrdZ(values.slice(0, n), weights), ...getisOrdZ(values.slice(n), weights)];
        const exact = exactGiStar(values, weights)!;
        for (let u = 0; u < 2 * n; u++) {
          for (let v = 0; v < 2 * n; v++) {
            if (Math.abs(z[u]! - z[v]!) > 1e-9) expect(compareExactGiStar(exact, u, v)).toBe(Math.sign(z[u]! - z[v]!));
          }
        }
      }),
      { seed: 13, numRuns: 40 },
    );
  });

  it("finds ties that floating point splits: the same cell in two months with the same values elsewhere rearranged", () => {
    // Month 2 swaps values between cells far from cell 0: T, Σx², cell 0's neighbourhood sum and W
    // are unchanged, so its z is the same on paper; getisOrdZ sums the squares in another order.
    let found = 0;
    fc.assert(
      fc.property(fc.array(fc.nat(40), { minLength: n, maxLength: n }), (first) => {
        fc.pre(first.some((v) => v > 0));
        const second = [...first];
        [second[18], second[24], second[23], second[19]] = [first[24]!, first[18]!, first[19]!, first[23]!];
        const counts = [...first, ...second];
        const z = [...getisOrdZ(first, weights), ...getisOrdZ(second, weights)];
        const exact = exactGiStar(counts, weights)!;
        expect(compareExactGiStar(exact, 0, n)).toBe(0);
        expect(giStarComparator(z, exact, (t) => t * n)(0, 1)).toBe(0);
        if (z[0] !== z[n]) found++;
      }),
      { seed: 14, numRuns: 300 },
    );
    expect(found).toBeGreaterThan(0);
  });
});
