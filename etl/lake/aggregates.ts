import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlLiteral, withConnection } from "../duckdb/connection.ts";
import { TIME_OF_DAY_PRECISIONS_SQL } from "../ingest/parse-time.ts";
import { sha256File } from "./atomic-file.ts";
import { LakeTransaction, recoverLake } from "./lake-commit.ts";
import { MANIFEST_FILE, manifestText, parseManifest, readManifest, readManifestText, type Manifest } from "./manifest.ts";
import { tableKey } from "./table-paths.ts";
import { TABLES, type LakeTable } from "./tables.ts";

/**
 * The aggregates beside the incidents: for every incident partition (`incidents/month=M/<export>.parquet`)
 * one file of each aggregate table with the same month and export name (`cell_counts/month=M/<export>.parquet`,
 * `day_counts/…`), counted from that partition alone. So an ingest that replaces a partition replaces
 * its aggregates in the same commit, a correction that drops a month drops them too, and the sum over
 * an aggregate's files is the count over the incidents, whatever exports overlap.
 *
 * Each aggregate's manifest entry records the SHA-256 of the incident partition it was counted from
 * (`input_sha256`): an aggregate is current exactly when that is the partition's SHA-256 now. A lake
 * written before the aggregates existed has none; `ensureAggregates` builds them once.
 *
 * The local day and hour are those of the lake's time zone (`manifest.timezone`), the zone its
 * months are cut in. Cells are the stored ones (`manifest.h3_resolution`): an analysis at another
 * resolution reads the incidents' coordinates instead (see analytics/lake-counts.ts).
 */
export const AGGREGATE_TABLES: readonly LakeTable[] = [TABLES.cell_counts, TABLES.day_counts];

/** The SELECT of each aggregate over one incident partition file (`$tz`: the lake's time zone). */
const AGGREGATE_SQL: Record<string, (file: string) => string> = {
  [TABLES.cell_counts.name]: (file) =>
    `SELECT h3_cell, offence_category, case_type, municipality, count(*)::INTEGER AS incidents
       FROM read_parquet(${sqlLiteral(file)})
      GROUP BY ALL ORDER BY ALL`,
  // The hour only where the time of day is known (to the minute, or to the hour of an hour column): a date-only row is not an incident at midnight.
  [TABLES.day_counts.name]: (file) =>
    `SELECT strftime(timezone($tz, occurred_at), '%Y-%m-%d') AS day,
            CASE WHEN time_precision IN (${TIME_OF_DAY_PRECISIONS_SQL}) THEN hour(timezone($tz, occurred_at)) END::TINYINT AS hour,
            time_precision, municipality, locality, h3_cell, offence_code, offence_category, case_type, source,
            count(*)::INTEGER AS incidents
       FROM read_parquet(${sqlLiteral(file)})
      GROUP BY ALL ORDER BY ALL`,
};

/** The key of `table`'s aggregate of the incident partition `incidentKey` (same month, same export name). */
export function aggregateKey(table: LakeTable, incidentKey: string): string {
  const prefix = `${TABLES.incidents.folder}/month=`;
  const [month, file, ...rest] = incidentKey.startsWith(prefix) ? incidentKey.slice(prefix.length).split("/") : [];
  if (month === undefined || file === undefined || rest.length > 0 || !file.endsWith(".parquet"))
    throw new Error(`'${incidentKey}' is not an incident partition (${prefix}YYYY-MM/<export>.parquet)`);
  return tableKey(table, { partition: month, name: file.slice(0, -".parquet".length) });
}

/** The incident partitions whose aggregates are missing or were counted from other bytes, and the aggregates of partitions gone. */
export function staleAggregates(manifest: Manifest): { build: string[]; orphans: Array<{ table: LakeTable; key: string }> } {
  const incidents = manifest.tables[TABLES.incidents.manifest!] ?? {};
  const build = Object.entries(incidents)
    .filter(([key, entry]) => AGGREGATE_TABLES.some((t) => manifest.tables[t.manifest!]?.[aggregateKey(t, key)]?.input_sha256 !== entry.sha256))
    .map(([key]) => key)
    .sort();
  const wanted = new Set(Object.keys(incidents).flatMap((key) => AGGREGATE_TABLES.map((t) => aggregateKey(t, key))));
  const orphans = AGGREGATE_TABLES.flatMap((table) =>
    Object.keys(manifest.tables[table.manifest!] ?? {})
      .filter((key) => !wanted.has(key))
      .map((key) => ({ table, key })),
  );
  return { build, orphans };
}

/** True when every incident partition has current aggregates and no aggregate outlives its partition. */
export function aggregatesCurrent(manifest: Manifest): boolean {
  const { build, orphans } = staleAggregates(manifest);
  return build.length === 0 && orphans.length === 0;
}

/**
 * Brings the aggregates of `manifest` in line with its incident partitions inside an open commit:
 * counts each partition whose aggregates are not current (from `staged`'s temporary file when this
 * commit writes it, else from the lake), stages the files and lists them; removes the aggregates of
 * partitions the manifest no longer lists. Call after the incident entries are final, before the
 * manifest is staged. Returns the number of partitions counted and of files removed.
 */
export async function stageAggregates(
  connection: DuckDBConnection,
  lakeDir: string,
  manifest: Manifest,
  transaction: LakeTransaction,
  staged: ReadonlyMap<string, string> = new Map(),
): Promise<{ counted: number; removed: number }> {
  const { build, orphans } = staleAggregates(manifest);
  for (const incidentKey of build) {
    await stagePartitionAggregates(connection, manifest, transaction, incidentKey, staged.get(incidentKey) ?? join(lakeDir, ...incidentKey.split("/")));
  }
  for (const { table, key } of orphans) {
    transaction.remove(key);
    delete manifest.tables[table.manifest!]![key];
  }
  return { counted: build.length, removed: orphans.length };
}

/**
 * Counts every aggregate of one incident partition (its manifest entry final; `from`: its file) and
 * stages the files with their manifest entries, inside an open commit. The ingest calls it as each
 * partition is written, so that the two stage databases count at the same time.
 */
export async function stagePartitionAggregates(
  connection: DuckDBConnection,
  manifest: Manifest,
  transaction: LakeTransaction,
  incidentKey: string,
  from: string,
): Promise<void> {
  const entry = manifest.tables[TABLES.incidents.manifest!]![incidentKey]!;
  for (const table of AGGREGATE_TABLES) {
    const key = aggregateKey(table, incidentKey);
    const path = await transaction.stage(key);
    const rows = await writeAggregate(connection, table, from, path, manifest.timezone);
    (manifest.tables[table.manifest!] ??= {})[key] = {
      month: entry.month,
      ...(entry.source === undefined ? {} : { source: entry.source }),
      rows,
      sha256: await sha256File(path),
      input_sha256: entry.sha256,
    };
  }
}

/** Writes `table`'s aggregate of the incident partition file `from` to `path` (days and hours in `timeZone`); returns its rows. */
export async function writeAggregate(connection: DuckDBConnection, table: LakeTable, from: string, path: string, timeZone: string): Promise<number> {
  const select = AGGREGATE_SQL[table.name];
  if (!select) throw new Error(`${table.name} is not an aggregate table (${AGGREGATE_TABLES.map((t) => t.name).join(", ")})`);
  const sql = select(from);
  // COPY reports the rows it wrote: no second query opens the file to count them.
  const copied = await connection.run(`COPY (${sql}) TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`, sql.includes("$tz") ? { tz: timeZone } : {});
  return copied.rowsChanged;
}

/** The time zone the lake's aggregates count days and hours in (its manifest's), or null for a lake without a manifest. */
export async function aggregateTimeZone(lakeDir: string): Promise<string | null> {
  return (await readLakeManifest(lakeDir))?.timezone ?? null;
}

/**
 * Builds the aggregates a lake lacks — one written before they existed, or one whose aggregates an
 * older writer left behind its incidents — in one commit through the journal like any other (see
 * LakeTransaction): a crash leaves the lake as it was or completes. Does nothing (writes nothing)
 * when they are current or the lake has no manifest, so calling it before every reading stage is cheap.
 * Needs the incident partitions it counts: on a partial mirror of a remote lake, mirror `incidents/` too.
 */
export async function ensureAggregates(lakeDir: string): Promise<{ counted: number; removed: number }> {
  const current = await readLakeManifest(lakeDir);
  if (current === null || aggregatesCurrent(current)) return { counted: 0, removed: 0 };
  await recoverLake(lakeDir);
  const manifest = await readManifest(lakeDir, current.timezone, current.h3_resolution);
  const transaction = new LakeTransaction(lakeDir);
  let result: { counted: number; removed: number };
  try {
    result = await withConnection((connection) => stageAggregates(connection, lakeDir, manifest, transaction));
    await writeFile(await transaction.stage(MANIFEST_FILE), manifestText(manifest));
  } catch (error) {
    await transaction.abandon();
    throw error;
  }
  await transaction.commitChanges();
  return result;
}

/** The lake's manifest, or null when it has none. */
async function readLakeManifest(lakeDir: string): Promise<Manifest | null> {
  const text = await readManifestText(lakeDir);
  return text === null ? null : parseManifest(text, join(lakeDir, MANIFEST_FILE));
}
