import { coordinatePrecisionProblem, decimalPlacesArray, FINEST_PLACES, fewDecimalPlaces, spacingOfDecimalPlaces } from "../analytics/coordinate-cells.ts";
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

/** A first or last month with less than this share of the median of the file's other months is called partial. */
const PARTIAL_MONTH_SHARE = 0.1;

/**
 * The file's first and last month when either holds a tiny share of the rows of its other months (a
 * few rows against the median): an export cut at UTC midnight puts its first local hours in the month
 * before, and a month of 1 row beside months of 70 reads as a fall in crime — and a withheld small
 * count can withhold its neighbour too. Only a warning: the rows are real and are kept.
 */
export function partialMonthNotes(monthRows: ReadonlyMap<string, number>, timeZone: string): string[] {
  const months = [...monthRows.keys()].sort();
  if (months.length < 2) return [];
  const notes: string[] = [];
  for (const [which, month] of [
    ["first", months[0]!],
    ["last", months.at(-1)!],
  ] as const) {
    const others = months.filter((m) => m !== month).map((m) => monthRows.get(m)!);
    const typical = median(others);
    const rows = monthRows.get(month)!;
    if (rows >= PARTIAL_MONTH_SHARE * typical) continue;
    notes.push(
      `the ${which} month, ${month}, holds ${rows} row${rows === 1 ? "" : "s"} against a median of ${typical} in the file's other months: probably a partial month ` +
        `(an export cut mid-month, or at midnight UTC while the lake's months are in ${timeZone}); its monthly count will read as a drop in crime — check the export's date range and the source's timezone`,
    );
  }
  return notes;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
