/**
 * The commit protocol of an S3 lake (etl/storage/s3-commit.ts) against a real S3-compatible server:
 * a failure injected between every two steps (upload data, write journal, write manifest, delete,
 * remove the journal, release the lease), with the writer surviving or killed (its lease and journal
 * left behind), and concurrent writers. After the next run or the nightly repair the bucket holds
 * exactly what the manifest lists: nothing listed is missing, nothing unlisted is left in the
 * manifest's folders once the sweep's grace period has passed (within it, unlisted uploads are kept:
 * they may be a live writer's), every checksum matches, and a deleted partition never comes back.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Manifest } from "../etl/lake/manifest.ts";
import { manifestFiles, manifestText } from "../etl/lake/manifest.ts";
import { ConcurrentLakeWriteError, LakeBusyError, S3LakeSession, withS3Lake } from "../etl/storage/s3-lake.ts";
import { MANIFEST_FOLDERS, repairS3Lake } from "../etl/storage/s3-orphans.ts";
import { LAKE_LEASE, withLeaseIfFree } from "../etl/storage/s3-commit.ts";
import { parseS3Url } from "../etl/storage/s3-url.ts";
import { startLocalS3, type FaultRule, type LocalS3 } from "./helpers/local-s3.ts";

const BUCKET = "commit-lake";
let s3: LocalS3;
let work: string;
let lakeNo = 0;
let url: string;
const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");
/** Later than any lease taken now: what the next run sees after a killed writer's lease expired. */
const later = { now: () => Date.now() + 16 * 60_000 };
/** Later than the sweep's one-hour grace period. */
const muchLater = { now: () => Date.now() + 2 * 3_600_000 };

/** A lake version: file → content. The manifest lists the incident partitions and, per source, its quarantine. */
type Version = Record<string, string>;
const V1: Version = {
  "incidents/month=2019-01/a.parquet": "a-jan-1",
  "incidents/month=2019-02/a.parquet": "a-feb-1",
  "incidents/month=2019-03/a.parquet": "a-mar-1",
  "quarantine/a.parquet": "a-q-1",
};
/** A corrected export: January changed, February the same, March dropped, April new. */
const V2: Version = {
  "incidents/month=2019-01/a.parquet": "a-jan-2",
  "incidents/month=2019-02/a.parquet": "a-feb-1",
  "incidents/month=2019-04/a.parquet": "a-apr-2",
  "quarantine/a.parquet": "a-q-2",
};

function manifestOf(version: Version): Manifest {
  const incidents = Object.fromEntries(
    Object.entries(version)
      .filter(([file]) => file.startsWith("incidents/"))
      .map(([file, content]) => [file, { month: file.slice(16, 23), source: "a", rows: 1, sha256: sha256(content) }]),
  );
  return {
    format: 1,
    timezone: "Europe/Vilnius",
    h3_resolution: 8,
    tables: { incidents },
    sources: { a: { file: `a-${sha256(JSON.stringify(version)).slice(0, 6)}.csv` } as never },
  };
}

/** A run's stages, reduced to their effect on the local mirror: the files of `version` and its manifest, nothing else. */
async function writeVersion(lakeDir: string, version: Version): Promise<void> {
  for (const entry of await readdir(lakeDir, { recursive: true, withFileTypes: true })) {
    const file = join(entry.parentPath, entry.name).slice(lakeDir.length + 1);
    if (entry.isFile() && file !== "manifest.json" && !(file in version)) await rm(join(lakeDir, file));
  }
  for (const [file, content] of Object.entries(version)) {
    await mkdir(dirname(join(lakeDir, file)), { recursive: true });
    await writeFile(join(lakeDir, file), content);
  }
  await writeFile(join(lakeDir, "manifest.json"), manifestText(manifestOf(version)));
}

const commit = (version: Version, options = {}) => withS3Lake(s3.client, url, [""], (dir) => writeVersion(dir, version), work, options);
const prefix = () => parseS3Url(url).prefix;

/** The manifest in the bucket, which of its files are missing or differ, and the unlisted files in its folders. */
async function bucketState() {
  const text = (await s3.get(BUCKET, `${prefix()}/manifest.json`))?.toString("utf8");
  const manifest = text ? (JSON.parse(text) as Manifest) : null;
  const listed = manifest ? manifestFiles(manifest) : new Set<string>();
  const keys = (await s3.keys(BUCKET, `${prefix()}/`)).map((k) => k.slice(prefix().length + 1));
  const missing = [...listed].filter((file) => !keys.includes(file)).sort();
  const unlisted = keys.filter((file) => MANIFEST_FOLDERS.some((f) => file.startsWith(f)) && !listed.has(file));
  const mismatched: string[] = [];
  for (const [file, entry] of Object.entries(manifest?.tables.incidents ?? {})) {
    const bytes = await s3.get(BUCKET, `${prefix()}/${file}`);
    if (bytes && sha256(bytes) !== entry.sha256) mismatched.push(file);
  }
  const protocol = keys.filter((file) => file.startsWith("_"));
  return { manifest, missing, unlisted, mismatched, protocol };
}

/** The bucket holds exactly `version`: its manifest, every file with its bytes, nothing else, no journal or lease. */
async function expectExactly(version: Version): Promise<void> {
  const state = await bucketState();
  expect(state.manifest).toEqual(manifestOf(version));
  expect({ missing: state.missing, unlisted: state.unlisted, mismatched: state.mismatched, protocol: state.protocol }).toEqual({
    missing: [],
    unlisted: [],
    mismatched: [],
    protocol: [],
  });
  for (const [file, content] of Object.entries(version)) expect((await s3.get(BUCKET, `${prefix()}/${file}`))?.toString("utf8"), file).toBe(content);
}

beforeAll(async () => {
  s3 = await startLocalS3();
  await s3.createBucket(BUCKET);
  work = await mkdtemp(join(tmpdir(), "s3-commit-"));
});
afterAll(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});
beforeEach(async () => {
  url = `s3://${BUCKET}/lake-${++lakeNo}`;
  s3.failAlways(null);
  await commit(V1);
  await expectExactly(V1);
});

const isPut =
  (suffix: string): FaultRule =>
  (r) =>
    r.method === "PUT" && r.path.endsWith(suffix);
/** DeleteObjects is a POST to the bucket: the commit's deletes, the journal's removal and the lease's release. */
const isDelete: FaultRule = (r) => r.method === "POST";
const STEPS: Array<{ step: string; rule: FaultRule }> = [
  // Uploads go four at a time: April (new) and January (overwritten) may land before the quarantine fails.
  { step: "after uploading some data, before the rest", rule: isPut("/quarantine/a.parquet") },
  { step: "after the data, before the journal", rule: isPut("/_commit.json") },
  { step: "after the journal, before the manifest", rule: isPut("/manifest.json") },
  { step: "after the manifest, before the deletes", rule: isDelete },
];

describe.each(STEPS)("a commit failing $step", ({ step, rule }) => {
  const committed = step.includes("before the deletes");
  const journaled = step.includes("after the journal") || committed;

  it("leaves a lake that the next session and the sweep bring to exactly what the manifest lists", async () => {
    // The commit's own deletes fail (each attempt the client makes); the lease's release then succeeds.
    if (committed) s3.failNext(3, rule);
    else s3.failAlways(rule);
    try {
      const attempt = commit(V2);
      if (committed) expect((await attempt).pushed.pending).toEqual(["incidents/month=2019-03/a.parquet"]);
      else await expect(attempt).rejects.toThrow(/S3 PutObject/);
    } finally {
      s3.failAlways(null);
    }
    // Right after the failure: readers see V1 or V2 whole by the manifest; nothing it lists is missing.
    const after = await bucketState();
    expect(after.manifest).toEqual(manifestOf(committed ? V2 : V1));
    expect(after.missing).toEqual([]);
    if (committed) expect(after.unlisted).toEqual(["incidents/month=2019-03/a.parquet"]);
    expect(after.protocol).toEqual(journaled ? ["_commit.json"] : []);

    // The nightly repair: rolls a journaled commit forward (its deletes at once), and removes unlisted
    // uploads only after the grace period (within it they may be a live writer's uploads in flight).
    expect((await repairS3Lake(s3.client, parseS3Url(url), 1)).status).toBe("done");
    const withinGrace = await bucketState();
    expect(withinGrace.manifest).toEqual(manifestOf(journaled ? V2 : V1));
    expect(withinGrace.missing).toEqual([]);
    if (journaled) expect(withinGrace.unlisted).toEqual([]);
    else expect(withinGrace.unlisted).toEqual(after.unlisted);
    const repaired = await repairS3Lake(s3.client, parseS3Url(url), 1, muchLater);
    expect(repaired.status).toBe("done");
    expect(repaired).toMatchObject({ removed: journaled ? [] : after.unlisted });
    const state = await bucketState();
    expect(state.manifest).toEqual(manifestOf(journaled ? V2 : V1));
    expect({ missing: state.missing, unlisted: state.unlisted, protocol: state.protocol }).toEqual({ missing: [], unlisted: [], protocol: [] });
    // An upload that replaced a listed file before its commit failed is redone by the retry below.
    if (!journaled) expect(state.mismatched.every((f) => f === "incidents/month=2019-01/a.parquet")).toBe(true);

    // The retried event: the same work again, now complete.
    await commit(V2);
    await expectExactly(V2);
  });

  it("killed there (lease and journal left behind): the next session rolls it forward once the lease expires", async () => {
    // Killed: nothing after the failing step runs, the lease's release and the journal's removal included.
    s3.failAlways((r) => rule(r) || isDelete(r));
    try {
      await commit(V2).catch(() => undefined);
    } finally {
      s3.failAlways(null);
    }
    expect((await bucketState()).protocol).toEqual(journaled ? ["_commit.json", "_lease.json"] : ["_lease.json"]);
    // While the dead writer's lease lasts, another writer is refused without writing anything (a
    // committed lake already holds V2: that writer has nothing to commit).
    if (committed) expect((await commit(V2)).pushed.uploaded).toEqual([]);
    else await expect(commit(V2)).rejects.toThrow(LakeBusyError);
    // Once it has expired, the next session rolls a journaled commit forward as it opens.
    const session = await S3LakeSession.open(s3.client, url, ["manifest.json"], work, later);
    await session.close();
    expect((await bucketState()).manifest).toEqual(manifestOf(journaled ? V2 : V1));
    await commit(V2, later);
    await repairS3Lake(s3.client, parseS3Url(url), 0, later);
    await expectExactly(V2);
  });
});

/** Fails the POSTs (DeleteObjects) numbered `from`…`to` from now on, counting each attempt: the steps after the manifest are all POSTs. */
function failPosts(from: number, to: number): FaultRule {
  let seen = 0;
  return (r) => r.method === "POST" && ++seen >= from && seen <= to;
}

describe("a commit failing after the manifest and its deletes", () => {
  // The POSTs of a commit after its manifest: 1 the deletes, 2–4 the journal's removal (three
  // attempts), then the lease's release (HEAD, POST), whose failure only lets the lease expire.
  it("before the journal's removal: the commit stands, readers see it whole, the next session removes the journal", async () => {
    s3.failAlways(failPosts(2, 4));
    try {
      await expect(commit(V2)).rejects.toThrow(/S3 DeleteObjects/);
    } finally {
      s3.failAlways(null);
    }
    const after = await bucketState();
    expect(after.manifest).toEqual(manifestOf(V2));
    expect({ missing: after.missing, unlisted: after.unlisted, mismatched: after.mismatched, protocol: after.protocol }).toEqual({
      missing: [],
      unlisted: [],
      mismatched: [],
      protocol: ["_commit.json"],
    });
    // Rolling the journal forward again deletes nothing the manifest lists and removes the journal.
    expect((await commit(V2)).pushed).toMatchObject({ uploaded: [], pending: [] });
    await expectExactly(V2);
  });

  it("killed before the journal's removal: once the lease expires the next session finishes it; nothing is lost or resurrected", async () => {
    s3.failAlways(failPosts(2, Number.POSITIVE_INFINITY));
    try {
      await commit(V2).catch(() => undefined);
    } finally {
      s3.failAlways(null);
    }
    expect((await bucketState()).protocol).toEqual(["_commit.json", "_lease.json"]);
    await expect(repairS3Lake(s3.client, parseS3Url(url), 0)).resolves.toMatchObject({ status: "skipped" });
    const repaired = await repairS3Lake(s3.client, parseS3Url(url), 1, muchLater);
    expect(repaired).toMatchObject({ status: "done", journal: "completed", removed: [] });
    await expectExactly(V2);
    // March, deleted by the commit, stays deleted: a later commit of V2 does not bring it back.
    await commit(V2);
    expect(await s3.get(BUCKET, `${prefix()}/incidents/month=2019-03/a.parquet`)).toBeNull();
    await expectExactly(V2);
  });

  it("failing to release the lease: the commit stands; other writers wait for the lease to expire, then commit", async () => {
    s3.failAlways(failPosts(3, Number.POSITIVE_INFINITY));
    try {
      await commit(V2);
    } finally {
      s3.failAlways(null);
    }
    const after = await bucketState();
    expect(after.manifest).toEqual(manifestOf(V2));
    expect(after.protocol).toEqual(["_lease.json"]);
    const V3: Version = { ...V2, "incidents/month=2019-05/a.parquet": "a-may-3" };
    await expect(commit(V3)).rejects.toThrow(LakeBusyError);
    await commit(V3, later);
    await expectExactly(V3);
  });
});

describe("a Lambda invocation killed while it held the lease", () => {
  const fn = { lambdaFunction: "hotspots-etl" };
  const V3: Version = { ...V2, "incidents/month=2019-05/a.parquet": "a-may-3" };
  /** A commit of `version` killed after its data and before its journal: the lease is left behind, naming its function (if any). */
  async function killedCommit(options: object, version = V2): Promise<void> {
    s3.failAlways((r) => isPut("/_commit.json")(r) || isDelete(r));
    try {
      await commit(version, options).catch(() => undefined);
    } finally {
      s3.failAlways(null);
    }
    expect((await bucketState()).protocol).toEqual(["_lease.json"]);
  }

  it("the function's next invocation (its retry) takes the lease over at once and commits", async () => {
    await killedCommit(fn);
    expect(JSON.parse((await s3.get(BUCKET, `${prefix()}/${LAKE_LEASE}`))!.toString("utf8"))).toMatchObject({ lambda_function: "hotspots-etl" });
    await commit(V2, fn);
    await expectExactly(V2);
  });

  it("a workstation's lease, or another function's, is still waited for until it expires", async () => {
    await killedCommit({});
    await expect(commit(V2, fn)).rejects.toThrow(LakeBusyError);
    await commit(V2, { ...fn, ...later });
    await expectExactly(V2);
    await killedCommit({ lambdaFunction: "another-function" }, V3);
    await expect(commit(V3, fn)).rejects.toThrow(LakeBusyError);
  });

  it("a lease this process holds is never taken over, though it names the same function", async () => {
    const location = parseS3Url(url);
    const inner = await withLeaseIfFree(s3.client, location, fn, () => withLeaseIfFree(s3.client, location, fn, async () => "taken over"));
    expect(inner).toBeNull();
    expect((await bucketState()).protocol).toEqual([]);
  });
});

describe("concurrent writers", () => {
  it("a writer whose session started before another's commit is refused and commits nothing", async () => {
    const a = await S3LakeSession.open(s3.client, url, [""], work);
    const b = await S3LakeSession.open(s3.client, url, [""], work);
    try {
      await writeVersion(a.dir, V2);
      await writeVersion(b.dir, { ...V1, "incidents/month=2019-05/b.parquet": "b-may" });
      await a.push();
      await expect(b.push()).rejects.toThrow(ConcurrentLakeWriteError);
    } finally {
      await a.close();
      await b.close();
    }
    await expectExactly(V2);
  });

  it("the manifest is written If-Match its ETag at session open: a manifest replaced between check and write wins, this commit does not", async () => {
    const seen = s3.requests.length;
    const session = await S3LakeSession.open(s3.client, url, [""], work);
    const base = s3.requests.slice(seen).find((r) => r.method === "GET" && r.path.endsWith("/manifest.json"));
    expect(base).toBeDefined();
    await writeVersion(session.dir, V2);
    // Another writer (one that ignores the lease) replaces the manifest just before this one's PUT reaches S3.
    const other = manifestText({ ...manifestOf(V1), parameters: { other: { writer: true } } });
    s3.beforeNext(isPut("/manifest.json"), () => s3.put(BUCKET, `${prefix()}/manifest.json`, other));
    try {
      await expect(session.push()).rejects.toThrow(ConcurrentLakeWriteError);
    } finally {
      await session.close();
    }
    const put = s3.requests.slice(seen).filter((r) => r.method === "PUT" && r.path.endsWith("/manifest.json"));
    // This session's PUT (the other writer's plain PUT came after it, from within the hook).
    expect(put).toHaveLength(2);
    expect(put[0]!.ifMatch).toMatch(/^"[0-9a-f]+"$/);
    expect(put[1]!.ifMatch).toBeUndefined();
    expect((await s3.get(BUCKET, `${prefix()}/manifest.json`))!.toString("utf8")).toBe(other);
    expect((await bucketState()).protocol).toEqual([]);
  });

  it("the first manifest of a lake is written If-None-Match: *", async () => {
    url = `s3://${BUCKET}/fresh-${++lakeNo}`;
    const seen = s3.requests.length;
    await commit(V1);
    const put = s3.requests.slice(seen).filter((r) => r.method === "PUT" && r.path.endsWith("/manifest.json"));
    expect(put).toHaveLength(1);
    expect(put[0]).toMatchObject({ ifNoneMatch: "*" });
    expect(put[0]!.ifMatch).toBeUndefined();
  });

  it("two writers committing at the same moment: exactly one wins, the bucket is exactly its version", async () => {
    const other: Version = { ...V1, "incidents/month=2019-05/b.parquet": "b-may" };
    const results = await Promise.allSettled([commit(V2), commit(other)]);
    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as Error).name).toMatch(/^(LakeBusyError|ConcurrentLakeWriteError)$/);
    await repairS3Lake(s3.client, parseS3Url(url), 0);
    await expectExactly(won[0] === 0 ? V2 : other);
  });

  it("a session never mirrors a file its manifest does not list (an orphan cannot be read back into the lake)", async () => {
    await s3.put(BUCKET, `${prefix()}/incidents/month=2019-06/orphan.parquet`, "orphan");
    const session = await S3LakeSession.open(s3.client, url, ["manifest.json", "incidents/"], work);
    try {
      const files = (await readdir(session.dir, { recursive: true })).filter((f) => f.endsWith(".parquet")).sort();
      expect(files).toEqual(
        Object.keys(V1)
          .filter((f) => f.startsWith("incidents/"))
          .sort(),
      );
    } finally {
      await session.close();
    }
    // Within the grace period the sweep keeps it (it may be an upload in flight); after it, removes it.
    expect((await repairS3Lake(s3.client, parseS3Url(url), 1)).status === "done" && (await bucketState()).unlisted).toEqual([
      "incidents/month=2019-06/orphan.parquet",
    ]);
    expect(await repairS3Lake(s3.client, parseS3Url(url), 1, muchLater)).toMatchObject({ removed: ["incidents/month=2019-06/orphan.parquet"] });
    await expectExactly(V1);
  });
});

describe("a damaged or planted journal", () => {
  it("is refused before anything is written or deleted, naming the object and the way out", async () => {
    const journal = `s3://${BUCKET}/${prefix()}/_commit.json`;
    const outside = "outside-the-lake.txt";
    await s3.put(BUCKET, outside, "not the lake's");
    const body = { format: 1, writer: "x", written_at: "2026-01-01T00:00:00Z", base_etag: null, manifest: null, manifest_sha256: null };
    for (const text of [
      '{"format": 1, "dele',
      JSON.stringify({ ...body, deletes: ["../../outside-the-lake.txt"] }),
      JSON.stringify({ ...body, deletes: "all" }),
    ]) {
      await s3.put(BUCKET, `${prefix()}/_commit.json`, text);
      await expect(commit(V2)).rejects.toThrow(`the commit journal ${journal} is damaged (`);
      await expect(repairS3Lake(s3.client, parseS3Url(url), 0)).rejects.toThrow(
        `then delete ${journal}; the nightly sweep removes the data files no manifest lists`,
      );
    }
    expect((await s3.get(BUCKET, outside))?.toString("utf8")).toBe("not the lake's");
    expect((await bucketState()).manifest).toEqual(manifestOf(V1));
  });
});
