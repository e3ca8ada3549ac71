import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Manifest } from "./manifest.ts";
import { RAW_RETENTION } from "./retention.ts";
import { tableKey } from "./table-paths.ts";
import { TABLES } from "./tables.ts";

/** A listed quarantine file the retention rule has removed, and when its commit wrote it (ISO). */
export interface ExpiredFile {
  file: string;
  written: string;
}

const DAY_MS = 86_400_000;

/**
 * Which of the listed files that are missing (`missing`, lake paths) are quarantine files the
 * deployed lake's lifecycle rule removed: written RAW_RETENTION.expireAfterDays or more before `now`.
 * The manifest keeps no wall-clock time (the same inputs give a byte-identical manifest), so the time
 * is read from the files the same commit wrote beside the quarantine file — its export's incident
 * partitions and their aggregates, `<export>.parquet` under the month folders — as their newest
 * modification time (on a local lake the commit's rename; an S3 check's mirror gives each file its
 * object's LastModified). An export with none of them left (every row quarantined) cannot be dated:
 * its quarantine file stays missing, never guessed expired.
 */
export async function expiredQuarantine(
  lakeDir: string,
  manifest: Pick<Manifest, "tables" | "sources">,
  missing: readonly string[],
  now: Date,
): Promise<ExpiredFile[]> {
  const absent = new Set(missing);
  const expired: ExpiredFile[] = [];
  for (const source of Object.keys(manifest.sources)) {
    const file = tableKey(TABLES.quarantine, { name: source });
    if (!absent.has(file)) continue;
    const name = file.slice(file.lastIndexOf("/"));
    const siblings = Object.values(manifest.tables).flatMap((entries) => Object.keys(entries).filter((key) => key.endsWith(name) && !absent.has(key)));
    const times = await Promise.all(
      siblings.map((key) =>
        stat(join(lakeDir, ...key.split("/"))).then(
          (s) => s.mtimeMs,
          () => -Infinity,
        ),
      ),
    );
    const written = Math.max(-Infinity, ...times);
    if (Number.isFinite(written) && now.getTime() - written >= RAW_RETENTION.expireAfterDays * DAY_MS)
      expired.push({ file, written: new Date(written).toISOString() });
  }
  return expired.sort((a, b) => (a.file < b.file ? -1 : 1));
}
