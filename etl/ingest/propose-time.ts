import { DateTime } from "luxon";
import type { TimeSpec } from "./source-description.ts";
import { patternPrecision } from "./parse-time.ts";
import { fromPattern } from "./time-pattern.ts";
import { isNoValue } from "./no-value.ts";

/** A proposed time mapping, why, and what stays open. */
export interface TimeProposal {
  spec: TimeSpec;
  why: string;
  undecided?: string;
}

// Day-first and month-first patterns Luxon reads; ISO shapes are recognised before these. Zero-padded
// first; then unpadded (M, d, h, H read one or two digits), as Excel writes US times: 1/5/2020 3:07 PM.
const PATTERNS = [
  "dd.MM.yyyy HH:mm:ss",
  "dd.MM.yyyy HH:mm",
  "dd.MM.yyyy",
  "yyyy.MM.dd HH:mm",
  "yyyy.MM.dd",
  "MM/dd/yyyy hh:mm:ss a",
  "MM/dd/yyyy hh:mm a",
  "MM/dd/yyyy HH:mm:ss",
  "MM/dd/yyyy HH:mm",
  "MM/dd/yyyy",
  "dd/MM/yyyy HH:mm:ss",
  "dd/MM/yyyy HH:mm",
  "dd/MM/yyyy",
  // Washington DC's REPORT_DAT, "2024/01/01 05:00:00+00": the offset is read (Z takes +00, +05, +05:00).
  "yyyy/MM/dd HH:mm:ssZ",
  "yyyy/MM/dd HH:mm:ss",
  "yyyy/MM/dd HH:mm",
  "yyyy/MM/dd",
  "yyyy-MM-dd HH:mm:ss",
  "yyyy-MM-dd HH:mm",
  // Toronto's MCI OCC_DATE in some vintages, "2024-01-27 5:00:00 AM": an ISO day, then an unpadded 12-hour clock.
  "yyyy-MM-dd h:mm:ss a",
  "yyyy-MM-dd h:mm a",
  "d.M.yyyy H:mm:ss",
  "d.M.yyyy H:mm",
  "d.M.yyyy",
  "M/d/yyyy h:mm:ss a",
  "M/d/yyyy h:mm a",
  "M/d/yyyy H:mm:ss",
  "M/d/yyyy H:mm",
  "M/d/yyyy",
  "d/M/yyyy H:mm:ss",
  "d/M/yyyy H:mm",
  "d/M/yyyy",
];
// Patterns with month names in a language of the place, tried when no numeric one fits: a Lithuanian
// register's long date, "2023 m. sausio 5 d." (the month's genitive, which Luxon's MMMM reads in lt).
const NAMED_MONTH_PATTERNS: ReadonlyArray<{ pattern: string; locale: string }> = [
  { pattern: "yyyy 'm.' MMMM d 'd.' HH:mm", locale: "lt" },
  { pattern: "yyyy 'm.' MMMM d 'd.'", locale: "lt" },
];
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
// With a space for the T, only with an offset ("2023-03-12 01:30:00-05", Boston): without one it is a pattern below.
const ISO_SPACED_INSTANT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;
// Names of the time of the offence, preferred over report or update times when a file has several.
// "OCC" is how LAPD ("DATE OCC") and Toronto ("OCC_DATE") abbreviate it, beside a report date;
// Mexico City's fecha_hecho is the offence's day beside fecha_inicio, when the case was opened.
const OCCURRED = /occur|(^|[ _])occ([ _]|$)|offen[cs]e|incident|hecho|crime|event|ivykio|^tat/i;
// Names that say only that a column is a time: preferred over other columns, not over OCCURRED.
const PLAIN_TIME = /date_?time|^date$|^time$|^fecha|^datum|^data$|^month$/i;
// The time a case was reported, opened, registered or updated: never the offence's while another is
// (unless it also names the offence: a FECHA_INICIO_HECHO is when the offence began).
const RECORDED = /report|rptd|inicio|regist|receiv|entered|updated|created|modif/i;
/** How strongly a column's name says it is the time of the offence (see the three names above). */
const timeNameRank = (name: string) => (OCCURRED.test(name) ? 2 : (PLAIN_TIME.test(name) ? 1 : 0) - (RECORDED.test(name) ? 2 : 0));
const PART_NAMES = {
  year: /^(year|yr|anio|año|metai)$/i,
  month: /^(month|mo|mes|menuo|mėnuo)$/i,
  day: /^(day|dia|día|diena)$/i,
  hour: /^(hour|hr|hora|valanda)$/i,
  minute: /^(minute|min|minuto|minutė)$/i,
};

/**
 * Proposes how the file writes time: separate YEAR/MONTH/DAY/HOUR/MINUTE columns; else the column
 * whose values (≥ 98 % of the non-empty ones) are ISO instants (`format: date` when every time is
 * midnight: a day, not an instant), days, months (`YYYY-MM`, or `YYYY-MM-01` in a column called
 * month), or one of the common day-first / month-first patterns. When both readings of d/M fit
 * (no day above 12 in the sample) the order is undecided and said so.
 */
export function proposeTime(header: readonly string[], rows: readonly string[][]): TimeProposal | null {
  const parts = partsOf(header, rows);
  const column = columnTime(header, rows);
  // Boston writes YEAR and MONTH beside its full OCCURRED_ON_DATE: parts that date more coarsely
  // than a column would cut every incident to its month, so the column is taken then.
  if (parts && (!column || precisionOf(parts.spec) >= precisionOf(column.spec))) return parts;
  return column;
}

/** 2 for a time of day, 1 for a day, 0 for a month. */
function precisionOf(spec: TimeSpec): number {
  switch (spec.format) {
    case "iso":
    case "epoch":
      return 2;
    case "date":
      return 1;
    case "month":
      return 0;
    case "pattern": {
      // As the ingest dates it: `MM/yyyy` is a month, the `m.` of `yyyy 'm.' MM` no minute.
      const precision = spec.time_of_day === undefined ? patternPrecision(spec.pattern) : "minute";
      return precision === "month" ? 0 : precision === "day" ? 1 : 2;
    }
    case "parts":
      return spec.hour !== undefined ? 2 : spec.day !== undefined ? 1 : 0;
  }
}

/** The best single time column, preferring names of the time of the offence. */
function columnTime(header: readonly string[], rows: readonly string[][]): TimeProposal | null {
  const found: Array<TimeProposal & { rank: number }> = [];
  header.forEach((name, i) => {
    const values = rows.map((r) => (r[i] ?? "").trim()).filter((v) => v !== "");
    if (values.length === 0) return;
    const proposal = formatOf(name, values);
    if (proposal) found.push({ ...proposal, rank: timeNameRank(name) });
  });
  found.sort((a, b) => b.rank - a.rank);
  const best = found[0];
  if (!best) return null;
  const others = found.slice(1).map((f) => ("column" in f.spec ? f.spec.column : ""));
  const choice = others.length > 0 ? `; other time columns: ${others.join(", ")} — write that column instead if it is the time of the offence` : "";
  const clock = clockColumn(header, rows, best.spec);
  if (clock)
    return {
      // A clock column is written by its name alone, as before; an hour column says its format.
      spec: { ...best.spec, time_of_day: clock.format === "clock" ? clock.column : clock } as TimeSpec,
      why: `${best.why}, at the ${clock.format === "clock" ? "clock times" : "hours (0–23, read to the hour)"} of ${clock.column}${choice}`,
      ...(best.undecided ? { undecided: best.undecided } : {}),
    };
  return { spec: best.spec, why: best.why + choice, ...(best.undecided ? { undecided: best.undecided } : {}) };
}

/**
 * For a time column that holds days only (every clock at midnight), a column named like a time whose
 * values are all clock times — HHMM integers, some past 23 so that they are not hours (LAPD's TIME OCC),
 * or H:mm — or, named like an hour, all whole hours 0–23 (Toronto's OCC_HOUR), to read the time of day from.
 */
function clockColumn(header: readonly string[], rows: readonly string[][], spec: TimeSpec): TimeOfDayColumn | undefined {
  if (spec.format !== "date" && spec.format !== "pattern") return undefined;
  const i = header.indexOf(spec.column);
  const days = rows.map((r) => (r[i] ?? "").trim()).filter((v) => v !== "");
  // A pattern without hours (dd/MM/yyyy, Medellín's fecha beside its hora) is a day, as `date` is.
  const midnight = spec.format === "date" || !/[Hh]/.test(spec.pattern) || clocksDateNoTime(days);
  if (!midnight) return undefined;
  const clocks = timeOfDayColumns(header, rows, i);
  if (clocks.length <= 1) return clocks[0];
  // Several look like clock times (a "Response Time" duration can; Toronto has REPORT_HOUR beside
  // OCC_HOUR): only the one named as the day's partner (DATE OCC and TIME OCC) is taken; else none,
  // and the day stands without a time of day.
  const paired = clocks.filter((c) => stem(c.column) === stem(spec.column));
  return paired.length === 1 ? paired[0] : undefined;
}

/**
 * Whether the clocks of a column's days say no time of day: all midnight, or all on the whole hour at
 * one or two hours — a local midnight written in UTC, one hour in winter and one in summer (Toronto's
 * OCC_DATE "2024-01-27 5:00:00 AM" beside its OCC_HOUR). Times of real incidents spread over the day.
 */
function clocksDateNoTime(days: readonly string[]): boolean {
  const hours = new Set<string>();
  for (const v of days) {
    const clock = /\b(\d{1,2}):00(:00)?( ?[AaPp][Mm])?$/.exec(v);
    if (!clock) return false;
    hours.add(`${Number(clock[1])}${(clock[3] ?? "").trim().toUpperCase()}`);
  }
  return hours.size <= 2;
}

type TimeOfDayColumn = { column: string; format: "clock" | "hour" };

/** Words and abbreviations that name a time, not what it is the time of: NYC's CMPLNT_FR_DT pairs with CMPLNT_FR_TM. */
const TIME_ABBREVIATION = /(?<![a-z])(?:dt|tm)(?![a-z])/g;
const stem = (name: string) =>
  name
    .toLowerCase()
    .replace(TIME_ABBREVIATION, "")
    .replace(/date|time|hour|fecha|hora|datum|zeit|heure|[^\p{L}]/gu, "");

/**
 * The columns other than `skip` whose values all read as a time of day: clocks (HHMM integers, some
 * past 23 — 1330 is no hour — or H:mm) in a column named like a time, or whole hours 0–23 in a
 * column named like an hour.
 */
function timeOfDayColumns(header: readonly string[], rows: readonly string[][], skip: number): TimeOfDayColumn[] {
  return header.flatMap((name, j): TimeOfDayColumn[] => {
    // Buenos Aires writes the hour as its franja (horaria), the hour band 0–23; NYC a clock as CMPLNT_FR_TM, Poland as Godzina.
    if (j === skip || !(/time|hour|hora|laik|zeit|heure|franja|godz/i.test(name) || /(?<![a-z])tm(?![a-z])/i.test(name))) return [];
    // Rows whose clock was not recorded are read at day precision (parse-time.ts): they decide nothing here.
    const values = rows.map((r) => (r[j] ?? "").trim()).filter((v) => !isNoValue(v));
    if (values.length === 0) return [];
    const whole = values.every((v) => /^\d{1,4}$/.test(v));
    if (whole && /hour|hora|franja/i.test(name) && values.every((v) => Number(v) <= 23)) return [{ column: name, format: "hour" }];
    const hhmm = whole && values.every((v) => Number(v) % 100 < 60 && Number(v) < 2400) && values.some((v) => Number(v) > 23);
    const colon = values.every((v) => /^\d{1,2}:\d{2}(:\d{2})?$/.test(v));
    return hhmm || colon ? [{ column: name, format: "clock" }] : [];
  });
}

/** The hour a time-of-day value names, in the column's format. */
const hourOf = (value: string, format: "clock" | "hour") =>
  format === "hour" ? Number(value) : value.includes(":") ? Number(value.split(":")[0]) : Math.floor(Number(value) / 100);

const UTC_MARKER = /(Z|[+-]00(:?00)?)$/;

/**
 * Whether an ISO column's UTC marker (`Z`, `+00:00`) says the instant or follows a local clock time,
 * checked against a separate hour or clock column of the same records where the file has one: on the
 * rows where the two readings give different local hours, the reading that agrees with that column
 * on at least 90 % of them (keying slips aside) is taken — `offset: ignore` for the local clock.
 * Without such a column, or where neither reading agrees, the note says the marker was not checked.
 */
export function checkUtcMarker(header: readonly string[], rows: readonly string[][], spec: TimeSpec, zone: string): { spec: TimeSpec; note: string } | null {
  if (spec.format !== "iso") return null;
  const i = header.indexOf(spec.column);
  const stamps = rows.map((r) => (r[i] ?? "").trim());
  const marked = stamps.filter((v) => v !== "");
  if (marked.length === 0 || marked.filter((v) => UTC_MARKER.test(v)).length / marked.length < 0.98) return null;
  const unchecked = `the UTC marker of ${spec.column} could not be checked`;
  const advice = "if the publisher writes the local clock with a Z, write offset: ignore";
  const clocks = timeOfDayColumns(header, rows, i);
  const paired = clocks.filter((c) => stem(c.column) === stem(spec.column));
  const partner = clocks.length === 1 ? clocks[0] : paired.length === 1 ? paired[0] : undefined;
  if (!partner) {
    const why =
      clocks.length === 0 ? "the file has no separate hour or clock column" : `several columns could be its clock (${clocks.map((c) => c.column).join(", ")})`;
    return { spec, note: `${unchecked}: ${why}; ${advice}` };
  }
  const j = header.indexOf(partner.column);
  let informative = 0;
  let asLocal = 0;
  let asUtc = 0;
  rows.forEach((r, k) => {
    const text = stamps[k]!;
    const other = (r[j] ?? "").trim();
    const instant = DateTime.fromISO(text.replace(" ", "T"), { setZone: true });
    if (other === "" || !instant.isValid) return;
    const wall = instant.hour;
    const utcInZone = instant.setZone(zone).hour;
    if (wall === utcInZone) return;
    informative++;
    const hour = hourOf(other, partner.format);
    if (hour === wall) asLocal++;
    else if (hour === utcInZone) asUtc++;
  });
  const counts = `on ${informative} rows where the two readings differ, ${partner.column} agrees with the clock as written on ${asLocal} and with the UTC instant in ${zone} on ${asUtc}`;
  if (informative === 0) return { spec, note: `${unchecked}: in ${zone} both readings give the same hour on every row of the sample; ${advice}` };
  if (asLocal >= 0.9 * informative)
    return {
      spec: { ...spec, offset: "ignore" },
      note: `the UTC marker of ${spec.column} follows local clock times (${counts}): offset: ignore reads them in ${zone}`,
    };
  if (asUtc >= 0.9 * informative) return { spec, note: `the UTC marker of ${spec.column} was checked and says the instant (${counts})` };
  return { spec, note: `${unchecked}: ${counts}; ${advice}` };
}

function formatOf(column: string, values: readonly string[]): TimeProposal | null {
  const share = (test: (v: string) => boolean) => values.filter(test).length / values.length;
  if (share((v) => ISO_INSTANT.test(v) || ISO_SPACED_INSTANT.test(v)) >= 0.98) {
    const midnight = share((v) => /[T ]00:00(:00(\.0+)?)?(Z|[+-]00(:?00)?)?$/.test(v)) === 1;
    return midnight
      ? { spec: { format: "date", column }, why: `ISO times that are all midnight (${values[0]}): read as calendar days` }
      : {
          spec: { format: "iso", column },
          why: `ISO 8601 times (${values[0]})${/(Z|[+-]\d{2}(:?\d{2})?)$/.test(values[0]!) ? " with their UTC offset" : ", local in the time zone below"}`,
        };
  }
  // Unix time, as ArcGIS writes dates: milliseconds (12–13 digits) or seconds (9–10), between 1990 and
  // 2100, in a column named as a date or time (ids and case numbers have as many digits).
  const unix = (unit: 1 | 1000, digits: RegExp) =>
    share((v) => digits.test(v) && Number(v) * unit >= Date.UTC(1990, 0, 1) && Number(v) * unit < Date.UTC(2100, 0, 1)) >= 0.98;
  const named = /date|time|fecha|datum|data/i.test(column);
  for (const [unit, digits, name] of [
    [1, /^\d{12,13}$/, "ms"],
    [1000, /^\d{9,10}$/, "s"],
  ] as const) {
    if (!named || !unix(unit, digits)) continue;
    const spec: TimeSpec = { format: "epoch", column, unit: name };
    const why = `Unix times in ${name === "ms" ? "milliseconds" : "seconds"} (${values[0]})`;
    // Every value at midnight UTC: ArcGIS's date-only fields, whose day read as an instant would fall on the day before west of Greenwich.
    if (values.every((v) => (Number(v) * unit) % 86_400_000 === 0))
      return {
        spec,
        why,
        undecided: `${column} holds Unix times that are all midnight UTC (${values[0]}): dates without a time of day, which read as instants would move west of Greenwich to the day before; write another time column, or convert the dates`,
      };
    return { spec, why };
  }
  if (share((v) => MONTH.test(v)) >= 0.98) return { spec: { format: "month", column }, why: `months (${values[0]}): month precision` };
  if (share((v) => DATE.test(v)) >= 0.98) {
    if (/month|mes|menuo/i.test(column) && values.every((v) => v.endsWith("-01")))
      return {
        spec: { format: "month", column },
        why: `the first day of each month in a column called ${column} (${values[0]}): month precision, as police.uk writes`,
      };
    return { spec: { format: "date", column }, why: `calendar days (${values[0]})` };
  }
  const fitting = PATTERNS.filter((p) => share((v) => fromPattern(v, p, { zone: "UTC" }).isValid) >= 0.98);
  if (fitting.length === 0) {
    const named = NAMED_MONTH_PATTERNS.find(({ pattern, locale }) => share((v) => fromPattern(v, pattern, { zone: "UTC", locale }).isValid) >= 0.98);
    if (!named) return null;
    return {
      spec: { format: "pattern", column, pattern: named.pattern, locale: named.locale },
      why: `times such as ${values[0]} read with the pattern ${named.pattern}, month names in locale ${named.locale}`,
    };
  }
  const pattern = fitting[0]!;
  const swapped = otherOrder(pattern);
  const why = `times such as ${values[0]} read with the pattern ${pattern}`;
  if (swapped && fitting.includes(swapped))
    return {
      spec: { format: "pattern", column, pattern },
      why,
      undecided: `the day/month order of ${column}: no day above 12 in the sample, so ${pattern} and ${swapped} both fit; ${pattern} was written — change pattern: if the export is day-first`,
    };
  return { spec: { format: "pattern", column, pattern }, why };
}

/** The pattern with its day and month the other way round (`M/d/yyyy` ↔ `d/M/yyyy`), or null when it has no such pair. */
function otherOrder(pattern: string): string | null {
  const pair = /^(M{1,2}|d{1,2})\/(M{1,2}|d{1,2})\//.exec(pattern);
  if (!pair || pair[1]![0] === pair[2]![0]) return null;
  return `${pair[2]}/${pair[1]}/${pattern.slice(pair[0].length)}`;
}

/** YEAR/MONTH(/DAY/HOUR/MINUTE) integer columns, as Vancouver's export writes. */
function partsOf(header: readonly string[], rows: readonly string[][]): TimeProposal | null {
  const index = (re: RegExp) => header.findIndex((h) => re.test(h.trim()));
  const cols = Object.fromEntries(Object.entries(PART_NAMES).map(([k, re]) => [k, index(re)])) as Record<keyof typeof PART_NAMES, number>;
  if (cols.year < 0 || cols.month < 0) return null;
  const integers = (i: number) => rows.every((r) => /^\s*\d{1,4}\s*$/.test(r[i] ?? ""));
  if (!integers(cols.year) || !integers(cols.month)) return null;
  const name = (i: number) => (i >= 0 && integers(i) ? header[i] : undefined);
  const spec: TimeSpec = { format: "parts", year: header[cols.year]!, month: header[cols.month]! };
  const [day, hour, minute] = [name(cols.day), name(cols.hour), name(cols.minute)];
  if (day) spec.day = day;
  if (day && hour) spec.hour = hour;
  if (day && hour && minute) spec.minute = minute;
  return { spec, why: `separate columns ${Object.values(spec).slice(1).join(", ")}` };
}
