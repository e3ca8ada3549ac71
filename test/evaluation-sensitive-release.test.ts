/**
 * One release rule for a sensitive category in an outcome evaluation (release-rules.ts
 * withheldInEvaluation): its figures leave the lake only where every area the evaluation counts in is
 * a whole municipality. A municipality evaluated against a locality control would otherwise publish
 * the locality's counts of the category. The project's configured sensitive list decides, not the
 * product's defaults: drug possession, sensitive here, is not among them.
 */
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SENSITIVE_CATEGORIES } from "../etl/config.ts";
import { releaseNoteApart } from "../dashboard/src/components/evaluation-verdict.js";
import { withConnection } from "../etl/duckdb/connection.ts";
import { evaluateStage } from "../etl/evaluation/lake/evaluate-stage.ts";
import { readTable, tableFiles } from "../etl/lake/table-reader.ts";
import { TABLES } from "../etl/lake/tables.ts";
import { contextStage } from "../etl/pipeline.ts";
import { evaluationData } from "../etl/publish/evaluation-data.ts";
import { releaseRules, withheldInEvaluation } from "../etl/publish/release-rules.ts";
import { defaultSettings } from "../etl/settings.ts";
import { buildFixtureLake } from "./evaluation-fixture-lake.ts";
import { projectRoot, SHARED_BOUNDARIES } from "./helpers/shared.ts";

const SENSITIVE = "drug_possession";
// The fixture lake (evaluation-fixture-lake.ts): Kuršėnai, a locality of the district, has drug possession 3 → 8 in 2018 → 2019;
// the city (Šiaulių m. sav.) has theft and none; the rest of the district (Kairiai) drug possession 8 → 6.
const spec = (id: string, control: string) => ({
  id,
  project_id: "we-are",
  title: `Šiauliai city against ${control}`,
  area: "municipality:Šiaulių m. sav.",
  control,
  before: "2018",
  after: "2019",
  categories: ["theft", SENSITIVE],
  // A cross-check sets a project's figure beside the lake's count of one row of the case type: here theft's or drug possession's.
  indicators: { pre_trial_investigation: "we-are-kursenai-drug-pretrial" },
  exposure: null,
  history: { first: 2017, last: 2019 },
});
const AGAINST_LOCALITY = "city-against-kursenai";
const AGAINST_MUNICIPALITY = "city-against-district";
// Its "all offences" too: counted without the sensitive categories configured when it ran.
const WITH_ALL = "city-against-kursenai-all";

let lake: string;
let settings: ReturnType<typeof defaultSettings>;
let evaluations: Awaited<ReturnType<typeof evaluationData>>["projects"][number]["evaluations"];

beforeAll(async () => {
  lake = await buildFixtureLake();
  const projects = JSON.parse(await readFile(resolve(projectRoot, "data", "projects", "projects.json"), "utf8")) as { outcome_evaluations: unknown[] };
  projects.outcome_evaluations.push(spec(AGAINST_LOCALITY, "locality:Kuršėnai"), spec(AGAINST_MUNICIPALITY, "municipality:Šiaulių r. sav."), {
    ...spec(WITH_ALL, "locality:Kuršėnai"),
    categories: ["all", "theft"],
  });
  const projectsJson = join(dirname(lake), "projects.json");
  await writeFile(projectsJson, JSON.stringify(projects));
  settings = defaultSettings({
    lakeDir: lake,
    municipalitiesGeoJson: SHARED_BOUNDARIES,
    sensitiveCategories: [SENSITIVE],
  });
  await contextStage(settings, { projectsJson, exposureCsv: resolve(projectRoot, "data", "context", "immigration.csv") });
  await evaluateStage(settings);
  const data = await withConnection((c) => evaluationData(c, { lakeDir: lake, sensitiveCategories: releaseRules(settings).sensitive }));
  evaluations = data.projects.find((p) => p.id === "we-are")!.evaluations;
}, 120_000);
afterAll(() => rm(dirname(lake), { recursive: true, force: true }));

const evaluation = (id: string) => evaluations.find((e) => e.id === id)!;

/** Every place in a published value that carries the category's figures: an object of that category, or a text naming it. */
function sensitiveFigures(value: unknown, category: string, names: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v === "string") {
      if (names.some((n) => v.toLowerCase().includes(n))) found.push(`${path}: ${v}`);
    } else if (Array.isArray(v)) v.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (v && typeof v === "object") {
      if ((v as Record<string, unknown>).category === category) found.push(`${path} is of ${category}`);
      for (const [k, item] of Object.entries(v)) walk(item, `${path}.${k}`);
    }
  };
  walk(value, "$");
  return found;
}

describe("a sensitive category in an outcome evaluation", () => {
  it("is withheld unless every area counted is a whole municipality", () => {
    const rules = { sensitive: new Set([SENSITIVE]) };
    const municipality = { kind: "municipality" };
    const NO_FIGURE = { excludes: [], projectFigures: [] };
    expect(withheldInEvaluation(["theft", SENSITIVE], [municipality, municipality, null, null], NO_FIGURE, rules)).toEqual([]);
    for (const other of ["locality", "polygon", "cells", null]) {
      expect(withheldInEvaluation(["theft", SENSITIVE], [municipality, { kind: other }, null, null], NO_FIGURE, rules), String(other)).toEqual([SENSITIVE]);
      expect(withheldInEvaluation([SENSITIVE], [municipality, municipality, { kind: other }, null], NO_FIGURE, rules), String(other)).toEqual([SENSITIVE]);
      expect(withheldInEvaluation([SENSITIVE], [{ kind: other }, null, null, null], NO_FIGURE, rules), String(other)).toEqual([SENSITIVE]);
    }
  });

  it("publishes none of its figures for a municipality against a locality control, and says so in both languages", () => {
    expect(SENSITIVE_CATEGORIES.has(SENSITIVE)).toBe(false);
    const ev = evaluation(AGAINST_LOCALITY);
    expect(ev.error).toBeNull();
    expect(ev.control).toMatch(/^Kuršėnai/);
    // The other category is published as computed.
    expect(ev.outcomes.map((o) => o.category)).toContain("theft");
    expect(ev.history.map((h) => h.category)).toContain("theft");
    const { caveats, caveats_lt, withheld_categories, ...figures } = ev;
    expect(sensitiveFigures(figures, SENSITIVE, ["drug possession", "narkotikų"])).toEqual([]);
    expect(withheld_categories).toEqual([SENSITIVE]);
    expect(figures.cross_checks).toEqual([]);
    // The caveats name the category once: to say that it is withheld.
    expect(caveats.filter((c) => c.includes("drug possession"))).toEqual([expect.stringMatching(/^Withheld: drug possession — a sensitive category/)]);
    expect((caveats_lt ?? []).filter((c) => c?.includes("narkotikų"))).toEqual([expect.stringMatching(/^Nepateikiama: narkotikų laikymas/)]);
    // The page says it beside the areas, in the page's language: the last caveat, as the reports word it.
    const { note } = releaseNoteApart(ev);
    expect(note?.en).toMatch(/^Withheld: drug possession/);
    expect(note?.lt).toMatch(/^Nepateikiama: narkotikų laikymas/);
  });

  it("publishes its figures for a municipality against a municipality: both are whole municipalities' totals", () => {
    const ev = evaluation(AGAINST_MUNICIPALITY);
    expect(ev.error).toBeNull();
    expect(ev.withheld_categories).toEqual([]);
    expect(ev.cross_checks.map((c) => c.case_type)).toEqual(["pre_trial_investigation"]);
    expect(ev.outcomes.find((o) => o.category === SENSITIVE && o.case_type === "all")).toMatchObject({
      before: 0,
      after: 0,
      control: { before: 11, after: 14 },
    });
    expect(ev.caveats.some((c) => c.startsWith("Withheld"))).toBe(false);
  });

  it("marks the lake's outcome rows sensitive by the configured list", async () => {
    const rows = await withConnection((c) =>
      readTable(c, lake, TABLES.evaluation_outcomes, { where: { sql: "evaluation = $e", params: { e: AGAINST_LOCALITY } } }),
    );
    expect(new Set(rows.map((r) => `${r.category} ${r.sensitive}`))).toEqual(new Set([`${SENSITIVE} true`, "theft false"]));
  });

  it('is not published with an "all" counted before a category was configured sensitive: publish refuses, naming the re-run', async () => {
    // Robbery sensitive now, not when the lake's evaluations ran: a locality's "all" may hold its counts.
    const publish = withConnection((c) => evaluationData(c, { lakeDir: lake, sensitiveCategories: new Set([SENSITIVE, "robbery"]) }));
    await expect(publish).rejects.toThrow(
      `evaluation ${WITH_ALL} was run before robbery was configured sensitive, so its "all offences" may hold its counts; run \`hotspots run --no-ingest\``,
    );
  });

  // Last, since it rewrites the lake's runs as an older version wrote them.
  it("is not published from runs written before the columns its rule reads: publish refuses, naming the command that evaluates again", async () => {
    const publish = () => withConnection((c) => evaluationData(c, { lakeDir: lake, sensitiveCategories: releaseRules(settings).sensitive }));
    const columns = ["control_kind", "buffer_kind", "buffer_control_kind", "all_excludes"];
    await withConnection(async (c) => {
      for (const key of await tableFiles(lake, TABLES.evaluation_runs)) {
        const path = join(lake, ...key.split("/"));
        await c.run(`COPY (SELECT * EXCLUDE (${columns.join(", ")}) FROM read_parquet('${path}')) TO '${path}.old' (FORMAT parquet)`);
        await rename(`${path}.old`, path);
      }
    });
    // Read without them, a missing buffer kind would pass for "no buffer", and a locality's "all" for one without the sensitive categories.
    await expect(publish()).rejects.toThrow(
      /run\.parquet has no column control_kind, buffer_kind, buffer_control_kind, all_excludes: .*run `hotspots run --no-ingest`/,
    );
    await evaluateStage(settings);
    const again = (await publish()).projects.find((p) => p.id === "we-are")!.evaluations.find((e) => e.id === AGAINST_LOCALITY)!;
    expect(again.withheld_categories).toEqual([SENSITIVE]);
  }, 120_000);

  it("is not published from cross-checks written before they said what the lake's figure leaves out", async () => {
    const publish = () => withConnection((c) => evaluationData(c, { lakeDir: lake, sensitiveCategories: releaseRules(settings).sensitive }));
    const files = await tableFiles(lake, TABLES.evaluation_cross_checks);
    expect(files.length).toBeGreaterThan(0);
    await withConnection(async (c) => {
      for (const key of files) {
        const path = join(lake, ...key.split("/"));
        await c.run(`COPY (SELECT * EXCLUDE (lake_excludes) FROM read_parquet('${path}')) TO '${path}.old' (FORMAT parquet)`);
        await rename(`${path}.old`, path);
      }
    });
    await expect(publish()).rejects.toThrow(/cross_checks\.parquet has no column lake_excludes: .*a disagreement; run `hotspots run --no-ingest`/);
    await evaluateStage(settings);
    expect((await publish()).projects.find((p) => p.id === "we-are")!.evaluations.find((e) => e.id === AGAINST_MUNICIPALITY)!.cross_checks).toHaveLength(1);
  }, 120_000);
});
