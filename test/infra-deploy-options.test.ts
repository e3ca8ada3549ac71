/**
 * The deployment's analysis options (infra/lib/etl-analysis.ts, read by readDeploymentConfig from CDK
 * context): another city's time zone, study area, resolution, k and project configuration reach the
 * function's environment, the asset and the schedules; a wrong value fails the synth with the context
 * key and what to write (q4 #4, #6).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG_FILE, DEFAULTS } from "../etl/config.ts";
import { handlerConfig } from "../etl/handlers/handler-config.ts";
import { readDeploymentConfig } from "../infra/lib/deployment-config.ts";
import { closestNames } from "../infra/lib/etl-analysis.ts";
import { projectAssetCommands } from "../infra/lib/etl-bundling.ts";
import { analysisEnvironment } from "../infra/lib/etl-function.ts";
import { buildInfra } from "./helpers/infra-app.ts";

const dir = mkdtempSync(join(tmpdir(), "infra-deploy-options-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The configuration `cdk synth -c key=value …` gives. */
const fromContext = (context: Record<string, string>) => readDeploymentConfig(new App({ context }).node, {});

/** A project configuration for Vancouver, as a police unit would write it for `hotspots --config`. */
const vancouverYaml = join(dir, "vancouver.yaml");
writeFileSync(
  vancouverYaml,
  [
    "title: { lt: Vankuverio vagystės, en: Vancouver thefts }",
    "timezone: America/Vancouver",
    "h3_resolution: 9",
    "study_area: { hull: 2 }",
    "categories: [theft, vehicle_crime]",
    "sensitive_categories: []",
    "places: null",
  ].join("\n"),
);

describe("a deployment for another city", () => {
  const config = fromContext({
    timeZone: "America/Vancouver",
    studyHull: "1",
    h3Resolution: "9",
    k: "2",
    places: "none",
    allowedCidrs: "192.0.2.0/24",
    allowedCountries: "CA",
  });
  const { main } = buildInfra({ analysis: config.analysis });
  const fn = Object.values(main.findResources("AWS::Lambda::Function")).find((f) => f.Properties.Description?.startsWith("Hot-spot ETL"))!;

  it("sets the function's time zone, hull study area, resolution, k and places from the context", () => {
    const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
    expect(variables).toMatchObject({
      PROJECT_CONFIG: "/var/task/project/project.json",
      TIME_ZONE: "America/Vancouver",
      STUDY_HULL: "1",
      H3_RESOLUTION: "9",
      GI_K: "2",
      PLACES_CSV: "",
      MUNICIPALITIES_GEOJSON: "/var/task/project/boundaries.json",
    });
    expect(variables.STUDY_MUNICIPALITIES).toBeUndefined();
  });

  it("runs both schedules in the city's time zone", () => {
    const zones = Object.values(main.findResources("AWS::Scheduler::Schedule")).map((s) => s.Properties.ScheduleExpressionTimezone);
    expect(zones).toEqual(["America/Vancouver", "America/Vancouver"]);
  });

  it("the asset's project configuration and the environment give the handler these settings", () => {
    const task = join(dir, "task-context");
    execFileSync("bash", ["-c", projectAssetCommands(task, config.analysis).join(" && ")]);
    const settings = handlerConfig({ LAKE_URL: "s3://lake/lake", RAW_URL: "s3://raw/raw", ...analysisEnvironment(config.analysis, task) }).settings;
    expect(settings).toMatchObject({ timeZone: "America/Vancouver", hullRing: 1, resolution: 9, k: 2, placesCsv: null });
    expect(settings.municipalitiesGeoJson).toBe(join(task, "project", "boundaries.json"));
    expect(readFileSync(settings.municipalitiesGeoJson, "utf8")).toBe(readFileSync(DEFAULTS.municipalitiesGeoJson, "utf8"));
  });

  it("takes a project configuration file (the CLI's --config), the context's values over it", () => {
    const analysis = fromContext({ projectConfig: vancouverYaml, k: "3", allowedCountries: "CA" }).analysis;
    expect(analysis.config).toMatchObject({ timezone: "America/Vancouver", h3_resolution: 9, k: 3, study_area: { hull: 2 }, places: null });
    const task = join(dir, "task-file");
    execFileSync("bash", ["-c", projectAssetCommands(task, analysis).join(" && ")]);
    const env = { LAKE_URL: "s3://lake/lake", RAW_URL: "s3://raw/raw", ...analysisEnvironment(analysis, task) };
    expect(handlerConfig(env).settings).toMatchObject({
      timeZone: "America/Vancouver",
      hullRing: 2,
      resolution: 9,
      k: 3,
      title: { lt: "Vankuverio vagystės", en: "Vancouver thefts" },
      categories: ["theft", "vehicle_crime"],
      sensitiveCategories: [],
    });
    const template = buildInfra({ analysis }).main;
    const zones = Object.values(template.findResources("AWS::Scheduler::Schedule")).map((s) => s.Properties.ScheduleExpressionTimezone);
    expect(zones).toEqual(["America/Vancouver", "America/Vancouver"]);
  });

  it("names its own countries for the dashboard's geo allow-list: LT,NO is the demo's", () => {
    expect(fromContext({ timeZone: "America/Vancouver", allowedCountries: "CA,US" }).allowedCountries).toEqual(["CA", "US"]);
    expect(() => fromContext({ timeZone: "America/Vancouver" })).toThrow(
      /context allowedCountries: the default LT,NO is the bundled Šiauliai project's; a deployment with its own time zone \(America\/Vancouver\) names .* -c allowedCountries=US/,
    );
    expect(() => fromContext({ projectConfig: vancouverYaml })).toThrow(/context allowedCountries: .* with its own projectConfig names/);
    expect(fromContext({}).allowedCountries).toEqual(["LT", "NO"]);
    // The demo's own configuration file is no other place's.
    expect(fromContext({ projectConfig: DEFAULT_CONFIG_FILE }).allowedCountries).toEqual(["LT", "NO"]);
  });

  it("without context keeps the bundled demo's analysis", () => {
    const { config } = fromContext({}).analysis;
    expect(config).toMatchObject({ timezone: DEFAULTS.timeZone, h3_resolution: 8, k: 1, study_area: { municipalities: DEFAULTS.studyMunicipalities } });
    expect(config.places).toBe(DEFAULTS.placesCsv);
  });
});

describe("synth-time checks", () => {
  it("a study municipality the boundaries lack fails the synth, naming the closest ones", () => {
    expect(() => fromContext({ studyMunicipalities: "Kaunas" })).toThrow(
      /context studyMunicipalities: .*lt-municipalities\.topojson has no municipality 'Kaunas' \(closest: Kauno m\. sav\., Kauno r\. sav\./,
    );
    expect(closestNames("Siauliu r. sav", ["Šiaulių m. sav.", "Šiaulių r. sav.", "Kelmės r. sav."])[0]).toBe("Šiaulių r. sav.");
  });

  it("each bad value is refused with its key and what to write", () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ timeZone: "Europe/Vilna" }, /-c timeZone must be an IANA time zone such as America\/Phoenix or Europe\/Vilnius, not 'Europe\/Vilna'/],
      [{ studyHull: "1", studyMunicipalities: "Šiaulių m. sav." }, /studyMunicipalities and -c studyHull are two study areas: give one/],
      [{ studyHull: "one" }, /-c studyHull must be a whole number from 0 to 10, not 'one'/],
      [{ h3Resolution: "16" }, /-c h3Resolution must be a whole number from 0 to 15, not '16'/],
      [{ k: "0" }, /-c k must be a whole number from 1 to 10, not '0'/],
      [{ boundaries: join(dir, "missing.geojson") }, /context boundaries: cannot read .*missing\.geojson .*GeoJSON or TopoJSON/],
      [{ places: join(dir, "missing.csv") }, /context places: cannot read .*missing\.csv .*-c places=none/],
      [{ projectConfig: join(dir, "missing.yaml") }, /context projectConfig: cannot read the project configuration .*missing\.yaml/],
    ];
    for (const [context, message] of cases) expect(() => fromContext(context), JSON.stringify(context)).toThrow(message);
  });

  it("a configuration file without a time zone fails the synth, not deploys in the demo's (the CLI takes the export's)", () => {
    const file = join(dir, "no-zone.yaml");
    writeFileSync(file, "title: Vancouver\nstudy_area: { hull: 1 }\nplaces: null\n");
    expect(() => fromContext({ projectConfig: file, allowedCountries: "CA" })).toThrow(
      /context projectConfig: .*no-zone\.yaml names no timezone, .*write timezone: \(e\.g\. America\/Vancouver\) in it, or give -c timeZone=/,
    );
    expect(fromContext({ projectConfig: file, allowedCountries: "CA", timeZone: "America/Vancouver" }).analysis.config.timezone).toBe("America/Vancouver");
  });

  it("checks a configuration file's own study area against its boundaries", () => {
    const file = join(dir, "wrong-area.yaml");
    writeFileSync(file, 'title: Kaunas\ntimezone: Europe/Vilnius\nstudy_area: { municipalities: ["Kaunas"] }\n');
    expect(() => fromContext({ projectConfig: file, allowedCountries: "LT" })).toThrow(
      /wrong-area\.yaml: study_area: .*has no municipality 'Kaunas' \(closest: Kauno m\. sav\./,
    );
  });
});
