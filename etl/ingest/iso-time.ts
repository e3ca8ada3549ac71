/**
 * The instant of an ISO 8601 date-time with a UTC offset, computed without Luxon for the plain,
 * valid form `YYYY-MM-DDTHH:MM[:SS[.f…]](Z|±HH[:]MM)` — what exports write on almost every row.
 * Returns undefined for anything else (other shapes, out-of-range fields, hour 24, years before 1000,
 * offsets outside −12:00…+14:00), which then goes through Luxon for its verdict and wording. For the
 * texts it accepts the result is Luxon's exactly: the same fields, `Date.UTC`, the offset subtracted,
 * and milliseconds as Luxon takes them from the fraction (floor of 0.f × 1000).
 */
export function isoWithOffsetMillis(text: string): number | undefined {
  const n = text.length;
  if (n < 17 || n > 35 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  // Written as positive conditions so that NaN (a non-digit) fails every one of them.
  if (!(year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59)) return undefined;
  let i = 16;
  let second = 0;
  let millisecond = 0;
  if (text.charCodeAt(i) === 58) {
    second = digits(text, i + 1, 2);
    if (!(second <= 59)) return undefined;
    i += 3;
    if (text.charCodeAt(i) === 46) {
      let end = i + 1;
      while (end < n && isDigit(text.charCodeAt(end))) end++;
      if (end === i + 1 || end - i - 1 > 9) return undefined;
      millisecond = Math.floor(parseFloat(`0.${text.slice(i + 1, end)}`) * 1000);
      i = end;
    }
  }
  let offset: number;
  const sign = text.charCodeAt(i);
  if (sign === 90 && i + 1 === n) offset = 0;
  else if ((sign === 43 || sign === 45) && (i + 6 === n ? text.charCodeAt(i + 3) === 58 : i + 5 === n)) {
    const hours = digits(text, i + 1, 2);
    const minutes = digits(text, n - 2, 2);
    if (!(hours <= 14 && minutes <= 59)) return undefined;
    offset = (sign === 45 ? -1 : 1) * (hours * 60 + minutes);
    if (offset < -12 * 60 || offset > 14 * 60) return undefined;
  } else return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offset * 60_000;
}

/** The number written by `count` ASCII digits at `start`, or NaN if any is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    value = value * 10 + c;
  }
  return value;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const daysIn = (year: number, month: number) =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
