/**
 * An evaluation's "all offences" must not give a sensitive category away. Where the release rule
 * withholds the sensitive categories (an area it counts in is not a whole municipality:
 * release-rules.ts excludedFromEvaluationAll), "all" is counted without every configured sensitive
 * category, whichever categories the evaluation asked for; otherwise "all" less the published
 * categories is the withheld count (Kuršėnai: all 4 → 9, robbery 1 → 1, so drug possession 3 → 8).
 *
 * The test is differential: two lakes that differ only in their drug possession incidents (drug
 * possession configured sensitive, not a default) must publish the same evaluation data and write the
 * same report files for every evaluation with an area below a municipality — then no published number
 * depends on, and none can give, the sensitive counts. A whole-municipality evaluation keeps "all" whole.
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { releaseNoteApart } from "../dashboard/src/components/evaluation-verdict.js";
import { strings } from "../dashboard/src/components/strings.js";
import { withConnection } from "../etl/duckdb/connection.ts";
import { evaluateStage } from "../etl/evaluation/lake/evaluate-stage.ts";
import { crossCheckReading } from "../etl/evaluation/lake/project-report.ts";
import { runEvaluation } from "../etl/evaluation/lake/run-evaluation.ts";
import { evaluationDesign } from "../etl/evaluation/report/evaluation-design.ts";
import { evaluationText } from "../etl/evaluation/report/evaluation-summary.ts";
import { writeProjectReports } from "../etl/evaluation/report/write-project-reports.ts";
import { contextStage } from "../etl/pipeline.ts";
import { evaluationData } from "../etl/publish/evaluation-data.ts";
import { releaseRules, withheldInEvaluation } from "../etl/publish/release-rules.ts";
import { readTable } from "../etl/lake/table-reader.ts";
import { TABLES } from "../etl/lake/tables.ts";
import { defaultSettings } from "../etl/settings.ts";
import { buildFixtureLake } from "./evaluation-fixture-lake.ts";
import { projectRoot, SHARED_BOUNDARIES } from "./helpers/shared.ts";

const SENSITIVE = "drug_possession";
const CITY = "municipality:Šiaulių m. sav.";
const base = { project_id: "we-are", before: "2018", after: "2019", indicators: {}, exposure: null, history: { first: 2017, last: 2019 } };
// Below a municipality: a locality against the city, the city against a locality (its control's "all" would give the count).
const BELOW = [
  { ...base, id: "kursenai-all", title: "Kuršėnai, all", area: "locality:Kuršėnai", control: CITY, categories: ["all", "robbery"] },
  { ...base, id: "city-vs-kursenai-all", title: "City against Kuršėnai", area: CITY, control: "locality:Kuršėnai", categories: ["all", "robbery", SENSITIVE] },
  { ...base, id: "kursenai-drugs-all", title: "Kuršėnai, drug possession", area: "locality:Kuršėnai", control: CITY, categories: [SENSITIVE, "all"] },
];
// The project's own figure for Kuršėnai, every pre-trial investigation (drug possession 2 → 5 and robbery 1 → 1 in the fixture):
// beside it, an "all" without drug possession (1 → 1) would give drug possession's count, 3 − 1 = 2 and 6 − 1 = 5.
const FIGURE = {
  id: "fixture-kursenai-all-pretrial",
  project_id: "we-are",
  name: "Pre-trial investigations, all offences, Kuršėnai",
  kind: "outcome",
  unit: "cases",
  baseline: 3,
  baseline_period: "2018",
  target: null,
  achieved: 6,
  achieved_qualifier: "exact",
  period: "2019",
  desired_direction: "decrease",
  checkpoints: [],
  source_document: "003_1e9882cbcd1d6245.txt",
  source_quote: "A figure of the test fixture.",
  note: null,
};
const BESIDE = {
  ...base,
  id: "kursenai-all-beside-figure",
  title: "Kuršėnai, all, beside the project's figure",
  area: "locality:Kuršėnai",
  control: CITY,
  categories: ["all", "robbery"],
  indicators: { pre_trial_investigation: FIGURE.id },
};
const WHOLE = {
  ...base,
  id: "city-vs-district",
  title: "City against district",
  area: CITY,
  control: "municipality:Šiaulių r. sav.",
  categories: ["all", "fraud", "robbery", "theft", SENSITIVE],
};

type Published = Awaited<ReturnType<typeof evaluationData>>["projects"][number]["evaluations"];
const runs: Array<{ lake: string; out: string; evaluations: Published }> = [];

/** A fixture lake (with `moreDrugs` drug possession cases a year in each locality) evaluated, published and reported. */
async function publish(moreDrugs: number): Promise<{ lake: string; out: string; evaluations: Published }> {
  const lake = await buildFixtureLake({ moreDrugs });
  const projects = JSON.parse(await readFile(resolve(projectRoot, "data", "projects", "projects.json"), "utf8")) as {
    outcome_evaluations: unknown[];
    indicators: unknown[];
  };
  projects.indicators.push(FIGURE);
  projects.outcome_evaluations.push(...BELOW, BESIDE, WHOLE);
  const projectsJson = join(dirname(lake), "projects.json");
  await writeFile(projectsJson, JSON.stringify(projects));
  const settings = defaultSettings({
    lakeDir: lake,
    municipalitiesGeoJson: SHARED_BOUNDARIES,
    sensitiveCategories: [SENSITIVE],
  });
  const exposureCsv = resolve(projectRoot, "data", "context", "immigration.csv");
  await contextStage(settings, { projectsJson, exposureCsv });
  await evaluateStage(settings);
  const data = await withConnection((c) => evaluationData(c, { lakeDir: lake, sensitiveCategories: releaseRules(settings).sensitive }));
  // The shared report of the evaluations below a municipality only (the whole-municipality one differs, as it may).
  const reportProjects = join(dirname(lake), "report-projects.json");
  await writeFile(reportProjects, JSON.stringify({ ...projects, outcome_evaluations: [...BELOW, BESIDE] }));
  const out = await mkdtemp(join(tmpdir(), "reports-all-"));
  await writeProjectReports({ settings, outDir: out, projectsFile: reportProjects, exposureFile: exposureCsv, projectIds: ["we-are"] });
  return { lake, out, evaluations: data.projects.find((p) => p.id === "we-are")!.evaluations };
}

beforeAll(async () => {
  runs.push(await publish(0), await publish(2));
}, 240_000);
afterAll(async () => {
  for (const { lake, out } of runs) {
    await rm(dirname(lake), { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  }
});

const evaluation = (run: number, id: string) => runs[run]!.evaluations.find((e) => e.id === id)!;

describe('an evaluation\'s "all offences" with an area below a municipality', () => {
  it("publishes the same figures whatever the sensitive category's counts", () => {
    for (const { id } of BELOW) {
      const [a, b] = [evaluation(0, id), evaluation(1, id)];
      expect(a.error, id).toBeNull();
      expect(
        a.outcomes.some((o) => o.category === "all"),
        id,
      ).toBe(true);
      // Every published field: outcomes, history, time series, placebos, synthetic control, cross-checks, caveats.
      expect(b, id).toEqual(a);
      expect(a.all_excludes, id).toEqual([SENSITIVE]);
    }
    // The reproduction: Kuršėnai's "all" is robbery alone, and no administrative-offence row of drug possession alone is left.
    const all = evaluation(0, "kursenai-all").outcomes.filter((o) => o.category === "all");
    expect(all.map((o) => [o.case_type, o.before, o.after])).toEqual([
      ["all", 1, 1],
      ["pre_trial_investigation", 1, 1],
    ]);
  });

  it("writes the same report files whatever the sensitive category's counts", () => {
    const files = readdirSync(join(runs[0]!.out, "we-are")).filter((f) => !f.endsWith(".docx"));
    expect(files).toContain("evaluation.md");
    for (const file of files) {
      const [a, b] = runs.map(({ out }) => readFileSync(join(out, "we-are", file), "utf8"));
      expect(b, file).toEqual(a);
    }
    const md = readFileSync(join(runs[0]!.out, "we-are", "evaluation.md"), "utf8");
    expect(md).toContain("“All offences” here means all offences except drug possession");
    const ecpa = readFileSync(join(runs[0]!.out, "we-are", "ecpa-draft.lt.md"), "utf8");
    expect(ecpa).toContain("„Visos kategorijos“ šiame vertinime neapima šių kategorijų: narkotikų laikymas");
  });

  it("is labelled as all offences except the sensitive ones, the reason said once, in both languages", () => {
    const ev = evaluation(0, "kursenai-all");
    // No sensitive category asked: "all" alone names it, with the reason.
    expect(ev.withheld_categories).toEqual([]);
    expect(ev.caveats.at(-1)).toMatch(/^“All offences” here means all offences except drug possession: .*is not a whole municipality/);
    expect(ev.caveats_lt?.at(-1)).toMatch(/^„Visos kategorijos“ šiame vertinime neapima šių kategorijų: narkotikų laikymas\. .*nėra visa savivaldybė/);
    // Withheld and left out of "all": one caveat, the reason once.
    const both = evaluation(0, "city-vs-kursenai-all");
    expect(both.withheld_categories).toEqual([SENSITIVE]);
    const note = both.caveats.at(-1)!;
    expect(note).toMatch(/^Withheld: drug possession — .*“All offences” here means all offences except drug possession, for the same reason\.$/);
    expect(note.match(/not a whole municipality/g)).toHaveLength(1);
    expect(both.caveats_lt!.at(-1)!.match(/nėra visa savivaldybė/g)).toHaveLength(1);
    // The page says it beside the areas in the same sentence, and leaves it out of the caveats below.
    for (const ev of [evaluation(0, "kursenai-all"), both]) {
      const { note, caveats } = releaseNoteApart(ev);
      expect(note).toEqual({ en: ev.caveats.at(-1), lt: ev.caveats_lt!.at(-1) });
      expect(caveats.map((c) => c.en)).toEqual(ev.caveats.slice(0, -1));
    }
  });

  it("is said by `hotspots evaluate` in the sentence the reports and the dashboard use", async () => {
    const spec = BELOW.find((b) => b.id === "kursenai-all")!;
    const result = await runEvaluation({
      lakeDir: runs[0]!.lake,
      timeZone: "Europe/Vilnius",
      resolution: 8,
      municipalitiesGeoJson: SHARED_BOUNDARIES,
      area: spec.area,
      control: spec.control,
      before: spec.before,
      after: spec.after,
      categories: spec.categories,
      sensitive: new Set([SENSITIVE]),
    });
    expect(result.all_excludes).toEqual([SENSITIVE]);
    const text = evaluationText({ ...result, design: evaluationDesign(result, { comparisonReached: null, preMonths: 0 }) });
    const published = evaluation(0, "kursenai-all").caveats.at(-1)!;
    expect(published).toMatch(/^“All offences” here means all offences except drug possession/);
    expect(text).toContain(`  - ${published}`);
    // The Markdown report escapes what would start markup (sensitive\_categories).
    const md = readFileSync(join(runs[0]!.out, "we-are", "evaluation.md"), "utf8").replace(/\\([\\`*_[\]<>#])/g, "$1");
    expect(md).toContain(published);
    // Without the exclusion there is nothing to say.
    expect(evaluationText({ ...result, all_excludes: [], design: evaluationDesign(result, { comparisonReached: null, preMonths: 0 }) })).not.toContain(
      "All offences” here",
    );
  });
});

/** Every object of a published value that is of `category`, by path. */
function ofCategory(value: unknown, category: string, path = "$"): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => ofCategory(v, category, `${path}[${i}]`));
  if (!value || typeof value !== "object") return [];
  const own = (value as Record<string, unknown>).category === category ? [path] : [];
  return [...own, ...Object.entries(value).flatMap(([k, v]) => ofCategory(v, category, `${path}.${k}`))];
}

describe('an "all offences" counted without the sensitive categories, beside the project\'s own figure for the area', () => {
  it("is in the lake, where the project's figure less it is the sensitive count", async () => {
    const checks = await withConnection((c) =>
      readTable(c, runs[0]!.lake, TABLES.evaluation_cross_checks, { where: { sql: "evaluation = $e", params: { e: BESIDE.id } } }),
    );
    // What the release would have set side by side: 3 − 1 and 6 − 1, Kuršėnai's drug possession pre-trial investigations (2 → 5).
    expect(checks).toMatchObject([{ seed_before: 3, seed_after: 6, lake_before: 1, lake_after: 1, lake_excludes: JSON.stringify([SENSITIVE]) }]);
  });

  it("publishes no figure of it in the evaluation data, nor the cross-check, and says why in both languages", () => {
    const ev = evaluation(0, BESIDE.id);
    expect(ev.error).toBeNull();
    // Outcome rows, history, time series, placebo tests, synthetic control: none of "all".
    expect(ofCategory(ev, "all")).toEqual([]);
    expect(ev.cross_checks).toEqual([]);
    expect(ev.outcomes.map((o) => o.category)).toContain("robbery");
    expect(ev.withheld_categories).toEqual(["all"]);
    expect(ev.all_excludes).toEqual([SENSITIVE]);
    expect(ev.caveats.at(-1)).toMatch(/^“All offences” is withheld: it would be counted without drug possession, and the project publishes its own figure/);
    expect(ev.caveats.at(-1)).toMatch(/is not a whole municipality/);
    expect(ev.caveats_lt?.at(-1)).toMatch(
      /^Nepateikiamos „visos kategorijos“: jos būtų skaičiuojamos be šių kategorijų: narkotikų laikymas\. Projektas pats skelbia/,
    );
    // Nothing of it depends on the sensitive counts: the other lake publishes the same.
    expect(evaluation(1, BESIDE.id)).toEqual(ev);
    // The page shows the sentence beside the areas.
    expect(releaseNoteApart(ev).note).toEqual({ en: ev.caveats.at(-1), lt: ev.caveats_lt!.at(-1) });
  });

  it("writes no figure of it in the shared report files", () => {
    const dir = join(runs[0]!.out, "we-are");
    const tests = readFileSync(join(dir, "outcome-tests.csv"), "utf8").split("\n");
    const header = tests[0]!.replace(/^\uFEFF/, "").split(",");
    const rows = tests.slice(1).filter((l) => l.startsWith(`${BESIDE.id},`));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((l) => l.split(",")[header.indexOf("category")])).not.toContain("all");
    expect(readdirSync(dir).filter((f) => f.startsWith(`${BESIDE.id}-all`))).toEqual([]);
    const md = readFileSync(join(dir, "evaluation.md"), "utf8").replace(/\\([\\`*_[\]<>#])/g, "$1");
    // The cross-check's table row (indicator, case type, 3 → 6 beside 1 → 1) is gone; the caveat says why.
    expect(md).not.toContain(`| ${FIGURE.id} |`);
    expect(md).toContain("“All offences” is withheld: it would be counted without drug possession");
    const ecpa = readFileSync(join(dir, "ecpa-draft.lt.md"), "utf8");
    expect(ecpa).toContain("Nepateikiamos „visos kategorijos“: jos būtų skaičiuojamos be šių kategorijų: narkotikų laikymas.");
  });

  it("is withheld by the release rule only where it leaves categories out and the project states a figure for the area", () => {
    const rules = { sensitive: new Set([SENSITIVE]) };
    const [locality, municipality] = [{ kind: "locality" }, { kind: "municipality" }];
    const beside = { excludes: [SENSITIVE], projectFigures: [FIGURE.id] };
    expect(withheldInEvaluation(["all", "robbery", SENSITIVE], [locality, municipality, null, null], beside, rules)).toEqual(["all", SENSITIVE]);
    // No figure of the project's, or an "all" that left nothing out (a lake without the sensitive category): "all" stays.
    expect(withheldInEvaluation(["all", "robbery"], [locality, municipality, null, null], { ...beside, projectFigures: [] }, rules)).toEqual([]);
    expect(withheldInEvaluation(["all", "robbery"], [locality, municipality, null, null], { ...beside, excludes: [] }, rules)).toEqual([]);
    expect(withheldInEvaluation(["all", "robbery"], [municipality, municipality, null, null], { ...beside, excludes: [] }, rules)).toEqual([]);
  });
});

describe("a cross-check's reading", () => {
  it("is not called a disagreement on the page where the exclusion alone could explain the difference", () => {
    for (const lang of ["en", "lt"] as const) {
      const tr = strings(lang);
      const text = tr.evaluation.crossCheck("x", "2", "5", "1", "1", "excluded", tr.categoryList([SENSITIVE]));
      expect(text).toContain(tr.categoryLabel(SENSITIVE));
      expect(text).not.toMatch(lang === "en" ? /they differ/ : /nesutampa/);
    }
  });

  it("reads as a difference where the lake counts more than the project even without them, or the project gives no figure", () => {
    const check = { seed_before: 2, seed_after: 5, lake_before: 1, lake_after: 1, agrees: false, lake_excludes: [SENSITIVE] };
    expect(crossCheckReading(check)).toBe("excluded");
    expect(crossCheckReading({ ...check, lake_after: 6 })).toBe("differs");
    expect(crossCheckReading({ ...check, seed_before: null })).toBe("differs");
    expect(crossCheckReading({ ...check, lake_excludes: [] })).toBe("differs");
    expect(crossCheckReading({ ...check, lake_before: 2, lake_after: 5, agrees: true })).toBe("agrees");
  });
});

describe('a whole-municipality evaluation\'s "all offences"', () => {
  it("counts every category, the sensitive one included, and says nothing is left out", () => {
    const ev = evaluation(0, WHOLE.id);
    expect(ev.error).toBeNull();
    expect(ev.all_excludes).toEqual([]);
    expect(ev.withheld_categories).toEqual([]);
    const rows = ev.outcomes.filter((o) => o.case_type === "all");
    const all = rows.find((o) => o.category === "all")!;
    const parts = rows.filter((o) => o.category !== "all");
    expect(parts.map((o) => o.category)).toContain(SENSITIVE);
    for (const side of ["before", "after"] as const) {
      expect(all[side]).toBe(parts.reduce((s, o) => s + o[side], 0));
      expect(all.control![side]).toBe(parts.reduce((s, o) => s + o.control![side], 0));
    }
    expect(ev.caveats.some((c) => c.includes("All offences” here"))).toBe(false);
    // The other lake's drug possession counts show in it, as a whole municipality's totals may.
    expect(evaluation(1, WHOLE.id).outcomes.find((o) => o.category === "all" && o.case_type === "all")!.control!.before).toBeGreaterThan(all.control!.before);
  });
});

describe('a whole-municipality evaluation\'s "all offences", per locality', () => {
  it('publishes no donor weight or placebo estimate of a locality, as its "all" counts the sensitive category', async () => {
    const ev = evaluation(0, WHOLE.id);
    const placebos = ev.placebo_tests.find((t) => t.category === "all" && t.kind === "in_space")!;
    const synthetic = ev.synthetic_control.find((s) => s.category === "all")!;
    // The localities the test ranks and the donors are there (Kuršėnai, Kairiai), only their figures are not.
    expect(placebos.compared).toBeGreaterThan(0);
    expect(placebos.items).toEqual([]);
    expect(synthetic.refused).toBe(false);
    expect(synthetic.weights).toEqual([]);
    expect(synthetic.text).toBeNull();
    // A single-category one, with no sensitive category in it, keeps them.
    expect(ev.placebo_tests.find((t) => t.category === "robbery" && t.kind === "in_space")!.items.length).toBeGreaterThan(0);
    // The shared report names no donor's weight either.
    const out = await mkdtemp(join(tmpdir(), "reports-whole-"));
    try {
      const projectsJson = join(dirname(runs[0]!.lake), "projects.json");
      const projects = JSON.parse(await readFile(projectsJson, "utf8")) as Record<string, unknown>;
      const whole = join(dirname(runs[0]!.lake), "whole-projects.json");
      await writeFile(whole, JSON.stringify({ ...projects, outcome_evaluations: [WHOLE] }));
      const settings = defaultSettings({
        lakeDir: runs[0]!.lake,
        municipalitiesGeoJson: SHARED_BOUNDARIES,
        sensitiveCategories: [SENSITIVE],
      });
      const exposureFile = resolve(projectRoot, "data", "context", "immigration.csv");
      await writeProjectReports({ settings, outDir: out, projectsFile: whole, exposureFile, projectIds: ["we-are"] });
      const md = readFileSync(join(out, "we-are", "evaluation.md"), "utf8");
      const line = md.split("\n").find((l) => l.startsWith("Synthetic control of all offences"))!;
      expect(line).toMatch(/other localities weighted to reproduce the \d+ months before the intervention; /);
      expect(line).not.toMatch(/Kuršėnai|Kairiai|%/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});
