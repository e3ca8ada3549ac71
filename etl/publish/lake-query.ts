import { basename, join, relative } from "node:path";
import { filesBelow } from "../lake/lake-files.ts";
import type { PartitionEntry } from "../lake/manifest.ts";
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

/**
 * Of each file name (without .parquet) of a month-partitioned analytics table folder `dir` — the
 * analytics write one file per category and month, named by the category — the last month's
 * partition with rows and its path (what a query of the files finds as each category's last month),
 * from the manifest's `entries` of the table; null where the folder does not hold exactly the files
 * they list (a stray or missing file: the caller reads the folder, as it did before) or there are
 * none. Reading these spares the earlier months' files.
 */
export function latestListed(
  lakeDir: string,
  dir: string,
  entries: Readonly<Record<string, PartitionEntry>> | undefined,
): Map<string, { month: string; file: string }> | null {
  const listed = listedPartitions(lakeDir, dir, entries);
  if (!listed) return null;
  const latest = new Map<string, { month: string; file: string }>();
  for (const { name, month, file } of listed) {
    const seen = latest.get(name);
    if (!seen || month > seen.month) latest.set(name, { month, file });
  }
  return latest;
}

/**
 * Every partition with rows of an analytics table folder the manifest's `entries` list, by file name
 * (the category) and month; null where the folder does not hold exactly the files they list (see
 * latestListed).
 */
export function listedPartitions(
  lakeDir: string,
  dir: string,
  entries: Readonly<Record<string, PartitionEntry>> | undefined,
): Array<{ name: string; month: string; file: string }> | null {
  if (!entries) return null;
  const onDisk = (filesBelow(dir) ?? []).filter((f) => f.endsWith(".parquet")).sort();
  const listed = Object.keys(entries)
    .map((key) => relative(dir, join(lakeDir, key)))
    .sort();
  if (listed.length === 0 || JSON.stringify(onDisk) !== JSON.stringify(listed)) return null;
  // A file without rows names no category to a query (a lake too short for a backtest writes one): skipped.
  return Object.entries(entries)
    .filter(([, entry]) => entry.rows > 0)
    .map(([key, entry]) => ({ name: basename(key, ".parquet"), month: entry.month, file: join(lakeDir, key) }));
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
  const reader = await connection.runAndReadAll(sql, params);
  const rows = reader.getRowObjectsJS();
  if (passes(reader.columnNames(), columns, (name, check) => rows.every((row) => check(row[name])))) return rows as Array<QueryRow<C>>;
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
  const reader = await connection.runAndReadAll(sql, params);
  const data = reader.getColumnsObjectJS();
  if (passes(reader.columnNames(), columns, (name, check) => data[name]!.every(check))) return data as QueryColumnArrays<C>;
  const arrays = z.strictObject(Object.fromEntries(Object.entries(columns).map(([name, value]) => [name, z.array(value)])));
  const checked = arrays.safeParse(data);
  // The schema is built from `columns`, so what it accepts has the type QueryColumnArrays<C>.
  if (checked.success) return checked.data as QueryColumnArrays<C>;
  const [column, row, ...rest] = checked.error.issues[0]!.path;
  throw mismatch(sql, checked.error, typeof row === "number" ? `row ${row + 1}` : "the rows", column === undefined ? [] : [column, ...rest]);
}

/**
 * Whether a result whose columns are `names` passes zod's check of `columns` — the declared columns,
 * in the declared order (zod's output has its keys in that order), each of a type checked here as
 * zod checks it — when `every(name, check)` says each value of column `name` passes `check`. zod
 * builds a new object per row and checks each field through its schema: some 50 ms a publish of
 * rows that are nearly always right. Where this cannot tell (another type of column, a column
 * order or name not declared, a value refused) the caller runs zod, which gives the same rows or
 * the error naming the row and column.
 */
function passes(names: readonly string[], columns: QueryColumns, every: (name: string, check: (value: unknown) => boolean) => boolean): boolean {
  const declared = Object.keys(columns);
  if (names.length !== declared.length || names.some((name, i) => name !== declared[i])) return false;
  return declared.every((name) => {
    const check = valueCheck(columns[name]!);
    return check !== null && every(name, check);
  });
}

/** What zod accepts for a plain string, number (finite), boolean, an array or a nullable one of them; null for any other schema. */
function valueCheck(schema: z.core.$ZodType): ((value: unknown) => boolean) | null {
  const def = schema._zod.def as { type: string; checks?: unknown[]; innerType?: z.core.$ZodType };
  if ((def.checks?.length ?? 0) > 0) return null;
  if (def.type === "string") return (v) => typeof v === "string";
  if (def.type === "number") return (v) => typeof v === "number" && Number.isFinite(v);
  if (def.type === "boolean") return (v) => typeof v === "boolean";
  if (def.type === "array") {
    const element = valueCheck((def as unknown as { element: z.core.$ZodType }).element);
    return element && ((v) => Array.isArray(v) && v.every(element));
  }
  if (def.type !== "nullable" || !def.innerType) return null;
  const inner = valueCheck(def.innerType);
  return inner && ((v) => v === null || inner(v));
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
