/**
 * `run`'s analytics stage makes a patrol forecast and emerging hot spots for each category the
 * patrol and emerging pages may offer per cell (issue 15, Deliver 4): the lake's non-sensitive
 * categories, beside all offences; a category too sparse for emerging hot spots is skipped with its
 * reason, which publish shows; a second run over unchanged incidents keeps them.
 */
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMERGING_MINIMUM_MONTHS } from "../etl/analytics/emerging-sparsity.ts";
import { analyticsTables } from "../etl/lake/analytics-tables.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { emergingData } from "../etl/publish/emerging-data.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";
import { DEFAULT_CONFIG_FILE, loadProjectConfig } from "../etl/config.ts";
import { ingestStage } from "../etl/pipeline.ts";
import { recordedConfig, settingsFromConfig, type PipelineSettings } from "../etl/settings.ts";
import { runStages } from "../etl/stages.ts";

const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
const CATEGORIES = ["theft", "burglary", "domestic_violence"];
let dir: string;
let settings: PipelineSettings;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "run-categories-"));
  // Twelve months of thefts and domestic violence; burglaries in the first six only: fewer months
  // with an incident than emerging hot spots need (EMERGING_MINIMUM_MONTHS).
  const months = Array.from({ length: 12 }, (_, t) => `2019-${String(t + 1).padStart(2, "0")}`);
  const rows = months.flatMap((month, t) =>
    Array.from({ length: 15 }, (_, i) =>
      [`R-${month}-${i}`, `${month}-1${i % 9}T12:00:00Z`, "X", CATEGORIES[i % 3], "pre_trial_investigation"]
        .concat([(55.93 + ((i + t) % 4) * 0.004).toFixed(6), (23.31 + (i % 5) * 0.006).toFixed(6), "Šiaulių m. sav.", "Šiauliai", "test"])
        .join(","),
    ).filter((row) => t < 6 || !row.includes(",burglary,")),
  );
  const file = join(dir, "incidents.csv");
  await writeFile(file, `${[HEADER, ...rows].join("\n")}\n`);
  const config = loadProjectConfig(DEFAULT_CONFIG_FILE);
  settings = { ...settingsFromConfig(config, join(dir, "lake"), "Europe/Vilnius"), hullRing: 1 };
  settings.config = recordedConfig(settings, config.file);
  await ingestStage([file], settings);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe("run's analytics per category", () => {
  it("forecasts each non-sensitive category of the lake for the next month, never a sensitive one, and keeps them when nothing changed", async () => {
    const { analytics } = await runStages(["analytics"], settings);
    expect(Object.keys(analytics!.categories).sort()).toEqual(["burglary", "theft"]);
    const forecasts = analyticsTables.forecastsDir(settings.lakeDir);
    for (const category of ["all", "burglary", "theft"]) expect(await exists(analyticsTables.file(forecasts, "2020-01", category)), category).toBe(true);
    expect(await exists(analyticsTables.file(forecasts, "2020-01", "domestic_violence"))).toBe(false);
    expect(analytics!.categories.theft!.forecast).toMatchObject({ month: "2020-01", category: "theft" });

    // Emerging hot spots: thefts (12 months with incidents) are analysed; burglaries (6) are skipped with the rule they break.
    expect(EMERGING_MINIMUM_MONTHS).toBe(10);
    const emerging = analyticsTables.emergingDir(settings.lakeDir);
    expect(analytics!.categories.theft!.emerging).toMatchObject({ category: "theft", months: 12, first_month: "2019-01", last_month: "2019-12" });
    expect(await exists(analyticsTables.file(emerging, "2019-12", "theft"))).toBe(true);
    expect(analytics!.categories.burglary!.emerging).toMatchObject({ file: null, skipped: { reason: "few_months", months: 6, minimum_months: 10 } });
    expect(await exists(analyticsTables.file(emerging, "2019-06", "burglary"))).toBe(false);
    expect(await exists(analyticsTables.file(emerging, "2019-12", "domestic_violence"))).toBe(false);
    const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
    expect(manifest.parameters?.["emerging/burglary"]).toMatchObject({ skipped: { reason: "few_months" }, first_month: "2019-01", last_month: "2019-06" });

    // Publish: thefts per cell, burglaries named with the rule, domestic violence nowhere.
    const published = await withConnection((c) => emergingData(c, settings.lakeDir, releaseRules(settings), settings.k, manifest));
    expect(published.categories).toEqual(["all", "theft"]);
    expect(published.skipped).toEqual([{ category: "burglary", reason: "few_months", months: 6, minimum_months: 10 }]);
    expect(JSON.stringify(published)).not.toContain("domestic_violence");

    const again = await runStages(["analytics"], settings);
    for (const category of ["burglary", "theft"]) expect(again.analytics!.categories[category]!.forecast, category).toHaveProperty("unchanged");
    expect(again.analytics!.categories.theft!.emerging).toHaveProperty("unchanged");
    expect(again.analytics!.categories.burglary!.emerging).toHaveProperty("skipped");
    // A skip already recorded is not written again: the manifest is the one of the first run.
    expect(await readManifest(settings.lakeDir, settings.timeZone, settings.resolution)).toEqual(manifest);
  }, 120_000);
});
