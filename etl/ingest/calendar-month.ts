/**
 * Calendar month ("YYYY-MM") of an instant in a time zone. Months are local: an incident at
 * 23:30 UTC on 31 May is a June incident in Vilnius (UTC+3 in summer).
 *
 * Every UTC offset is less than a day, so the local date of an instant on UTC day d is d − 1, d or
 * d + 1. When those three days lie in one calendar month — 28 days of a 30-day month — that month
 * is the answer whatever the zone's rules; only instants near a month's end ask Intl.
 */
export function calendarMonth(epochMs: number, timeZone: string): string {
  const day = Math.floor(epochMs / DAY);
  if (!(day > FIRST_DAY && day < LAST_DAY)) return monthFormatter(timeZone).format(epochMs).slice(0, 7);
  const month = monthOfUtcDay(day);
  if (month === monthOfUtcDay(day - 1) && month === monthOfUtcDay(day + 1)) return month;
  return monthFormatter(timeZone).format(epochMs).slice(0, 7);
}

const DAY = 86_400_000;
// Days whose ISO date has a four-digit year on both sides (years 1000–9999).
const FIRST_DAY = Date.UTC(1000, 0, 2) / DAY;
const LAST_DAY = Date.UTC(9999, 11, 30) / DAY;
const dayMonths = new Map<number, string>();

function monthOfUtcDay(day: number): string {
  let month = dayMonths.get(day);
  if (month === undefined) {
    month = new Date(day * DAY).toISOString().slice(0, 7);
    if (dayMonths.size > 100_000) dayMonths.clear();
    dayMonths.set(day, month);
  }
  return month;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

// en-CA formats dates as YYYY-MM-DD; one formatter per zone, because constructing them is slow.
function monthFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
