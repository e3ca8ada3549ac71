import { gridRing, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { borderingCells } from "../etl/evaluation/statistics/bordering-cells.ts";
import { caveatText, evaluationCaveatCodes, evaluationCaveats, testedComparisons, type Caveat } from "../etl/evaluation/statistics/caveats.ts";
import { reportKeys, tallyPeriods } from "../etl/evaluation/statistics/count-table.ts";
import { parsePeriod } from "../etl/evaluation/statistics/evaluation-period.ts";
import { evaluateOutcome } from "../etl/evaluation/statistics/outcome-evaluation.ts";

// One of each caveat code, with figures, so both languages' tables are exercised entry by entry.
const EVERY: Caveat[] = [
  { code: "no_control" },
  { code: "control_borders", params: { bordering: 5, cells: 8 } },
  { code: "wdd_normal_approximation" },
  { code: "buffer_needs_control" },
  { code: "no_buffer_control" },
  { code: "regression_to_the_mean" },
  { code: "small_counts", params: { rows: [{ category: "drug_possession", case_type: "pre_trial_investigation", before: 3, after: 8 }] } },
  { code: "many_tests", params: { tested: 4, alpha: 0.05 } },
  { code: "detection", params: { category: "drug_possession" } },
  { code: "period_lengths", params: { before_days: 365, after_days: 366 } },
  { code: "same_season" },
  { code: "seasons_differ", params: { before: "2017-01/2017-06", after: "2017-07/2018-12" } },
  {
    code: "pre_trend",
    params: {
      category: "robbery",
      trend: "falling",
      intervention_month: "2020-01",
      ratio: 0.992,
      ci_low: 0.986,
      ci_high: 0.997,
      confidence_level: 0.95,
      level_ratio: 0.787,
      level_p: 0.271,
    },
  },
  { code: "exposure_area", params: { indicator: "immigrants_registered", area_name: "Šiaulių r. sav.", area_code: "LT-SIR" } },
  { code: "synthetic_source", params: { source: "siauliai-demo" } },
];

describe("evaluation caveats in English and Lithuanian", () => {
  it("words every caveat code in both languages, the Lithuanian its own sentence", () => {
    for (const caveat of EVERY) {
      const en = caveatText("en", caveat);
      const lt = caveatText("lt", caveat);
      expect(en.length, caveat.code).toBeGreaterThan(40);
      expect(lt.length, caveat.code).toBeGreaterThan(40);
      expect(lt, caveat.code).not.toBe(en);
      // No English function words left in the Lithuanian.
      expect(lt, caveat.code).not.toMatch(/\b(the|and|of|cannot|with|not)\b/);
    }
  });

  it("keeps the published English wording and puts the figures in the Lithuanian", () => {
    const small = EVERY[6]!;
    expect(caveatText("en", small)).toBe(
      "Counts this small cannot show a significant change — drug possession (pre-trial investigations, 3 → 8): the tests cannot tell a real change from chance unless the rate changes several-fold, so a non-significant result there is absence of evidence, not evidence that nothing changed.",
    );
    expect(caveatText("lt", small)).toContain("narkotikų laikymas (ikiteisminiai tyrimai, 3 → 8)");
    expect(caveatText("en", EVERY[7]!)).toBe(
      "4 p-values are shown for the before/after comparisons — each offence category and case type by the exact test and the E-test, and where given by the WDD and the rate per exposure (a total and its case types overlap) — besides any time-series and placebo tests: at the 5 % level about one in 20 looks significant by chance alone, so a single significant result among many is weak evidence.",
    );
    expect(caveatText("lt", EVERY[7]!)).toContain("Esant 5 % reikšmingumo lygmeniui, maždaug vienas iš 20");
    expect(caveatText("lt", EVERY[9]!)).toContain("(365 ir 366 d.)");
    expect(caveatText("lt", EVERY[13]!)).toContain("Ekspozicija (registruoti imigrantai) – teritorijos „Šiaulių r. sav.“ (LT-SIR)");
  });

  it("lists only the caveats that apply, the English as evaluationCaveats returns it", () => {
    const context = {
      rows: [],
      hasControl: true,
      hasBuffer: true,
      hasBufferControl: false,
      sameSeason: true,
      controlBorders: null,
      seasonsDiffer: null,
      beforeDays: 365,
      afterDays: 365,
      sources: ["other"],
      exposure: null,
    };
    const codes = evaluationCaveatCodes(context).map((c) => c.code);
    expect(codes).toEqual(["wdd_normal_approximation", "no_buffer_control", "regression_to_the_mean", "same_season"]);
    expect(evaluationCaveats(context)).toEqual(evaluationCaveatCodes(context).map((c) => caveatText("en", c)));
  });

  it("counts every p-value a row shows (exact test, E-test, WDD, exposure), case types included, but not a row with no incidents", () => {
    const [before, after] = [parsePeriod("2018"), parsePeriod("2019")];
    const daily = [
      { day: "2018-03-10", category: "theft", case_type: "pre_trial_investigation", count: 12 },
      { day: "2019-03-10", category: "theft", case_type: "pre_trial_investigation", count: 20 },
      { day: "2018-05-10", category: "theft", case_type: "administrative_offence", count: 4 },
      { day: "2019-05-10", category: "theft", case_type: "administrative_offence", count: 9 },
      { day: "2018-07-10", category: "fraud", case_type: "pre_trial_investigation", count: 0 },
    ];
    const treated = tallyPeriods(daily, before, after);
    const inputs = { before, after, treated, control: null, buffer: null, bufferControl: null, exposure: null, confidenceLevel: 0.95 };
    const rows = reportKeys([treated], ["theft", "fraud"]).map((k) => evaluateOutcome(k.category, k.case_type, inputs));
    const context = {
      rows,
      hasControl: false,
      hasBuffer: false,
      hasBufferControl: false,
      sameSeason: false,
      controlBorders: null,
      seasonsDiffer: null,
      beforeDays: before.days,
      afterDays: after.days,
      sources: [],
      exposure: null,
    };
    // theft: all, pre-trial, administrative — three rows, each with the exact test and the E-test; fraud 0 → 0 is none.
    expect(evaluationCaveatCodes(context).find((c) => c.code === "many_tests")).toEqual({ code: "many_tests", params: { tested: 6, alpha: 1 - 0.95 } });
    // A comparison area adds each row's WDD, an exposure each row's rate test.
    const withControl = rows.map((r) => ({ ...r, control: r.before + r.after > 0 ? ({} as NonNullable<(typeof r)["control"]>) : null }));
    expect(testedComparisons(withControl)).toBe(9);
    expect(testedComparisons(withControl.map((r) => ({ ...r, exposure: {} as NonNullable<(typeof r)["exposure"]> })))).toBe(12);
  });

  it("says when the periods weigh the months of the year differently, in both languages with the periods", () => {
    const context = {
      rows: [],
      hasControl: false,
      hasBuffer: false,
      hasBufferControl: false,
      sameSeason: false,
      controlBorders: null,
      seasonsDiffer: { before: "2017-01/2017-06", after: "2017-07/2018-12" },
      beforeDays: 181,
      afterDays: 549,
      sources: [],
      exposure: null,
    };
    const caveat = evaluationCaveatCodes(context).find((c) => c.code === "seasons_differ")!;
    expect(caveatText("en", caveat)).toMatch(
      /^The before period \(2017-01\/2017-06\) and the after period \(2017-07\/2018-12\) cover the months .*--same-season/,
    );
    expect(caveatText("lt", caveat)).toMatch(/^Laikotarpiai „prieš“ \(2017-01\/2017-06\) ir „po“ \(2017-07\/2018-12\).*sezono/);
    expect(evaluationCaveatCodes({ ...context, seasonsDiffer: null }).map((c) => c.code)).not.toContain("seasons_differ");
  });
});

describe("borderingCells", () => {
  it("finds a comparison area's cells that are or touch the evaluation area's, one ring out", () => {
    const centre = latLngToCell(54.6872, 25.2797, 8);
    const [ring1, ring2] = [gridRing(centre, 1), gridRing(centre, 2)];
    expect(borderingCells([centre], [...ring1.slice(0, 2), ...ring2])).toEqual(ring1.slice(0, 2));
    expect(borderingCells([centre], ring2)).toEqual([]);
    expect(borderingCells([centre], [centre])).toEqual([centre]);
  });
});
