/**
 * A backtest file read back (readFolds, what a one-more-month backtest takes its earlier folds from)
 * gives the folds that were written: every number bit for bit, a non-finite one (written as NULL) as
 * NaN, and the selection's fields null where they were null or non-finite — on a real backtest's folds
 * and on folds made to hold the edge cases.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFolds, writeFolds, type FoldRowParameters } from "../etl/analytics/backtest-lake.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { rollingBacktest, SELECTED_METHOD, type BacktestFold } from "../etl/analytics/rolling-backtest.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { diskCells, monthLabels, poissonCity } from "./helpers/poisson-city.ts";

const parameters: FoldRowParameters = {
  h3_resolution: 8,
  k: 1,
  window_months: 12,
  half_life_months: 3,
  ring_weight: 0.5,
  min_history_months: 12,
  selection_window_months: 36,
  study_area: "test",
};

/** What a fold is after the file: non-finite numbers NaN, the selection's non-finite margins null. */
function asStored(f: BacktestFold): BacktestFold {
  const finite = (v: number) => (Number.isFinite(v) ? v : Number.NaN);
  const orNull = (v: number | null) => (v === null || !Number.isFinite(v) ? null : v);
  return {
    ...f,
    areaTarget: finite(f.areaTarget),
    areaShare: finite(f.areaShare),
    cells: finite(f.cells),
    hits: finite(f.hits),
    total: finite(f.total),
    hitRate: finite(f.hitRate),
    pai: finite(f.pai),
    paiMax: finite(f.paiMax),
    pei: finite(f.pei),
    hitsTop10: finite(f.hitsTop10),
    hitsTop20: finite(f.hitsTop20),
    margin: orNull(f.margin),
    gainOverBaseline: orNull(f.gainOverBaseline),
  };
}

/** Sorted as the file is (method, area target, forecast month), so that lists compare element by element. */
const byFileOrder = (folds: readonly BacktestFold[]) =>
  [...folds].sort((a, b) => (a.method < b.method ? -1 : a.method > b.method ? 1 : a.areaTarget - b.areaTarget || (a.month < b.month ? -1 : 1)));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "backtest-folds-file-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("backtest folds through their file", () => {
  it("a backtest's folds read back equal to what was written", async () => {
    const cells = diskCells(4);
    const grid = poissonCity(cells, monthLabels(2016, 30), (i) => (i % 7 === 0 ? 0.4 + 0.1 * (i / 7) : 0.03), 19);
    const { folds } = rollingBacktest(grid, kRingWeights(cells, 1), {
      areaShares: [0.05, 0.1],
      minHistory: 12,
      methods: ["last-12-months", "ewma", "stacked"],
    });
    // Both kinds of fold are there: candidates' (selection fields null) and "selected" (with them).
    expect(folds.some((f) => f.method === SELECTED_METHOD && f.chosen !== null && f.margin !== null)).toBe(true);
    expect(folds.some((f) => f.chosen === null && f.margin === null)).toBe(true);
    const path = join(dir, "real.parquet");
    const read = await withConnection(async (connection) => {
      await writeFolds(connection, path, "theft", folds, parameters);
      return readFolds(connection, path);
    });
    expect(read).toEqual(byFileOrder(folds.map(asStored)));
    // Bit for bit, not only within toEqual's tolerance of -0 and NaN payloads.
    const sorted = byFileOrder(folds);
    expect(read.every((f, i) => Object.is(f.pai, sorted[i]!.pai) && Object.is(f.pei, sorted[i]!.pei))).toBe(true);
  });

  it("non-finite numbers come back as NaN, non-finite or null selection fields as null", async () => {
    const fold: BacktestFold = {
      method: SELECTED_METHOD,
      month: "2020-01",
      areaTarget: 0.05,
      areaShare: 0.0512,
      cells: 7,
      hits: 3,
      total: 11,
      hitRate: 3 / 11,
      pai: 0.1 + 0.2,
      paiMax: Number.POSITIVE_INFINITY,
      pei: Number.NaN,
      hitsTop10: 2,
      hitsTop20: 3,
      chosen: "stacked(ewma(h=3),w=0.25)",
      margin: -0,
      gainOverBaseline: Number.NaN,
    };
    const other: BacktestFold = {
      ...fold,
      method: "ewma(h=3)",
      chosen: null,
      margin: null,
      gainOverBaseline: null,
      pai: -0,
      hitRate: Number.NEGATIVE_INFINITY,
    };
    const path = join(dir, "edges.parquet");
    const read = await withConnection(async (connection) => {
      await writeFolds(connection, path, "theft", [fold, other], parameters);
      return readFolds(connection, path);
    });
    expect(read).toEqual([asStored(other), asStored(fold)]);
    expect(Object.is(read[0]!.pai, -0)).toBe(true);
    expect(Object.is(read[1]!.margin, -0)).toBe(true);
    expect(read[1]!.paiMax).toBeNaN();
    expect(read[1]!.gainOverBaseline).toBeNull();
    expect(read[0]!.hitRate).toBeNaN();
  });
});
