/**
 * A study area that is another place's (q1 finding 4): an export of a city outside the configured
 * study area, analysed and published without --hull or --config, gave "0 months, inside 0, outside
 * 951" with exit 0 and a dashboard of the demo's municipalities. The stages now refuse a study area
 * holding fewer than half of the lake's incidents, saying how many fell outside and naming --hull
 * and --config.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkStudyAreaCoverage, studyAreaCoverage } from "../etl/analytics/study-area-coverage.ts";
import { DEFAULT_CONFIG_FILE, loadProjectConfig } from "../etl/config.ts";
import { analyseStage, ingestStage, publishStage } from "../etl/pipeline.ts";
import { settingsFromConfig, type PipelineSettings } from "../etl/settings.ts";
import { hotspotsInProcess } from "./helpers/hotspots-cli.ts";

describe("the share of the lake's incidents in the study area", () => {
  const counts = { cells: ["a", "b", "c"], cell: Uint32Array.from([0, 1, 2, 2]), count: Float64Array.from([2, 3, 4, 1]) };

  it("counts every row's incidents inside or outside the area's cells", () => {
    expect(studyAreaCoverage({ cells: ["a", "b"] }, counts)).toEqual({ inside: 5, outside: 5 });
    expect(studyAreaCoverage({ cells: ["z"] }, counts)).toEqual({ inside: 0, outside: 10 });
  });

  it("refuses an area holding fewer than half, naming the counts, --hull and --config; half or more passes", () => {
    const area = { label: "Šiaulių m. sav." };
    expect(() => checkStudyAreaCoverage(area, { inside: 0, outside: 951 })).toThrow(
      /only 0 of the lake's 951 incidents lie in the study area \(Šiaulių m\. sav\.\); 951 fall outside it.*--hull.*--config/,
    );
    // Which --hull lasts: only an ingest records the configuration (review r1 M2).
    expect(() => checkStudyAreaCoverage(area, { inside: 0, outside: 951 })).toThrow(
      /`hotspots run --hull <export file>` records it in the lake .*`hotspots run --no-ingest --hull` uses it for that run only/,
    );
    expect(() => checkStudyAreaCoverage(area, { inside: 4, outside: 5 })).toThrow(/only 4 of the lake's 9 incidents/);
    expect(() => checkStudyAreaCoverage(area, { inside: 5, outside: 5 })).not.toThrow();
    expect(() => checkStudyAreaCoverage(area, { inside: 0, outside: 0 })).not.toThrow();
  });
});

describe("an export of Radviliškis on a lake whose configuration is the Šiauliai demo's", () => {
  let dir: string;
  let settings: PipelineSettings;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "coverage-"));
    settings = { ...settingsFromConfig(loadProjectConfig(DEFAULT_CONFIG_FILE), join(dir, "lake"), "Europe/Vilnius"), dashboardDir: join(dir, "dashboard") };
    // Inside the demo source's bounds, outside both study-area municipalities.
    const rows = Array.from({ length: 12 }, (_, i) =>
      [`R-${i}`, `2019-0${5 + (i % 2)}-1${i % 9}T12:00:00Z`, "BK 178", "theft", "pre_trial_investigation"]
        .concat([(55.81 + 0.001 * i).toFixed(6), "23.540000", "Radviliškio r. sav.", "Radviliškis", "test"])
        .join(","),
    );
    const file = join(dir, "radviliskis.csv");
    await writeFile(file, `id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source\n${rows.join("\n")}\n`);
    const ingested = await ingestStage([file], settings);
    expect(ingested.rows_ingested).toBe(12);
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("analyse (as run does) refuses with how many fell outside; --hull analyses them", async () => {
    await expect(analyseStage(settings)).rejects.toThrow(
      /only 0 of the lake's 12 incidents lie in the study area \(Šiaulių m\. sav\. \+ Šiaulių r\. sav\.\); 12 fall outside/,
    );
    expect(await analyseStage({ ...settings, hullRing: 1 })).toMatchObject({ months: 2, incidents_in_study_area: 12, incidents_outside_study_area: 0 });
  });

  it("the analyse command refuses a month too", async () => {
    await expect(hotspotsInProcess(["--lake", settings.lakeDir, "analyse", "--month", "2019-05"])).rejects.toThrow(/only 0 of the lake's 12 incidents/);
  });

  it("publish draws no study area that holds none of the incidents", async () => {
    await expect(publishStage(settings)).rejects.toThrow(/only 0 of the lake's 12 incidents lie in the study area.*--hull/);
  });
});
