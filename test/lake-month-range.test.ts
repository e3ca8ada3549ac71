/**
 * Months past a lake's data (q2 finding 2): a forecast may plan for the month after the last month
 * with incidents, hot spots only months inside the data, and the patrol page shows the plan that
 * follows the data, not a what-if forecast of a later month left in the lake.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forecastStage } from "../etl/analytics/forecast-lake.ts";
import { checkAnalyseRange, checkForecastMonth, lakeMonthSpan } from "../etl/analytics/lake-months.ts";
import { DEFAULT_CONFIG_FILE, loadProjectConfig } from "../etl/config.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { MANIFEST_FILE, type Manifest } from "../etl/lake/manifest.ts";
import { ingestStage } from "../etl/pipeline.ts";
import { patrolData } from "../etl/publish/patrol-data.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";
import { settingsFromConfig, type PipelineSettings } from "../etl/settings.ts";
import { en } from "../dashboard/src/components/strings-en.ts";
import { lt } from "../dashboard/src/components/strings-lt.ts";
import { hotspotsInProcess } from "./helpers/hotspots-cli.ts";
import { projectRoot } from "./helpers/shared.ts";

describe("the months a command may ask for", () => {
  const span = lakeMonthSpan(["2021-12", "2015-01", "2018-06"]);

  it("spans the first to the last month with incidents", () => {
    expect(span).toEqual({ first: "2015-01", last: "2021-12" });
    expect(lakeMonthSpan([])).toBeNull();
  });

  it("lets a forecast plan for the month after the data at the latest, and says which month it may", () => {
    expect(() => checkForecastMonth("2022-01", span)).not.toThrow();
    expect(() => checkForecastMonth("2019-06", span)).not.toThrow();
    expect(() => checkForecastMonth("2023-06", span)).toThrow(
      /2023-06 is past the lake's data: its incidents run from 2015-01 to 2021-12.*forecast --month 2022-01/,
    );
    expect(() => checkForecastMonth("2022-01", null)).toThrow(/holds no incidents/);
  });

  it("lets hot spots be computed for months inside the data only", () => {
    expect(() => checkAnalyseRange(undefined, undefined, span)).not.toThrow();
    expect(() => checkAnalyseRange("2015-01", "2021-12", span)).not.toThrow();
    expect(() => checkAnalyseRange("2030-01", "2030-01", span)).toThrow(/2030-01 is outside the lake's data: its incidents run from 2015-01 to 2021-12/);
    expect(() => checkAnalyseRange("2014-12", "2015-06", span)).toThrow(/2014-12 … 2015-06 is outside/);
    expect(() => checkAnalyseRange(undefined, "2022-01", span)).toThrow(/2022-01 is outside/);
  });
});

describe("a lake whose data end 2019-06", () => {
  let dir: string;
  let settings: PipelineSettings;
  const manifestPath = () => join(settings.lakeDir, MANIFEST_FILE);
  const request = (month: string) => ({ month, methods: ["last-month"], selection: { top: 3 } });
  const published = async () => {
    const manifest = JSON.parse(await readFile(manifestPath(), "utf8")) as Manifest;
    return withConnection((c) => patrolData(c, settings.lakeDir, manifest, releaseRules(settings)));
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "month-range-"));
    settings = { ...settingsFromConfig(loadProjectConfig(DEFAULT_CONFIG_FILE), join(dir, "lake"), "Europe/Vilnius"), dashboardDir: join(dir, "dashboard") };
    // 2019-05 and 2019-06, and rows the ingest quarantines (a 2099 date, a 30 February).
    await ingestStage([join(projectRoot, "test", "fixtures", "incidents-small.csv")], settings);
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("refuses to forecast past 2019-07 and writes nothing", async () => {
    await expect(forecastStage(settings, request("2019-09"))).rejects.toThrow(/past the lake's data.*forecast --month 2019-07/);
    const manifest = JSON.parse(await readFile(manifestPath(), "utf8")) as Manifest;
    expect(Object.keys(manifest.tables.forecasts ?? {})).toEqual([]);
  });

  it("refuses to analyse 2030-01 and names the lake's months", async () => {
    await expect(hotspotsInProcess(["--lake", settings.lakeDir, "analyse", "--month", "2030-01"])).rejects.toThrow(
      /2030-01 is outside the lake's data: its incidents run from 2019-05 to 2019-06/,
    );
  });

  it("publishes the forecast of the month after the data, and the later one left in the lake only as a month past the data", async () => {
    const summary = await forecastStage(settings, request("2019-07"));
    // A what-if forecast of a later month, as an earlier version let one be written: listed in the manifest ...
    const stray = join(settings.lakeDir, "forecasts", "month=2019-12", "all.parquet");
    await mkdir(join(stray, ".."), { recursive: true });
    await copyFile(summary.file, stray);
    const manifest = JSON.parse(await readFile(manifestPath(), "utf8")) as Manifest;
    const listed = manifest.tables.forecasts!;
    const entry = Object.entries(listed).find(([key]) => key.includes("month=2019-07"))!;
    listed[entry[0].replace("month=2019-07", "month=2019-12")] = { ...entry[1], month: "2019-12" };
    await writeFile(manifestPath(), JSON.stringify(manifest));
    const { patrol } = await published();
    expect(patrol.forecast?.month).toBe("2019-07");
    expect(patrol.beyond_data).toEqual({ last_month: "2019-06", months: ["2019-12"] });
    // ... or a file the manifest does not list (read from the folder).
    delete listed[entry[0].replace("month=2019-07", "month=2019-12")];
    await writeFile(manifestPath(), JSON.stringify(manifest));
    const fromFiles = (await published()).patrol;
    expect(fromFiles.forecast?.month).toBe("2019-07");
    expect(fromFiles.beyond_data).toEqual({ last_month: "2019-06", months: ["2019-12"] });
  });
});

describe("the patrol page's note on a forecast past the data", () => {
  it("names the month not shown and the data's last month, in English and Lithuanian", () => {
    expect(en.patrol.beyondData(["2023-06"], "2021-12")).toMatch(/^Not shown: the forecast for June 2023\. The data end in December 2021/);
    expect(lt.patrol.beyondData(["2023-06"], "2021-12")).toMatch(/^Nerodoma 2023 m\. birželio prognozė\. Paskutinis duomenų mėnuo – 2021 m\. gruodis/);
  });
});
