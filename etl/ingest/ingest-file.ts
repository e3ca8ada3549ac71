import { createHash } from "node:crypto";
import { basename } from "node:path";
import { writeFile } from "node:fs/promises";
import { latLngToCell } from "h3-js";
import { withConnection } from "../duckdb/connection.ts";
import { sha256File } from "../lake/atomic-file.ts";
import { lakeKey, lakeLayout } from "../lake/lake-layout.ts";
import { LakeTransaction, recoverLake } from "../lake/lake-commit.ts";
import { MANIFEST_FILE, manifestText, readManifest } from "../lake/manifest.ts";
import { IncidentStage, writeQuarantine, type QuarantineRecord } from "../lake/write-incidents.ts";
import { calendarMonth } from "./calendar-month.ts";
import { mapRecord } from "./map-record.ts";
import { InputFileError } from "./open-input.ts";
import { QualityTally, type QualityReport } from "./quality-report.ts";
import { readRecords } from "./read-records.ts";
import { requiredColumns, type SourceDescription } from "./source-description.ts";

export interface IngestOptions {
  lakeDir: string;
  resolution: number;
  timeZone: string;
  /** How the file is laid out (data/sources/*.yaml). */
  source: SourceDescription;
  /** Upper bound for timestamps; injectable for tests. */
  now?: number;
  /** Called every few thousand rows with the number read so far. */
  onProgress?: (rowsRead: number) => void;
}

/**
 * Ingests one incident file into the lake: maps and validates every record as its source
 * describes, quarantines the refused ones with line and reason, assigns the calendar month (in the
 * lake's time zone) and H3 cell, and replaces this file's month partitions atomically. The lake
 * keeps, per input file name, the rows of its latest version: re-running the same file changes
 * nothing, and a corrected re-export replaces the old one, months it no longer holds included.
 * Repeated ids: the first row is kept and later ones are quarantined (`repeated_ids: quarantine`),
 * named as exact duplicates when every field is equal — or all are kept (`repeated_ids: keep`).
 */
export async function ingestFile(file: string, options: IngestOptions): Promise<QualityReport> {
  const { source } = options;
  const now = options.now ?? Date.now();
  const name = fileSlug(file);
  const tally = new QualityTally();
  const quarantine: QuarantineRecord[] = [];
  // id → the line it was first taken from, and every distinct row content seen for it (digest → line).
  const seen = new Map<string, { line: number; contents: Map<string, number> }>();
  const monthRows = new Map<string, number>();
  const required = requiredColumns(source);
  await recoverLake(options.lakeDir);

  await withConnection(async (connection) => {
    const stage = await IncidentStage.create(connection);
    try {
      for await (const record of readRecords(file, source, required)) {
        tally.rowRead();
        if (tally.rowsRead % 5000 === 0) options.onProgress?.(tally.rowsRead);
        const refuse = (code: string, reason: string) => {
          tally.quarantined(code);
          quarantine.push({ file: basename(file), line: record.line, code, reason, raw: record.raw });
        };
        if ("error" in record) {
          refuse(record.error.code, record.error.reason);
          continue;
        }
        const mapped = mapRecord(record.fields, record.line, source, now);
        if (!mapped.ok) {
          refuse(mapped.rejection.code, mapped.rejection.reason);
          continue;
        }
        const { incident } = mapped;
        if (source.columns.id && source.repeated_ids === "quarantine") {
          const digest = createHash("sha1").update(JSON.stringify(record.fields)).digest("hex");
          const first = seen.get(incident.id);
          if (first) {
            const same = first.contents.get(digest);
            if (same !== undefined) refuse("exact_duplicate", `identical to line ${same}`);
            else {
              first.contents.set(digest, record.line);
              refuse("repeated_id", `id ${incident.id} was already taken from line ${first.line}; this row differs (kept the first)`);
            }
            continue;
          }
          seen.set(incident.id, { line: record.line, contents: new Map([[digest, record.line]]) });
        }
        if (incident.ambiguousTime) tally.warn("ambiguous_local_time");
        const month = calendarMonth(incident.occurredAt, options.timeZone);
        const row = { ...incident, month, h3Cell: latLngToCell(incident.lat, incident.lon, options.resolution), sourceFile: basename(file), sourceLine: record.line };
        stage.append(row);
        tally.keep(row);
        monthRows.set(month, (monthRows.get(month) ?? 0) + 1);
      }
    } finally {
      stage.close();
    }
    options.onProgress?.(tally.rowsRead);
    // An export with no rows is far more often a failed export than a period with no incidents;
    // replacing this file's months with nothing would silently empty them.
    if (tally.rowsRead === 0) throw new InputFileError(file, "has a header but no data rows; the lake was not changed");

    // Everything this file changes becomes visible in one commit (see LakeTransaction).
    const manifest = await readManifest(options.lakeDir, options.timeZone, options.resolution);
    const incidents = (manifest.tables.incidents ??= {});
    const transaction = new LakeTransaction(options.lakeDir);
    try {
      for (const month of [...monthRows.keys()].sort()) {
        const key = lakeKey(options.lakeDir, lakeLayout.incidentPartition(options.lakeDir, month, name));
        const staged = await transaction.stage(key);
        await stage.writeMonth(month, staged);
        incidents[key] = { month, source: name, rows: monthRows.get(month)!, sha256: await sha256File(staged) };
      }
      await writeQuarantine(connection, await transaction.stage(lakeKey(options.lakeDir, lakeLayout.quarantineFile(options.lakeDir, name))), quarantine);
      // Months this file held before but no longer does (a corrected export): drop them.
      for (const [key, entry] of Object.entries(incidents)) {
        if (entry.source === name && !monthRows.has(entry.month)) {
          transaction.remove(key);
          delete incidents[key];
        }
      }
      manifest.sources[name] = tally.report(source.id, basename(file), await sha256File(file));
      await writeFile(await transaction.stage(MANIFEST_FILE), manifestText(manifest));
    } catch (error) {
      await transaction.abandon();
      throw error;
    }
    await transaction.commitChanges();
  });
  return (await readManifest(options.lakeDir, options.timeZone, options.resolution)).sources[name]!;
}

/** File name reduced to a safe partition-file name: `Siauliai 2019.csv.gz` → `siauliai-2019`. */
export function fileSlug(file: string): string {
  const stem = basename(file).replace(/(\.(csv|tsv|txt|jsonl|ndjson|json|geojson))?(\.gz)?$/i, "");
  const slug = stem
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug === "") throw new Error(`cannot derive a partition name from the file name '${basename(file)}'`);
  return slug;
}
