import { calendarMonth } from "../ingest/calendar-month.ts";
import type { Manifest } from "../lake/manifest.ts";
import { addMonths, monthRange } from "./monthly-counts.ts";

/** The first and last month with incidents in a lake (any category, inside the study area or not). */
export interface LakeMonthSpan {
  first: string;
  last: string;
}

/** The span of the months that hold incidents ("YYYY-MM"), or null for an empty lake. */
export function lakeMonthSpan(months: Iterable<string>): LakeMonthSpan | null {
  let first: string | undefined;
  let last: string | undefined;
  for (const m of months) {
    if (first === undefined || m < first) first = m;
    if (last === undefined || m > last) last = m;
  }
  return first === undefined || last === undefined ? null : { first, last };
}

/**
 * A month holding under this share of a typical month's incidents is sparse: a partial month at an
 * export's edge (ingest warns of it), or a month before the lake's analysed months (analysisStart).
 */
export const SPARSE_MONTH_SHARE = 0.1;

/** The typical month is the median of this many of the busiest months (all of them when fewer). */
const TYPICAL_OF_BUSIEST = 12;

/**
 * The first month the analyses (hot spots, emerging trends, forecasts and their backtest) run from:
 * the lake's first month with incidents, unless its first months are sparse — each under a tenth of
 * a typical month's incidents. Police exports carry such months before their real start: incidents
 * reported years after they happened (an export of 2020–2023 with a few hundred rows dated back to
 * 2005), or a mistyped year. Analysed, they would stretch every series over years of near-empty
 * months: Gi* on a handful of incidents, a rising trend in every busy cell (from near zero to the
 * real level), backtest folds that score nothing. The rows stay in the lake and its counts; only the
 * analyses start later. The typical month is the median of the busiest 12, so that neither a long
 * sparse tail nor one bulk-loaded month sets it; later sparse months (a real lull, a gap between
 * exports) are analysed as they are. With `current` (the run's month, as analysisEnd), a month not
 * ended is no candidate nor part of the typical month: it is current, not sparse, and never analysed.
 * Null for an empty lake.
 */
export function analysisStart(monthTotals: ReadonlyMap<string, number>, current?: string): string | null {
  const { months, ended } = monthsHeld(monthTotals, current);
  if (ended.length === 0) return months[0] ?? null;
  const floor = SPARSE_MONTH_SHARE * typicalMonth(ended.map((m) => monthTotals.get(m)!));
  return ended.find((m) => monthTotals.get(m)! >= floor) ?? ended[0]!;
}

/** The months with incidents, sorted, and those of them before `current` (all of them without it). */
function monthsHeld(monthTotals: ReadonlyMap<string, number>, current: string | undefined): { months: string[]; ended: string[] } {
  const months = [...monthTotals.keys()].filter((m) => monthTotals.get(m)! > 0).sort();
  return { months, ended: current === undefined ? months : months.filter((m) => m < current) };
}

/** A month after the analysed ones, and why it is not analysed (analysisEnd). */
export interface MonthLeftOut {
  month: string;
  /** "not_ended": the run's own month (or later) in the lake's time zone; "too_few": a sparse month at the lake's end. */
  reason: "not_ended" | "too_few";
  /** The lake's incidents of the month (every category, inside the study area or not). */
  incidents: number;
}

/** The last month the analyses run to, and the months with incidents after it that they leave out. */
export interface AnalysisEnd {
  /** Null when no month with incidents has ended, or the lake is empty. */
  end: string | null;
  leftOut: MonthLeftOut[];
}

/**
 * The last month the analyses (hot spots, emerging trends, forecasts and their backtest, the
 * briefing) run to, analysisStart's mirror; `current` is the month the run is in, in the lake's time
 * zone (currentMonth). A month that has not ended is never analysed: an export pulled on the 2nd holds
 * one day of it, whose Gi* would be published as the latest month, read by the trends as a collapse,
 * and make the forecast plan the month after it. Of the ended months, trailing sparse ones (under
 * SPARSE_MONTH_SHARE of a typical ended month, the rule analysisStart applies to the first ones) are
 * left out too: an export cut mid-month, or a few rows of a month whose export is still to come (ingest
 * warns of such partial edge months: ingest-notes.ts). The rows stay in the lake and its counts;
 * what is left out is returned, for the run to say. Sparse months before the last full one are
 * analysed as they are (gapMonths names them).
 */
export function analysisEnd(monthTotals: ReadonlyMap<string, number>, current: string): AnalysisEnd {
  const { months, ended } = monthsHeld(monthTotals, current);
  const floor = SPARSE_MONTH_SHARE * typicalMonth(ended.map((m) => monthTotals.get(m)!));
  // As analysisStart, when no month reaches the floor the edge month is kept.
  const end = ended.findLast((m) => monthTotals.get(m)! >= floor) ?? ended.at(-1) ?? null;
  const leftOut = months
    .filter((m) => end === null || m > end)
    .map((month) => ({ month, reason: month < current ? ("too_few" as const) : ("not_ended" as const), incidents: monthTotals.get(month)! }));
  return { end, leftOut };
}

/** The calendar month an instant is in, in the lake's time zone (the run's month for analysisEnd); `now` defaults to the clock. */
export function currentMonth(timeZone: string, now: Date = new Date()): string {
  return calendarMonth(now.getTime(), timeZone);
}

/** lakeAnalysisEnd's answer: analysisEnd, the run's month it was cut at, and the lake's analysisStart. */
export interface LakeAnalysisEnd extends AnalysisEnd {
  current: string;
  start: string | null;
}

/**
 * analysisEnd of a lake's manifest (its incident partitions' rows) at `now` in its time zone: the one
 * source of the analysed months' end, for the analyses and the publish alike. Its cell_counts hold
 * the same totals (an aggregate per incident partition); counted again apart, a lake whose manifest
 * and aggregates disagreed (an aggregate not yet rebuilt) would end the hot spots at one month and the
 * trends, the forecast and the dashboard's note at another.
 */
export function lakeAnalysisEnd(manifest: Pick<Manifest, "tables">, timeZone: string, now?: Date): LakeAnalysisEnd {
  return analysedMonths(incidentsPerMonth(manifest), timeZone, now);
}

/** analysisStart and analysisEnd of incident totals per month at `now` in `timeZone` (lakeAnalysisEnd's arithmetic). */
export function analysedMonths(totals: ReadonlyMap<string, number>, timeZone: string, now?: Date): LakeAnalysisEnd {
  const current = currentMonth(timeZone, now);
  return { ...analysisEnd(totals, current), current, start: analysisStart(totals, current) };
}

/** What a left-out month is, in the run summary's words (the dashboard says it in both languages). */
export function leftOutText(m: MonthLeftOut, count: string = String(m.incidents)): string {
  return m.reason === "not_ended"
    ? `${m.month} is not analysed: it has not ended`
    : `${m.month} is not analysed: it holds too few incidents (${count}) to be a whole month`;
}

/** A gap month is one whose count a typical month would fall to by chance less often than this. */
const GAP_PROBABILITY = 0.001;

/**
 * The months from `start` to the last month with incidents that look like missing data: sparse
 * (under SPARSE_MONTH_SHARE of a typical month, as in analysisStart), and a count that a Poisson
 * month of the typical mean gives with probability under 1 in 1,000. Analysed as they are, such
 * months read as a collapse of crime (a missing export, a system outage); in a small town whose
 * typical month is a few incidents, an empty month is ordinary and is not named.
 */
export function gapMonths(monthTotals: ReadonlyMap<string, number>, start: string): string[] {
  const months = [...monthTotals.keys()].filter((m) => monthTotals.get(m)! > 0).sort();
  if (months.length === 0) return [];
  const typical = typicalMonth(months.map((m) => monthTotals.get(m)!));
  return monthRange(start, months.at(-1)!).filter((m) => {
    const count = monthTotals.get(m) ?? 0;
    return count < SPARSE_MONTH_SHARE * typical && poissonCdf(count, typical) < GAP_PROBABILITY;
  });
}

/** P(X ≤ k) for X ~ Poisson(mean), summed in log space (k is small here: under a tenth of the mean). */
function poissonCdf(k: number, mean: number): number {
  let term = -mean;
  let sum = Math.exp(term);
  for (let i = 1; i <= k; i++) {
    term += Math.log(mean / i);
    sum += Math.exp(term);
  }
  return sum;
}

/** The typical month's incidents: the median of the 12 busiest months (of all, when fewer). */
function typicalMonth(totals: readonly number[]): number {
  return median([...totals].sort((a, b) => b - a).slice(0, TYPICAL_OF_BUSIEST));
}

/** The lake's incidents per month, as its manifest lists their partitions. */
export function incidentsPerMonth(manifest: Pick<Manifest, "tables">): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { month, rows } of Object.values(manifest.tables.incidents ?? {})) totals.set(month, (totals.get(month) ?? 0) + rows);
  return totals;
}

/** The middle value of numbers (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The lake's last month with incidents, as its manifest lists their partitions (null for an empty lake). */
export function lastDataMonth(manifest: Pick<Manifest, "tables">): string | null {
  return lakeMonthSpan(Object.values(manifest.tables.incidents ?? {}).flatMap((e) => (e.rows > 0 ? [e.month] : [])))?.last ?? null;
}

/**
 * The month a patrol forecast may plan for: the month after the lake's last month with incidents at
 * the latest. Further out, the months between hold no incidents only because they have not been
 * ingested yet, and every method would read them as a real drop to zero (a last-month forecast
 * scores every cell 0 and ranks them by cell id). Earlier months are what-if forecasts from
 * their own history, which forecastStage checks has at least one month.
 */
export function checkForecastMonth(month: string, span: LakeMonthSpan | null, analysed?: AnalysisEnd): void {
  if (span === null) throw new Error(`the lake holds no incidents, so there is nothing to forecast ${month} from: ingest an export first (hotspots ingest)`);
  // The months the analyses leave out (analysisEnd) are no history either: a forecast past them would read a part of a month as a month.
  const end = analysed?.end;
  if (end != null && month > addMonths(end, 1) && month <= addMonths(span.last, 1)) {
    const why = analysed!.leftOut.map((m) => leftOutText(m)).join("; ");
    throw new Error(
      `${month} is past the analysed months, which end at ${end} (${why}), so a forecast can plan for ${addMonths(end, 1)} at the latest: forecast --month ${addMonths(end, 1)}`,
    );
  }
  const next = addMonths(span.last, 1);
  if (month <= next) return;
  throw new Error(
    `${month} is past the lake's data: its incidents run from ${span.first} to ${span.last}, so a forecast can plan for ${next} at the latest. ` +
      `Ingest the months up to ${addMonths(month, -1)} first, or forecast --month ${next}`,
  );
}

/**
 * A month range hot spots may be computed for: inside the lake's first and last month with
 * incidents. A month past the data would be stored as a month of zeros (no cell hot or cold), which
 * the dashboard would show as a real month; a month in a gap between them is a month with no
 * incidents and is analysed as such.
 */
export function checkAnalyseRange(from: string | undefined, to: string | undefined, span: LakeMonthSpan | null, current?: string): void {
  if (from === undefined && to === undefined) return;
  const asked = from === to || from === undefined || to === undefined ? (from ?? to)! : `${from} … ${to}`;
  if (span === null) throw new Error(`the lake holds no incidents, so there are no hot spots of ${asked} to compute: ingest an export first (hotspots ingest)`);
  const outside = [from, to].some((m) => m !== undefined && (m < span.first || m > span.last));
  if (outside)
    throw new Error(
      `${asked} is outside the lake's data: its incidents run from ${span.first} to ${span.last}. ` +
        `Analyse months in that range (e.g. --month ${span.last}), or ingest the export of ${asked} first`,
    );
  // A month that has not ended is never analysed (analysisEnd): its hot spots would be those of a part of it.
  const open = [from, to].find((m) => m !== undefined && current !== undefined && m >= current);
  if (open !== undefined)
    throw new Error(
      `${open} has not ended (the run is in ${current} in the lake's time zone), so its hot spots would be those of a part of it: analyse months up to ${addMonths(current!, -1)}, and ${open} once it has ended`,
    );
}
