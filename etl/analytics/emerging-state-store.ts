import { createHash, type Hash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeLakeCache, writeTextAtomically } from "../lake/atomic-file.ts";
import { rootCacheFile } from "../lake/root-caches.ts";
import { openJson, sealJson } from "../lake/sealed-cache.ts";
import { DEFAULT_INFERENCE, EXACT_UNITS_PER_DRAW, type HotSpotInference } from "./gi-star-permutation.ts";
import type { LakeMemo } from "./lake-grid.ts";

/**
 * What an emerging run leaves for others (issue 19), kept per category in `_emerging-state.json` at
 * the lake's root (a root cache: see ../lake/root-caches.ts):
 *
 * - for publish's ring rule, per cell the smallest positive neighbourhood count among the bins its
 *   pattern is made of (|bin| ≥ the minimum bin; 0: none), which decides the rule for any threshold
 *   (ringReleased) — publish computed the whole space-time Gi* again for it;
 * - for the next month's run, each cell's trend tail (see TrendTail in emerging-hot-spots.ts).
 *
 * Each entry is keyed by emergingStateKeys: the SHA-256 of every input the cube depends on — k, the
 * time window, FDR, the minimum bin, the bins' inference, the cells, and month by month its label and counts — and carries
 * the fingerprints of the file the run wrote (EntryOutput). Publish uses an entry where those are the
 * manifest's for the file it reads, of the incidents now (recordedRingMinima), else only under the
 * key of the grid it counts; the next run only where the key of its grid's first `months` months is
 * the entry's (the history unchanged, a month or more appended).
 * A missing, stale or damaged file is a miss: the full computation, as before.
 */
export interface StateInputs {
  /** The month-major cell × month grid (grid[t · cells + i]). */
  counts: Float64Array;
  cells: readonly string[];
  months: readonly string[];
  k: number;
  timeWindow: number | null;
  fdr: boolean;
  minBin: number;
  /** How the cube's bins were tested (absent: DEFAULT_INFERENCE, as spaceTimeGiStar's default). */
  inference?: HotSpotInference;
}

/** One category's entry: the key and months of the grid it was made of, the ring minima, the trend tails where the run could carry them. */
export interface EmergingStateEntry {
  key: string;
  months: number;
  minima: Float64Array;
  tail: Int32Array | null;
  /** The fingerprints the run's file was written with, and its k (see EntryOutput); null where the run wrote none. */
  output: EntryOutput | null;
}

/**
 * What identifies an entry's grid without counting it: the fingerprints the manifest records with the
 * run's emerging file (outputFingerprints: the parameters — resolution, k, options, study area and its
 * cells, category, time zone — and the incident partitions of its months), and k, which publish
 * compares with its own (the fingerprint holds k but cannot be read back).
 */
export interface EntryOutput {
  parameters_sha256: string;
  input_sha256: string;
  k: number;
}

/**
 * Bumped when the key's inputs, the file's layout or what an entry means change. 2: the ring minima
 * rest on the permutation test's bins (spaceTimeGiStar), no longer the normal approximation's.
 */
export const STATE_FORMAT = 2;

/**
 * The key of the whole grid, and of its first `prefix` months (null unless 0 < prefix ≤ its months):
 * one pass, the hash copied where the prefix ends.
 */
export function emergingStateKeys(input: StateInputs, prefix?: number): { key: string; prefix: string | null } {
  const { counts, cells, months, k, timeWindow, fdr, minBin, inference = DEFAULT_INFERENCE } = input;
  const n = cells.length;
  if (counts.length !== n * months.length) throw new RangeError(`the grid has ${counts.length} counts, not ${n} cells × ${months.length} months`);
  const hash = createHash("sha256");
  // The inference decides the bins, so the ring minima and trend tails: a normal-approximation run's are not the permutation
  // test's, nor one whose floor refinement chose exact tails and draws by another rule.
  hash.update(JSON.stringify({ format: STATE_FORMAT, k, timeWindow, fdr, minBin, inference, exactUnitsPerDraw: EXACT_UNITS_PER_DRAW, cells: n }));
  hash.update(`\n${cells.join("\n")}\n`);
  let atPrefix: Hash | null = null;
  for (let t = 0; t < months.length; t++) {
    hash.update(`${months[t]}\n`);
    hash.update(new Uint8Array(counts.buffer, counts.byteOffset + t * n * 8, n * 8));
    if (t + 1 === prefix && prefix < months.length) atPrefix = hash.copy();
  }
  const key = hash.digest("hex");
  return { key, prefix: atPrefix ? atPrefix.digest("hex") : prefix === months.length ? key : null };
}

/**
 * Per cell of a month-major cube, the smallest positive neighbourhood count `ring[t · cells + i]` among
 * its bins with |bin| ≥ minBin, 0 where there is none.
 */
export function ringMinima(ring: ArrayLike<number>, bins: ArrayLike<number>, cells: number, minBin: number): Float64Array {
  if (ring.length !== bins.length || (cells > 0 && bins.length % cells !== 0))
    throw new RangeError(`${ring.length} counts and ${bins.length} bins do not make a cube of ${cells} cells`);
  const minima = new Float64Array(cells);
  for (let u = 0; u < bins.length; u += cells) {
    for (let i = 0; i < cells; i++) {
      const bin = bins[u + i]!;
      if (bin < minBin && bin > -minBin) continue;
      const count = ring[u + i]!;
      if (count > 0 && (minima[i] === 0 || count < minima[i]!)) minima[i] = count;
    }
  }
  return minima;
}

/** Whether each cell passes the ring rule at `threshold`: none of its significant bins has a neighbourhood count in 1 … threshold − 1. */
export function ringReleased(minima: ArrayLike<number>, threshold: number): boolean[] {
  return Array.from(minima, (m) => m === 0 || m >= threshold);
}

/** The file's entries by category. */
export type EmergingState = ReadonlyMap<string, EmergingStateEntry>;

const STATE_FILE = rootCacheFile("emergingState");

interface StoredEntry {
  key: string;
  months: number;
  /** Base64 of the Float64Array / Int32Array (little-endian, as every platform Node runs on). */
  minima: string;
  tail: string | null;
  output?: EntryOutput | null;
}

/** The entries of the lake's file; empty where it is missing, damaged or of another format. */
export async function readEmergingState(lakeDir: string): Promise<Map<string, EmergingStateEntry>> {
  const text = await readFile(join(lakeDir, STATE_FILE), "utf8").catch(() => null);
  if (text === null) return new Map();
  try {
    const body = openJson(text) as { format: number; entries: Record<string, StoredEntry> } | undefined;
    if (body === undefined || body.format !== STATE_FORMAT) return new Map();
    return new Map(
      Object.entries(body.entries).map(([category, e]) => [
        category,
        {
          key: e.key,
          months: e.months,
          minima: typed(e.minima, Float64Array),
          tail: e.tail === null ? null : typed(e.tail, Int32Array),
          output: e.output ?? null,
        },
      ]),
    );
  } catch {
    return new Map(); // unreadable: a miss like any other damage
  }
}

function typed<T extends Float64Array | Int32Array>(base64: string, Type: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length % Type.BYTES_PER_ELEMENT !== 0) throw new Error("a damaged array");
  return new Type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

const base64 = (a: Float64Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");

/** The ring minima of `category` kept under `key` for `cells` cells, or null. */
export function keptRingMinima(state: EmergingState, category: string, key: string, cells: number): Float64Array | null {
  const entry = state.get(category);
  return entry?.key === key && entry.minima.length === cells ? entry.minima : null;
}

/**
 * The ring minima of `category` where its entry was made with the emerging file the manifest lists
 * now — `file`: that file's manifest entry, whose fingerprints the caller has checked are of the
 * lake's incidents now (storedRunCurrent) — and with publish's `k`, for `cells` cells; else null.
 * Equal fingerprints mean the same parameters, cells, months and incident partitions, so the grid
 * the run counted is the one publish would count: no need to count and hash it (keptRingMinima).
 */
export function recordedRingMinima(
  state: EmergingState,
  category: string,
  file: { parameters_sha256?: string; input_sha256?: string } | undefined,
  k: number,
  cells: number,
): Float64Array | null {
  const output = state.get(category)?.output;
  if (!output || !file?.parameters_sha256 || !file.input_sha256) return null;
  if (output.parameters_sha256 !== file.parameters_sha256 || output.input_sha256 !== file.input_sha256 || output.k !== k) return null;
  const minima = state.get(category)!.minima;
  return minima.length === cells ? minima : null;
}

/**
 * The state of a run: read once, entries set as categories are computed, written once. Within an
 * analytics session (a memo with an open commit) every category shares one, written when the session
 * ends (flushEmergingState); outside one, each set is written at once.
 */
class StateFile {
  private entries: Promise<Map<string, EmergingStateEntry>> | undefined;
  private changed = false;
  constructor(readonly lakeDir: string) {}

  read(): Promise<Map<string, EmergingStateEntry>> {
    return (this.entries ??= readEmergingState(this.lakeDir));
  }

  async set(category: string, entry: EmergingStateEntry): Promise<void> {
    (await this.read()).set(category, entry);
    this.changed = true;
  }

  async write(): Promise<void> {
    if (!this.changed) return;
    this.changed = false;
    const entries = [...(await this.read())].sort(([a], [b]) => (a < b ? -1 : 1));
    const stored: Record<string, StoredEntry> = {};
    for (const [category, e] of entries)
      stored[category] = { key: e.key, months: e.months, minima: base64(e.minima), tail: e.tail && base64(e.tail), output: e.output };
    await writeLakeCache(this.lakeDir, () => writeTextAtomically(join(this.lakeDir, STATE_FILE), sealJson({ format: STATE_FORMAT, entries: stored })));
  }
}

// Keyed by the session's memo: a state lives as long as its run, never beyond it.
const sessions = new WeakMap<LakeMemo, StateFile>();

/** The emerging state of `lakeDir` for one stage: the session's when `memo` has an open commit on that lake, else one of its own. */
export function emergingStateFile(lakeDir: string, memo: LakeMemo | undefined): { state: StateFile; shared: boolean } {
  if (!memo?.writer) return { state: new StateFile(lakeDir), shared: false };
  let state = sessions.get(memo);
  if (state?.lakeDir !== lakeDir) sessions.set(memo, (state = new StateFile(lakeDir)));
  return { state, shared: true };
}

/** Writes what the session's emerging stages set (withAnalyticsSession calls it when the session ends). */
export async function flushEmergingState(memo: LakeMemo): Promise<void> {
  await sessions.get(memo)?.write();
  sessions.delete(memo);
}
