/**
 * The files a lake's recorded project configuration names that later commands read (boundaries,
 * places): the record keeps each one's SHA-256 beside its name, so a later command that finds a file of that name
 * on another machine can tell whether it is the one the lake was built with — it warns, naming both,
 * and goes on; a lake recorded without hashes keeps working. A missing recorded file is refused with
 * the same specific error by every reader of the record, the briefing's rebuilt plan included.
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { latLngToCell } from "h3-js";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { rebuiltPlan } from "../etl/briefing/previous-plan.ts";
import { cliContext } from "../etl/cli/context.ts";
import { hotspotsProgram } from "../etl/cli/program.ts";
import { DEFAULTS } from "../etl/config.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { manifestText, type Manifest } from "../etl/lake/manifest.ts";
import { hotspotsInProcess } from "./helpers/hotspots-cli.ts";

let dir: string;
let project: string;
let lake: string;
const sha256 = async (path: string) =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
const manifest = async () => JSON.parse(await readFile(join(lake, "manifest.json"), "utf8")) as Manifest;

const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
const ROWS = Array.from({ length: 10 }, (_, i) =>
  [
    `F-${i}`,
    `2019-0${1 + (i % 2)}-1${i}T12:00:00Z`,
    "X",
    "theft",
    "pre_trial_investigation",
    (55.93 + i * 0.001).toFixed(6),
    "23.31",
    "Šiaulių m. sav.",
    "Šiauliai",
    "test",
  ].join(","),
);

/** The settings a command on `lakeDir` gets with `flags`, and what it wrote to stderr. */
async function commandSettings(lakeDir: string, flags: string[] = []) {
  const args = ["--lake", lakeDir, ...flags, "check"];
  const program = await hotspotsProgram(args);
  program.parseOptions(args);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    const settings = cliContext(program).settings();
    return { settings, stderr: err.mock.calls.map((c) => String(c[0])).join("") };
  } finally {
    err.mockRestore();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recorded-config-files-"));
  // A project of its own, outside the repository: recorded by its absolute names.
  project = join(dir, "project");
  await mkdir(project);
  await copyFile(DEFAULTS.municipalitiesGeoJson, join(project, "bounds.topojson"));
  await writeFile(join(project, "places.csv"), "name,name_en,kind,population,lon,lat\nCentras,Centre,suburb,1000,23.31,55.93\n");
  await writeFile(
    join(project, "project.yaml"),
    'title: Files\ntimezone: Europe/Vilnius\nstudy_area: { municipalities: ["Šiaulių m. sav."], boundaries: bounds.topojson }\nplaces: places.csv\n',
  );
  await writeFile(join(dir, "export.csv"), `${[HEADER, ...ROWS].join("\n")}\n`);
  lake = join(dir, "lake");
  await hotspotsInProcess(["--lake", lake, "--config", join(project, "project.yaml"), "--json", "ingest", join(dir, "export.csv")]);
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe("the recorded configuration's files", () => {
  it("ingest records the SHA-256 of each file beside its name", async () => {
    const config = (await manifest()).config!;
    const [file, boundaries, places] = ["project.yaml", "bounds.topojson", "places.csv"].map((f) => join(project, f)) as [string, string, string];
    expect(config).toMatchObject({ file, study_area: { boundaries }, places });
    expect(config.sha256).toEqual({ [boundaries]: await sha256(boundaries), [places]: await sha256(places) });
  });

  it("a later command finding the same files says nothing; one finding another version warns, naming both, and goes on", async () => {
    expect((await commandSettings(lake)).stderr).toBe("");
    const places = join(project, "places.csv");
    const recorded = await sha256(places);
    const original = await readFile(places);
    await writeFile(places, `${original.toString("utf8")}Other,Other,suburb,10,23.32,55.94\n`);
    try {
      const { settings, stderr } = await commandSettings(lake);
      expect(settings.placesCsv).toBe(places);
      expect(stderr).toContain(
        `hotspots: warning: the lake at ${lake} was built with places ${places} of SHA-256 ${recorded}, but ${places} here has SHA-256 ${await sha256(places)}`,
      );
      expect(stderr).not.toContain("boundaries");
      // What a command made from the record would record again: the files it read, this machine's places.
      expect(settings.config!.sha256).toEqual({ ...(await manifest()).config!.sha256, [places]: await sha256(places) });
    } finally {
      await writeFile(places, original);
    }
  });

  it("a lake recorded without hashes keeps working, with no warning", async () => {
    const old = join(dir, "old-lake");
    await mkdir(old);
    const m = await manifest();
    delete m.config!.sha256;
    await writeFile(join(old, "manifest.json"), manifestText(m));
    await writeFile(join(project, "places.csv"), "name,name_en,kind,population,lon,lat\nKitas,Other,suburb,1,23.3,55.9\n");
    const { settings, stderr } = await commandSettings(old);
    expect(stderr).toBe("");
    expect(settings.placesCsv).toBe(join(project, "places.csv"));
  });

  it("the briefing's rebuilt plan refuses a missing recorded boundaries file with the error every command gives", async () => {
    const copy = join(dir, "plan-lake");
    await mkdir(join(copy, "backtests", "month=2019-02"), { recursive: true });
    const m = await manifest();
    m.parameters = { ...m.parameters, "forecasts/all": { selection: { areaShare: 0.05 } } };
    m.config = { ...m.config!, study_area: { municipalities: ["Šiaulių m. sav."], boundaries: join(project, "gone.topojson") } };
    await writeFile(join(copy, "manifest.json"), manifestText(m));
    // The backtest's nested selection for 2019-02, so the plan would be rebuilt.
    await withConnection((c) =>
      c.run(
        `COPY (SELECT 'all' AS offence_category, '2019-02' AS forecast_month, 'selected' AS method, 'last-month' AS chosen_method)
           TO '${join(copy, "backtests", "month=2019-02", "all.parquet")}' (FORMAT parquet)`,
      ),
    );
    const cli = await commandSettings(copy).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(cli).toMatch(
      /records the project configuration .*project\.yaml, whose study_area\.boundaries is .*gone\.topojson, but there is no .*gone\.topojson here: give --config/,
    );
    const plan = withConnection((c) =>
      rebuiltPlan(c, {
        lakeDir: copy,
        month: "2019-02",
        timeZone: "Europe/Vilnius",
        cellOfForecast: latLngToCell(55.93, 23.31, 8),
        sensitiveCategories: new Set(),
      }),
    );
    await expect(plan).rejects.toThrow(cli!);
  });
});
