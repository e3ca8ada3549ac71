/**
 * The ETL function's analysis settings from the environment the stack sets (handler-config.ts): a
 * project configuration file as the CLI's --config gives it, the stack's values over it, and a
 * specific error for each bad value.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULTS } from "../etl/config.ts";
import { handlerConfig } from "../etl/handlers/handler-config.ts";

const dir = mkdtempSync(join(tmpdir(), "handler-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const urls = { LAKE_URL: "s3://lake/lake", RAW_URL: "s3://raw/raw" };
const settingsOf = (env: Record<string, string>) => handlerConfig({ ...urls, ...env }).settings;

const project = join(dir, "project.yaml");
writeFileSync(
  project,
  [
    "title: Vancouver thefts",
    "timezone: America/Vancouver",
    "h3_resolution: 9",
    "k: 2",
    "study_area: { hull: 2 }",
    "suppression_threshold: 10",
    "places: null",
  ].join("\n"),
);

describe("handler configuration: analysis settings", () => {
  it("without PROJECT_CONFIG: the bundled demo's settings", () => {
    expect(settingsOf({})).toMatchObject({
      timeZone: DEFAULTS.timeZone,
      resolution: DEFAULTS.h3Resolution,
      k: DEFAULTS.k,
      studyMunicipalities: DEFAULTS.studyMunicipalities,
      municipalitiesGeoJson: DEFAULTS.municipalitiesGeoJson,
      placesCsv: DEFAULTS.placesCsv,
    });
    expect(settingsOf({}).hullRing ?? null).toBeNull();
  });

  it("PROJECT_CONFIG: the configuration's time zone, hull, resolution, k, threshold and places", () => {
    expect(settingsOf({ PROJECT_CONFIG: project })).toMatchObject({
      title: "Vancouver thefts",
      timeZone: "America/Vancouver",
      hullRing: 2,
      resolution: 9,
      k: 2,
      suppressionThreshold: 10,
      placesCsv: null,
    });
  });

  it("the stack's variables override the configuration", () => {
    const settings = settingsOf({
      PROJECT_CONFIG: project,
      TIME_ZONE: "America/Edmonton",
      H3_RESOLUTION: "7",
      GI_K: "3",
      STUDY_MUNICIPALITIES: "A; B",
      MUNICIPALITIES_GEOJSON: "/var/task/project/boundaries.json",
      PLACES_CSV: "/var/task/project/places.csv",
    });
    expect(settings).toMatchObject({
      timeZone: "America/Edmonton",
      resolution: 7,
      k: 3,
      studyMunicipalities: ["A", "B"],
      hullRing: null,
      municipalitiesGeoJson: "/var/task/project/boundaries.json",
      placesCsv: "/var/task/project/places.csv",
    });
    expect(settingsOf({ STUDY_HULL: "0" }).hullRing).toBe(0);
    expect(settingsOf({ PLACES_CSV: "" }).placesCsv).toBeNull();
  });

  it("refuses each bad value with its name and what to write", () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ TIME_ZONE: "Vancouver" }, /TIME_ZONE must be an IANA time zone such as America\/Phoenix or Europe\/Vilnius, not 'Vancouver'/],
      [{ H3_RESOLUTION: "8.5" }, /H3_RESOLUTION must be a whole number from 0 to 15, not '8.5'/],
      [{ GI_K: "0" }, /GI_K must be a whole number from 1 to 10, not '0'/],
      [{ STUDY_HULL: "11" }, /STUDY_HULL must be a whole number from 0 to 10, not '11'/],
      [{ STUDY_HULL: "1", STUDY_MUNICIPALITIES: "A" }, /STUDY_MUNICIPALITIES and STUDY_HULL are two study areas: give one/],
      [{ PROJECT_CONFIG: join(dir, "missing.yaml") }, /cannot read the project configuration .*missing\.yaml/],
    ];
    for (const [env, message] of cases) expect(() => settingsOf(env), JSON.stringify(env)).toThrow(message);
  });
});
