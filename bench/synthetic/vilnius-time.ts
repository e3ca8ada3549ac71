/**
 * Local time in Europe/Vilnius without Intl or Luxon (the generator writes 10 M timestamps): the EU
 * rule Lithuania follows since 2003 — UTC+2, and UTC+3 from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October. `checkAgainstIntl` proves it on the instants written.
 */
const HOUR = 3_600_000;

/** UTC offset of Vilnius at an instant, in hours (2 or 3), for years 2003 onwards. */
export function vilniusOffsetHours(epochMs: number): 2 | 3 {
  const year = new Date(epochMs).getUTCFullYear();
  const start = lastSundayUtc(year, 2) + HOUR;
  const end = lastSundayUtc(year, 9) + HOUR;
  return epochMs >= start && epochMs < end ? 3 : 2;
}

/** The instant of local midnight starting a calendar month in Vilnius (`month` 1–12). */
export function vilniusMonthStart(year: number, month: number): number {
  const naive = Date.UTC(year, month - 1, 1);
  // Month starts never fall near a DST change (those are on the last Sunday, at 01:00 UTC).
  return naive - vilniusOffsetHours(naive - 3 * HOUR) * HOUR;
}

/** ISO 8601 local time with offset, to the second: `2019-06-14T21:35:00+03:00`. */
export function vilniusIso(epochMs: number): string {
  const offset = vilniusOffsetHours(epochMs);
  const local = new Date(epochMs + offset * HOUR);
  return `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}T${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}+0${offset}:00`;
}

/** Throws unless vilniusIso agrees with Intl's Europe/Vilnius rendering of `epochMs`. */
export function checkAgainstIntl(epochMs: number): void {
  const parts = Object.fromEntries(INTL.formatToParts(epochMs).map((p) => [p.type, p.value]));
  const expected = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  const got = vilniusIso(epochMs);
  if (!got.startsWith(expected)) throw new Error(`synthetic time ${got} differs from Intl ${expected}`);
}

const INTL = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Vilnius",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

function lastSundayUtc(year: number, monthIndex: number): number {
  const last = new Date(Date.UTC(year, monthIndex + 1, 0));
  return Date.UTC(year, monthIndex, last.getUTCDate() - last.getUTCDay());
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));
