/**
 * The backtest of one more month from the stored folds of the months before (issue 19): the folds of
 * an earlier backtest on the grid's first months, taken as they are, plus the new month's, give exactly
 * what the whole backtest gives — folds, "selected" choices, summaries and the choice for the month
 * after — on a synthetic city where the selection is not trivial (a stacked method is chosen). The
 * second implementation is the full recomputation itself. Stored folds that do not fit are refused, and
 * stored folds the code no longer reproduces (checked on their last month) are not used.
 */
import { describe, expect, it } from "vitest";
import { monthWindow } from "../etl/analytics/cell-month-grid.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { rollingBacktest, SELECTED_METHOD, type BacktestOptions } from "../etl/analytics/rolling-backtest.ts";
import { diskCells, monthLabels, poissonCity } from "./helpers/poisson-city.ts";

// 61 cells, 30 months: a steady sparse surface (as in forecast-selection.test.ts), so that later
// folds choose a stacked method over the baseline and the choice depends on the folds before it.
const cells = diskCells(4);
const grid = poissonCity(cells, monthLabels(2016, 30), (i) => (i % 7 === 0 ? 0.4 + 0.1 * (i / 7) : 0.03), 19);
const weights = kRingWeights(cells, 1);
const options: Partial<BacktestOptions> = { areaShares: [0.05, 0.1], minHistory: 12, methods: ["last-12-months", "ewma", "stacked"] };

describe("backtest from stored folds", () => {
  const whole = rollingBacktest(grid, weights, options);
  const history = rollingBacktest(monthWindow(grid, 0, 29), weights, options);
  const through = grid.months[28]!;

  it("history's folds plus one month's equal the whole backtest", () => {
    const extended = rollingBacktest(grid, weights, options, { through, folds: history.folds });
    // The selection is not trivial: some month's choice is a stacked method, chosen from earlier folds.
    const chosen = whole.folds.filter((f) => f.method === SELECTED_METHOD).map((f) => f.chosen);
    expect(chosen.some((c) => c?.startsWith("stacked("))).toBe(true);
    expect(whole.folds.length).toBeGreaterThan(history.folds.length);
    expect(extended.folds).toEqual(whole.folds);
    expect(extended.summary).toEqual(whole.summary);
    expect(extended.next).toEqual(whole.next);
  });

  it("takes the stored folds as they are, and computes only the later months", () => {
    // A marked fold of the history comes out unchanged: it was not recomputed.
    const marked = history.folds.map((f, i) => (i === 0 ? { ...f, hitsTop20: -1 } : f));
    const extended = rollingBacktest(grid, weights, options, { through, folds: marked });
    expect(extended.folds[0]).toEqual({ ...whole.folds[0], hitsTop20: -1 });
    // Stored through an earlier month: the months after it are computed, the same as the whole.
    const older = rollingBacktest(monthWindow(grid, 0, 20), weights, options);
    expect(rollingBacktest(grid, weights, options, { through: grid.months[19]!, folds: older.folds }).folds).toEqual(whole.folds);
  });

  it("checks the last stored month against a fresh computation: stored folds this code does not reproduce are not used", () => {
    expect(rollingBacktest(grid, weights, options, { through, folds: history.folds }).reusedThrough).toBe(through);
    // A method's fold of that month differs (as after a change of its formula): every fold is computed afresh.
    const changed = history.folds.map((f) => (f.method === "last-12-months" && f.month === through && f.areaTarget === 0.1 ? { ...f, pai: f.pai + 1e-9 } : f));
    const again = rollingBacktest(grid, weights, options, { through, folds: changed });
    expect(again.reusedThrough).toBeNull();
    expect(again.folds).toEqual(whole.folds);
    // The selection of that month differs (as after a change of the selection rule): the same.
    const chosen = history.folds.map((f) => (f.method === SELECTED_METHOD && f.month === through ? { ...f, chosen: "last-12-months" } : f));
    const reselected = rollingBacktest(grid, weights, options, { through, folds: chosen });
    expect(reselected.reusedThrough).toBeNull();
    expect(reselected.folds).toEqual(whole.folds);
  });

  it("refuses stored folds of another backtest", () => {
    const missing = history.folds.filter((f) => !(f.method === "last-12-months" && f.month === through));
    expect(() => rollingBacktest(grid, weights, options, { through, folds: missing })).toThrow(/no last-12-months fold for 2018-05 at area share/);
    const otherShares = rollingBacktest(monthWindow(grid, 0, 29), weights, { ...options, areaShares: [0.05] });
    expect(() => rollingBacktest(grid, weights, options, { through, folds: otherShares.folds })).toThrow(/no .* fold for .* at area share 0.1/);
    const moreShares = rollingBacktest(monthWindow(grid, 0, 29), weights, { ...options, areaShares: [0.01, 0.05, 0.1] });
    expect(() => rollingBacktest(grid, weights, options, { through, folds: moreShares.folds })).toThrow(/folds up to 2018-05, this grid's .* need/);
  });
});
