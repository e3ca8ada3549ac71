/**
 * fromPattern reads a value as Luxon's DateTime.fromFormat does (the second implementation here),
 * with each pattern's parser built once — but for a 12-hour clock whose hour contradicts its AM/PM,
 * which fromFormat reads as a 24-hour one.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { fromPattern } from "../etl/ingest/time-pattern.ts";

const CASES: Array<[pattern: string, values: string[]]> = [
  ["dd.MM.yyyy HH:mm", ["14.06.2019 21:35", "31.02.2019 10:00", "14.06.2019", "", "1.6.2019 9:05"]],
  ["MM/dd/yyyy hh:mm:ss a", ["06/14/2019 09:35:00 PM", "06/14/2019 12:35:00 AM", "13/14/2019 09:35:00 AM"]],
  ["yyyy-MM-dd'T'HH:mm:ss'Z'", ["2019-06-14T21:35:00Z", "2019-06-14T21:35:00+03:00", "2019-06-14 21:35:00Z"]],
  ["d/M/yyyy H:mm", ["1/2/2020 0:05", "29/2/2021 12:00", "x"]],
];

describe("fromPattern", () => {
  for (const [pattern, values] of CASES) {
    it(`reads '${pattern}' as DateTime.fromFormat does, valid or not`, () => {
      for (const zone of ["UTC", "Europe/Vilnius"]) {
        for (const value of values) {
          const expected = DateTime.fromFormat(value, pattern, { zone });
          // Twice: the second read uses the parser the first one built.
          for (const got of [fromPattern(value, pattern, { zone }), fromPattern(value, pattern, { zone })]) {
            expect(got.isValid, `${value} ${pattern} ${zone}`).toBe(expected.isValid);
            expect(got.isValid ? got.toMillis() : got.invalidReason).toEqual(expected.isValid ? expected.toMillis() : expected.invalidReason);
          }
        }
      }
    });
  }

  it("refuses an hour that contradicts its AM/PM, which fromFormat reads as the 24-hour clock's", () => {
    const pattern = "MM/dd/yyyy hh:mm:ss a";
    expect(DateTime.fromFormat("06/14/2019 21:35:00 AM", pattern, { zone: "UTC" }).isValid).toBe(true);
    const got = fromPattern("06/14/2019 21:35:00 AM", pattern, { zone: "UTC" });
    expect(got.isValid).toBe(false);
    expect(got.invalidExplanation).toContain("hour 21 with AM");
    // A 24-hour clock with a marker that agrees is read as written.
    expect(fromPattern("06/14/2019 21:35:00 PM", pattern, { zone: "UTC" }).toISO()).toBe("2019-06-14T21:35:00.000Z");
  });

  it("has valid and invalid values among the cases (the comparison above is not vacuous)", () => {
    const all = CASES.flatMap(([pattern, values]) => values.map((v) => DateTime.fromFormat(v, pattern, { zone: "UTC" }).isValid));
    expect(all.filter(Boolean).length).toBeGreaterThanOrEqual(5);
    expect(all.filter((v) => !v).length).toBeGreaterThanOrEqual(5);
  });
});
