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
): Promise<number> {
  const names = Object.keys(table.columns);
  const known = new Set(names);
  const types = names.map((name) => table.columns[name]!);
  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_table (${names.map((name) => `"${name}" ${table.columns[name]}`).join(", ")})`);
  const appender = await connection.createAppender("stage_table");
  let count = 0;
  try {
    for (const row of rows) {
      // for…in and indices, not Object.keys and a lookup per value: no array per row (this loop is most of writing an analytics file).
      for (const key in row) if (!known.has(key)) throw new Error(`table ${table.name} has no column '${key}' (its columns: ${names.join(", ")})`);
      for (let k = 0; k < names.length; k++) append(appender, types[k]!, (row as TableRow)[names[k]!]);
      appender.endRow();
      count++;
    }
  } finally {
    appender.closeSync();
  }
  const order = orderBy && orderBy.length > 0 ? ` ORDER BY ${orderBy.map((c) => `"${c}"`).join(", ")}` : "";
  await connection.run(`COPY (SELECT * FROM stage_table${order}) TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`);
  return count;
}

function append(appender: DuckDBAppender, type: ColumnType, value: TableRow[string]): void {
  const cell: Cell = value === undefined || (typeof value === "number" && !Number.isFinite(value)) ? null : value;
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
