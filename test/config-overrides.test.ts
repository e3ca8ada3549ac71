/**
 * One place for a deployment's analysis settings (review L5): the CLI's flags, the Lambda's
 * environment and the CDK context all apply their text values to a project configuration through
 * applyOverrides (etl/config.ts), so the same inputs give the same settings, a configuration that
 * names no `places` gets none everywhere (not the bundled Lithuanian ones), and a bad value is refused
 * by the same rule with each caller's own key in the message.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliContext } from "../etl/cli/context.ts";
import { hullOption } from "../etl/cli/hull-option.ts";
import { hotspotsProgram } from "../etl/cli/program.ts";
import { DEFAULTS } from "../etl/config.ts";
import { handlerConfig } from "../etl/handlers/handler-config.ts";
import { settingsFromConfig, type PipelineSettings } from "../etl/settings.ts";
import { resolveEtlAnalysis } from "../infra/lib/etl-analysis.ts";
import { Command } from "commander";

const dir = mkdtempSync(join(tmpdir(), "config-overrides-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Another place's configuration, written as a unit would: no `places`, the bundled boundaries by path. */
const configFile = join(dir, "project.yaml");
writeFileSync(
  configFile,
  [
    "title: Kelmė thefts",
    "timezone: Europe/Vilnius",
    "study_area:",
    '  municipalities: ["Kelmės r. sav."]',
    `  boundaries: ${JSON.stringify(DEFAULTS.municipalitiesGeoJson)}`,
    "categories: [theft, vehicle_crime, other]",
    "sensitive_categories: []",
  ].join("\n"),
);

/** The same inputs as each caller takes them. */
interface Inputs {
  timeZone?: string;
  resolution?: string;
  k?: string;
  municipalities?: string[];
}

const lakeDir = join(dir, "no-lake");

async function fromCli(inputs: Inputs): Promise<PipelineSettings> {
  const args = [
    "--lake",
    lakeDir,
    "--config",
    configFile,
    ...(inputs.timeZone ? ["--timezone", inputs.timeZone] : []),
    ...(inputs.resolution ? ["--resolution", inputs.resolution] : []),
    ...(inputs.k ? ["--k", inputs.k] : []),
    ...(inputs.municipalities ?? []).flatMap((m) => ["--municipality", m]),
    "check",
  ];
  const program = await hotspotsProgram(args);
  program.parseOptions(args);
  return cliContext(program).settings();
}

function fromEnvironment(inputs: Inputs): PipelineSettings {
  return handlerConfig({
    LAKE_URL: "s3://lake/lake",
    RAW_URL: "s3://raw/raw",
    PROJECT_CONFIG: configFile,
    ...(inputs.timeZone ? { TIME_ZONE: inputs.timeZone } : {}),
    ...(inputs.resolution ? { H3_RESOLUTION: inputs.resolution } : {}),
    ...(inputs.k ? { GI_K: inputs.k } : {}),
    ...(inputs.municipalities ? { STUDY_MUNICIPALITIES: inputs.municipalities.join(";") } : {}),
  }).settings;
}

function fromContext(inputs: Inputs): PipelineSettings {
  const { config } = resolveEtlAnalysis({
    projectConfig: configFile,
    ...(inputs.timeZone ? { timeZone: inputs.timeZone } : {}),
    ...(inputs.resolution ? { h3Resolution: inputs.resolution } : {}),
    ...(inputs.k ? { k: inputs.k } : {}),
    ...(inputs.municipalities ? { studyMunicipalities: inputs.municipalities.join(";") } : {}),
  });
  return settingsFromConfig(config, lakeDir, config.timezone);
}

/** What the three must agree on (the lake folder is each caller's own). */
const analysis = (s: PipelineSettings) => ({
  timeZone: s.timeZone,
  resolution: s.resolution,
  k: s.k,
  studyMunicipalities: s.hullRing == null ? s.studyMunicipalities : null,
  hullRing: s.hullRing ?? null,
  municipalitiesGeoJson: s.municipalitiesGeoJson,
  placesCsv: s.placesCsv,
  title: s.title,
  categories: s.categories,
  sensitiveCategories: s.sensitiveCategories,
  suppressionThreshold: s.suppressionThreshold,
});

describe("the CLI, the Lambda's environment and the CDK context give the same settings", () => {
  it.each<[string, Inputs]>([
    ["the configuration alone", {}],
    ["every value overridden", { timeZone: "Europe/Riga", resolution: "9", k: "2", municipalities: ["Šiaulių m. sav.", "Kelmės r. sav."] }],
  ])("%s", async (_, inputs) => {
    const cli = analysis(await fromCli(inputs));
    expect(analysis(fromEnvironment(inputs))).toEqual(cli);
    expect(analysis(fromContext(inputs))).toEqual(cli);
    if (inputs.resolution) expect(cli).toMatchObject({ timeZone: "Europe/Riga", resolution: 9, k: 2, studyMunicipalities: inputs.municipalities });
  });

  it("a configuration that names no places gets none from each, not the bundled Lithuanian ones", async () => {
    expect((await fromCli({})).placesCsv).toBeNull();
    expect(fromEnvironment({}).placesCsv).toBeNull();
    expect(fromContext({}).placesCsv).toBeNull();
  });

  it("the demo's configuration names its places, and each caller gets them", async () => {
    const env = handlerConfig({ LAKE_URL: "s3://lake/lake", RAW_URL: "s3://raw/raw" }).settings;
    expect(env.placesCsv).toBe(DEFAULTS.placesCsv);
    const { config } = resolveEtlAnalysis({});
    expect(config.places).toBe(DEFAULTS.placesCsv);
    const args = ["--lake", lakeDir, "check"];
    const program = await hotspotsProgram(args);
    program.parseOptions(args);
    expect(cliContext(program).settings().placesCsv).toBe(DEFAULTS.placesCsv);
  });
});

describe("a bad value is refused by the same rule, naming each caller's own key", () => {
  it.each<[keyof Inputs, string, string, [string, string, string]]>([
    ["resolution", "8.5", "a whole number from 0 to 15", ["--resolution", "H3_RESOLUTION", "-c h3Resolution"]],
    ["resolution", "eight", "a whole number from 0 to 15", ["--resolution", "H3_RESOLUTION", "-c h3Resolution"]],
    ["k", "0", "a whole number from 1 to 10", ["--k", "GI_K", "-c k"]],
    ["timeZone", "Mars/Olympus", "an IANA time zone such as America/Phoenix or Europe/Vilnius", ["--timezone", "TIME_ZONE", "-c timeZone"]],
  ])("%s '%s'", async (input, value, what, [flag, variable, context]) => {
    const inputs = { [input]: value };
    const message = (key: string) => `${key} must be ${what}, not '${value}'`;
    await expect(fromCli(inputs)).rejects.toThrow(message(flag));
    expect(() => fromEnvironment(inputs)).toThrow(message(variable));
    expect(() => fromContext(inputs)).toThrow(message(context));
  });

  it("a hull of 11 rings, and a hull beside municipalities", () => {
    const command = new Command("analyse").addOption(hullOption()).exitOverride();
    expect(() => command.parse(["--hull", "11"], { from: "user" })).toThrow("--hull must be a whole number from 0 to 10, not '11'");
    // A file written after the bare flag is taken as its value: the message says how to write it.
    expect(() => command.parse(["--hull", "export.csv"], { from: "user" })).toThrow("write --hull 1 before the files, or --hull after them");
    const urls = { LAKE_URL: "s3://lake/lake", RAW_URL: "s3://raw/raw", PROJECT_CONFIG: configFile };
    expect(() => handlerConfig({ ...urls, STUDY_HULL: "11" })).toThrow("STUDY_HULL must be a whole number from 0 to 10, not '11'");
    expect(() => resolveEtlAnalysis({ projectConfig: configFile, studyHull: "11" })).toThrow("-c studyHull must be a whole number from 0 to 10, not '11'");
    expect(() => handlerConfig({ ...urls, STUDY_HULL: "1", STUDY_MUNICIPALITIES: "A" })).toThrow(
      "STUDY_MUNICIPALITIES and STUDY_HULL are two study areas: give one",
    );
    expect(() => resolveEtlAnalysis({ projectConfig: configFile, studyHull: "1", studyMunicipalities: "A" })).toThrow(
      "-c studyMunicipalities and -c studyHull are two study areas: give one",
    );
  });
});
