/**
 * The evaluate stage keeps its tables when nothing the evaluations read has changed (issue 19): a
 * month added after every period and history year of the projects' evaluations leaves them as a
 * recomputation would write them, byte for byte; a late export of a month they read, a new
 * locality (areas are resolved among the lake's localities), or — for an evaluation refused for a month the lake lacks — any month
 * added (the refusal names the lake's range) makes the stage compute them again.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { evaluateStage } from "../etl/evaluation/lake/evaluate-stage.ts";
import { LAKE_VALUES_KEY, lakeValueSets, type LakeValuesRecord } from "../etl/evaluation/lake/evaluation-fingerprint.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { readTable } from "../etl/lake/table-reader.ts";
import { TABLES } from "../etl/lake/tables.ts";
import { contextStage } from "../etl/pipeline.ts";
import { defaultSettings } from "../etl/settings.ts";
import { buildFixtureLake, FIXTURE } from "./evaluation-fixture-lake.ts";
import { canonicalSource, projectRoot, SHARED_BOUNDARIES } from "./helpers/shared.ts";

const ID = "we-are-kursenai-drug-possession";
let lake: string;
let dir: string;
const settings = () => defaultSettings({ lakeDir: lake, municipalitiesGeoJson: SHARED_BOUNDARIES });

/** The evaluation tables' manifest entries (file → SHA-256): what the stage wrote, byte for byte. */
async function written(): Promise<Record<string, string>> {
  const manifest = await readManifest(lake, "Europe/Vilnius", 8);
  return Object.fromEntries(Object.entries(manifest.tables.evaluations ?? {}).map(([key, entry]) => [key, entry.sha256 ?? ""]));
}

/** Ingests `n` drug possessions on the 10th of `month` in Kuršėnai (or as recorded in another locality), as an export of its own. */
async function addMonth(month: string, n: number, locality = "Kuršėnai"): Promise<void> {
  const file = join(dir, `${month}-${locality}.csv`);
  const lines = Array.from({ length: n }, (_, i) =>
    [`K-${month}-${locality}-${i}`, `${month}-10T10:00:00Z`, "BK 259", "drug_possession", "pre_trial_investigation"]
      .concat([String(FIXTURE.kursenai.lat), String(FIXTURE.kursenai.lon), "Šiaulių r. sav.", locality, "test"])
      .join(","),
  );
  await writeFile(file, ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source", ...lines].join("\n"));
  await ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: Date.UTC(2026, 0, 1), source: await canonicalSource() });
}

beforeAll(async () => {
  lake = await buildFixtureLake();
  dir = await mkdtemp(join(tmpdir(), "evaluation-keep-"));
  await contextStage(settings(), {
    projectsJson: resolve(projectRoot, "data", "projects", "projects.json"),
    exposureCsv: resolve(projectRoot, "data", "context", "immigration.csv"),
  });
  // A month ingested as the months below will be, so that their source is already one of the lake's.
  await addMonth("2022-02", 1);
}, 120_000);
afterAll(async () => {
  await rm(dirname(lake), { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

describe("the evaluate stage keeps what nothing changed", () => {
  let first: Record<string, string>;

  it("records its fingerprints with every file, and keeps them all on a second run", async () => {
    const summary = await evaluateStage(settings());
    expect(summary.unchanged).toBeUndefined();
    first = await written();
    const entries = (await readManifest(lake, "Europe/Vilnius", 8)).tables.evaluations ?? {};
    expect(Object.values(entries).every((e) => /^[0-9a-f]{64}$/.test(e.input_sha256 ?? "") && /^[0-9a-f]{64}$/.test(e.parameters_sha256 ?? ""))).toBe(true);
    const again = await evaluateStage(settings());
    expect(again.unchanged).toMatch(/^the context tables/);
    // The kept summary says what the computed one said.
    expect({ ...again, unchanged: undefined }).toEqual({ ...summary, unchanged: undefined });
    expect(await written()).toEqual(first);
  }, 120_000);

  it("keeps them after a month beyond every period and history year, as a recomputation writes them", async () => {
    // The evaluation reads 2014-12 … 2022-01 (history 2015–2021, a month either side).
    await addMonth("2022-03", 4);
    expect((await evaluateStage(settings())).unchanged).toBeDefined();
    expect(await written()).toEqual(first);
    expect((await evaluateStage(settings(), { full: true })).unchanged).toBeUndefined();
    expect(await written()).toEqual(first);
  }, 120_000);

  it("recomputes after a late export of a month it reads, and the outcome changes", async () => {
    await addMonth("2019-05", 1);
    expect((await evaluateStage(settings())).unchanged).toBeUndefined();
    expect(await written()).not.toEqual(first);
    const outcomes = await withConnection((c) => readTable(c, lake, TABLES.evaluation_outcomes, { where: { sql: "evaluation = $e", params: { e: ID } } }));
    // Kuršėnai's drug possession in 2019: 5 + 3 in the fixture, one more pre-trial case now.
    expect(outcomes.find((o) => o.category === "drug_possession" && o.case_type === "all")).toMatchObject({ after: 9 });
  }, 120_000);

  it("recomputes when a month outside its periods brings a new locality (areas and refusals read the lake's localities)", async () => {
    const before = await written();
    expect((await evaluateStage(settings())).unchanged).toBeDefined();
    await addMonth("2022-04", 1, "Gruzdžiai");
    expect((await evaluateStage(settings())).unchanged).toBeUndefined();
    expect(Object.keys(await written()).sort()).toEqual(Object.keys(before).sort());
  }, 120_000);

  it("recomputes a refused evaluation whenever a month is added: the refusal names the lake's range", async () => {
    const projects = JSON.parse(await readFile(resolve(projectRoot, "data", "projects", "projects.json"), "utf8")) as {
      outcome_evaluations: Array<{ before: string }>;
    };
    projects.outcome_evaluations[0]!.before = "2016";
    const file = join(dir, "projects-2016.json");
    await writeFile(file, JSON.stringify(projects));
    await contextStage(settings(), { projectsJson: file, exposureCsv: resolve(projectRoot, "data", "context", "immigration.csv") });
    const refused = await evaluateStage(settings());
    expect(refused.evaluations[0]).toMatchObject({ ok: false, error: expect.stringContaining("(it holds 2017-01 … 2022-04)") });
    expect((await evaluateStage(settings())).unchanged).toBeDefined();
    await addMonth("2022-05", 1);
    const again = await evaluateStage(settings());
    expect(again.unchanged).toBeUndefined();
    expect(again.evaluations[0]).toMatchObject({ ok: false, error: expect.stringContaining("(it holds 2017-01 … 2022-05)") });
  }, 120_000);

  it("reads the lake's values only from months its record does not cover, and all of them when a covered partition changed", async () => {
    const manifest = await readManifest(lake, "Europe/Vilnius", 8);
    const record = manifest.parameters?.[LAKE_VALUES_KEY] as LakeValuesRecord;
    const months = [...new Set(Object.values(manifest.tables.day_counts ?? {}).map((e) => e.month))].sort();
    expect(record.months).toEqual(months);
    await withConnection(async (c) => {
      const fresh = (await lakeValueSets(c, lake, manifest)).values;
      expect(fresh.localities).toEqual(["Gruzdžiai", "Kairiai", "Kuršėnai", "Šiauliai"].sort());
      expect((await lakeValueSets(c, lake, manifest, record)).values).toEqual(fresh);
      // A marker in the record shows what is taken from it: all of it while its partitions are the lake's…
      const marked = { ...record, localities: [...record.localities, "Marker"] };
      expect((await lakeValueSets(c, lake, manifest, marked)).values.localities).toContain("Marker");
      // …the months after it read afresh (the last month dropped from the record: still the marker, and the month's values)…
      const shorter = { ...marked, months: record.months.slice(0, -1) };
      const partial = await lakeValueSets(c, lake, manifest, {
        ...shorter,
        partitions_sha256: (
          await lakeValueSets(c, lake, {
            ...manifest,
            tables: {
              ...manifest.tables,
              day_counts: Object.fromEntries(Object.entries(manifest.tables.day_counts ?? {}).filter(([, e]) => e.month !== months.at(-1))),
            },
          })
        ).record.partitions_sha256,
      });
      expect(partial.values.localities).toEqual([...fresh.localities, "Marker"].sort());
      // …and none of it once a partition it covered changed (a corrected export).
      expect((await lakeValueSets(c, lake, manifest, { ...marked, partitions_sha256: "another export" })).values).toEqual(fresh);
    });
  }, 120_000);
});
