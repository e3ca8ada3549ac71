import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTEXT_TABLES, ingestContext } from "../etl/context/context-lake.ts";
import { exposureSeries } from "../etl/context/immigration.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { readLakeProjects } from "../etl/evaluation/lake/lake-projects.ts";
import { projectRoot } from "./helpers/shared.ts";

const EXPOSURE = join(projectRoot, "data", "context", "immigration.csv");
const PROJECTS = join(projectRoot, "data", "projects", "projects.json");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "context-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const options = (lakeDir: string, exposureCsv = EXPOSURE, projectsJson = PROJECTS) => ({
  lakeDir,
  timeZone: "Europe/Vilnius",
  resolution: 8,
  exposureCsv,
  projectsJson,
});

describe("context tables", () => {
  it("loads the We Are immigration table and the five seed projects into the lake", async () => {
    const lake = join(dir, "lake");
    expect(await ingestContext(options(lake))).toMatchObject({ exposure: 5, projects: 5 });
    const rows = await withConnection(async (c) =>
      (await c.runAndReadAll("SELECT year, value FROM read_parquet($f) ORDER BY year", { f: join(lake, CONTEXT_TABLES.exposure) })).getRows(),
    );
    expect(rows.map(([year, value]) => [Number(year), Number(value)])).toEqual([
      [2015, 2836],
      [2016, 2562],
      [2017, 3390],
      [2018, 4021],
      [2019, 5719],
    ]);
    const trained = await withConnection(async (c) =>
      (await c.runAndReadAll("SELECT achieved FROM read_parquet($f) WHERE achieved = 826", { f: join(lake, CONTEXT_TABLES.indicators) })).getRows(),
    );
    expect(trained).toHaveLength(1); // 826 officers trained (LT–NO organised-crime project)
    const manifest = JSON.parse(await readFile(join(lake, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.tables.context).sort()).toEqual(Object.values(CONTEXT_TABLES).sort());
  });

  it("keeps the places an exposure area covers, and reads a lake written before that column", async () => {
    const lake = join(dir, "lake-covers");
    await ingestContext(options(lake));
    const file = join(lake, CONTEXT_TABLES.exposure);
    const read = () => withConnection((c) => readLakeProjects(c, lake));
    expect(exposureSeries((await read()).exposure, "immigrants_registered").places).toEqual([
      "Šiaulių apskritis",
      "Akmenės r. sav.",
      "Joniškio r. sav.",
      "Kelmės r. sav.",
      "Pakruojo r. sav.",
      "Radviliškio r. sav.",
      "Šiaulių m. sav.",
      "Šiaulių r. sav.",
    ]);
    // The table as an older context stage wrote it: no covers column; the area then names only itself.
    await withConnection(async (c) => {
      await c.run(`COPY (SELECT * EXCLUDE (covers) FROM read_parquet('${file}')) TO '${file}.old' (FORMAT parquet)`);
    });
    await copyFile(`${file}.old`, file);
    await rm(`${file}.old`);
    expect(exposureSeries((await read()).exposure, "immigrants_registered").places).toEqual(["Šiaulių apskritis"]);
  });

  it("refuses an invalid exposure file with its line and leaves the lake unchanged", async () => {
    const lake = join(dir, "lake-bad");
    await ingestContext(options(lake));
    const before = await readFile(join(lake, "manifest.json"), "utf8");
    const broken = join(dir, "broken.csv");
    const text = await readFile(EXPOSURE, "utf8");
    await writeFile(broken, text.replace(",2019,5719,", ",2019,lots,"));
    await expect(ingestContext(options(lake, broken))).rejects.toThrow(/line \d+.*value/);
    expect(await readFile(join(lake, "manifest.json"), "utf8")).toBe(before);
    expect((await readdir(join(lake, "context"))).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses a projects file with a missing field, naming its JSON path", async () => {
    const broken = join(dir, "projects.json");
    const data = JSON.parse(await readFile(PROJECTS, "utf8"));
    delete data.indicators[0].unit;
    await writeFile(broken, JSON.stringify(data));
    await copyFile(EXPOSURE, join(dir, "exposure.csv"));
    await expect(ingestContext(options(join(dir, "lake-bad-2"), join(dir, "exposure.csv"), broken))).rejects.toThrow(
      /\$\.indicators\[0\]\.unit: missing required field/,
    );
  });
});
