import { mkdir, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { sha256Text, writeTextAtomically } from "../lake/atomic-file.ts";
import type { PartitionEntry } from "../lake/manifest.ts";
import { DASHBOARD_DATA_FILES } from "../../dashboard/data-contract.ts";

/**
 * What one publish keeps for the next, so that a publish after one more month computes only what
 * the month changed: small JSON files in `.state/` beside the data files, each holding what it was
 * computed from as checksums of every input, so that no input can change without the file being
 * ignored. Neither the site build nor the site upload (every `*.json` of the data folder itself)
 * reads this folder; some files hold sums before suppression, so nothing may publish it.
 */
export const STATE_FOLDER = ".state";

/** The state files publish keeps (one place for their names). */
export const STATE_FILES = {
  /** hotspots.json's months and the partitions they came from (hotspot-table.ts, HotSpotState). */
  hotSpots: "hotspots-state.json",
  /** The count tables' sums per month with the fingerprint of the month's cell_counts partitions (count-tables.ts). */
  countRows: "count-rows.json",
  /** Each mapped cell's place names, keyed by the places data (cell-place-names.ts). */
  placeNames: "place-names.json",
  /** The places file parsed, with each place's index cell, keyed by its text (named-places.ts). */
  places: "places.json",
  /** evaluation.json's parts (each project, each evaluation), keyed by their lake files (evaluation-parts.ts). */
  evaluations: "evaluations.json",
} as const;

/**
 * Every file of the data folder that a publish reads back from the previous one, relative to the
 * folder with forward slashes: the state files, and hotspots.json, which the hot-spot state describes
 * (dashboard-data.ts, previousHotSpots). Where the data folder does not survive between publishes
 * (the monthly Lambda's, etl/storage/s3-publish-state.ts), keeping exactly these keeps the reuse.
 */
export const CARRIED_FILES: readonly string[] = [...Object.values(STATE_FILES).map((name) => `${STATE_FOLDER}/${name}`), DASHBOARD_DATA_FILES.hotspots];

/** The path of one state file of the data folder `outDir`. */
export function stateFile(outDir: string, name: (typeof STATE_FILES)[keyof typeof STATE_FILES]): string {
  return join(outDir, STATE_FOLDER, name);
}

/** A state file's content, or null when there is none or it is not JSON (the caller then computes everything). */
export async function readState<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    return null;
  }
}

/** Writes a state file atomically (its folder made where missing); returns the text written. */
export async function writeState(file: string, value: unknown): Promise<string> {
  const text = JSON.stringify(value);
  await mkdir(dirname(file), { recursive: true });
  await writeTextAtomically(file, text);
  return text;
}

/**
 * Writes a data file atomically unless it already holds exactly `text`: an unchanged file keeps its
 * bytes and modification time, so what watches the folder (the dashboard's dev server, a sync of the
 * site) sees only the files a month changed. Returns whether it wrote.
 */
export async function writeIfChanged(path: string, text: string): Promise<boolean> {
  // A file of another size differs: only one of the same size is read back to compare (a month changes most files' sizes).
  const size = await stat(path).then(
    (s) => s.size,
    () => null,
  );
  const now = size === Buffer.byteLength(text) ? await readFile(path, "utf8").catch(() => null) : null;
  if (now === text) return false;
  await writeTextAtomically(path, text);
  return true;
}

/**
 * Per month, the keys of a table's partition files (the manifest's, sorted) and one fingerprint over
 * their keys and SHA-256s: a month whose fingerprint is the one recorded has byte for byte the same
 * files. The month is the manifest's (`PartitionEntry.month`), not parsed from the key.
 */
export function monthFingerprints(
  entries: Readonly<Record<string, PartitionEntry>>,
  keys: readonly string[] = Object.keys(entries),
): Map<string, { keys: string[]; sha256: string }> {
  const byMonth = new Map<string, string[]>();
  for (const key of [...keys].sort()) {
    const month = entries[key]?.month ?? "";
    byMonth.set(month, [...(byMonth.get(month) ?? []), key]);
  }
  return new Map(
    [...byMonth].map(([month, monthKeys]) => [
      month,
      { keys: monthKeys, sha256: sha256Text(monthKeys.map((key) => `${key} ${entries[key]?.sha256 ?? ""}\n`).join("")) },
    ]),
  );
}
