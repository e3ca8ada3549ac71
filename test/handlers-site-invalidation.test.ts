/**
 * Review finding: a data file the monthly publish deletes could still be served from CloudFront's
 * edge caches. After the publish deletes superseded data files and rewrites pages, it invalidates
 * exactly those paths (stubbed invalidator, site in a local S3 server); a failed invalidation does
 * not fail the publish but is logged as a warning and recorded in the run's outcome. The request
 * itself is checked against a stubbed fetch.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handlerConfig } from "../etl/handlers/handler-config.ts";
import { invalidateChanged, publishSite } from "../etl/handlers/publish-site.ts";
import { cloudFrontInvalidator } from "../etl/storage/cloudfront-invalidation.ts";
import { startLocalS3, type LocalS3 } from "./helpers/local-s3.ts";

let s3: LocalS3;
let work: string;
let siteNo = 0;

/** A site bucket whose index page registers meta.json at an old hashed name, with that file and an older one. */
async function siteWithOldData(): Promise<{ bucket: string; old: string[] }> {
  const bucket = `invalidation-site-${++siteNo}`;
  await s3.createBucket(bucket);
  const old = ["_file/data/meta.aaaaaaaa.json", "_file/data/meta.cccccccc.json"];
  await s3.put(
    bucket,
    "index.html",
    `<script>registerFile("./data/meta.json", {"name":"./data/meta.json","path":"./${old[0]}","lastModified":1,"size":2});</script>`,
  );
  for (const key of old) await s3.put(bucket, key, "{}");
  return { bucket, old };
}

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(work, "data-"));
  await writeFile(join(dir, "meta.json"), '{"v":2}');
  return dir;
}

beforeAll(async () => {
  s3 = await startLocalS3();
  work = await mkdtemp(join(tmpdir(), "handlers-site-invalidation-"));
});
afterAll(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

describe("the monthly publish invalidates what it deleted or rewrote", () => {
  it("creates one invalidation of the deleted data files and the rewritten pages, after deleting them", async () => {
    const { bucket, old } = await siteWithOldData();
    const calls: Array<{ paths: readonly string[]; remaining: string[] }> = [];
    const summary = await publishSite(s3.client, `s3://${bucket}`, await dataDir(), async (paths) => {
      calls.push({ paths, remaining: await s3.keys(bucket, "_file/data/") });
      return "I2J0I21PCUYOIK";
    });
    expect(summary.deleted).toEqual(old);
    expect(calls).toHaveLength(1);
    expect([...calls[0]!.paths].sort()).toEqual([...old.map((key) => `/${key}`), "/index.html"].sort());
    // Invalidated once the files are gone from the bucket: a refetch cannot cache them again.
    expect(calls[0]!.remaining).toEqual(summary.data);
    expect(summary.invalidation).toEqual({ status: "created", id: "I2J0I21PCUYOIK", paths: calls[0]!.paths });
  });

  it("a failed invalidation leaves the publish done, warns, and the outcome says it failed", async () => {
    const { bucket, old } = await siteWithOldData();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const summary = await publishSite(s3.client, `s3://${bucket}`, await dataDir(), () => Promise.reject(new Error("AccessDenied: not authorized")));
      expect(summary.deleted).toEqual(old);
      expect(await s3.keys(bucket, "_file/data/")).toEqual(summary.data);
      expect((await s3.get(bucket, "index.html"))!.toString("utf8")).toContain(summary.data[0]);
      expect(summary.invalidation).toMatchObject({ status: "failed", error: "AccessDenied: not authorized" });
      expect(warn).toHaveBeenCalledTimes(1);
      const line = JSON.parse(String(warn.mock.calls[0]![0]));
      expect(line).toMatchObject({ level: "WARN", error: "AccessDenied: not authorized" });
      expect(line.message).toMatch(/invalidation .* failed: edge caches may serve deleted data files/);
    } finally {
      warn.mockRestore();
    }
  });

  it("without a distribution nothing is invalidated and the summary has no invalidation", async () => {
    const { bucket } = await siteWithOldData();
    expect((await publishSite(s3.client, `s3://${bucket}`, await dataDir())).invalidation).toBeUndefined();
  });

  it("many changed data files are invalidated as the data folder's wildcard, pages by name", async () => {
    const changed = [...Array.from({ length: 150 }, (_, i) => `_file/data/f${i}.0000000${i % 10}.json`), "index.html", "a page.html"];
    const invalidate = vi.fn(() => Promise.resolve("ID"));
    const result = await invalidateChanged(invalidate, changed);
    expect(result.paths).toEqual(["/index.html", "/a%20page.html", "/_file/data/*"]);
    expect(invalidate).toHaveBeenCalledWith(result.paths);
  });
});

describe("the CloudFront request", () => {
  const credentials = () => Promise.resolve({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "token" });

  it("POSTs a signed InvalidationBatch to the distribution and returns the invalidation's id", async () => {
    const send = vi.fn(
      async (_url: string, _init: RequestInit) =>
        new Response("<Invalidation><Id>I2J0I21PCUYOIK</Id><Status>InProgress</Status></Invalidation>", { status: 201 }),
    );
    const id = await cloudFrontInvalidator("E2QWRUHAPOMQZL", credentials, send as unknown as typeof fetch)(["/index.html", "/_file/data/meta.aaaaaaaa.json"]);
    expect(id).toBe("I2J0I21PCUYOIK");
    const [url, init] = send.mock.calls[0]!;
    expect(url).toBe("https://cloudfront.amazonaws.com/2020-05-31/distribution/E2QWRUHAPOMQZL/invalidation");
    expect(init.method).toBe("POST");
    const headers = init.headers as Record<string, string>;
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/cloudfront\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/,
    );
    expect(headers["x-amz-security-token"]).toBe("token");
    expect(String(init.body)).toMatch(
      /<Paths><Quantity>2<\/Quantity><Items><Path>\/index\.html<\/Path><Path>\/_file\/data\/meta\.aaaaaaaa\.json<\/Path><\/Items><\/Paths><CallerReference>[0-9a-f-]{36}<\/CallerReference>/,
    );
  });

  it("an error answer throws with CloudFront's code and message", async () => {
    const send = () =>
      Promise.resolve(
        new Response("<ErrorResponse><Error><Code>AccessDenied</Code><Message>User is not authorized</Message></Error></ErrorResponse>", { status: 403 }),
      );
    await expect(cloudFrontInvalidator("E2QWRUHAPOMQZL", credentials, send as unknown as typeof fetch)(["/index.html"])).rejects.toThrow(
      "CloudFront CreateInvalidation on distribution E2QWRUHAPOMQZL answered 403: AccessDenied User is not authorized",
    );
  });

  it("SITE_DISTRIBUTION_ID is read, and refused naming the variable when it is not a distribution id", () => {
    const env = { LAKE_URL: "s3://lake/lake", RAW_URL: "s3://raw/raw" };
    expect(handlerConfig({ ...env, SITE_DISTRIBUTION_ID: "E2QWRUHAPOMQZL" }).siteDistributionId).toBe("E2QWRUHAPOMQZL");
    expect(handlerConfig(env).siteDistributionId).toBeNull();
    expect(() => handlerConfig({ ...env, SITE_DISTRIBUTION_ID: "arn:aws:cloudfront::1:distribution/E2" })).toThrow(
      /SITE_DISTRIBUTION_ID must be a CloudFront distribution id/,
    );
  });
});
