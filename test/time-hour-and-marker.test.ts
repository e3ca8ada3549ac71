/**
 * Two ways an unseen export writes time that the product misread: an hour-of-day column beside a
 * date (Toronto's OCC_DATE + OCC_HOUR, where "13" as a clock would be 00:13), and local clock times
 * followed by a UTC marker (`Z`, `+00:00`). Instants are checked against Date.UTC with the zone's
 * offset written out by hand (Toronto EST −5 / EDT −4; Los Angeles PST −8 / PDT −7; US summer time
 * from the second Sunday of March 02:00 to the first Sunday of November 02:00).
 */
import { describe, expect, it } from "vitest";
import { parseTime } from "../etl/ingest/parse-time.ts";
import { proposeSource } from "../etl/ingest/propose-source.ts";
import { proposeTime } from "../etl/ingest/propose-time.ts";
import { sniffedCsv } from "./helpers/shared.ts";
import { parseSourceDescription, type TimeSpec } from "../etl/ingest/source-description.ts";

const NOW = Date.UTC(2026, 0, 1);
const row = (fields: Record<string, string>) => (column: string) => fields[column] ?? "";
const table = sniffedCsv;
const description = (time: unknown) => ({
  id: "t",
  title: "t",
  timezone: "America/Toronto",
  bounds: [-80, 43, -79, 44],
  columns: { time, x: "x", y: "y", offence: { column: "o" } },
  categories: { theft: "theft" },
});

describe("an hour-of-day column beside a day (time_of_day with format: hour)", () => {
  const spec: TimeSpec = { format: "date", column: "OCC_DATE", time_of_day: { column: "OCC_HOUR", format: "hour" } };
  const at = (date: string, hour: string) => parseTime(spec, row({ OCC_DATE: date, OCC_HOUR: hour }), "America/Toronto", NOW);

  it("reads 13 as 13:00 local, to the hour (not 00:13 to the minute)", () => {
    expect(at("2023-05-02", "13")).toEqual({ ok: true, epochMs: Date.UTC(2023, 4, 2, 17, 0), precision: "hour", ambiguous: false });
    expect(at("2023-01-31", "0")).toEqual({ ok: true, epochMs: Date.UTC(2023, 0, 31, 5, 0), precision: "hour", ambiguous: false });
    expect(at("2023-01-31", "23")).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 1, 1, 4, 0) });
    expect(at("2023-01-31", "07")).toMatchObject({ ok: true, epochMs: Date.UTC(2023, 0, 31, 12, 0) });
  });

  it("quarantines hours outside 0–23 and non-numbers as invalid_timestamp, saying an hour 0–23 was expected", () => {
    for (const bad of ["24", "-1", "1330", "13.5", "13:00", "x"]) {
      const parsed = at("2023-05-02", bad);
      expect(parsed, bad).toMatchObject({ ok: false, code: "invalid_timestamp" });
      expect(!parsed.ok && parsed.reason, bad).toContain(`OCC_HOUR '${bad}' is not an hour of the day (a whole number 0–23)`);
    }
  });

  it("keeps a row whose hour was not recorded (blank, NA, Buenos Aires' S/D) at its day, to the day (q6: it was quarantined)", () => {
    for (const none of ["", " ", "NA", "S/D", "null"])
      expect(at("2023-05-02", none), none).toEqual({ ok: true, epochMs: Date.UTC(2023, 4, 2, 4, 0), precision: "day", ambiguous: false });
    const clock: TimeSpec = { format: "pattern", column: "D", pattern: "dd/MM/yyyy", time_of_day: "T" };
    expect(parseTime(clock, row({ D: "02/05/2023", T: "" }), "America/Toronto", NOW)).toMatchObject({ ok: true, precision: "day" });
    // The day itself is still required.
    expect(at("", "13")).toMatchObject({ ok: false, code: "invalid_timestamp" });
  });

  it("refuses the hour the spring change skips and keeps the repeated autumn hour at its first occurrence", () => {
    expect(at("2023-03-12", "2")).toMatchObject({ ok: false, code: "nonexistent_local_time" });
    expect(at("2023-11-05", "1")).toEqual({ ok: true, epochMs: Date.UTC(2023, 10, 5, 5, 0), precision: "hour", ambiguous: true });
  });

  it("works beside a pattern day too, and a bare name stays a clock (HHMM)", () => {
    const pattern: TimeSpec = { format: "pattern", column: "D", pattern: "dd/MM/yyyy", time_of_day: { column: "H", format: "hour" } };
    expect(parseTime(pattern, row({ D: "02/05/2023", H: "13" }), "America/Toronto", NOW)).toMatchObject({
      epochMs: Date.UTC(2023, 4, 2, 17),
      precision: "hour",
    });
    const clock: TimeSpec = { format: "date", column: "D", time_of_day: "H" };
    expect(parseTime(clock, row({ D: "2023-05-02", H: "13" }), "America/Toronto", NOW)).toMatchObject({
      epochMs: Date.UTC(2023, 4, 2, 4, 13),
      precision: "minute",
    });
  });

  it("gives hour precision to YEAR…HOUR parts without a MINUTE column, and to a pattern with hours but no minutes", () => {
    const parts: TimeSpec = { format: "parts", year: "Y", month: "M", day: "D", hour: "H" };
    expect(parseTime(parts, row({ Y: "2023", M: "5", D: "2", H: "13" }), "America/Toronto", NOW)).toMatchObject({
      epochMs: Date.UTC(2023, 4, 2, 17),
      precision: "hour",
    });
    const hours: TimeSpec = { format: "pattern", column: "D", pattern: "yyyy-MM-dd HH" };
    expect(parseTime(hours, row({ D: "2023-05-02 13" }), "America/Toronto", NOW)).toMatchObject({ epochMs: Date.UTC(2023, 4, 2, 17), precision: "hour" });
  });

  it("is accepted by the schema, and a wrong format or shape is refused with what to write", () => {
    const ok = parseSourceDescription(description({ format: "date", column: "D", time_of_day: { column: "H", format: "hour" } }), "t");
    expect(ok.columns.time).toEqual({ format: "date", column: "D", time_of_day: { column: "H", format: "hour" } });
    expect(() => parseSourceDescription(description({ format: "date", column: "D", time_of_day: { column: "H", format: "hours" } }), "t")).toThrow(
      /columns\.time\.time_of_day\.format: "hours" is not a time-of-day format; write clock .* or hour/,
    );
    expect(() => parseSourceDescription(description({ format: "date", column: "D", time_of_day: { column: "H" } }), "t")).toThrow(/format is missing/);
    expect(() => parseSourceDescription(description({ format: "date", column: "D", time_of_day: 13 }), "t")).toThrow(
      /columns\.time\.time_of_day: write the clock column's name/,
    );
  });
});

describe("describe and an hour-of-day column", () => {
  // Toronto: OCC_DATE a day, OCC_HOUR its hour; REPORT_DATE/REPORT_HOUR the report's.
  const header = ["REPORT_DATE", "OCC_DATE", "REPORT_HOUR", "OCC_HOUR", "MCI_CATEGORY"];
  const rows = Array.from({ length: 200 }, (_, i) => [
    "2023-05-03",
    `2023-05-${String((i % 28) + 1).padStart(2, "0")}`,
    String((i * 5) % 24),
    String((i * 7) % 24),
    "Assault",
  ]);

  it("proposes format: hour for a column named like an hour whose values are all whole hours 0–23, the day's partner", () => {
    expect(proposeTime(header, rows)?.spec).toEqual({ format: "date", column: "OCC_DATE", time_of_day: { column: "OCC_HOUR", format: "hour" } });
    // Never for an HHMM clock, even in a column named HOUR (1330 is not an hour), nor for 0–23 in a column not named like an hour.
    const hhmm = rows.map((r, i) => [r[1]!, i === 0 ? "1330" : r[3]!]);
    expect(proposeTime(["OCC_DATE", "OCC_HOUR"], hhmm)?.spec).toEqual({ format: "date", column: "OCC_DATE", time_of_day: "OCC_HOUR" });
    expect(
      proposeTime(
        ["OCC_DATE", "OCC_TIME"],
        rows.map((r) => [r[1]!, r[3]!]),
      )?.spec,
    ).toEqual({ format: "date", column: "OCC_DATE" });
  });
});

describe("local clock times written with a UTC marker (offset: ignore)", () => {
  const spec: TimeSpec = { format: "iso", column: "t", offset: "ignore" };
  const at = (text: string) => parseTime(spec, row({ t: text }), "America/Los_Angeles", NOW);

  it("reads the clock as written in the source's zone, whatever marker follows it", () => {
    expect(at("2019-01-01T19:50:00Z")).toEqual({ ok: true, epochMs: Date.UTC(2019, 0, 2, 3, 50), precision: "minute", ambiguous: false });
    expect(at("2019-07-01T19:50:00+00:00")).toMatchObject({ ok: true, epochMs: Date.UTC(2019, 6, 2, 2, 50) });
    expect(at("2019-07-01 19:50:00.000+0000")).toMatchObject({ ok: true, epochMs: Date.UTC(2019, 6, 2, 2, 50) });
    expect(at("2019-07-01T19:50:00")).toMatchObject({ ok: true, epochMs: Date.UTC(2019, 6, 2, 2, 50) });
    // Without the option the marker is the instant.
    expect(parseTime({ format: "iso", column: "t" }, row({ t: "2019-01-01T19:50:00Z" }), "America/Los_Angeles", NOW)).toMatchObject({
      epochMs: Date.UTC(2019, 0, 1, 19, 50),
    });
  });

  it("then refuses a clock in the spring gap, flags the autumn overlap, and still refuses what is not a date-time", () => {
    expect(at("2019-03-10T02:30:00Z")).toMatchObject({ ok: false, code: "nonexistent_local_time" });
    expect(at("2019-11-03T01:30:00Z")).toEqual({ ok: true, epochMs: Date.UTC(2019, 10, 3, 8, 30), precision: "minute", ambiguous: true });
    expect(at("2019-02-30T10:00:00Z")).toMatchObject({ ok: false, code: "invalid_timestamp" });
    expect(at("01/02/2019 10:00")).toMatchObject({ ok: false, code: "invalid_timestamp" });
  });

  it("is in the schema; a wrong value is refused with the two it takes", () => {
    expect(parseSourceDescription(description({ format: "iso", column: "t", offset: "ignore" }), "t").columns.time).toEqual(spec);
    expect(() => parseSourceDescription(description({ format: "iso", column: "t", offset: "local" }), "t")).toThrow(
      /columns\.time\.offset: "local" is not an offset policy; write read .* or ignore/,
    );
  });
});

describe("describe checks a UTC marker against a separate hour or clock column", () => {
  // San Francisco-like rows: a Z timestamp, a separate local clock ("Incident Time"), points in SF.
  const header = ["uid", "date_time", "Incident Time", "offense_type", "longitude", "latitude"];
  const local = Array.from({ length: 240 }, (_, i) => {
    const day = (i % 28) + 1;
    const [hour, minute] = [i % 24, (i * 7) % 60];
    const clock = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
    return { day, hour, minute, clock, i };
  });
  const coordinates = (i: number) => [String(-122.45 + (i % 17) * 0.005), String(37.74 + (i % 13) * 0.005)];
  const month = (i: number) => (i % 2 === 0 ? "01" : "07");

  it("proposes offset: ignore when the clock column agrees with the times as written", () => {
    const rows = local.map(({ day, clock, i }) => [
      String(i),
      `2019-${month(i)}-${String(day).padStart(2, "0")}T${clock}:00Z`,
      clock,
      "robbery",
      ...coordinates(i),
    ]);
    const proposal = proposeSource(table(header, rows), "sf-local");
    expect(proposal.description.timezone).toBe("America/Los_Angeles");
    expect(proposal.description.columns.time).toEqual({ format: "iso", column: "date_time", offset: "ignore" });
    expect(proposal.notes.time).toMatch(
      /follows local clock times \(on 240 rows where the two readings differ, Incident Time agrees with the clock as written on 240/,
    );
  });

  it("keeps the instant, saying it was checked, when the clock column agrees with the UTC reading", () => {
    const rows = local.map(({ day, hour, minute, clock, i }) => {
      // The local clock is the instant in Los Angeles: January UTC−8, July UTC−7.
      const utc = new Date(Date.UTC(2019, Number(month(i)) - 1, day, hour + (month(i) === "01" ? 8 : 7), minute)).toISOString().replace(".000Z", "Z");
      return [String(i), utc, clock.replace(":", ""), "robbery", ...coordinates(i)];
    });
    const proposal = proposeSource(table(header, rows), "sf-utc");
    expect(proposal.description.columns.time).toEqual({ format: "iso", column: "date_time" });
    expect(proposal.notes.time).toMatch(/was checked and says the instant .* on 0 and with the UTC instant in America\/Los_Angeles on 240/);
  });

  it("says the marker could not be checked when there is no such column, or the two readings never differ; leaves real offsets alone", () => {
    const rows = local.map(({ day, clock, i }) => [String(i), `2019-01-${String(day).padStart(2, "0")}T${clock}:00Z`, "robbery", ...coordinates(i)]);
    const none = proposeSource(table(["uid", "date_time", "offense_type", "longitude", "latitude"], rows), "sf-none");
    expect(none.description.columns.time).toEqual({ format: "iso", column: "date_time" });
    expect(none.notes.time).toMatch(/the UTC marker of date_time could not be checked: the file has no separate hour or clock column; .*write offset: ignore/);
    // London in January is UTC+0: the readings agree on every hour, so the column cannot tell them apart.
    const london = local.map(({ day, clock, i }) => [
      String(i),
      `2019-01-${String(day).padStart(2, "0")}T${clock}:00Z`,
      clock,
      "robbery",
      String(-0.12 + (i % 17) * 0.002),
      String(51.5 + (i % 13) * 0.002),
    ]);
    const same = proposeSource(table(header, london), "london");
    expect(same.description.timezone).toBe("Europe/London");
    expect(same.description.columns.time).toEqual({ format: "iso", column: "date_time" });
    expect(same.notes.time).toMatch(/could not be checked: in Europe\/London both readings give the same hour on every row/);
    // Times with a real offset (Boston's -05) are not checked.
    const offsets = local.map(({ day, clock, i }) => [
      String(i),
      `2019-01-${String(day).padStart(2, "0")} ${clock}:00-08`,
      clock,
      "robbery",
      ...coordinates(i),
    ]);
    const offset = proposeSource(table(header, offsets), "sf-offset");
    expect(offset.description.columns.time).toEqual({ format: "iso", column: "date_time" });
    expect(offset.notes.time).not.toMatch(/UTC marker/);
  });
});
