import { sha256File, sha256Text } from "../lake/atomic-file.ts";
import { recoverForWrite } from "../lake/lake-commit.ts";
import { readManifest, type Manifest } from "../lake/manifest.ts";
import { tableKey, tablePath, type FileAt } from "../lake/table-paths.ts";
import type { EntryExtras } from "../lake/table-writer.ts";
import type { LakeTable } from "../lake/tables.ts";
import { incidentFingerprints, inputFingerprint, parametersFingerprint } from "./hot-spot-freshness.ts";

/**
 * The fingerprints the manifest records with an analytics output file (emerging hot spots,
 * forecasts, backtests; hot spots get theirs per month in hot-spot-freshness.ts), so a reader or a
 * later run can tell whether the file still answers the question it would ask now:
 * - `parameters_sha256`: everything besides the incidents that changes the rows — the stage's
 *   parameters (resolution, k, method options, study-area label…), the category, the lake's time
 *   zone (it cuts the months), and the study area's cells (a changed boundary file keeps its label);
 * - `input_sha256`: the incident partitions (keys and checksums) of every month the output read,
 *   so a corrected export of any of those months changes it and one of a later month does not.
 * Call it inside the writer's commit (after recovery), with that commit's manifest.
 */
export function outputFingerprints(
  manifest: Manifest,
  parameters: Record<string, unknown>,
  input: { category: string; cells: readonly string[]; months: readonly string[] },
): Required<EntryExtras> {
  const cells = input.cells.every((c, i) => i === 0 || input.cells[i - 1]! < c) ? input.cells : [...input.cells].sort();
  return {
    parameters_sha256: parametersFingerprint({
      ...parameters,
      category: input.category,
      time_zone: manifest.timezone,
      study_area_cells: cells.length,
      study_area_sha256: sha256Text(cells.join("\n")),
    }),
    input_sha256: monthsInputSha256(manifest, input.months),
  };
}

/**
 * `input_sha256` of an output that read `months` (see outputFingerprints): the incident partitions
 * (keys and checksums) of each of those months as the manifest lists them now.
 */
export function monthsInputSha256(manifest: Pick<Manifest, "tables">, months: readonly string[]): string {
  const byMonth = incidentFingerprints(manifest as Manifest); // it reads the tables alone
  return sha256Text(months.map((month) => `${month} ${inputFingerprint(byMonth, month)}\n`).join(""));
}

/** What an analytics stage asked to keep an up-to-date file returns instead of its summary (see `keptOutput`). */
export interface UnchangedOutput {
  /** Why the file was kept, not recomputed. */
  unchanged: string;
  category: string;
  file: string;
  /** The months the kept file read. */
  first_month: string | null;
  last_month: string | null;
}

/** Asks an analytics stage to return `UnchangedOutput` instead of recomputing a file that is up to date (`run`). */
export interface KeepUnchanged {
  keepUnchanged: true;
}

/**
 * The file `at` of `table` when it need not be recomputed: the manifest (after any interrupted commit
 * is rolled forward) lists it with exactly the fingerprints `fingerprintsOf` gives now, and its bytes
 * are still the SHA-256 recorded — so a file renamed into place by a killed commit whose manifest never
 * landed, or changed by hand, is recomputed. Null when it must be (re)computed. `open`: the manifest
 * of a commit open on the lake (its writer recovered the lake), read instead of the lake's.
 */
export async function keptOutput(
  lake: { lakeDir: string; timeZone: string; resolution: number },
  table: LakeTable,
  at: FileAt,
  months: readonly string[],
  fingerprintsOf: (manifest: Manifest) => Required<EntryExtras>,
  open?: Manifest,
): Promise<UnchangedOutput | null> {
  if (table.manifest === null) return null;
  if (!open) await recoverForWrite(lake.lakeDir);
  const manifest = open ?? (await readManifest(lake.lakeDir, lake.timeZone, lake.resolution));
  if (!(await filesKept(lake.lakeDir, manifest, [{ table, at }], fingerprintsOf(manifest)))) return null;
  const path = tablePath(lake.lakeDir, table, at);
  return {
    unchanged: "its parameters and the incident partitions it read are the ones recorded with it",
    category: at.name ?? "",
    file: path,
    first_month: months[0] ?? null,
    last_month: months.at(-1) ?? null,
  };
}

/**
 * Whether every file of `files` is one a stage may keep: `manifest` lists it with exactly the
 * fingerprints `now` (what the stage would read and ask now) and its bytes are still the SHA-256
 * recorded. The one check behind keptOutput and the evaluate stage's keeping of its tables.
 */
export async function filesKept(
  lakeDir: string,
  manifest: Manifest,
  files: ReadonlyArray<{ table: LakeTable; at: FileAt }>,
  now: Required<EntryExtras>,
): Promise<boolean> {
  for (const { table, at } of files) {
    const entry = table.manifest === null ? undefined : manifest.tables[table.manifest]?.[tableKey(table, at)];
    if (!entry?.sha256 || entry.parameters_sha256 !== now.parameters_sha256 || entry.input_sha256 !== now.input_sha256) return false;
    if ((await sha256File(tablePath(lakeDir, table, at)).catch(() => null)) !== entry.sha256) return false;
  }
  return true;
}

/** An earlier file of the same question on the lake's first months (see earlierOutput). */
export interface EarlierOutput {
  path: string;
  /** Its partition: the last month it read. */
  month: string;
  /** The SHA-256 of its bytes, just checked against the manifest's (callers key on it instead of hashing the file again). */
  sha256: string;
}

/**
 * The latest file `name` of `table` in a partition before the last of `months` that answers the same
 * question on the months up to its own: the manifest records it with exactly the fingerprints
 * `fingerprintsOf` gives now for those months (same parameters and cells, same incident partitions of
 * every month it read), and its bytes are still the SHA-256 recorded. A stage whose results for a
 * month depend only on the months up to it (the backtest's folds) extends such a file instead of
 * recomputing it. Call after keptOutput (which rolls an interrupted commit forward). Null when no
 * earlier file qualifies — e.g. a corrected export of a month it read. `open` as for keptOutput.
 */
export async function earlierOutput(
  lake: { lakeDir: string; timeZone: string; resolution: number },
  table: LakeTable,
  name: string,
  months: readonly string[],
  fingerprintsOf: (manifest: Manifest, months: readonly string[]) => Required<EntryExtras>,
  open?: Manifest,
): Promise<EarlierOutput | null> {
  if (table.manifest === null || table.partition !== "month") return null;
  const manifest = open ?? (await readManifest(lake.lakeDir, lake.timeZone, lake.resolution));
  const entries = manifest.tables[table.manifest] ?? {};
  for (let i = months.length - 2; i >= 0; i--) {
    const at = { partition: months[i]!, name };
    const entry = entries[tableKey(table, at)];
    if (!entry?.sha256) continue;
    const then = fingerprintsOf(manifest, months.slice(0, i + 1));
    if (entry.parameters_sha256 !== then.parameters_sha256 || entry.input_sha256 !== then.input_sha256) continue;
    const path = tablePath(lake.lakeDir, table, at);
    if ((await sha256File(path).catch(() => null)) === entry.sha256) return { path, month: months[i]!, sha256: entry.sha256 };
  }
  return null;
}
