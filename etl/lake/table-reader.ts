import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { sqlLiteral } from "../duckdb/connection.ts";
import { AGGREGATE_TABLES, aggregatesCurrent, staleAggregates } from "./aggregates.ts";
import { manifestFiles, readManifestText, type Manifest } from "./manifest.ts";
import { tableDir, tableGlob, tableScope } from "./table-paths.ts";
import type { ColumnType, LakeTable, StoredRow, TableColumns } from "./tables.ts";

/** A filter on a table's rows: SQL over its columns (and its partition key) with bound parameters. */
export interface RowFilter {
  sql: string;
  params?: Record<string, DuckDBValue>;
}

/**
 * The files of `table` that the lake's manifest lists (lake paths), sorted. Readers trust the
 * manifest, not a folder listing: a file a dead writer left behind is not read. A folder with no
 * manifest at all (a lake laid out by hand, such as a test fixture) is read as it is.
 */
export async function tableFiles(lakeDir: string, table: LakeTable): Promise<string[]> {
  const text = await readManifestText(lakeDir);
  const prefix = tableScope(table);
  if (text === null) {
    const dir = tableDir(lakeDir, table);
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isFile() && e.name.endsWith(".parquet"))
      .map(
        (e) =>
          `${prefix}${join(e.parentPath, e.name)
            .slice(dir.length + 1)
            .split("\\")
            .join("/")}`,
      )
      .sort();
  }
  if (listings?.text !== text) listings = { text, manifest: JSON.parse(text) as Manifest, files: new Map() };
  const { manifest, files } = listings;
  if (AGGREGATE_TABLES.includes(table)) {
    listings.aggregatesCurrent ??= aggregatesCurrent(manifest);
    if (!listings.aggregatesCurrent) requireCurrentAggregates(manifest, lakeDir);
  }
  let keys = files.get(table);
  if (!keys) {
    const listed = table.manifest === null ? manifestFiles(manifest) : Object.keys(manifest.tables[table.manifest] ?? {});
    files.set(table, (keys = [...listed].filter((key) => key.startsWith(prefix)).sort()));
  }
  return [...keys];
}

/**
 * The manifest text tableFiles last parsed, and what it derived from it: a run lists tables' files
 * some 30 times, mostly of an unchanged manifest (issue 19: 28 listings on the 1 M bench's 5-year lake
 * took 66–77 ms of CPU, decoding, parsing and checking the aggregates each time; 19–28 ms with this and
 * readManifestText). Keyed by the whole text, so any commit, by this process or another, is seen; the
 * lists are lake paths, the same for any folder with this text.
 */
let listings: { text: string; manifest: Manifest; aggregatesCurrent?: boolean; files: Map<LakeTable, string[]> } | undefined;

/**
 * `read_parquet(...)` over the files of `table` the manifest lists (see tableFiles), for SQL that
 * aggregates a table too large to read as rows. With no file listed it reads the table's glob, so
 * DuckDB's error says that no file matched, as a folder read would.
 */
export async function tableSource(lakeDir: string, table: LakeTable, options: { filename?: boolean } = {}): Promise<string> {
  const files = (await tableFiles(lakeDir, table)).map((key) => sqlLiteral(join(lakeDir, ...key.split("/"))));
  return `read_parquet(${files.length > 0 ? `[${files.join(", ")}]` : sqlLiteral(tableGlob(lakeDir, table))}, hive_partitioning = ${table.partition !== null}${options.filename ? ", filename = true" : ""})`;
}

/**
 * Aggregates that lag their incident partitions would count wrong without an error: a lake written
 * before them, or one an older version ingested into. Refused, naming the way to build them.
 */
function requireCurrentAggregates(manifest: Manifest, lakeDir: string): void {
  if (aggregatesCurrent(manifest)) return;
  const { build } = staleAggregates(manifest);
  throw new Error(
    `the lake at ${lakeDir} has ${build.length} incident partition(s) without current aggregates (${AGGREGATE_TABLES.map((t) => t.folder).join(", ")}; first ${build[0] ?? "none"}), ` +
      "as a lake written by an older version has: run `hotspots publish --no-build` (or `hotspots run --no-ingest`, or any ingest) on it once to build them from its incidents",
  );
}

/**
 * Reads rows of `table` from the files the manifest lists, each checked against the table's declared
 * column types (a file written by another version of the product is refused with the column named,
 * instead of passing wrong values on). No file: no rows. `where` may also use the partition key.
 */
export async function readTable<C extends TableColumns>(
  connection: DuckDBConnection,
  lakeDir: string,
  table: LakeTable<C>,
  options: { where?: RowFilter; orderBy?: readonly (keyof C & string)[] } = {},
): Promise<Array<StoredRow<C>>> {
  const files = await tableFiles(lakeDir, table);
  if (files.length === 0) return [];
  const names = Object.keys(table.columns);
  const paths = files.map((key) => sqlLiteral(join(lakeDir, ...key.split("/"))));
  const sql =
    `SELECT ${names.map((n) => `"${n}"`).join(", ")} FROM read_parquet([${paths.join(", ")}], hive_partitioning = ${table.partition !== null})` +
    (options.where ? ` WHERE ${options.where.sql}` : "") +
    (options.orderBy && options.orderBy.length > 0 ? ` ORDER BY ${options.orderBy.map((c) => `"${c}"`).join(", ")}` : "");
  let rows: Record<string, unknown>[];
  try {
    rows = (await connection.runAndReadAll(sql, options.where?.params ?? {})).getRowObjectsJS();
  } catch (error) {
    throw new Error(
      `cannot read lake table ${table.name} (${files.length} files under ${table.folder}/): ${(error as Error).message}; run the stage that writes it again`,
      { cause: error },
    );
  }
  rows.forEach((row, r) => {
    for (const name of names) checkValue(table, name, table.columns[name]!, row[name], r);
  });
  return rows as Array<StoredRow<C>>;
}

function checkValue(table: LakeTable, column: string, type: ColumnType, value: unknown, row: number): void {
  if (value === null) return;
  const ok =
    type === "VARCHAR"
      ? typeof value === "string"
      : type === "BOOLEAN"
        ? typeof value === "boolean"
        : type === "TIMESTAMPTZ"
          ? value instanceof Date
          : typeof value === "number";
  if (!ok) {
    throw new Error(
      `lake table ${table.name}, row ${row + 1}: column ${column} holds ${typeof value} ${JSON.stringify(String(value))} where ${type} is declared; the files were written by another version: run the stage that writes them again`,
    );
  }
}
