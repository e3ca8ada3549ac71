import { describe, expect, it } from "vitest";
import type { EmergingSummary } from "../etl/analytics/emerging-lake.ts";
import type { ForecastSummary } from "../etl/analytics/forecast-lake.ts";
import type { ChosenMethod } from "../etl/analytics/rolling-backtest.ts";
import type { UnchangedOutput } from "../etl/analytics/output-fingerprint.ts";
import { analyticsText } from "../etl/cli/analytics-text.ts";

const accounting = { incidents_in_grid: 0, incidents_outside_study_area: 0, incidents_outside_months: 0 };
const emerging = (category: string, extra: Partial<EmergingSummary>): EmergingSummary => ({
  category,
  first_month: "2019-01",
  last_month: "2019-12",
  months: 12,
  cells: 40,
  parameters: {},
  accounting,
  cells_by_category: {},
  hot_cells: [],
  file: null,
  ...extra,
});
const kept = (category: string): UnchangedOutput => ({
  unchanged: "up to date",
  category,
  file: `/lake/emerging/${category}.parquet`,
  first_month: "2019-01",
  last_month: "2019-12",
});
const backtest = {
  category: "all",
  first_month: null,
  last_month: null,
  cells: 40,
  accounting,
  parameters: {},
  summary: [],
  next: null,
  file: null,
  reused: null,
};

describe("the run's analytics text", () => {
  it("gives each category's emerging hot spots a line: its patterns, why it was too sparse, or that it was kept", () => {
    const lines = analyticsText({
      emerging: emerging("all", { cells_by_category: { new_hot_spot: 3, no_pattern: 30, sporadic_hot_spot: 1234 } }),
      forecast: null,
      backtest,
      categories: {
        theft: { emerging: emerging("theft", { cells_by_category: { no_pattern: 40 } }), forecast: null },
        drugs: { emerging: emerging("drugs", { cells_by_category: { intensifying_hot_spot: 2 } }), forecast: null },
        sexual_offences: { emerging: emerging("sexual_offences", { skipped: { reason: "few_months", months: 12, minimum_months: 8 } }), forecast: null },
        burglary: { emerging: kept("burglary"), forecast: null },
      },
    });
    expect(lines).toEqual([
      "Emerging hot spots (all): new hot spot 3, sporadic hot spot 1,234",
      "Emerging hot spots by category:",
      "    burglary         not recomputed (up to date)",
      "    drugs            intensifying hot spot 2",
      "    sexual_offences  too sparse: incidents in fewer than 8 of its 12 months",
      "    theft            none",
    ]);
  });

  it("adds no category lines when the run analysed none", () => {
    expect(analyticsText({ emerging: emerging("all", {}), forecast: null, backtest, categories: {} })).toEqual(["Emerging hot spots (all): none"]);
  });

  it("says a backtest of a lake too short to score a month scored none, instead of printing its empty means", () => {
    const row = (method: string, areaTarget: number) => ({ method, areaTarget, folds: 0, meanPai: Number.NaN });
    const short = {
      ...backtest,
      first_month: "2019-01",
      last_month: "2019-12",
      parameters: { min_history_months: 12 },
      summary: [row("selected", 0.01), row("last-12-months", 0.01), row("last-month", 0.05)] as unknown as (typeof backtest)["summary"],
    };
    const lines = analyticsText({ emerging: emerging("all", {}), forecast: null, backtest: short, categories: {} });
    expect(lines.join("\n")).not.toContain("NaN");
    expect(lines).toContain(
      "Backtest 2019-01 … 2019-12: no month scored — a scored month needs 12 months before it (backtest --min-history <months> lowers it); the patrol priorities stand without a measured accuracy",
    );
    // Long enough, but no month after the history held an incident: that is the reason, not the history.
    const quiet = analyticsText({ emerging: emerging("all", {}), forecast: null, backtest: { ...short, last_month: "2020-03" }, categories: {} });
    expect(quiet).toContain(
      "Backtest 2019-01 … 2020-03: no month scored — no month after the first 12 held an incident; the patrol priorities stand without a measured accuracy",
    );
  });

  it("says over how many months a backtest's means are, and ranks no method on fewer than a choice needs", () => {
    const row = (method: string, areaTarget: number, meanPai: number, folds: number) => ({ method, areaTarget, folds, meanPai });
    const scored = (folds: number, minMonths?: number) => ({
      ...backtest,
      first_month: "2017-01",
      last_month: "2018-01",
      parameters: { min_history_months: 12, ...(minMonths === undefined ? {} : { selection_min_months: minMonths }) },
      summary: ["selected", "last-12-months", "last-month", "kde(b=2,h=6)", "ewma(h=3)", "gi-star-mean", "window(w=12)"].flatMap((method, m) =>
        [0.01, 0.05, 0.1].map((share) => row(method, share, 10 - m, folds)),
      ) as unknown as (typeof backtest)["summary"],
    });
    const text = (folds: number, minMonths?: number) =>
      analyticsText({ emerging: emerging("all", {}), forecast: null, backtest: scored(folds, minMonths), categories: {} });
    // One scored month (13 months of history): the baselines' figures, with the month count, and no "best" other method.
    const one = text(1, 6);
    expect(one[1]).toBe("Backtest 2017-01 … 2018-01, mean PAI at 1 % / 5 % / 10 % of the area over 1 scored month:");
    expect(one.slice(2, 5).map((l) => l.trim().split(/\s+/)[0])).toEqual(["selected", "last-12-months", "last-month"]);
    expect(one.join("\n")).not.toMatch(/kde|ewma|gi-star|window/);
    expect(one[5]).toBe("    1 scored month, fewer than the 6 a comparison of methods needs: the others are not ranked on it (backtest --json lists them all)");
    // The selection's own minimum when the summary does not record one.
    expect(text(5).at(-1)).toContain("5 scored months, fewer than the 6 a comparison of methods needs: the others are not ranked on them");
    // Enough months: the best three others by PAI at 1 %, as before.
    const enough = text(6, 6);
    expect(enough[1]).toContain("over 6 scored months:");
    expect(enough.slice(5, 8).map((l) => l.trim().split(/\s+/)[0])).toEqual(["kde(b=2,h=6)", "ewma(h=3)", "gi-star-mean"]);
    expect(enough.at(-1)).toBe("    … 1 more methods (backtest --json lists them all)");
  });

  it("names the method the selected patrol forecast published and why, as the forecast command words the choice", () => {
    const cells = [
      { rank: 1, h3_cell: "8866f1a0a9fffff", score: 3, area_km2: 0.7 },
      { rank: 2, h3_cell: "8866f1a0abfffff", score: 2, area_km2: 0.7 },
    ];
    const evidence = (gain: number) => [0.01, 0.05].map((share) => ({ share, gainOverBaseline: gain, criterion: 0.02, runnerUpCriterion: 0 }));
    const chosen = (c: Partial<ChosenMethod>): ChosenMethod => ({
      method: "ewma-fitted",
      parts: ["ewma-fitted"],
      runnerUp: "last-12-months",
      reason: "best in backtest",
      folds: 36,
      marginOverRunnerUp: 0.02,
      gainOverBaseline: 0.062,
      byShare: evidence(0.062),
      marginStandardErrors: 1,
      ...c,
    });
    const forecast = (c: ChosenMethod): ForecastSummary => ({
      month: "2024-10",
      category: "all",
      history: { from: "2021-10", to: "2024-09" },
      selection: { top: 2 },
      parameters: {},
      chosen: c,
      methods: [
        { method: "selected", cells },
        { method: "last-12-months", cells },
      ],
      file: "/lake/forecasts/month=2024-10/all.parquet",
    });
    const line = (c: ChosenMethod) => analyticsText({ emerging: emerging("all", {}), forecast: forecast(c), backtest, categories: {} })[1];
    expect(line(chosen({}))).toBe(
      "Patrol priorities 2024-10 (selected: ewma-fitted, ahead of last-12-months by 6.2 % in mean PAI): 2 cells; top: 8866f1a0a9fffff, 8866f1a0abfffff",
    );
    const kept = { method: "stacked(kde(b=1,h=24),w=0)", parts: ["stacked(kde(b=1,h=24),w=0)"], gainOverBaseline: 0, byShare: evidence(0) };
    expect(line(chosen({ ...kept, reason: "baseline best in backtest" }))).toBe(
      "Patrol priorities 2024-10 (selected: last-12-months, the baseline: no method beat it): 2 cells; top: 8866f1a0a9fffff, 8866f1a0abfffff",
    );
    expect(line(chosen({ ...kept, reason: "baseline never hit" }))).toContain(
      "(selected: last-12-months, the baseline: too little evidence to choose a method)",
    );
    expect(line(chosen({ ...kept, reason: "too little history", folds: 3 }))).toContain(
      "(selected: last-12-months, the baseline: too little history to choose a method)",
    );
    // The baselines' own lines are unchanged.
    expect(analyticsText({ emerging: emerging("all", {}), forecast: forecast(chosen({})), backtest, categories: {} })[2]).toBe(
      "Patrol priorities 2024-10 (last-12-months): 2 cells; top: 8866f1a0a9fffff, 8866f1a0abfffff",
    );
  });
});
