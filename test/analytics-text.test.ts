import { describe, expect, it } from "vitest";
import type { EmergingSummary } from "../etl/analytics/emerging-lake.ts";
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
});
