/**
 * Months won and lost against last-12-months: a month where two selections caught as many incidents
 * in as many cells is a tie, though their PAIs differ by the spread of H3 cell areas.
 */
import { describe, expect, it } from "vitest";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { pairedComparison } from "../etl/analytics/paired-comparison.ts";
import { rollingBacktest } from "../etl/analytics/rolling-backtest.ts";
import { diskCells, monthLabels, poissonCity } from "./helpers/poisson-city.ts";

describe("the paired comparison's months won, lost and tied", () => {
  it("counts months marked the same as ties, and keeps their values in the mean difference", () => {
    const c = pairedComparison([4.0004, 3.9998, 5, 2], [4, 4, 4, 4], 0.95, [true, true, false, false]);
    expect(c).toMatchObject({ n: 4, wins: 1, losses: 1, ties: 2 });
    expect(c.meanDifference).toBeCloseTo((0.0004 - 0.0002 + 1 - 2) / 4, 15);
    expect(() => pairedComparison([1, 2], [1, 2], 0.95, [true])).toThrow(/differ in length/);
  });

  it("wins no backtest month by cell area alone: equal hits in as many cells are ties", () => {
    // A sparse city of 127 resolution-8 cells (their areas differ by parts in 10⁴): ties in the counts let
    // the stacked baseline (ties broken by risk) pick other cells than last-12-months for the same catch.
    const cells = diskCells(6);
    const grid = poissonCity(cells, monthLabels(2019, 30), (i) => (i % 5 === 0 ? 0.5 : 0.05), 7);
    const r = rollingBacktest(grid, kRingWeights(cells, 1), { methods: ["last-12-months", "stacked"], areaShares: [0.05, 0.1], minHistory: 12 });
    const method = "stacked(kde(b=1,h=24),w=0)";
    let areaOnly = 0;
    for (const share of [0.05, 0.1]) {
      const folds = (m: string) => r.folds.filter((f) => f.method === m && f.areaTarget === share);
      const [mine, base] = [folds(method), folds("last-12-months")];
      const decided = mine.filter((f, i) => f.hits !== base[i]!.hits || f.cells !== base[i]!.cells);
      areaOnly += mine.filter((f, i) => f.hits === base[i]!.hits && f.cells === base[i]!.cells && f.pai !== base[i]!.pai).length;
      const v = r.summary.find((s) => s.method === method && s.areaTarget === share)!.versusBaseline;
      expect(v.wins + v.losses).toBe(decided.length);
      expect(v.wins).toBe(decided.filter((f) => f.pai > base[mine.indexOf(f)]!.pai).length);
    }
    // The fixture has such months, or the test would not test anything.
    expect(areaOnly).toBeGreaterThan(0);
  });
});
