import type { DuckDBAppender, DuckDBConnection } from "@duckdb/node-api";
import { sqlLiteral } from "../duckdb/connection.ts";
import type { ColumnType, LakeTable, RowToWrite, TableColumns } from "./tables.ts";

export type { ColumnType, TableColumns } from "./tables.ts";

/** Any table's row by column name (CSV exports of the same rows take this). */
export type TableRow = Readonly<Record<string, string | number | boolean | Date | null | undefined>>;

type Cell = string | number | boolean | Date | null;

/**
 * Writes `rows` (objects keyed by column name) to one Parquet file of `table`'s columns at `path` —
 * a file staged by a LakeTransaction (see table-writer.ts) — ordered by `orderBy` (or in the order
 * given) so the same rows give the same bytes. A missing value, null or a non-finite number becomes
 * SQL NULL; a key that is not a column of the table is refused (a misspelt column would otherwise be
 * written as NULL). Returns the number of rows.
 */
export async function writeTableRows<C extends TableColumns>(
  connection: DuckDBConnection,
  path: string,
  table: LakeTable<C>,
  rows: Iterable<RowToWrite<C>>,
  orderBy?: readonly (keyof C & string)[],
  constant: readonly (keyof C & string)[] = [],
): Promise<number> {
  const names = Object.keys(table.columns);
  const known = new Set(names);
  const list = constant.length > 0 && !Array.isArray(rows) ? [...rows] : rows;
  const fixed = constantColumns(table, constant, list as readonly RowToWrite<C>[]);
  const staged = names.filter((name) => !fixed.has(name));
  const types = staged.map((name) => table.columns[name]!);
  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_table (${staged.map((name) => `"${name}" ${table.columns[name]}`).join(", ")})`);
  const appender = await connection.createAppender("stage_table");
  let count = 0;
  try {
    for (const row of list) {
      for (const key in row) if (!known.has(key)) throw new Error(`table ${table.name} has no column '${key}' (its columns: ${names.join(", ")})`);
      for (const [name, { value }] of fixed)
        if (!Object.is(cellOf((row as TableRow)[name]), value)) throw new Error(`column '${name}' of table ${table.name} is not the same in every row`);
      for (let k = 0; k < staged.length; k++) append(appender, types[k]!, (row as TableRow)[staged[k]!]);
      appender.endRow();
      count++;
    }
  } finally {
    appender.closeSync();
  }
  const order = orderBy && orderBy.length > 0 ? ` ORDER BY ${orderBy.map((c) => `"${c}"`).join(", ")}` : "";
  const select = names.map((name) => (fixed.has(name) ? `${fixed.get(name)!.sql} AS "${name}"` : `"${name}"`)).join(", ");
  await connection.run(`COPY (SELECT ${select} FROM stage_table${order}) TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`);
  return count;
}

/** A value as the appender takes it: a missing value or a non-finite number is NULL. */
function cellOf(value: TableRow[string]): Cell {
  return value === undefined || (typeof value === "number" && !Number.isFinite(value)) ? null : value;
}

/**
 * The columns of `constant` whose value (the first row's; every row is checked against it while
 * appending) is written as an SQL literal in the COPY instead of appended row by row: the same
 * values, so the same file, at a fraction of the appends (an emerging file's parameters are 9 of
 * its 17 columns). A value whose literal might not read back as the appender writes it (a
 * fraction in an integer column, −0) is appended as before; so is the last column when all are constant.
 */
function constantColumns<C extends TableColumns>(
  table: LakeTable<C>,
  constant: readonly string[],
  rows: readonly RowToWrite<C>[],
): Map<string, { value: Cell; sql: string }> {
  const fixed = new Map<string, { value: Cell; sql: string }>();
  const first = rows[0] as TableRow | undefined;
  if (first === undefined) return fixed;
  for (const name of constant) {
    const type = table.columns[name];
    if (type === undefined) continue; // refused as an unknown column when the rows are appended
    const value = cellOf(first[name]);
    const sql = literalOf(type, value);
    if (sql !== null) fixed.set(name, { value, sql });
  }
  if (fixed.size === Object.keys(table.columns).length) fixed.delete(Object.keys(table.columns).at(-1)!);
  return fixed;
}

/** `value` as a literal of `type` that DuckDB reads back as the appender would write it, or null where that is not certain. */
function literalOf(type: ColumnType, value: Cell): string | null {
  if (value === null) return `NULL::${type}`;
  switch (type) {
    case "VARCHAR":
      return String(value).includes("\0") ? null : `${sqlLiteral(String(value))}::VARCHAR`;
    case "INTEGER":
    case "TINYINT": {
      const n = Number(value);
      const limit = type === "TINYINT" ? 2 ** 7 : 2 ** 31;
      return Number.isInteger(n) && n >= -limit && n < limit && !Object.is(n, -0) ? `CAST(${n} AS ${type})` : null;
    }
    case "DOUBLE": {
      // The shortest decimal that reads back as this double (correctly rounded by DuckDB's parser too).
      const n = Number(value);
      return Number.isFinite(n) && !Object.is(n, -0) ? `CAST('${String(n)}' AS DOUBLE)` : null;
    }
    case "BOOLEAN":
      return value ? "true" : "false";
    case "TIMESTAMPTZ":
      return null;
  }
}

function append(appender: DuckDBAppender, type: ColumnType, value: TableRow[string]): void {
  const cell = cellOf(value);
  if (cell === null) return appender.appendNull();
  switch (type) {
    case "VARCHAR":
      return appender.appendVarchar(String(cell));
    case "INTEGER":
      return appender.appendInteger(Number(cell));
    case "TINYINT":
      return appender.appendTinyInt(Number(cell));
    case "DOUBLE":
      return appender.appendDouble(Number(cell));
    case "BOOLEAN":
      return appender.appendBoolean(Boolean(cell));
    case "TIMESTAMPTZ":
      throw new Error("TIMESTAMPTZ columns are written by the incident writer (write-incidents.ts), not from row objects");
  }
}
