/**
 * Calendar month ("YYYY-MM") of an instant in a time zone. Months are local: an incident at
 * 23:30 UTC on 31 May is a June incident in Vilnius (UTC+3 in summer).
 */
export function calendarMonth(epochMs: number, timeZone: string): string {
  return monthFormatter(timeZone).format(epochMs).slice(0, 7);
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
