import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sha256File } from "./atomic-file.ts";
import { LakeTransaction, recoverForWrite } from "./lake-commit.ts";
import { filesBelow } from "./lake-files.ts";
import { MANIFEST_FILE, manifestText, parseManifest, readManifest, readManifestText, type Manifest, type PartitionEntry } from "./manifest.ts";
import { tableDir, tableKey, type FileAt } from "./table-paths.ts";
import type { LakeTable, RowToWrite, TableColumns } from "./tables.ts";
import { writeTableRows } from "./write-table.ts";

/** What the manifest records with a file beyond its rows and checksum (hot spots: their fingerprints). */
export type EntryExtras = Pick<PartitionEntry, "input_sha256" | "parameters_sha256">;

/**
 * One commit of table files to a local lake, as every stage makes it: the lake is recovered first
 * (see recoverForWrite), each file is written under a temporary name and listed in the manifest under
 * its table with rows and SHA-256, and `commit` stages the manifest last and makes everything
 * visible at once (journal, renames, deletions: see LakeTransaction). Until then readers see the
 * lake as it was; `abandon` (or a crash) leaves it so.
 */
export class LakeWriter {
  private constructor(
    readonly lakeDir: string,
    /** The manifest being changed: stages may add their parameters before `commit`. */
    readonly manifest: Manifest,
    private readonly transaction: LakeTransaction,
    /** False for a lake that has no manifest and gets none from this commit (see openAsBuilt). */
    private readonly writesManifest = true,
  ) {}

  /** Opens a commit on the lake at `lakeDir`, built (or to be built) with this time zone and H3 resolution. */
  static async open(lakeDir: string, timeZone: string, resolution: number): Promise<LakeWriter> {
    await recoverForWrite(lakeDir);
    return new LakeWriter(lakeDir, await readManifest(lakeDir, timeZone, resolution), new LakeTransaction(lakeDir));
  }

  /**
   * Opens a commit on a lake with whatever time zone and resolution its manifest records, for
   * writers that add to a built lake without settings of their own (the evaluation tables). A
   * folder with no manifest (a lake laid out by hand, e.g. a test fixture) gets its files committed
   * through the journal but no manifest: there is no time zone or resolution to record.
   */
  static async openAsBuilt(lakeDir: string): Promise<LakeWriter> {
    await recoverForWrite(lakeDir);
    const text = await readManifestText(lakeDir);
    if (text === null)
      return new LakeWriter(lakeDir, { format: 1, timezone: "", h3_resolution: -1, tables: {}, sources: {} }, new LakeTransaction(lakeDir), false);
    const { timezone, h3_resolution } = parseManifest(text, join(lakeDir, MANIFEST_FILE));
    return new LakeWriter(lakeDir, await readManifest(lakeDir, timezone, h3_resolution), new LakeTransaction(lakeDir));
  }

  /**
   * Writes `rows` as the file `at` of `table` (see writeTableRows) and lists it in the manifest. The
   * entry's month is the file's month partition ("" for other tables); its source is the source or
   * category that names the file, or the evaluation or project of its partition.
   */
  async write<C extends TableColumns>(
    connection: DuckDBConnection,
    table: LakeTable<C>,
    at: FileAt,
    rows: Iterable<RowToWrite<C>>,
    orderBy?: readonly (keyof C & string)[],
  ): Promise<{ key: string; rows: number }> {
    return this.writeFile(table, at, (path) => writeTableRows(connection, path, table, rows, orderBy));
  }

  /** Like `write` for a table with its own writer: `write(path)` fills the staged file and returns its rows. */
  async writeFile(table: LakeTable, at: FileAt, write: (path: string) => Promise<number>, extras: EntryExtras = {}): Promise<{ key: string; rows: number }> {
    if (table.manifest === null) throw new Error(`table ${table.name} is not listed under manifest.tables: its writer records it`);
    const key = tableKey(table, at);
    const path = await this.transaction.stage(key);
    const rows = await write(path);
    const entries = (this.manifest.tables[table.manifest] ??= {});
    const month = table.partition === "month" ? at.partition! : "";
    const source = table.partition === "month" || table.partition === null ? at.name : at.partition;
    entries[key] = { month, ...(source === undefined ? {} : { source }), rows, sha256: await sha256File(path), ...extras };
    return { key, rows };
  }

  /** Removes the file `key` (a lake path) with the commit, and its manifest entry. */
  remove(key: string): void {
    for (const entries of Object.values(this.manifest.tables)) delete entries[key];
    this.transaction.remove(key);
  }

  /** Removes every file of `table` that this commit has not written, with their manifest entries; `keep` spares some. */
  async removeOthers(table: LakeTable, keep: (key: string) => boolean = () => false): Promise<string[]> {
    const staged = new Set(this.transaction.stagedKeys());
    const removed: string[] = [];
    const listed = table.manifest === null ? [] : Object.keys(this.manifest.tables[table.manifest] ?? {}).filter((key) => key.startsWith(`${table.folder}/`));
    const present = filesUnder(this.lakeDir, table);
    for (const key of new Set([...listed, ...present])) {
      if (staged.has(key) || keep(key)) continue;
      this.remove(key);
      removed.push(key);
    }
    return removed.sort();
  }

  /** Stages the manifest last and makes the commit visible. */
  async commit(): Promise<void> {
    try {
      if (this.writesManifest) await writeFile(await this.transaction.stage(MANIFEST_FILE), manifestText(this.manifest));
    } catch (error) {
      await this.abandon();
      throw error;
    }
    await this.transaction.commitChanges();
  }

  /** Removes the staged files; the lake stays as it was. */
  async abandon(): Promise<void> {
    await this.transaction.abandon();
  }
}

/**
 * Runs `fn` with a LakeWriter on the lake and commits what it wrote; when `fn` throws, nothing is
 * committed and the staged files are removed. `commitIf`, asked after `fn` returns, can leave the
 * lake untouched (the writer abandoned) when nothing needs committing.
 */
export async function withLakeWriter<T>(
  lake: { lakeDir: string; timeZone: string; resolution: number },
  fn: (writer: LakeWriter) => Promise<T>,
  commitIf: () => boolean = () => true,
): Promise<T> {
  const writer = await LakeWriter.open(lake.lakeDir, lake.timeZone, lake.resolution);
  let result: T;
  try {
    result = await fn(writer);
  } catch (error) {
    await writer.abandon();
    throw error;
  }
  if (commitIf()) await writer.commit();
  else await writer.abandon();
  return result;
}

/** The Parquet files in `table`'s folder (lake keys), whether the manifest lists them or not. */
function filesUnder(lakeDir: string, table: LakeTable): string[] {
  let files: string[];
  try {
    files = filesBelow(tableDir(lakeDir, table)) ?? [];
  } catch {
    files = []; // as a table with no folder: nothing to remove
  }
  return files.filter((file) => file.endsWith(".parquet")).map((file) => `${table.folder}/${file}`);
}
