import { access } from "node:fs/promises";
import { join } from "node:path";
import type { HeldFile } from "../lake/write-incidents.ts";
import type { Manifest } from "../lake/manifest.ts";
import type { TimePrecision } from "./parse-time.ts";
import { readRecords } from "./read-records.ts";
import { requiredColumns, type SourceDescription } from "./source-description.ts";
import type { Staged } from "./stage-file.ts";

/**
 * The repeated-id check across exports (issue: an export of May–September after January–June and
 * July–December exports doubled five months). Police units re-export recent months, so one incident
 * number of a source arrives in several exports: the lake counts it once, in the export that brought
 * it first, and a later export's row with that id is quarantined as `id_in_other_export`, naming
 * the export, month and line that hold it (data/sources/README.md, "Repeated incident numbers").
 * Ids made from line numbers (no id column) and `repeated_ids: keep` are not checked, as within a file.
 */
export function checksIdsAcrossExports(source: SourceDescription): boolean {
  return source.columns.id !== undefined && source.repeated_ids === "quarantine";
}

/**
 * The incident partitions of the source's other exports, which this file's rows are checked
 * against: not this export's own (it is replaced) nor those of exports it supersedes (removed in
 * the same commit). A remote lake's mirror for ingest holds only the manifest: the files it lacks
 * are brought with `fetch` (see README, "The commit"); without one, such a lake cannot be checked and
 * this refuses rather than let an overlapping export count twice.
 */
export async function otherExportFiles(
  manifest: Manifest,
  lakeDir: string,
  source: string,
  name: string,
  superseded: readonly string[],
  fetch?: (files: readonly string[]) => Promise<void>,
): Promise<HeldFile[]> {
  const files: Array<HeldFile & { key: string }> = [];
  for (const [key, entry] of Object.entries(manifest.tables.incidents ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const owner = entry.source === undefined ? undefined : manifest.sources[entry.source];
    if (!owner || owner.source !== source || entry.source === name || superseded.includes(entry.source!)) continue;
    files.push({ key, path: join(lakeDir, ...key.split("/")), export: owner.export ?? owner.file });
  }
  const missing = [];
  for (const file of files) if (!(await exists(file.path))) missing.push(file.key);
  if (missing.length > 0) {
    if (!fetch)
      throw new Error(
        `the lake lists ${missing.length} incident file(s) of source '${source}' that are not in ${lakeDir} (${missing[0]}…): restore them, or check the lake`,
      );
    await fetch(missing);
  }
  return files.map(({ path, export: held }) => ({ path, export: held }));
}

/**
 * Moves the staged rows whose id another export holds to the quarantine and takes them out of the
 * tally; returns how many. Their text is read again from the file — only when there are any — since
 * kept rows are staged without it.
 */
export async function quarantineHeldIds(
  { stage, tally, sink }: Staged,
  file: string,
  fileName: string,
  source: SourceDescription,
  files: readonly HeldFile[],
): Promise<number> {
  const lines = await stage.findHeld(files);
  if (lines.length === 0) return 0;
  const { counts, first } = await stage.takeHeld(fileName, await rawTexts(file, source, lines));
  for (const r of counts) {
    for (let i = 0; i < r.rows; i++) {
      tally.quarantined(r.code, first?.line, first?.reason);
      tally.unkeep(sink.text(r.month), sink.text(r.precision) as TimePrecision, r.ambiguous);
    }
  }
  tally.setExtent(tally.monthRows.size > 0 ? await stage.extent() : null);
  return lines.length;
}

/** The text as read of the records on `lines` (ascending), by the general reader, which reads every file as the fast one does. */
async function rawTexts(file: string, source: SourceDescription, lines: readonly number[]): Promise<Map<number, string>> {
  const raws = new Map<number, string>();
  let next = 0;
  for await (const record of readRecords(file, source, requiredColumns(source))) {
    if (next === lines.length) break;
    if (record.line < lines[next]!) continue;
    if (record.line === lines[next]) raws.set(record.line, record.raw);
    while (next < lines.length && lines[next]! <= record.line) next++;
  }
  return raws;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
