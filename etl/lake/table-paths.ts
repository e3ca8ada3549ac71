import { join } from "node:path";
import { ALL_TABLES, type LakeTable } from "./tables.ts";

/** Which file of a table: the partition value (month or id) and the source or category naming the file. */
export interface FileAt {
  partition?: string;
  name?: string;
}

/**
 * The path of one file of `table` relative to the lake root, with forward slashes (the manifest key,
 * the S3 key under the lake). Partition values and file names are checked, so nothing from an input
 * file or a command line can leave the table's folder.
 */
export function tableKey(table: LakeTable, at: FileAt = {}): string {
  const parts = [table.folder];
  if (table.partition !== null) {
    if (at.partition === undefined) throw new Error(`table ${table.name} is partitioned by ${table.partition}: say which ${table.partition}`);
    parts.push(`${table.partition}=${table.partition === "month" ? checkMonth(at.partition) : checkId(at.partition)}`);
  }
  if (table.file === "per-source" || table.file === "per-category") {
    if (at.name === undefined) throw new Error(`table ${table.name} has one file per ${table.file === "per-source" ? "source" : "category"}: say which`);
    parts.push(`${safeName(at.name)}.parquet`);
  } else {
    parts.push(table.file);
  }
  return parts.join("/");
}

/** The local path of one file of `table` in the lake at `lakeDir`. */
export function tablePath(lakeDir: string, table: LakeTable, at: FileAt = {}): string {
  return join(lakeDir, ...tableKey(table, at).split("/"));
}

/** The local folder of `table` in the lake at `lakeDir`. */
export function tableDir(lakeDir: string, table: LakeTable): string {
  return join(lakeDir, ...table.folder.split("/"));
}

/** Glob over every Parquet file of `table`, for read_parquet(..., hive_partitioning = true). */
export function tableGlob(lakeDir: string, table: LakeTable): string {
  return join(tableDir(lakeDir, table), ...(table.partition === null ? ["*.parquet"] : ["*", "*.parquet"]));
}

/** The scope entry of a table: its folder with a trailing slash (everything under it). */
export function tableScope(table: LakeTable): string {
  return `${table.folder}/`;
}

/**
 * The folders whose every file the manifest accounts for (see manifestFiles): the folder of every
 * table. A file in one of them that the manifest does not list belongs to no commit.
 */
export const MANIFEST_FOLDERS: readonly string[] = ALL_TABLES.map(tableScope);

/** The table whose folder holds `key` (a lake path), if any. */
export function tableOfKey(key: string): LakeTable | undefined {
  return ALL_TABLES.find((t) => key.startsWith(tableScope(t)));
}

/** A category or source as a file name: letters, digits, '_' and '-' only. */
export function safeName(category: string): string {
  if (!/^[\p{L}\p{N}_-]+$/u.test(category)) throw new Error(`'${category}' cannot be used as a file name in the lake`);
  return category;
}

/**
 * An evaluation or project id as a partition value: a lower-case letter, then letters, digits, "-"
 * and "_" — a safe folder name that reads back unchanged from the Hive path (a leading digit would
 * make DuckDB read the partition value as a number).
 */
export function checkId(id: string): string {
  if (!/^[a-z][a-z0-9_-]{0,79}$/.test(id))
    throw new Error(`'${id}' is not a valid id: start with a lower-case letter, then letters, digits, '-' and '_' (at most 80)`);
  return id;
}

function checkMonth(month: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`'${month}' is not a month: write YYYY-MM`);
  return month;
}
