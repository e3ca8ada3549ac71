/**
 * Time as exports of cities the product had not seen write it: Boston's "2023-03-12 01:30:00-05"
 * (a space and an offset of hours), LAPD's day plus an HHMM clock column ("DATE OCC" + "TIME OCC"),
 * ArcGIS's Unix milliseconds. Instants are checked against Date.UTC with the zone's offset written
 * out by hand (the US rules: summer time from the second Sunday of March 02:00 to the first Sunday
 * of November 02:00), and their months in the zone around midnight.
 */
import { describe, expect, it } from "vitest";
import { calendarMonth } from "../etl/ingest/calendar-month.ts";
import { parseTime, patternPrecision } from "../etl/ingest/parse-time.ts";
import { parseSourceDescription, type TimeSpec } from "../etl/ingest/source-description.ts";

const NOW = Date.UTC(2026, 0, 1);
const row = (fields: Record<string, string>) => (column: string) => fields[column] ?? "";

describe("ISO times with a space for the T and an offset of hours alone (Boston)", () => {
  const spec: TimeSpec = { format: "iso", column: "OCCURRED_ON_DATE" };
  const at = (text: string) => parseTime(spec, row({ OCCURRED_ON_DATE: text }), "America/New_York", NOW);

  it("reads the offset as written, on both sides of the spring change", () => {
    expect(at("2023-03-12 01:30:00-05")).toEqual({ ok: true, epochMs: Date.UTC(2023, 2, 12, 6, 30), precision: "minute", ambiguous: false });
    expect(at("2023-03-12 03:30:00-04")).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 2, 12, 7, 30) });
    expect(at("2023-03-12T03:30-04")).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 2, 12, 7, 30) });
    expect(at("2023-04-30 23:45:00.5+00")).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 3, 30, 23, 45, 0, 500) });
  });

  it("still refuses what is not a date-time", () => {
    expect(at("2023-04-31 10:00:00-04")).toMatchObject({ ok: false, code: "invalid_timestamp" });
    expect(at("2023-04-30 10:00:00-4")).toMatchObject({ ok: false, code: "invalid_timestamp" });
  });

  it("cuts months in the zone: 23:45 on 30 April EDT is April, 00:15 on 1 May is May", () => {
    const late = at("2023-04-30 23:45:00-04");
    const early = at("2023-05-01 00:15:00-04");
    expect(late.ok && calendarMonth(late.epochMs, "America/New_York")).toBe("2023-04");
    expect(early.ok && calendarMonth(early.epochMs, "America/New_York")).toBe("2023-05");
  });
});

describe("a day column with a clock-time column (LAPD's DATE OCC and TIME OCC)", () => {
  const spec: TimeSpec = { format: "pattern", column: "DATE OCC", pattern: "MM/dd/yyyy hh:mm:ss a", time_of_day: "TIME OCC" };
  const zone = "America/Los_Angeles";
  const at = (date: string, time: string) => parseTime(spec, row({ "DATE OCC": date, "TIME OCC": time }), zone, NOW);

  it("reads HHMM with or without leading zeros, and H:mm, in the source's zone", () => {
    // PDT is UTC−7 in July.
    expect(at("07/04/2023 12:00:00 AM", "5")).toEqual({ ok: true, epochMs: Date.UTC(2023, 6, 4, 7, 5), precision: "minute", ambiguous: false });
    expect(at("07/04/2023 12:00:00 AM", "0005")).toMatchObject({ epochMs: Date.UTC(2023, 6, 4, 7, 5) });
    expect(at("07/04/2023 12:00:00 AM", "2230")).toMatchObject({ epochMs: Date.UTC(2023, 6, 5, 5, 30) });
    expect(at("07/04/2023 12:00:00 AM", "22:30")).toMatchObject({ epochMs: Date.UTC(2023, 6, 5, 5, 30) });
  });

  it("puts 23:55 on 31 January in January and 00:05 on 1 February in February (PST, UTC−8)", () => {
    const late = at("01/31/2023 12:00:00 AM", "2355");
    const early = at("02/01/2023 12:00:00 AM", "5");
    expect(late).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 1, 1, 7, 55) });
    expect(early).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 1, 1, 8, 5) });
    expect(late.ok && calendarMonth(late.epochMs, zone)).toBe("2023-01");
    expect(early.ok && calendarMonth(early.epochMs, zone)).toBe("2023-02");
  });

  it("applies the DST rules to the combined time: the spring gap is refused, the autumn overlap taken first", () => {
    expect(at("03/12/2023 12:00:00 AM", "215")).toMatchObject({ ok: false, code: "nonexistent_local_time" });
    expect(at("11/05/2023 12:00:00 AM", "145")).toEqual({ ok: true, epochMs: Date.UTC(2023, 10, 5, 8, 45), precision: "minute", ambiguous: true });
  });

  it("refuses a clock time that is not one, naming the column", () => {
    for (const bad of ["2460", "2400", "12345", "noon", "7:5"]) {
      const parsed = at("07/04/2023 12:00:00 AM", bad);
      expect(parsed).toMatchObject({ ok: false, code: "invalid_timestamp" });
      expect(!parsed.ok && parsed.reason).toContain("TIME OCC");
    }
  });

  it("works with format: date too", () => {
    const date: TimeSpec = { format: "date", column: "d", time_of_day: "t" };
    expect(parseTime(date, row({ d: "2023-07-04", t: "1230" }), zone, NOW)).toMatchObject({
      ok: true,
      epochMs: Date.UTC(2023, 6, 4, 19, 30),
      precision: "minute",
    });
  });
});

describe("a day written with an offset beside a clock column (c2)", () => {
  // The day is the instant's day in the source's zone; the clock column is local, as every time_of_day.
  const spec: TimeSpec = { format: "pattern", column: "d", pattern: "yyyy-MM-dd HH:mm:ssZZ", time_of_day: "t" };
  const at = (date: string, time: string, zone: string) => parseTime(spec, row({ d: date, t: time }), zone, NOW);

  it("keeps the local day east of Greenwich, whose midnight falls on the UTC day before (Vilnius, UTC+2 / +3)", () => {
    expect(at("2024-01-05 00:00:00+02:00", "1430", "Europe/Vilnius")).toEqual({
      ok: true,
      epochMs: Date.UTC(2024, 0, 5, 12, 30),
      precision: "minute",
      ambiguous: false,
    });
    // The same midnight written in UTC names the same day.
    expect(at("2024-01-04 22:00:00+00:00", "1430", "Europe/Vilnius")).toMatchObject({ ok: true, epochMs: Date.UTC(2024, 0, 5, 12, 30) });
    expect(at("2024-07-05 00:00:00+03:00", "0915", "Europe/Vilnius")).toMatchObject({ ok: true, epochMs: Date.UTC(2024, 6, 5, 6, 15) });
  });

  it("takes the clock in the source's zone west of Greenwich (DC's midnight written in UTC), and keeps the instant when no clock was recorded", () => {
    expect(at("2024-01-01 05:00:00+00:00", "2330", "America/New_York")).toMatchObject({ ok: true, epochMs: Date.UTC(2024, 0, 2, 4, 30) });
    expect(at("2024-01-01 05:00:00+00:00", "NA", "America/New_York")).toMatchObject({ ok: true, epochMs: Date.UTC(2024, 0, 1, 5), precision: "day" });
  });

  it("still refuses a day that is not one, or an offset no place uses", () => {
    expect(at("2024-02-30 00:00:00+02:00", "1430", "Europe/Vilnius")).toMatchObject({ ok: false, code: "invalid_timestamp" });
    expect(at("2024-01-05 00:00:00+15:00", "1430", "Europe/Vilnius")).toMatchObject({ ok: false, code: "invalid_timestamp" });
  });
});

describe("Unix time (ArcGIS GeoJSON dates)", () => {
  it("reads milliseconds, or seconds with unit: s", () => {
    const ms = Date.UTC(2023, 0, 5, 13, 32);
    expect(parseTime({ format: "epoch", column: "t", unit: "ms" }, row({ t: String(ms) }), "America/Denver", NOW)).toEqual({
      ok: true,
      epochMs: ms,
      precision: "minute",
      ambiguous: false,
    });
    expect(parseTime({ format: "epoch", column: "t", unit: "s" }, row({ t: String(ms / 1000) }), "America/Denver", NOW)).toMatchObject({
      ok: true,
      epochMs: ms,
    });
    expect(parseTime({ format: "epoch", column: "t", unit: "ms" }, row({ t: "2023-01-05" }), "America/Denver", NOW)).toMatchObject({
      ok: false,
      code: "invalid_timestamp",
    });
  });

  it("keeps the checks on range: seconds read as milliseconds are before 1990", () => {
    expect(parseTime({ format: "epoch", column: "t", unit: "ms" }, row({ t: "1672925520" }), "America/Denver", NOW)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("before 1990"),
    });
  });

  it("says so when a file described as ISO holds Unix milliseconds", () => {
    const parsed = parseTime({ format: "iso", column: "t" }, row({ t: "1672925520000" }), "America/Denver", NOW);
    expect(parsed).toMatchObject({ ok: false, code: "invalid_timestamp" });
    expect(!parsed.ok && parsed.reason).toContain("format: epoch");
  });
});

describe("the precision a pattern dates to (its fields, not its quoted literals)", () => {
  const at = (pattern: string, text: string) => parseTime({ format: "pattern", column: "when", pattern }, row({ when: text }), "Europe/Vilnius", NOW);

  it("stores month-only patterns (MM/yyyy, Excel's MMM-yy) as months, at the first of the month", () => {
    expect(at("MM/yyyy", "02/2021")).toEqual({ ok: true, epochMs: Date.UTC(2021, 0, 31, 22), precision: "month", ambiguous: false });
    expect(at("MMM-yy", "Feb-21")).toEqual({ ok: true, epochMs: Date.UTC(2021, 0, 31, 22), precision: "month", ambiguous: false });
  });

  it("does not read the quoted 'm.' of the Lithuanian long date as minutes", () => {
    expect(at("yyyy 'm.' MM 'mėn.' dd 'd.'", "2021 m. 02 mėn. 03 d.")).toEqual({
      ok: true,
      epochMs: Date.UTC(2021, 1, 2, 22),
      precision: "day",
      ambiguous: false,
    });
  });

  it("reads minutes, hours and days from the fields", () => {
    expect(patternPrecision("dd.MM.yyyy HH:mm")).toBe("minute");
    expect(patternPrecision("M/d/yyyy h:mm a")).toBe("minute");
    expect(patternPrecision("dd.MM.yyyy H 'val.'")).toBe("hour");
    expect(patternPrecision("yyyy-MM-dd'T'HH")).toBe("hour");
    expect(patternPrecision("dd/MM/yyyy")).toBe("day");
    expect(patternPrecision("yyyy 'm.' MMMM d 'd.'")).toBe("day");
    expect(patternPrecision("MMMM yyyy 'metai'")).toBe("month");
  });
});

describe("spreadsheet day numbers where a date was described (q5 #11)", () => {
  const hint = /looks like a spreadsheet day number .*format the column as a date .* in the spreadsheet and export the file again/;
  const at = (spec: TimeSpec, text: string) => parseTime(spec, row({ Data: text }), "Europe/Vilnius", NOW);

  it("says so for a pattern, a day or ISO, with or without a fraction of the day", () => {
    for (const text of ["44197,5", "44197", "44198.370000"]) {
      for (const spec of [
        { format: "pattern", column: "Data", pattern: "yyyy-MM-dd HH:mm" },
        { format: "date", column: "Data" },
        { format: "iso", column: "Data" },
      ] as TimeSpec[]) {
        const parsed = at(spec, text);
        expect(parsed.ok ? "read" : parsed.reason, `${spec.format} ${text}`).toMatch(hint);
      }
    }
  });

  it("gives no such hint for other failures", () => {
    const parsed = at({ format: "pattern", column: "Data", pattern: "dd.MM.yyyy" }, "31.02.2021");
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.reason).not.toMatch(/spreadsheet/);
    expect(at({ format: "date", column: "Data" }, "12345").ok ? "" : "refused").toBe("refused");
    const small = at({ format: "date", column: "Data" }, "12345");
    expect(small.ok ? "" : small.reason).not.toMatch(/spreadsheet/);
  });
});

describe("month names in the source's language (q6: a Lithuanian register's '2023 m. sausio 5 d.')", () => {
  const spec = { format: "pattern", column: "when", pattern: "yyyy 'm.' MMMM d 'd.'", locale: "lt" } as const;
  const at = (text: string, time: TimeSpec = spec) => parseTime(time, row({ when: text, laikas: "21:09" }), "Europe/Vilnius", NOW);

  it("reads the Lithuanian month names with locale lt, in Vilnius time, beside a clock column", () => {
    expect(at("2023 m. sausio 5 d.")).toEqual({ ok: true, epochMs: Date.UTC(2023, 0, 4, 22), precision: "day", ambiguous: false });
    expect(at("2023 m. gegužės 31 d.")).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 4, 30, 21) });
    expect(at("2023 m. gruodžio 1 d.", { ...spec, time_of_day: "laikas" })).toMatchObject({ epochMs: Date.UTC(2023, 10, 30, 22) + (21 * 60 + 9) * 60_000 });
    expect(at("2023 m. sausis 5 d.")).toMatchObject({ ok: false, code: "invalid_timestamp" });
  });

  it("is a field of the description, checked against the locales Intl knows", () => {
    const source = (locale: string) => ({
      id: "lt",
      title: "lt",
      timezone: "Europe/Vilnius",
      bounds: [21, 53.9, 26.9, 56.5],
      columns: { time: { ...spec, locale }, x: "x", y: "y", offence: { column: "o" } },
      categories: { Vagystė: "theft" },
    });
    expect(parseSourceDescription(source("lt"), "lt.yaml").columns.time).toMatchObject({ locale: "lt" });
    expect(() => parseSourceDescription(source("lithuanian"), "lt.yaml")).toThrow(/is not a locale this reader knows/);
  });
});

describe("a 12-hour clock whose hour contradicts its AM/PM (Austin's and Chicago's MM/dd/yyyy hh:mm:ss a)", () => {
  const spec: TimeSpec = { format: "pattern", column: "Occurred Date Time", pattern: "MM/dd/yyyy hh:mm:ss a" };
  const at = (text: string) => parseTime(spec, row({ "Occurred Date Time": text }), "America/Chicago", NOW);

  it("is quarantined with its reason, not read as 13:00 or 12:30 of that day", () => {
    for (const [text, said] of [
      ["01/05/2023 13:00:00 AM", "hour 13 with AM"],
      ["01/05/2023 00:30:00 PM", "hour 00 with PM"],
      ["01/05/2023 23:30:00 AM", "hour 23 with AM"],
    ]) {
      const parsed = at(text!);
      expect(parsed).toMatchObject({ ok: false, code: "invalid_timestamp" });
      expect(!parsed.ok && parsed.reason).toContain(said);
    }
  });

  it("still reads every hour the clock has, 00 AM as half past midnight, and the unpadded pattern alike", () => {
    // CST is UTC−6 in January.
    expect(at("01/05/2023 12:30:00 AM")).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 0, 5, 6, 30) });
    expect(at("01/05/2023 00:30:00 AM")).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 0, 5, 6, 30) });
    expect(at("01/05/2023 12:30:00 PM")).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 0, 5, 18, 30) });
    expect(at("01/05/2023 11:30:00 PM")).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 0, 6, 5, 30) });
    // A 24-hour clock with the marker as well (.NET's "HH:mm tt"): every afternoon agrees with its PM.
    expect(at("01/05/2023 23:30:00 PM")).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 0, 6, 5, 30) });
    expect(at("01/05/2023 13:00:00 PM")).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 0, 5, 19, 0) });
    const unpadded: TimeSpec = { format: "pattern", column: "t", pattern: "M/d/yyyy h:mm a" };
    expect(parseTime(unpadded, row({ t: "1/5/2023 13:07 AM" }), "America/Chicago", NOW)).toMatchObject({ ok: false, code: "invalid_timestamp" });
    expect(parseTime(unpadded, row({ t: "1/5/2023 1:07 PM" }), "America/Chicago", NOW)).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 0, 5, 19, 7) });
  });
});
