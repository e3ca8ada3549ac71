import type { DuckDBConnection } from "@duckdb/node-api";
import { lakeLayout } from "../lake/lake-layout.ts";

/** Incident count of one cell, month and offence category. */
export interface CellMonthCount {
  month: string;
  category: string;
  cell: string;
  count: number;
}

/**
 * Monthly counts per H3 cell and offence category, straight from the lake's incident partitions
 * (only the three columns needed are read from Parquet).
 */
export async function readCellMonthCounts(connection: DuckDBConnection, lakeDir: string): Promise<CellMonthCount[]> {
  const reader = await connection.runAndReadAll(
    `SELECT month, offence_category AS category, h3_cell AS cell, count(*)::INTEGER AS count
       FROM read_parquet($glob, hive_partitioning = true)
      GROUP BY month, offence_category, h3_cell
      ORDER BY month, category, cell`,
    { glob: lakeLayout.glob(lakeLayout.incidentsDir(lakeDir)) },
  );
  return reader.getRowObjectsJS() as unknown as CellMonthCount[];
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
