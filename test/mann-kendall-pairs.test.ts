/**
 * Mann-Kendall's S counted in O(n log n) over tie-group ranks (issue 19) is the sum over every pair,
 * Σ_{i<j} sgn(x_j − x_i), as the definition states it: checked on seeded series with many ties
 * (sparse counts), none, and non-finite values skipped.
 */
import { describe, expect, it } from "vitest";
import { mannKendall } from "../etl/analytics/mann-kendall.ts";

/** S by its definition, over the finite values in time order. */
function pairsS(series: readonly number[]): number {
  const x = series.filter(Number.isFinite);
  let s = 0;
  for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) s += Math.sign(x[j]! - x[i]!);
  return s;
}

/** A seeded linear congruential generator in [0, 1): the series are the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe("Mann-Kendall S", () => {
  it("is the sum over all pairs, with ties, without them, and with undefined months skipped", () => {
    const next = random(19);
    for (let k = 0; k < 300; k++) {
      const n = 1 + Math.floor(next() * 130);
      const levels = [1, 2, 3, 8, 1000][k % 5]!;
      const series = Array.from({ length: n }, (_, t) => (next() < 0.05 ? Number.NaN : Math.floor(next() * levels) + (k % 7 === 0 ? t / 10 : 0)));
      expect(mannKendall(series).s, `series ${k}`).toBe(pairsS(series));
    }
    expect(mannKendall([]).s).toBe(0);
    expect(mannKendall([3, 3, 3]).s).toBe(0);
    expect(mannKendall([1, 2, 3, 4]).s).toBe(6);
    expect(mannKendall([4, 3, 2, 1]).s).toBe(-6);
  });
});
