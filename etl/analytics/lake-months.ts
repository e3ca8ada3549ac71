import type { Manifest } from "../lake/manifest.ts";
import { addMonths } from "./monthly-counts.ts";

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
export function checkForecastMonth(month: string, span: LakeMonthSpan | null): void {
  if (span === null) throw new Error(`the lake holds no incidents, so there is nothing to forecast ${month} from: ingest an export first (hotspots ingest)`);
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
export function checkAnalyseRange(from: string | undefined, to: string | undefined, span: LakeMonthSpan | null): void {
  if (from === undefined && to === undefined) return;
  const asked = from === to || from === undefined || to === undefined ? (from ?? to)! : `${from} … ${to}`;
  if (span === null) throw new Error(`the lake holds no incidents, so there are no hot spots of ${asked} to compute: ingest an export first (hotspots ingest)`);
  const outside = [from, to].some((m) => m !== undefined && (m < span.first || m > span.last));
  if (!outside) return;
  throw new Error(
    `${asked} is outside the lake's data: its incidents run from ${span.first} to ${span.last}. ` +
      `Analyse months in that range (e.g. --month ${span.last}), or ingest the export of ${asked} first`,
  );
}
