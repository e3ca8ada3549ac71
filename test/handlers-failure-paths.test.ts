/**
 * How the deployed ETL fails, against a local S3 server (r2 review): a run that did nothing fails
 * instead of being recorded as done (D6); an invocation first removes the work folders a killed one
 * left in /tmp (D4); a failure names a refused row's line and rule, not its values (P1); the site's superseded data files are removed once no page refers to them (P3).
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NothingToAnalyseError } from "../etl/handlers/analyse-publish.ts";
import { handlerConfig } from "../etl/handlers/handler-config.ts";
import { handleEtlEvent, handler } from "../etl/handlers/index.ts";
import { MONTHLY_RUN_MARKER } from "../etl/handlers/monthly-heartbeat.ts";
import { publishSite } from "../etl/handlers/publish-site.ts";
import { objectCreatedEvent, startLocalS3, type LocalS3 } from "./helpers/local-s3.ts";
import { bundledMonthsCsv } from "./helpers/shared.ts";

const RAW = "paths-raw";
const LAKE = "paths-curated";
let s3: LocalS3;
let work: string;
let siteNo = 0;

/** A new, empty site bucket. */
async function newSite(): Promise<string> {
  const bucket = `paths-site-${++siteNo}`;
  await s3.createBucket(bucket);
  return bucket;
}

/** A data folder as the publish stage leaves it. */
async function dataDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(work, "data-"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

/** A built page registering `./data/<name>` at `path` for each entry. */
const page = (registrations: Record<string, string>) =>
  `<script type="module">${Object.entries(registrations)
    .map(([name, path]) => `registerFile("./data/${name}", {"name":"./data/${name}","path":"./${path}","lastModified":1,"size":1});`)
    .join("\n")}</script>`;

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  s3 = await startLocalS3();
  for (const bucket of [RAW, LAKE]) await s3.createBucket(bucket);
  work = await mkdtemp(join(tmpdir(), "handlers-failure-paths-"));
  await mkdir(join(work, "tmp"));
});
afterAll(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

describe("a run that did nothing fails and is not recorded as done", () => {
  it("the monthly run on a lake without incidents throws, and the missed-run marker keeps its date", async () => {
    const config = () => handlerConfig({ LAKE_URL: `s3://${LAKE}/empty`, RAW_URL: `s3://${RAW}/raw`, WORK_DIR: work });
    const run = handleEtlEvent({ task: "analyse-publish" }, { client: s3.client, config });
    await expect(run).rejects.toThrow(NothingToAnalyseError);
    await expect(run).rejects.toThrow(/holds no incidents yet; nothing was computed or published, and the run is not recorded as done/);
    expect(await s3.get(LAKE, `empty/${MONTHLY_RUN_MARKER}`)).toBeNull();
  });

  it("publishing to a site with no page, or none that registers the data, throws and uploads nothing", async () => {
    const data = await dataDir({ "meta.json": "{}" });
    const empty = await newSite();
    await expect(publishSite(s3.client, `s3://${empty}`, data)).rejects.toThrow(
      /no page at the root of s3:\/\/paths-site-\d+ registers .*\.\/data\/meta\.json/,
    );
    expect(await s3.keys(empty)).toEqual([]);

    const other = await newSite();
    await s3.put(other, "index.html", page({ "unrelated.json": "_file/data/unrelated.00000000.json" }));
    await expect(publishSite(s3.client, `s3://${other}`, data)).rejects.toThrow(/no page at the root/);
    expect(await s3.keys(other)).toEqual(["index.html"]);
  });

  it("a data folder without data files throws", async () => {
    const site = await newSite();
    await s3.put(site, "index.html", page({ "meta.json": "_file/data/meta.00000000.json" }));
    await expect(publishSite(s3.client, `s3://${site}`, await dataDir({}))).rejects.toThrow(
      /nothing to publish to s3:\/\/paths-site-\d+: the publish stage wrote no data files/,
    );
  });
});

describe("an invocation after one killed by a timeout or out of memory", () => {
  it("first removes the work folders and DuckDB spill folders it left in /tmp, and nothing else", async () => {
    const workDir = await mkdtemp(join(work, "lambda-tmp-"));
    const spillDir = await mkdtemp(join(work, "os-tmp-"));
    const left = ["raw-a1b2c3", "lake-d4e5f6", "dashboard-g7h8i9"];
    const kept = ["keep-me", "rawdata", "lake.txt"];
    for (const name of [...left, "keep-me", "rawdata"]) await mkdir(join(workDir, name, "inner"), { recursive: true });
    await writeFile(join(workDir, "lake.txt"), "not a folder");
    await mkdir(join(spillDir, "hotspots-duckdb-4242", "x"), { recursive: true });
    await mkdir(join(spillDir, "other-app"));
    const saved = { ...process.env };
    Object.assign(process.env, { LAKE_URL: `s3://${LAKE}/killed`, RAW_URL: `s3://${RAW}/raw`, WORK_DIR: workDir, TMPDIR: spillDir });
    try {
      // The event is malformed: the invocation fails, after the clean-up.
      await expect(handler({ not: "an ETL event" })).rejects.toThrow(/malformed ETL event/);
    } finally {
      process.env = saved;
    }
    expect((await readdir(workDir)).sort()).toEqual([...kept].sort());
    expect(await readdir(spillDir)).toEqual(["other-app"]);
  });
});

describe("a failed upload's message, which goes to CloudWatch Logs and the dead-letter queue", () => {
  it("names an example row's line and rule, never its coordinates", async () => {
    const key = "raw/siauliai-demo/elsewhere.csv";
    // Every row placed in Latvia, just north of the source's bounds.
    const [header, ...rows] = bundledMonthsCsv(["2019-04"]).trimEnd().split("\n");
    const moved = rows.map((row, i) => {
      const cells = row.split(",");
      cells[5] = `56.89${String(3401 + i).padStart(4, "0")}`;
      cells[6] = `22.95${String(8801 + i).padStart(4, "0")}`;
      return cells.join(",");
    });
    await s3.put(RAW, key, `${[header, ...moved].join("\n")}\n`);
    const config = () => handlerConfig({ LAKE_URL: `s3://${LAKE}/elsewhere`, RAW_URL: `s3://${RAW}/raw`, WORK_DIR: work });
    const error = await handleEtlEvent(objectCreatedEvent(RAW, key), { client: s3.client, config }).then(
      () => new Error("expected the upload to fail"),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/likely cause: \d+ of \d+ rows are outside_study_area: the bounds or the CRS .* — e\.g\. line 2 \(rule outside_study_area\)/);
    expect(error.message).not.toMatch(/56\.89|22\.95/);
  }, 120_000);
});

describe("the site's superseded data files", () => {
  it("are deleted once the new pages are live; a file a page refers to, or of another name, is kept", async () => {
    const site = await newSite();
    const old = { meta: "_file/data/meta.aaaaaaaa.json", hotspots: "_file/data/hotspots.bbbbbbbb.json" };
    const older = "_file/data/meta.cccccccc.json";
    const nested = "_file/data/hotspots.dddddddd.json";
    const other = "_file/data/logo.eeeeeeee.json";
    await s3.put(site, "index.html", page({ "meta.json": old.meta, "hotspots.json": old.hotspots }));
    // A page the publish does not repoint (in a sub-folder) still refers to its own version.
    await s3.put(site, "reports/index.html", page({ "hotspots.json": nested }));
    for (const path of [old.meta, old.hotspots, older, nested, other]) await s3.put(site, path, "{}");

    const summary = await publishSite(s3.client, `s3://${site}`, await dataDir({ "meta.json": '{"v":2}', "hotspots.json": '{"v":2}' }));
    expect(summary.pages).toEqual(["index.html"]);
    expect(summary.deleted).toEqual([old.hotspots, old.meta, older].sort());
    const live = (await s3.get(site, "index.html"))!.toString("utf8");
    for (const path of summary.data) {
      expect(live).toContain(path);
      expect(await s3.get(site, path), path).not.toBeNull();
    }
    expect((await s3.keys(site, "_file/data/")).sort()).toEqual([...summary.data, nested, other].sort());
  });
});
