import { createHash } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { sha256File } from "../lake/atomic-file.ts";
import { COMMIT_JOURNAL } from "../lake/lake-commit.ts";
import { MANIFEST_FILE, manifestFiles, type Manifest } from "../lake/manifest.ts";
import type { LakeScope } from "../stages.ts";
import { forEachLimited } from "./for-each-limited.ts";
import { commitToS3, ConcurrentLakeWriteError, rollForward, withLeaseIfFree, type CommitOptions } from "./s3-commit.ts";
import { downloadObject, headETag, listObjects, readObject, uploadObject } from "./s3-objects.ts";
import { MANIFEST_FOLDERS } from "../lake/table-paths.ts";
import { isRootCache } from "../lake/root-caches.ts";
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
  /** Files the commit removes whose deletion failed: kept in the journal, deleted by the next run. */
  pending: string[];
  /** Root caches uploaded after the commit (SessionOptions.rootCaches); absent when none. */
  caches?: string[];
}

/** A session's options: the commit's, and whether it carries the lake's root caches. */
export interface SessionOptions extends CommitOptions {
  /**
   * Mirror the root caches (../lake/root-caches.ts) with a scope that reads tables, and upload those
   * the run wrote or changed after its commit, so that a fresh mirror (a Lambda invocation, a CLI
   * command) reuses them. Safe outside the commit and the lease: each cache is keyed by every input
   * its content depends on and checksummed, so a stale, foreign or half-written one is a miss; two
   * sessions writing one cache leave one whole object (a PUT is atomic), valid for its own key. A
   * cache that fails to download or upload costs its recomputation, never the run.
   */
  rootCaches?: boolean;
  /**
   * Mirror the lake as found, for `check`: without rolling a pending commit forward (unless
   * `repair`), and with what a run's mirror leaves out for being in no commit: files the manifest
   * does not list in its folders, and the journal of an interrupted commit (as a marker: a local
   * lake's recovery never reads it). What `check` then reports is the bucket's state, not the mirror's.
   */
  asFound?: { repair: boolean };
}

export { ConcurrentLakeWriteError, LakeBusyError } from "./s3-commit.ts";

/** The name of a session's temporary folder starts with this (the handler removes those a killed invocation left). */
export const LAKE_MIRROR_PREFIX = "lake-";

/**
 * A lake in S3 worked on as a local folder: the ETL core only knows local lakes (DuckDB here cannot
 * read s3:// at all), so a session mirrors the part of the lake a run needs into a temporary folder,
 * the unchanged stage functions run on it, and {@link push} commits what they changed (see
 * commitToS3): under the lake's lease, new and changed data files first, then a journal naming the
 * manifest and the files to delete, then `manifest.json` written only if it is still the one this
 * session read (If-Match), then the deletions. A reader never sees a manifest naming a file that is
 * not there; of two writers only one commits; a commit interrupted after its journal is rolled
 * forward when the next session opens.
 */
export class S3LakeSession {
  private constructor(
    readonly client: S3Client,
    readonly location: S3Location,
    readonly url: string,
    /** The local folder the stages run on. */
    readonly dir: string,
    private readonly snapshot: Map<string, string>,
    private readonly manifestETag: string | null,
    /** Partition files the downloaded manifest lists, with their SHA-256 (downloaded or not). */
    private readonly listed: ReadonlyMap<string, string>,
    private readonly options: SessionOptions,
    /** Root caches downloaded, with their SHA-256 (empty unless options.rootCaches). */
    private readonly caches: ReadonlyMap<string, string>,
  ) {}

  /**
   * Rolls forward a commit a dead writer left (when no one holds the lease), then mirrors the
   * objects of `url` within `scope` into a new temporary folder under `workDir`.
   */
  static async open(client: S3Client, url: string, scope: LakeScope, workDir: string = tmpdir(), options: SessionOptions = {}): Promise<S3LakeSession> {
    const location = parseS3Url(url);
    const journal = (await headETag(client, location.bucket, keyOf(location, COMMIT_JOURNAL))) !== null;
    if (journal && (!options.asFound || options.asFound.repair)) {
      await withLeaseIfFree(client, location, options, () => rollForward(client, location));
    }
    const dir = await mkdtemp(join(workDir, LAKE_MIRROR_PREFIX));
    try {
      // The manifest and its ETag from one response: the ETag is exactly that of the bytes the run starts from.
      const manifest = await readObject(client, location.bucket, keyOf(location, MANIFEST_FILE));
      const snapshot = new Map<string, string>();
      if (manifest !== null) {
        await writeFile(join(dir, MANIFEST_FILE), manifest.body);
        snapshot.set(MANIFEST_FILE, createHash("sha256").update(manifest.body).digest("hex"));
      }
      const listed = await listObjects(client, location.bucket, location.prefix === "" ? "" : `${location.prefix}/`);
      const wanted = listed
        .map((o) => ({ ...o, relative: relativeKey(location, o.key) }))
        .filter(
          (o): o is typeof o & { relative: string } =>
            o.relative !== null && o.relative !== MANIFEST_FILE && isLakeFile(o.relative) && inScope(o.relative, scope),
        );
      const partitions = await listedPartitions(dir);
      const accounted = manifest === null ? new Set<string>() : manifestFiles(JSON.parse(manifest.body.toString("utf8")) as Manifest);
      const caches = new Map<string, string>();
      if (options.rootCaches && readsTables(scope)) {
        const found = listed.map((o) => ({ key: o.key, relative: relativeKey(location, o.key) })).filter((o) => o.relative !== null && isRootCache(o.relative));
        await forEachLimited(found, 4, async (o) => {
          const path = join(dir, o.relative!);
          const sha256 = await downloadObject(client, location.bucket, o.key, path).catch(() => rm(path, { force: true }).then(() => null));
          if (sha256 !== null) caches.set(o.relative!, sha256);
        });
      }
      await forEachLimited(wanted, 8, async (o) => {
        // Only files the manifest accounts for are mirrored: an unlisted one belongs to no commit.
        if (accounted.has(o.relative) || !isManifestGoverned(o.relative) || options.asFound) {
          const path = join(dir, ...o.relative.split("/"));
          snapshot.set(o.relative, await downloadObject(client, location.bucket, o.key, path));
          // check dates an expired quarantine file by its commit's other files (quarantine-expiry.ts): as found, they keep the bucket's times.
          if (options.asFound && o.lastModified.getTime() > 0) await utimes(path, o.lastModified, o.lastModified);
        }
      });
      // Outside the snapshot: no push uploads or deletes it (the journal's own format is S3's, so only its presence is mirrored).
      if (journal && options.asFound && !options.asFound.repair) await writeFile(join(dir, COMMIT_JOURNAL), "");
      return new S3LakeSession(client, location, url, dir, snapshot, manifest?.etag ?? null, partitions, options, caches);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Commits what the run changed: files that are new or whose bytes differ from what was
   * downloaded, the manifest, and the removals — files it deleted locally and partitions the
   * manifest no longer lists. Refuses (committing nothing) when the manifest in S3 changed since the
   * session opened, or another writer holds the lease.
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
    const manifestChanged = changed.includes(MANIFEST_FILE);
    if (data.length === 0 && !manifestChanged && deleted.length === 0)
      return { uploaded: [], deleted: [], unchanged, pending: [], ...(await this.pushCaches()) };
    const committed = await commitToS3(
      this.client,
      this.location,
      {
        baseETag: this.manifestETag,
        uploads: data.map((file) => ({ file, path: join(this.dir, ...file.split("/")) })),
        manifest: manifestChanged ? await readFile(join(this.dir, MANIFEST_FILE), "utf8") : null,
        deletes: deleted,
      },
      this.options,
    );
    return {
      uploaded: [...data, ...(manifestChanged ? [MANIFEST_FILE] : [])],
      deleted: committed.deleted,
      unchanged,
      pending: committed.pending,
      ...(await this.pushCaches()),
    };
  }

  /** Uploads the root caches the run wrote or changed (see SessionOptions.rootCaches); failures only cost a miss next time. */
  private async pushCaches(): Promise<{ caches?: string[] }> {
    if (!this.options.rootCaches) return {};
    const entries = await readdir(this.dir, { withFileTypes: true });
    const uploaded: string[] = [];
    await forEachLimited(
      entries.filter((e) => e.isFile() && isRootCache(e.name)),
      4,
      async (e) => {
        const path = join(this.dir, e.name);
        if (this.caches.get(e.name) === (await sha256File(path))) return;
        const done = await uploadObject(this.client, this.location.bucket, keyOf(this.location, e.name), path).then(
          () => true,
          () => false,
        );
        if (done) uploaded.push(e.name);
      },
    );
    return uploaded.length > 0 ? { caches: uploaded.sort() } : {};
  }

  /**
   * Downloads lake files the session's manifest lists into the mirror (a scope narrower than the
   * whole lake, such as ingest's, leaves them out until a stage asks: the repeated-id check across
   * exports, IngestOptions.fetchLakeFiles). They count as downloaded, so push leaves them unchanged.
   */
  async fetch(files: readonly string[]): Promise<void> {
    const unlisted = files.find((file) => !this.listed.has(file));
    if (unlisted !== undefined) throw new Error(`${formatS3Url(this.location, unlisted)} is not listed in the lake's manifest`);
    await forEachLimited(
      files.filter((file) => !this.snapshot.has(file)),
      8,
      async (file) => {
        this.snapshot.set(file, await downloadObject(this.client, this.location.bucket, keyOf(this.location, file), join(this.dir, ...file.split("/"))));
      },
    );
  }

  /** Removes the local folder. */
  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
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
  fn: (lakeDir: string, session: S3LakeSession) => Promise<T>,
  workDir?: string,
  options?: SessionOptions,
): Promise<{ result: T; pushed: PushSummary }> {
  const session = await S3LakeSession.open(client, url, scope, workDir, options);
  try {
    const result = await fn(session.dir, session);
    return { result, pushed: await session.push() };
  } finally {
    await session.close();
  }
}

/** A file in a folder whose every file the manifest accounts for (see MANIFEST_FOLDERS). */
function isManifestGoverned(file: string): boolean {
  return MANIFEST_FOLDERS.some((folder) => file.startsWith(folder));
}

/**
 * Lake files that readers see and commits carry: not the root's `_` files — the commit protocol's
 * objects (`_commit.json`, `_lease.json`) and the root caches, which travel outside the commit
 * (SessionOptions.rootCaches) — nor temporary files.
 */
function isLakeFile(file: string): boolean {
  return file !== "" && !file.endsWith("/") && !(file.startsWith("_") && !file.includes("/")) && !file.endsWith(".tmp");
}

/** Whether a scope mirrors any table (a folder, or the whole lake): the stages the root caches serve. Ingest's (the manifest) does not. */
function readsTables(scope: LakeScope): boolean {
  return scope.some((entry) => entry === "" || entry.endsWith("/"));
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
