import { monthRange } from "../../analytics/monthly-counts.ts";

/** A run of calendar days, first and last included, as local dates "YYYY-MM-DD". */
export interface DateWindow {
  first: string;
  last: string;
}

/** A before or after period: one window, or several (same-season baselines over several years). */
export interface Period {
  label: string;
  windows: DateWindow[];
  /** Total length in days: the exposure time of the rate tests. */
  days: number;
}

const DAY_MS = 86_400_000;

/**
 * Parses a period: a year ("2018"), a month ("2018-06"), a day ("2018-06-15"), or a range of two
 * of these, "A/B", which runs from the first day of A to the last day of B ("2018-03/2018-08" is
 * March to August 2018; "2016/2018" three whole years). Days are local calendar days of the lake's
 * time zone.
 */
export function parsePeriod(spec: string): Period {
  const text = spec.trim();
  const [a, b, ...rest] = text.split("/");
  if (!a || rest.length > 0) throw new Error(`cannot read period '${spec}': expected YYYY, YYYY-MM, YYYY-MM-DD or a range A/B of these`);
  const first = unitBounds(a, spec).first;
  const last = unitBounds(b ?? a, spec).last;
  if (first > last) throw new Error(`period '${spec}' ends before it starts`);
  const windows = [{ first, last }];
  return { label: text, windows, days: windowDays(windows[0]!) };
}

/**
 * The same-season baseline: the after period moved back by whole years, every time it lands inside
 * the before period. Comparing the same months of the year removes seasonality from a before/after
 * comparison (summer public-order peaks, winter burglary). E.g. after 2019-03/2019-08 with before
 * 2016/2018 gives March–August of 2016, 2017 and 2018 (three windows, 3 × 184 days).
 */
export function sameSeasonBefore(before: Period, after: Period): Period {
  if (after.windows.length !== 1) throw new Error("the same-season option needs an after period of one run of days");
  const span = { first: before.windows[0]!.first, last: before.windows.at(-1)!.last };
  const window = after.windows[0]!;
  const windows: DateWindow[] = [];
  for (let years = 1; years <= 200; years++) {
    const shifted = { first: shiftYears(window.first, -years), last: shiftYears(window.last, -years) };
    if (shifted.last < span.first) break;
    if (shifted.first >= span.first && shifted.last <= span.last) windows.unshift(shifted);
  }
  if (windows.length === 0) {
    throw new Error(`no whole-year shift of the after period ${after.label} falls inside the before period ${before.label}`);
  }
  return {
    label: `${before.label}, same season as ${after.label}`,
    windows,
    days: windows.reduce((sum, w) => sum + windowDays(w), 0),
  };
}

/** Refuses a before period that does not end before the after period starts. */
export function checkPeriodOrder(before: Period, after: Period): void {
  const beforeLast = before.windows.at(-1)!.last;
  const afterFirst = after.windows[0]!.first;
  if (beforeLast >= afterFirst) throw new Error(`the before period (${before.label}) must end before the after period (${after.label}) starts`);
}

/** Whether a local date "YYYY-MM-DD" falls in the period. */
export function periodContains(period: Period, day: string): boolean {
  return period.windows.some((w) => day >= w.first && day <= w.last);
}

/** Number of days of a window, both ends included. */
export function windowDays(window: DateWindow): number {
  return Math.round((toUtc(window.last) - toUtc(window.first)) / DAY_MS) + 1;
}

/** The months "YYYY-MM" a period touches, ascending. */
export function periodMonths(period: Period): string[] {
  const months = new Set<string>();
  for (const w of period.windows) {
    for (const month of monthRange(w.first.slice(0, 7), w.last.slice(0, 7))) months.add(month);
  }
  return [...months].sort();
}

/** Days of the period in each calendar month of the year, January first. */
export function monthOfYearDays(period: Period): number[] {
  const days = Array<number>(12).fill(0);
  for (const w of period.windows) {
    for (let t = toUtc(w.first); t <= toUtc(w.last); t += DAY_MS) days[new Date(t).getUTCMonth()]! += 1;
  }
  return days;
}

/**
 * Whether the two periods cover the months of the year in different proportions, so that a
 * seasonal pattern alone changes the rate per day between them. Each period's days per month are
 * scaled to a year of 365.25 days; a gap of up to one day in a month is the calendar's (a leap
 * day, a 365- against a 366-day year), not the period's choice. Whole years, a twelve-month window
 * starting in any month, and same-season periods are balanced.
 */
export function seasonsDiffer(before: Period, after: Period): boolean {
  const perYear = (p: Period) => monthOfYearDays(p).map((d) => (d * 365.25) / p.days);
  const [b, a] = [perYear(before), perYear(after)];
  return b.some((days, month) => Math.abs(days - a[month]!) > 1);
}

/** Days of the window that fall in the given calendar year. */
export function daysInYear(window: DateWindow, year: number): number {
  const first = window.first > `${year}-01-01` ? window.first : `${year}-01-01`;
  const last = window.last < `${year}-12-31` ? window.last : `${year}-12-31`;
  return first > last ? 0 : windowDays({ first, last });
}

function unitBounds(unit: string, spec: string): DateWindow {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(unit.trim());
  if (!m) throw new Error(`cannot read period '${spec}': '${unit}' is not YYYY, YYYY-MM or YYYY-MM-DD`);
  const year = Number(m[1]);
  if (m[2] === undefined) return { first: `${year}-01-01`, last: `${year}-12-31` };
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw new Error(`cannot read period '${spec}': month ${m[2]} does not exist`);
  const monthEnd = isoDate(Date.UTC(year, month, 0));
  if (m[3] === undefined) return { first: `${m[1]}-${m[2]}-01`, last: monthEnd };
  const day = `${m[1]}-${m[2]}-${m[3]}`;
  if (day > monthEnd || m[3] === "00") throw new Error(`cannot read period '${spec}': ${day} does not exist`);
  return { first: day, last: day };
}

function shiftYears(day: string, years: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const lastOfMonth = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return isoDate(Date.UTC(y + years, m - 1, Math.min(d, lastOfMonth)));
}

const toUtc = (day: string) => Date.parse(`${day}T00:00:00Z`);
const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10);
