/**
 * The ETL Lambda handler against a real S3-compatible server on 127.0.0.1 (s3rver behind a proxy
 * that can answer 500s): uploads become curated Parquet, quarantine and manifest in the lake
 * bucket; the schedules ingest missed uploads and publish the dashboard data; malformed events
 * fail clearly; S3 errors are retried and never leave a manifest pointing at missing files.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cliContext } from "../etl/cli/context.ts";
import { register as registerPipeline } from "../etl/cli/pipeline-commands.ts";
import { DEFAULTS } from "../etl/config.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { handlerConfig } from "../etl/handlers/handler-config.ts";
import { exportName } from "../etl/ingest/export-identity.ts";
import { handleEtlEvent, type EtlResult } from "../etl/handlers/index.ts";
import { manifestFiles, type Manifest } from "../etl/lake/manifest.ts";
import { isRootCache } from "../etl/lake/root-caches.ts";
import { ALL_TABLES, TABLES } from "../etl/lake/tables.ts";
import { MANIFEST_FOLDERS, repairS3Lake } from "../etl/storage/s3-orphans.ts";
import { parseS3Url } from "../etl/storage/s3-url.ts";
import { attachS3Lake } from "../etl/storage/s3-cli.ts";
import { LAKE_SCOPES, withS3Lake } from "../etl/storage/s3-lake.ts";
import { ingestStage } from "../etl/pipeline.ts";
import { loadProjects } from "../etl/context/project-indicators.ts";
import { polygonEvaluations } from "../etl/stages.ts";
import { deadEndpoint, localClient, localS3Env, objectCreatedEvent, startLocalS3, type LocalS3 } from "./helpers/local-s3.ts";
import { bundledMonthsCsv } from "./helpers/shared.ts";

const RAW = "hotspots-raw";
const LAKE = "hotspots-curated";
const SITE = "hotspots-site";
let s3: LocalS3;
let work: string;

const incidentCsv = bundledMonthsCsv;
const rowsOf = (months: readonly string[]) => incidentCsv(months).trimEnd().split("\n").length - 1;

/** An object-created notification as S3 sends it: the key URL-encoded, spaces as '+'. */
const created = (key: string, bucket = RAW) => objectCreatedEvent(bucket, key);

const env = () => ({ LAKE_URL: `s3://${LAKE}/lake`, RAW_URL: `s3://${RAW}/raw`, SITE_URL: `s3://${SITE}`, WORK_DIR: work });
const config = () => handlerConfig(env());
const handle = (event: unknown) => handleEtlEvent(event, { client: s3.client, config });
/** The lake name of an upload's files: the export is its source and object key (see ExportIdentity). */
const nameOf = (key: string) => exportName({ source: "siauliai-demo", path: key });
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const manifest = async () => JSON.parse((await s3.get(LAKE, "lake/manifest.json"))!.toString("utf8")) as Manifest;

/**
 * Every partition the manifest lists exists in the bucket with exactly the recorded bytes, and the
 * manifest's folders hold nothing it does not list; no journal, lease or temporary file is left.
 */
async function expectManifestConsistent(): Promise<Manifest> {
  const m = await manifest();
  for (const table of Object.values(m.tables)) {
    for (const [key, entry] of Object.entries(table)) {
      const bytes = await s3.get(LAKE, `lake/${key}`);
      expect(bytes, `${key} is listed in the manifest but missing`).not.toBeNull();
      expect(sha256(bytes!), key).toBe(entry.sha256);
    }
  }
  const keys = await s3.keys(LAKE, "lake/");
  expect(keys.filter((k) => k.endsWith(".tmp") || k.endsWith("_commit.json") || k.endsWith("_lease.json"))).toEqual([]);
  const governed = keys.map((k) => k.slice("lake/".length)).filter((k) => MANIFEST_FOLDERS.some((folder) => k.startsWith(folder)));
  expect(governed, "files in the manifest's folders that it does not list").toEqual([...manifestFiles(m)].sort());
  return m;
}

/**
 * The lake objects GET since request `since`, as their table folders (registry names, e.g. `cell_counts`,
 * `context/exposure`) or `manifest.json`: what a run read from the lake. Listings (ListObjectsV2 on the
 * bucket) return keys only and are not counted.
 */
function lakeReads(since: number): string[] {
  const folders = ALL_TABLES.map((t) => t.folder).sort((a, b) => b.length - a.length);
  const keys = s3.requests
    .slice(since)
    .filter((r) => r.method === "GET" && r.path.startsWith(`/${LAKE}/lake/`))
    .map((r) => r.path.slice(`/${LAKE}/lake/`.length));
  return [...new Set(keys.map((k) => (isRootCache(k) ? ROOT_CACHES : (folders.find((f) => k.startsWith(`${f}/`)) ?? k))))].sort();
}

/** The commit protocol's objects every writing run reads at the lake's root (see etl/storage/s3-commit.ts). */
const COMMIT_OBJECTS = ["_commit.json", "_lease.json", "manifest.json"];
/** lakeReads' name for the root caches (etl/lake/root-caches.ts) a run downloads. */
const ROOT_CACHES = "root caches";
/**
 * What a monthly run on a lake that already has its outputs reads: besides the commit objects, the
 * aggregates and the outputs it keeps or rewrites (hot spots, analytics, context, evaluations), i.e.
 * every table but the incident rows and the quarantined raw lines.
 */
const READS_OF_A_LATER_MONTHLY_RUN = [
  ...COMMIT_OBJECTS,
  // Not emerging: the bucket's months are too few for its trend test (emerging-sparsity.ts), so no run writes it.
  ...ALL_TABLES.filter((t) => t !== TABLES.incidents && t !== TABLES.quarantine && t !== TABLES.emerging).map((t) => t.folder),
  // Those the first monthly run wrote: a later run starts from them.
  ROOT_CACHES,
].sort();

/** Runs SQL over Parquet bytes fetched from the bucket. */
async function queryParquet(bucket: string, key: string, sql: string) {
  const file = join(work, `q-${Math.random().toString(36).slice(2)}.parquet`);
  await writeFile(file, (await s3.get(bucket, key))!);
  try {
    return await withConnection(async (c) => (await c.runAndReadAll(sql.replace("$file", `'${file}'`))).getRowObjectsJS());
  } finally {
    await rm(file, { force: true });
  }
}

/** A built page as Observable Framework writes it: it registers each data file under a hashed name. */
const PAGE = `<!DOCTYPE html><script type="module">
registerFile("./data/meta.json", {"name":"./data/meta.json","mimeType":"application/json","path":"./_file/data/meta.59db0b48.json","lastModified":1,"size":10});
registerFile("./data/hotspots.json", {"name":"./data/hotspots.json","mimeType":"application/json","path":"./_file/data/hotspots.7857ba43.json","lastModified":1,"size":10});
registerFile("./data/monthly-counts.json", {"name":"./data/monthly-counts.json","mimeType":"application/json","path":"./_file/data/monthly-counts.6eb0dda9.json","lastModified":1,"size":10});
</script>`;

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => undefined); // the handler's one-line JSON summaries
  s3 = await startLocalS3();
  for (const bucket of [RAW, LAKE, SITE]) await s3.createBucket(bucket);
  work = await mkdtemp(join(tmpdir(), "handlers-s3-"));
});
afterAll(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

describe("ETL handler on S3", () => {
  const first = "raw/siauliai-demo/Šiauliai 2019 Q1.csv";
  const slug = nameOf(first);
  const q1 = ["2019-01", "2019-02", "2019-03"];

  it("turns a new raw export into curated Parquet, quarantine and manifest in the lake bucket", async () => {
    await s3.put(RAW, first, incidentCsv(q1, ["SIA-BAD-1,not a time,BK 178,theft,pre_trial_investigation,55.9,23.3,Šiaulių m. sav.,Šiauliai,siauliai-demo"]));
    const result = (await handle(created(first))) as Extract<EtlResult, { kind: "ingest" }>;
    expect(result.kind).toBe("ingest");
    const outcome = result.outcomes[0]!;
    // A small export: read in the main thread (no CSV reader threads started).
    expect(outcome).toMatchObject({ key: first, status: "ingested", source: "siauliai-demo", readerThreads: 0 });
    if (outcome.status !== "ingested") throw new Error("not ingested");
    expect(outcome.report).toMatchObject({
      file: "Šiauliai 2019 Q1.csv",
      rows_read: rowsOf(q1) + 1,
      rows_ingested: rowsOf(q1),
      rows_quarantined: 1,
      months: q1,
    });

    expect(await s3.keys(LAKE)).toEqual([
      ...["cell_counts", "day_counts", "incidents"].flatMap((table) => q1.map((m) => `lake/${table}/month=${m}/${slug}.parquet`)),
      "lake/manifest.json",
      `lake/quarantine/${slug}.parquet`,
    ]);
    const m = await expectManifestConsistent();
    expect(m.sources[slug]).toMatchObject({ rows_read: rowsOf(q1) + 1, rows_quarantined: 1 });
    const [counted] = await queryParquet(
      LAKE,
      `lake/incidents/month=2019-02/${slug}.parquet`,
      "SELECT count(*)::INTEGER AS n, count(DISTINCT h3_cell)::INTEGER AS cells FROM read_parquet($file)",
    );
    expect(counted!.n).toBe(m.tables.incidents![`incidents/month=2019-02/${slug}.parquet`]!.rows);
    expect(counted!.cells as number).toBeGreaterThan(10);
    const quarantined = await queryParquet(LAKE, `lake/quarantine/${slug}.parquet`, "SELECT line, code, raw FROM read_parquet($file)");
    expect(quarantined).toEqual([expect.objectContaining({ line: rowsOf(q1) + 2, raw: expect.stringContaining("SIA-BAD-1") })]);
    // 35 s at load average 20 on 2 cores.
  }, 240_000);

  it("the same notification again uploads nothing new and leaves the lake byte for byte as it was", async () => {
    const before = await s3.get(LAKE, "lake/manifest.json");
    const result = (await handle(created(first))) as Extract<EtlResult, { kind: "ingest" }>;
    const outcome = result.outcomes[0]!;
    if (outcome.status !== "ingested") throw new Error("not ingested");
    expect(outcome.pushed.uploaded.filter((k) => k.startsWith("incidents/") || k === "manifest.json")).toEqual([]);
    expect(await s3.get(LAKE, "lake/manifest.json")).toEqual(before);
  });

  it("a corrected export with the same name that lacks a month is refused; said to replace it, it removes that month", async () => {
    await s3.put(RAW, first, incidentCsv(["2019-01", "2019-02"]));
    const before = await s3.get(LAKE, "lake/manifest.json");
    await expect(handle(created(first))).rejects.toThrow(
      /lacks months the lake holds from it: 2019-03 \(\d+ incidents\) would be removed; the lake was not changed/,
    );
    expect(await s3.get(LAKE, "lake/manifest.json")).toEqual(before);
    // What `hotspots --lake s3://… ingest --export-id <key> --replace <file>` does.
    const file = join(work, "corrected.csv");
    await writeFile(file, incidentCsv(["2019-01", "2019-02"]));
    const { result } = await withS3Lake(
      s3.client,
      `s3://${LAKE}/lake`,
      LAKE_SCOPES.ingest,
      (lakeDir) => ingestStage([file], { ...config().settings, lakeDir }, undefined, DEFAULTS.sourceDescription, undefined, { exportId: first, replace: true }),
      work,
    );
    expect((result.files[0] as { removed?: unknown }).removed).toEqual([{ export: first, months: ["2019-03"], rows: rowsOf(["2019-03"]) }]);
    expect(await s3.keys(LAKE, "lake/incidents/")).toEqual([`lake/incidents/month=2019-01/${slug}.parquet`, `lake/incidents/month=2019-02/${slug}.parquet`]);
    const m = await expectManifestConsistent();
    expect(m.sources[slug]).toMatchObject({ rows_quarantined: 0, months: ["2019-01", "2019-02"] });
  });

  it("the monthly schedule computes the hot spots and publishes the dashboard data to the site bucket", async () => {
    await s3.put(SITE, "index.html", PAGE);
    const seen = s3.requests.length;
    const result = (await handle({ task: "analyse-publish" })) as Extract<EtlResult, { kind: "analyse-publish" }>;
    expect(result.outcome.status).toBe("done");
    if (result.outcome.status !== "done") return;
    // It downloads the manifest and the aggregates (the lake has no outputs yet), never an incident row.
    expect(lakeReads(seen)).toEqual([...COMMIT_OBJECTS, "cell_counts", "day_counts"].sort());
    const downloaded = s3.requests
      .slice(seen)
      .filter((r) => r.method === "GET" && r.path.startsWith(`/${LAKE}/lake/`))
      .map((r) => r.path.slice(`/${LAKE}/lake/`.length));
    expect(downloaded).toContain("manifest.json");
    expect(downloaded.filter((k) => k.startsWith("cell_counts/") || k.startsWith("day_counts/")).sort()).toEqual(
      ["cell_counts", "day_counts"].flatMap((t) => ["2019-01", "2019-02"].map((m) => `${t}/month=${m}/${slug}.parquet`)).sort(),
    );
    expect(downloaded.filter((k) => k.startsWith("incidents/") || k.startsWith("quarantine/"))).toEqual([]);
    expect(result.outcome.analyse).toMatchObject({ months: 2, first_month: "2019-01", last_month: "2019-02", incidents_outside_study_area: 0 });
    expect(await s3.keys(LAKE, "lake/hotspots/")).toEqual(["lake/hotspots/month=2019-01/hotspots.parquet", "lake/hotspots/month=2019-02/hotspots.parquet"]);
    const m = await expectManifestConsistent();
    expect(Object.keys(m.tables.hot_spots!)).toHaveLength(2);
    const [bins] = await queryParquet(
      LAKE,
      "lake/hotspots/month=2019-02/hotspots.parquet",
      "SELECT count(*)::INTEGER AS n, max(gi_bin)::INTEGER AS top FROM read_parquet($file) WHERE category = 'all'",
    );
    expect(bins!.n as number).toBeGreaterThan(3000);
    expect(bins!.top).toBe(3);

    // The page now points at data files that exist and hold this lake's months; no incident-level data.
    const page = (await s3.get(SITE, "index.html"))!.toString("utf8");
    const paths = [...page.matchAll(/"path":"\.\/(_file\/data\/[^"]+)"/g)].map((match) => match[1]!);
    expect(paths).toHaveLength(3);
    expect(paths.some((p) => p.includes("59db0b48"))).toBe(false);
    for (const path of paths) expect(await s3.get(SITE, path), path).not.toBeNull();
    const meta = JSON.parse(
      (await s3.get(
        SITE,
        paths.find((p) => p.includes("meta."))!,
      ))!.toString("utf8"),
    ) as { months: string[] };
    expect(meta.months).toEqual(["2019-01", "2019-02"]);
    for (const key of await s3.keys(SITE, "_file/data/")) expect((await s3.get(SITE, key))!.toString("utf8")).not.toMatch(/SIA-\d{4}-\d+/);
    // 171 s at load average 20 on 2 cores.
  }, 480_000);

  it("the nightly schedule ingests an export whose notification was lost and skips those already in the lake", async () => {
    await s3.put(RAW, "raw/siauliai-demo/late/2019-04.csv", incidentCsv(["2019-04"]));
    const result = (await handle({ task: "ingest-sweep" })) as Extract<EtlResult, { kind: "ingest" }>;
    // Oldest first, but S3's LastModified has whole seconds: two uploads within one second may come in either order.
    expect(Object.fromEntries(result.outcomes.map((o) => [o.key, o.status]))).toEqual({
      [first]: "skipped",
      "raw/siauliai-demo/late/2019-04.csv": "ingested",
    });
    expect(await s3.keys(LAKE, "lake/incidents/month=2019-04/")).toEqual([
      `lake/incidents/month=2019-04/${nameOf("raw/siauliai-demo/late/2019-04.csv")}.parquet`,
    ]);
    await expectManifestConsistent();
  });

  it("a malformed event, or an upload it cannot place, fails with a clear error and writes nothing", async () => {
    const before = await s3.keys(LAKE);
    await expect(handle({})).rejects.toThrow(/malformed ETL event: neither an S3 notification \(Records\) nor a scheduled task \(task\); received \{\}/);
    await expect(handle({ Records: [] })).rejects.toThrow(/Records must be a non-empty array/);
    await expect(handle({ task: "reindex" })).rejects.toThrow(/unknown task "reindex" \(expected ingest-sweep or analyse-publish\)/);
    await expect(
      handle({ Records: [{ eventSource: "aws:s3", eventName: "ObjectRemoved:Delete", s3: { bucket: { name: RAW }, object: { key: "raw/x/y.csv" } } }] }),
    ).rejects.toThrow(/not an ObjectCreated event/);
    await expect(
      handle({ Records: [{ eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: { bucket: { name: RAW }, object: { key: "raw/x/%E0%A4%A" } } }] }),
    ).rejects.toThrow(/not validly URL-encoded/);
    await expect(handle("not an object")).rejects.toThrow(/expected a JSON object/);
    await s3.put(RAW, "elsewhere/file.csv", "id\n1\n");
    await expect(handle(created("elsewhere/file.csv"))).rejects.toThrow(/is not under raw\/<source-id>\//);
    await s3.put(RAW, "raw/no-such-source/file.csv", "id\n1\n");
    await expect(handle(created("raw/no-such-source/file.csv"))).rejects.toThrow(/no source description 'no-such-source'/);
    await expect(handle(created("raw/siauliai-demo/missing.csv"))).rejects.toThrow(
      /S3 GetObject s3:\/\/hotspots-raw\/raw\/siauliai-demo\/missing.csv failed: NoSuchKey/,
    );
    await s3.put(RAW, "raw/siauliai-demo/header-only.csv", bundledMonthsCsv([]));
    await expect(handle(created("raw/siauliai-demo/header-only.csv"))).rejects.toThrow(/has a header but no data rows; the lake was not changed/);
    expect(await handle({ Service: "Amazon S3", Event: "s3:TestEvent", Bucket: RAW })).toEqual({ kind: "ignored", reason: "S3 test event" });
    expect(await s3.keys(LAKE)).toEqual(before);
  });

  it("S3 answering 500s is retried and the upload is ingested all the same", async () => {
    const key = "raw/siauliai-demo/2019-05.csv";
    await s3.put(RAW, key, incidentCsv(["2019-05"]));
    const seen = s3.requests.length;
    s3.failNext(2, (r) => r.method === "GET" && r.path.includes(key));
    s3.failNext(2, (r) => r.method === "PUT" && r.path.includes("/incidents/month=2019-05/"));
    s3.failNext(1, (r) => r.method === "PUT" && r.path.endsWith("/manifest.json"));
    await handle(created(key));
    const retried = s3.requests.slice(seen);
    expect(retried.filter((r) => r.method === "PUT" && r.path.includes("month=2019-05")).length).toBeGreaterThanOrEqual(3);
    expect(Object.keys((await expectManifestConsistent()).tables.incidents!)).toContain(`incidents/month=2019-05/${nameOf(key)}.parquet`);
  });

  it("S3 failing for good mid-upload leaves the manifest as it was, the sweep removes the unlisted uploads, and a retry completes the commit", async () => {
    const key = "raw/siauliai-demo/2019-summer.csv";
    await s3.put(RAW, key, incidentCsv(["2019-06", "2019-07", "2019-08"]));
    const before = await s3.get(LAKE, "lake/manifest.json");
    s3.failAlways((r) => r.method === "PUT" && r.path.includes("/incidents/month=2019-07/"));
    try {
      await expect(handle(created(key))).rejects.toThrow(`S3 PutObject s3://hotspots-curated/lake/incidents/month=2019-07/${nameOf(key)}.parquet failed`);
    } finally {
      s3.failAlways(null);
    }
    expect(await s3.get(LAKE, "lake/manifest.json")).toEqual(before);
    expect(await s3.get(LAKE, `lake/incidents/month=2019-07/${nameOf(key)}.parquet`)).toBeNull();
    // The aggregates, June, August and the quarantine were uploaded but never listed: the repair removes them (no grace period here).
    const repaired = await repairS3Lake(s3.client, parseS3Url(`s3://${LAKE}/lake`), 0);
    expect(repaired).toEqual({
      status: "done",
      journal: "none",
      removed: [
        ...["cell_counts", "day_counts"].flatMap((table) => ["06", "07", "08"].map((m) => `${table}/month=2019-${m}/${nameOf(key)}.parquet`)),
        `incidents/month=2019-06/${nameOf(key)}.parquet`,
        `incidents/month=2019-08/${nameOf(key)}.parquet`,
        `quarantine/${nameOf(key)}.parquet`,
      ],
      pending: [],
    });
    await expectManifestConsistent();
    // Lambda's retry of the same event: the same, idempotent work, now complete.
    await handle(created(key));
    const m = await expectManifestConsistent();
    expect(m.sources[nameOf(key)]).toMatchObject({ months: ["2019-06", "2019-07", "2019-08"] });
    // 35 s at load average 20 on 2 cores.
  }, 240_000);

  it("with recentMonths the monthly run recomputes only the latest months and keeps the others byte for byte", async () => {
    const before = await s3.get(LAKE, "lake/hotspots/month=2019-01/hotspots.parquet");
    const seen = s3.requests.length;
    const result = (await handle({ task: "analyse-publish", recentMonths: 2 })) as Extract<EtlResult, { kind: "analyse-publish" }>;
    expect(result.outcome).toMatchObject({ status: "done", analyse: { months: 2, first_month: "2019-07", last_month: "2019-08" } });
    // Besides the aggregates, only the outputs the run rewrites or keeps (hot spots, analytics, context, evaluations).
    expect(lakeReads(seen)).toEqual(READS_OF_A_LATER_MONTHLY_RUN);
    expect(await s3.keys(LAKE, "lake/hotspots/")).toEqual(["01", "02", "07", "08"].map((m) => `lake/hotspots/month=2019-${m}/hotspots.parquet`));
    expect(await s3.get(LAKE, "lake/hotspots/month=2019-01/hotspots.parquet")).toEqual(before);
    expect(Object.keys((await expectManifestConsistent()).tables.hot_spots!)).toHaveLength(4);
  }, 240_000);

  it("a lake written before the aggregates: the monthly run mirrors its incidents once, builds the aggregates and pushes them", async () => {
    const old = await manifest();
    const built = ["cell_counts", "day_counts"].flatMap((table) => Object.keys(old.tables[table] ?? {})).sort();
    expect(built.length).toBeGreaterThan(0);
    delete old.tables.cell_counts;
    delete old.tables.day_counts;
    for (const key of built) await s3.client.send(new DeleteObjectCommand({ Bucket: LAKE, Key: `lake/${key}` }));
    await s3.put(LAKE, "lake/manifest.json", JSON.stringify(old));
    const seen = s3.requests.length;
    const result = (await handle({ task: "analyse-publish", recentMonths: 1 })) as Extract<EtlResult, { kind: "analyse-publish" }>;
    expect(result.outcome.status).toBe("done");
    const downloaded = s3.requests.slice(seen).filter((r) => r.method === "GET" && r.path.startsWith(`/${LAKE}/lake/incidents/`));
    expect(downloaded.length).toBe(Object.keys(old.tables.incidents!).length);
    const m = await expectManifestConsistent();
    expect(["cell_counts", "day_counts"].flatMap((table) => Object.keys(m.tables[table] ?? {})).sort()).toEqual(built);
  }, 240_000);

  it("the exception: an outcome evaluation drawn as a polygon mirrors the incidents (each point is tested) and runs", async () => {
    const projects = JSON.parse(await readFile(DEFAULTS.projectsJson, "utf8")) as { outcome_evaluations: Array<{ id: string; project_id: string }> };
    const polygon = join(work, "kursenai-box.geojson");
    // A box around Kuršėnai (56.00 N, 22.93 E), inside Šiaulių r. sav.
    const ring = [
      [22.85, 55.95],
      [23.0, 55.95],
      [23.0, 56.05],
      [22.85, 56.05],
      [22.85, 55.95],
    ];
    await writeFile(
      polygon,
      JSON.stringify({ type: "FeatureCollection", features: [{ type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [ring] } }] }),
    );
    const spec = { ...projects.outcome_evaluations[0]!, area: `geojson:${polygon}`, before: "2019-01/2019-02", after: "2019-07/2019-08", categories: ["all"] };
    const file = join(work, "projects-polygon.json");
    await writeFile(file, JSON.stringify({ ...projects, outcome_evaluations: [spec] }));
    expect(polygonEvaluations(loadProjects(file).outcome_evaluations).map((e) => e.id)).toEqual([spec.id]);
    expect(polygonEvaluations(loadProjects(DEFAULTS.projectsJson).outcome_evaluations)).toEqual([]);

    const seen = s3.requests.length;
    const withPolygon = () => handlerConfig({ ...env(), PROJECTS_JSON: file });
    const result = (await handleEtlEvent({ task: "analyse-publish", recentMonths: 1 }, { client: s3.client, config: withPolygon })) as Extract<
      EtlResult,
      { kind: "analyse-publish" }
    >;
    expect(result.outcome.status).toBe("done");
    if (result.outcome.status !== "done") return;
    expect(lakeReads(seen)).toEqual([...READS_OF_A_LATER_MONTHLY_RUN, "incidents"].sort());
    expect(result.outcome.evaluate!.evaluations).toEqual([{ id: spec.id, project_id: spec.project_id, ok: true, error: null, lake_rows: expect.any(Number) }]);
    expect(result.outcome.evaluate!.evaluations[0]!.lake_rows).toBeGreaterThan(0);
    await expectManifestConsistent();
  }, 240_000);

  it("the exception: an analysis at another resolution than the stored one mirrors the incidents (it indexes their coordinates)", async () => {
    const coarser = () => handlerConfig({ ...env(), H3_RESOLUTION: String(DEFAULTS.h3Resolution - 1) });
    const seen = s3.requests.length;
    // Every month: a new resolution changes every month's parameters, and the site shows one resolution.
    const result = (await handleEtlEvent({ task: "analyse-publish" }, { client: s3.client, config: coarser })) as Extract<
      EtlResult,
      { kind: "analyse-publish" }
    >;
    expect(result.outcome.status).toBe("done");
    expect(lakeReads(seen)).toEqual([...READS_OF_A_LATER_MONTHLY_RUN, "incidents"].sort());
    const [cells] = await queryParquet(
      LAKE,
      "lake/hotspots/month=2019-08/hotspots.parquet",
      "SELECT min(h3_resolution)::INTEGER AS lo, max(h3_resolution)::INTEGER AS hi FROM read_parquet($file)",
    );
    expect(cells).toEqual({ lo: DEFAULTS.h3Resolution - 1, hi: DEFAULTS.h3Resolution - 1 });
    await expectManifestConsistent();
  }, 240_000);

  it("S3 unreachable: the handler fails with the connection error after retrying, and nothing is written", async () => {
    const dead = localClient(await deadEndpoint(), 2);
    const before = await s3.keys(LAKE);
    await expect(handleEtlEvent(created("raw/siauliai-demo/2019-05.csv"), { client: dead, config })).rejects.toThrow(/S3 GetObject .* failed: .*ECONNREFUSED/);
    await expect(handleEtlEvent({ task: "analyse-publish" }, { client: dead, config })).rejects.toThrow(/ECONNREFUSED/);
    expect(await s3.keys(LAKE)).toEqual(before);
    dead.destroy();
  });

  it("keeps an export of the same file name in another folder, and one whose name slugs alike: each key is its own export", async () => {
    const before = await manifest();
    // Issue 17: each of these replaced the months of 'Šiauliai 2019 Q1.csv' when partitions were keyed by the name's slug.
    const others = ["raw/siauliai-demo/other-county/Šiauliai 2019 Q1.csv", "raw/siauliai-demo/siauliai-2019-q1.csv"];
    for (const key of others) {
      await s3.put(RAW, key, incidentCsv(["2019-03"]).replace(/SIA-/g, key.includes("county") ? "OC-" : "SL-"));
      await handle(created(key));
    }
    const m = await expectManifestConsistent();
    expect(m.sources[slug]).toEqual(before.sources[slug]);
    for (const key of others) expect(m.sources[nameOf(key)]).toMatchObject({ export: key, rows_ingested: rowsOf(["2019-03"]), months: ["2019-03"] });
    for (const [key, entry] of Object.entries(before.tables.incidents!)) expect(m.tables.incidents![key]).toEqual(entry);
    // 44 s at load average 20 on 2 cores.
  }, 240_000);

  it("an overlapping re-export counts each incident once: ids another export holds are quarantined, as on a local lake", async () => {
    // The mirror for ingest holds only the manifest; the check brings the source's other exports from the bucket.
    const key = "raw/siauliai-demo/look-back 2019-02 and 2020-06.csv";
    await s3.put(RAW, key, incidentCsv(["2019-02", "2020-06"]));
    const before = await manifest();
    const result = (await handle(created(key))) as Extract<EtlResult, { kind: "ingest" }>;
    const outcome = result.outcomes[0]!;
    if (outcome.status !== "ingested") throw new Error("not ingested");
    expect(outcome.report).toMatchObject({
      rows_ingested: rowsOf(["2020-06"]),
      rows_quarantined: rowsOf(["2019-02"]),
      quarantine_reasons: { id_in_other_export: rowsOf(["2019-02"]) },
      months: ["2020-06"],
    });
    // The other exports' files it read are left as they were.
    expect(outcome.pushed.uploaded.filter((k) => !k.includes(nameOf(key)) && k !== "manifest.json")).toEqual([]);
    const m = await expectManifestConsistent();
    for (const [file, entry] of Object.entries(before.tables.incidents!)) expect(m.tables.incidents![file]).toEqual(entry);
    const [held] = await queryParquet(
      LAKE,
      `lake/quarantine/${nameOf(key)}.parquet`,
      "SELECT count(*)::INTEGER AS n, min(reason) AS reason FROM read_parquet($file)",
    );
    expect(held).toMatchObject({ n: rowsOf(["2019-02"]), reason: expect.stringContaining(first) });
  }, 240_000);
});

describe("hotspots --lake s3://", () => {
  it("ingests into a lake in S3 through the same commands (attachS3Lake)", async () => {
    for (const [name, value] of Object.entries(localS3Env(s3.endpoint))) vi.stubEnv(name, value);
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const file = join(work, "cli-2019-09.csv");
      await writeFile(file, incidentCsv(["2019-09"]));
      const program = new Command("hotspots")
        .exitOverride()
        .option("--lake <dir>", "lake", DEFAULTS.lakeDir)
        .option("--resolution <n>", "", (v) => Number(v), DEFAULTS.h3Resolution)
        .option("--k <n>", "", (v) => Number(v), DEFAULTS.k)
        .option("--timezone <zone>", "", DEFAULTS.timeZone)
        .option("--geo <file>", "", DEFAULTS.municipalitiesGeoJson)
        .option("--municipality <name...>", "", [...DEFAULTS.studyMunicipalities])
        .option("--json", "", false);
      registerPipeline(program, cliContext(program));
      attachS3Lake(program);
      await program.parseAsync(["--lake", `s3://${LAKE}/cli-lake`, "--s3-endpoint", s3.endpoint, "--json", "ingest", file], { from: "user" });
      const report = JSON.parse(out.mock.calls.map((c) => String(c[0])).join("")) as { ingest: { rows_ingested: number } };
      // A local file's export path is taken relative to the working folder, not to the run's temporary mirror.
      const cliName = exportName({ source: "siauliai-demo", path: relative(process.cwd(), file) });
      expect(report.ingest.rows_ingested).toBe(rowsOf(["2019-09"]));
      expect(await s3.keys(LAKE, "cli-lake/")).toEqual([
        `cli-lake/cell_counts/month=2019-09/${cliName}.parquet`,
        `cli-lake/day_counts/month=2019-09/${cliName}.parquet`,
        `cli-lake/incidents/month=2019-09/${cliName}.parquet`,
        "cli-lake/manifest.json",
        `cli-lake/quarantine/${cliName}.parquet`,
      ]);
      expect(err.mock.calls.map((c) => String(c[0])).join("")).toMatch(/s3:\/\/hotspots-curated\/cli-lake: 5 files uploaded, 0 deleted/);
    } finally {
      out.mockRestore();
      err.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
