import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { replaceAtomically, sha256Text, writeLakeCache } from "../lake/atomic-file.ts";
import { rootCacheFile } from "../lake/root-caches.ts";
import { openCache, payloadReader, sealCache } from "../lake/sealed-cache.ts";
import type { BacktestFold } from "./rolling-backtest.ts";

/**
 * The folds of the last backtest file written, kept at the lake's root so that the next month's
 * backtest, which reuses every fold of that file (see rollingBacktest's `stored`), need not read the
 * Parquet file back through DuckDB (some 150-200 ms of CPU for the 7,632 folds of the 1 M bench lake,
 * more on a 10-year one; this file reads in a few ms).
 *
 * Content-addressed: `_backtest-folds.bin` holds the folds of the backtest file whose bytes have the
 * SHA-256 in its key, exactly as readFolds reads them from that file (a non-finite measure as NaN, a
 * non-finite selection margin or gain as null: the file holds NULL for them). Which earlier file may be
 * reused at all is the caller's question (earlierOutput: same parameters, cells and input partitions);
 * this store only answers what that file holds. The key also carries `STORE_FORMAT` and the reading
 * code's source text, so a change in how a file's folds are read is a miss. The body is checksummed;
 * a missing, damaged or other file's store is a miss (null), and the caller reads the Parquet file.
 * One file per lake: the backtest of another category replaces it.
 */
export async function cachedFolds(lakeDir: string, fileSha256: string): Promise<BacktestFold[] | null> {
  const bytes = await readFile(join(lakeDir, STORE_FILE)).catch(() => null);
  if (bytes === null) return null;
  try {
    return decode(bytes, foldsKey(fileSha256));
  } catch {
    return null; // unreadable or short: a miss like any other damage
  }
}

/** Keeps `folds`, the folds of the backtest file whose bytes have SHA-256 `fileSha256` (see cachedFolds); never fails the caller. */
export async function storeFolds(lakeDir: string, fileSha256: string, folds: readonly BacktestFold[]): Promise<void> {
  const bytes = encode(foldsKey(fileSha256), folds.map(asRead));
  await writeLakeCache(lakeDir, () => replaceAtomically(join(lakeDir, STORE_FILE), (temporary) => writeFile(temporary, bytes)));
}

/**
 * A fold as readFolds reads it back from the file it was written to: the file holds NULL for a
 * non-finite number, read back as NaN in a measure and as null in the selection's margin and gain.
 */
export function asRead(f: BacktestFold): BacktestFold {
  const measure = (v: number) => (Number.isFinite(v) ? v : Number.NaN);
  const nullable = (v: number | null) => (v === null || !Number.isFinite(v) ? null : v);
  return {
    method: f.method,
    month: f.month,
    areaTarget: measure(f.areaTarget),
    areaShare: measure(f.areaShare),
    cells: measure(f.cells),
    hits: measure(f.hits),
    total: measure(f.total),
    hitRate: measure(f.hitRate),
    pai: measure(f.pai),
    paiMax: measure(f.paiMax),
    pei: measure(f.pei),
    hitsTop10: measure(f.hitsTop10),
    hitsTop20: measure(f.hitsTop20),
    chosen: f.chosen,
    margin: nullable(f.margin),
    gainOverBaseline: nullable(f.gainOverBaseline),
  };
}

const STORE_FILE = rootCacheFile("backtestFolds");
/** Bumped when the file's layout or what a fold means changes: an older file is then a miss. */
export const STORE_FORMAT = 1;
const MAGIC = "hotspots-backtest-folds\n";
const MEASURES = ["areaTarget", "areaShare", "cells", "hits", "total", "hitRate", "pai", "paiMax", "pei", "hitsTop10", "hitsTop20"] as const;
/** The reading of a fold this store stands in for (backtest-lake.ts's readFolds repeats it from the file; asRead states it). */
const READ_CODE = sha256Text(String(asRead));

/** SHA-256 of everything the stored folds depend on: the backtest file's bytes, the format, the reading code. */
export function foldsKey(fileSha256: string): string {
  return sha256Text(JSON.stringify({ format: STORE_FORMAT, code: READ_CODE, file: fileSha256, measures: MEASURES }));
}

/**
 * The file (sealed-cache.ts): header (key, row count, the distinct methods, months and chosen
 * methods), then Int32 indices of each fold's method, month and chosen
 * method (−1: null), and one Float64 column per measure, the margin and the gain (NaN: null).
 */
function encode(key: string, folds: readonly BacktestFold[]): Buffer {
  // One pass over the folds fills every column (a pass per column cost more than the file's write).
  const n = folds.length;
  const index = () => ({ names: [] as string[], at: new Map<string, number>(), codes: new Int32Array(n) });
  const methods = index();
  const months = index();
  const chosen = index();
  const code = (column: ReturnType<typeof index>, value: string | null, r: number) => {
    if (value === null) return void (column.codes[r] = -1);
    let i = column.at.get(value);
    if (i === undefined) column.at.set(value, (i = column.names.push(value) - 1));
    column.codes[r] = i;
  };
  const columns = Array.from({ length: MEASURES.length + 2 }, () => new Float64Array(n));
  for (let r = 0; r < n; r++) {
    const f = folds[r]!;
    code(methods, f.method, r);
    code(months, f.month, r);
    code(chosen, f.chosen, r);
    for (let k = 0; k < MEASURES.length; k++) columns[k]![r] = f[MEASURES[k]!];
    columns[MEASURES.length]![r] = f.margin ?? Number.NaN;
    columns[MEASURES.length + 1]![r] = f.gainOverBaseline ?? Number.NaN;
  }
  const header = { key, rows: folds.length, methods: methods.names, months: months.names, chosen: chosen.names };
  return Buffer.concat(sealCache(MAGIC, header, [methods.codes, months.codes, chosen.codes, ...columns]));
}

function decode(bytes: Buffer, key: string): BacktestFold[] | null {
  const sealed = openCache(bytes, MAGIC);
  if (sealed === null) return null;
  const header = sealed.header as { key: string; rows: number; methods: string[]; months: string[]; chosen: string[] };
  if (header.key !== key) return null;
  const n = header.rows;
  const reader = payloadReader(sealed.payload);
  const take = <T>(Kind: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T => reader.take(Kind, n);
  const method = take(Int32Array);
  const month = take(Int32Array);
  const chosen = take(Int32Array);
  const measures = MEASURES.map(() => take(Float64Array));
  const margin = take(Float64Array);
  const gain = take(Float64Array);
  if (!reader.atEnd()) return null;
  const name = (names: readonly string[], i: number) => {
    const value = names[i];
    if (value === undefined) throw new RangeError("index outside the names");
    return value;
  };
  const [areaTarget, areaShare, cells, hits, total, hitRate, pai, paiMax, pei, top10, top20] = measures as [Float64Array, ...Float64Array[]];
  const folds: BacktestFold[] = new Array(n);
  // One object literal per fold, its fields in the order readFolds makes them.
  for (let r = 0; r < n; r++) {
    folds[r] = {
      method: name(header.methods, method[r]!),
      month: name(header.months, month[r]!),
      areaTarget: areaTarget[r]!,
      areaShare: areaShare![r]!,
      cells: cells![r]!,
      hits: hits![r]!,
      total: total![r]!,
      hitRate: hitRate![r]!,
      pai: pai![r]!,
      paiMax: paiMax![r]!,
      pei: pei![r]!,
      hitsTop10: top10![r]!,
      hitsTop20: top20![r]!,
      chosen: chosen[r] === -1 ? null : name(header.chosen, chosen[r]!),
      margin: Number.isNaN(margin[r]!) ? null : margin[r]!,
      gainOverBaseline: Number.isNaN(gain[r]!) ? null : gain[r]!,
    };
  }
  return folds;
}
