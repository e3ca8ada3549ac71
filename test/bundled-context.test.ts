/**
 * The bundled exposure statistics and projects belong to the bundled demo's data only (issue 15):
 * a lake of another city's export gets no context unless its own files are named, and a context
 * written before is replaced by empty tables.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS } from "../etl/config.ts";
import { contextFilesFor, defaultContextFiles } from "../etl/context/bundled-context.ts";
import { CONTEXT_TABLES, ingestContext } from "../etl/context/context-lake.ts";
import { withConnection } from "../etl/duckdb/connection.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bundled-context-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A lake whose manifest records one ingested file per source id given. */
async function lakeOf(name: string, sources: string[]): Promise<string> {
  const lakeDir = join(dir, name);
  await mkdir(lakeDir, { recursive: true });
  const manifest = {
    format: 1,
    timezone: "Europe/Vilnius",
    h3_resolution: 8,
    tables: {},
    sources: Object.fromEntries(sources.map((source, i) => [`${source}-${i}`, { source, file: `${source}.csv` }])),
  };
  await writeFile(join(lakeDir, "manifest.json"), JSON.stringify(manifest));
  return lakeDir;
}

describe("defaultContextFiles", () => {
  it("names the bundled files for a lake of the bundled source only", async () => {
    expect(await defaultContextFiles(await lakeOf("demo", ["siauliai-demo", "siauliai-demo"]))).toEqual({
      exposureCsv: DEFAULTS.exposureCsv,
      projectsJson: DEFAULTS.projectsJson,
    });
  });

  it("names none for another city's lake, a lake mixing sources, and a lake not yet written", async () => {
    const none = { exposureCsv: null, projectsJson: null };
    expect(await defaultContextFiles(await lakeOf("nottingham", ["nottingham-burglary"]))).toEqual(none);
    expect(await defaultContextFiles(await lakeOf("mixed", ["siauliai-demo", "nottingham-burglary"]))).toEqual(none);
    expect(await defaultContextFiles(await lakeOf("empty", []))).toEqual(none);
    expect(await defaultContextFiles(join(dir, "missing"))).toEqual(none);
  });
});

describe("contextFilesFor (the monthly Lambda run, which reads the manifest itself)", () => {
  const manifest = (...sources: string[]) => ({ sources: Object.fromEntries(sources.map((source, i) => [`f${i}`, { source } as never])) });
  const bundled = { exposureCsv: "/asset/context/immigration.csv", projectsJson: "/asset/context/projects.json" };

  it("gives a lake of the demo's data the bundled files from where the installation keeps them", () => {
    expect(contextFilesFor(manifest("siauliai-demo"), {}, bundled)).toEqual(bundled);
  });

  it("gives another city's lake none of the demo's files, and a deployment's own files to any lake", () => {
    expect(contextFilesFor(manifest("nottingham-burglary"), {}, bundled)).toEqual({ exposureCsv: null, projectsJson: null });
    expect(contextFilesFor(manifest(), {}, bundled)).toEqual({ exposureCsv: null, projectsJson: null });
    expect(contextFilesFor(manifest("nottingham-burglary"), { projectsJson: "/city/projects.json" }, bundled)).toEqual({
      exposureCsv: null,
      projectsJson: "/city/projects.json",
    });
    // Own files win on the demo's lake too; a file not named falls back to the demo's there.
    expect(contextFilesFor(manifest("siauliai-demo"), { projectsJson: "/city/projects.json", exposureCsv: null }, bundled)).toEqual({
      exposureCsv: bundled.exposureCsv,
      projectsJson: "/city/projects.json",
    });
  });
});

describe("ingestContext with no files", () => {
  it("replaces a context written before with empty tables", async () => {
    const lakeDir = join(dir, "replaced");
    const options = { lakeDir, timeZone: "Europe/Vilnius", resolution: 8 };
    expect(await ingestContext({ ...options, exposureCsv: DEFAULTS.exposureCsv, projectsJson: DEFAULTS.projectsJson })).toMatchObject({
      exposure: 5,
      projects: 5,
    });
    expect(await ingestContext({ ...options, exposureCsv: null, projectsJson: null })).toEqual({
      exposure: 0,
      projects: 0,
      indicators: 0,
      checkpoints: 0,
      outcome_evaluations: 0,
    });
    const projects = await withConnection(async (c) =>
      (await c.runAndReadAll("SELECT count(*)::INTEGER FROM read_parquet($f)", { f: join(lakeDir, CONTEXT_TABLES.projects) })).getRows(),
    );
    expect(projects).toEqual([[0]]);
  });
});
