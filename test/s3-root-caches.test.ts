/**
 * The root caches (etl/lake/root-caches.ts) on an S3 lake, against a real S3-compatible server: a
 * session that carries them (SessionOptions.rootCaches) mirrors them with a scope that reads tables,
 * uploads after its commit the ones the run wrote or changed, never puts them in a commit, and a
 * damaged one in the bucket is a miss for the store that reads it, replaced by the next push.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { storedStudyAreaCells } from "../etl/analytics/study-area-store.ts";
import { studyAreaCells } from "../etl/analytics/study-area.ts";
import { sha256Text } from "../etl/lake/atomic-file.ts";
import { manifestText } from "../etl/lake/manifest.ts";
import { isRootCache, rootCacheFile } from "../etl/lake/root-caches.ts";
import { LAKE_SCOPES, S3LakeSession, withS3Lake } from "../etl/storage/s3-lake.ts";
import { startLocalS3, type LocalS3 } from "./helpers/local-s3.ts";
import { squareMunicipality } from "./helpers/shared.ts";

const BUCKET = "cache-lake";
let s3: LocalS3;
let work: string;
let lakeNo = 0;
let prefix: string;
const url = () => `s3://${BUCKET}/${prefix}`;
const TABLES_SCOPE = ["manifest.json", "cell_counts/"];
const STUDY_AREA = rootCacheFile("studyArea", 8);
const KERNELS = rootCacheFile("gridKernels");

beforeAll(async () => {
  s3 = await startLocalS3();
  await s3.createBucket(BUCKET);
  work = await mkdtemp(join(tmpdir(), "s3-root-caches-"));
});
afterAll(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});
beforeEach(async () => {
  prefix = `lake-${++lakeNo}`;
  s3.failAlways(null);
  const manifest = { format: 1, timezone: "Europe/Vilnius", h3_resolution: 8, tables: {}, sources: {} };
  await s3.put(BUCKET, `${prefix}/manifest.json`, manifestText(manifest as never));
  await s3.put(BUCKET, `${prefix}/${STUDY_AREA}`, "cells as stored");
  await s3.put(BUCKET, `${prefix}/_monthly-run.json`, "{}"); // a root `_` file that is no cache
});

describe("root caches on an S3 lake", () => {
  it("are named in one list that knows no other root file", () => {
    expect([rootCacheFile("lakeCounts", 9), rootCacheFile("studyArea", 12), rootCacheFile("hotSpotSummaries"), KERNELS].every(isRootCache)).toBe(true);
    for (const other of ["_lock.json", "_commit.json", "_lease.json", "_monthly-run.json", "manifest.json", "cell_counts/_grid-kernels.bin"])
      expect(isRootCache(other), other).toBe(false);
    expect(isRootCache(`${rootCacheFile("lakeCounts", 8)}.123.456.tmp`)).toBe(false);
    expect(() => rootCacheFile("studyArea")).toThrow(/per resolution/);
  });

  it("are mirrored only when the session carries them and its scope reads tables", async () => {
    const mirrored = async (scope: readonly string[], rootCaches: boolean) => {
      const session = await S3LakeSession.open(s3.client, url(), scope, work, { rootCaches });
      try {
        return { cache: existsSync(join(session.dir, STUDY_AREA)), marker: existsSync(join(session.dir, "_monthly-run.json")) };
      } finally {
        await session.close();
      }
    };
    expect(await mirrored(TABLES_SCOPE, true)).toEqual({ cache: true, marker: false });
    expect(await mirrored(TABLES_SCOPE, false)).toEqual({ cache: false, marker: false });
    expect(await mirrored(LAKE_SCOPES.ingest, true)).toEqual({ cache: false, marker: false });
  });

  it("are uploaded after the run when written or changed, outside the commit; an unchanged one is not sent again", async () => {
    const seen = s3.requests.length;
    const { pushed } = await withS3Lake(
      s3.client,
      url(),
      TABLES_SCOPE,
      async (dir) => {
        expect(await readFile(join(dir, STUDY_AREA), "utf8")).toBe("cells as stored");
        await writeFile(join(dir, KERNELS), "kernels");
      },
      work,
      { rootCaches: true },
    );
    expect(pushed).toEqual({ uploaded: [], deleted: [], unchanged: 1, pending: [], caches: [KERNELS] });
    expect((await s3.get(BUCKET, `${prefix}/${KERNELS}`))?.toString()).toBe("kernels");
    // No commit: no lease, journal or manifest written.
    const puts = s3.requests.slice(seen).filter((r) => r.method === "PUT");
    expect(puts.map((r) => r.path)).toEqual([`/${BUCKET}/${prefix}/${KERNELS}`]);
  });

  it("a damaged cache in the bucket is a miss for its store, and the store's rewrite replaces it", async () => {
    const area = squareMunicipality(0.1);
    const { result, pushed } = await withS3Lake(s3.client, url(), TABLES_SCOPE, (dir) => storedStudyAreaCells(dir, area, 8), work, { rootCaches: true });
    expect(result).toEqual(studyAreaCells(area, 8));
    expect(pushed.caches).toEqual([STUDY_AREA]);
    const stored = JSON.parse((await s3.get(BUCKET, `${prefix}/${STUDY_AREA}`))!.toString()) as { key: string; cells: string[] };
    expect(stored.cells).toEqual(result);
    // A fresh session reuses what the bucket holds: a valid file planted under the same key is what the store returns.
    const planted = ["88000000000ffff"];
    await s3.put(BUCKET, `${prefix}/${STUDY_AREA}`, JSON.stringify({ key: stored.key, sha256: sha256Text(planted.join("\n")), cells: planted }));
    const again = await withS3Lake(s3.client, url(), TABLES_SCOPE, (dir) => storedStudyAreaCells(dir, area, 8), work, { rootCaches: true });
    expect(again.result).toEqual(planted);
    expect(again.pushed.caches).toBeUndefined();
  });

  it("a cache that fails to upload costs only its recomputation: the push succeeds", async () => {
    s3.failAlways((r) => r.method === "PUT" && r.path.endsWith(KERNELS));
    const { pushed } = await withS3Lake(s3.client, url(), TABLES_SCOPE, (dir) => writeFile(join(dir, KERNELS), "kernels"), work, { rootCaches: true });
    s3.failAlways(null);
    expect(pushed.caches).toBeUndefined();
    expect(await s3.get(BUCKET, `${prefix}/${KERNELS}`)).toBeNull();
  });
});
