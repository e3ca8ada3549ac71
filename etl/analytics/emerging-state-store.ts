import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { sha256Text, writeLakeCache, writeTextAtomically } from "../lake/atomic-file.ts";
import { rootCacheFile } from "../lake/root-caches.ts";

/**
 * What publish's ring rule needs of an emerging run, kept from the analytics stage that computed it
 * (issue 19): publish checks every bin a cell's pattern is made of (|bin| ≥ the run's minimum bin)
 * against the suppression threshold — its space-time neighbourhood count must be 0 or at least the
 * threshold — and for that computed the whole space-time Gi* of every category again, minutes after
 * analytics had. Per cell, the smallest positive neighbourhood count among those bins (0: none)
 * decides the rule for any threshold (ringReleased), so that is what is kept.
 *
 * `_emerging-rings.json` at the lake's root (a root cache: see ../lake/root-caches.ts) holds the
 * latest entry of each category, keyed by emergingRingKey: the SHA-256 of every input the bins and
 * counts depend on — the grid's counts, its cells and months, k, the time window, FDR and the
 * minimum bin. Publish counts its grid, hashes it and uses the entry only when the key matches; a
 * missing, stale or damaged file is a miss, and publish computes the bins as before.
 */
export interface RingInputs {
  /** The month-major cell × month grid (grid[t · cells + i]). */
  counts: Float64Array;
  cells: readonly string[];
  months: readonly string[];
  k: number;
  timeWindow: number | null;
  fdr: boolean;
  minBin: number;
}

/** Bumped when the key's inputs, the file's layout or what a minimum means change. */
export const RING_FORMAT = 1;

/** The SHA-256 of everything a run's bins and neighbourhood counts are computed from (see RingInputs). */
export function emergingRingKey(input: RingInputs): string {
  const { counts, cells, months, k, timeWindow, fdr, minBin } = input;
  if (counts.length !== cells.length * months.length)
    throw new RangeError(`the grid has ${counts.length} counts, not ${cells.length} cells × ${months.length} months`);
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ format: RING_FORMAT, k, timeWindow, fdr, minBin, cells: cells.length, months }));
  hash.update(`\n${cells.join("\n")}\n`);
  hash.update(new Uint8Array(counts.buffer, counts.byteOffset, counts.byteLength));
  return hash.digest("hex");
}

/**
 * Per cell of a month-major cube, the smallest positive neighbourhood count `ring[t · cells + i]` among
 * its bins with |bin| ≥ minBin, 0 where there is none.
 */
export function ringMinima(ring: ArrayLike<number>, bins: ArrayLike<number>, cells: number, minBin: number): Float64Array {
  if (ring.length !== bins.length || (cells > 0 && bins.length % cells !== 0))
    throw new RangeError(`${ring.length} counts and ${bins.length} bins do not make a cube of ${cells} cells`);
  const minima = new Float64Array(cells);
  for (let u = 0; u < bins.length; u++) {
    const count = ring[u]!;
    if (count <= 0 || Math.abs(bins[u]!) < minBin) continue;
    const i = u % cells;
    if (minima[i] === 0 || count < minima[i]!) minima[i] = count;
  }
  return minima;
}

/** Whether each cell passes the ring rule at `threshold`: none of its significant bins has a neighbourhood count in 1 … threshold − 1. */
export function ringReleased(minima: ArrayLike<number>, threshold: number): boolean[] {
  return Array.from(minima, (m) => m === 0 || m >= threshold);
}

/** The file's entries: per category, the key it was computed for and its minima. */
export type EmergingRings = ReadonlyMap<string, { key: string; minima: number[] }>;

const RING_FILE = rootCacheFile("emergingRings");

/** The entries of the lake's file; empty where it is missing, damaged or of another format. */
export async function readEmergingRings(lakeDir: string): Promise<EmergingRings> {
  const text = await readFile(join(lakeDir, RING_FILE), "utf8").catch(() => null);
  if (text === null) return new Map();
  try {
    const file = JSON.parse(text) as { sha256?: unknown; body?: unknown };
    if (typeof file.body !== "string" || sha256Text(file.body) !== file.sha256) return new Map();
    const body = JSON.parse(file.body) as { format: number; entries: Record<string, { key: string; minima: number[] }> };
    if (body.format !== RING_FORMAT) return new Map();
    return new Map(Object.entries(body.entries));
  } catch {
    return new Map(); // unreadable: a miss like any other damage
  }
}

/** The minima of `category` kept under `key`, or null where the file holds another key (or none). */
export function keptRingMinima(rings: EmergingRings, category: string, key: string, cells: number): Float64Array | null {
  const entry = rings.get(category);
  if (entry?.key !== key || entry.minima.length !== cells) return null;
  return Float64Array.from(entry.minima);
}

/** Records `category`'s minima under `key` (replacing its earlier entry; other categories' stay). */
export async function storeRingMinima(lakeDir: string, category: string, key: string, minima: ArrayLike<number>): Promise<void> {
  await writeLakeCache(lakeDir, async () => {
    const entries = Object.fromEntries(await readEmergingRings(lakeDir));
    entries[category] = { key, minima: Array.from(minima) };
    const sorted = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1)));
    const body = JSON.stringify({ format: RING_FORMAT, entries: sorted });
    await writeTextAtomically(join(lakeDir, RING_FILE), JSON.stringify({ sha256: sha256Text(body), body }));
  });
}
