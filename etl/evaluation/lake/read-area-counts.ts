import type { DuckDBConnection } from "@duckdb/node-api";
import { aggregateTimeZone } from "../../lake/aggregates.ts";
import { tableSource } from "../../lake/table-reader.ts";
import { TABLES } from "../../lake/tables.ts";
import { insideSelection, selectionFilter, type AreaSelection } from "./area-selection.ts";

/** Incidents of one local calendar day (or year), offence category and case type in a selection. */
export interface DailyCount {
  /** "YYYY-MM-DD"; "YYYY" when read by year. */
  day: string;
  category: string;
  case_type: string;
  count: number;
}

/**
 * Daily incident counts of an area selection from the lake's aggregate day_counts (lake/aggregates.ts:
 * local calendar days of the lake's time zone, which is `timeZone`), for the partitions `firstMonth` …
 * `lastMonth` ("YYYY-MM", months of the lake's time zone); the files are those the manifest lists;
 * with `unit` "year", local calendar years (far fewer rows for a long history). The area filter runs
 * in DuckDB with bound parameters. A selection with a polygon needs each incident's point, so it reads
 * the incident rows instead, grouped by coordinates too, and the exact point-in-polygon test runs here;
 * so does a `timeZone` other than the lake's (or a lake without a manifest, whose zone is unknown).
 */
export async function readAreaCounts(
  connection: DuckDBConnection,
  options: { lakeDir: string; timeZone: string; selection: AreaSelection; firstMonth: string; lastMonth: string; unit?: "day" | "year" },
): Promise<DailyCount[]> {
  const filter = selectionFilter(options.selection, "area");
  // Incident rows only where the aggregates cannot answer: a polygon's point test, or days of another time zone than the lake's.
  const fromIncidents = filter.needsPointTest || (await aggregateTimeZone(options.lakeDir)) !== options.timeZone;
  // From the incidents, a year needs the time-zone conversion only near New Year: an incident of the lake's months
  // February to November lies in that year in every time zone (offsets differ by less than two days).
  const day = !fromIncidents
    ? options.unit === "year"
      ? "substr(day, 1, 4)"
      : "day"
    : options.unit === "year"
      ? "CASE WHEN substr(month, 6, 2) BETWEEN '02' AND '11' THEN substr(month, 1, 4) ELSE strftime(timezone($tz, occurred_at), '%Y') END"
      : "strftime(timezone($tz, occurred_at), '%Y-%m-%d')";
  const reader = await connection.runAndReadAll(
    `SELECT ${day} AS day, offence_category AS category, case_type, ${filter.needsPointTest ? "lat, lon," : ""}
            ${fromIncidents ? "count(*)" : "sum(incidents)"}::INTEGER AS count
       FROM ${await tableSource(options.lakeDir, fromIncidents ? TABLES.incidents : TABLES.day_counts)}
      WHERE month BETWEEN $first_month AND $last_month AND ${filter.sql}
      GROUP BY ALL
      ORDER BY ALL`,
    {
      ...filter.params,
      ...(fromIncidents ? { tz: options.timeZone } : {}),
      first_month: options.firstMonth,
      last_month: options.lastMonth,
    },
  );
  const rows = reader.getRowObjectsJS().map((r) => ({
    day: text(r.day, "day"),
    category: text(r.category, "offence_category"),
    case_type: text(r.case_type, "case_type"),
    count: Number(r.count),
    lat: r.lat as number | undefined,
    lon: r.lon as number | undefined,
  }));
  if (!filter.needsPointTest) return rows.map(({ day, category, case_type, count }) => ({ day, category, case_type, count }));
  const byKey = new Map<string, DailyCount>();
  for (const row of rows) {
    if (!insideSelection(options.selection, row.lat!, row.lon!)) continue;
    const key = `${row.day}|${row.category}|${row.case_type}`;
    const entry = byKey.get(key) ?? { day: row.day, category: row.category, case_type: row.case_type, count: 0 };
    entry.count += row.count;
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

/** Where the incidents of a selection lie, as they name it: one entry per distinct municipality and locality (null where a row names none). */
export interface IncidentPlace {
  municipality: string | null;
  locality: string | null;
}

/**
 * The distinct municipality and locality of the incidents of a selection in the months `firstMonth`
 * … `lastMonth` (what an exposure's area must cover before an evaluation divides by it): from the
 * aggregate day_counts, or from the incident rows where a polygon needs each point tested.
 */
export async function readAreaPlaces(
  connection: DuckDBConnection,
  options: { lakeDir: string; selection: AreaSelection; firstMonth: string; lastMonth: string },
): Promise<IncidentPlace[]> {
  const filter = selectionFilter(options.selection, "area");
  const reader = await connection.runAndReadAll(
    `SELECT DISTINCT municipality, locality${filter.needsPointTest ? ", lat, lon" : ""}
       FROM ${await tableSource(options.lakeDir, filter.needsPointTest ? TABLES.incidents : TABLES.day_counts)}
      WHERE month BETWEEN $first_month AND $last_month AND ${filter.sql}`,
    { ...filter.params, first_month: options.firstMonth, last_month: options.lastMonth },
  );
  const places = new Map<string, IncidentPlace>();
  for (const r of reader.getRowObjectsJS()) {
    if (filter.needsPointTest && !insideSelection(options.selection, r.lat as number, r.lon as number)) continue;
    const place = { municipality: nonEmpty(r.municipality), locality: nonEmpty(r.locality) };
    places.set(JSON.stringify(place), place);
  }
  return [...places.values()];
}

/**
 * The distinct stored H3 cells of the incidents of a selection in the months `firstMonth` …
 * `lastMonth` (where an area lies, for a control's bordering to be checked): from the aggregate
 * day_counts, or from the incident rows where a polygon needs each point tested.
 */
export async function readAreaCells(
  connection: DuckDBConnection,
  options: { lakeDir: string; selection: AreaSelection; firstMonth: string; lastMonth: string },
): Promise<string[]> {
  const filter = selectionFilter(options.selection, "area");
  const reader = await connection.runAndReadAll(
    `SELECT DISTINCT h3_cell${filter.needsPointTest ? ", lat, lon" : ""}
       FROM ${await tableSource(options.lakeDir, filter.needsPointTest ? TABLES.incidents : TABLES.day_counts)}
      WHERE month BETWEEN $first_month AND $last_month AND h3_cell IS NOT NULL AND ${filter.sql}`,
    { ...filter.params, first_month: options.firstMonth, last_month: options.lastMonth },
  );
  const cells = new Set<string>();
  for (const r of reader.getRowObjectsJS()) {
    if (filter.needsPointTest && !insideSelection(options.selection, r.lat as number, r.lon as number)) continue;
    cells.add(String(r.h3_cell));
  }
  return [...cells].sort();
}

const nonEmpty = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value : null);

/** The months ("YYYY-MM") for which the lake holds incidents, ascending (from their aggregate day_counts). */
export async function lakeMonths(connection: DuckDBConnection, lakeDir: string): Promise<string[]> {
  const reader = await connection.runAndReadAll(`SELECT DISTINCT month FROM ${await tableSource(lakeDir, TABLES.day_counts)} ORDER BY month`);
  return reader.getRowObjectsJS().map((r) => String(r.month));
}

/** Columns whose distinct values an evaluation needs to know (names are fixed here, never taken from input). */
export type LakeValueColumn = "locality" | "offence_category" | "source";

const VALUE_COLUMNS: readonly string[] = ["locality", "offence_category", "source"];

/** The distinct non-null values of one incident column in the lake, sorted (from the aggregate day_counts, which keeps these columns). */
export async function lakeValues(connection: DuckDBConnection, lakeDir: string, column: LakeValueColumn): Promise<string[]> {
  if (!VALUE_COLUMNS.includes(column)) throw new Error(`not a column an evaluation reads: ${String(column)}`);
  const reader = await connection.runAndReadAll(
    `SELECT DISTINCT ${column} AS value FROM ${await tableSource(lakeDir, TABLES.day_counts)} WHERE ${column} IS NOT NULL ORDER BY value`,
  );
  return reader.getRowObjectsJS().map((r) => String(r.value));
}

/** A text column's value; the incident table declares these columns non-empty text, so anything else is a damaged lake. */
function text(value: unknown, column: string): string {
  if (typeof value !== "string")
    throw new Error(
      `the incident table holds ${value === null ? "NULL" : typeof value} in ${column}, which every ingested row has as text: check the lake (checkLake) or re-ingest`,
    );
  return value;
}
