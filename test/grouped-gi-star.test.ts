/**
 * groupedGiStar with permutation inference against the same test made cell by cell: every cell its
 * own group (giStarPermutation over per-cell sums, sizes and own counts), z from getisOrdZ, bins from
 * binsOfP / binsFdrOfP. Counts both small (groups found in the direct key table) and beyond 10^5
 * (neighbourhood sums too large for it: the hash), so both look-ups and the chains of groups that
 * share a (sum, W) pair but not an own count are exercised.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binsFdrOfP, binsOfP } from "../etl/analytics/confidence-bins.ts";
import { getisOrdZ } from "../etl/analytics/getis-ord.ts";
import { giStarPermutation, testability, type HotSpotInference } from "../etl/analytics/gi-star-permutation.ts";
import { GiStarWorkspace } from "../etl/analytics/grouped-gi-star.ts";
import { expandHotSpots, groupedHotSpots } from "../etl/analytics/hot-spots.ts";
import { valueCounts } from "../etl/analytics/sample-sum-distribution.ts";
import { fromLists, type BinaryWeights } from "../etl/analytics/spatial-weights.ts";

/** A side × side queen lattice, each cell with itself (Gi*): 4, 6 or 9 neighbours. */
function lattice(side: number): BinaryWeights {
  const lists: number[][] = [];
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const list: number[] = [];
      for (let dr = -1; dr <= 1; dr++)
        for (let dc = -1; dc <= 1; dc++) if (r + dr >= 0 && r + dr < side && c + dc >= 0 && c + dc < side) list.push((r + dr) * side + c + dc);
      lists.push(list);
    }
  }
  return fromLists(lists, true);
}

function cellByCell(counts: Float64Array, weights: BinaryWeights, inference: HotSpotInference & { method: "permutation" }) {
  const n = weights.n;
  const sum = new Float64Array(n);
  const size = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    size[i] = weights.offsets[i + 1]! - weights.offsets[i]!;
    for (let e = weights.offsets[i]!; e < weights.offsets[i + 1]!; e++) sum[i]! += counts[weights.neighbours[e]!]!;
  }
  const vc = valueCounts(counts);
  const test = giStarPermutation(counts, { sum, size, own: counts, groups: n }, inference, vc);
  const tested = testability(vc, [...new Set(size)]) === "tested";
  return {
    z: getisOrdZ(counts, weights),
    p: test.p,
    bin: tested ? binsOfP(test.direction, test.p) : new Int8Array(n),
    binFdr: tested ? binsFdrOfP(test.direction, test.p) : new Int8Array(n),
    inference: test.method,
  };
}

describe("groupedGiStar with permutation inference", () => {
  it("gives every cell the z, p and bins of the cell-by-cell test, for sums in and beyond the direct key table", () => {
    const weights = lattice(12);
    const workspace = new GiStarWorkspace();
    for (const [inference, big] of [
      [{ method: "permutation", permutations: 199, seed: 11 }, 0],
      [{ method: "permutation", permutations: 199, seed: 11 }, 150_000],
      [{ method: "permutation", permutations: 199, seed: 11, exactBudget: 0 }, 0],
    ] as const) {
      fc.assert(
        fc.property(
          fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0), fc.nat(3), fc.nat(40), fc.constant(big), fc.constant(big + 1)), {
            minLength: weights.n,
            maxLength: weights.n,
          }),
          (values) => {
            const counts = Float64Array.from(values);
            if (!counts.some((v) => v > 0)) return;
            const grouped = expandHotSpots(groupedHotSpots(counts, weights, inference, workspace));
            const expected = cellByCell(counts, weights, inference);
            expect(grouped.inference).toBe(expected.inference);
            expect(Array.from(grouped.z)).toEqual(Array.from(expected.z));
            expect(Array.from(grouped.p)).toEqual(Array.from(expected.p));
            expect(Array.from(grouped.bin)).toEqual(Array.from(expected.bin));
            expect(Array.from(grouped.binFdr)).toEqual(Array.from(expected.binFdr));
          },
        ),
        { seed: 20261203, numRuns: 60 },
      );
    }
  });
});
