import type { DuckDBAppender, DuckDBConnection } from "@duckdb/node-api";
import { sha256File } from "./atomic-file.ts";
import { replaceAtomically } from "./atomic-file.ts";
import { lakeKey } from "./lake-layout.ts";
import type { Manifest } from "./manifest.ts";
import { sqlLiteral } from "../duckdb/connection.ts";

/** Column types the analytics tables use. */
export type ColumnType = "VARCHAR" | "INTEGER" | "DOUBLE" | "TINYINT" | "BOOLEAN";
export type Cell = string | number | boolean | null;
export interface Column {
  name: string;
  type: ColumnType;
}

/**
 * Writes rows to one Parquet file atomically (temporary file + rename), ordered by `orderBy` (or in
 * the order given) so the same rows give the same bytes. NaN and null become SQL NULL. Returns the
 * number of rows.
 */
export async function writeParquetTable(connection: DuckDBConnection, path: string, columns: readonly Column[], rows: Iterable<readonly Cell[]>, orderBy?: string): Promise<number> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_table (${columns.map((c) => `"${c.name}" ${c.type}`).join(", ")})`);
  const appender = await connection.createAppender("stage_table");
  let count = 0;
  for (const row of rows) {
    if (row.length !== columns.length) throw new RangeError(`a row has ${row.length} values for ${columns.length} columns`);
    columns.forEach((column, i) => append(appender, column.type, row[i]!));
    appender.endRow();
    count++;
  }
  appender.closeSync();
  await replaceAtomically(path, (temporary) =>
    connection.run(`COPY (SELECT * FROM stage_table${orderBy ? ` ORDER BY ${orderBy}` : ""}) TO ${sqlLiteral(temporary)} (FORMAT parquet, COMPRESSION zstd)`),
  );
  return count;
}

/** A table schema as column name → type, in column order (names come from code, never from input). */
export type TableColumns = Readonly<Record<string, ColumnType>>;
/** A row by column name; a missing value, null or a non-finite number is written as NULL. */
export type TableRow = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** writeParquetTable for rows keyed by column name. */
export async function writeRecordTable(connection: DuckDBConnection, path: string, columns: TableColumns, rows: readonly TableRow[], orderBy?: string): Promise<number> {
  const names = Object.keys(columns);
  for (const name of names) if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`invalid column name ${name}`);
  const asCells = rows.map((row) => names.map((name) => finiteOrNull(row[name])));
  return writeParquetTable(connection, path, names.map((name) => ({ name, type: columns[name]! })), asCells, orderBy);
}

const finiteOrNull = (v: TableRow[string]): Cell => (v === undefined || (typeof v === "number" && !Number.isFinite(v)) ? null : v);

function append(appender: DuckDBAppender, type: ColumnType, value: Cell): void {
  if (value === null || (typeof value === "number" && Number.isNaN(value))) return appender.appendNull();
  switch (type) {
    case "VARCHAR":
      return appender.appendVarchar(String(value));
    case "INTEGER":
      return appender.appendInteger(Number(value));
    case "TINYINT":
      return appender.appendTinyInt(Number(value));
    case "DOUBLE":
      return appender.appendDouble(Number(value));
    case "BOOLEAN":
      return appender.appendBoolean(Boolean(value));
  }
}

/** Records a written partition file in the manifest under `table`, with its row count and checksum. */
export async function recordPartition(manifest: Manifest, table: string, lakeDir: string, path: string, month: string, rows: number, source: string): Promise<void> {
  const entries = (manifest.tables[table] ??= {});
  entries[lakeKey(lakeDir, path)] = { month, source, rows, sha256: await sha256File(path) };
}
