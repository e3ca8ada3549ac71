import { DateTime } from "luxon";
import { isoWithOffsetMillis } from "./iso-time.ts";
import { localInstant } from "./local-time.ts";
import { isNoValue } from "./no-value.ts";
import type { TimeOfDay, TimeSpec } from "./source-description.ts";
import { fromPattern } from "./time-pattern.ts";

/**
 * How precisely a source dates its incidents; a month-only date is not an instant at midnight, and
 * an hour-of-day column (Toronto's OCC_HOUR: 13) is not a clock time (13:00 stands for 13:00–13:59).
 */
export type TimePrecision = "minute" | "hour" | "day" | "month";

/** The precisions that carry a time of day (the hour counts and time blocks): a date-only row is not an incident at midnight. */
export const TIME_OF_DAY_PRECISIONS: readonly TimePrecision[] = ["minute", "hour"];

/** TIME_OF_DAY_PRECISIONS as a SQL list for `time_precision IN (…)`. */
export const TIME_OF_DAY_PRECISIONS_SQL = TIME_OF_DAY_PRECISIONS.map((p) => `'${p}'`).join(", ");

export type ParsedTime =
  | { ok: true; epochMs: number; precision: TimePrecision; ambiguous: boolean }
  | { ok: false; code: "invalid_timestamp" | "nonexistent_local_time"; reason: string };

/** Earliest instant accepted: older records are almost certainly mis-keyed years. */
export const EARLIEST_INSTANT = Date.UTC(1990, 0, 1);

// A space for the T and an offset of hours alone ("2023-03-12 01:30:00-05", as PostgreSQL and
// Boston's export write it) are read too: they were refused, every row of such a file quarantined.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/;
const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;
// `offset: ignore`: the clock (group 1) with or without the marker it drops, Z or any offset.
const ISO_CLOCK_MARKED = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;

const UTC = { zone: "utc" } as const;

const fail = (code: "invalid_timestamp" | "nonexistent_local_time", reason: string): ParsedTime => ({ ok: false, code, reason });

/**
 * Parses the time of one record as its source describes it (see TimeSpec) and checks it: a real
 * calendar date (no 30 February), not before 1990, not after `now`, and — for local wall-clock
 * times — one that exists in the source's time zone. A time in the spring DST gap is refused; a time
 * that occurs twice in autumn is taken at its first occurrence and flagged `ambiguous`.
 */
export function parseTime(spec: TimeSpec, get: (column: string) => string, zone: string, now: number): ParsedTime {
  let parsed: ParsedTime;
  switch (spec.format) {
    case "iso": {
      const text = get(spec.column);
      if (spec.offset === "ignore") {
        // The portal wrote the local clock and a UTC marker: the clock is read in the source's zone.
        const clock = ISO_CLOCK_MARKED.exec(text)?.[1];
        if (clock === undefined) return fail("invalid_timestamp", `'${text}' is not an ISO 8601 date-time (e.g. 2019-06-14T21:35:00Z)${timeHint(text)}`);
        parsed = fromLocal(DateTime.fromISO(clock.replace(" ", "T"), UTC), text, zone, "minute");
        break;
      }
      const fast = isoWithOffsetMillis(text);
      if (fast !== undefined) parsed = { ok: true, epochMs: fast, precision: "minute", ambiguous: false };
      else if (ISO_WITH_OFFSET.test(text)) parsed = fromDateTime(DateTime.fromISO(text.replace(" ", "T"), { setZone: true }), text, "minute", false);
      else if (ISO_LOCAL.test(text)) parsed = fromLocal(DateTime.fromISO(text.replace(" ", "T"), UTC), text, zone, "minute");
      else return fail("invalid_timestamp", `'${text}' is not an ISO 8601 date-time (e.g. 2019-06-14T21:35:00+03:00)${timeHint(text)}`);
      break;
    }
    case "date": {
      const text = get(spec.column);
      if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return fail("invalid_timestamp", `'${text}' does not start with a date YYYY-MM-DD${timeHint(text)}`);
      const day = DateTime.fromISO(text.slice(0, 10), UTC);
      if (spec.time_of_day === undefined) parsed = fromLocal(day, text, zone, "day");
      else {
        const clock = withClock(day, spec.time_of_day, get);
        if (!clock.ok) return clock.failure;
        parsed = fromLocal(clock.at, `${text} ${clock.text}`, zone, clock.precision);
      }
      break;
    }
    case "month": {
      const text = get(spec.column);
      const match = /^(\d{4})-(\d{2})(-01)?$/.exec(text);
      if (!match) return fail("invalid_timestamp", `'${text}' is not a month YYYY-MM`);
      parsed = fromLocal(DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]) }, UTC), text, zone, "month");
      break;
    }
    case "epoch": {
      const text = get(spec.column);
      if (!/^-?\d{1,16}$/.test(text))
        return fail("invalid_timestamp", `'${text}' is not a Unix time (whole ${spec.unit === "s" ? "seconds" : "milliseconds"})`);
      parsed = { ok: true, epochMs: Number(text) * (spec.unit === "s" ? 1000 : 1), precision: "minute", ambiguous: false };
      break;
    }
    case "pattern": {
      const text = get(spec.column);
      const read = fromPattern(text, spec.pattern, spec.locale === undefined ? UTC : { ...UTC, locale: spec.locale });
      if (!read.isValid && timeHint(text) !== "") return fail("invalid_timestamp", `'${text}' does not match the pattern ${spec.pattern}${timeHint(text)}`);
      // A pattern with an offset (Z, ZZ, ZZZ: DC's "2024/01/01 05:00:00+00") dates an instant, not a local clock.
      if (spec.time_of_day === undefined && hasOffsetField(spec.pattern))
        parsed = fromDateTime(fromPattern(text, spec.pattern, { ...UTC, setZone: true }), text, patternPrecision(spec.pattern), false);
      else if (spec.time_of_day === undefined) parsed = fromLocal(read, text, zone, patternPrecision(spec.pattern));
      else {
        // With an offset the day is an instant's (DC's midnight written in UTC), and the clock column a
        // local wall clock, as every time_of_day is: the instant's day in `zone` takes that clock. Its
        // day as read in UTC would be the day before east of Greenwich ("2024-01-05 00:00+02:00").
        const day = hasOffsetField(spec.pattern) ? localClock(fromPattern(text, spec.pattern, { ...UTC, setZone: true }), zone) : read;
        if (!day.isValid) return fromDateTime(day, text, patternPrecision(spec.pattern), false);
        const clock = withClock(day, spec.time_of_day, get);
        if (!clock.ok) return clock.failure;
        parsed = fromLocal(clock.at, `${text} ${clock.text}`, zone, clock.precision);
      }
      break;
    }
    case "parts": {
      const names = { year: spec.year, month: spec.month, day: spec.day, hour: spec.hour, minute: spec.minute };
      const values: Record<string, number> = {};
      for (const [unit, column] of Object.entries(names)) {
        if (column === undefined) continue;
        const text = get(column);
        if (!/^\d{1,4}$/.test(text)) return fail("invalid_timestamp", `${column} '${text}' is not a whole number`);
        values[unit] = Number(text);
      }
      const label = Object.entries(names)
        .filter(([, c]) => c)
        .map(([u]) => `${u} ${values[u]}`)
        .join(", ");
      const precision = spec.minute !== undefined ? "minute" : spec.hour !== undefined ? "hour" : spec.day !== undefined ? "day" : "month";
      parsed = fromLocal(DateTime.fromObject(values, UTC), label, zone, precision);
      break;
    }
  }
  if (!parsed.ok) return parsed;
  if (parsed.epochMs < EARLIEST_INSTANT) return fail("invalid_timestamp", `${describe(spec, get)} is before 1990`);
  if (parsed.epochMs > now) return fail("invalid_timestamp", `${describe(spec, get)} is in the future`);
  return parsed;
}

/** Whether a Luxon pattern reads a UTC offset (Z, ZZ, ZZZ outside its quoted literals). */
export function hasOffsetField(pattern: string): boolean {
  return /Z/.test(pattern.replace(/'[^']*'?/g, ""));
}

const PATTERN_PRECISIONS = new Map<string, TimePrecision>();

/**
 * How precisely a Luxon `pattern` dates: by its fields, its quoted literals left out (the `m.` of
 * the Lithuanian `yyyy 'm.' MM 'mėn.' dd 'd.'` is no minute). Minutes (`m`, or the localized
 * times `t`/`T`/`f`/`F` and Unix `X`/`x`), else hours (`H`, `h`), else a day (`d`, the day of the
 * year `o`, or the localized dates `D`), else the month: `MM/yyyy` and `MMM-yy` name no day, and
 * their first of the month is not a day the incident happened on.
 */
export function patternPrecision(pattern: string): TimePrecision {
  let precision = PATTERN_PRECISIONS.get(pattern);
  if (precision === undefined) {
    const fields = pattern.replace(/'[^']*'?/g, "");
    precision = /[mtTfFXx]/.test(fields) ? "minute" : /[Hh]/.test(fields) ? "hour" : /[doD]/.test(fields) ? "day" : "month";
    PATTERN_PRECISIONS.set(pattern, precision);
  }
  return precision;
}

/**
 * The day of `day` at the time of day in the `time_of_day` column `given`. A clock: `HHMM` with or
 * without leading zeros (LAPD's TIME OCC: `5` is 00:05, `2230` is 22:30) or `H:mm[:ss]`, to the
 * minute. An hour: a whole number 0–23 (Toronto's OCC_HOUR), to the hour — as a clock, 13 would be
 * 00:13. An invalid day is passed on for its own verdict.
 */
function withClock(
  day: DateTime,
  given: TimeOfDay,
  get: (column: string) => string,
): { ok: true; at: DateTime; text: string; precision: TimePrecision } | { ok: false; failure: ParsedTime } {
  // Per row: the spec as written (a bare name is a clock) rather than through timeOfDayOf, which allocates.
  const [column, format] = typeof given === "string" ? [given, "clock"] : [given.column, given.format];
  const text = get(column).trim();
  // A row whose clock was not recorded (blank, NA, S/D) still has its day: kept at day precision, not quarantined.
  if (isNoValue(text)) return { ok: true, at: day, text: "", precision: "day" };
  if (format === "hour") {
    const hour = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
    if (!(hour <= 23)) return { ok: false, failure: fail("invalid_timestamp", `${column} '${text}' is not an hour of the day (a whole number 0–23)`) };
    return { ok: true, at: day.isValid ? day.set({ hour, minute: 0, second: 0, millisecond: 0 }) : day, text: `${text} h`, precision: "hour" };
  }
  const compact = /^\d{1,4}$/.test(text) ? Number(text) : undefined;
  const colon = /^(\d{1,2}):(\d{2})(:(\d{2}))?$/.exec(text);
  const [hour, minute, second] =
    compact !== undefined
      ? [Math.floor(compact / 100), compact % 100, 0]
      : colon
        ? [Number(colon[1]), Number(colon[2]), Number(colon[4] ?? 0)]
        : [NaN, NaN, NaN];
  if (!(hour <= 23 && minute <= 59 && second <= 59)) {
    return { ok: false, failure: fail("invalid_timestamp", `${column} '${text}' is not a time of day (HHMM such as 2230, or 22:30)`) };
  }
  return { ok: true, at: day.isValid ? day.set({ hour, minute, second, millisecond: 0 }) : day, text, precision: "minute" };
}

/** What a time that failed its format most likely is instead: Unix time, or a spreadsheet's day number ("" when neither). */
function timeHint(text: string): string {
  return epochHint(text) || serialHint(text);
}

/**
 * For a number of days such as 44197 or 44197,5 (20000–80000: 1954–2119): a spreadsheet's date
 * serial, which Excel writes when a date column is not formatted as a date. No format reads them:
 * the fix belongs in the spreadsheet.
 */
function serialHint(text: string): string {
  if (!isSpreadsheetDay(text)) return "";
  return `; it looks like a spreadsheet day number (${SPREADSHEET_DAY_ADVICE})`;
}

/** Whether `text` is a number of days such as 44197 or 44197,5 (20000–80000: 1954–2119), as a spreadsheet's date serial is. */
export function isSpreadsheetDay(text: string): boolean {
  const match = /^(\d{5})([.,]\d+)?$/.exec(text.trim());
  return match !== null && Number(match[1]) >= 20_000 && Number(match[1]) <= 80_000;
}

/** What a spreadsheet day number is and what to do about it, for the ingest's reason and describe's note. */
export const SPREADSHEET_DAY_ADVICE =
  "days since 1899-12-30, as Excel writes a date column not formatted as a date): format the column as a date (e.g. yyyy-MM-dd HH:mm) in the spreadsheet and export the file again";

/** For a time of 9–13 digits given where ISO was described: it is most likely Unix time. */
function epochHint(text: string): string {
  if (!/^\d{9,13}$/.test(text)) return "";
  return `; it looks like Unix time in ${text.length >= 12 ? "milliseconds" : "seconds"} (ArcGIS writes dates so): write { format: epoch, column: …${text.length >= 12 ? "" : ", unit: s"} }`;
}

/** Whether a UTC offset in minutes is one a place uses: real offsets run from −12:00 to +14:00. */
const realOffset = (minutes: number) => minutes >= -12 * 60 && minutes <= 14 * 60;

/**
 * The wall clock of an instant read with its offset in `zone`, as fields in UTC (which fromLocal
 * reads as a clock in `zone`); an invalid one, or one whose offset no place uses, stays invalid.
 */
function localClock(instant: DateTime, zone: string): DateTime {
  if (!instant.isValid) return instant;
  if (!realOffset(instant.offset)) return DateTime.invalid("offset", "a UTC offset outside −12:00…+14:00");
  const { year, month, day, hour, minute, second, millisecond } = instant.setZone(zone);
  return DateTime.fromObject({ year, month, day, hour, minute, second, millisecond }, UTC);
}

function fromDateTime(dt: DateTime, text: string, precision: TimePrecision, ambiguous: boolean): ParsedTime {
  if (!dt.isValid) return fail("invalid_timestamp", `'${text}' is not a real date-time (${dt.invalidExplanation ?? dt.invalidReason})`);
  if (!realOffset(dt.offset)) return fail("invalid_timestamp", `'${text}' has a UTC offset outside −12:00…+14:00`);
  return { ok: true, epochMs: dt.toMillis(), precision, ambiguous };
}

/**
 * A wall-clock time in `zone`. `asked` holds the wall-clock fields as read (parsed in UTC, which has
 * no gaps); localInstant finds the instant, refusing the spring gap and taking the autumn overlap at
 * its first occurrence (it was Luxon's setZone with keepLocalTime, compared back: 80 µs a row).
 */
function fromLocal(asked: DateTime, text: string, zone: string, precision: TimePrecision): ParsedTime {
  if (!asked.isValid) return fromDateTime(asked, text, precision, false);
  const local = localInstant(asked.toMillis(), zone);
  if (!local.exists) {
    return fail("nonexistent_local_time", `'${text}' does not exist in ${zone} (clocks skip that hour for summer time); check the time or its zone`);
  }
  return { ok: true, epochMs: local.epochMs, precision, ambiguous: local.ambiguous };
}

function describe(spec: TimeSpec, get: (column: string) => string): string {
  return spec.format === "parts" ? `${get(spec.year)}-${get(spec.month)}${spec.day ? `-${get(spec.day)}` : ""}` : `'${get(spec.column)}'`;
}
