/**
 * One project configuration (issue 18 item 2): validated with messages that say what to write, the
 * lake records it so later commands need no flags, a new lake's months are its source's (Medellín:
 * Bogotá months with no flag), a conflicting time zone stops a command before anything is written, and
 * another resolution is analysed from the same lake (issue 18 item 3).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hotspotsProgram } from "../etl/cli/program.ts";
import { loadProjectConfig, parseProjectConfig } from "../etl/config.ts";
import type { Manifest } from "../etl/lake/manifest.ts";
import { projectRoot, sharedPath } from "./helpers/shared.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "project-config-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs `hotspots ...args` in this process: what it printed, and the message it stopped with ("" when it did not). */
async function hotspots(args: string[]) {
  const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    await (await hotspotsProgram()).exitOverride().parseAsync(args, { from: "user" });
    return { error: "", stdout: out.mock.calls.map((c) => String(c[0])).join("") };
  } catch (error) {
    return { error: (error as Error).message, stdout: "" };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
const source = (name: string) => join(projectRoot, "data", "sources", `${name}.yaml`);
const manifestOf = async (lake: string) => JSON.parse(await readFile(join(lake, "manifest.json"), "utf8")) as Manifest;

describe("the configuration file", () => {
  it("the bundled demo's configuration is valid and its paths are resolved against its folder", () => {
    const config = loadProjectConfig(join(projectRoot, "data", "project.yaml"));
    expect(config.h3_resolution).toBe(8);
    expect(config.timezone).toBeUndefined();
    expect(config.study_area).toEqual({
      municipalities: ["Šiaulių m. sav.", "Šiaulių r. sav."],
      boundaries: join(projectRoot, "data", "geo", "lt-municipalities.topojson"),
    });
    expect(config.places).toBe(join(projectRoot, "data", "geo", "lt-places.csv"));
  });

  it("names each problem and what to write instead", () => {
    const problems = (data: unknown) => {
      try {
        parseProjectConfig(data, "/x/project.yaml");
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error("expected a refusal");
    };
    expect(problems({ title: "T", study_area: { hull: 1 }, timezone: "Phoenix" })).toContain("timezone: expected an IANA time zone such as America/Phoenix");
    expect(problems({ title: "T", study_area: { hull: 1 }, resolution: 9 })).toContain(
      "unknown setting(s) resolution; the settings are title, timezone, h3_resolution",
    );
    expect(problems({ title: "T", study_area: "Preston" })).toContain("study_area: write either `municipalities: [names…]`");
    expect(problems({ title: "T", study_area: { hull: 1 }, categories: ["theft", "arson"] })).toContain(
      "'arson' is not an offence category; write one of theft, burglary",
    );
    expect(problems({ title: "T", study_area: { hull: 1 }, categories: ["theft"] })).toContain(
      "sensitive_categories: domestic_violence, sexual_offence not among categories",
    );
    expect(problems({ title: { lt: "Pavadinimas" }, study_area: { hull: 1 } })).toContain("title: write the title as a text, or as `{ lt: …, en: … }`");
  });

  it("takes the title as one text or one per language", () => {
    expect(parseProjectConfig({ title: "Tempe", study_area: { hull: 1 } }, "/x/p.yaml").title).toBe("Tempe");
    expect(parseProjectConfig({ title: { lt: "Šiauliai", en: "Siauliai" }, study_area: { hull: 1 } }, "/x/p.yaml").title).toEqual({
      lt: "Šiauliai",
      en: "Siauliai",
    });
  });
});

describe("the lake records the configuration", () => {
  let lake: string;
  let manifestBytes: string;
  beforeAll(async () => {
    lake = join(dir, "medellin");
    const run = await hotspots([
      "--lake",
      lake,
      "--json",
      "ingest",
      "--source",
      source("medellin-homicides"),
      sharedPath("data", "real", "medellin_homicides.csv"),
    ]);
    expect(run.error).toBe("");
    manifestBytes = await readFile(join(lake, "manifest.json"), "utf8");
  }, 60_000);

  it("a new lake cuts months in its source's time zone with no flag: the three homicides of 2010-01-01 before 05:00 UTC are in Bogotá's December 2009", async () => {
    const manifest = await manifestOf(lake);
    expect(manifest.timezone).toBe("America/Bogota");
    // Paths inside the project are recorded relative to it: the same in every clone, found from any.
    expect(manifest.config).toMatchObject({
      timezone: "America/Bogota",
      h3_resolution: 8,
      file: "data/project.yaml",
      study_area: { boundaries: "data/geo/lt-municipalities.topojson" },
      places: "data/geo/lt-places.csv",
    });
    const months = Object.values(manifest.tables.incidents ?? {})
      .map((e) => e.month)
      .sort();
    expect([months[0], months.at(-1)]).toEqual(["2009-12", "2019-12"]);
    expect(
      Object.entries(manifest.tables.incidents ?? {}).find(([key]) => /^incidents\/month=2009-12\/medellin-homicides-[0-9a-f]{12}\.parquet$/.test(key))?.[1]
        .rows,
    ).toBe(3);
  });

  it("a source in another time zone is refused before anything is written, saying what to do", async () => {
    const run = await hotspots([
      "--lake",
      lake,
      "ingest",
      "--source",
      source("siauliai-demo"),
      join(projectRoot, "data", "incidents", "siauliai-2015-2021.csv.gz"),
    ]);
    expect(run.error).toContain(
      "its source description 'siauliai-demo' is in time zone Europe/Vilnius, but this lake's months are cut in America/Bogota: ingest it into a lake of its own (another --lake",
    );
    expect(await readFile(join(lake, "manifest.json"), "utf8")).toBe(manifestBytes);
  });

  it("a flag or a configuration that conflicts with the lake stops the command, naming where each value came from", async () => {
    // `--municipality X ingest`: the subcommand is not taken as a second municipality (the option repeats, it is not variadic).
    const tz = await hotspots([
      "--lake",
      lake,
      "--timezone",
      "Europe/Vilnius",
      "--municipality",
      "Preston",
      "ingest",
      "--source",
      source("medellin-homicides"),
      sharedPath("data", "real", "medellin_homicides.csv"),
    ]);
    expect(tz.error).toContain(
      `the lake at ${lake} cuts its months in America/Bogota (configuration data/project.yaml), but --timezone Europe/Vilnius asks for Europe/Vilnius: leave the time zone out`,
    );
    expect(await readFile(join(lake, "manifest.json"), "utf8")).toBe(manifestBytes);
  });

  it("a configuration at another resolution analyses the same lake, with no re-ingest and no refusal", async () => {
    const config = join(dir, "fine.yaml");
    await writeFile(config, "title: Medellín at resolution 9\nh3_resolution: 9\nstudy_area: { hull: 1 }\n");
    const before = await manifestOf(lake);
    const run = await hotspots(["--lake", lake, "--config", config, "--json", "analyse", "--from", "2019-10", "--to", "2019-12", "--inference", "normal"]);
    expect(run.error).toBe("");
    const after = await manifestOf(lake);
    // The incidents stay as ingested, indexed at 8; the hot spots are at 9.
    expect(after.h3_resolution).toBe(8);
    expect(after.tables.incidents).toEqual(before.tables.incidents);
    expect(after.parameters?.hot_spots).toMatchObject({ resolution: 9, k: 1 });
    const summary = JSON.parse(run.stdout) as { analyse: { months: number; incidents_in_study_area: number; incidents_outside_study_area: number } };
    expect(summary.analyse.months).toBe(3);
    // The hull of the incidents' own cells holds every incident of those months.
    expect(summary.analyse.incidents_outside_study_area).toBe(0);
    const rows = Object.values(before.tables.incidents ?? {}).filter((e) => e.month >= "2019-10" && e.month <= "2019-12");
    expect(summary.analyse.incidents_in_study_area).toBe(rows.reduce((s, e) => s + e.rows, 0));
  }, 60_000);

  it("a configuration's time zone fixes a new lake's, and its categories refuse a source that maps outside them", async () => {
    const phoenix = join(dir, "phoenix.yaml");
    await writeFile(phoenix, "title: Tempe\ntimezone: America/Phoenix\nstudy_area: { hull: 1 }\n");
    const zone = await hotspots([
      "--lake",
      join(dir, "new-1"),
      "--config",
      phoenix,
      "ingest",
      "--source",
      source("medellin-homicides"),
      sharedPath("data", "real", "medellin_homicides.csv"),
    ]);
    expect(zone.error).toContain("is in time zone America/Bogota, but this lake's months are cut in America/Phoenix");
    const thefts = join(dir, "thefts.yaml");
    await writeFile(thefts, "title: Thefts only\nstudy_area: { hull: 1 }\ncategories: [theft, burglary]\nsensitive_categories: []\n");
    const cats = await hotspots([
      "--lake",
      join(dir, "new-2"),
      "--config",
      thefts,
      "ingest",
      "--source",
      source("medellin-homicides"),
      sharedPath("data", "real", "medellin_homicides.csv"),
    ]);
    expect(cats.error).toContain(
      `the source description 'medellin-homicides' maps offences to homicide, which the project configuration ${thefts} does not list under categories: add it to categories: there`,
    );
  }, 30_000);
});
