/**
 * `hotspots --lake s3://… check` reports the bucket as `check` reports a local lake: a commit left
 * half-done (its journal waiting) is reported and left alone — completed only with --repair — and a
 * Parquet file no commit lists is reported, not hidden by a mirror that takes only listed files.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { sha256Text } from "../etl/lake/atomic-file.ts";
import type { LakeCheck } from "../etl/lake/check-lake.ts";
import { RAW_RETENTION } from "../etl/lake/retention.ts";
import { listObjects } from "../etl/storage/s3-objects.ts";
import { hotspotsInProcess } from "./helpers/hotspots-cli.ts";
import { localClient, localS3Env, startLocalS3, type LocalS3 } from "./helpers/local-s3.ts";

const BUCKET = "check-lake";
let s3: LocalS3;
let dir: string;

const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
const ROWS = Array.from({ length: 8 }, (_, i) =>
  [
    `C-${i}`,
    `2019-01-1${i}T12:00:00Z`,
    "X",
    "theft",
    "pre_trial_investigation",
    (55.93 + i * 0.001).toFixed(6),
    "23.31",
    "Šiaulių m. sav.",
    "Šiauliai",
    "test",
  ].join(","),
);

const check = async (...flags: string[]) => {
  const { stdout, exitCode } = await hotspotsInProcess(["--lake", `s3://${BUCKET}/lake`, "--s3-endpoint", s3.endpoint, "--json", "check", ...flags]);
  return { result: JSON.parse(stdout) as LakeCheck & { repaired?: unknown }, exitCode };
};

beforeAll(async () => {
  s3 = await startLocalS3();
  await s3.createBucket(BUCKET);
  dir = await mkdtemp(join(tmpdir(), "s3-check-"));
  for (const [name, value] of Object.entries(localS3Env(s3.endpoint))) vi.stubEnv(name, value);
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  await writeFile(join(dir, "export.csv"), `${[HEADER, ...ROWS].join("\n")}\n`);
  await hotspotsInProcess(["--lake", `s3://${BUCKET}/lake`, "--s3-endpoint", s3.endpoint, "--json", "ingest", join(dir, "export.csv")]);
}, 120_000);
afterAll(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("check on an S3 lake", () => {
  it("a lake as its manifest lists is OK", async () => {
    expect(await check()).toMatchObject({ result: { ok: true, journal: false, strays: [] }, exitCode: undefined });
  });

  it("reports a commit left half-done and leaves it; --repair completes it", async () => {
    const manifest = (await s3.get(BUCKET, "lake/manifest.json"))!.toString("utf8");
    // A writer that died after its journal, whose manifest is already in place: only the journal's deletes remain.
    const journal = {
      format: 1,
      writer: "dead",
      written_at: "2026-12-04T00:00:00Z",
      base_etag: null,
      manifest: null,
      manifest_sha256: sha256Text(manifest),
      deletes: [],
    };
    await s3.put(BUCKET, "lake/_commit.json", JSON.stringify(journal));
    expect(await check()).toMatchObject({ result: { ok: false, journal: true }, exitCode: 4 });
    expect(await s3.get(BUCKET, "lake/_commit.json")).not.toBeNull(); // check changes nothing
    expect(await check("--repair")).toMatchObject({ result: { ok: true, journal: false }, exitCode: undefined });
    expect(await s3.get(BUCKET, "lake/_commit.json")).toBeNull();
  });

  it("reports a Parquet file no commit lists", async () => {
    const listed = (await s3.keys(BUCKET, "lake/incidents/"))[0]!;
    const stray = listed.replace(/[^/]+\.parquet$/, "stray.parquet");
    await s3.put(BUCKET, stray, (await s3.get(BUCKET, listed))!);
    expect(await check()).toMatchObject({ result: { ok: false, strays: [stray.slice("lake/".length)] }, exitCode: 4 });
    expect(await s3.get(BUCKET, stray)).not.toBeNull();
  });

  it("tells a quarantine file the retention rule removed from a missing one by its commit's objects' LastModified", async () => {
    const client = localClient(s3.endpoint);
    try {
      const objects = await listObjects(client, BUCKET, "lake/");
      const quarantine = objects.find((o) => o.key.startsWith("lake/quarantine/"))!;
      const name = quarantine.key.slice(quarantine.key.lastIndexOf("/"));
      const partition = objects.find((o) => o.key.startsWith("lake/incidents/") && o.key.endsWith(name))!;
      await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: quarantine.key }));
      const file = quarantine.key.slice("lake/".length);
      expect((await check()).result).toMatchObject({ missing: [file], expired: [] });
      // A second past the retention from the partition's LastModified: the mirror's download time
      // (later by more than a second) would leave it missing.
      await new Promise((done) => setTimeout(done, 1_100));
      const now = new Date(partition.lastModified.getTime() + RAW_RETENTION.expireAfterDays * 86_400_000 + 500).toISOString();
      const { result } = await check("--now", now);
      expect(result).toMatchObject({ missing: [], expired: [{ file, written: partition.lastModified.toISOString() }] });
    } finally {
      client.destroy();
    }
  });
});
