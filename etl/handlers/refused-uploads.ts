/**
 * The raw export versions the ingest refused, beside the lake's manifest (like the monthly-run
 * marker): key → the version's SHA-256 and why. Without it, one bad upload failed every nightly
 * sweep within the look-back window (48 h: each night three attempts, an alarm and a dead-letter
 * message), and was then forgotten. The upload's own notification still fails (retries, alarm,
 * dead-letter queue) and records its version here; the sweep skips a recorded version, so it alerts
 * once per version, and a new version under the key (a new upload) is tried again.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { readObjectText, uploadObject } from "../storage/s3-objects.ts";
import { formatS3Url, keyOf, parseS3Url } from "../storage/s3-url.ts";

/** The object at the lake's root (outside the manifest's folders, so the orphan sweep and `check` leave it alone). */
export const REFUSED_UPLOADS_FILE = "_refused-uploads.json";

/** One refused version of a raw object. */
export interface RefusedUpload {
  sha256: string;
  refused_at: string;
  reason: string;
}
/** Refused versions by raw object key. */
export type RefusedUploads = Record<string, RefusedUpload>;

/** The record of a lake at `lakeUrl` (none yet: empty). */
export async function readRefusedUploads(client: S3Client, lakeUrl: string): Promise<RefusedUploads> {
  const lake = parseS3Url(lakeUrl);
  const text = await readObjectText(client, lake.bucket, keyOf(lake, REFUSED_UPLOADS_FILE));
  if (text === null) return {};
  try {
    return JSON.parse(text) as RefusedUploads;
  } catch (error) {
    throw new Error(
      `${formatS3Url(lake, REFUSED_UPLOADS_FILE)} is not valid JSON (${(error as Error).message}): delete it; the nightly sweep then tries the refused versions once more`,
      { cause: error },
    );
  }
}

/**
 * Changes the record: `refused` versions added, and the entries of `cleared` keys removed (a key
 * ingested since, or no longer in the raw bucket). Writes only when something changed. One
 * function instance runs at a time (reserved concurrency 1), so read-then-write is safe here.
 */
export async function updateRefusedUploads(
  client: S3Client,
  lakeUrl: string,
  change: { refused?: Record<string, Omit<RefusedUpload, "refused_at">>; cleared?: readonly string[] },
  now = Date.now(),
): Promise<void> {
  const record = await readRefusedUploads(client, lakeUrl);
  let changed = false;
  for (const key of change.cleared ?? []) {
    if (key in record) {
      delete record[key];
      changed = true;
    }
  }
  for (const [key, { sha256, reason }] of Object.entries(change.refused ?? {})) {
    record[key] = { sha256, refused_at: new Date(now).toISOString(), reason };
    changed = true;
  }
  if (!changed) return;
  const lake = parseS3Url(lakeUrl);
  const sorted = Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
  await uploadObject(client, lake.bucket, keyOf(lake, REFUSED_UPLOADS_FILE), Buffer.from(`${JSON.stringify(sorted, null, 2)}\n`));
}
