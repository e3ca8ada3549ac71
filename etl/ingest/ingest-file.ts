import { basename } from "node:path";
import { rm } from "node:fs/promises";
import { latLngToCell } from "h3-js";
import { withConnection } from "../duckdb/connection.ts";
import { sha256File } from "../lake/atomic-file.ts";
import { lakeKey, lakeLayout } from "../lake/lake-layout.ts";
import { readManifest, writeManifest, type SourceFileEntry } from "../lake/manifest.ts";
import { writeIncidentPartition, writeQuarantine, type QuarantineRecord } from "../lake/write-incidents.ts";
import { calendarMonth } from "./calendar-month.ts";
import { INCIDENT_COLUMNS, type IncidentColumn, type IndexedIncident } from "./incident-schema.ts";
import { readCsvRows } from "./read-csv.ts";
import { validateIncident } from "./validate-incident.ts";

export interface IngestOptions {
  lakeDir: string;
  resolution: number;
  timeZone: string;
  /** Upper bound for timestamps; injectable for tests. */
  now?: number;
  /** Called every few thousand rows with the number read so far. */
  onProgress?: (rowsRead: number) => void;
}

/** Row accounting of one ingested file: rows read = rows ingested + rows quarantined. */
export type IngestFileSummary = SourceFileEntry;

/**
 * Ingests one canonical incident CSV into the lake: validates every row, quarantines the invalid
 * ones with line and reason, assigns the calendar month and H3 cell, and replaces this file's
 * month partitions atomically. The lake keeps, per input file name, the rows of its latest version,
 * so re-running the same file changes nothing and a corrected re-export replaces the old one.
 */
export async function ingestFile(file: string, options: IngestOptions): Promise<IngestFileSummary> {
  const now = options.now ?? Date.now();
  const name = fileSlug(file);
  const byMonth = new Map<string, IndexedIncident[]>();
  const quarantine: QuarantineRecord[] = [];
  const firstLineOfId = new Map<string, number>();
  let rowsRead = 0;

  for await (const row of readCsvRows(file, INCIDENT_COLUMNS)) {
    rowsRead++;
    if (rowsRead % 5000 === 0) options.onProgress?.(rowsRead);
    const refuse = (code: string, reason: string) =>
      quarantine.push({ file: basename(file), line: row.line, code, reason, raw: JSON.stringify(row.raw) });
    if (!row.record) {
      refuse("wrong_field_count", `the row has ${row.raw.length} fields; the header has ${INCIDENT_COLUMNS.length} or more named columns`);
      continue;
    }
    const result = validateIncident(row.record as Record<IncidentColumn, string>, now);
    if (!result.ok) {
      refuse(result.rejection.code, result.rejection.reason);
      continue;
    }
    const { incident } = result;
    const firstLine = firstLineOfId.get(incident.id);
    if (firstLine !== undefined) {
      refuse("duplicate_id", `id ${incident.id} already appeared on line ${firstLine}`);
      continue;
    }
    firstLineOfId.set(incident.id, row.line);
    const month = calendarMonth(incident.occurredAt, options.timeZone);
    const indexed: IndexedIncident = {
      ...incident,
      month,
      h3Cell: latLngToCell(incident.lat, incident.lon, options.resolution),
      sourceFile: basename(file),
      sourceLine: row.line,
    };
    const group = byMonth.get(month);
    if (group) group.push(indexed);
    else byMonth.set(month, [indexed]);
  }
  options.onProgress?.(rowsRead);

  const manifest = await readManifest(options.lakeDir, options.timeZone, options.resolution);
  const incidents = (manifest.tables.incidents ??= {});
  const months = [...byMonth.keys()].sort();
  await withConnection(async (connection) => {
    for (const month of months) {
      const rows = byMonth.get(month)!;
      const path = lakeLayout.incidentPartition(options.lakeDir, month, name);
      await writeIncidentPartition(connection, path, rows);
      incidents[lakeKey(options.lakeDir, path)] = { month, source: name, rows: rows.length, sha256: await sha256File(path) };
    }
    await writeQuarantine(connection, lakeLayout.quarantineFile(options.lakeDir, name), quarantine);
  });
  // Months this file held before but no longer does (a corrected export): drop them.
  for (const [key, entry] of Object.entries(incidents)) {
    if (entry.source === name && !byMonth.has(entry.month)) {
      await rm(`${options.lakeDir}/${key}`, { force: true });
      delete incidents[key];
    }
  }

  const reasons: Record<string, number> = {};
  for (const q of quarantine) reasons[q.code] = (reasons[q.code] ?? 0) + 1;
  const summary: IngestFileSummary = {
    file: basename(file),
    sha256: await sha256File(file),
    rows_read: rowsRead,
    rows_ingested: rowsRead - quarantine.length,
    rows_quarantined: quarantine.length,
    months,
    quarantine_reasons: reasons,
  };
  manifest.sources[name] = summary;
  await writeManifest(options.lakeDir, manifest);
  return summary;
}

/** File name reduced to a safe partition-file name: `Siauliai 2019.csv.gz` → `siauliai-2019`. */
export function fileSlug(file: string): string {
  const stem = basename(file).replace(/(\.(csv|tsv|txt|jsonl|json|geojson))?(\.gz)?$/i, "");
  const slug = stem
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug === "") throw new Error(`cannot derive a partition name from the file name '${basename(file)}'`);
  return slug;
}
