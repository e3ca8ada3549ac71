/**
 * How the ETL function fails on a bad upload, against a local S3 server (q4 #3, #5, #7):
 * - a version whose rows were all quarantined is committed with its quarantine, as the CLI leaves it,
 *   and then fails (the CLI exits 3 on it), so the Errors alarm and the dead-letter queue see it;
 * - a refusal names the object key, not the function's temporary copy, and says what to do in AWS
 *   (which key to upload under, or the CLI on the S3 lake), not the CLI's flags alone;
 * - a refused version is recorded, so the nightly sweep skips it instead of failing every night of
 *   its look-back window; a new version under the key is ingested, and clears the record.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handlerConfig } from "../etl/handlers/handler-config.ts";
import { handleEtlEvent, type EtlResult } from "../etl/handlers/index.ts";
import { REFUSED_UPLOADS_FILE, type RefusedUploads } from "../etl/handlers/refused-uploads.ts";
import { exportName } from "../etl/ingest/export-identity.ts";
import type { Manifest } from "../etl/lake/manifest.ts";
import { objectCreatedEvent, startLocalS3, type LocalS3 } from "./helpers/local-s3.ts";
import { bundledMonthsCsv } from "./helpers/shared.ts";

const RAW = "hotspots-raw";
const LAKE = "hotspots-curated";
let s3: LocalS3;
let work: string;

const config = () => handlerConfig({ LAKE_URL: `s3://${LAKE}/lake`, RAW_URL: `s3://${RAW}/raw`, WORK_DIR: work });
const handle = (event: unknown) => handleEtlEvent(event, { client: s3.client, config });
const sweep = () => handle({ task: "ingest-sweep" }) as Promise<Extract<EtlResult, { kind: "ingest" }>>;
const manifest = async () => JSON.parse((await s3.get(LAKE, "lake/manifest.json"))!.toString("utf8")) as Manifest;
const refused = async () => {
  const bytes = await s3.get(LAKE, `lake/${REFUSED_UPLOADS_FILE}`);
  return bytes === null ? {} : (JSON.parse(bytes.toString("utf8")) as RefusedUploads);
};
/** The error `promise` rejects with. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error, "expected the invocation to fail").toBeInstanceOf(Error);
  return error!;
}

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  s3 = await startLocalS3();
  for (const bucket of [RAW, LAKE]) await s3.createBucket(bucket);
  work = await mkdtemp(join(tmpdir(), "handlers-upload-failures-"));
});
afterAll(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

describe("an upload whose rows were all quarantined", () => {
  const key = "raw/siauliai-demo/bad-times.csv";

  it("is committed with its quarantine and then fails, naming the key, the likely cause and what to do", async () => {
    // Every row's time in a form the description does not read.
    const text = bundledMonthsCsv(["2019-04"]).replace(/,2019-04-(\d\d)T[^,]*,/g, ",$1.04.2019,");
    await s3.put(RAW, key, text);
    const error = await failure(handle(objectCreatedEvent(RAW, key)));
    expect(error.message).toMatch(
      new RegExp(
        `^ingest failed for 1 of 1 objects:\\ns3://${RAW}/${key}: every row \\(\\d+\\) was quarantined; likely cause: \\d+ of \\d+ rows are invalid_timestamp`,
      ),
    );
    expect(error.message).toContain(`This version is in the lake with its quarantined rows and their reasons (s3://${LAKE}/lake/quarantine/)`);
    expect(error.message).toContain("upload it again under this key");
    expect(error.message).not.toContain(work);
    expect(error.message).not.toContain("--max-quarantined-share");
    // Committed as the CLI commits it: the export and its quarantine are in the lake.
    const held = (await manifest()).sources[exportName({ source: "siauliai-demo", path: key })]!;
    expect(held).toMatchObject({ rows_ingested: 0 });
    expect(held.rows_quarantined).toBeGreaterThan(0);
  }, 120_000);

  it("the nightly sweep does not fail on it again: the lake holds that version", async () => {
    const result = await sweep();
    expect(result.outcomes).toEqual([{ key, status: "skipped", reason: "already in the lake" }]);
  }, 120_000);
});

describe("a refused upload", () => {
  const key = "raw/siauliai-demo/latest.csv";

  it("names the key and what to do in AWS, not the temporary copy or the CLI's flags alone", async () => {
    await s3.put(RAW, key, bundledMonthsCsv(["2019-06", "2019-07"]));
    await handle(objectCreatedEvent(RAW, key));
    // Next month's export saved over the same key: it lacks June, which the export holds.
    await s3.put(RAW, key, bundledMonthsCsv(["2019-08"]));
    const error = await failure(handle(objectCreatedEvent(RAW, key)));
    expect(error.message).toMatch(
      new RegExp(`^ingest failed for 1 of 1 objects:\\ns3://${RAW}/${key}: is a new version of export '${key}' of source 'siauliai-demo' that lacks months`),
    );
    expect(error.message).not.toContain(work);
    // The CLI's advice ("--export-id <name>", "ingest it with --replace") is replaced by AWS's.
    expect(error.message).not.toContain("--export-id <name>");
    expect(error.message).toContain("the lake was not changed. In AWS (an upload takes no options): upload a new export under a key of its own");
    expect(error.message).toContain(
      `hotspots --lake s3://${LAKE}/lake ingest --source data/sources/siauliai-demo.yaml --export-id '${key}' --replace <the file>`,
    );
  }, 120_000);

  it("is recorded, so the nightly sweep skips that version instead of failing every night", async () => {
    const record = await refused();
    expect(Object.keys(record)).toEqual([key]);
    expect(record[key]!.reason).toContain("lacks months");
    const result = await sweep();
    expect(result.outcomes).toContainEqual({
      key,
      status: "skipped",
      reason: `refused at ${record[key]!.refused_at} (reported then); not retried until a new version is uploaded under this key`,
    });
  }, 120_000);

  it("a record that is not JSON fails the sweep, naming the object and what to do", async () => {
    const record = (await s3.get(LAKE, `lake/${REFUSED_UPLOADS_FILE}`))!;
    await s3.put(LAKE, `lake/${REFUSED_UPLOADS_FILE}`, "{ half");
    await expect(sweep()).rejects.toThrow(`s3://${LAKE}/lake/${REFUSED_UPLOADS_FILE} is not valid JSON (`);
    await s3.put(LAKE, `lake/${REFUSED_UPLOADS_FILE}`, record);
  }, 120_000);

  it("a new version under the key is ingested by the sweep, and the record cleared", async () => {
    await s3.put(RAW, key, bundledMonthsCsv(["2019-06", "2019-07", "2019-08"]));
    const result = await sweep();
    expect(result.outcomes.find((o) => o.key === key)).toMatchObject({ status: "ingested" });
    expect(await refused()).toEqual({});
  }, 120_000);
});
