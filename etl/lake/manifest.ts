import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import type { QualityReport } from "../ingest/quality-report.ts";
import type { RecordedConfig } from "../settings.ts";
import { writeTextAtomically } from "./atomic-file.ts";
import { tableKey } from "./table-paths.ts";
import { TABLES } from "./tables.ts";

/** One Parquet file of a lake table. */
export interface PartitionEntry {
  month: string;
  source?: string;
  rows: number;
  sha256: string;
  /** Derived tables (hot spots): SHA-256 over the incident partitions (keys and checksums) the file was computed from. */
  input_sha256?: string;
  /** Derived tables (hot spots): SHA-256 of the parameters the file was computed with (see hot-spot-freshness.ts). */
  parameters_sha256?: string;
}

/**
 * The lake's manifest (`manifest.json` at its root): the parameters the lake was built with, every
 * partition file with its row count and checksum, and every source file with its row accounting.
 * It holds no wall-clock time, so the same inputs give a byte-identical manifest.
 */
export interface Manifest {
  format: 1;
  timezone: string;
  /** The resolution of the stored incident cells (`h3_cell`), set by the lake's first ingest; analyses may use any (readLakeCounts). */
  h3_resolution: number;
  tables: Record<string, Record<string, PartitionEntry>>;
  /** Data-quality report of the latest ingest of each input file, by file name. */
  sources: Record<string, QualityReport>;
  /** Parameters of the derived tables (hot spots: k, study area, statistic, FDR method). */
  parameters?: Record<string, Record<string, unknown>>;
  /** The project configuration the lake was built with (written by ingest), so later commands need no repeated flags. */
  config?: RecordedConfig;
}

export const MANIFEST_FILE = "manifest.json";

/**
 * Reads the manifest of a lake, or returns a new empty one when the lake does not exist yet; a new
 * lake stores its incidents' cells at `resolution`. An existing lake keeps the resolution it was
 * indexed at (`h3_resolution`): analyses at another resolution index the stored coordinates afresh
 * (see readLakeCounts), so a different `resolution` is no conflict. A different time zone is: the
 * lake's months are cut in its own.
 */
export async function readManifest(lakeDir: string, timezone: string, resolution: number): Promise<Manifest> {
  const text = await readManifestText(lakeDir);
  if (text === null) return { format: 1, timezone, h3_resolution: resolution, tables: {}, sources: {} };
  const manifest = parseManifest(text, join(lakeDir, MANIFEST_FILE));
  if (manifest.timezone !== timezone) {
    throw new Error(
      `the lake at ${lakeDir} cuts its months in ${manifest.timezone}; this run asks for ${timezone}: leave the time zone out (the lake's is used), or use another lake folder`,
    );
  }
  return manifest;
}

/**
 * The H3 resolution the lake's incident cells are stored at, or null for a lake not yet written: an
 * ingest into an existing lake indexes at this one, so every file's cells are alike.
 */
export async function storedCellResolution(lakeDir: string): Promise<number | null> {
  const text = await readManifestText(lakeDir);
  return text === null ? null : parseManifest(text, join(lakeDir, MANIFEST_FILE)).h3_resolution;
}

/**
 * The text of the lake's manifest, or null when it has none. A run reads the manifest about 40 times
 * (on the 1 M bench's one more month: 28 table listings, 11 parses), mostly unchanged; decoding its
 * UTF-8 (place names) took about 1.3 ms of CPU each on that 5-year lake, comparing its bytes with the
 * last read a few microseconds (issue 19). So the text is decoded only when the bytes differ, and is
 * then the same string as before, which the readers' memos (tableFiles, LakeCountsMemo) compare at once.
 */
export async function readManifestText(lakeDir: string): Promise<string | null> {
  const path = resolve(lakeDir, MANIFEST_FILE);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  if (lastRead?.path === path && lastRead.bytes.equals(bytes)) return lastRead.text;
  lastRead = { path, bytes, text: bytes.toString("utf8") };
  return lastRead.text;
}
let lastRead: { path: string; bytes: Buffer; text: string } | undefined;

/** The fields every reader relies on; the rest (parameters, config, fingerprints) are checked by the modules that read them. */
const MANIFEST_CORE = z.looseObject({
  format: z.literal(1),
  timezone: z.string().min(1),
  h3_resolution: z.int().min(0).max(15),
  tables: z.record(z.string(), z.record(z.string(), z.looseObject({ rows: z.number(), sha256: z.string() }))),
  sources: z.record(z.string(), z.looseObject({})),
});

/**
 * The manifest in `text` (read from `file`), checked for the fields every reader relies on. A
 * manifest that does not parse, or lacks them, is refused with the file named and the safe way out:
 * it is the lake's only record of which data files are committed, so no command may guess or
 * overwrite it (issue 21: `{}` was answered with "remove this one").
 */
export function parseManifest(text: string, file: string): Manifest {
  let problem: string;
  try {
    const parsed = MANIFEST_CORE.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data as unknown as Manifest;
    problem = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ");
  } catch (error) {
    problem = `not JSON (${(error as Error).message})`;
  }
  throw new Error(
    `the lake's manifest ${file} is damaged (${problem}); nothing was changed. It is the lake's only record of which files are committed: ` +
      `restore it from a backup, then run \`hotspots check\`; without a backup, move the lake folder aside and ingest the source files again into a new one`,
  );
}

/**
 * Every lake file the manifest accounts for (lake paths): the partition files of its tables and the
 * quarantine file of each source it reports. A data file in the lake that is not among these belongs
 * to no commit (an upload whose commit never happened) and readers must not see it.
 */
export function manifestFiles(manifest: Pick<Manifest, "tables" | "sources">): Set<string> {
  const files = new Set(Object.values(manifest.tables).flatMap((table) => Object.keys(table)));
  for (const source of Object.keys(manifest.sources)) files.add(tableKey(TABLES.quarantine, { name: source }));
  return files;
}

/** Writes the manifest atomically with sorted keys, so equal content gives equal bytes. */
export async function writeManifest(lakeDir: string, manifest: Manifest): Promise<void> {
  await writeTextAtomically(join(lakeDir, MANIFEST_FILE), manifestText(manifest));
}

/** The manifest as the bytes written: sorted keys, two-space indent. */
export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(sortKeys(manifest), null, 2)}\n`;
}

/**
 * `value` exactly as a reader of the manifest gets it back once it is written (keys sorted, undefined
 * fields left out), without reading the manifest again.
 */
export function asStored<T>(value: T): T {
  return JSON.parse(JSON.stringify(sortKeys(value))) as T;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}
