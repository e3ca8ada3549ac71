import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gridDisk, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ageWeightedRates } from "../etl/analytics/age-weighted-counts.ts";
import type { CellMonthGrid } from "../etl/analytics/cell-month-grid.ts";
import { candidateScorer, candidatesNamed, forecastCandidates, scoringContext } from "../etl/analytics/forecast-candidates.ts";
import { forecastStage } from "../etl/analytics/forecast-lake.ts";
import { selectByBacktest } from "../etl/analytics/forecast-selection.ts";
import { gridDistanceKernel, sharedGridKernel, smoothByKernel } from "../etl/analytics/grid-distance-kernel.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { pairedComparison } from "../etl/analytics/paired-comparison.ts";
import { combinedScores, rollingBacktest } from "../etl/analytics/rolling-backtest.ts";
import { seasonalRates } from "../etl/analytics/seasonal-rates.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { tablePath } from "../etl/lake/table-paths.ts";
import { TABLES } from "../etl/lake/tables.ts";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";
import { defaultSettings, type PipelineSettings } from "../etl/settings.ts";
import { SHARED_BOUNDARIES } from "./helpers/shared.ts";

const centre = latLngToCell(55.9349, 23.3137, 8);

describe("grid-distance kernel and age-weighted rates", () => {
  it("Epanechnikov weights on grid distance: 1 at the cell, 1 − (1/2)² = 0.75 on the first ring for b = 1", () => {
    const cells = gridDisk(centre, 2).sort();
    const k1 = gridDistanceKernel(cells, 1);
    const c = cells.indexOf(centre);
    expect(k1.offsets[c + 1]! - k1.offsets[c]!).toBe(7);
    const values = cells.map((x) => (x === centre ? 4 : 1));
    // Centre: 1·4 + 6 · 0.75 · 1 = 8.5.
    expect(smoothByKernel(k1, values)[c]).toBeCloseTo(8.5, 12);
    // b = 2: weights 1, 1 − 1/9, 1 − 4/9 on rings 0, 1, 2 (6 and 12 cells).
    expect(smoothByKernel(gridDistanceKernel(cells, 2), values)[c]).toBeCloseTo(4 + 6 * (8 / 9) + 12 * (5 / 9), 12);
    // b = 0 is no smoothing; cells outside the study area are not neighbours.
    expect(Array.from(smoothByKernel(gridDistanceKernel(cells, 0), values))).toEqual(values);
    expect(() => gridDistanceKernel(cells, 1.5)).toThrow(RangeError);
  });

  it("edge correction: a cell whose disk leaves the study area is scaled by the whole disk's mass over the part inside", () => {
    const cells = gridDisk(centre, 2).sort();
    const k1 = gridDistanceKernel(cells, 1);
    const ring2 = gridDisk(centre, 2).filter((c) => !gridDisk(centre, 1).includes(c));
    // A corner of ring 2 has 3 neighbours inside the disk of radius 2, the others 4 (6 corners, 6 between).
    const inside = ring2.map((c) => k1.offsets[cells.indexOf(c) + 1]! - k1.offsets[cells.indexOf(c)]! - 1);
    expect(inside.filter((k) => k === 3).length).toBe(6);
    expect(inside.filter((k) => k === 4).length).toBe(6);
    const corner = cells.indexOf(ring2[inside.indexOf(3)]!);
    const side = cells.indexOf(ring2[inside.indexOf(4)]!);
    // Whole disk: 1 + 6 · 0.75 = 5.5; inside: 1 + 3 · 0.75 = 3.25 (corner), 1 + 4 · 0.75 = 4 (side).
    expect(k1.edgeFactor[corner]).toBeCloseTo(5.5 / 3.25, 12);
    expect(k1.edgeFactor[side]).toBeCloseTo(5.5 / 4, 12);
    expect(k1.edgeFactor[cells.indexOf(centre)]).toBe(1);
    // A constant surface stays constant with the correction, and falls off at the edge without it.
    const ones = cells.map(() => 1);
    for (const v of smoothByKernel(k1, ones)) expect(v).toBeCloseTo(5.5, 12);
    expect(smoothByKernel(k1, ones, false)[corner]).toBeCloseTo(3.25, 12);
    expect(smoothByKernel(k1, ones, false)[cells.indexOf(centre)]).toBeCloseTo(5.5, 12);
  });

  it("the shared kernel is built once per cells array and bandwidth, equal to a fresh one", () => {
    const cells = gridDisk(centre, 2).sort();
    const shared = sharedGridKernel(cells, 1);
    expect(sharedGridKernel(cells, 1)).toBe(shared);
    expect(shared).toEqual(gridDistanceKernel(cells, 1));
    // Another bandwidth, or another array of the same cells (another study area), is built afresh.
    expect(sharedGridKernel(cells, 2)).not.toBe(shared);
    expect(sharedGridKernel(cells, 2)).toEqual(gridDistanceKernel(cells, 2));
    const copy = [...cells];
    expect(sharedGridKernel(copy, 1)).not.toBe(shared);
    expect(sharedGridKernel(copy, 1)).toEqual(shared);
  });

  it("age-weighted rates: weighted means of earlier months, by hand", () => {
    const grid: CellMonthGrid = { cells: ["a", "b"], months: ["m1", "m2", "m3"], counts: Float64Array.from([4, 0, 0, 2, 1, 1]) };
    const r = ageWeightedRates(grid, 1); // λ = ½
    expect(Array.from(r.subarray(0, 2))).toEqual([0, 0]); // origin 0: no history
    expect(Array.from(r.subarray(2, 4))).toEqual([4, 0]);
    // Origin 3: (1·c(2) + ½·c(1) + ¼·c(0)) / 1.75 = (1 + 0 + 1) / 1.75 for a, (1 + 1 + 0) / 1.75 for b.
    expect(r[6]).toBeCloseTo(2 / 1.75, 12);
    expect(r[7]).toBeCloseTo(2 / 1.75, 12);
    // No decay: the plain mean of all earlier months.
    expect(Array.from(ageWeightedRates(grid, Number.POSITIVE_INFINITY).subarray(6, 8))).toEqual([5 / 3, 1]);
  });

  it("seasonal rates: the same month ±1 of earlier years, none before a year and a month", () => {
    const months = Array.from({ length: 26 }, (_, t) => `m${t}`);
    const counts = Float64Array.from(months, (_, t) => t); // one cell, count = month index
    const grid: CellMonthGrid = { cells: ["a"], months, counts };
    expect(seasonalRates(grid, 12)).toBeNull();
    expect(Array.from(seasonalRates(grid, 13)!)).toEqual([1]); // months 0, 1, 2
    expect(seasonalRates(grid, 25)![0]).toBeCloseTo((13 + 1) / 2, 12); // years: months 12–14 (13) and 0–2 (1)
  });
});

describe("method selection and the paired comparison", () => {
  // Methods (0 = baseline) at two shares over eight folds.
  const series = (v: number[]) => Float64Array.from({ length: 8 }, (_, f) => v[f % v.length]!);
  const pai = [
    [series([10]), series([4])],
    [series([12, 11]), series([5])], // ahead at both shares
    [series([20]), series([3])], // far ahead at 1 %, behind at 5 %
    [series([11]), series([4.5])], // ahead at both, by less
  ];
  const all = Array.from({ length: 8 }, (_, f) => f);
  const options = { window: 36, minFolds: 6, combine: 3, standardErrors: 1 };
  // Method 1 at the first share by hand: d = 2, 1, 2, 1, … → mean 1.5, s_d = √(8 · 0.25 / 7), SE = s_d / √8;
  // C = (1.5 − SE) / 10. At the second share d = 1 in every fold (SE 0): C = 1 / 4.
  const se = Math.sqrt((8 * 0.25) / 7) / Math.sqrt(8);
  const c1 = (1.5 - se) / 10;

  it("chooses the method furthest ahead of the baseline net of one standard error, at the share where it is least ahead", () => {
    const s = selectByBacktest(pai, all, 0, options);
    expect(s.chosen).toBe(1);
    expect(s.reason).toBe("best in backtest");
    expect(s.byShare[0]![1]).toBeCloseTo(c1, 12);
    expect(s.byShare[1]![1]).toBeCloseTo(0.25, 12);
    expect(s.criterion[1]).toBeCloseTo(c1, 12); // the smaller of the two
    expect(s.criterion[2]).toBeCloseTo(-0.25, 12); // 3 − 4 every fold at 5 %: behind, whatever it does at 1 %
    expect(s.criterion[3]).toBeCloseTo(0.1, 12); // min(1/10, 0.5/4)
    expect(s.criterion[0]).toBe(0);
    // Mean PAI gains 1.5/10 and 1/4; the smaller is reported. The runner-up is method 3.
    expect(s.gainByShare).toEqual([0.15, 0.25]);
    expect(s.gainOverBaseline).toBe(0.15);
    expect(s.runnerUp).toBe(3);
    expect(s.marginOverRunnerUp).toBeCloseTo(c1 - 0.1, 12);
    expect(s.folds).toBe(8);
    // The forecast combines the methods ahead of the baseline, best first (never method 2).
    expect(s.combination).toEqual([1, 3]);
    expect(selectByBacktest(pai, all, 0, { ...options, combine: 1 }).combination).toEqual([1]);
  });

  it("combines scores scaled to sum 1; one method's scores are kept as they are", () => {
    const a = { score: Float64Array.from([3, 1, 0]), tieBreak: Float64Array.from([1, 2, 3]) };
    const b = { score: Float64Array.from([0, 2, 2]), tieBreak: null };
    const c = combinedScores([a, b]);
    expect(Array.from(c.score)).toEqual([0.375, 0.125 + 0.25, 0.25]);
    expect(c.tieBreak).toBe(a.tieBreak);
    expect(combinedScores([b])).toBe(b);
  });

  it("keeps the baseline with too little history, or when no method is ahead by more than its noise", () => {
    expect(selectByBacktest(pai, all.slice(0, 5), 0, options)).toMatchObject({ chosen: 0, combination: [0], reason: "too little history" });
    expect(selectByBacktest([pai[0]!, pai[2]!], all, 0, options)).toMatchObject({
      chosen: 0,
      reason: "baseline best in backtest",
      gainOverBaseline: 0,
      runnerUp: 1,
    });
    // Ten standard errors: method 1's first-share criterion (1.5 − 10 SE) / 10 < 0, and method 3's is 0.1 (SE 0).
    const strict = selectByBacktest([pai[0]!, pai[1]!], all, 0, { ...options, standardErrors: 10 });
    expect(strict).toMatchObject({ chosen: 0, reason: "baseline best in backtest", runnerUp: 1, combination: [0] });
    expect(strict.marginOverRunnerUp).toBeCloseTo(-(1.5 - 10 * se) / 10, 12); // how far the challenger fell short
    // Only the last `window` folds count.
    expect(selectByBacktest(pai, all, 0, { ...options, window: 6 }).folds).toBe(6);
  });

  it("paired comparison: mean difference and win/loss counts; no interval from 4 months (d = 1, 2, 3, 4)", () => {
    const c = pairedComparison([2, 4, 6, 8, Number.NaN], [1, 2, 3, 4, 1]);
    expect(c).toMatchObject({ n: 4, meanDifference: 2.5, wins: 4, losses: 0, ties: 0 });
    // The interval and its reference values: test/paired-comparison.test.ts.
    expect(c.ciLow).toBeNaN();
    expect(c.refusal).not.toBeNull();
  });
});

describe("no leakage: a fold's forecast depends on earlier months only", () => {
  const cells = gridDisk(centre, 3).sort();
  const months = Array.from({ length: 40 }, (_, t) => `${2017 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`);
  const random = mulberry32(14);
  const counts = Float64Array.from({ length: months.length * cells.length }, (_, x) => Math.floor(random() * (x % 7 === 0 ? 6 : 2)));
  const grid: CellMonthGrid = { cells, months, counts };
  const weights = kRingWeights(cells, 1);

  it("perturbing months from T on changes no fold before T, the chosen methods included", () => {
    const T = 30;
    const perturbed = Float64Array.from(counts);
    const noise = mulberry32(99);
    for (let x = T * cells.length; x < perturbed.length; x++) perturbed[x] = Math.floor(noise() * 9);
    const before = rollingBacktest(grid, weights, {});
    const after = rollingBacktest({ ...grid, counts: perturbed }, weights, {});
    const early = (r: typeof before) => r.folds.filter((f) => f.month < months[T]!);
    expect(early(before).length).toBeGreaterThan(0);
    expect(early(after)).toEqual(early(before));
    expect(early(before).some((f) => f.method === "selected" && f.chosen !== null)).toBe(true);
    // Every candidate's scores for origin T, too.
    for (const c of forecastCandidates()) {
      const a = candidateScorer(c, scoringContext(grid, weights))(T);
      const b = candidateScorer(c, scoringContext({ ...grid, counts: perturbed }, weights))(T);
      expect(Array.from(b.score), c.method).toEqual(Array.from(a.score));
    }
  });

  it("label lookup: a family name takes all its candidates; unknown names are refused", () => {
    expect(candidatesNamed(["kde"]).length).toBe(8);
    expect(candidatesNamed(["kde(b=1,h=24)"]).map((c) => c.method)).toEqual(["kde(b=1,h=24)"]);
    expect(() => candidatesNamed(["magic"])).toThrow(/unknown method/);
  });
});

describe("no leakage through the hull study area (lake)", () => {
  let dir: string;
  let settings: PipelineSettings;
  const write = async (month: string, points: Array<[number, number]>) =>
    withConnection(async (c) => {
      const rows = points.map(([lat, lon]) => `('theft', '${latLngToCell(lat, lon, 8)}')`);
      const path = tablePath(settings.lakeDir, TABLES.cell_counts, { partition: month, name: "test" });
      await mkdir(dirname(path), { recursive: true });
      await c.run(
        `COPY (SELECT h3_cell, offence_category, count(*)::INTEGER AS incidents FROM (VALUES ${rows.join(", ")}) AS t(offence_category, h3_cell) GROUP BY ALL) TO '${path}' (FORMAT parquet)`,
      );
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "forecast-leakage-"));
    settings = defaultSettings({ lakeDir: join(dir, "lake"), municipalitiesGeoJson: SHARED_BOUNDARIES });
    const random = mulberry32(7);
    for (let t = 0; t < 20; t++) {
      const month = `${2019 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`;
      await write(
        month,
        Array.from({ length: 30 }, () => [55.92 + 0.03 * random() * random(), 23.29 + 0.04 * random()] as [number, number]),
      );
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("incidents after the forecast month, far outside the earlier hull, change neither the area nor the forecast", async () => {
    const ask = () =>
      forecastStage(settings, {
        month: "2020-06",
        hullRing: 1,
        methods: ["selected", "last-month", "last-12-months", "kde(b=1,h=24)"],
        selection: { top: 10 },
        minHistory: 6,
      });
    const before = await ask();
    expect(before.parameters.study_area).toMatch(/incidents before 2020-06/);
    // The future: the forecast month itself and a later one, with incidents 10 km away.
    await write("2020-06", [
      [55.99, 23.45],
      [55.99, 23.45],
      [55.85, 23.2],
    ]);
    await write(
      "2020-07",
      Array.from({ length: 50 }, () => [55.99, 23.45] as [number, number]),
    );
    const after = await ask();
    expect(after.chosen).toEqual(before.chosen);
    expect(after.methods.map((m) => m.cells)).toEqual(before.methods.map((m) => m.cells));
    expect(after.parameters.study_area).toBe(before.parameters.study_area);
  });
});
