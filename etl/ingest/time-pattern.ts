import { DateTime, type DateTimeMaybeValid, type DateTimeOptions } from "luxon";

/** Luxon's parser of each pattern, built once: `fromFormat` re-reads the pattern for every value. */
const PARSERS = new Map<string, ReturnType<typeof DateTime.buildFormatParser>>();

/** The hour written before AM/PM ("11:30:00 PM", "5 p.m."), as Luxon's parser does not keep it. */
const CLOCK_12 = /(?<!\d)(\d{1,2})(?::\d{2}){0,2}(?:\.\d+)?\s*([AaPp])\.?\s?[Mm]\.?(?![\p{L}])/u;

/** Whether a pattern reads a 12-hour clock: `h` and `a` outside its quoted literals. */
const twelveHour = (pattern: string) => {
  const fields = pattern.replace(/'[^']*'?/g, "");
  return /h/.test(fields) && /a/.test(fields);
};

/**
 * `text` read with the Luxon `pattern` (e.g. `dd/MM/yyyy HH:mm`), exactly as `DateTime.fromFormat`
 * reads it, but with the pattern's parser built once per pattern (Luxon 3.7's buildFormatParser):
 * a column of a million values is read with one parser instead of a million. A clock whose hour
 * contradicts its AM/PM is invalid: Luxon reads "13:00:00 AM" as 13:00 and "00:30 PM" as 12:30,
 * times the row contradicts itself about, which are quarantined rather than guessed. A 24-hour
 * clock that also writes the marker agrees with it ("23:30 PM", "00:30 AM": a format such as .NET's
 * "HH:mm tt" writes every afternoon so) and is read as written, not half of an export refused.
 */
export function fromPattern(text: string, pattern: string, options: DateTimeOptions): DateTimeMaybeValid {
  // A parser reads the month names of its locale (`lt`: "sausio"), so each locale has its own.
  const key = options.locale === undefined ? pattern : `${options.locale}\u0000${pattern}`;
  let parser = PARSERS.get(key);
  if (parser === undefined) {
    parser = DateTime.buildFormatParser(pattern, options.locale === undefined ? {} : { locale: options.locale });
    PARSERS.set(key, parser);
  }
  const read = DateTime.fromFormatParser(text, parser, options);
  if (!read.isValid || !twelveHour(pattern)) return read;
  const clock = CLOCK_12.exec(text);
  if (clock === null) return read;
  const hour = Number(clock[1]);
  const meridiem = clock[2]!.toUpperCase() === "P" ? "PM" : "AM";
  // 00:30 AM can only be half past midnight and 23:30 PM half past eleven at night; 00:30 PM and 13:00 AM say two things.
  const agrees = (hour >= 1 && hour <= 12) || (hour === 0 && meridiem === "AM") || (hour >= 13 && hour <= 23 && meridiem === "PM");
  if (agrees) return read;
  return DateTime.invalid(
    "hour contradicts AM/PM",
    `hour ${clock[1]} with ${meridiem}: ${meridiem === "AM" ? "an hour after 12 is in the afternoon" : "hour 00 is before noon"}, so the time is not known; correct it in the export`,
  );
}
