import type { DuckDBConnection } from "@duckdb/node-api";
import { tableSource } from "../lake/table-reader.ts";
import { TABLES } from "../lake/tables.ts";
import { readLakeCounts, type LakeCounts } from "./lake-counts.ts";

/** Incident count of one cell, month and offence category. */
export interface CellMonthCount {
  month: string;
  category: string;
  cell: string;
  count: number;
}

/**
 * Monthly counts per H3 cell and offence category from the lake's aggregate `cell_counts` (the files
 * the manifest lists) in the cells the lake stores; with `resolution`, in cells of that resolution
 * (readLakeCounts).
 */
export async function readCellMonthCounts(connection: DuckDBConnection, lakeDir: string, resolution?: number): Promise<CellMonthCount[]> {
  if (resolution !== undefined) return countRows(await readLakeCounts(connection, lakeDir, resolution));
  const reader = await connection.runAndReadAll(
    `SELECT month, offence_category AS category, h3_cell AS cell, sum(incidents)::INTEGER AS count
       FROM ${await tableSource(lakeDir, TABLES.cell_counts)}
      GROUP BY month, offence_category, h3_cell
      ORDER BY month, category, cell`,
  );
  return reader.getRowObjectsJS() as unknown as CellMonthCount[];
}

/** Counts in columns as rows, ordered by month, category and cell. */
function countRows(counts: LakeCounts): CellMonthCount[] {
  const rows = Array.from(counts.count, (count, r) => ({
    month: counts.months[counts.month[r]!]!,
    category: counts.categories[counts.category[r]!]!,
    cell: counts.cells[counts.cell[r]!]!,
    count,
  }));
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => order(a.month, b.month) || order(a.category, b.category) || order(a.cell, b.cell));
}

/** The month `count` months after `month` ("YYYY-MM"; a negative count goes back). */
export function addMonths(month: string, count: number): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const index = year * 12 + (m - 1) + count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** Every calendar month from `first` to `last` inclusive ("YYYY-MM"), so empty months are not skipped. */
export function monthRange(first: string, last: string): string[] {
  const months: string[] = [];
  let [year, month] = first.split("-").map(Number) as [number, number];
  for (let guard = 0; guard < 12 * 200; guard++) {
    const label = `${year}-${String(month).padStart(2, "0")}`;
    if (label > last) break;
    months.push(label);
    month++;
    if (month === 13) {
      month = 1;
      year++;
    }
  }
  return months;
}
