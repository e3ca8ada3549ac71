import { gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import type { CellMonthGrid } from "../etl/analytics/cell-month-grid.ts";
import { cellAreasKm2, cellsCovering, cellsForAreaShare, rankCells } from "../etl/analytics/cell-selection.ts";
import { forecastAccuracy } from "../etl/analytics/forecast-accuracy.ts";
import { getisOrdZ } from "../etl/analytics/getis-ord.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { scorer } from "../etl/analytics/patrol-scores.ts";
import { rollingBacktest } from "../etl/analytics/rolling-backtest.ts";
import { fromLists } from "../etl/analytics/spatial-weights.ts";

// Three cells in a row (0–1–2), each its own neighbour; four months, month-major counts.
const chain = fromLists(
  [
    [0, 1],
    [0, 1, 2],
    [1, 2],
  ],
  true,
);
const grid: CellMonthGrid = {
  cells: ["a", "b", "c"],
  months: ["2020-01", "2020-02", "2020-03", "2020-04"],
  counts: Float64Array.from([1, 0, 0, /**/ 0, 2, 0, /**/ 0, 0, 4, /**/ 3, 0, 1]),
};

describe("patrol scores for month 4 from months 1–3", () => {
  it("baselines: last month and last 12 months (only 3 exist)", () => {
    expect(Array.from(scorer("last-month", grid, chain)(3).score)).toEqual([0, 0, 4]);
    expect(Array.from(scorer("last-12-months", grid, chain)(3).score)).toEqual([1, 2, 4]);
    expect(scorer("last-month", grid, chain)(3).tieBreak).toBeNull();
  });

  it("ewma-ring with half-life 1: own = 1·(0,0,4) + ½·(0,2,0) + ¼·(1,0,0), then spread over the ring", () => {
    // own e = (0.25, 1, 4). Ring weight ½: a = 0.25 + ½·1, b = 1 + ½·(0.25 + 4), c = 4 + ½·1.
    const r = scorer("ewma-ring", grid, chain, { window: 12, halfLife: 1, ringWeight: 0.5 })(3);
    expect(Array.from(r.score)).toEqual([0.75, 3.125, 4.5]);
    expect(Array.from(r.tieBreak!)).toEqual([1, 2, 4]); // own counts over the window
    // Ring weight 1 is the plain ring sum: a = 0.25 + 1, b = 0.25 + 1 + 4, c = 1 + 4.
    expect(Array.from(scorer("ewma-ring", grid, chain, { window: 12, halfLife: 1, ringWeight: 1 })(3).score)).toEqual([1.25, 5.25, 5]);
    // A window of 1 keeps only the last month.
    expect(Array.from(scorer("ewma-ring", grid, chain, { window: 1, halfLife: 1, ringWeight: 1 })(3).score)).toEqual([0, 4, 4]);
  });

  it("gi-star-mean averages the monthly Gi* z of the window, skipping months where Gi* is undefined", () => {
    const withEmpty: CellMonthGrid = { ...grid, counts: Float64Array.from([1, 0, 0, 0, 0, 0, 0, 0, 4, 3, 0, 1]) };
    const z0 = getisOrdZ([1, 0, 0], chain);
    const z2 = getisOrdZ([0, 0, 4], chain);
    // Gi* of (1, 0, 0) at cell a by hand: x̄ = 1/3, S = √(2/9), W = 2, (1 − 2/3) / (S · √((3·2 − 4)/2)) = 1/√2.
    expect(z0[0]).toBeCloseTo(Math.SQRT1_2, 12);
    const score = scorer("gi-star-mean", withEmpty, chain)(3).score;
    for (const i of [0, 2]) expect(score[i]).toBeCloseTo((z0[i]! + z2[i]!) / 2, 12);
    // Cell b's ring is the whole study area, so its Gi* is undefined every month: no score, ranked last.
    expect(score[1]).toBeNaN();
    expect(() => scorer("last-month", grid, chain)(0)).toThrow(RangeError);
  });
});

describe("ranking and area selection", () => {
  it("ranks by score, NaN last, ties by index", () => {
    expect(Array.from(rankCells([1, Number.NaN, 3, 1, 3]))).toEqual([2, 4, 0, 3, 1]);
    expect(Array.from(rankCells([1, Number.NaN, 3, 1, 3], [0, 9, 1, 5, 2]))).toEqual([4, 2, 3, 0, 1]);
  });

  it("a limited ranking is exactly the prefix of the full one, ties and NaN included", () => {
    let a = 3;
    const rnd = () => (a = (a * 16807) % 2147483647) / 2147483647;
    const scores = Array.from({ length: 500 }, () => (rnd() < 0.1 ? Number.NaN : Math.floor(rnd() * 6)));
    const ties = Array.from({ length: 500 }, () => Math.floor(rnd() * 3));
    const full = Array.from(rankCells(scores, ties));
    for (const limit of [1, 7, 50, 499, 500, 900]) expect(Array.from(rankCells(scores, ties, limit))).toEqual(full.slice(0, limit));
    // The limit-th score selected, not sorted: runs of ties at the cut, ±0, ±Infinity, already ordered or reversed scores.
    const mixed = Array.from({ length: 3000 }, (_, i) => [0, -0, Infinity, -Infinity, Number.NaN, Math.floor(rnd() * 4), rnd()][i % 7]!);
    const sorted = Array.from({ length: 3000 }, (_, i) => Math.floor(i / 10));
    for (const values of [mixed, sorted, [...sorted].reverse(), new Array<number>(3000).fill(1)]) {
      const whole = Array.from(rankCells(values));
      for (const limit of [1, 2, 157, 320, 1499, 2999]) expect(Array.from(rankCells(values, null, limit))).toEqual(whole.slice(0, limit));
    }
    // Every limit, on distinct scores and on few distinct ones.
    for (const values of [Array.from({ length: 300 }, rnd), Array.from({ length: 300 }, () => Math.floor(rnd() * 9))]) {
      const whole = Array.from(rankCells(values));
      for (let limit = 1; limit < 300; limit++) expect(Array.from(rankCells(values, null, limit))).toEqual(whole.slice(0, limit));
    }
    // A prefix too short for the share is an error, not a silent under-selection.
    expect(() => cellsForAreaShare(rankCells(scores, ties, 2), new Array(500).fill(1), 0.05)).toThrow(/too short/);
    expect(cellsCovering(new Array(500).fill(1), 0.05)).toBe(26);
  });

  it("takes the shortest prefix reaching the area share", () => {
    const areas = [1, 1, 2, 1, 1]; // A = 6
    expect(cellsForAreaShare([2, 0, 1, 3, 4], areas, 1 / 6)).toBe(1);
    expect(cellsForAreaShare([0, 1, 2, 3, 4], areas, 0.5)).toBe(3); // 1 + 1 + 2 ≥ 3
    expect(cellsForAreaShare([0, 1, 2, 3, 4], areas, 1)).toBe(5);
  });
});

describe("PAI, PEI* and hit rate (worked by hand)", () => {
  // Areas (km²) 1, 1, 2, 1, 1 (A = 6); next-month counts 4, 0, 3, 1, 2 (N = 10); forecast order c, a, b, d, e.
  const areas = [1, 1, 2, 1, 1];
  const actual = [4, 0, 3, 1, 2];
  const order = [2, 0, 1, 3, 4];

  it("at 1/6 of the area: one cell (c, 2 km²), n = 3", () => {
    const r = forecastAccuracy(order, actual, areas, 1 / 6);
    expect(r.cells).toBe(1);
    expect(r.hitRate).toBeCloseTo(0.3, 12);
    expect(r.pai).toBeCloseTo(0.3 / (2 / 6), 12); // 0.9
    // Oracle, one cell by density 4, 0, 1.5, 1, 2: cell a → PAI* = 0.4 / (1/6) = 2.4; PEI* = 0.375.
    expect(r.paiMax).toBeCloseTo(2.4, 12);
    expect(r.pei).toBeCloseTo(0.375, 12);
  });

  it("at half the area: c + a (3 km²), n = 7; the oracle's two cells a + e give PAI* = 1.8", () => {
    const r = forecastAccuracy(order, actual, areas, 0.5);
    expect(r.cells).toBe(2);
    expect(r.areaShare).toBeCloseTo(0.5, 12);
    expect(r.pai).toBeCloseTo(1.4, 12);
    expect(r.paiMax).toBeCloseTo(0.6 / (2 / 6), 12);
    expect(r.pei).toBeCloseTo(1.4 / 1.8, 12);
  });

  it("a month without incidents has no accuracy", () => {
    expect(forecastAccuracy(order, [0, 0, 0, 0, 0], areas, 0.5).pai).toBeNaN();
  });
});

describe("rolling-origin backtest", () => {
  const cells = gridDisk(latLngToCell(55.9349, 23.3137, 8), 1).sort();
  const weights = kRingWeights(cells, 1);
  // Every month: 6 incidents in cell 3, 2 in cell 5, none elsewhere.
  const months = ["2020-01", "2020-02", "2020-03", "2020-04"];
  const counts = new Float64Array(months.length * cells.length);
  for (let t = 0; t < months.length; t++) {
    counts[t * cells.length + 3] = 6;
    counts[t * cells.length + 5] = 2;
  }
  const stable: CellMonthGrid = { cells, months, counts };

  it("forecasts each month from the earlier ones; a perfectly stable pattern is forecast perfectly", () => {
    const { folds, summary } = rollingBacktest(stable, weights, { methods: ["last-month", "last-12-months"], areaShares: [0.1], minHistory: 1 });
    // Each method's folds, then those of "selected" (the baseline while the history is too short to choose).
    expect(folds.map((f) => f.month)).toEqual(["2020-02", "2020-03", "2020-04", "2020-02", "2020-03", "2020-04", "2020-02", "2020-03", "2020-04"]);
    expect(folds.filter((f) => f.method === "selected").map((f) => f.chosen)).toEqual(["last-12-months", "last-12-months", "last-12-months"]);
    const areas = cellAreasKm2(cells);
    const share = areas[3]! / areas.reduce((s, a) => s + a, 0); // one cell of 7 is ≥ 10 % of the area
    for (const f of folds) {
      expect(f.cells).toBe(1);
      expect(f.hitRate).toBeCloseTo(0.75, 12);
      expect(f.pai).toBeCloseTo(0.75 / share, 12);
      expect(f.pei).toBeCloseTo(1, 12);
    }
    expect(summary.map((s) => [s.method, s.folds, s.meanPei])).toEqual([
      ["last-month", 3, 1],
      ["last-12-months", 3, 1],
      ["selected", 3, 1],
    ]);
    // Equal forecasts every month: no difference, all ties.
    expect(summary[0]!.versusBaseline).toMatchObject({ n: 3, meanDifference: 0, wins: 0, losses: 0, ties: 3 });
    expect(summary[0]!.meanHitsTop10).toBe(8);
  });
});
