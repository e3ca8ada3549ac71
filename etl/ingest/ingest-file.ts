import { basename } from "node:path";
import { writeFile } from "node:fs/promises";
import { withConnection } from "../duckdb/connection.ts";
import { sha256File } from "../lake/atomic-file.ts";
import { lakeKey, lakeLayout } from "../lake/lake-layout.ts";
import { LakeTransaction, recoverLake } from "../lake/lake-commit.ts";
import { MANIFEST_FILE, manifestText, readManifest } from "../lake/manifest.ts";
import { configureStaging, stageFile, type Staged } from "./stage-file.ts";
import { InputFileError } from "./open-input.ts";
import type { TimePrecision } from "./parse-time.ts";
import { likelyCause, type IngestReport, type QuarantineExample } from "./ingest-verdict.ts";
import type { IngestOptions, IngestTimings } from "./ingest-options.ts";

/**
 * Ingests one incident file into the lake: maps and validates every record as its source
 * describes, quarantines the refused ones with line and reason, assigns the calendar month (in the
 * lake's time zone) and H3 cell, and replaces this file's month partitions atomically. The lake
 * keeps, per input file name, the rows of its latest version: re-running the same file changes
 * nothing, and a corrected re-export replaces the old one, months it no longer holds included.
 * Repeated ids: the first row is kept and later ones are quarantined (`repeated_ids: quarantine`),
 * named as exact duplicates when every field is equal — or all are kept (`repeated_ids: keep`).
 */
export async function ingestFile(file: string, options: IngestOptions): Promise<IngestReport> {
  const name = fileSlug(file);
  checkTimeZone(file, options);
  let examples: ReadonlyMap<string, QuarantineExample> = new Map();
  await recoverLake(options.lakeDir);

  // Two databases: the months of a file are staged and written in two halves, one per core.
  await withConnection((first) =>
    withConnection(async (second) => {
      await configureStaging(first, "a");
      await configureStaging(second, "b");
      const started = performance.now();
      const staged = await stageFile([first, second], file, options);
      const streamed = performance.now();
      const { stage, tally, sink } = staged;
      examples = tally.examples;
      stage.close();
      options.onProgress?.(tally.rowsRead);
      // An export with no rows is far more often a failed export than a period with no incidents;
      // replacing this file's months with nothing would silently empty them.
      if (tally.rowsRead === 0) throw new InputFileError(file, "has a header but no data rows; the lake was not changed");
      if (sink.suspects > 0) await quarantineRepeats(staged, basename(file));

      // Everything this file changes becomes visible in one commit (see LakeTransaction).
      const manifest = await readManifest(options.lakeDir, options.timeZone, options.resolution);
      const incidents = (manifest.tables.incidents ??= {});
      const transaction = new LakeTransaction(options.lakeDir);
      try {
        const order = sink.monthsInOrder();
        const months: Array<{ month: string; key: string; code: number; half: number; inOrder: boolean; path: string }> = [];
        for (const month of [...tally.monthRows.keys()].sort()) {
          const key = lakeKey(options.lakeDir, lakeLayout.incidentPartition(options.lakeDir, month, name));
          const { code, inOrder } = order.get(month)!;
          months.push({ month, key, code, half: sink.halfOf(code), inOrder, path: await transaction.stage(key) });
        }
        await stage.writeMonths(months, sink.dictionary(), { source: options.source.id, file: basename(file) }, async (path) => {
          const m = months.find((x) => x.path === path)!;
          incidents[m.key] = { month: m.month, source: name, rows: tally.monthRows.get(m.month)!, sha256: await sha256File(path) };
        });
        await stage.writeQuarantine(await transaction.stage(lakeKey(options.lakeDir, lakeLayout.quarantineFile(options.lakeDir, name))));
        // Months this file held before but no longer does (a corrected export): drop them.
        for (const [key, entry] of Object.entries(incidents)) {
          if (entry.source === name && !tally.monthRows.has(entry.month)) {
            transaction.remove(key);
            delete incidents[key];
          }
        }
        if (options.config) manifest.config = options.config;
        manifest.sources[name] = tally.report(options.source.id, basename(file), await sha256File(file));
        await writeFile(await transaction.stage(MANIFEST_FILE), manifestText(manifest));
      } catch (error) {
        await transaction.abandon();
        throw error;
      }
      await transaction.commitChanges();
      if (options.timings) recordTimings(options.timings, staged, (streamed - started) / 1000, (performance.now() - streamed) / 1000);
    }),
  );
  const report = (await readManifest(options.lakeDir, options.timeZone, options.resolution)).sources[name]!;
  // A file with nothing quarantined gets exactly its manifest report.
  if (report.rows_quarantined === 0) return report;
  const cause = likelyCause(report, examples, options.source);
  return {
    ...report,
    quarantine_examples: Object.fromEntries([...examples].sort(([a], [b]) => a.localeCompare(b))),
    ...(cause ? { likely_cause: cause } : {}),
  };
}

/**
 * A lake cuts every file's months in its one time zone, and a source's `timezone` is the zone of its
 * place (its local times are read in it): the two must be the same, or months near their ends would
 * silently move (issue 18: 1.5 % of a North American export, and a spurious month). Checked before
 * anything is read or written.
 */
function checkTimeZone(file: string, options: IngestOptions): void {
  if (options.source.timezone === options.timeZone) return;
  throw new InputFileError(
    file,
    `its source description '${options.source.id}' is in time zone ${options.source.timezone}, but this lake's months are cut in ${options.timeZone}: ` +
      `ingest it into a lake of its own (another --lake, with no --timezone and no timezone: in the configuration, takes the source's zone), ` +
      `or correct timezone: in the description if the place is in ${options.timeZone}; the lake was not changed`,
  );
}

/**
 * The second half of the repeated-id check (the first is in IngestSink): the rows IncidentStage finds
 * to be repeats leave the stage and the tally and join the quarantine, with the line they repeat.
 */
async function quarantineRepeats({ stage, tally, sink }: Staged, fileName: string): Promise<void> {
  const repeats = await stage.takeRepeats(fileName);
  for (const r of repeats) {
    for (let i = 0; i < r.rows; i++) {
      tally.quarantined(r.code);
      tally.unkeep(sink.text(r.month), sink.text(r.precision) as TimePrecision, r.ambiguous);
    }
  }
  if (repeats.length > 0) tally.setExtent(tally.monthRows.size > 0 ? await stage.extent() : null);
}

function recordTimings(timings: IngestTimings, { sink }: Staged, streamSeconds: number, writeSeconds: number): void {
  const cpu = sink.readSeconds + sink.h3Seconds + sink.stageSeconds;
  const h3 = cpu > 0 ? (streamSeconds * sink.h3Seconds) / cpu : 0;
  timings.h3_index += h3;
  timings.read_validate += streamSeconds - h3;
  timings.parquet_write += writeSeconds;
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
