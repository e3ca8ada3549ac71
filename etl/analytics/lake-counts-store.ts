import { open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { replaceAtomically, sha256Text } from "../lake/atomic-file.ts";
import { readManifestText, type Manifest } from "../lake/manifest.ts";
import { rootCacheFile } from "../lake/root-caches.ts";
import { openSealedFile, sealCache } from "../lake/sealed-cache.ts";
import { TABLES } from "../lake/tables.ts";

/**
 * The lake's incident counts per month, offence category and H3 cell, in columns: row r counts
 * `count[r]` incidents of category `categories[category[r]]` in cell `cells[cell[r]]` in month
 * `months[month[r]]`. Dictionaries are sorted; rows are in no particular order.
 */
export interface LakeCounts {
  months: string[];
  categories: string[];
  cells: string[];
  month: Uint32Array;
  category: Uint32Array;
  cell: Uint32Array;
  count: Float64Array;
}

/**
 * The lake's counts per month, category and cell (readLakeCounts) kept on disk between processes, so
 * that a run after one more month reads that month's partitions, not the whole lake's: the first
 * read of a process cost 0.4-0.7 s of CPU on the 1 M bench lake (60 months), every process again.
 *
 * One file per lake and analysis resolution, `_lake-counts.r<resolution>.bin` at the lake's root (a
 * root cache, ../lake/root-caches.ts: no lake data, `check` does not count it, an S3 mirror carries
 * it outside the commit; deleting it only costs the next read). It holds the counts' rows with, per month, the
 * fingerprint of that month's incident and cell_counts partitions (manifest keys and SHA-256): a month
 * whose fingerprint is the manifest's now is taken from the file, every other month is read afresh
 * (`query` of those months), and months the manifest no longer lists are dropped. The rows of a month
 * depend only on its partitions' bytes, the stored resolution and the analysis resolution, so the
 * result is the full read's (same rows; rows are in no particular order, dictionaries sorted as
 * readLakeCounts sorts them). The file is written atomically, with the SHA-256 of everything after
 * it (header and rows): a damaged, truncated or foreign file, or one of another format, is a miss
 * (everything read). `STORE_FORMAT` changes with the layout or with what a month's rows mean.
 *
 * Only at the lake's own resolution, where the counts are sums of the `cell_counts` aggregate: at
 * another, readLakeCounts indexes the points and checks their precision over every month it reads, so
 * reading only the changed months would check less than a full read does.
 */
export async function storedLakeCounts(lakeDir: string, resolution: number, query: (months?: ReadonlySet<string>) => Promise<LakeCounts>): Promise<LakeCounts> {
  const manifest = await readLakeManifest(lakeDir);
  // No manifest, no checksums to key on: read everything, keep nothing. Another resolution: see above.
  if (manifest === null || manifest.h3_resolution !== resolution) return query();
  const path = countsStorePath(lakeDir, resolution);
  const fingerprints = monthFingerprints(manifest);
  const key = { format: STORE_FORMAT, resolution, lake_resolution: manifest.h3_resolution };
  const counts = await withStore(path, key, async (stored) => {
    const reused = new Set<string>();
    if (stored) for (const [month, fingerprint] of fingerprints) if (stored.fingerprints.get(month) === fingerprint) reused.add(month);
    if (!stored || reused.size === 0) return { counts: await query(), hit: false };
    const stale = new Set([...fingerprints.keys()].filter((month) => !reused.has(month)));
    const fresh = stale.size === 0 ? null : await query(stale);
    // The stored rows are read into columns with room for the fresh ones (null: the file failed its checksum).
    const rows = await stored.rows(fresh?.count.length ?? 0);
    if (rows === null) return { counts: await query(), hit: false };
    if (stale.size === 0 && stored.fingerprints.size === fingerprints.size) return { counts: rows, hit: true };
    return { counts: mergeInto(rows, stored.rowCount, reused, fresh), hit: false };
  });
  if (counts.hit) return counts.counts;
  // A commit while the months were read (not under the CLI's lake lock) may have changed them: keep nothing then.
  const after = await readLakeManifest(lakeDir);
  const unchanged = after !== null && sameEntries(monthFingerprints(after), fingerprints);
  // A lake that cannot be written to (read-only, full) still gets its counts: the file is only a cache.
  if (unchanged) await writeStore(path, key, fingerprints, counts.counts).catch(() => undefined);
  return counts.counts;
}

/** The lake's manifest, or null when it has none or it cannot be read (then nothing is kept). */
async function readLakeManifest(lakeDir: string): Promise<Manifest | null> {
  const manifest = await readManifestText(lakeDir)
    .then((text) => (text === null ? null : (JSON.parse(text) as Manifest)))
    .catch(() => null);
  return manifest !== null && typeof manifest.tables === "object" ? manifest : null;
}

function sameEntries(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/** The store's file for analyses at `resolution` (see storedLakeCounts). */
export function countsStorePath(lakeDir: string, resolution: number): string {
  return join(lakeDir, rootCacheFile("lakeCounts", resolution));
}

/** Bumped whenever the file's layout or the meaning of a month's rows changes: an older file is then a miss. */
export const STORE_FORMAT = 1;
const MAGIC = "hotspots-lake-counts\n";

interface StoreKey {
  format: number;
  resolution: number;
  lake_resolution: number;
}

interface StoreHeader extends StoreKey {
  /** [month, fingerprint of its partitions] for every month the counts were read from (rows or not). */
  months: Array<[string, string]>;
  dictionaries: { months: string[]; categories: string[]; cells: string[] };
  rows: number;
}

/** Per month of the manifest, one fingerprint of its incident and cell_counts partitions (keys and SHA-256s). */
function monthFingerprints(manifest: Manifest): Map<string, string> {
  const lines = new Map<string, string[]>();
  for (const table of [TABLES.incidents.manifest, TABLES.cell_counts.manifest]) {
    for (const [key, entry] of Object.entries(manifest.tables[table ?? ""] ?? {})) {
      const month = String(entry.month);
      lines.set(month, [...(lines.get(month) ?? []), `${table} ${key} ${entry.sha256}\n`]);
    }
  }
  return new Map([...lines].map(([month, list]) => [month, sha256Text(list.sort().join(""))]));
}

/** A store file whose header matched the key: its month fingerprints, and its rows on demand. */
interface OpenStore {
  fingerprints: Map<string, string>;
  rowCount: number;
  /**
   * The stored counts, each column with room for `extra` rows after the stored ones (a LakeCounts whose
   * columns are `rowCount + extra` long), or null when the file fails its checksum or holds an index
   * outside its dictionaries.
   */
  rows(extra: number): Promise<LakeCounts | null>;
}

/**
 * `use` with the store at `path` open (null when it is missing, short, of another key or its header is
 * unreadable). The file is read in place rather than whole (openSealedFile): its header first, then
 * each column straight into the typed array the counts keep — one allocation of the rows instead of
 * three (the file's bytes, their copies, the merge's), which on a 10-year lake (2.6 M rows, 52 MB)
 * cost more than the read itself: a fresh array's pages are touched for the first time.
 */
async function withStore<T>(path: string, key: StoreKey, use: (stored: OpenStore | null) => Promise<T>): Promise<T> {
  const file = await open(path, "r").catch(() => null);
  if (file === null) return use(null);
  try {
    return await use(await openStore(file, key));
  } finally {
    await file.close();
  }
}

async function openStore(file: FileHandle, key: StoreKey): Promise<OpenStore | null> {
  const sealed = await openSealedFile(file, MAGIC);
  if (sealed === null) return null;
  const header = sealed.header as StoreHeader;
  if (header.format !== key.format || header.resolution !== key.resolution || header.lake_resolution !== key.lake_resolution) return null;
  const n = header.rows;
  if (!Number.isSafeInteger(n) || n < 0 || sealed.payloadBytes !== n * ROW_BYTES) return null;
  const fingerprints = new Map(Array.isArray(header.months) ? header.months : []);
  const rows = async (extra: number): Promise<LakeCounts | null> => {
    const { months, categories, cells } = header.dictionaries;
    const columns = {
      count: new Float64Array(n + extra),
      month: new Uint32Array(n + extra),
      category: new Uint32Array(n + extra),
      cell: new Uint32Array(n + extra),
    };
    // The payload's order (see writeStore): the count, then month, category and cell indices.
    const stored = [columns.count, columns.month, columns.category, columns.cell].map((c) => new Uint8Array(c.buffer, 0, n * c.BYTES_PER_ELEMENT));
    if (!(await sealed.readPayload(stored))) return null;
    if (!withinBounds(columns.month, n, months.length) || !withinBounds(columns.category, n, categories.length) || !withinBounds(columns.cell, n, cells.length))
      return null;
    return { months, categories, cells, ...columns };
  };
  return { fingerprints, rowCount: n, rows };
}

/** Bytes per row: the count (float64), then month, category and cell indices (uint32 each), column by column. */
const ROW_BYTES = 8 + 4 + 4 + 4;

/** Whether the first `rows` indices are below `size`. */
function withinBounds(index: Uint32Array, rows: number, size: number): boolean {
  for (let r = 0; r < rows; r++) if (index[r]! >= size) return false;
  return true;
}

async function writeStore(path: string, key: StoreKey, fingerprints: ReadonlyMap<string, string>, counts: LakeCounts): Promise<void> {
  const n = counts.count.length;
  // The columns as they are, no copy: the count, then month, category and cell indices (see readStore).
  const payload = [counts.count, counts.month, counts.category, counts.cell];
  const header: StoreHeader = {
    ...key,
    months: [...fingerprints].sort(([a], [b]) => (a < b ? -1 : 1)),
    dictionaries: { months: counts.months, categories: counts.categories, cells: counts.cells },
    rows: n,
  };
  const parts = sealCache(MAGIC, header, payload);
  await replaceAtomically(path, async (temporary) => {
    const file = await open(temporary, "w");
    try {
      await file.writev(parts);
    } finally {
      await file.close();
    }
  });
}

/**
 * The stored rows of the `reused` months and every row of `fresh` (the other months, read afresh), in
 * one LakeCounts with the dictionaries readLakeCounts would give: the sorted distinct values of the
 * rows, the stored rows first in their order, then the fresh ones. Done in place: `stored`'s first
 * `storedRows` rows are the file's, its columns have room for `fresh`'s rows after them (see
 * OpenStore.rows); the stored rows are moved only when a month is dropped, and their indices rewritten
 * only where a dictionary's order changed (one more month sorts last: none is).
 */
function mergeInto(stored: LakeCounts, storedRows: number, reused: ReadonlySet<string>, fresh: LakeCounts | null): LakeCounts {
  const keepMonth = Uint8Array.from(stored.months, (m) => (reused.has(m) ? 1 : 0));
  let kept = 0;
  if (keepMonth.every((k) => k === 1)) kept = storedRows;
  else
    for (let r = 0; r < storedRows; r++) {
      if (keepMonth[stored.month[r]!]! === 0) continue;
      stored.count[kept] = stored.count[r]!;
      stored.month[kept] = stored.month[r]!;
      stored.category[kept] = stored.category[r]!;
      stored.cell[kept] = stored.cell[r]!;
      kept++;
    }
  const freshRows = fresh?.count.length ?? 0;
  // As readLakeCounts sorts them: strings by their bytes (DuckDB's order), cells by their 64-bit index (same-length hexadecimal).
  const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
  const index = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  const column = (pick: (c: LakeCounts) => Uint32Array, values: (c: LakeCounts) => string[], order: (a: string, b: string) => number) => {
    const used = new Set<string>();
    const mark = (counts: LakeCounts, rows: number) => {
      const ix = pick(counts);
      const seen = new Uint8Array(values(counts).length);
      for (let r = 0; r < rows; r++) seen[ix[r]!] = 1;
      values(counts).forEach((v, i) => seen[i] && used.add(v));
    };
    mark(stored, kept);
    if (fresh) mark(fresh, freshRows);
    const sorted = [...used].sort(order);
    const at = new Map(sorted.map((v, i) => [v, i]));
    const remap = (counts: LakeCounts) => Uint32Array.from(values(counts), (v) => at.get(v) ?? 0);
    // The stored indices stay where their values keep their place in the merged dictionary.
    const own = remap(stored);
    const ix = pick(stored);
    if (!own.every((to, from) => to === from)) for (let r = 0; r < kept; r++) ix[r] = own[ix[r]!]!;
    if (fresh) {
      const theirs = remap(fresh);
      const from = pick(fresh);
      for (let r = 0; r < freshRows; r++) ix[kept + r] = theirs[from[r]!]!;
    }
    return sorted;
  };
  const months = column(
    (c) => c.month,
    (c) => c.months,
    bytes,
  );
  const categories = column(
    (c) => c.category,
    (c) => c.categories,
    bytes,
  );
  const cells = column(
    (c) => c.cell,
    (c) => c.cells,
    index,
  );
  if (fresh) stored.count.set(fresh.count.subarray(0, freshRows), kept);
  const n = kept + freshRows;
  const rows = <A extends Uint32Array | Float64Array>(a: A): A => (a.length === n ? a : (a.subarray(0, n) as A));
  return { months, categories, cells, count: rows(stored.count), month: rows(stored.month), category: rows(stored.category), cell: rows(stored.cell) };
}
