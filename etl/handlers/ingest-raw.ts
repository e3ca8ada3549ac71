import { access, mkdtemp, rm } from "node:fs/promises";
import { join, posix } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { CsvReaders } from "../ingest/csv-readers.ts";
import { exportName } from "../ingest/export-identity.ts";
import type { QualityReport } from "../ingest/quality-report.ts";
import { loadSourceDescription } from "../ingest/source-description.ts";
import { MANIFEST_FILE, parseManifest } from "../lake/manifest.ts";
import { ingestStage } from "../pipeline.ts";
import { categoriesOutside } from "../settings.ts";
import { LAKE_SCOPES, withS3Lake, type PushSummary } from "../storage/s3-lake.ts";
import { repairS3Lake, type LakeRepair } from "../storage/s3-orphans.ts";
import { downloadObject, listObjects, readObjectText } from "../storage/s3-objects.ts";
import { formatS3Url, keyOf, parseS3Url, relativeKey } from "../storage/s3-url.ts";
import type { HandlerConfig } from "./handler-config.ts";
import { readRefusedUploads, updateRefusedUploads } from "./refused-uploads.ts";
import { WORK_FOLDER_PREFIXES } from "./work-folders.ts";
import { quarantinedUploadError, uploadError, UploadRefusedError, type Upload } from "./upload-errors.ts";

/**
 * What happened to one raw object. `readerThreads` is a diagnostic: how many CSV reader threads the
 * ingest started (0: it read in the function's main thread — a file under 64 MiB of text, or not plain
 * CSV); see CsvReaders.
 */
export type IngestOutcome =
  | { key: string; status: "ingested"; source: string; report: QualityReport; pushed: PushSummary; readerThreads: number }
  | { key: string; status: "skipped"; reason: string };

/** The raw object cannot be ingested as it is named (wrong bucket or prefix, unknown source id). */
export class RawObjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RawObjectError";
  }
}

/**
 * Ingests one uploaded raw export into the S3 lake. The key says how to read it:
 * `<raw prefix>/<source-id>/…/<file>` is read with the source description `<source-id>.yaml`.
 * The export is downloaded to the work folder and ingested by the pipeline's ingest stage on a
 * local mirror of the lake's manifest; the new partitions, quarantine and manifest are uploaded.
 */
export async function ingestRawObject(client: S3Client, config: HandlerConfig, object: { bucket: string; key: string }): Promise<IngestOutcome> {
  if (object.bucket !== config.raw.bucket) {
    throw new RawObjectError(`s3://${object.bucket}/${object.key} is not in the raw bucket ${config.raw.bucket} this function ingests from`);
  }
  if (object.key.endsWith("/")) return { key: object.key, status: "skipped", reason: "a folder marker, not a file" };
  const sourcePath = await sourceDescriptionFor(config, object.key);
  const dir = await mkdtemp(join(config.workDir, WORK_FOLDER_PREFIXES.raw));
  try {
    const file = join(dir, posix.basename(object.key));
    const sha256 = await downloadObject(client, object.bucket, object.key, file);
    return await ingestUpload(client, config, uploadOf(config, object.key, file, sourcePath), sha256);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the scheduled ingest did: the lake's repair, then each raw export it looked at. */
export interface SweepOutcome {
  repaired: LakeRepair;
  outcomes: IngestOutcome[];
}

/**
 * The scheduled ingest. First it repairs the lake (repairS3Lake: a commit left half-done is rolled
 * forward, its failed deletes retried, and data files no manifest lists that are older than
 * `config.orphanGraceHours` — the uploads of a run killed before its manifest — are removed). Then
 * it re-checks every raw export modified within the look-back window and ingests those the lake
 * does not hold in that exact version (an upload whose notification was lost or failed). Exports
 * already in the lake byte for byte are skipped, and so are versions the ingest refused before
 * (refused-uploads.ts: they alerted once; a new upload under the key is tried again). One export
 * failing does not stop the others; the failures are thrown together at the end.
 */
export async function sweepRawObjects(client: S3Client, config: HandlerConfig, lookbackHours: number, now = Date.now()): Promise<SweepOutcome> {
  const repaired = await repairS3Lake(client, parseS3Url(config.lakeUrl), config.orphanGraceHours, { now: () => now });
  const since = now - lookbackHours * 3_600_000;
  const listed = await listObjects(client, config.raw.bucket, `${config.raw.prefix}/`);
  const objects = listed.filter((o) => !o.key.endsWith("/") && o.lastModified.getTime() >= since);
  const refused = await readRefusedUploads(client, config.lakeUrl);
  // Entries of keys since ingested, or deleted from the raw bucket, are dropped at the end.
  const present = new Set(listed.map((o) => o.key));
  const cleared = Object.keys(refused).filter((key) => !present.has(key));
  const lake = parseS3Url(config.lakeUrl);
  const manifestText = await readObjectText(client, lake.bucket, keyOf(lake, MANIFEST_FILE));
  const sources = manifestText === null ? {} : parseManifest(manifestText, formatS3Url(lake, MANIFEST_FILE)).sources;
  const outcomes: IngestOutcome[] = [];
  const failures: string[] = [];
  for (const object of objects.sort((a, b) => a.lastModified.getTime() - b.lastModified.getTime())) {
    const dir = await mkdtemp(join(config.workDir, WORK_FOLDER_PREFIXES.raw));
    try {
      const sourcePath = await sourceDescriptionFor(config, object.key);
      const name = posix.basename(object.key);
      const file = join(dir, name);
      const sha256 = await downloadObject(client, config.raw.bucket, object.key, file);
      const known = sources[exportName({ source: posix.basename(sourcePath, ".yaml"), path: object.key })];
      if (known && known.sha256 === sha256) {
        outcomes.push({ key: object.key, status: "skipped", reason: "already in the lake" });
        cleared.push(object.key);
        continue;
      }
      const before = refused[object.key];
      if (before && before.sha256 === sha256) {
        const reason = `refused at ${before.refused_at} (reported then); not retried until a new version is uploaded under this key`;
        outcomes.push({ key: object.key, status: "skipped", reason });
        continue;
      }
      outcomes.push(await ingestUpload(client, config, uploadOf(config, object.key, file, sourcePath), sha256));
      cleared.push(object.key);
    } catch (error) {
      failures.push(`${object.key}: ${(error as Error).message}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  await updateRefusedUploads(client, config.lakeUrl, { cleared });
  if (failures.length > 0) throw new Error(`scheduled ingest: ${failures.length} of ${objects.length} raw exports failed:\n${failures.join("\n")}`);
  return { repaired, outcomes };
}

function uploadOf(config: HandlerConfig, key: string, file: string, sourcePath: string): Upload {
  return { key, file, sourcePath, lakeUrl: config.lakeUrl, rawPrefix: config.raw.prefix };
}

/**
 * Ingests a downloaded upload, failing as the CLI does: a refusal names the key and what to do in
 * AWS (upload-errors.ts), and its version is recorded so the nightly sweep does not retry it; a
 * version whose rows were all or mostly quarantined is committed with its quarantine (as the CLI
 * leaves it) and then fails, so the Errors alarm and the dead-letter queue see it.
 */
async function ingestUpload(client: S3Client, config: HandlerConfig, upload: Upload, sha256: string): Promise<IngestOutcome> {
  let outcome: IngestOutcome;
  try {
    outcome = await ingestDownloaded(client, config, upload.key, upload.file, upload.sourcePath);
  } catch (error) {
    const restated = uploadError(error, upload);
    if (restated instanceof UploadRefusedError) {
      // The refusal is what the operator needs: a failure to record it only adds that the sweep will try the version again.
      await updateRefusedUploads(client, config.lakeUrl, { refused: { [upload.key]: { sha256, reason: restated.message } } }).catch((e: unknown) => {
        restated.message += ` (not recorded as refused, so the nightly sweep tries it again: ${(e as Error).message})`;
      });
    }
    throw restated;
  }
  const quarantined = outcome.status === "ingested" ? quarantinedUploadError(outcome.report, upload) : undefined;
  if (quarantined) throw quarantined;
  return outcome;
}

async function ingestDownloaded(client: S3Client, config: HandlerConfig, key: string, file: string, sourcePath: string): Promise<IngestOutcome> {
  const threads = CsvReaders.threadsStarted;
  const { result, pushed } = await withS3Lake(
    client,
    config.lakeUrl,
    LAKE_SCOPES.ingest,
    // The object key is the export's identity: another key, whatever its file name, is another export.
    (lakeDir, session) =>
      ingestStage([file], { ...config.settings, lakeDir }, undefined, sourcePath, undefined, {
        exportId: key,
        // The mirror holds only the manifest: the repeated-id check brings the source's other exports.
        fetchLakeFiles: (files) => session.fetch(files),
      }),
    config.workDir,
  );
  return {
    key,
    status: "ingested",
    source: posix.basename(sourcePath, ".yaml"),
    report: result.files[0]!,
    pushed,
    readerThreads: CsvReaders.threadsStarted - threads,
  };
}

/** The source description a raw key names: `<raw prefix>/<source-id>/…/<file>` → `<sources>/<source-id>.yaml`. */
async function sourceDescriptionFor(config: HandlerConfig, key: string): Promise<string> {
  const inside = relativeKey(config.raw, key);
  const parts = inside?.split("/") ?? [];
  if (inside === null || parts.length < 2) {
    throw new RawObjectError(
      `${formatS3Url(config.raw)}: '${key}' is not under ${config.raw.prefix}/<source-id>/; upload exports as ${config.raw.prefix}/<source-id>/<file>`,
    );
  }
  const sourceId = parts[0]!;
  const path = join(config.sourcesDir, `${sourceId}.yaml`);
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(sourceId) || !(await exists(path))) {
    throw new RawObjectError(`'${key}': no source description '${sourceId}' (the folder after ${config.raw.prefix}/ names one of data/sources/*.yaml)`);
  }
  // As the CLI: a source mapping offences outside the project's categories is refused before a row is read.
  const outside = categoriesOutside((await loadSourceDescription(path)).categories, config.settings);
  if (outside.length > 0) {
    throw new RawObjectError(
      `'${key}': the source description '${sourceId}' maps offences to ${outside.join(", ")}, which the deployment's project configuration ` +
        `${config.settings.config?.file ?? ""} does not list under categories; nothing was read: add ${outside.length === 1 ? "it" : "them"} to its categories and redeploy ` +
        `(-c projectConfig=…), or map those offences to one of ${config.settings.categories!.join(", ")} in data/sources/${sourceId}.yaml and redeploy`,
    );
  }
  return path;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
