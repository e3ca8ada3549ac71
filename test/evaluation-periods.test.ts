import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectableChange } from "../etl/evaluation/statistics/detectable-change.ts";
import {
  checkPeriodOrder,
  daysInYear,
  monthOfYearDays,
  parsePeriod,
  periodContains,
  periodMonths,
  sameSeasonBefore,
  seasonsDiffer,
} from "../etl/evaluation/statistics/evaluation-period.ts";
import { exactTestShowsChange, rateRatioTest } from "../etl/evaluation/statistics/rate-ratio-test.ts";

describe("parsePeriod", () => {
  it("reads years, months, days and ranges as local calendar days", () => {
    expect(parsePeriod("2018")).toEqual({ label: "2018", windows: [{ first: "2018-01-01", last: "2018-12-31" }], days: 365 });
    expect(parsePeriod("2020").days).toBe(366);
    expect(parsePeriod("2019-02").windows[0]).toEqual({ first: "2019-02-01", last: "2019-02-28" });
    expect(parsePeriod("2020-02").days).toBe(29);
    expect(parsePeriod("2019-06-15").days).toBe(1);
    expect(parsePeriod("2018-03/2018-08")).toMatchObject({ windows: [{ first: "2018-03-01", last: "2018-08-31" }], days: 184 });
    expect(parsePeriod("2016/2018").days).toBe(365 * 3 + 1);
  });

  it("refuses what is not a period, naming the input", () => {
    expect(() => parsePeriod("2018-13")).toThrow(/month 13 does not exist/);
    expect(() => parsePeriod("2019-02-29")).toThrow(/2019-02-29 does not exist/);
    expect(() => parsePeriod("2019/2018")).toThrow(/ends before it starts/);
    expect(() => parsePeriod("last year")).toThrow(/cannot read period 'last year'/);
    expect(() => parsePeriod("2018/2019/2020")).toThrow(/cannot read period/);
  });

  it("lists the months a period touches and tests days against it", () => {
    const p = parsePeriod("2018-11-20/2019-01-05");
    expect(periodMonths(p)).toEqual(["2018-11", "2018-12", "2019-01"]);
    expect(periodContains(p, "2018-11-20")).toBe(true);
    expect(periodContains(p, "2019-01-06")).toBe(false);
    expect(daysInYear(p.windows[0]!, 2019)).toBe(5);
    expect(daysInYear(p.windows[0]!, 2017)).toBe(0);
  });

  it("requires the before period to end before the after period starts", () => {
    expect(() => checkPeriodOrder(parsePeriod("2018"), parsePeriod("2019"))).not.toThrow();
    expect(() => checkPeriodOrder(parsePeriod("2018/2019-03"), parsePeriod("2019"))).toThrow(/must end before/);
  });
});

describe("sameSeasonBefore", () => {
  it("moves the after period back by whole years inside the before period", () => {
    const before = sameSeasonBefore(parsePeriod("2016/2018"), parsePeriod("2019-03/2019-08"));
    expect(before.windows).toEqual([
      { first: "2016-03-01", last: "2016-08-31" },
      { first: "2017-03-01", last: "2017-08-31" },
      { first: "2018-03-01", last: "2018-08-31" },
    ]);
    expect(before.days).toBe(3 * 184);
    expect(before.label).toBe("2016/2018, same season as 2019-03/2019-08");
  });

  it("keeps a winter season that spans the new year, and clamps 29 February", () => {
    const winter = sameSeasonBefore(parsePeriod("2017/2019"), parsePeriod("2019-12/2020-02"));
    expect(winter.windows).toEqual([
      { first: "2017-12-01", last: "2018-02-28" },
      { first: "2018-12-01", last: "2019-02-28" },
    ]);
  });

  it("fails when no shifted copy fits", () => {
    expect(() => sameSeasonBefore(parsePeriod("2018-01/2018-02"), parsePeriod("2019-06"))).toThrow(/no whole-year shift/);
  });
});

describe("seasonsDiffer", () => {
  const differ = (before: string, after: string) => seasonsDiffer(parsePeriod(before), parsePeriod(after));

  it("counts a period's days per month of the year", () => {
    expect(monthOfYearDays(parsePeriod("2019-12-15/2020-02"))).toEqual([31, 29, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17]);
  });

  it("finds whole years, twelve-month windows and same-season periods balanced, a leap day included", () => {
    expect(differ("2018", "2019")).toBe(false);
    expect(differ("2019", "2020")).toBe(false);
    expect(differ("2016/2018", "2019")).toBe(false);
    expect(differ("2018-07/2019-06", "2019-07/2020-06")).toBe(false);
    expect(differ("2018-03/2019-02", "2019")).toBe(false);
    const after = parsePeriod("2019-03/2019-08");
    expect(seasonsDiffer(sameSeasonBefore(parsePeriod("2016/2018"), after), after)).toBe(false);
  });

  it("flags periods that weigh the months differently: a half year against eighteen months, one month against the next", () => {
    expect(differ("2017-01/2017-06", "2017-07/2018-12")).toBe(true);
    expect(differ("2019-05", "2019-06")).toBe(true);
    expect(differ("2018-01/2018-11", "2019")).toBe(true);
  });
});

describe("detectableChange", () => {
  it("finds that 11 cases can only show a split as lopsided as 1 → 10 or 10 → 1", () => {
    const d = detectableChange(11);
    expect(d.increase).toEqual({ before: 1, after: 10, rate_ratio: 10 });
    expect(d.decrease).toEqual({ before: 10, after: 1, rate_ratio: 0.1 });
  });

  it("says when no split at all can be significant (4 cases)", () => {
    expect(detectableChange(4)).toMatchObject({ increase: null, decrease: null });
    expect(detectableChange(7).increase).toEqual({ before: 0, after: 7, rate_ratio: null });
  });

  it("returns the boundary: its split shows a change and the next less lopsided one does not", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 3 }), (total, beforeYears) => {
        const d = detectableChange(total, beforeYears, 1);
        // The one rule: p < α and the interval excludes 1 (rate-ratio-test.ts).
        const shows = (after: number) => exactTestShowsChange(rateRatioTest(total - after, after, beforeYears, 1), 0.05);
        if (d.increase) {
          expect(shows(d.increase.after)).toBe(true);
          if (d.increase.after - 1 >= (total * 1) / (beforeYears + 1)) expect(shows(d.increase.after - 1)).toBe(false);
        } else {
          expect(shows(total)).toBe(false);
        }
        if (d.decrease) {
          expect(shows(d.decrease.after)).toBe(true);
          if (d.decrease.after + 1 <= total / (beforeYears + 1)) expect(shows(d.decrease.after + 1)).toBe(false);
        }
      }),
      { seed: 42, numRuns: 150 },
    );
  });
});
