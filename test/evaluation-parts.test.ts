/**
 * evaluation.json's parts kept in publish's state (etl/publish/evaluation-parts.ts): a publish with
 * the state writes what one without it writes, takes a part from the state only while every input
 * of that part is unchanged, and follows a changed input: an evaluation's file, a project's file, a
 * context file, the release rules, the parts' format.
 */
import { cp, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlLiteral, withConnection } from "../etl/duckdb/connection.ts";

import { evaluateStage } from "../etl/evaluation/lake/evaluate-stage.ts";
import { sha256File } from "../etl/lake/atomic-file.ts";
import { MANIFEST_FILE, type Manifest } from "../etl/lake/manifest.ts";
import { contextStage } from "../etl/pipeline.ts";
import { evaluationData, type PublishedEvaluationData } from "../etl/publish/evaluation-data.ts";
import { EVALUATION_PARTS_FORMAT } from "../etl/publish/evaluation-parts.ts";
import { defaultSettings } from "../etl/settings.ts";
import { buildFixtureLake } from "./evaluation-fixture-lake.ts";
import { projectRoot, SHARED_BOUNDARIES } from "./helpers/shared.ts";

const ID = "we-are-kursenai-drug-possession";
const PROJECT = "we-are";
const SENSITIVE = new Set(["domestic_violence"]);
let base: string;
let dir: string;

beforeAll(async () => {
  base = await buildFixtureLake();
  const settings = defaultSettings({ lakeDir: base, municipalitiesGeoJson: SHARED_BOUNDARIES });
  await contextStage(settings, {
    projectsJson: resolve(projectRoot, "data", "projects", "projects.json"),
    exposureCsv: resolve(projectRoot, "data", "context", "immigration.csv"),
  });
  await evaluateStage(settings);
  dir = await mkdtemp(join(tmpdir(), "evaluation-parts-"));
}, 120_000);
afterAll(async () => {
  await rm(dirname(base), { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

let copies = 0;
/** A copy of the evaluated lake and a state file made by one publish of it (with the rules given). */
async function published(sensitive = SENSITIVE): Promise<{ lake: string; state: string }> {
  const lake = join(dir, `lake-${++copies}`);
  await cp(base, lake, { recursive: true });
  const state = join(dir, `state-${copies}.json`);
  await read(lake, sensitive, state);
  return { lake, state };
}

const read = (lake: string, sensitive: ReadonlySet<string>, stateFile?: string, manifest?: Manifest) =>
  withConnection((c) =>
    evaluationData(c, { lakeDir: lake, sensitiveCategories: sensitive, ...(stateFile ? { reuse: { stateFile, ...(manifest ? { manifest } : {}) } } : {}) }),
  );
const lakeManifest = async (lake: string) => JSON.parse(await readFile(join(lake, MANIFEST_FILE), "utf8")) as Manifest;

/** Marks the kept project and evaluation titles in the state file, so that a part taken from it shows. */
async function mark(state: string): Promise<void> {
  const kept = JSON.parse(await readFile(state, "utf8")) as { format: number; parts: Record<string, { id?: string; title?: string; indicators?: unknown }> };
  const marked = Object.values(kept.parts).filter((p) => (p.id === ID && p.indicators === undefined) || (p.id === PROJECT && p.indicators !== undefined));
  expect(marked).toHaveLength(2);
  for (const part of marked) part.title = "kept";
  await writeFile(state, JSON.stringify(kept));
}

const titles = (data: PublishedEvaluationData) => {
  const project = data.projects.find((p) => p.id === PROJECT)!;
  return { project: project.title, evaluation: project.evaluations.find((e) => e.id === ID)!.title };
};

/** Rewrites one lake file with `column` set to `value` in every row, and records its new SHA-256 in the manifest, as a commit does. */
async function rewrite(lake: string, group: string, key: string, column: string, value: string): Promise<void> {
  const path = join(lake, ...key.split("/"));
  await withConnection((c) =>
    c.run(
      `COPY (SELECT * REPLACE (${sqlLiteral(value)} AS "${column}") FROM read_parquet(${sqlLiteral(path)})) TO ${sqlLiteral(`${path}.new`)} (FORMAT parquet)`,
    ),
  );
  await rename(`${path}.new`, path);
  const manifest = JSON.parse(await readFile(join(lake, MANIFEST_FILE), "utf8")) as Manifest;
  manifest.tables[group]![key]!.sha256 = await sha256File(path);
  await writeFile(join(lake, MANIFEST_FILE), JSON.stringify(manifest));
}

describe("evaluation.json's parts kept from the previous publish", () => {
  it("writes what a publish without the state writes, then takes every unchanged part from the state", async () => {
    const { lake, state } = await published();
    const fresh = await read(lake, SENSITIVE);
    expect(JSON.stringify(await read(lake, SENSITIVE, state))).toBe(JSON.stringify(fresh));
    await mark(state);
    const again = await read(lake, SENSITIVE, state);
    expect(titles(again)).toEqual({ project: "kept", evaluation: "kept" });
    // Everything else is as computed.
    expect(JSON.stringify({ ...again, projects: again.projects.filter((p) => p.id !== PROJECT) })).toBe(
      JSON.stringify({ ...fresh, projects: fresh.projects.filter((p) => p.id !== PROJECT) }),
    );
  }, 60_000);

  it("reads an evaluation again when one of its files changed, and keeps its project", async () => {
    const { lake, state } = await published();
    await mark(state);
    await rewrite(lake, "evaluations", `evaluations/runs/evaluation=${ID}/run.parquet`, "title", "Rewritten by the evaluate stage");
    const after = await read(lake, SENSITIVE, state);
    expect(titles(after)).toEqual({ project: "kept", evaluation: "Rewritten by the evaluate stage" });
    expect(JSON.stringify(after.projects.find((p) => p.id === PROJECT)!.evaluations)).toBe(
      JSON.stringify((await read(lake, SENSITIVE)).projects.find((p) => p.id === PROJECT)!.evaluations),
    );
  }, 60_000);

  it("keys the parts on the manifest publish passes in (the one it read), not on a second read of the lake's", async () => {
    const { lake, state } = await published();
    await mark(state);
    const before = await lakeManifest(lake);
    await rewrite(lake, "evaluations", `evaluations/indicators/project=${PROJECT}/indicators.parquet`, "note", "Rewritten note");
    // A manifest from before the rewrite names the old file's SHA-256: the part kept under it is taken, though the lake's says otherwise.
    expect(titles(await read(lake, SENSITIVE, state, before))).toEqual({ project: "kept", evaluation: "kept" });
    // The manifest as it is now: the project is read again, its evaluation kept.
    const after = await read(lake, SENSITIVE, state, await lakeManifest(lake));
    expect(titles(after)).toEqual({ project: "We Are", evaluation: "kept" });
    expect(after.projects.find((p) => p.id === PROJECT)!.indicators.every((i) => i.note === "Rewritten note")).toBe(true);
  }, 60_000);

  it("reads a project again when its indicators' file changed, and keeps its evaluation", async () => {
    const { lake, state } = await published();
    await mark(state);
    await rewrite(lake, "evaluations", `evaluations/indicators/project=${PROJECT}/indicators.parquet`, "note", "Rewritten note");
    const after = await read(lake, SENSITIVE, state);
    expect(titles(after)).toEqual({ project: "We Are", evaluation: "kept" });
    expect(after.projects.find((p) => p.id === PROJECT)!.indicators.every((i) => i.note === "Rewritten note")).toBe(true);
  }, 60_000);

  it("reads every part again when a context file changed", async () => {
    const { lake, state } = await published();
    await mark(state);
    await rewrite(lake, "context", "context/projects/projects.parquet", "title", "Renamed project");
    const after = await read(lake, SENSITIVE, state);
    expect(titles(after)).toEqual({ project: "Renamed project", evaluation: "Drug possession registered in Kuršėnai, 2018 → 2019" });
    expect(JSON.stringify(after)).toBe(JSON.stringify(await read(lake, SENSITIVE)));
  }, 60_000);

  it("follows another release rule: a category made sensitive leaves the locality's evaluation", async () => {
    const { lake, state } = await published();
    await mark(state);
    const stricter = new Set([...SENSITIVE, "drug_possession"]);
    const after = await read(lake, stricter, state);
    const fresh = await read(lake, stricter);
    expect(JSON.stringify(after)).toBe(JSON.stringify(fresh));
    const outcomes = (data: PublishedEvaluationData) => data.projects.find((p) => p.id === PROJECT)!.evaluations.find((e) => e.id === ID)!.outcomes;
    expect(outcomes(await read(lake, SENSITIVE)).map((o) => o.category)).toContain("drug_possession");
    expect(outcomes(after).map((o) => o.category)).not.toContain("drug_possession");
  }, 60_000);

  it("takes nothing from a state of another format", async () => {
    const { lake, state } = await published();
    await mark(state);
    const kept = JSON.parse(await readFile(state, "utf8")) as { format: number };
    await writeFile(state, JSON.stringify({ ...kept, format: EVALUATION_PARTS_FORMAT + 1 }));
    expect(JSON.stringify(await read(lake, SENSITIVE, state))).toBe(JSON.stringify(await read(lake, SENSITIVE)));
  }, 60_000);
});
