import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import { COMMIT_JOURNAL, lakePath } from "../lake/lake-commit.ts";
import { MANIFEST_FILE, manifestFiles, parseManifest, type Manifest } from "../lake/manifest.ts";
import { forEachLimited } from "./for-each-limited.ts";
import { deleteObjects, headETag, PreconditionFailedError, putObjectIf, readObject, uploadObject } from "./s3-objects.ts";
import { formatS3Url, keyOf, type S3Location } from "./s3-url.ts";
import { sha256Text } from "../lake/atomic-file.ts";

/** The lease object: whoever created it may commit to the lake until it expires. */
export const LAKE_LEASE = "_lease.json";

/** How long a lease lasts when its holder dies without releasing it: longer than Lambda's 15-minute maximum. */
export const DEFAULT_LEASE_SECONDS = 15 * 60;

/** Who commits, and how (tests inject the clock and a short lease). */
export interface CommitOptions {
  /** Named in the lease and journal (default: host, process id and a random suffix). */
  writer?: string;
  leaseSeconds?: number;
  now?: () => number;
  /**
   * The Lambda function this process runs as (default: AWS_LAMBDA_FUNCTION_NAME; none outside
   * Lambda), recorded in the lease: see {@link acquireLease} for what it allows.
   */
  lambdaFunction?: string;
}

/** Thrown when another writer changed the lake's manifest since this run read it; nothing of this run became visible. */
export class ConcurrentLakeWriteError extends Error {
  constructor(url: string) {
    super(`the lake at ${url} was changed by another writer during this run; nothing was committed: run again`);
    this.name = "ConcurrentLakeWriteError";
  }
}

/** Thrown when another writer holds the lake's lease (is committing, or died less than a lease ago). */
export class LakeBusyError extends Error {
  constructor(url: string, holder: LeaseBody) {
    super(`the lake at ${url} is being committed by ${holder.writer} (lease until ${holder.expires_at}); nothing was committed: run again later`);
    this.name = "LakeBusyError";
  }
}

interface LeaseBody {
  writer: string;
  acquired_at: string;
  expires_at: string;
  /** The Lambda function whose invocation holds it (absent: a workstation, or an older writer). */
  lambda_function?: string;
}

/** The writers whose lease this process is taking or holds: alive, whatever function they name. */
const writersHere = new Set<string>();

/**
 * The journal of a commit on S3 (`_commit.json` beside the manifest), written after the data files
 * and before the manifest: the manifest the commit writes (so it can be written by someone else if
 * this writer dies first), the manifest's ETag it replaces, and the files it deletes once the
 * manifest is in place.
 */
export interface S3CommitJournal {
  format: 1;
  writer: string;
  written_at: string;
  base_etag: string | null;
  manifest: string | null;
  manifest_sha256: string | null;
  deletes: string[];
}

/** One commit: data files to upload (lake path and local path), the new manifest text (null: unchanged), files to delete. */
export interface CommitPlan {
  baseETag: string | null;
  uploads: ReadonlyArray<{ file: string; path: string }>;
  manifest: string | null;
  deletes: readonly string[];
}

/** What a roll-forward found: nothing, a journal completed, or a stale journal dropped. */
export type RollForward =
  { status: "none" } | { status: "completed"; manifestWritten: boolean; deleted: string[]; pending: string[] } | { status: "discarded" };

/**
 * Commits to an S3 lake. Under the lake's lease (one committer at a time): rolls forward a journal a
 * dead writer left, checks the manifest is still the one this run started from, uploads the data
 * files, writes the journal, writes the manifest on condition that its ETag is still `baseETag`
 * (If-Match; If-None-Match: * for the first manifest), deletes the files the commit removes and
 * then the journal. A failure before the manifest leaves the previous state plus unlisted new files
 * (the nightly sweep removes them); after the journal, the next session rolls the commit forward.
 * Deletes that fail stay in the journal (`pending`) for the next run.
 */
export async function commitToS3(
  client: S3Client,
  location: S3Location,
  plan: CommitPlan,
  options: CommitOptions = {},
): Promise<{ deleted: string[]; pending: string[] }> {
  const url = formatS3Url(location);
  const writer = writerName(options);
  const lease = await acquireLease(client, location, writer, options);
  try {
    await rollForward(client, location);
    if ((await headETag(client, location.bucket, keyOf(location, MANIFEST_FILE))) !== plan.baseETag) throw new ConcurrentLakeWriteError(url);
    await forEachLimited(plan.uploads, 4, ({ file, path }) => uploadObject(client, location.bucket, keyOf(location, file), path));
    if (plan.manifest === null && plan.deletes.length === 0) return { deleted: [], pending: [] };
    const journal: S3CommitJournal = {
      format: 1,
      writer,
      written_at: new Date(now(options)).toISOString(),
      base_etag: plan.baseETag,
      manifest: plan.manifest,
      manifest_sha256: plan.manifest === null ? null : sha256Text(plan.manifest),
      deletes: [...plan.deletes].sort(),
    };
    await uploadObject(client, location.bucket, keyOf(location, COMMIT_JOURNAL), Buffer.from(JSON.stringify(journal)));
    if (plan.manifest !== null) {
      try {
        await putObjectIf(client, location.bucket, keyOf(location, MANIFEST_FILE), plan.manifest, manifestCondition(plan.baseETag));
      } catch (error) {
        if (!(error instanceof PreconditionFailedError)) throw error; // the journal stays: the next session writes this manifest
        await deleteObjects(client, location.bucket, [keyOf(location, COMMIT_JOURNAL)]);
        throw new ConcurrentLakeWriteError(url);
      }
    }
    return await finishDeletes(client, location, journal.deletes, manifestOf(plan.manifest));
  } finally {
    await releaseLease(client, location, lease, writer);
  }
}

/**
 * Completes a commit whose writer died or failed after writing its journal, so the lake never stays
 * half-committed: when the manifest is already the journal's, the deletes are done; when the
 * manifest is still the one the journal replaces, the journal's manifest is written first. A
 * journal whose base was replaced by another commit is dropped (its files, if unlisted, go to the
 * sweep). Only files the current manifest does not list are deleted. Call under the lease.
 */
export async function rollForward(client: S3Client, location: S3Location): Promise<RollForward> {
  const found = await readObject(client, location.bucket, keyOf(location, COMMIT_JOURNAL));
  if (found === null) return { status: "none" };
  const journal = parseS3Journal(found.body.toString("utf8"), formatS3Url(location, COMMIT_JOURNAL));
  const current = await readObject(client, location.bucket, keyOf(location, MANIFEST_FILE));
  const currentText = current?.body.toString("utf8") ?? null;
  let manifestWritten = false;
  if (journal.manifest_sha256 === null || currentText === null || sha256Text(currentText) !== journal.manifest_sha256) {
    if ((current?.etag ?? null) !== journal.base_etag) {
      await deleteObjects(client, location.bucket, [keyOf(location, COMMIT_JOURNAL)]);
      return { status: "discarded" };
    }
    if (journal.manifest !== null) {
      await putObjectIf(client, location.bucket, keyOf(location, MANIFEST_FILE), journal.manifest, manifestCondition(journal.base_etag));
      manifestWritten = true;
    }
  }
  const manifest = manifestOf(journal.manifest ?? currentText);
  return { status: "completed", manifestWritten, ...(await finishDeletes(client, location, journal.deletes, manifest)) };
}

/**
 * Runs `fn` holding the lake's lease, or returns null without running it when another writer holds
 * it (that writer rolls forward and commits itself).
 */
export async function withLeaseIfFree<T>(client: S3Client, location: S3Location, options: CommitOptions, fn: () => Promise<T>): Promise<T | null> {
  const writer = writerName(options);
  let lease: string;
  try {
    lease = await acquireLease(client, location, writer, options);
  } catch (error) {
    if (error instanceof LakeBusyError) return null;
    throw error;
  }
  try {
    return await fn();
  } finally {
    await releaseLease(client, location, lease, writer);
  }
}

/** Deletes the committed removals (never a file `manifest` lists), then the journal; on failure the journal keeps them. */
async function finishDeletes(
  client: S3Client,
  location: S3Location,
  deletes: readonly string[],
  manifest: Manifest | null,
): Promise<{ deleted: string[]; pending: string[] }> {
  const listed = manifest ? manifestFiles(manifest) : new Set<string>();
  const files = deletes.filter((file) => !listed.has(file) && file !== MANIFEST_FILE);
  try {
    await deleteObjects(
      client,
      location.bucket,
      files.map((file) => keyOf(location, file)),
    );
  } catch {
    return { deleted: [], pending: files };
  }
  await deleteObjects(client, location.bucket, [keyOf(location, COMMIT_JOURNAL)]);
  return { deleted: files, pending: [] };
}

/**
 * Takes the lake's lease: creates `_lease.json` if absent (If-None-Match: *), or replaces an expired
 * one (If-Match on its ETag), so of two writers at most one holds it. Returns the lease's ETag.
 *
 * A lease of this same Lambda function is taken over before it expires, unless this process holds it:
 * the stack runs the function one invocation at a time (reserved concurrency 1, infra/lib/etl-function.ts;
 * test/infra-stack.test.ts asserts it of every function that may write the lake: "runs one invocation at a time"),
 * so while this invocation runs, another invocation's lease is a dead one's — killed by a timeout or
 * out of memory before its `finally` released it. Without this its own retries (1 and 3 minutes later)
 * failed on the 15-minute lease and went to the dead-letter queue. The takeover is the same If-Match
 * replacement, and the rolled-forward journal and the manifest's If-Match keep the commit whole; a
 * workstation's lease (no function) or another function's is waited for as before.
 */
async function acquireLease(client: S3Client, location: S3Location, writer: string, options: CommitOptions): Promise<string> {
  const key = keyOf(location, LAKE_LEASE);
  const seconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const lambdaFunction = options.lambdaFunction ?? process.env.AWS_LAMBDA_FUNCTION_NAME;
  writersHere.add(writer);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const t = now(options);
      const body: LeaseBody = {
        writer,
        acquired_at: new Date(t).toISOString(),
        expires_at: new Date(t + seconds * 1000).toISOString(),
        ...(lambdaFunction ? { lambda_function: lambdaFunction } : {}),
      };
      const held = await readObject(client, location.bucket, key);
      if (held !== null) {
        const holder = JSON.parse(held.body.toString("utf8")) as LeaseBody;
        const deadInvocation = lambdaFunction !== undefined && holder.lambda_function === lambdaFunction && !writersHere.has(holder.writer);
        if (Date.parse(holder.expires_at) > t && !deadInvocation) throw new LakeBusyError(formatS3Url(location), holder);
      }
      try {
        return await putObjectIf(client, location.bucket, key, JSON.stringify(body), held === null ? { ifNoneMatch: "*" } : { ifMatch: held.etag });
      } catch (error) {
        if (!(error instanceof PreconditionFailedError)) throw error; // someone else took it first: look again
      }
    }
  } catch (error) {
    writersHere.delete(writer);
    throw error;
  }
  writersHere.delete(writer);
  const holder = await readObject(client, location.bucket, key);
  throw new LakeBusyError(
    formatS3Url(location),
    holder ? (JSON.parse(holder.body.toString("utf8")) as LeaseBody) : { writer: "another writer", acquired_at: "", expires_at: "?" },
  );
}

/**
 * Gives the lease back if it is still ours; a failure here only delays the next writer until the lease
 * expires (or, in Lambda, until this function's next invocation takes it over). Either way this
 * writer is done: the process no longer counts it as alive.
 */
async function releaseLease(client: S3Client, location: S3Location, etag: string, writer: string): Promise<void> {
  try {
    const key = keyOf(location, LAKE_LEASE);
    if ((await headETag(client, location.bucket, key)) === etag) await deleteObjects(client, location.bucket, [key]);
  } catch {
    // expires by itself
  } finally {
    writersHere.delete(writer);
  }
}

const manifestCondition = (base: string | null) => (base === null ? ({ ifNoneMatch: "*" } as const) : { ifMatch: base });
const manifestOf = (text: string | null): Manifest | null => (text === null ? null : parseManifest(text, MANIFEST_FILE));

const S3_JOURNAL = z.looseObject({
  format: z.literal(1),
  writer: z.string(),
  written_at: z.string(),
  base_etag: z.string().nullable(),
  manifest: z.string().nullable(),
  manifest_sha256: z.string().nullable(),
  deletes: z.array(lakePath),
});

/**
 * The journal a writer left, checked before anything is written or deleted: one that is not JSON
 * or names a path outside the lake was damaged or planted, and acting on it could delete objects
 * the lake does not own. Refused with the object named and the safe way out.
 */
function parseS3Journal(text: string, url: string): S3CommitJournal {
  let problem: string;
  try {
    const parsed = S3_JOURNAL.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    problem = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ");
  } catch (error) {
    problem = `not JSON (${(error as Error).message})`;
  }
  throw new Error(
    `the commit journal ${url} is damaged (${problem}); nothing was written or deleted. Check that every file the manifest lists exists ` +
      `(hotspots --lake <this lake> check), then delete ${url}; the nightly sweep removes the data files no manifest lists`,
  );
}
const now = (options: CommitOptions) => options.now?.() ?? Date.now();
const writerName = (options: CommitOptions) =>
  options.writer ?? `${process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
