import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlLiteral, withConnection } from "../duckdb/connection.ts";
import { sha256File } from "./atomic-file.ts";
import { COMMIT_JOURNAL } from "./lake-commit.ts";
import { filesBelow } from "./lake-files.ts";
import { LOCK_FILE } from "./lake-lock.ts";
import { MANIFEST_FILE, manifestFiles, parseManifest, type Manifest } from "./manifest.ts";
import { expiredQuarantine, type ExpiredFile } from "./quarantine-expiry.ts";
import { MANIFEST_FOLDERS, tableKey } from "./table-paths.ts";
import { TABLES } from "./tables.ts";

/** What `checkLake` found; `ok` when the lake is exactly what its manifest says. */
export interface LakeCheck {
  ok: boolean;
  /** Files the manifest lists. */
  files: number;
  /** Rows the manifest records per table (quarantine: per source report), as a reader of this commit sees them when `ok`. */
  rows: Record<string, number>;
  /** Listed files that are not there (expired quarantine files aside). */
  missing: string[];
  /** Listed quarantine files the retention rule removed (see expiredQuarantine): as intended, no damage. */
  expired: ExpiredFile[];
  /** Listed files whose bytes are not the ones recorded. */
  checksum_mismatches: Array<{ file: string; recorded: string; found: string }>;
  /** Listed files with another number of rows than recorded. */
  row_mismatches: Array<{ file: string; recorded: number; found: number }>;
  /** Parquet files in a table's folder that the manifest does not list (no reader sees them). */
  strays: string[];
  /** Temporary files of a commit that never happened, and whether a commit journal is waiting. */
  temporary: string[];
  journal: boolean;
}

/**
 * Checks a local lake against its manifest: every listed file exists with the recorded SHA-256 and
 * number of rows (the quarantine file of each source with its rows_quarantined), no Parquet file in a
 * table's folder is unlisted, and no commit was left half-done (journal, temporary files; the next
 * write would complete or remove them: see recoverLake). A missing quarantine file written longer ago
 * than the retention (as of `now`) is reported as expired, not missing. Reads every listed file once;
 * changes nothing.
 */
export async function checkLake(lakeDir: string, now: Date = new Date()): Promise<LakeCheck> {
  let text: string;
  try {
    text = await readFile(join(lakeDir, MANIFEST_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new Error(`${lakeDir} has no ${MANIFEST_FILE}: it is not a lake (run ingest first, or give --lake)`, { cause: error });
    throw error;
  }
  // A damaged manifest is refused naming the file and the safe way out, not with a bare JSON error.
  const manifest: Manifest = parseManifest(text, join(lakeDir, MANIFEST_FILE));
  const expected = new Map<string, { sha256?: string; rows: number }>();
  const rows: Record<string, number> = {};
  for (const [table, entries] of Object.entries(manifest.tables))
    for (const [file, entry] of Object.entries(entries)) {
      expected.set(file, { sha256: entry.sha256, rows: entry.rows });
      rows[table] = (rows[table] ?? 0) + entry.rows;
    }
  for (const [source, report] of Object.entries(manifest.sources)) {
    expected.set(tableKey(TABLES.quarantine, { name: source }), { rows: report.rows_quarantined });
    rows.quarantine = (rows.quarantine ?? 0) + report.rows_quarantined;
  }

  const check: LakeCheck = {
    ok: false,
    files: expected.size,
    rows,
    missing: [],
    expired: [],
    checksum_mismatches: [],
    row_mismatches: [],
    strays: [],
    temporary: [],
    journal: false,
  };
  await withConnection(async (connection) => {
    for (const [file, recorded] of [...expected].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const path = join(lakeDir, ...file.split("/"));
      if (!(await exists(path))) {
        check.missing.push(file);
        continue;
      }
      if (recorded.sha256 !== undefined) {
        const found = await sha256File(path);
        if (found !== recorded.sha256) check.checksum_mismatches.push({ file, recorded: recorded.sha256, found });
      }
      const rows = await parquetRows(connection, path).catch(() => -1);
      if (rows !== recorded.rows) check.row_mismatches.push({ file, recorded: recorded.rows, found: rows });
    }
  });
  for (const file of filesUnder(lakeDir)) {
    // The lock's staging files (lake-lock.ts: a command waiting for the lock writes one at each try)
    // are no commit's debris: counted, a check holding the lock failed whenever another command waited.
    if (file.startsWith(`${LOCK_FILE}.`)) continue;
    if (file.endsWith(".tmp")) check.temporary.push(file);
    else if (file.endsWith(".parquet") && MANIFEST_FOLDERS.some((folder) => file.startsWith(folder)) && !expected.has(file)) check.strays.push(file);
  }
  check.expired = await expiredQuarantine(lakeDir, manifest, check.missing, now);
  const expired = new Set(check.expired.map((e) => e.file));
  check.missing = check.missing.filter((file) => !expired.has(file));
  check.journal = await exists(join(lakeDir, COMMIT_JOURNAL));
  check.ok =
    check.missing.length + check.checksum_mismatches.length + check.row_mismatches.length + check.strays.length + check.temporary.length === 0 &&
    !check.journal;
  return check;
}

/**
 * The files the lake's manifest lists that are not there (a partition deleted by hand, a restore
 * that missed some), sorted, expired quarantine files aside (as checkLake); none for a folder
 * without a manifest. Only their existence: cheap enough for every command to ask before it reads
 * (checkLake also compares bytes and rows).
 */
export async function missingListedFiles(lakeDir: string, now: Date = new Date()): Promise<string[]> {
  const file = join(lakeDir, MANIFEST_FILE);
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (text === null) return [];
  const manifest = parseManifest(text, file);
  const listed = [...manifestFiles(manifest)].sort();
  const present = await Promise.all(listed.map((key) => exists(join(lakeDir, ...key.split("/")))));
  const missing = listed.filter((_, i) => !present[i]);
  if (missing.length === 0) return missing;
  const expired = new Set((await expiredQuarantine(lakeDir, manifest, missing, now)).map((e) => e.file));
  return missing.filter((key) => !expired.has(key));
}

/** The number of rows a Parquet file's footer records (-1 when it is not a Parquet file). */
async function parquetRows(connection: DuckDBConnection, path: string): Promise<number> {
  const rows = (await connection.runAndReadAll(`SELECT num_rows FROM parquet_file_metadata(${sqlLiteral(path)})`)).getRows();
  return Number(rows[0]?.[0] ?? -1);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Every file under the lake, as lake paths with forward slashes, sorted. */
function filesUnder(lakeDir: string): string[] {
  return (filesBelow(lakeDir) ?? []).sort(); // the manifest was read from it: a missing folder is one removed meanwhile
}
