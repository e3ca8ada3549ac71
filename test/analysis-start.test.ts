/**
 * The month the analyses start from (analysisStart): a lake's sparse first months — late reports of
 * old incidents, a mistyped year — are kept in the lake but left out of the hot spots, the emerging
 * trends and the forecasts' backtest, which would otherwise run over years of near-empty months; and
 * a month missing inside the analysed ones is named (gapMonths).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";
import { analysisStart, gapMonths } from "../etl/analytics/lake-months.ts";
import { DEFAULT_CONFIG_FILE, loadProjectConfig } from "../etl/config.ts";
import { MANIFEST_FILE, type Manifest } from "../etl/lake/manifest.ts";
import { settingsFromConfig, type PipelineSettings } from "../etl/settings.ts";
import { runStages, type PipelineSummary } from "../etl/stages.ts";
import { summaryText } from "../etl/cli/summary-text.ts";
import { monthLabels } from "./helpers/poisson-city.ts";

const totals = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe("analysisStart", () => {
  it("is the lake's first month when no first month is sparse", () => {
    expect(analysisStart(totals({ "2020-01": 300, "2020-02": 280, "2020-03": 310 }))).toBe("2020-01");
    // A partial first month (an export starting mid-month) holds more than a tenth: analysed.
    expect(analysisStart(totals({ "2020-01": 60, "2020-02": 280, "2020-03": 310 }))).toBe("2020-01");
    expect(analysisStart(new Map())).toBeNull();
  });

  it("skips a long tail of late-reported old incidents, which outnumbers the real months", () => {
    // 2005-01 … 2019-12: 180 months of 1–3 rows; 2020-01 … 2021-12: 24 months of about 3,000.
    const entries: Record<string, number> = {};
    monthLabels(2005, 180).forEach((m, t) => (entries[m] = 1 + (t % 3)));
    monthLabels(2020, 24).forEach((m, t) => (entries[m] = 2900 + 10 * t));
    expect(analysisStart(totals(entries))).toBe("2020-01");
  });

  it("skips a mistyped year cut off by empty months", () => {
    expect(analysisStart(totals({ "1999-03": 1, "2016-01": 180, "2016-02": 170, "2016-03": 200 }))).toBe("2016-01");
  });

  it("keeps every month of a sparse city, whose typical month is a few incidents", () => {
    // Homicides in a small town: 0–4 a month; a month of 1 is a real month there.
    const entries: Record<string, number> = {};
    monthLabels(2018, 36).forEach((m, t) => (entries[m] = [1, 0, 2, 4, 1, 3][t % 6]!));
    expect(analysisStart(totals(entries))).toBe("2018-01");
  });

  it("is not moved by one bulk-loaded month, nor by a later lull", () => {
    const entries: Record<string, number> = {};
    monthLabels(2019, 24).forEach((m) => (entries[m] = 100));
    entries["2020-06"] = 40_000; // a backlog loaded in one month
    entries["2020-04"] = 5; // a lockdown month: sparse, but after the start
    expect(analysisStart(totals(entries))).toBe("2019-01");
  });
});

describe("gapMonths", () => {
  it("names analysed months far below a typical month, more than chance explains", () => {
    const entries: Record<string, number> = {};
    monthLabels(2020, 24).forEach((m) => (entries[m] = 300));
    delete entries["2020-07"]; // a missing export
    entries["2021-03"] = 12; // a half-loaded one
    entries["2021-04"] = 160; // a lockdown: half a typical month, not a gap
    expect(gapMonths(totals(entries), "2020-01")).toEqual(["2020-07", "2021-03"]);
  });

  it("names no empty month of a small town, where a month without incidents is ordinary", () => {
    const entries: Record<string, number> = {};
    monthLabels(2018, 36).forEach((m, t) => (entries[m] = [1, 0, 2, 4, 1, 3][t % 6]!));
    expect(gapMonths(totals(entries), "2018-01")).toEqual([]);
    // At a typical month of 30, a month of none is not chance (Poisson: e^-30).
    const busy: Record<string, number> = {};
    monthLabels(2018, 36).forEach((m, t) => (busy[m] = t === 20 ? 0 : 30));
    expect(gapMonths(totals(busy), "2018-01")).toEqual(["2019-09"]);
  });
});

describe("a lake whose export holds late reports from years before its real start", () => {
  let dir: string;
  let settings: PipelineSettings;
  let summary: PipelineSummary;
  const late = ["2015-06-10T08:00:00Z", "2017-02-03T12:00:00Z", "2017-02-20T12:00:00Z"];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "analysis-start-"));
    settings = { ...settingsFromConfig(loadProjectConfig(DEFAULT_CONFIG_FILE), join(dir, "lake"), "Europe/Vilnius"), dashboardDir: join(dir, "dashboard") };
    // 24 months of 40 thefts a month around central Šiauliai, then three rows dated years earlier.
    const random = mulberry32(7);
    const lines = ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source"];
    let id = 0;
    const row = (at: string) =>
      lines.push(
        `S-${++id},${at},BK 178,theft,pre_trial_investigation,${(55.925 + 0.02 * random()).toFixed(6)},${(23.3 + 0.03 * random()).toFixed(6)},Šiaulių m. sav.,Šiauliai,test`,
      );
    // 2022-05 is missing, as if one month's export had not been loaded.
    for (const month of monthLabels(2021, 24).filter((m) => m !== "2022-05"))
      for (let n = 0; n < 40; n++) row(`${month}-${String(2 + (n % 26)).padStart(2, "0")}T10:00:00Z`);
    late.forEach(row);
    const csv = join(dir, "incidents.csv");
    await writeFile(csv, lines.join("\n") + "\n");
    summary = await runStages(["ingest", "analyse", "analytics"], settings, { files: [csv] });
  }, 300_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("keeps the late rows in the lake", () => {
    expect(summary.ingest?.rows_ingested).toBe(23 * 40 + late.length);
  });

  it("computes hot spots from the first regular month, and says how many incidents come before it", async () => {
    expect(summary.analyse).toMatchObject({ first_month: "2021-01", last_month: "2022-12", months: 24, incidents_before_first_month: late.length });
    expect(summary.analyse!.incidents_in_study_area + summary.analyse!.incidents_outside_study_area).toBe(23 * 40);
    const manifest = JSON.parse(await readFile(join(settings.lakeDir, MANIFEST_FILE), "utf8")) as Manifest;
    const months = Object.values(manifest.tables.hot_spots ?? {}).map((e) => e.month);
    expect(months.sort()[0]).toBe("2021-01");
    expect(summaryText({ ...summary, publish: undefined })).toMatch(
      /3 in the months before 2021-01, not analysed \(each holds under 10 % of a typical month's incidents/,
    );
  });

  it("warns of the month missing inside the analysed ones", () => {
    expect(summary.analyse!.gap_months).toEqual(["2022-05"]);
    expect(summaryText({ ...summary, publish: undefined })).toMatch(
      /warning: 2022-05 holds far fewer incidents than a typical month.*If an export misses them, ingest it/,
    );
  });

  it("starts the emerging trends and the forecasts' backtest there too", () => {
    const analytics = summary.analytics!;
    expect(analytics.emerging).toMatchObject({ first_month: "2021-01" });
    expect(analytics.backtest).toMatchObject({ first_month: "2021-01" });
  });
});
