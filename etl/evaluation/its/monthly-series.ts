import { withConnection } from "../../duckdb/connection.ts";
import { readMunicipalities } from "../../geo/municipalities.ts";
import { roleSelections } from "../lake/area-selection.ts";
import { lakeMonths, lakeValues, readAreaCounts } from "../lake/read-area-counts.ts";
import { ALL } from "../statistics/count-table.ts";
import type { MonthCount } from "../statistics/interrupted-time-series.ts";
import { storedCellResolution } from "../../lake/manifest.ts";

/** Where and what to read: an area in `hotspots evaluate --area` syntax, categories, a span of months. */
export interface MonthlySeriesRequest {
  lakeDir: string;
  timeZone: string;
  resolution: number;
  municipalitiesGeoJson: string;
  area: string;
  categories: readonly string[];
  firstMonth: string;
  lastMonth: string;
  /** The categories "all" leaves out (the evaluation's `all_excludes`). */
  allExcludes: ReadonlySet<string>;
}

/**
 * Monthly counts of an area per category (and "all", without `allExcludes`), calendar months in the configured time zone,
 * zeros included, over the months from `firstMonth` to `lastMonth` that the lake holds without a gap
 * up to `lastMonth` (a month the lake lacks would read as no crime, so the series starts after the
 * last missing one).
 */
export async function readMonthlySeries(request: MonthlySeriesRequest): Promise<Map<string, MonthCount[]>> {
  const municipalities = await readMunicipalities(request.municipalitiesGeoJson);
  return withConnection(async (connection) => {
    const held = new Set(await lakeMonths(connection, request.lakeDir));
    const months: string[] = [];
    for (let m = request.lastMonth; m >= request.firstMonth && held.has(m); m = previousMonth(m)) months.unshift(m);
    const out = new Map<string, MonthCount[]>();
    if (months.length === 0) return out;
    // H3 areas select by the cells the lake stores, whatever resolution the analysis uses (issue 18).
    const context = {
      municipalities,
      localities: await lakeValues(connection, request.lakeDir, "locality"),
      resolution: (await storedCellResolution(request.lakeDir)) ?? request.resolution,
    };
    const selection = roleSelections({ area: request.area }, context).treated;
    // One partition either side: an incident near midnight at a month's edge may sit in the neighbouring partition.
    const daily = await readAreaCounts(connection, {
      lakeDir: request.lakeDir,
      timeZone: request.timeZone,
      selection,
      firstMonth: previousMonth(months[0]!),
      lastMonth: nextMonth(months.at(-1)!),
    });
    const categories = request.categories.length > 0 ? request.categories : [ALL];
    for (const category of categories) {
      const counts = new Map(months.map((m) => [m, 0]));
      for (const d of daily) {
        const month = d.day.slice(0, 7);
        if ((category === ALL ? !request.allExcludes.has(d.category) : d.category === category) && counts.has(month))
          counts.set(month, counts.get(month)! + d.count);
      }
      out.set(
        category,
        months.map((month) => ({ month, count: counts.get(month)! })),
      );
    }
    return out;
  });
}

function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}
