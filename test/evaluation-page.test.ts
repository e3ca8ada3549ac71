/**
 * The Project evaluation page's verdict and CSV exports, in both languages, on a small project whose
 * figures are worked out by hand below (no browser, no build).
 */
import { describe, expect, it } from "vitest";
import type { EvaluationData, EvaluationIndicator, EvaluationOutcome } from "../dashboard/data-contract.js";
import { indicator } from "./helpers/evaluation-indicator.ts";
import { csvText } from "../dashboard/src/components/csv.js";
import { indicatorCsvColumns, outcomeCsvColumns } from "../dashboard/src/components/evaluation-exports.js";
import { projectVerdict } from "../dashboard/src/components/evaluation-verdict.js";
import { getHexagonAreaAvg } from "h3-js";
import { H3_MEAN_AREA_KM2, parseMethod, strings, type UnitNames } from "../dashboard/src/components/strings.js";

type Project = EvaluationData["projects"][number];

const units: UnitNames = { persons: { en: ["person", "persons"], lt: ["asmuo", "asmenys", "asmens", "asmenų"] } };

// Target 10,000 with no total, checkpoints adding up to over 11,000 (110 %); 538 of a target of 300;
// three results against a baseline (8 → 21 and 2 → 4 in the desired direction, 5 → 3 against it);
// one result with neither; one indicator with no figure at all.
const indicators = [
  indicator("people", {
    target: 10000,
    checkpoints: [
      {
        label: "Second half",
        month: "2019-12",
        value: 8000,
        basis: "in_period",
        qualifier: "more_than",
        cumulative: 11000,
        cumulative_qualifier: "more_than",
        percent_of_target: 110,
      },
    ],
  }),
  indicator("workshops", { target: 300, achieved: 538, achieved_qualifier: "exact", percent_of_target: 179.3, target_met: true }),
  indicator("meetings", {
    kind: "outcome",
    baseline: 8,
    baseline_period: "2018",
    achieved: 21,
    achieved_qualifier: "exact",
    change_from_baseline: 13,
    percent_change_from_baseline: 162.5,
    direction_met: true,
  }),
  indicator("lectures", {
    baseline: 2,
    achieved: 4,
    achieved_qualifier: "exact",
    change_from_baseline: 2,
    percent_change_from_baseline: 100,
    direction_met: true,
  }),
  indicator("fewer", {
    baseline: 5,
    achieved: 3,
    achieved_qualifier: "exact",
    change_from_baseline: -2,
    percent_change_from_baseline: -40,
    direction_met: false,
  }),
  indicator("trained", { achieved: 280, achieved_qualifier: "approximate" }),
  indicator("silent", {}),
];

const outcome: EvaluationOutcome = {
  category: "drug_possession",
  case_type: "all",
  desired_direction: "increase",
  before: 3,
  after: 8,
  before_scaled: 3,
  before_ci: [0.619, 8.767],
  after_ci: [3.454, 15.763],
  change: 5,
  percent_change: 166.7,
  rate_ratio: 2.6667,
  ci_low: 0.6458,
  ci_high: 15.6,
  exact_p: 0.2266,
  e_test_p: 0.1407,
  significant: false,
  direction_met: true,
  too_small_to_show_change: true,
  exposure: null,
  control: null,
};

const project: Project = {
  id: "p",
  title: "Project",
  country: "LT",
  promoter: null,
  programme: null,
  funding: null,
  period: { start: null, end: null },
  note: null,
  indicators,
  evaluations: [
    {
      id: "e",
      title: "Drug possession, 2018 → 2019",
      area: "Kuršėnai",
      control: "Šiaulių r. sav.",
      control_note: null,
      before: { label: "2018", first_month: "2018-01", last_month: "2018-12", days: 365 },
      after: { label: "2019", first_month: "2019-01", last_month: "2019-12", days: 365 },
      confidence_level: 0.95,
      outcomes: [outcome, { ...outcome, case_type: "pre_trial_investigation", before: 2, after: 5 }],
      history: [],
      exposure: null,
      cross_checks: [],
      caveats: [],
      error: null,
    },
  ],
};

describe("the evaluation verdict", () => {
  it("says in English what was targeted, what was reached and what the incident data can and cannot show", () => {
    const v = projectVerdict(project, strings("en"), units);
    expect(v.targeted).toEqual(["Indicator people: 10,000 persons (2019).", "Indicator workshops: 300 persons (2019)."]);
    expect(v.reached).toEqual([
      "Indicator people: no total is stated; the checkpoints add up to over 11,000 of 10,000 (≈ 110%).",
      "Indicator workshops: 538 of 300 (179%) — target exceeded.",
    ]);
    expect(v.others).toBe("4 results are stated without a target; 2 of the 3 with a baseline moved in the desired direction (see the indicators below).");
    expect(v.noFigure).toBe("One indicator states no figure at all.");
    expect(v.outcome).toHaveLength(1);
    // Only the all-case-types row speaks for the evaluation when there is one.
    expect(v.outcome[0]!.what).toBe("Drug possession in Kuršėnai: 3 (2018) → 8 (2019), in the desired direction (increase).");
    expect(v.outcome[0]!.can).toEqual(["Counts this small cannot tell a change of this size from chance: absence of evidence, not evidence of no effect."]);
    expect(v.outcome[0]!.cannot).toEqual([
      "What would have happened without the project, other than approximately: see the note on the comparison area.",
      "How much offending itself changed: registered cases also count reporting and police activity.",
    ]);
  });

  it("says it in Lithuanian with the Lithuanian names, agreeing units and no English left", () => {
    const tr = strings("lt");
    const v = projectVerdict(project, tr, units);
    expect(v.targeted).toEqual(["Rodiklis people: 10\u00a0000 asmenų (2019 m.).", "Rodiklis workshops: 300 asmenų (2019 m.)."]);
    expect(v.reached).toEqual([
      "Rodiklis people: bendra suma nenurodyta; tarpinių patikrų suma – daugiau nei 11\u00a0000 iš 10\u00a0000 (≈ 110\u00a0%).",
      "Rodiklis workshops: 538 iš 300 (179\u00a0%) – tikslas viršytas.",
    ]);
    expect(v.others).toBe("Be tikslo nurodytų rezultatų: 4; iš 3 su pradine reikšme pageidaujama kryptimi pasikeitė 2 (žr. rodiklius toliau).");
    expect(v.outcome[0]!.what).toBe("Narkotikų laikymas, Kuršėnai: 3 (2018) → 8 (2019), pageidaujama kryptimi (didėjimas).");
    expect(v.outcome[0]!.can).toEqual([
      "Tokie maži skaičiai negali atskirti tokio dydžio pokyčio nuo atsitiktinumo: tai įrodymų nebuvimas, o ne įrodymas, kad poveikio nėra.",
    ]);
    const all = [...v.targeted, ...v.reached, v.others, v.noFigure, ...v.outcome.flatMap((o) => [o.what, ...o.can, ...o.cannot])].join(" ");
    expect(all).not.toMatch(/\b(the|of|and|target|stated|persons)\b/);
  });

  it("says when the incident data do not cover the project, and when the evaluation failed", () => {
    const en = strings("en");
    expect(projectVerdict({ ...project, evaluations: [] }, en).outcome).toEqual([
      {
        what: "The incident data do not cover this project's area, so they can show nothing about its outcome; the figures are the project's own.",
        can: [],
        cannot: [],
      },
    ]);
    const failed = { ...project.evaluations[0]!, error: "no incidents in the area" };
    expect(projectVerdict({ ...project, evaluations: [failed] }, en).outcome[0]!.what).toBe(
      "Drug possession, 2018 → 2019: the evaluation could not be run (the reason is below).",
    );
    expect(projectVerdict({ ...project, indicators: [] }, en).targeted).toEqual(["The project's documents state no numeric target."]);
  });

  it("falls back to the data's own words where they give no Lithuanian", () => {
    const tr = strings("lt");
    expect(tr.dataText({ name: "Meetings", name_lt: "Susitikimai" }, "name")).toBe("Susitikimai");
    expect(tr.dataText({ name: "Meetings", name_lt: null }, "name")).toBe("Meetings");
    expect(strings("en").dataText({ name: "Meetings", name_lt: "Susitikimai" }, "name")).toBe("Meetings");
    expect(tr.unitLabel("persons", units)).toBe("asmenys");
    expect(tr.formatMonthRange("2019-01", "2019-12")).toBe("nuo 2019 m. sausio iki 2019 m. gruodžio");
    expect(tr.areaLabel("Šiaulių r. sav. excluding Kuršėnai and Kairiai")).toBe("Šiaulių r. sav. (neįskaitant: Kuršėnai, Kairiai)");
    expect(tr.areaLabel("polygon park.geojson excluding Kuršėnai")).toBe("daugiakampis park.geojson (neįskaitant: Kuršėnai)");
    expect(strings("en").areaLabel("Šiaulių r. sav. excluding Kuršėnai")).toBe("Šiaulių r. sav. excluding Kuršėnai");
    expect(tr.areaLabel("Kuršėnai")).toBe("Kuršėnai");
    expect(tr.areaLabel("ignored", { include: "Šiaulių r. sav.", exclude: ["Kuršėnai"] })).toBe("Šiaulių r. sav. (neįskaitant: Kuršėnai)");
    expect(["2019", "2017-11", "2019/2020", "2019-01-01/2019-06-30", null].map((p) => tr.formatPeriod(p))).toEqual([
      "2019 m.",
      "2017 m. lapkritis",
      "2019–2020 m.",
      "2019 m. sausis – 2019 m. birželis",
      null,
    ]);
    expect(strings("en").formatPeriod("2017-11")).toBe("November 2017");
    expect([tr.countryName("LT"), strings("en").countryName("RO"), tr.countryName("??")]).toEqual(["Lietuva", "Romania", "??"]);
    expect(tr.formatMonthRange(null, "2017-11")).toBe("iki 2017 m. lapkričio");
    expect(strings("en").formatMonthRange("2019-01", null)).toBe("from January 2019");
    expect(tr.unitLabel("meetings", units)).toBe("meetings");
    expect([1, 2, 10, 21].map((n) => tr.formatUnitCount(n, "persons", units))).toEqual(["1 asmuo", "2 asmenys", "10 asmenų", "21 asmuo"]);
    expect(strings("en").formatUnitCount(1, "persons", units)).toBe("1 person");
  });
});

describe("the verdict with the design rating, power and placebo tests of newer data", () => {
  const extras = {
    design: { level: 3, at_best: true, label: "Maryland SMS level 3 at best", reason: "x", to_raise: [] },
    placebo_tests: [
      {
        category: "drug_possession",
        kind: "in_space",
        estimate: 2.43,
        placebos: 7,
        compared: 7,
        rank: 3,
        p_value: 0.375,
        share_as_large: null,
        refused: null,
        items: [],
      },
    ],
  };
  const detectable = { power: 0.8, alpha: 0.05, rise_ratio: 5.0744, fall_ratio: null, wdd_cases: null, months_needed: [] };
  const evaluation = { ...project.evaluations[0]!, ...extras, outcomes: [{ ...outcome, detectable }] };
  const withExtras = { ...project, evaluations: [evaluation] } as Project;

  it("says how strong the design is, what the counts could have detected and where the change ranks among placebos", () => {
    expect(projectVerdict(withExtras, strings("en")).outcome[0]!.can).toEqual([
      "Counts this small cannot tell a change of this size from chance: absence of evidence, not evidence of no effect.",
      "How strong the design is: Maryland Scientific Methods Scale level 3 at best of 5 (before and after in the project area and in a comparable control area).",
      "What these counts could have detected with 80% power: a rise of at least +407%; no fall could have been detected.",
      "Against the same comparison in the data's other localities (placebos), this change ranks 3 of 8 by size (p = 0.375; with 8 localities p cannot go below 0.125).",
    ]);
    expect(projectVerdict(withExtras, strings("lt")).outcome[0]!.can.slice(1)).toEqual([
      "Kiek stiprus vertinimo planas: Merilendo mokslinių metodų skalės 3 lygis iš 5 (geriausiu atveju) – prieš ir po projekto teritorijoje ir palyginamojoje teritorijoje.",
      "Ką šie skaičiai galėjo aptikti su 80\u00a0% galia: ne mažesnį kaip +407\u00a0% padidėjimą; jokio sumažėjimo aptikti nebuvo įmanoma.",
      "Tas pats palyginimas kitose duomenų vietovėse (placebo testas): pagal pokyčio dydį ši teritorija yra 3 vietoje iš 8 (p = 0,375; kai vietovių 8, p negali būti mažesnė nei 0,125).",
    ]);
  });
});

describe("the evaluation CSV exports", () => {
  // The status the table shows for a change from the baseline (evaluation.md's statusText).
  type Statuses = { statuses: { change: (change: string, pct: string) => string } };
  const status = (tr: ReturnType<typeof strings>) => (i: EvaluationIndicator) =>
    i.change_from_baseline === null
      ? ""
      : (tr.evaluation as Statuses).statuses.change(tr.formatSigned(i.change_from_baseline), tr.formatPercent(i.percent_change_from_baseline));

  it("keeps qualifiers, periods and changes in their own columns, labels not codes, no guarded status cells (Lithuanian)", () => {
    const tr = strings("lt");
    const lines = csvText(indicators, indicatorCsvColumns(tr, { units, status: status(tr) }), { lang: "lt" }).split("\r\n");
    expect(lines[0]).toBe(
      "\uFEFFRodiklis;Rūšis;Vienetai;Pradinė reikšmė;Pradinės reikšmės laikotarpis;Tikslas;Pasiekta;Pasiekta: kaip nurodyta;Laikotarpis;% tikslo;" +
        "Pokytis nuo pradinės reikšmės;Pokytis nuo pradinės reikšmės, %;Pageidaujama kryptis;Būsena",
    );
    expect(lines[3]).toBe(
      "Rodiklis meetings;Rezultato rodiklis;asmenys;8;2018;;21;tiksliai;2019;;13;162,5;didėjimas;Pokytis nuo pradinės reikšmės: +13 (163\u00a0%)",
    );
    expect(lines[6]).toBe("Rodiklis trained;Proceso rodiklis;asmenys;;;;280;apie;2019;;;;didėjimas;");
    expect(lines[2]).toContain(";300;538;tiksliai;2019;179,3;");
    expect(lines.join("\n")).not.toContain("'");
  });

  it("writes English with commas, and the outcomes with the interval's bounds in two numeric columns", () => {
    const tr = strings("en");
    const text = csvText([outcome], outcomeCsvColumns(tr, { before: "2018", after: "2019", level: "95%" }), { lang: "en" });
    expect(text).toBe(
      '\uFEFFCategory,Case type,Before (2018),After (2019),Change,Rate ratio,"95% CI, lower","95% CI, upper",p (exact test),p (E-test),Desired direction\r\n' +
        "Drug possession,All case types,3,8,5,2.6667,0.6458,15.6,0.2266,0.1407,increase\r\n",
    );
    const lt = strings("lt");
    expect(csvText([outcome], outcomeCsvColumns(lt, { before: "2018", after: "2019", level: "95 %" }), { lang: "lt" }).split("\r\n")[1]).toBe(
      "Narkotikų laikymas;Visos bylų rūšys;3;8;5;2,6667;0,6458;15,6;0,2266;0,1407;didėjimas",
    );
  });
});

describe("Lithuanian grammar of the other pages' generated text", () => {
  it("makes incidents agree with the threshold and states the cell area of the resolution in use", () => {
    const lt = strings("lt");
    const en = strings("en");
    expect((lt.common as { suppressedFootnote: (k: number) => string }).suppressedFootnote(5)).toMatch(/^„Neskelbiama“: mažiau nei 5 įvykiai arba /);
    expect((lt.common as { suppressedFootnote: (k: number) => string }).suppressedFootnote(10)).toMatch(/^„Neskelbiama“: mažiau nei 10 įvykių arba /);
    expect((en.common as { suppressedFootnote: (k: number) => string }).suppressedFootnote(1)).toMatch(/^“Withheld”: fewer than 1 incident, or /);
    const grid = (tr: typeof lt) => (tr.map as { grid: (resolution: number) => string }).grid;
    expect(grid(lt)(8)).toMatch(/^8 lygio H3 šešiakampiai \(kiekvienas apie 0,74 km²\)/);
    expect(grid(en)(7)).toMatch(/^H3 hexagons of resolution 7 \(about 5.2 km² each\)/);
    expect(grid(en)(10)).toContain("about 0.015 km² each");
  });

  it("has the H3 mean cell areas of h3-js for every resolution", () => {
    expect(H3_MEAN_AREA_KM2).toHaveLength(16);
    H3_MEAN_AREA_KM2.forEach((area, resolution) => expect(area / getHexagonAreaAvg(resolution, "km2")).toBeCloseTo(1, 5));
  });
});

describe("forecast method names", () => {
  it("reads the backtest's method ids, nested ones included", () => {
    expect(parseMethod("last-month")).toEqual({ family: "last-month", parameters: {}, partner: null });
    expect(parseMethod("kde(b=1,h=inf)")).toEqual({ family: "kde", parameters: { b: "1", h: "inf" }, partner: null });
    expect(parseMethod("stacked(kde(b=1,h=24),w=0.25)")).toEqual({ family: "stacked", parameters: { w: "0.25" }, partner: "kde(b=1,h=24)" });
  });

  it("names every method in words in both languages, with the language's numbers, never as its id", () => {
    const lt = strings("lt");
    const en = strings("en");
    expect(lt.methodLabel("ewma(h=12)")).toBe("Visa istorija, sverta pagal senumą (pusėjimo trukmė 12 mėn.)");
    expect(en.methodLabel("ewma(h=inf)")).toBe("Age-weighted history, no decay");
    expect(lt.methodLabel("stacked(ewma(h=6),w=0.25)")).toBe(
      "Paskutinių 12 mėnesių įvykiai kartu su metodu „Visa istorija, sverta pagal senumą (pusėjimo trukmė 6 mėn.)“ (jo svoris 0,25)",
    );
    expect(en.methodLabel("self-exciting(b=1,h=24,theta=0.25)")).toBe("Near-repeat model (triggering weight 0.25, background half-life 24 months)");
    expect(lt.methodLabel("last-12-months")).toBe("Paskutinių 12 mėnesių įvykiai (bazinis)");
    expect(en.methodLabel("something-new(x=1)")).toBe("something-new(x=1)");
  });
});
