import { describe, expect, it } from "vitest";
import { getisOrdZ } from "../etl/analytics/getis-ord.ts";
import { fromLists, weightsFromEdges } from "../etl/analytics/spatial-weights.ts";
import { readSharedCsv } from "./helpers/shared.ts";

// References: R spdep localG with binary weights, computed by ../shared/reference/make_gi_reference.R.
const TOLERANCE = 1e-9;

function referenceCase(values: string, edges: string, valueColumn: string) {
  const rows = readSharedCsv("reference", values);
  const x = rows.map((r) => Number(r[valueColumn]));
  const pairs = readSharedCsv("reference", edges).map((e) => [Number(e.from) - 1, Number(e.to) - 1] as const);
  return {
    x,
    pairs,
    giStar: rows.map((r) => Number(r.gi_star_z)),
    gi: rows.map((r) => Number(r.gi_z)),
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe("Getis-Ord local statistics against R spdep", () => {
  for (const [name, values, edges, column, units] of [
    ["Columbus crime, queen contiguity", "columbus_crime_gi.csv", "columbus_queen_edges.csv", "crime", 49],
    ["Getis & Ord (1996) grid, distance 30", "getisord_gi_star.csv", "getisord_edges_d30.csv", "val", 256],
  ] as const) {
    const ref = referenceCase(values, edges, column);

    it(`${name}: Gi* matches to 1e-9`, () => {
      expect(ref.x).toHaveLength(units);
      const z = getisOrdZ(ref.x, weightsFromEdges(ref.x.length, ref.pairs, true));
      expect(maxAbsDiff(z, ref.giStar)).toBeLessThanOrEqual(TOLERANCE);
    });

    it(`${name}: Gi (self excluded) matches to 1e-9`, () => {
      const z = getisOrdZ(ref.x, weightsFromEdges(ref.x.length, ref.pairs, false));
      expect(maxAbsDiff(z, ref.gi)).toBeLessThanOrEqual(TOLERANCE);
    });
  }

  it("Getis & Ord report G = 1.22 for unit 120 of their grid (spdep 1.221979)", () => {
    const ref = referenceCase("getisord_gi_star.csv", "getisord_edges_d30.csv", "val");
    const z = getisOrdZ(ref.x, weightsFromEdges(ref.x.length, ref.pairs, false));
    expect(z[256 - 136 - 1]).toBeCloseTo(1.221979, 6);
  });
});

describe("Getis-Ord edge cases", () => {
  it("gives NaN, not a fake zero, when every value is equal", () => {
    const w = fromLists(
      [
        [0, 1],
        [0, 1, 2],
        [1, 2],
      ],
      true,
    );
    const z = getisOrdZ([0, 0, 0], w);
    expect(Array.from(z).every(Number.isNaN)).toBe(true);
  });

  it("is symmetric: negating x negates z", () => {
    const w = fromLists(
      [
        [0, 1],
        [0, 1, 2],
        [1, 2, 3],
        [2, 3],
      ],
      true,
    );
    const x = [1, 5, 2, 0];
    const z = getisOrdZ(x, w);
    const zNeg = getisOrdZ(
      x.map((v) => -v),
      w,
    );
    for (let i = 0; i < x.length; i++) expect(zNeg[i]).toBeCloseTo(-z[i]!, 12);
  });

  it("rejects mismatched lengths, non-finite values and bad edges", () => {
    const w = fromLists(
      [
        [0, 1],
        [0, 1],
      ],
      true,
    );
    expect(() => getisOrdZ([1], w)).toThrow(/2 units/);
    expect(() => getisOrdZ([1, Number.NaN], w)).toThrow(/x\[1\]/);
    expect(() => weightsFromEdges(2, [[0, 2]], true)).toThrow(/outside/);
    expect(() => fromLists([[1, 1]], false)).toThrow(/twice/);
  });
});
