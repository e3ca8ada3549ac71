import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { writeLakeCache, writeTextAtomically } from "../lake/atomic-file.ts";
import type { PartitionEntry } from "../lake/manifest.ts";
import { rootCacheFile } from "../lake/root-caches.ts";
import { openJson, sealJson } from "../lake/sealed-cache.ts";
import { storedPartitions, type StoredPartition } from "./hot-spot-freshness.ts";

/**
 * storedPartitions kept between processes: what each kept hot-spot partition stores of `category`
 * (its incidents and cells by bin) is a function of the file's bytes alone, so it is kept in
 * `_hot-spot-summaries.json` at the lake's root (a cache like the counts store: a root file starting
 * with `_` is no lake data) under the SHA-256 the manifest records for the file. The caller vouches
 * that every partition's file holds those bytes (currentPartitions hashed them); only partitions
 * whose checksum is not in the file are read, so a run after one more month reads one partition, not
 * every month's. A missing, damaged (its own SHA-256 does not match) or older-format file is a miss.
 */
export async function storedPartitionsKept(
  connection: DuckDBConnection,
  lakeDir: string,
  partitions: ReadonlyMap<string, PartitionEntry>,
  category: string,
): Promise<Map<string, StoredPartition>> {
  const path = join(lakeDir, SUMMARY_FILE);
  const kept = await readSummaries(path, category);
  const missing = new Map([...partitions].filter(([, entry]) => !kept.has(entry.sha256)));
  const read = await storedPartitions(connection, lakeDir, missing, category);
  const out = new Map<string, StoredPartition>();
  const summaries = new Map<string, Summary>();
  for (const [key, entry] of partitions) {
    const summary = kept.get(entry.sha256) ?? summaryOf(read.get(key)!);
    summaries.set(entry.sha256, summary);
    out.set(key, { month: entry.month, inside: summary.inside, bin: new Map(summary.bin), binFdr: new Map(summary.binFdr) });
  }
  // Written when it lacked a partition or holds others (those of months recomputed since): it lists exactly the partitions given.
  if (missing.size > 0 || kept.size !== summaries.size) await writeLakeCache(lakeDir, () => writeSummaries(path, category, summaries));
  return out;
}

const SUMMARY_FILE = rootCacheFile("hotSpotSummaries");
/** Bumped when the file's layout or what a summary counts (storedPartitions' query) changes. */
export const SUMMARY_FORMAT = 1;

/** One partition's summary: incidents, and [bin, cells] pairs without and with FDR, in storedPartitions' order. */
interface Summary {
  inside: number;
  bin: Array<[number, number]>;
  binFdr: Array<[number, number]>;
}

const summaryOf = (p: StoredPartition): Summary => ({ inside: p.inside, bin: [...p.bin], binFdr: [...p.binFdr] });

async function readSummaries(path: string, category: string): Promise<Map<string, Summary>> {
  const text = await readFile(path, "utf8").catch(() => null);
  if (text === null) return new Map();
  try {
    const body = openJson(text) as { format: number; category: string; partitions: Record<string, Summary> } | undefined;
    if (body === undefined || body.format !== SUMMARY_FORMAT || body.category !== category) return new Map();
    return new Map(Object.entries(body.partitions));
  } catch {
    return new Map(); // unreadable: a miss like any other damage
  }
}

async function writeSummaries(path: string, category: string, summaries: ReadonlyMap<string, Summary>): Promise<void> {
  const body = { format: SUMMARY_FORMAT, category, partitions: Object.fromEntries([...summaries].sort(([a], [b]) => (a < b ? -1 : 1))) };
  await writeTextAtomically(path, sealJson(body));
}
