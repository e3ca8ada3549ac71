/**
 * The deployed monthly run, end to end on a local S3 (s3rver): an export of two years uploaded to the
 * raw bucket is ingested by the ETL handler, then the scheduled analyse-publish task runs every stage
 * after ingest on a mirror of the S3 lake and publishes the dashboard data to the site bucket. Every
 * page of the dashboard gets data with content — the Emerging, Patrol and Evaluation pages once came
 * out empty on S3 because the mirror lacked the tables their stages need — and every table the run
 * wrote in the bucket has exactly the columns the lake's registry declares.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  PAGE_DATA,
  type DashboardDataFile,
  type DataQuality,
  type EmergingData,
  type EvaluationData,
  type HotspotTable,
  type PatrolCategoryPlan,
  type PatrolData,
} from "../dashboard/data-contract.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { handlerConfig } from "../etl/handlers/handler-config.ts";
import { handleEtlEvent, type EtlResult } from "../etl/handlers/index.ts";
import type { Manifest } from "../etl/lake/manifest.ts";
import { tableOfKey } from "../etl/lake/table-paths.ts";
import { startLocalS3, type LocalS3 } from "./helpers/local-s3.ts";
import { projectRoot } from "./helpers/shared.ts";

const RAW = "monthly-raw";
const LAKE = "monthly-curated";
const SITE = "monthly-site";
let s3: LocalS3;
let work: string;
let site: Map<string, unknown>;
let result: Extract<EtlResult, { kind: "analyse-publish" }>;

// DuckDB's names of the registry's column types, as DESCRIBE reports them.
const DUCKDB: Record<string, string> = {
  VARCHAR: "VARCHAR",
  INTEGER: "INTEGER",
  DOUBLE: "DOUBLE",
  TINYINT: "TINYINT",
  BOOLEAN: "BOOLEAN",
  TIMESTAMPTZ: "TIMESTAMP WITH TIME ZONE",
};

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  s3 = await startLocalS3();
  for (const bucket of [RAW, LAKE, SITE]) await s3.createBucket(bucket);
  work = await mkdtemp(join(tmpdir(), "handlers-monthly-"));
  const lines = gunzipSync(await readFile(join(projectRoot, "data", "incidents", "siauliai-2015-2021.csv.gz")))
    .toString("utf8")
    .trimEnd()
    .split("\n");
  // Two years: the evaluation compares 2018 with 2019, and the backtest needs a year of history.
  await s3.put(RAW, "raw/siauliai-demo/2018-2019.csv", `${[lines[0], ...lines.slice(1).filter((l) => /^[^,]*,201[89]-/.test(l))].join("\n")}\n`);
  // A built page, as the site deploy leaves it: the monthly run re-points it at the new data files.
  await s3.put(
    SITE,
    "index.html",
    '<script type="module">registerFile("./data/meta.json", {"name":"./data/meta.json","path":"./_file/data/meta.0.json","size":1});</script>',
  );
  const config = () => handlerConfig({ LAKE_URL: `s3://${LAKE}/lake`, RAW_URL: `s3://${RAW}/raw`, SITE_URL: `s3://${SITE}`, WORK_DIR: work });
  const handle = (event: unknown) => handleEtlEvent(event, { client: s3.client, config });
  await handle({
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        eventName: "ObjectCreated:Put",
        s3: { bucket: { name: RAW }, object: { key: "raw/siauliai-demo/2018-2019.csv", size: 1 } },
      },
    ],
  });
  result = (await handle({ task: "analyse-publish" })) as typeof result;
  site = new Map();
  if (result.outcome.status === "done") {
    for (const path of result.outcome.site!.data) {
      const name = path.replace(/^_file\/data\//, "").replace(/\.[0-9a-f]{8}\.(json|html)$/, ".$1");
      const text = (await s3.get(SITE, path))!.toString("utf8");
      site.set(name, name.endsWith(".json") ? JSON.parse(text) : text);
    }
  }
}, 300_000);
afterAll(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

/** What makes each data file's content non-empty for the page that draws it. */
const CONTENT: Record<DashboardDataFile, (data: never) => number> = {
  "meta.json": (d: { months: string[] }) => d.months.length,
  "monthly-counts.json": (d: unknown[]) => d.length,
  "yearly-counts.json": (d: unknown[]) => d.length,
  "hotspots.json": (d: HotspotTable) => Math.min(d.cells.length, d.categories.length, d.groups.length),
  "hexagons.json": (d: { features: unknown[] }) => d.features.length,
  "municipalities.json": (d: { features: unknown[] }) => d.features.length,
  "places.json": (d: unknown[]) => d.length,
  "emerging.json": (d: EmergingData) => Math.min(d.runs.length, d.cells.length),
  "patrol.json": (d: PatrolData) => Math.min(d.forecast?.cells.length ?? 0, d.backtest?.summary.length ?? 0, d.backtest?.monthly.length ?? 0),
  "patrol-categories.json": (d: PatrolCategoryPlan[]) => d.filter((m) => m.forecast !== null).length,
  "evaluation.json": (d: EvaluationData) =>
    Math.min(d.projects.length, d.projects.flatMap((p) => p.evaluations).length, d.projects.flatMap((p) => p.indicators).length),
  "data-quality.json": (d: DataQuality) => Math.min(d.sources.length, d.monthly.length),
};

describe("the monthly run on an S3 lake", () => {
  it("runs every stage after ingest", () => {
    expect(result.outcome.status).toBe("done");
    if (result.outcome.status !== "done") return;
    expect(
      Object.keys(result.outcome)
        .filter((k) => !["status", "lake", "site", "state"].includes(k))
        .sort(),
    ).toEqual(["analyse", "analytics", "context", "evaluate", "publish"]);
    expect(result.outcome.analyse).toMatchObject({ months: 24, first_month: "2018-01", last_month: "2019-12" });
    expect(result.outcome.analytics!.forecast).toMatchObject({ month: "2020-01" });
  });

  for (const [page, files] of Object.entries(PAGE_DATA)) {
    it(`publishes the data of page ${page} with content`, () => {
      for (const file of files) {
        expect(site.has(file), `${file} published to the site bucket`).toBe(true);
        expect(CONTENT[file](site.get(file) as never), `${file} has content`).toBeGreaterThan(0);
      }
    });
  }

  it("publishes the coming month's printable briefing in both languages, under the hashes briefing.json records", () => {
    if (result.outcome.status !== "done") throw new Error("the monthly run did not finish");
    const index = site.get("briefing.json") as { month: string | null; sha256: Record<"en" | "lt", string> };
    expect(index.month).toBe("2020-01");
    for (const language of ["en", "lt"] as const) {
      const path = result.outcome.site!.data.find((p) => p.startsWith(`_file/data/briefing.${language}.`) && p.endsWith(".html"));
      expect(path, `briefing.${language}.html published`).toBe(`_file/data/briefing.${language}.${index.sha256[language]}.html`);
      expect(site.get(`briefing.${language}.html`) as string).toMatch(/^<!doctype html>/i);
    }
  });

  it("the evaluation page holds the Kuršėnai outcome computed from the lake (2018 → 2019)", () => {
    const evaluations = (site.get("evaluation.json") as EvaluationData).projects.flatMap((p) => p.evaluations);
    expect(evaluations.map((e) => e.id)).toContain("we-are-kursenai-drug-possession");
  });

  it("every table the run wrote has exactly the registry's columns", async () => {
    const manifest = JSON.parse((await s3.get(LAKE, "lake/manifest.json"))!.toString("utf8")) as Manifest;
    const keys = Object.values(manifest.tables).flatMap((t) => Object.keys(t));
    const tables = new Map(keys.map((key) => [tableOfKey(key)!, key]));
    expect([...tables.keys()].map((t) => t.name).sort()).toEqual([
      "backtests",
      "cell_counts",
      "day_counts",
      "emerging",
      "evaluation_checkpoints",
      "evaluation_cross_checks",
      "evaluation_history",
      "evaluation_indicators",
      "evaluation_monthly",
      "evaluation_notes",
      "evaluation_outcomes",
      "evaluation_placebo_tests",
      "evaluation_placebos",
      "evaluation_runs",
      "evaluation_synthetic_control",
      "evaluation_synthetic_weights",
      "evaluation_time_series",
      "exposure",
      "forecasts",
      "hot_spots",
      "incidents",
      "project_checkpoints",
      "project_indicators",
      "project_outcome_evaluations",
      "projects",
    ]);
    for (const [table, key] of tables) {
      const file = join(work, `${table.name}.parquet`);
      await writeFile(file, (await s3.get(LAKE, `lake/${key}`))!);
      const described = await withConnection(async (c) =>
        (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}', hive_partitioning = false)`)).getRowObjectsJS(),
      );
      expect(
        described.map((d) => [d.column_name, d.column_type]),
        table.name,
      ).toEqual(Object.entries(table.columns).map(([name, type]) => [name, DUCKDB[type]]));
    }
  });
});

describe("the monthly run when an upload already holds incidents of the current month", () => {
  it("analyses up to the month before, plans the current month and says the month is not analysed", async () => {
    // The 1st's incidents uploaded before the run on the 2nd at 04:00 (Vilnius).
    const lines = gunzipSync(await readFile(join(projectRoot, "data", "incidents", "siauliai-2015-2021.csv.gz")))
      .toString("utf8")
      .trimEnd()
      .split("\n");
    const firstDay = lines.slice(1).filter((l) => /^[^,]*,2020-01-01/.test(l));
    expect(firstDay.length).toBeGreaterThan(0);
    await s3.put(RAW, "raw/siauliai-demo/2020-01-01.csv", `${[lines[0], ...firstDay].join("\n")}\n`);
    const now = new Date("2020-01-02T02:00:00Z");
    const config = () => {
      const c = handlerConfig({ LAKE_URL: `s3://${LAKE}/lake`, RAW_URL: `s3://${RAW}/raw`, SITE_URL: `s3://${SITE}`, WORK_DIR: work });
      return { ...c, settings: { ...c.settings, now } };
    };
    const handle = (event: unknown) => handleEtlEvent(event, { client: s3.client, config });
    await handle({
      Records: [
        {
          eventVersion: "2.1",
          eventSource: "aws:s3",
          eventName: "ObjectCreated:Put",
          s3: { bucket: { name: RAW }, object: { key: "raw/siauliai-demo/2020-01-01.csv", size: 1 } },
        },
      ],
    });
    const run = (await handle({ task: "analyse-publish", recentMonths: 1 })) as typeof result;
    expect(run.outcome.status).toBe("done");
    if (run.outcome.status !== "done") return;
    expect(run.outcome.analyse).toMatchObject({ months: 1, first_month: "2019-12", last_month: "2019-12" });
    expect(run.outcome.analyse!.months_not_analysed).toMatchObject([{ month: "2020-01", reason: "not_ended" }]);
    expect(run.outcome.analytics!.emerging).toMatchObject({ last_month: "2019-12" });
    const meta = JSON.parse(
      (await s3.get(
        SITE,
        run.outcome.site!.data.find((p) => p.includes("meta."))!,
      ))!.toString("utf8"),
    ) as {
      not_analysed: Array<{ month: string; reason: string }>;
    };
    expect(meta.not_analysed).toMatchObject([{ month: "2020-01", reason: "not_ended" }]);
    const patrol = JSON.parse(
      (await s3.get(
        SITE,
        run.outcome.site!.data.find((p) => p.includes("patrol."))!,
      ))!.toString("utf8"),
    ) as PatrolData;
    expect(patrol.forecast?.month).toBe("2020-01");
    expect(
      Object.values((JSON.parse((await s3.get(LAKE, "lake/manifest.json"))!.toString("utf8")) as Manifest).tables.hot_spots ?? {}).map((e) => e.month),
    ).not.toContain("2020-01");
  }, 300_000);
});
