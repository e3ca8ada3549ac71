import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { sha256File } from "../lake/atomic-file.ts";
import { COMMIT_JOURNAL } from "../lake/lake-commit.ts";
import { MANIFEST_FILE, type Manifest } from "../lake/manifest.ts";
import type { LakeScope } from "../stages.ts";
import { deleteObjects, downloadObject, headETag, listObjects, uploadObject } from "./s3-objects.ts";
import { formatS3Url, keyOf, parseS3Url, relativeKey, type S3Location } from "./s3-url.ts";

/**
 * Scopes that no stage list gives: ingest needs only the manifest (it writes its own partitions and
 * learns from the manifest which old ones to drop); everything is the whole lake. The stages' scopes
 * come from etl/stages.ts (`stagesScope`).
 */
export const LAKE_SCOPES = {
  ingest: [MANIFEST_FILE],
  everything: [""],
} as const satisfies Record<string, LakeScope>;

/** What {@link S3LakeSession.push} changed in the bucket. */
export interface PushSummary {
  uploaded: string[];
  deleted: string[];
  unchanged: number;
}

/** Thrown when another writer changed the lake's manifest in S3 during this run. */
export class ConcurrentLakeWriteError extends Error {
  constructor(url: string) {
    super(`the lake at ${url} was changed by another writer during this run; nothing was uploaded: run again`);
    this.name = "ConcurrentLakeWriteError";
  }
}

/**
 * A lake in S3 worked on as a local folder: the ETL core only knows local lakes (DuckDB here cannot
 * read s3:// at all), so a session mirrors the part of the lake a run needs into a temporary folder,
 * the unchanged stage functions run on it, and {@link push} uploads what they changed in the order
 * that keeps readers safe: new and changed data files first, `manifest.json` last (a reader never
 * sees a manifest naming a file that is not there yet), deletions after it. When an upload fails the
 * manifest in S3 is left as it was, and running again repeats the same, idempotent, work.
 */
export class S3LakeSession {
  private constructor(
    readonly client: S3Client,
    readonly location: S3Location,
    readonly url: string,
    /** The local folder the stages run on. */
    readonly dir: string,
    private readonly snapshot: ReadonlyMap<string, string>,
    private readonly manifestETag: string | null,
    /** Partition files the downloaded manifest lists, with their SHA-256 (downloaded or not). */
    private readonly listed: ReadonlyMap<string, string>,
  ) {}

  /** Mirrors the objects of `url` within `scope` into a new temporary folder under `workDir`. */
  static async open(client: S3Client, url: string, scope: LakeScope, workDir: string = tmpdir()): Promise<S3LakeSession> {
    const location = parseS3Url(url);
    const dir = await mkdtemp(join(workDir, "lake-"));
    try {
      const manifestETag = await headETag(client, location.bucket, keyOf(location, MANIFEST_FILE));
      const listed = await listObjects(client, location.bucket, location.prefix === "" ? "" : `${location.prefix}/`);
      const wanted = listed
        .map((o) => ({ ...o, relative: relativeKey(location, o.key) }))
        .filter((o): o is typeof o & { relative: string } => o.relative !== null && isLakeFile(o.relative) && inScope(o.relative, scope));
      const snapshot = new Map<string, string>();
      await forEachLimited(wanted, 8, async (o) => {
        snapshot.set(o.relative, await downloadObject(client, location.bucket, o.key, join(dir, ...o.relative.split("/"))));
      });
      return new S3LakeSession(client, location, url, dir, snapshot, manifestETag, await listedPartitions(dir));
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Uploads what the run changed: files that are new or whose bytes differ from what was
   * downloaded, then the manifest, then deletes what the run removed — files it deleted locally and
   * partitions the manifest no longer lists. Refuses (uploading nothing) when the manifest in S3
   * changed since the session opened.
   */
  async push(): Promise<PushSummary> {
    await this.checkNoOtherWriter();
    const local = await lakeFiles(this.dir);
    const changed: string[] = [];
    let unchanged = 0;
    await forEachLimited(local, 8, async (file) => {
      // A file that was not downloaded is unchanged when the manifest in S3 already lists these bytes.
      const before = this.snapshot.get(file) ?? this.listed.get(file);
      if (before === (await sha256File(join(this.dir, ...file.split("/"))))) unchanged++;
      else changed.push(file);
    });
    const present = new Set(local);
    const listedNow = await listedPartitions(this.dir);
    const deleted = [
      ...[...this.snapshot.keys()].filter((file) => !present.has(file)),
      ...[...this.listed.keys()].filter((file) => !listedNow.has(file) && !present.has(file) && !this.snapshot.has(file)),
    ].sort();

    const data = changed.filter((file) => file !== MANIFEST_FILE).sort();
    await forEachLimited(data, 4, (file) => this.upload(file));
    if (changed.includes(MANIFEST_FILE)) {
      await this.checkNoOtherWriter();
      await this.upload(MANIFEST_FILE);
    }
    await deleteObjects(this.client, this.location.bucket, deleted.map((file) => keyOf(this.location, file)));
    return { uploaded: [...data, ...(changed.includes(MANIFEST_FILE) ? [MANIFEST_FILE] : [])], deleted, unchanged };
  }

  /** Removes the local folder. */
  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private upload(file: string): Promise<void> {
    return uploadObject(this.client, this.location.bucket, keyOf(this.location, file), join(this.dir, ...file.split("/")));
  }

  private async checkNoOtherWriter(): Promise<void> {
    const now = await headETag(this.client, this.location.bucket, keyOf(this.location, MANIFEST_FILE));
    if (now !== this.manifestETag) throw new ConcurrentLakeWriteError(formatS3Url(this.location));
  }
}

/**
 * Runs `fn` on a local mirror of the S3 lake at `url` and pushes what it changed; the local folder
 * is removed in every case. Nothing is uploaded when `fn` throws.
 */
export async function withS3Lake<T>(
  client: S3Client,
  url: string,
  scope: LakeScope,
  fn: (lakeDir: string) => Promise<T>,
  workDir?: string,
): Promise<{ result: T; pushed: PushSummary }> {
  const session = await S3LakeSession.open(client, url, scope, workDir);
  try {
    const result = await fn(session.dir);
    return { result, pushed: await session.push() };
  } finally {
    await session.close();
  }
}

/** Lake files that readers see: not the commit journal, not temporary files of a write in progress. */
function isLakeFile(file: string): boolean {
  return file !== "" && !file.endsWith("/") && file !== COMMIT_JOURNAL && !file.endsWith(".tmp");
}

function inScope(file: string, scope: LakeScope): boolean {
  return scope.some((entry) => (entry.endsWith("/") || entry === "" ? file.startsWith(entry) : file === entry));
}

/** Every lake file under `dir`, as lake paths with forward slashes. */
async function lakeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .filter(isLakeFile)
    .sort();
}

/** The partition files the local manifest lists, with their SHA-256 (none when there is no manifest yet). */
async function listedPartitions(dir: string): Promise<Map<string, string>> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), "utf8")) as Manifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw error;
  }
  return new Map(Object.values(manifest.tables).flatMap((table) => Object.entries(table).map(([key, entry]) => [key, entry.sha256] as const)));
}

/** Runs `fn` over `items` with at most `limit` at a time; rejects with the first failure after all settle. */
async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}
