/**
 * The Lambda records the deployment's project configuration in the lake, as the CLI's ingest does
 * (review M3): a deployment synthesised with `-c projectConfig=<its own file>` ingests an upload
 * against a local S3 server, the manifest holds the configuration's values with its files named as
 * they were where the stack was synthesised (not /var/task/…), and a workstation command on a copy
 * of that lake gets the deployment's title, categories and places with no --config — or, where the
 * machine lacks a file the record names, a specific error saying which and how to supply it. The
 * configuration's `categories` refuse a source that maps outside them, as on the CLI.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cliContext } from "../etl/cli/context.ts";
import { hotspotsProgram } from "../etl/cli/program.ts";
import { handlerConfig } from "../etl/handlers/handler-config.ts";
import { handleEtlEvent, type EtlResult } from "../etl/handlers/index.ts";
import type { Manifest } from "../etl/lake/manifest.ts";
import { resolveEtlAnalysis } from "../infra/lib/etl-analysis.ts";
import { projectAssetCommands } from "../infra/lib/etl-bundling.ts";
import { analysisEnvironment } from "../infra/lib/etl-function.ts";
import { objectCreatedEvent, startLocalS3, type LocalS3 } from "./helpers/local-s3.ts";

const RAW = "record-raw";
const LAKE = "record-curated";
let s3: LocalS3;
let work: string;
let synth: string;
let task: string;
let env: Record<string, string>;

const TITLE = { lt: "Vankuverio vagystės", en: "Vancouver thefts" };
const CATEGORIES = ["theft", "vehicle_crime"];

/** A few thefts in the Vancouver Police Department's export layout (data/sources/vancouver-thefts.yaml). */
function vancouverCsv(): string {
  const rows = ["TYPE,YEAR,MONTH,DAY,HOUR,MINUTE,HUNDRED_BLOCK,NEIGHBOURHOOD,X,Y"];
  for (let i = 0; i < 30; i++) {
    const type = i % 2 === 0 ? "Theft from Vehicle" : "Other Theft";
    rows.push(`${type},2020,${1 + (i % 2)},${1 + (i % 28)},${i % 24},0,${i}XX MAIN ST,Downtown,${491000 + i * 40},${5459000 + (i % 5) * 60}`);
  }
  return `${rows.join("\n")}\n`;
}

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => undefined); // the handler's one-line JSON summaries
  work = await mkdtemp(join(tmpdir(), "handler-project-record-"));
  // The unit's own project folder on the machine that synthesises the stack.
  synth = join(work, "vancouver");
  await mkdir(synth);
  await writeFile(join(synth, "places.csv"), "name,name_en,kind,population,lon,lat\nGastown,Gastown,neighbourhood,10000,-123.1066,49.2835\n");
  await writeFile(
    join(synth, "project.yaml"),
    [
      `title: { lt: ${TITLE.lt}, en: ${TITLE.en} }`,
      "timezone: America/Vancouver",
      "study_area: { hull: 1 }",
      `categories: [${CATEGORIES.join(", ")}]`,
      "sensitive_categories: []",
      "places: places.csv",
    ].join("\n"),
  );
  // What `cdk deploy -c projectConfig=vancouver/project.yaml` puts into the asset and the environment.
  const analysis = resolveEtlAnalysis({ projectConfig: join(synth, "project.yaml") });
  task = join(work, "task");
  execFileSync("bash", ["-c", projectAssetCommands(task, analysis).join(" && ")]);
  s3 = await startLocalS3();
  for (const bucket of [RAW, LAKE]) await s3.createBucket(bucket);
  env = { ...analysisEnvironment(analysis, task), LAKE_URL: `s3://${LAKE}/lake`, RAW_URL: `s3://${RAW}/raw`, WORK_DIR: work };
});
afterAll(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

/** The settings a workstation command gets on `lakeDir` with `flags` and no --config. */
async function workstationSettings(lakeDir: string, flags: string[] = []) {
  const args = ["--lake", lakeDir, ...flags, "check"];
  const program = await hotspotsProgram(args);
  program.parseOptions(args);
  return cliContext(program).settings();
}

describe("a deployment with its own project configuration", () => {
  let manifest: Manifest;
  let lakeCopy: string;

  beforeAll(async () => {
    const key = "raw/vancouver-thefts/thefts-2020.csv";
    await s3.put(RAW, key, Buffer.from(vancouverCsv()));
    const result = (await handleEtlEvent(objectCreatedEvent(RAW, key), { client: s3.client, config: () => handlerConfig(env) })) as Extract<
      EtlResult,
      { kind: "ingest" }
    >;
    expect(result.outcomes[0]).toMatchObject({ key, status: "ingested" });
    const text = (await s3.get(LAKE, "lake/manifest.json"))!.toString("utf8");
    manifest = JSON.parse(text) as Manifest;
    lakeCopy = join(work, "lake-copy");
    await mkdir(lakeCopy);
    await writeFile(join(lakeCopy, "manifest.json"), text);
  }, 120_000);

  it("records the configuration with the lake, its files by the names they had at synth, none under the asset", () => {
    expect(manifest.config).toMatchObject({
      title: TITLE,
      categories: CATEGORIES,
      timezone: "America/Vancouver",
      study_area: { hull: 1 },
      file: join(synth, "project.yaml"),
      places: join(synth, "places.csv"),
    });
    expect(JSON.stringify(manifest.config)).not.toContain(task);
    // The places' SHA-256 beside its synth name, from the asset's copy the function read: a workstation can tell its file is the same.
    const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
    expect(manifest.config!.sha256).toEqual({ [join(synth, "places.csv")]: sha256(join(synth, "places.csv")) });
  });

  it("a workstation command on that lake gets the deployment's title, categories and places, with no --config", async () => {
    const settings = await workstationSettings(lakeCopy);
    expect(settings).toMatchObject({ title: TITLE, categories: CATEGORIES, placesCsv: join(synth, "places.csv"), hullRing: 1, timeZone: "America/Vancouver" });
  });

  it("where the workstation lacks a file the record names, it says which and how to supply it", async () => {
    await rename(join(synth, "places.csv"), join(synth, "moved.csv"));
    try {
      await expect(workstationSettings(lakeCopy)).rejects.toThrow(
        new RegExp(`records the project configuration .*project\\.yaml, whose places is .*places\\.csv, but there is no .*places\\.csv here: give --config`),
      );
      // With the configuration given, its own files are used.
      await writeFile(join(synth, "other.yaml"), `title: Other\ntimezone: America/Vancouver\nstudy_area: { hull: 1 }\nplaces: moved.csv\n`);
      expect((await workstationSettings(lakeCopy, ["--config", join(synth, "other.yaml")])).placesCsv).toBe(join(synth, "moved.csv"));
    } finally {
      await rename(join(synth, "moved.csv"), join(synth, "places.csv"));
    }
  });
});

describe("a deployment whose categories leave out some of a source's", () => {
  it("refuses the upload before reading it, naming the categories and what to redeploy, and writes nothing", async () => {
    await writeFile(
      join(synth, "thefts-only.yaml"),
      "title: Thefts\ntimezone: America/Vancouver\nstudy_area: { hull: 1 }\ncategories: [theft]\nsensitive_categories: []\n",
    );
    const analysis = resolveEtlAnalysis({ projectConfig: join(synth, "thefts-only.yaml") });
    const asset = join(work, "task-thefts-only");
    execFileSync("bash", ["-c", projectAssetCommands(asset, analysis).join(" && ")]);
    await s3.createBucket("thefts-only-curated");
    const only = { ...analysisEnvironment(analysis, asset), LAKE_URL: "s3://thefts-only-curated/lake", RAW_URL: `s3://${RAW}/raw`, WORK_DIR: work };
    const key = "raw/vancouver-thefts/thefts-2020-again.csv";
    await s3.put(RAW, key, Buffer.from(vancouverCsv()));
    await expect(handleEtlEvent(objectCreatedEvent(RAW, key), { client: s3.client, config: () => handlerConfig(only) })).rejects.toThrow(
      /the source description 'vancouver-thefts' maps offences to vehicle_crime, which the deployment's project configuration .*thefts-only\.yaml does not list under categories; nothing was read: add it to its categories and redeploy/,
    );
    expect(await s3.keys("thefts-only-curated", "lake/")).toEqual([]);
  }, 60_000);
});
