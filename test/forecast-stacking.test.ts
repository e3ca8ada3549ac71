/**
 * Forecasts stacked on the last-12-months baseline: mid-ranks and the stacked rankings against base R
 * (test/fixtures/forecast-stacking/forecast-stacking.R), the property that w = 0 only reorders the
 * baseline's ties, the scorer as the candidates build it, and the selection restricted to them.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rankCells } from "../etl/analytics/cell-selection.ts";
import { BASELINE_METHOD, candidateScorer, candidatesNamed, scoringContext } from "../etl/analytics/forecast-candidates.ts";
import { selectByBacktest } from "../etl/analytics/forecast-selection.ts";
import { midRanks, stackedScores } from "../etl/analytics/forecast-stacking.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { rollingBacktest, SELECTED_METHOD } from "../etl/analytics/rolling-backtest.ts";
import { diskCells, monthLabels, poissonCity } from "./helpers/poisson-city.ts";

const fixture = readFileSync(new URL("fixtures/forecast-stacking/forecast-stacking-r.csv", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => line.split(",").map((field) => field.replace(/"/g, "")))
  .map(([w, order, baseline, partner, midranks]) => ({
    w: Number(w),
    order: order!.trim().split(/\s+/).map(Number),
    baseline: Float64Array.from(baseline!.trim().split(/\s+/).map(Number)),
    partner: Float64Array.from(partner!.trim().split(/\s+/).map(Number)),
    midranks: midranks!.trim().split(/\s+/).map(Number),
  }));

describe("stacked scores against base R", () => {
  it("mid-ranks are R's rank(ties = 'average'), rescaled to [0, 1]", () => {
    const r = fixture[0]!;
    const ours = midRanks(r.baseline);
    r.midranks.forEach((v, i) => expect(ours[i]).toBeCloseTo(v, 14));
    expect(Array.from(midRanks([5]))).toEqual([0.5]);
    expect(Array.from(midRanks([Number.NaN, 2, 2]))).toEqual([0, 0.75, 0.75]);
  });

  it("the stacked ranking of 40 cells at w = 0, 0.25, 0.5, 0.75 is R's order(−score, −partner, index)", () => {
    expect(fixture.map((r) => r.w)).toEqual([0, 0.25, 0.5, 0.75]);
    for (const r of fixture) {
      const { score, tieBreak } = stackedScores(r.baseline, r.partner, r.w);
      expect(Array.from(rankCells(score, tieBreak)), `w = ${r.w}`).toEqual(r.order);
    }
  });

  it("w = 0 only reorders the baseline's ties: every prefix holds the same baseline counts", () => {
    const { baseline, partner } = fixture[0]!;
    const plain = rankCells(baseline);
    const refined = rankCells(...(Object.values(stackedScores(baseline, partner, 0)) as [Float64Array, Float64Array]));
    expect(Array.from(refined)).not.toEqual(Array.from(plain));
    for (let k = 1; k <= baseline.length; k++) {
      expect(Array.from(refined.subarray(0, k), (i) => baseline[i]!)).toEqual(Array.from(plain.subarray(0, k), (i) => baseline[i]!));
    }
  });

  it("refuses a partner weight outside [0, 1) and scores of different lengths, saying why", () => {
    const a = Float64Array.from([1, 2]);
    expect(() => stackedScores(a, a, 1)).toThrow(/partner's weight must be in \[0, 1\), got 1/);
    expect(() => stackedScores(a, Float64Array.from([1]), 0.5)).toThrow(/different numbers of cells/);
  });
});

const cells = diskCells(5);
const months = monthLabels(2016, 48);
const city = (rate: (i: number) => number, seed: number) => poissonCity(cells, months, rate, seed);

describe("stacked candidates in the backtest", () => {
  const grid = city((i) => (i % 9 === 0 ? 0.3 + 0.05 * (i / 9) : 0.02), 2024);
  const weights = kRingWeights(cells, 1);

  it("the 'stacked' family: 6 partners × w ∈ {0, 0.25, 0.5, 0.75}, scored from the partner's and the baseline's own scores", () => {
    const stacked = candidatesNamed(["stacked"]);
    expect(stacked.length).toBe(24);
    const context = scoringContext(grid, weights);
    const c = stacked.find((x) => x.method === "stacked(kde(b=1,h=24),w=0.5)")!;
    const base = candidateScorer(candidatesNamed([BASELINE_METHOD])[0]!, context)(30).score;
    const partner = candidateScorer(candidatesNamed(["kde(b=1,h=24)"])[0]!, context)(30).score;
    const expected = stackedScores(base, partner, 0.5);
    const got = candidateScorer(c, context)(30);
    expect(Array.from(got.score)).toEqual(Array.from(expected.score));
    expect(Array.from(got.tieBreak!)).toEqual(Array.from(partner));
  });

  it("'selected' publishes only stacked forecasts, the fitted smoothing or the baseline, though the other methods are backtested", () => {
    const r = rollingBacktest(grid, weights, { areaShares: [0.01, 0.05] });
    const chosen = new Set(r.folds.filter((f) => f.method === SELECTED_METHOD).flatMap((f) => f.chosen!.split(" + ")));
    for (const m of chosen) expect(m === BASELINE_METHOD || m === "ewma-fitted" || m.startsWith("stacked(")).toBe(true);
    expect([...chosen].some((m) => m.startsWith("stacked("))).toBe(true);
    expect(r.summary.some((s) => s.method === "kde(b=1,h=24)")).toBe(true);
  });

  it("selectByBacktest chooses only among the eligible methods, and reports the criterion of all", () => {
    const series = (v: number) => Float64Array.from({ length: 8 }, (_, f) => v + (f % 2) * 0.1);
    const pai = [[series(10)], [series(20)], [series(12)]];
    const all = Array.from({ length: 8 }, (_, f) => f);
    const options = { window: 36, minFolds: 6, combine: 3, standardErrors: 1 };
    expect(selectByBacktest(pai, all, 0, options).chosen).toBe(1);
    const restricted = selectByBacktest(pai, all, 0, options, [2]);
    expect(restricted).toMatchObject({ chosen: 2, combination: [2], runnerUp: 0 });
    expect(restricted.criterion[1]).toBeCloseTo(10 / 10.05, 12); // method 1: d = 10 every fold, SE 0, relative to the baseline mean 10.05
  });
});
