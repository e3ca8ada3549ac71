import type { DuckDBConnection } from "@duckdb/node-api";
import type { AreaSelection } from "./area-selection.ts";
import { ALL, yearlyCounts } from "../statistics/count-table.ts";
import { readAreaCounts } from "./read-area-counts.ts";

/** One year of an offence category in the evaluation area (and the control, when there is one). */
export interface HistoryRow {
  category: string;
  year: number;
  area: number;
  control: number | null;
}

/**
 * Yearly counts of the evaluation area and its control over a run of years, for each category (and
 * "all"), zeros included: the longer series a before/after pair sits in, which shows whether the
 * "before" year was typical (regression to the mean) and whether a trend was already under way.
 * Only years whose twelve months are all in the lake are returned.
 */
export async function readAreaHistory(
  connection: DuckDBConnection,
  options: {
    lakeDir: string;
    timeZone: string;
    area: AreaSelection;
    control: AreaSelection | null;
    categories: readonly string[];
    years: { first: number; last: number };
    months: readonly string[];
    /** The categories "all" leaves out (the evaluation's `all_excludes`). */
    allExcludes: ReadonlySet<string>;
  },
): Promise<HistoryRow[]> {
  const span = { firstMonth: `${options.years.first}-01`, lastMonth: `${options.years.last}-12` };
  const read = (selection: AreaSelection) =>
    readAreaCounts(connection, { lakeDir: options.lakeDir, timeZone: options.timeZone, selection, ...span, unit: "year" });
  const area = yearlyCounts(await read(options.area), options.allExcludes);
  const control = options.control ? yearlyCounts(await read(options.control), options.allExcludes) : null;
  const held = new Set(options.months);
  const rows: HistoryRow[] = [];
  for (let year = options.years.first; year <= options.years.last; year++) {
    const complete = Array.from({ length: 12 }, (_, m) => `${year}-${String(m + 1).padStart(2, "0")}`).every((m) => held.has(m));
    if (!complete) continue;
    for (const category of options.categories.length > 0 ? options.categories : [ALL]) {
      rows.push({
        category,
        year,
        area: area.get(category)?.get(year) ?? 0,
        control: control ? (control.get(category)?.get(year) ?? 0) : null,
      });
    }
  }
  return rows;
}
