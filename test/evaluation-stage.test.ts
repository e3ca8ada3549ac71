import { rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { parametersFingerprint } from "../etl/analytics/hot-spot-freshness.ts";
import { evaluateStage, type EvaluateSummary } from "../etl/evaluation/lake/evaluate-stage.ts";
import { evaluationParameters } from "../etl/evaluation/lake/evaluation-fingerprint.ts";
import { saveEvaluation, saveProjectEvaluations } from "../etl/evaluation/lake/evaluation-tables.ts";
import { runEvaluation } from "../etl/evaluation/lake/run-evaluation.ts";
import { EXACT_TEST_RULE } from "../etl/evaluation/statistics/rate-ratio-test.ts";
import { readManifest, writeManifest } from "../etl/lake/manifest.ts";
import { readTable, tableFiles } from "../etl/lake/table-reader.ts";
import { TABLES, type LakeTable } from "../etl/lake/tables.ts";
import { contextStage } from "../etl/pipeline.ts";
import { evaluationData, type PublishedEvaluationData } from "../etl/publish/evaluation-data.ts";
import { defaultSettings } from "../etl/settings.ts";
import { buildFixtureLake } from "./evaluation-fixture-lake.ts";
import { projectRoot, SHARED_BOUNDARIES } from "./helpers/shared.ts";

// The evaluate stage on the fixture lake (2017–2019: Kuršėnai drug possession 3 → 8 in 2018 → 2019,
// Kairiai 8 → 6, Šiauliai none; placebos in the order municipality, locality) with the bundled projects, then publish's reader of its tables.
let lake: string;
let summary: EvaluateSummary;
let published: PublishedEvaluationData;
const ID = "we-are-kursenai-drug-possession";
const where = { where: { sql: "evaluation = $e", params: { e: ID } } };

beforeAll(async () => {
  lake = await buildFixtureLake();
  const settings = defaultSettings({ lakeDir: lake, municipalitiesGeoJson: SHARED_BOUNDARIES });
  await contextStage(settings, {
    projectsJson: resolve(projectRoot, "data", "projects", "projects.json"),
    exposureCsv: resolve(projectRoot, "data", "context", "immigration.csv"),
  });
  summary = await evaluateStage(settings);
  published = await withConnection((c) => evaluationData(c, { lakeDir: lake, sensitiveCategories: new Set(["domestic_violence"]) }));
}, 120_000);
afterAll(() => rm(dirname(lake), { recursive: true, force: true }));

describe("the evaluate stage", () => {
  it("evaluates every project of the context tables and writes its outcome rows", () => {
    expect(summary.projects).toBe(5);
    expect(summary.evaluations).toEqual([{ id: ID, project_id: "we-are", ok: true, error: null, lake_rows: 3 }]);
  });

  it("writes the run with its design rating, and the notes with what would raise it", async () => {
    const [run] = await withConnection((c) => readTable(c, lake, TABLES.evaluation_runs, where));
    expect(run).toMatchObject({
      evaluation_id: ID,
      area: "Kuršėnai",
      control_area: "Šiaulių r. sav. excluding Kuršėnai",
      // Its comparison area was reached by the project too (control_reached): not an untreated control, so level 2.
      design_level: 2,
      design_at_best: false,
    });
    const notes = await withConnection((c) => readTable(c, lake, TABLES.evaluation_notes, where));
    // Only 24 months precede 2019 in this lake and the series is too sparse: the ITS is refused, so it is among what would raise the design.
    expect(notes.filter((n) => n.kind === "design_to_raise").map((n) => n.text)).toEqual([
      "a comparison area the project did not reach, with similar counts and trend before the intervention (level 3)",
      expect.stringMatching(/^an interrupted time series over at least 24 months before the intervention/),
      expect.stringMatching(/^several treated and several untreated areas/),
    ]);
  });

  it("writes the interrupted time series, or why it is refused, over the monthly history", async () => {
    const [ts] = await withConnection((c) => readTable(c, lake, TABLES.evaluation_time_series, where));
    expect(ts).toMatchObject({
      category: "drug_possession",
      first_month: "2017-01",
      last_month: "2019-12",
      pre_months: 24,
      post_months: 12,
      total: 14,
      refused: true,
    });
    expect(ts!.reason).toMatch(/^too sparse: 14 cases in 36 months/);
    const monthly = await withConnection((c) => readTable(c, lake, TABLES.evaluation_monthly, where));
    expect(monthly).toHaveLength(36);
    expect(monthly.filter((m) => m.month!.startsWith("2019")).reduce((s, m) => s + m.count!, 0)).toBe(8);
  });

  it("ranks Kuršėnai's change among the lake's other localities: Kairiai 8 → 6, Šiauliai with no case refused", async () => {
    const tests = await withConnection((c) => readTable(c, lake, TABLES.evaluation_placebo_tests, where));
    // (8.5/3.5) against Kairiai's (6.5/8.5): |log 2.43| > |log 0.765|, so rank 1 of 2, p = 1/2.
    expect(tests.find((t) => t.kind === "in_space")).toMatchObject({ estimate: 17 / 7, placebos: 2, compared: 1, rank: 1, p_value: 0.5, share_as_large: 0 });
    const placebos = await withConnection((c) => readTable(c, lake, TABLES.evaluation_placebos, where));
    expect(placebos.filter((p) => p.kind === "in_space").map((p) => [p.label, p.before, p.after, p.reached, p.refused === null])).toEqual([
      ["Šiauliai", 0, 0, null, false],
      ["Kairiai", 8, 6, true, true],
    ]);
    expect(placebos.find((p) => p.label === "Kairiai")!.estimate).toBeCloseTo(6.5 / 8.5, 14);
  });

  it("stores power, minimum detectable effects and the count intervals with each outcome row", async () => {
    const rows = await withConnection((c) => readTable(c, lake, TABLES.evaluation_outcomes, where));
    const all = rows.find((r) => r.case_type === "all")!;
    expect([all.before, all.after, all.power, all.mde_fall_ratio]).toEqual([3, 8, 0.8, null]);
    // 3 before: the exact test detects a rise of ×5.07 with 80 % power (test/fixtures/power, R).
    expect(all.mde_rise_ratio).toBeCloseTo(5.0744, 4);
    expect(all.after_ci_low).toBeCloseTo(3.4538, 4);
    expect(all.after_ci_high).toBeCloseTo(15.7632, 4);
  });
  it("refuses a synthetic control of Kuršėnai, whose months before are too sparse for donor weights, and writes no weights", async () => {
    const [sc] = await withConnection((c) => readTable(c, lake, TABLES.evaluation_synthetic_control, where));
    // 6 cases in the 24 months before: fewer than the 20 the time series needs, so the weights would fit noise.
    expect(sc).toMatchObject({ category: "drug_possession", refused: true, donors: 2, pre_months: 24, post_months: 12, treated_post: null, ratio: null });
    expect(sc!.reason).toMatch(/^too sparse: the evaluation area has \d+ cases? in the 24 months before the intervention, fewer than the 20 /);
    expect(await withConnection((c) => readTable(c, lake, TABLES.evaluation_synthetic_weights, where))).toEqual([]);
    const monthly = await withConnection((c) => readTable(c, lake, TABLES.evaluation_monthly, where));
    expect(monthly.length).toBeGreaterThan(0);
    expect(monthly.every((m) => m.synthetic === null)).toBe(true);
    expect(sc).toMatchObject({ placebo_compared: null, placebo_rank: null, placebo_p_value: null });
  });
});

describe("publish's evaluation data read from the tables", () => {
  const evaluation = () => published.projects.find((p) => p.id === "we-are")!.evaluations[0]!;

  it("carries the design, detectable change, time series and placebo tests", () => {
    const ev = evaluation();
    expect([ev.area_parts, ev.control_parts]).toEqual([
      { include: "Kuršėnai", exclude: [] },
      { include: "Šiaulių r. sav.", exclude: ["Kuršėnai"] },
    ]);
    expect(ev.design).toMatchObject({ level: 2, at_best: false });
    expect(ev.design!.to_raise).toHaveLength(3);
    const all = ev.outcomes.find((o) => o.case_type === "all")!;
    expect(all.detectable).toMatchObject({ power: 0.8, alpha: 0.05, rise_ratio: 5.0744, fall_ratio: null });
    expect(all.displacement).toBeNull();
    expect(ev.time_series.map((t) => [t.category, t.refused, t.level_change])).toEqual([["drug_possession", true, null]]);
    expect(ev.placebo_tests.map((t) => [t.kind, t.rank, t.p_value, t.items.map((i) => i.label)])).toEqual([
      ["in_time", null, null, []],
      ["in_space", 1, 0.5, ["Šiauliai", "Kairiai"]],
    ]);
    expect(ev.synthetic_control.map((s) => [s.category, s.refused, s.donors])).toEqual([["drug_possession", true, 2]]);
    expect(ev.placebo_tests.find((t) => t.kind === "in_space")!.text).toBe(
      "In-space placebos of drug possession: the same before/after rate ratio in 1 other locality of the lake (it lies in the comparison area the project also reached, so it is not untreated); 1 without a case in either period left out. " +
        "The evaluation area's ×2.43 ranks 1 of 2 by size of change (permutation p = 0.5; the smallest possible with 1 placebo is 0.5).",
    );
    expect(ev.placebo_tests.find((t) => t.kind === "in_time")!.text).toMatch(/^In-time placebos: none, no time series was fitted: too sparse/);
    // Kuršėnai's drug possession is too sparse for donor weights (fewer cases before than the time series' floor).
    expect(ev.synthetic_control[0]!.text).toMatch(
      /^Synthetic control of drug possession: refused — too sparse: the evaluation area has \d+ cases? in the 24 months before/,
    );
    expect(ev.synthetic_control[0]!.reason_lt).toMatch(/^Per mažai atvejų: vertinamoje teritorijoje per 24 mėn\. iki intervencijos jų buvo \d+, o /);
  });

  it("publishes nothing of a sensitive category evaluated below a municipality: no rows, cross-checks, time series, placebos or weights", async () => {
    const guarded = await withConnection((c) => evaluationData(c, { lakeDir: lake, sensitiveCategories: new Set(["drug_possession"]) }));
    const ev = guarded.projects.find((p) => p.id === "we-are")!.evaluations[0]!;
    expect([ev.outcomes, ev.history, ev.cross_checks, ev.time_series, ev.placebo_tests, ev.synthetic_control]).toEqual([[], [], [], [], [], []]);
  });

  it("keeps the existing fields: counts, intervals, cross-checks and caveats", () => {
    const ev = evaluation();
    expect(ev).toMatchObject({ id: ID, area: "Kuršėnai", before: { label: "2018", first_month: "2018-01", last_month: "2018-12", days: 365 }, error: null });
    const all = ev.outcomes.find((o) => o.case_type === "all")!;
    expect([all.before, all.after, all.exact_p, all.after_ci]).toEqual([3, 8, 0.2266, [3.454, 15.763]]);
    // Kuršėnai lies in Šiauliai County, whose immigrants the bundled table counts: its rates stay (3/4021 and 8/5719 per 10,000).
    expect(all.exposure).toMatchObject({ before_rate: expect.closeTo(7.46, 2), after_rate: expect.closeTo(13.99, 2) });
    expect(ev.cross_checks.every((c) => c.agrees)).toBe(true);
    expect(ev.caveats.length).toBeGreaterThan(0);
    // Every caveat in Lithuanian too, index by index, and not the English copied.
    expect(ev.caveats_lt).toHaveLength(ev.caveats.length);
    ev.caveats.forEach((en, i) => {
      const lt = ev.caveats_lt![i]!;
      expect(lt.length).toBeGreaterThan(20);
      expect(lt).not.toBe(en);
    });
    expect(ev.design!.reason_lt).toMatch(/^lyginama prieš ir po, o palyginimo teritoriją projektas irgi pasiekė/);
    expect(ev.design!.to_raise_lt).toHaveLength(ev.design!.to_raise.length);
    expect(ev.design!.to_raise_lt.every((t, i) => t !== null && t !== ev.design!.to_raise[i])).toBe(true);
    for (const t of ev.time_series) if (t.refused) expect(t.reason_lt && t.reason_lt !== t.reason).toBe(true);
    for (const c of ev.synthetic_control) if (c.refused) expect(c.reason_lt && c.reason_lt !== c.reason).toBe(true);
    expect(ev.time_series_assumptions_lt).toHaveLength(ev.time_series_assumptions.length);
    expect(ev.time_series_assumptions_lt.every((t, i) => t !== null && t !== ev.time_series_assumptions[i])).toBe(true);
    // The exposure file's Lithuanian source column reaches the page data.
    expect(ev.exposure!.source_lt).toBe("osp.stat.gov.lt, cituojama We Are ECPA įraše (seeds/003_1e9882cbcd1d6245.txt)");
    expect(ev.caveats_lt).toContain(
      "Regresija į vidurkį: teritorija ar metai, pasirinkti dėl neįprastai didelio ar mažo atvejų skaičiaus, ir be jokios intervencijos linkę grįžti prie įprasto lygio.",
    );
    const indicators = published.projects.find((p) => p.id === "we-are")!.indicators;
    expect(indicators.find((i) => i.id === "we-are-trafficking-commission-municipalities")).toMatchObject({ achieved: 17, period: "2019-06" });
  });
});

// After the bundled context's checks: the same project with an exposure table of another county, which Kuršėnai does not lie in.
describe("an exposure table whose area does not hold the evaluation area", () => {
  it("gives no rate per exposure, and says why and what to give instead, in the stage's tables and on the page", async () => {
    const settings = defaultSettings({ lakeDir: lake, municipalitiesGeoJson: SHARED_BOUNDARIES });
    const exposureCsv = join(dirname(lake), "vilnius-county.csv");
    const rows = [2015, 2016, 2017, 2018, 2019].map(
      (y) => `LT011,Vilniaus apskritis,immigrants_registered,${y},9000,persons,osp.stat.gov.lt,Vilniaus m. sav.;Vilniaus r. sav.`,
    );
    await writeFile(exposureCsv, ["area_code,area_name,indicator,year,value,unit,source,covers", ...rows].join("\n") + "\n");
    await contextStage(settings, { projectsJson: resolve(projectRoot, "data", "projects", "projects.json"), exposureCsv });
    await evaluateStage(settings);
    const [run] = await withConnection((c) => readTable(c, lake, TABLES.evaluation_runs, where));
    expect(run!.exposure_indicator).toBeNull();
    const data = await withConnection((c) => evaluationData(c, { lakeDir: lake, sensitiveCategories: new Set(["domestic_violence"]) }));
    const ev = data.projects.find((p) => p.id === "we-are")!.evaluations.find((e) => e.id === ID)!;
    expect(ev.exposure).toBeNull();
    expect(ev.outcomes.every((o) => o.exposure === null)).toBe(true);
    expect(ev.caveats).toContainEqual(
      expect.stringMatching(
        /^No rates per exposure: the immigrants registered figures are for Vilniaus apskritis \(LT011\), which does not hold Kuršėnai \(its incidents lie in Šiaulių r\. sav\.\)/,
      ),
    );
    expect(ev.caveats_lt).toContainEqual(
      expect.stringMatching(/^Dažnių ekspozicijai nėra: .*„Vilniaus apskritis“ \(LT011\), kuri neapima vertinamos teritorijos \(Kuršėnai\)/),
    );
    expect(ev.outcomes.find((o) => o.case_type === "all")).toMatchObject({ before: 3, after: 8 });
  });
});

// The outcome rows' `sensitive` column and the caveat notes follow the configured sensitive categories, not the product's defaults.
describe("an evaluate run after the configured sensitive categories changed", () => {
  it("evaluates again and marks the outcome rows by the configured list; an unchanged configuration keeps the tables", async () => {
    const settings = defaultSettings({ lakeDir: lake, municipalitiesGeoJson: SHARED_BOUNDARIES });
    expect((await evaluateStage(settings)).unchanged).toBeDefined();
    // Drug possession is not among the defaults (domestic violence, sexual offences).
    expect((await evaluateStage({ ...settings, sensitiveCategories: ["drug_possession"] })).unchanged).toBeUndefined();
    const rows = await withConnection((c) => readTable(c, lake, TABLES.evaluation_outcomes, where));
    expect(rows.map((r) => [r.category, r.sensitive])).toEqual([
      ["drug_possession", true],
      ["drug_possession", true],
      ["drug_possession", true],
    ]);
  });
});

// A lake whose evaluations were written before the exact test's rule (p < α and the interval excluding 1) was among the parameters.
describe("an evaluate run on a lake evaluated under the earlier exact-test rule", () => {
  it("evaluates again, so that no row keeps a `significant` the rule no longer gives", async () => {
    const settings = {
      ...defaultSettings({ lakeDir: lake, municipalitiesGeoJson: SHARED_BOUNDARIES }),
      sensitiveCategories: ["drug_possession"],
    };
    expect((await evaluateStage(settings)).unchanged).toBeDefined();
    const manifest = await readManifest(lake, "Europe/Vilnius", 8);
    const { exact_test: rule, ...earlier } = await evaluationParameters(manifest, settings);
    expect(rule).toBe(EXACT_TEST_RULE);
    // What the stage recorded then: the same parameters without the rule.
    for (const entries of Object.values(manifest.tables))
      for (const entry of Object.values(entries)) if (entry.parameters_sha256) entry.parameters_sha256 = parametersFingerprint(earlier);
    await writeManifest(lake, manifest);
    expect((await evaluateStage(settings)).unchanged).toBeUndefined();
    expect((await evaluateStage(settings)).unchanged).toBeDefined();
  });
});

// Last, since it empties the tables: a run with no project left removes what the stage wrote, not an ad-hoc save.
describe("a later evaluate run", () => {
  it("replaces the stage's partitions and keeps the outcome partitions that evaluate --save wrote", async () => {
    const settings = defaultSettings({ lakeDir: lake, municipalitiesGeoJson: SHARED_BOUNDARIES });
    const result = await runEvaluation({
      ...settings,
      area: "locality:Kuršėnai",
      before: "2018",
      after: "2019",
      categories: ["drug_possession"],
      sensitive: new Set(),
    });
    await saveEvaluation(lake, "adhoc-kursenai", null, result, new Set());
    await saveProjectEvaluations(lake, [], { replace: true, sensitive: new Set() });
    const partitions = async (table: LakeTable) =>
      [...new Set((await tableFiles(lake, table)).map((key) => /(?:evaluation|project)=([^/]+)\//.exec(key)?.[1]))].sort();
    expect(await partitions(TABLES.evaluation_outcomes)).toEqual(["adhoc-kursenai"]);
    for (const table of [TABLES.evaluation_runs, TABLES.evaluation_time_series, TABLES.evaluation_synthetic_weights, TABLES.evaluation_indicators])
      expect(await partitions(table), table.name).toEqual([]);
  });
});
