import { coordinatePrecisionProblem, decimalPlacesArray, FINEST_PLACES, fewDecimalPlaces, spacingOfDecimalPlaces } from "../analytics/coordinate-cells.ts";
import { analysisStart, currentMonth, median, SPARSE_MONTH_SHARE } from "../analytics/lake-months.ts";
import { addMonths, monthRange } from "../analytics/monthly-counts.ts";
import type { IncidentStage } from "../lake/write-incidents.ts";

/**
 * Rows kept by the decimal places of the finer of their two coordinates, 6 standing for 6 or more
 * (`{"2": 951}`: 951 rows at two decimals; see fewDecimalPlaces), counted over the staged rows; the
 * report keeps them so that an analysis at the lake's own resolution checks the coordinates'
 * precision without reading the rows.
 */
export async function coordinateDecimals(stage: Pick<IncidentStage, "forEachPosition">): Promise<Record<string, number>> {
  const byPlaces = new Array<number>(FINEST_PLACES + 1).fill(0);
  await stage.forEachPosition((lat, lon) => {
    for (let i = 0; i < lat.length; i++) byPlaces[Math.max(fewDecimalPlaces(lat[i]!), fewDecimalPlaces(lon[i]!))]!++;
  });
  const decimals: Record<string, number> = {};
  byPlaces.forEach((rows, places) => {
    if (rows > 0) decimals[String(places)] = rows;
  });
  return decimals;
}

/** The lake's cells would follow the coordinates' rounding: the re-indexing refusal's sentence (see checkCoordinatePrecision). */
export function coordinatePrecisionNote(decimals: Readonly<Record<string, number>>, resolution: number): string | undefined {
  return coordinatePrecisionProblem(spacingOfDecimalPlaces(decimalPlacesArray(decimals)), resolution);
}

/** Months with no row between two months of a file, from which its months on either side are apart. */
const ISOLATING_GAP = 12;
/** The rows on the far side of such a gap, as a share of the file's, under which they are stray. */
const STRAY_SHARE = 0.01;

/**
 * The file's months cut off from the rest by a year or more with no row, at either end, when they
 * hold under 1 % of its rows: a 1998 date in an export of 2022–2023 is most likely a mistyped year.
 * The rows are kept (they may be a real old case). Sparse first months are left out of the analyses
 * (analysisStart); stray last months, and first months of substance, stretch the hot spots, the
 * emerging trends and the forecasts' backtest over the empty months between.
 */
export function strayMonthNotes(monthRows: ReadonlyMap<string, number>, current?: string): { notes: string[]; body: Map<string, number> } {
  const months = [...monthRows.keys()].sort();
  const total = [...monthRows.values()].reduce((a, b) => a + b, 0);
  // Months strictly between two, and from one to another inclusive.
  const between = (a: string, b: string) => monthRange(a, b).length - 2;
  const gaps = months.slice(1).flatMap((month, i) => (month > addMonths(months[i]!, ISOLATING_GAP) ? [i + 1] : []));
  if (gaps.length === 0) return { notes: [], body: new Map(monthRows) };
  const rowsOf = (part: readonly string[]) => part.reduce((sum, m) => sum + monthRows.get(m)!, 0);
  const leading = months.slice(0, gaps[0]);
  const trailing = months.slice(gaps.at(-1));
  const stray = (part: readonly string[]) => rowsOf(part) < STRAY_SHARE * total;
  const cut = {
    from: stray(leading) ? leading.length : 0,
    to: stray(trailing) && trailing.length < months.length ? months.length - trailing.length : months.length,
  };
  const body = months.slice(cut.from, cut.to);
  if (body.length === 0) return { notes: [], body: new Map(monthRows) };
  const span = `${body[0]} … ${body.at(-1)}`;
  // Sparse first months are left out of the analyses (analysisStart); later ones stretch them.
  const start = analysisStart(monthRows, current);
  const note = (part: readonly string[], where: "before" | "after") => {
    const rows = rowsOf(part);
    const gap = where === "before" ? between(part.at(-1)!, body[0]!) : between(body.at(-1)!, part[0]!);
    const shown = part.length <= 3 ? part.join(", ") : `${part.slice(0, 3).join(", ")} and ${part.length - 3} more`;
    const effect =
      where === "before" && start !== null && start > part.at(-1)!
        ? `They are kept in the lake, and left out of the hot spots, trends and forecasts, which start at ${start} (the first month with ${SPARSE_MONTH_SHARE * 100} % of a typical month's incidents) — `
        : `They are kept, and the analyses run over each month from the lake's first to its last, so they stretch the hot spots, trends and forecasts over ${monthRange(months[0]!, months.at(-1)!).length} months, mostly empty — `;
    return (
      `${rows} row${rows === 1 ? "" : "s"} dated ${shown} lie${rows === 1 ? "s" : ""} ${gap} months ${where} the file's other months (${span}), with none between: probably mistyped years. ` +
      effect +
      "correct their dates in the export (or leave them out) and ingest it again with --replace"
    );
  };
  const notes = [...(cut.from > 0 ? [note(leading, "before")] : []), ...(cut.to < months.length ? [note(trailing, "after")] : [])];
  return { notes, body: new Map(body.map((m) => [m, monthRows.get(m)!])) };
}

/**
 * The notes on a file's months: stray months (strayMonthNotes), then partial first or last months of
 * the rest. `now` (default the clock) is the ingest's time: a month not ended by then in `timeZone`
 * is the current month, not a partial one (analysisEnd leaves it out until it has ended).
 */
export function monthNotes(monthRows: ReadonlyMap<string, number>, timeZone: string, now?: number): string[] {
  const current = currentMonth(timeZone, now === undefined ? undefined : new Date(now));
  const { notes, body } = strayMonthNotes(monthRows, current);
  return [...notes, ...partialMonthNotes(body, timeZone, current)];
}

/**
 * The file's first and last month when either holds a tiny share of the rows of its other months (a
 * few rows against the median): an export cut at UTC midnight puts its first local hours in the month
 * before, and a month of 1 row beside months of 70 reads as a fall in crime — and a withheld small
 * count can withhold its neighbour too. Only a warning: the rows are real and are kept. Months from
 * `current` (the ingest's month) on have not ended: they are neither warned of nor a typical month,
 * as analysisEnd leaves them out of the analyses until they end.
 */
export function partialMonthNotes(monthRows: ReadonlyMap<string, number>, timeZone: string, current?: string): string[] {
  const months = [...monthRows.keys()].filter((m) => current === undefined || m < current).sort();
  if (months.length < 2) return [];
  const notes: string[] = [];
  for (const [which, month] of [
    ["first", months[0]!],
    ["last", months.at(-1)!],
  ] as const) {
    const others = months.filter((m) => m !== month).map((m) => monthRows.get(m)!);
    const typical = median(others);
    const rows = monthRows.get(month)!;
    if (rows >= SPARSE_MONTH_SHARE * typical) continue;
    notes.push(
      `the ${which} month, ${month}, holds ${rows} row${rows === 1 ? "" : "s"} against a median of ${typical} in the file's other months: probably a partial month ` +
        `(an export cut mid-month, or at midnight UTC while the lake's months are in ${timeZone}); its monthly count will read as a drop in crime — check the export's date range and the source's timezone`,
    );
  }
  return notes;
}
