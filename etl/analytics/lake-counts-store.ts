import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { replaceAtomically, sha256Text } from "../lake/atomic-file.ts";
import { readManifestText, type Manifest } from "../lake/manifest.ts";
import { rootCacheFile } from "../lake/root-caches.ts";
import { openCache, payloadReader, sealCache } from "../lake/sealed-cache.ts";
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
  const stored = await readStore(path, key);
  const reused = new Set<string>();
  if (stored) for (const [month, fingerprint] of fingerprints) if (stored.fingerprints.get(month) === fingerprint) reused.add(month);
  const stale = new Set([...fingerprints.keys()].filter((month) => !reused.has(month)));
  if (stored && stale.size === 0 && stored.fingerprints.size === fingerprints.size) return stored.counts;
  const counts = reused.size === 0 ? await query() : merge(stored!.counts, reused, stale.size === 0 ? null : await query(stale));
  // A commit while the months were read (not under the CLI's lake lock) may have changed them: keep nothing then.
  const after = await readLakeManifest(lakeDir);
  const unchanged = after !== null && sameEntries(monthFingerprints(after), fingerprints);
  // A lake that cannot be written to (read-only, full) still gets its counts: the file is only a cache.
  if (unchanged) await writeStore(path, key, fingerprints, counts).catch(() => undefined);
  return counts;
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

/** The counts and month fingerprints of the store at `path`, or null when it is missing, damaged, or made for another key. */
async function readStore(path: string, key: StoreKey): Promise<{ counts: LakeCounts; fingerprints: Map<string, string> } | null> {
  const bytes = await readFile(path).catch(() => null);
  if (bytes === null) return null;
  try {
    // The checksum covers the header (names, fingerprints) as well as the rows.
    const sealed = openCache(bytes, MAGIC);
    if (sealed === null) return null;
    const header = sealed.header as StoreHeader;
    if (header.format !== key.format || header.resolution !== key.resolution || header.lake_resolution !== key.lake_resolution) return null;
    const n = header.rows;
    if (!Number.isSafeInteger(n) || n < 0 || sealed.payload.length !== n * ROW_BYTES) return null;
    const { take } = payloadReader(sealed.payload);
    const { months, categories, cells } = header.dictionaries;
    const counts: LakeCounts = {
      months,
      categories,
      cells,
      count: take(Float64Array, n),
      month: take(Uint32Array, n),
      category: take(Uint32Array, n),
      cell: take(Uint32Array, n),
    };
    if (!withinBounds(counts.month, months.length) || !withinBounds(counts.category, categories.length) || !withinBounds(counts.cell, cells.length))
      return null;
    return { counts, fingerprints: new Map(header.months) };
  } catch {
    return null; // unreadable header: a miss like any other damage
  }
}

/** Bytes per row: the count (float64), then month, category and cell indices (uint32 each), column by column. */
const ROW_BYTES = 8 + 4 + 4 + 4;

function withinBounds(index: Uint32Array, size: number): boolean {
  for (let r = 0; r < index.length; r++) if (index[r]! >= size) return false;
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
 * one LakeCounts with the dictionaries readLakeCounts would give: the sorted distinct values of the rows.
 */
function merge(stored: LakeCounts, reused: ReadonlySet<string>, fresh: LakeCounts | null): LakeCounts {
  const keepMonth = Uint8Array.from(stored.months, (m) => (reused.has(m) ? 1 : 0));
  let kept = 0;
  for (let r = 0; r < stored.count.length; r++) kept += keepMonth[stored.month[r]!]!;
  const keepRow = (r: number) => keepMonth[stored.month[r]!]! === 1;
  const parts: Array<{ counts: LakeCounts; takes: (r: number) => boolean }> = [{ counts: stored, takes: keepRow }];
  if (fresh) parts.push({ counts: fresh, takes: () => true });
  const n = kept + (fresh?.count.length ?? 0);
  // As readLakeCounts sorts them: strings by their bytes (DuckDB's order), cells by their 64-bit index (same-length hexadecimal).
  const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
  const index = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  const dictionary = (column: (c: LakeCounts) => Uint32Array, values: (c: LakeCounts) => string[], order: (a: string, b: string) => number) => {
    const used = new Set<string>();
    for (const { counts, takes } of parts) {
      const ix = column(counts);
      const seen = new Uint8Array(values(counts).length);
      for (let r = 0; r < ix.length; r++) if (takes(r)) seen[ix[r]!] = 1;
      values(counts).forEach((v, i) => seen[i] && used.add(v));
    }
    const sorted = [...used].sort(order);
    const at = new Map(sorted.map((v, i) => [v, i]));
    return { sorted, remap: parts.map(({ counts }) => Uint32Array.from(values(counts), (v) => at.get(v) ?? 0)) };
  };
  const months = dictionary(
    (c) => c.month,
    (c) => c.months,
    bytes,
  );
  const categories = dictionary(
    (c) => c.category,
    (c) => c.categories,
    bytes,
  );
  const cells = dictionary(
    (c) => c.cell,
    (c) => c.cells,
    index,
  );
  const out = { count: new Float64Array(n), month: new Uint32Array(n), category: new Uint32Array(n), cell: new Uint32Array(n) };
  let at = 0;
  parts.forEach(({ counts, takes }, p) => {
    const [toMonth, toCategory, toCell] = [months.remap[p]!, categories.remap[p]!, cells.remap[p]!];
    for (let r = 0; r < counts.count.length; r++) {
      if (!takes(r)) continue;
      out.count[at] = counts.count[r]!;
      out.month[at] = toMonth[counts.month[r]!]!;
      out.category[at] = toCategory[counts.category[r]!]!;
      out.cell[at] = toCell[counts.cell[r]!]!;
      at++;
    }
  });
  return { months: months.sorted, categories: categories.sorted, cells: cells.sorted, ...out };
}
