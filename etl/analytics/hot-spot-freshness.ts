import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlLiteral } from "../duckdb/connection.ts";
import { sha256File, sha256Text } from "../lake/atomic-file.ts";
import type { Manifest, PartitionEntry } from "../lake/manifest.ts";
import { forEachLimited } from "../storage/for-each-limited.ts";
import { DEFAULT_INFERENCE, EXACT_BUDGET, EXACT_UNITS_PER_DRAW, type HotSpotInference } from "./gi-star-permutation.ts";

/** The statistic and FDR method recorded with the hot-spot table (part of its parameter fingerprint). */
export const HOT_SPOT_METHOD = {
  statistic: "Getis-Ord Gi* (binary k-ring weights, self included)",
  fdr: "Benjamini-Hochberg per confidence level",
} as const;

/** The inference as recorded in the parameters (so a change of method, R or seed recomputes every month). */
export function inferenceParameters(inference: HotSpotInference): Record<string, unknown> {
  if (inference.method === "normal") return { inference: "normal approximation of z" };
  return {
    inference: "permutation (conditional randomisation, own count fixed): exact where cheap, else Monte Carlo, refined near its floor exactly or by more draws",
    permutations: inference.permutations,
    seed: inference.seed,
    exact_budget: inference.exactBudget ?? EXACT_BUDGET,
    exact_units_per_draw: EXACT_UNITS_PER_DRAW,
  };
}

/**
 * Everything a month's hot spots depend on besides that month's incidents: H3 resolution, k, the
 * study area's label and a SHA-256 of its sorted cell list, the statistic, the inference (method,
 * replicates, seed) and the FDR method. The manifest records these as `parameters.hot_spots`; their
 * fingerprint goes with every partition.
 */
export function hotSpotParameters(
  resolution: number,
  k: number,
  studyArea: { cells: readonly string[]; label: string },
  inference: HotSpotInference = DEFAULT_INFERENCE,
): Record<string, unknown> {
  const sorted = studyArea.cells.every((c, i) => i === 0 || studyArea.cells[i - 1]! < c) ? studyArea.cells : [...studyArea.cells].sort();
  return {
    resolution,
    k,
    study_area: studyArea.label,
    study_area_cells: sorted.length,
    study_area_sha256: sha256Text(sorted.join("\n")),
    ...HOT_SPOT_METHOD,
    ...inferenceParameters(inference),
  };
}

/** SHA-256 of the parameters as canonical JSON (keys sorted). */
export function parametersFingerprint(parameters: Record<string, unknown>): string {
  return sha256Text(
    JSON.stringify(
      Object.keys(parameters)
        .sort()
        .map((key) => [key, parameters[key]]),
    ),
  );
}

/**
 * The fingerprint of each month's input: SHA-256 over the manifest's incident partitions of that
 * month (their keys and checksums, sorted by key). A month with no incident partition has the
 * fingerprint of the empty list (see `inputFingerprint`).
 */
export function incidentFingerprints(manifest: Manifest): Map<string, string> {
  const byMonth = new Map<string, string[]>();
  for (const [key, entry] of Object.entries(manifest.tables.incidents ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let lines = byMonth.get(entry.month);
    if (!lines) byMonth.set(entry.month, (lines = []));
    lines.push(`${key} ${entry.sha256}\n`);
  }
  return new Map([...byMonth].map(([month, lines]) => [month, sha256Text(lines.join(""))]));
}

/** The input fingerprint of `month` (that of no partition when the lake holds none for it). */
export function inputFingerprint(fingerprints: ReadonlyMap<string, string>, month: string): string {
  return fingerprints.get(month) ?? sha256Text("");
}

/**
 * The hot-spot partitions (manifest key → entry) that are still current for `months`: the entry was
 * computed from the same input fingerprint with the same parameter fingerprint, and its file holds
 * exactly the bytes the manifest recorded (SHA-256). The last check is what a kill needs: a commit
 * interrupted while renaming whose journal is then lost leaves some files of the new commit under a
 * manifest that still describes the old ones, with the old fingerprints — such a file is recomputed,
 * not trusted. Entries written before fingerprints were recorded are never current.
 */
export async function currentPartitions(
  lakeDir: string,
  table: Record<string, PartitionEntry>,
  months: readonly string[],
  inputs: ReadonlyMap<string, string>,
  parameters: string,
): Promise<Map<string, PartitionEntry>> {
  const wanted = new Set(months);
  const fresh = Object.entries(table).filter(
    ([, entry]) => wanted.has(entry.month) && entry.parameters_sha256 === parameters && entry.input_sha256 === inputFingerprint(inputs, entry.month),
  );
  // The files are hashed several at a time (a 10-year lake keeps 120; one after another, each waited for its read).
  const hashes = new Map<string, string | null>();
  await forEachLimited(fresh, HASHED_AT_ONCE, async ([key]) => hashes.set(key, await sha256File(join(lakeDir, key)).catch(() => null)));
  return new Map(fresh.filter(([key, entry]) => hashes.get(key) === entry.sha256));
}

/** How many partitions currentPartitions hashes at a time. */
const HASHED_AT_ONCE = 8;

/** What a stored hot-spot partition holds of one category: its incidents and cell counts by confidence bin (see storedPartitions). */
export interface StoredPartition {
  month: string;
  /** Incidents of the category in the study area's cells. */
  inside: number;
  /** Cells by bin without FDR, and with FDR; bin 0 only where the partition has rows of the category. */
  bin: Map<number, number>;
  binFdr: Map<number, number>;
}

/**
 * Per given hot-spot partition (manifest key → entry), what it stores of `category` (all offences:
 * every incident in the study area), in one DuckDB query over the files: what a kept month's counts
 * and bins were, without reading its aggregates or recomputing it. A partition with no row of the
 * category (a month without incidents) has inside 0 and no bins.
 */
export async function storedPartitions(
  connection: DuckDBConnection,
  lakeDir: string,
  partitions: ReadonlyMap<string, PartitionEntry>,
  category: string,
): Promise<Map<string, StoredPartition>> {
  const stored = new Map([...partitions].map(([key, entry]) => [key, { month: entry.month, inside: 0, bin: new Map(), binFdr: new Map() } as StoredPartition]));
  if (partitions.size === 0) return stored;
  const keys = new Map([...partitions.keys()].map((key) => [join(lakeDir, key), key]));
  const reader = await connection.runAndReadAll(
    `SELECT filename, gi_bin::INTEGER, gi_bin_fdr::INTEGER, count(*)::DOUBLE, coalesce(sum(incidents), 0)::DOUBLE
       FROM read_parquet([${[...keys.keys()].map(sqlLiteral).join(", ")}], filename = true)
      WHERE category = $category GROUP BY ALL ORDER BY ALL`,
    { category },
  );
  for (const [file, plain, fdr, cells, incidents] of reader.getRows() as [string, number, number, number, number][]) {
    const partition = stored.get(keys.get(file) ?? "");
    if (!partition) continue;
    partition.inside += incidents;
    partition.bin.set(plain, (partition.bin.get(plain) ?? 0) + cells);
    partition.binFdr.set(fdr, (partition.binFdr.get(fdr) ?? 0) + cells);
  }
  return stored;
}

/**
 * Cell-months by confidence bin ("-3" … "3"), without and with FDR, of the given stored partitions
 * (see storedPartitions). A partition holds no all-offences rows for a month with no incident; every
 * cell of such a month counts as bin 0, so bin 0 is what the other bins leave of `cellMonths` (the
 * partitions' months × the study-area cells).
 */
export function storedBinCounts(partitions: Iterable<StoredPartition>, cellMonths: number): { bin: Record<string, number>; binFdr: Record<string, number> } {
  const bin: Record<string, number> = {};
  const binFdr: Record<string, number> = {};
  for (const partition of partitions) {
    for (const [counts, of] of [
      [bin, partition.bin],
      [binFdr, partition.binFdr],
    ] as const) {
      for (const [b, n] of of) if (b !== 0) counts[b] = (counts[b] ?? 0) + n;
    }
  }
  for (const counts of [bin, binFdr]) {
    const zero = cellMonths - Object.values(counts).reduce((s, n) => s + n, 0);
    if (zero > 0) counts[0] = zero;
  }
  return { bin, binFdr };
}
