import { describe, expect, it } from "vitest";
import { preTrendCaveats, withTimeSeriesCaveats, type CategoryTimeSeries } from "../etl/evaluation/its/outcome-time-series.ts";
import { interruptedTimeSeries, type MonthCount } from "../etl/evaluation/statistics/interrupted-time-series.ts";

const INTERVENTION = "2020-01";

/** Monthly counts from 2016-01: `level(t)` rounded, t = 0 at the first month. */
function series(months: number, level: (t: number) => number, first = 2016): MonthCount[] {
  return Array.from({ length: months }, (_, t) => {
    const year = first + Math.floor(t / 12);
    return { month: `${year}-${String((t % 12) + 1).padStart(2, "0")}`, count: Math.round(level(t)) };
  });
}

function timeSeries(category: string, months: MonthCount[]): CategoryTimeSeries {
  return {
    category,
    first_month: months[0]!.month,
    last_month: months.at(-1)!.month,
    intervention_month: INTERVENTION,
    series: months,
    its: interruptedTimeSeries(months, INTERVENTION, 0.95),
    in_time_placebos: null,
  };
}

// A count falling about 2 % a month for four years before 2020-01 and on at the same pace for two after:
// the before/after fall is the trend's, and the level change at 2020-01 is nil.
const falling = timeSeries(
  "theft",
  series(72, (t) => 80 * 0.98 ** t + (t % 3) - 1),
);
const flat = timeSeries(
  "burglary",
  series(72, (t) => 30 + ((t * 7) % 5) - 2),
);
const result = (changes: Record<string, number>) => ({
  outcomes: Object.entries(changes).flatMap(([category, change]) => [
    { category, case_type: "all", change },
    { category, case_type: "pre_trial_investigation", change },
  ]),
  confidence_level: 0.95,
  caveats: ["first"],
  caveats_lt: ["pirmas"],
});

describe("a trend that began before the intervention", () => {
  it("says a before/after fall continues a pre-trend that was already falling, with its interval, in both languages", () => {
    expect(falling.its.refused).toBe(false);
    const caveats = preTrendCaveats([falling, flat], result({ theft: -200, burglary: -3 }));
    expect(caveats.map((c) => c.code)).toEqual(["pre_trend"]);
    const out = withTimeSeriesCaveats(result({ theft: -200, burglary: -3 }), [falling, flat]);
    expect(out.caveats).toHaveLength(2);
    expect(out.caveats[1]).toMatch(
      /^Theft was already falling before 2020-01 \(×0\.98\d a month, 95 % CI 0\.9\d+ to 0\.9\d+\): .*no evidence of an effect by itself/,
    );
    expect(out.caveats_lt[1]).toMatch(/^Užregistruotų atvejų \(.+\) skaičius mažėjo jau iki 2020-01 \(×0,98\d per mėnesį, 95 % PI 0,9\d+–0,9\d+\)/);
  });

  it("says nothing where the count moved against its pre-trend, had no trend, or the series was refused", () => {
    expect(preTrendCaveats([falling], result({ theft: 12 }))).toEqual([]);
    expect(preTrendCaveats([flat], result({ burglary: -3 }))).toEqual([]);
    const short = timeSeries(
      "theft",
      series(24, (t) => 80 * 0.98 ** t, 2019),
    );
    expect(short.its.refused).toBe(true);
    expect(preTrendCaveats([short], result({ theft: -20 }))).toEqual([]);
    const unchanged = result({ theft: 12 });
    expect(withTimeSeriesCaveats(unchanged, [falling])).toBe(unchanged);
  });
});
