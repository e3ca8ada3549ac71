import { availableParallelism } from "node:os";
import { basename } from "node:path";
import { writeFile } from "node:fs/promises";
import { isTimeZone } from "../config.ts";
import { withConnections } from "../duckdb/connection.ts";
import { sha256File } from "../lake/atomic-file.ts";
import { lakeKey, lakeLayout } from "../lake/lake-layout.ts";
import { stageAggregates, stagePartitionAggregates } from "../lake/aggregates.ts";
import { LakeTransaction, recoverLake } from "../lake/lake-commit.ts";
import { asStored, MANIFEST_FILE, manifestText, readManifest, type Manifest } from "../lake/manifest.ts";
import { exportIdentity, exportName, fileSlug } from "./export-identity.ts";
import { refuseLostMonths, removal, type Removal } from "./export-removal.ts";
import { checksIdsAcrossExports, otherExportFiles, quarantineHeldIds } from "./other-exports.ts";
import type { QualityReport } from "./quality-report.ts";
import { configureStaging, stageFile, type Staged } from "./stage-file.ts";
import { checkInputFile, InputFileError } from "./open-input.ts";
import { coordinateDecimals, coordinatePrecisionNote, monthNotes } from "./ingest-notes.ts";
import { municipalityCheck } from "./municipality-check.ts";
import type { TimePrecision } from "./parse-time.ts";
import { likelyCause, type IngestReport, type QuarantineExample } from "./ingest-verdict.ts";
import type { IngestOptions, IngestTimings } from "./ingest-options.ts";

/**
 * Ingests one incident file into the lake: maps and validates every record as its source
 * describes, quarantines the refused ones with line and reason, assigns the calendar month (in the
 * lake's time zone) and H3 cell, and replaces this export's month partitions atomically. The lake
 * keeps, per export (its source and path, or an explicit export id: see ExportIdentity), the rows
 * of its latest version: re-running the same file changes nothing, a corrected re-export replaces
 * the old one, and any other file is kept beside it. Without `replace`, a version with no row
 * ingested replaces nothing (a failed export is far more likely than an empty one), nor does one
 * that lacks months the old one holds (see refuseLostMonths) or a file the lake cannot tell from
 * another export (see supersededExports); every month removed is in the result's `removed`.
 * Repeated ids: the first row is kept and later ones are quarantined (`repeated_ids: quarantine`),
 * named as exact duplicates when every field is equal, and so is a row whose id another export of
 * the source holds in the lake (see other-exports.ts) — or all are kept (`repeated_ids: keep`).
 */
export async function ingestFile(file: string, options: IngestOptions): Promise<IngestResult> {
  await checkInputFile(file);
  checkTimeZone(file, options);
  // Decoding the boundaries (0.05–0.1 s) runs while the staging database starts on another thread;
  // it is awaited before any row is read, and a failure refuses the file as before.
  const checking = municipalityCheck(options.source, options.boundaries);
  checking.catch(() => undefined);
  const identity = await exportIdentity(file, options.exportBase ?? options.lakeDir, options.source.id, options.exportId);
  const name = exportName(identity);
  let examples: ReadonlyMap<string, QuarantineExample> = new Map();
  let stored: QualityReport | undefined;
  let removed: Removal[] = [];
  await recoverLake(options.lakeDir);

  // One connection per core to one database: the month partitions are written side by side, each
  // COPY on one thread (see configureStaging), so their bytes never depend on the machine.
  await withConnections(availableParallelism(), async (connections) => {
    const check = await checking;
    const connection = connections[0]!;
    await configureStaging(connection);
    const started = performance.now();
    const staged = await stageFile(connection, file, options, check.rings);
    const streamed = performance.now();
    const { stage, tally, sink } = staged;
    examples = tally.examples;
    stage.close();
    options.onProgress?.(tally.rowsRead);
    if (tally.rowsRead === 0 && !options.replace) {
      throw new InputFileError(
        file,
        "has a header but no data rows; the lake was not changed",
        "ingest it with --replace to empty this export's months",
        (reason, advice) => `${reason} (${advice})`,
      );
    }
    if (sink.suspects > 0) await quarantineRepeats(staged, basename(file));

    // Everything this file changes becomes visible in one commit (see LakeTransaction).
    const manifest = await readManifest(options.lakeDir, options.timeZone, options.resolution);
    const incidents = (manifest.tables.incidents ??= {});
    const sha256 = staged.sha256 ?? (await sha256File(file));
    const superseded = supersededExports(file, { source: options.source.id, file: basename(file), sha256 }, manifest, name, options.replace === true);
    if (checksIdsAcrossExports(options.source)) {
      const others = await otherExportFiles(manifest, options.lakeDir, options.source.id, name, superseded, options.fetchLakeFiles);
      await quarantineHeldIds(staged, file, basename(file), options.source, others);
    }
    const decimals = await coordinateDecimals(stage);
    const notes = [...monthNotes(tally.monthRows, options.timeZone, options.now), coordinatePrecisionNote(decimals, options.resolution) ?? []].flat();
    const report = {
      ...tally.report(options.source.id, basename(file), sha256),
      export: identity.path,
      municipality_check: check.note,
      coordinate_decimals: decimals,
      ...(notes.length > 0 ? { notes } : {}),
    };
    refuseEmptyReplacement(file, report, manifest, name, options.replace === true);
    const lost = removal(manifest, name, (month) => !report.months.includes(month));
    refuseLostMonths(file, identity, lost, options.replace === true);
    removed = [lost, ...superseded.map((other) => removal(manifest, other, () => true))].filter((r) => r.months.length > 0);
    const transaction = new LakeTransaction(options.lakeDir);
    try {
      const order = sink.monthsInOrder();
      const months: Array<{ month: string; key: string; code: number; inOrder: boolean; path: string }> = [];
      for (const month of [...tally.monthRows.keys()].sort()) {
        const key = lakeKey(options.lakeDir, lakeLayout.incidentPartition(options.lakeDir, month, name));
        const { code, inOrder } = order.get(month)!;
        months.push({ month, key, code, inOrder, path: await transaction.stage(key) });
      }
      // Each partition's aggregates are counted as soon as it is written, by the connection that
      // wrote it (idle until its next month): the writers count side by side.
      await stage.writeMonths(connections, months, sink.dictionary(), { source: options.source.id, file: basename(file) }, async (m, connection) => {
        incidents[m.key] = { month: m.month, source: name, rows: tally.monthRows.get(m.month)!, sha256: await sha256File(m.path) };
        await stagePartitionAggregates(connection, manifest, transaction, m.key, m.path);
      });
      await stage.writeQuarantine(await transaction.stage(lakeKey(options.lakeDir, lakeLayout.quarantineFile(options.lakeDir, name))));
      // Months this export held before but no longer does (a corrected export), and every file of
      // an export this one supersedes: drop them.
      for (const [key, entry] of Object.entries(incidents)) {
        const gone = entry.source === name ? !tally.monthRows.has(entry.month) : entry.source !== undefined && superseded.includes(entry.source);
        if (gone) {
          transaction.remove(key);
          delete incidents[key];
        }
      }
      for (const other of superseded) {
        transaction.remove(lakeKey(options.lakeDir, lakeLayout.quarantineFile(options.lakeDir, other)));
        delete manifest.sources[other];
      }
      // The aggregates of partitions dropped (and any a lake from before them lacks), in this commit.
      await stageAggregates(connection, options.lakeDir, manifest, transaction, new Map(months.map((m) => [m.key, m.path])));
      if (options.config) manifest.config = options.config;
      manifest.sources[name] = report;
      await writeFile(await transaction.stage(MANIFEST_FILE), manifestText(manifest));
    } catch (error) {
      await transaction.abandon();
      throw error;
    }
    await transaction.commitChanges();
    // The report as the manifest now holds it, without reading the whole manifest back.
    stored = asStored(manifest.sources[name]!);
    if (options.timings) recordTimings(options.timings, staged, (streamed - started) / 1000, (performance.now() - streamed) / 1000);
  });
  const report = { ...stored!, ...(removed.length > 0 ? { removed } : {}) };
  // A file with nothing quarantined and nothing removed gets exactly its manifest report.
  if (report.rows_quarantined === 0) return report;
  const cause = likelyCause(report, examples, options.source);
  return {
    ...report,
    quarantine_examples: Object.fromEntries([...examples].sort(([a], [b]) => a.localeCompare(b))),
    ...(cause ? { likely_cause: cause } : {}),
  };
}

/**
 * A version of an export in which no row could be ingested would replace the export's months with
 * nothing (issue 21: a re-export whose every row was bad wiped them, exit 0). Refused unless
 * `replace` says that is meant; an export the lake does not hold yet has nothing to lose, and is
 * recorded with its quarantine (the CLI then exits with EXIT_QUARANTINED).
 */
function refuseEmptyReplacement(file: string, report: QualityReport, manifest: Manifest, name: string, replace: boolean): void {
  if (report.rows_ingested > 0 || replace) return;
  const held = manifest.sources[name];
  if (!held || held.months.length === 0) return;
  const reasons = Object.entries(report.quarantine_reasons)
    .map(([code, n]) => `${code} ${n}`)
    .join(", ");
  throw new InputFileError(
    file,
    `none of its ${report.rows_read} rows could be ingested (${reasons}), so it would replace this export's ${held.rows_ingested} rows ` +
      `(months ${held.months[0]}…${held.months.at(-1)}) with nothing; the lake was not changed`,
    "Correct the file, or ingest it with --replace if the export is meant to be empty",
    (reason, advice) => `${reason}. ${advice}`,
  );
}

/**
 * The exports this file replaces besides its own earlier version: entries the lake cannot tell
 * apart from it, each refused unless `replace` says this file supersedes them.
 * - An entry from before exports were keyed by path (named by the file name's slug alone, with no
 *   `export`) of the same source and file name: it may be an earlier version of this export or
 *   another folder's file of the same name.
 * - Another export of the same source with exactly these bytes: ingesting them again would count
 *   every row twice (a moved or copied file, or the same file under two names).
 */
function supersededExports(
  file: string,
  report: Pick<QualityReport, "source" | "file" | "sha256">,
  manifest: Manifest,
  name: string,
  replace: boolean,
): string[] {
  const found = new Map<string, { why: string; otherwise: string }>();
  const legacy = fileSlug(file);
  const old = manifest.sources[legacy];
  if (old && old.export === undefined && old.source === report.source && old.file === report.file) {
    found.set(legacy, {
      why: `an export '${old.file}' of source '${old.source}' ingested before exports were told apart by their path`,
      otherwise: "if it is another export, rename the file so that the names differ",
    });
  }
  for (const [other, held] of Object.entries(manifest.sources)) {
    if (other === name || found.has(other) || held.source !== report.source || held.sha256 !== report.sha256) continue;
    found.set(other, {
      why: `the same bytes as export '${held.export ?? held.file}' of source '${held.source}'`,
      otherwise: "if it is a copy, leave it out: its rows are in the lake already",
    });
  }
  if (found.size === 0 || replace) return [...found.keys()];
  const [other, { why, otherwise }] = [...found][0]!;
  const months = manifest.sources[other]!.months;
  throw new InputFileError(
    file,
    `the lake cannot tell it from ${why} (months ${months[0] ?? "none"}…${months.at(-1) ?? "none"}); the lake was not changed`,
    `If this file is a new version of that export, ingest it with --replace (that export's months are replaced by this file's); ${otherwise}`,
    (reason, advice) => `${reason}. ${advice}`,
  );
}

/** What `ingestFile` returns: the report, and every removal it made (absent when none; never in the manifest, so re-ingesting stays byte-identical). */
export type IngestResult = IngestReport & { removed?: Removal[] };

/**
 * A lake cuts every file's months in its one time zone, and a source's `timezone` is the zone of its
 * place (its local times are read in it): the two must be the same, or months near their ends would
 * silently move (issue 18: 1.5 % of a North American export, and a spurious month). Checked before
 * anything is read or written.
 */
function checkTimeZone(file: string, options: IngestOptions): void {
  if (!isTimeZone(options.timeZone)) {
    throw new InputFileError(
      file,
      `the lake's time zone '${options.timeZone}' is not an IANA time zone`,
      "write one such as Europe/Vilnius or America/Phoenix (--timezone, or timezone: in the configuration)",
      (reason, advice) => `${reason}; ${advice}; the lake was not changed`,
    );
  }
  if (options.source.timezone === options.timeZone) return;
  throw new InputFileError(
    file,
    `its source description '${options.source.id}' is in time zone ${options.source.timezone}, but this lake's months are cut in ${options.timeZone}`,
    "ingest it into a lake of its own (another --lake, with no --timezone and no timezone: in the configuration, takes the source's zone), " +
      `or correct timezone: in the description if the place is in ${options.timeZone}`,
    (reason, advice) => `${reason}: ${advice}; the lake was not changed`,
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
