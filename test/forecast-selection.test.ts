/**
 * The nested selection on seeded synthetic cities where the right answer is known: a steady, sparse
 * risk surface (age-weighted means over more than 12 months must beat the last 12 months' counts, so a
 * method is chosen and "selected" beats the baseline), and a surface with no spatial pattern at all (nothing can beat the baseline
 * except by luck, so the baseline must be kept almost every month); and the family-wise margin of the
 * selection against the quantiles of the largest of independent normal leads; and the choice in the
 * words the forecast and backtest commands print.
 */
import { readFileSync } from "node:fs";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { describe, expect, it } from "vitest";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { gridDistance, latLngToCell } from "h3-js";
import { rankCells } from "../etl/analytics/cell-selection.ts";
import { BASELINE_METHOD, candidateScorer, candidatesNamed, scoringContext, TIE_BROKEN_BASELINE } from "../etl/analytics/forecast-candidates.ts";
import {
  DEFAULT_SELECTION,
  familyWiseMargin,
  recencyWeights,
  selectByBacktest,
  weightedMeanAndError,
  type SelectionOptions,
} from "../etl/analytics/forecast-selection.ts";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";
import { publishedMethods, rollingBacktest, SELECTED_METHOD, type ChosenMethod } from "../etl/analytics/rolling-backtest.ts";
import { monthWindow } from "../etl/analytics/cell-month-grid.ts";
import { backtestText, choiceHeadline, choiceText } from "../etl/cli/forecast-text.ts";
import { diskCells, monthLabels, poissonCity } from "./helpers/poisson-city.ts";

// 169 cells: 1 % is two cells, 5 % nine (with one cell at 1 %, the PAI of a month is 0 or large, and a
// method must be very far ahead to clear one standard error of that noise).
const cells = diskCells(7);
const months = monthLabels(2015, 60);
const city = (rate: (i: number) => number, seed: number) => poissonCity(cells, months, rate, seed);

const meanPai = (folds: ReturnType<typeof rollingBacktest>["folds"], method: string, share: number) => {
  const f = folds.filter((x) => x.method === method && x.areaTarget === share);
  return f.reduce((s, x) => s + x.pai, 0) / f.length;
};

describe("selection by evidence on cities whose answer is known", () => {
  it("a steady sparse surface: a forecast stacked with a smoothed method is chosen and 'selected' beats last-12-months at 1 % and 5 %", () => {
    // 19 cells of rate 0.3 to 1.2 a month, the rest 0.02: twelve months hold too few incidents to rank them well.
    const grid = city((i) => (i % 9 === 0 ? 0.3 + 0.05 * (i / 9) : 0.02), 2024);
    const r = rollingBacktest(grid, kRingWeights(cells, 1), { areaShares: [0.01, 0.05] });
    expect(r.next.reason).toBe("best in backtest");
    expect(r.next.parts).not.toContain(BASELINE_METHOD);
    for (const part of r.next.parts) expect(part).toMatch(/^stacked\(/);
    expect(r.next.gainOverBaseline).toBeGreaterThan(0);
    for (const share of [0.01, 0.05]) expect(meanPai(r.folds, SELECTED_METHOD, share)).toBeGreaterThan(meanPai(r.folds, BASELINE_METHOD, share));
  });

  it("no spatial pattern: the baseline is kept in nearly every month, so 'selected' is the baseline's forecast with its ties broken by risk", () => {
    const grid = city(() => 0.2, 7);
    const run = (selection?: SelectionOptions) => rollingBacktest(grid, kRingWeights(cells, 1), { areaShares: [0.01, 0.05], selection });
    const keptIn = (r: ReturnType<typeof run>) =>
      r.folds.filter((f) => f.method === SELECTED_METHOD && f.areaTarget === 0.05).map((f) => f.chosen === TIE_BROKEN_BASELINE);
    const kept = (selection?: SelectionOptions) => keptIn(run(selection));
    const r = run();
    const chosen = keptIn(r);
    expect(chosen.length).toBe(48);
    // A kept baseline is published as its own ranking with ties broken by kde, not by cell id: its folds are that candidate's.
    const of = (method: string) => r.folds.filter((f) => f.method === method && f.areaTarget === 0.05);
    const published = of(SELECTED_METHOD).flatMap((f, i) => (f.chosen === TIE_BROKEN_BASELINE ? [[f.pai, of(TIE_BROKEN_BASELINE)[i]!.pai]] : []));
    for (const [selected, tieBroken] of published) expect(selected).toBe(tieBroken);
    expect(r.next.reason).toBe("baseline best in backtest");
    expect(r.next.parts).toEqual([TIE_BROKEN_BASELINE]);
    // Some one of the 24 stacked candidates is one standard error ahead by luck in many months: the
    // one-SE margin alone (resamples = 0) keeps the baseline in 34 of 48, no margin in 7. The
    // family-wise margin keeps it in 43: the winner's curse is what it removes.
    const plain = kept({ ...DEFAULT_SELECTION, resamples: 0 }).filter(Boolean).length;
    expect(chosen.filter(Boolean).length).toBeGreaterThanOrEqual(40);
    expect(chosen.filter(Boolean).length).toBeGreaterThan(plain + 5);
    expect(kept({ window: 36, minFolds: 6, combine: 3, standardErrors: 0 }).filter(Boolean).length).toBeLessThan(12);
  });
});

describe("a kept baseline is published with its ties broken by risk", () => {
  it("publishedMethods: the baseline alone becomes stacked(kde(b=1,h=24),w=0) when backtested; anything else is left as chosen", () => {
    const candidates = [{ method: BASELINE_METHOD }, { method: "stacked(ewma(h=6),w=0.5)" }, { method: TIE_BROKEN_BASELINE }];
    expect(TIE_BROKEN_BASELINE).toBe("stacked(kde(b=1,h=24),w=0)");
    expect(publishedMethods({ combination: [0] }, candidates)).toEqual([2]);
    expect(publishedMethods({ combination: [1] }, candidates)).toEqual([1]);
    expect(publishedMethods({ combination: [1, 0] }, candidates)).toEqual([1, 0]);
    // Without the tie-broken candidate (a backtest of named methods only), the baseline stays as it is.
    expect(publishedMethods({ combination: [0] }, candidates.slice(0, 2))).toEqual([0]);
  });

  it("a smooth sparse hot spot: breaking the baseline's ties by kde beats cell-id order at 5 %, and moves cells only within its ties", () => {
    // Risk falls smoothly from the centre of the disk (0.22 a month) to 0.02 four rings out, so a cell's
    // neighbours tell about it; most of the 5 % list (9 cells) is cut from a tie class of cells with 1–3
    // incidents in 12 months. (The kernel sums over the study area, so its edge would get less: the bump is inside.)
    const centre = cells.indexOf(latLngToCell(6.25, -75.57, 8));
    const grid = city((i) => 0.02 + 0.2 * Math.max(0, 1 - gridDistance(cells[i]!, cells[centre]!) / 4), 11);
    const r = rollingBacktest(grid, kRingWeights(cells, 1), { methods: [BASELINE_METHOD, TIE_BROKEN_BASELINE], areaShares: [0.05] });
    const base = r.summary.find((s) => s.method === BASELINE_METHOD)!;
    const tieBroken = r.summary.find((s) => s.method === TIE_BROKEN_BASELINE)!;
    expect(tieBroken.folds).toBe(48);
    expect(tieBroken.meanPai).toBeGreaterThan(base.meanPai);
    expect(tieBroken.versusBaseline.wins).toBeGreaterThan(tieBroken.versusBaseline.losses);
    // The same number of cells, holding the same 12-month counts: only the order within ties moved.
    const context = scoringContext(grid, kRingWeights(cells, 1));
    const [b, t] = [BASELINE_METHOD, TIE_BROKEN_BASELINE].map((m) => candidateScorer(candidatesNamed([m])[0]!, context)(30));
    const counts = (s: { score: Float64Array; tieBreak: Float64Array | null }) => Array.from(rankCells(s.score, s.tieBreak, 9), (i) => b!.score[i]!);
    expect(counts(t!)).toEqual(counts(b!));
    expect(Array.from(rankCells(t!.score, t!.tieBreak, 9))).not.toEqual(Array.from(rankCells(b!.score, b!.tieBreak, 9)));
  });
});

describe("the family-wise margin (max-t bootstrap over candidates)", () => {
  // Standard normal draws (Box–Muller on the seeded generator) as monthly PAI differences.
  const random = mulberry32(5);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const series = (n: number) => Float64Array.from({ length: n }, normal);
  const one = [[series(120)]];
  const independent = Array.from({ length: 16 }, () => [series(120)]);

  it("one candidate: about one standard error, the t quantile at Φ(1) (1.0 with 119 degrees of freedom)", () => {
    expect(familyWiseMargin(one, 2000)).toBeGreaterThan(0.9);
    expect(familyWiseMargin(one, 2000)).toBeLessThan(1.12);
  });

  it("16 independent candidates: the Φ(1) quantile of the largest of 16 normals, Φ⁻¹(Φ(1)^(1/16)) = 2.30", () => {
    const reference = normalQuantile(0.8413447460685429 ** (1 / 16), 0, 1);
    expect(reference).toBeCloseTo(2.3, 2);
    expect(Math.abs(familyWiseMargin(independent, 2000) - reference)).toBeLessThan(0.12);
  });

  it("16 copies of one candidate: exactly the margin of one (the candidates move together), and the same on every call", () => {
    const copies = Array.from({ length: 16 }, () => one[0]!);
    expect(familyWiseMargin(copies, 500)).toBe(familyWiseMargin(one, 500));
    expect(familyWiseMargin(independent, 500)).toBe(familyWiseMargin(independent, 500));
  });

  it("two shares: the smaller standardised lead of each resample counts, so the margin is below one share's", () => {
    const twoShares = [[one[0]![0]!, series(120)]];
    expect(familyWiseMargin(twoShares, 1000)).toBeLessThan(familyWiseMargin(one, 1000));
  });

  it("refuses resamples that are not a positive integer and series of one month, saying what was wrong", () => {
    expect(() => familyWiseMargin(one, 0)).toThrow(/resamples must be a positive integer, got 0/);
    expect(() => familyWiseMargin([[Float64Array.of(1)]], 10)).toThrow(/at least two months, got 1/);
    expect(familyWiseMargin([], 10)).toBe(Number.NEGATIVE_INFINITY);
  });

  it("selectByBacktest raises κ = 1 to the margin and reports it: a lead of 1.5 SE is enough for one candidate, not for the best of 16 unrelated ones", () => {
    // The baseline steady at 10; a candidate ahead by 0.5 + unit noise scaled so that its lead is 1.5 SE.
    const n = 36;
    const noise = series(n);
    const mean = noise.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(noise.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
    const lead = Float64Array.from(noise, (v) => 10 + ((v - mean) / sd) * 0.25 * Math.sqrt(n) * (1 / 1.5) + 0.25);
    const base = Float64Array.from({ length: n }, () => 10);
    const folds = Array.from({ length: n }, (_, f) => f);
    const alone = selectByBacktest([[base], [lead]], folds, 0, DEFAULT_SELECTION);
    expect(alone.chosen).toBe(1);
    expect(alone.margin).toBeGreaterThanOrEqual(1);
    expect(alone.margin).toBeLessThan(1.5);
    const crowd = [[base], [lead], ...Array.from({ length: 15 }, () => [Float64Array.from(series(n), (v) => 10 + v)])];
    const among = selectByBacktest(crowd, folds, 0, DEFAULT_SELECTION);
    expect(among.margin).toBeGreaterThan(1.5);
    expect(among.chosen).not.toBe(1);
    expect(selectByBacktest(crowd, folds, 0, { ...DEFAULT_SELECTION, resamples: 0 }).margin).toBe(1);
  });
});

describe("recency-weighted selection (halfLife, off by default)", () => {
  // Base R's cov.wt with reliability weights (test/fixtures/forecast-selection/weighted-mean.R).
  const fixture = readFileSync(new URL("fixtures/forecast-selection/weighted-mean-r.csv", import.meta.url), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(",").map((field) => field.replace(/"/g, "")))
    .map(([halfLife, weights, mean, standardError, values]) => ({
      halfLife: halfLife === "Inf" ? Number.POSITIVE_INFINITY : Number(halfLife),
      weights: weights!.split(" ").map(Number),
      mean: Number(mean),
      standardError: Number(standardError),
      values: Float64Array.from(values!.split(" ").map(Number)),
    }));

  it("weights, weighted mean and its standard error match R's cov.wt at half-lives ∞, 12 and 3 months", () => {
    expect(fixture.length).toBe(3);
    for (const row of fixture) {
      const w = recencyWeights(row.values.length, row.halfLife);
      w.forEach((v, i) => expect(v).toBeCloseTo(row.weights[i]!, 14));
      const r = weightedMeanAndError(row.values, w);
      expect(r.mean).toBeCloseTo(row.mean, 13);
      expect(r.standardError).toBeCloseTo(row.standardError, 13);
    }
    expect(Array.from(recencyWeights(3))).toEqual([1, 1, 1]);
    expect(() => recencyWeights(3, 0)).toThrow(/half-life must be positive months, got 0/);
  });

  it("a lead that is recent only: chosen with a 12-month half-life, not with equal weights; no half-life is the product's rule", () => {
    // 36 months: the candidate trails the baseline by 1 for 24 months, then leads by 2 (with a little noise).
    const random = mulberry32(11);
    const n = 36;
    const base = Float64Array.from({ length: n }, () => 10);
    const candidate = Float64Array.from({ length: n }, (_, f) => 10 + (f < 24 ? -1 : 2) + 0.3 * (random() - 0.5));
    const folds = Array.from({ length: n }, (_, f) => f);
    const plain = { ...DEFAULT_SELECTION, resamples: 0 };
    expect(selectByBacktest([[base], [candidate]], folds, 0, plain).chosen).toBe(0);
    expect(selectByBacktest([[base], [candidate]], folds, 0, { ...plain, halfLife: 12 }).chosen).toBe(1);
    expect(selectByBacktest([[base], [candidate]], folds, 0, { ...DEFAULT_SELECTION, halfLife: 12 }).chosen).toBe(1);
    const equal = selectByBacktest([[base], [candidate]], folds, 0, DEFAULT_SELECTION);
    expect(selectByBacktest([[base], [candidate]], folds, 0, { ...DEFAULT_SELECTION, halfLife: Number.POSITIVE_INFINITY })).toEqual(equal);
  });
});

describe("the choice in words (forecast and backtest commands)", () => {
  // The city with no spatial pattern: the baseline is kept, with the family-wise margin above one standard error.
  const grid = city(() => 0.2, 7);
  const r = rollingBacktest(grid, kRingWeights(cells, 1), { areaShares: [0.01, 0.05] });

  it("a kept baseline is named as last-12-months, with the margin it was defended by (not 'one standard error' when it was more)", () => {
    expect(r.next.reason).toBe("baseline best in backtest");
    expect(r.next.marginStandardErrors).toBeGreaterThan(1.05);
    const text = choiceText(r.next);
    expect(text).toMatch(
      /^last-12-months, the baseline \(published as stacked\(kde\(b=1,h=24\),w=0\): its ranking with ties broken by the incidents around each cell\)/,
    );
    expect(text).toContain(`by more than ${r.next.marginStandardErrors.toFixed(2)} standard errors`);
    expect(text).not.toContain("one standard error");
    expect(text).toContain(`over ${r.next.folds} months`);
  });

  it("too little history says how many backtest months it had and how many the choice needs", () => {
    const short = rollingBacktest(monthWindow(grid, 0, 15), kRingWeights(cells, 1), { areaShares: [0.01, 0.05] });
    expect(short.next.reason).toBe("too little history");
    expect(choiceText(short.next)).toMatch(
      new RegExp(
        `^last-12-months, the baseline .*too little history to choose a method: ${short.next.folds} earlier backtest months, at least ${DEFAULT_SELECTION.minFolds} needed$`,
      ),
    );
  });

  it("a backtest that scored no month says why instead of printing NaN, and still gives the next month's choice", () => {
    const none = rollingBacktest(monthWindow(grid, 0, 12), kRingWeights(cells, 1), { areaShares: [0.01, 0.05] });
    const text = backtestText({
      category: "all",
      first_month: grid.months[0]!,
      last_month: grid.months[11]!,
      cells: cells.length,
      accounting: { incidents_in_grid: 0, incidents_outside_study_area: 0, incidents_outside_months: 0 },
      parameters: { min_history_months: 12 },
      summary: none.summary,
      next: none.next,
      file: "backtests/all.parquet",
      reused: null,
    });
    expect(text).not.toContain("NaN");
    expect(text).toContain("no month scored — a scored month needs 12 months before it");
    expect(text).toContain("next month: selected = last-12-months, the baseline");
  });
});

describe("selection options that could never choose", () => {
  it("a window shorter than the months a choice needs is refused, naming both, instead of keeping the baseline for 'too little history'", () => {
    const base = Float64Array.from({ length: 40 }, () => 10);
    const ahead = Float64Array.from({ length: 40 }, (_, f) => 12 + (f % 3));
    const folds = Array.from({ length: 40 }, (_, f) => f);
    expect(() => selectByBacktest([[base], [ahead]], folds, 0, { ...DEFAULT_SELECTION, window: 4 })).toThrow(
      /selection window \(4 backtest months\) is shorter than the 6 months a choice needs: give a window of at least 6/,
    );
    // At the minimum the choice is made: 40 months of a clear lead are not "too little history".
    expect(selectByBacktest([[base], [ahead]], folds, 0, { ...DEFAULT_SELECTION, window: 6 }).reason).toBe("best in backtest");
  });
});

describe("a sparse category whose baseline never hits", () => {
  it("a city whose incidents never recur in a cell: the baseline is kept because it never hit, not for too little history", () => {
    // One incident a month, each in a cell never hit before: the last 12 months' list holds only earlier cells.
    const grid = {
      cells,
      months,
      counts: Float64Array.from({ length: months.length * cells.length }, (_, k) => (k % cells.length === Math.floor(k / cells.length) ? 1 : 0)),
    };
    const r = rollingBacktest(grid, kRingWeights(cells, 1), { areaShares: [0.01, 0.05] });
    for (const f of r.folds.filter((x) => x.method === BASELINE_METHOD)) expect(f.pai).toBe(0);
    expect(r.next.folds).toBeGreaterThanOrEqual(DEFAULT_SELECTION.minFolds);
    expect(r.next.reason).toBe("baseline never hit");
    expect(r.next.parts).toEqual([TIE_BROKEN_BASELINE]);
    expect(choiceText(r.next)).toMatch(
      /^last-12-months, the baseline .*too little evidence to choose a method: in \d+ earlier backtest months the baseline's list caught no incident/,
    );
    expect(choiceHeadline(r.next)).toBe("last-12-months, the baseline: too little evidence to choose a method");
  });

  it("enough months but no baseline hit at a share: the words say so, not 'N months, at least 6 needed'", () => {
    // 40 backtest months in which the baseline's 1 % list caught nothing (PAI 0) and another method hit now and then.
    const n = 40;
    const folds = Array.from({ length: n }, (_, f) => f);
    const base = [new Float64Array(n), Float64Array.from({ length: n }, (_, f) => 2 + (f % 4))];
    const other = [Float64Array.from({ length: n }, (_, f) => (f % 5 === 0 ? 30 : 0)), Float64Array.from({ length: n }, (_, f) => 3 + (f % 4))];
    const choice = selectByBacktest([base, other], folds, 0, DEFAULT_SELECTION);
    expect(choice.reason).toBe("baseline never hit");
    expect(choice.folds).toBe(DEFAULT_SELECTION.window);
    const chosen: ChosenMethod = {
      method: BASELINE_METHOD,
      parts: [BASELINE_METHOD],
      runnerUp: null,
      reason: choice.reason,
      folds: choice.folds,
      marginOverRunnerUp: Number.NaN,
      gainOverBaseline: 0,
      byShare: [0.01, 0.05].map((share) => ({ share, gainOverBaseline: 0, criterion: Number.NaN, runnerUpCriterion: Number.NaN })),
      marginStandardErrors: choice.margin,
    };
    const text = choiceText(chosen);
    expect(text).toBe(
      `last-12-months, the baseline — too little evidence to choose a method: in 36 earlier backtest months the baseline's list caught no incident at 1.0 % or 5.0 % of the area, so no method's gain over it can be measured`,
    );
  });
});
