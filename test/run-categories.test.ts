/**
 * `run`'s analytics stage makes a patrol forecast for each category the patrol page may offer per
 * cell (issue 15, Deliver 4): the lake's non-sensitive categories, beside all offences; a second
 * run over unchanged incidents keeps them.
 */
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyticsTables } from "../etl/lake/analytics-tables.ts";
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
  const months = ["2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06"];
  const rows = months.flatMap((month, t) =>
    Array.from({ length: 15 }, (_, i) =>
      [`R-${month}-${i}`, `${month}-1${i % 9}T12:00:00Z`, "X", CATEGORIES[i % 3], "pre_trial_investigation"]
        .concat([(55.93 + ((i + t) % 4) * 0.004).toFixed(6), (23.31 + (i % 5) * 0.006).toFixed(6), "Šiaulių m. sav.", "Šiauliai", "test"])
        .join(","),
    ),
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
    for (const category of ["all", "burglary", "theft"]) expect(await exists(analyticsTables.file(forecasts, "2019-07", category)), category).toBe(true);
    expect(await exists(analyticsTables.file(forecasts, "2019-07", "domestic_violence"))).toBe(false);
    expect(analytics!.categories.theft!.forecast).toMatchObject({ month: "2019-07", category: "theft" });

    const again = await runStages(["analytics"], settings);
    for (const category of ["burglary", "theft"]) expect(again.analytics!.categories[category]!.forecast, category).toHaveProperty("unchanged");
  }, 120_000);
});
