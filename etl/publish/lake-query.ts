import { filesBelow } from "../lake/lake-files.ts";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { z } from "zod";

/**
 * True when a lake table folder holds at least one Parquet file. DuckDB's read_parquet fails on a
 * glob that matches nothing, and a lake need not hold every table (a run without analytics has no
 * forecasts), so the publish step asks first and publishes an empty section instead.
 */
export async function hasParquet(dir: string): Promise<boolean> {
  return (filesBelow(dir) ?? []).some((name) => name.endsWith(".parquet"));
}

/** The columns a query selects, each with the zod schema of its JavaScript value. */
export type QueryColumns = z.ZodRawShape;

/** A row of a query whose columns are `C`. */
export type QueryRow<C extends QueryColumns> = z.output<z.ZodObject<C, z.core.$strict>>;

/**
 * Runs a query with bound parameters and returns its rows as plain JavaScript objects, each checked
 * against `columns`, the query's SELECT list with the type of each value (DuckDB's JavaScript values:
 * VARCHAR → string, INTEGER/DOUBLE → number, BIGINT → bigint, BOOLEAN → boolean, NULL → null). A row
 * that does not match — a count left BIGINT, a column renamed or not selected, a NULL where none was
 * expected — is refused with the row and column named, instead of flowing on into published figures.
 */
export async function queryRows<C extends QueryColumns>(
  connection: DuckDBConnection,
  sql: string,
  columns: C,
  params: Record<string, DuckDBValue> = {},
): Promise<Array<QueryRow<C>>> {
  const rows = (await connection.runAndReadAll(sql, params)).getRowObjectsJS();
  const checked = z.array(z.strictObject(columns)).safeParse(rows);
  if (checked.success) return checked.data;
  const [row, column, ...rest] = checked.error.issues[0]!.path;
  throw mismatch(sql, checked.error, typeof row === "number" ? `row ${row + 1}` : "the rows", column === undefined ? [] : [column, ...rest]);
}

/** The columns of a query whose columns are `C`, one array each. */
export type QueryColumnArrays<C extends QueryColumns> = { [K in keyof C]: Array<z.output<C[K]>> };

/**
 * queryRows for a result too large to hold as one object per row: one array per column, every value
 * checked against its column's schema in the same way.
 */
export async function queryColumns<C extends QueryColumns>(
  connection: DuckDBConnection,
  sql: string,
  columns: C,
  params: Record<string, DuckDBValue> = {},
): Promise<QueryColumnArrays<C>> {
  const data = (await connection.runAndReadAll(sql, params)).getColumnsObjectJS();
  const arrays = z.strictObject(Object.fromEntries(Object.entries(columns).map(([name, value]) => [name, z.array(value)])));
  const checked = arrays.safeParse(data);
  // The schema is built from `columns`, so what it accepts has the type QueryColumnArrays<C>.
  if (checked.success) return checked.data as QueryColumnArrays<C>;
  const [column, row, ...rest] = checked.error.issues[0]!.path;
  throw mismatch(sql, checked.error, typeof row === "number" ? `row ${row + 1}` : "the rows", column === undefined ? [] : [column, ...rest]);
}

/** The error of a query result that does not match its declared columns: where, what, and the way out. */
function mismatch(sql: string, error: z.ZodError, where: string, column: readonly PropertyKey[]): Error {
  const what = column.length === 0 ? "" : `, column ${column.map(String).join(".")}`;
  return new Error(
    `query result ${where}${what}: ${error.issues[0]!.message}. Cast the column in the SQL to the type the code reads (e.g. count(*)::INTEGER), ` +
      `or select exactly the columns given to queryRows. Query: ${sql.replace(/\s+/g, " ").slice(0, 160)}`,
  );
}

/** A count as published: `null` when below the suppression threshold. */
export function suppressed(count: number, threshold: number): number | null {
  return count < threshold ? null : count;
}

/** `value` rounded to `digits` decimals (JSON stays short; the pages show at most this many). */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** "2019-06-30" or "2019-06" → "2019-06"; "2019" stays a year; null stays null. Never finer than a month. */
export function toMonth(date: string | null | undefined): string | null {
  if (!date) return null;
  return /^\d{4}-\d{2}/.test(date) ? date.slice(0, 7) : date.slice(0, 4);
}
