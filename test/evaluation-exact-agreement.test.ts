/**
 * An evaluation never calls a change significant while its own interval includes no change: R's
 * minlike p-value and the Clopper–Pearson interval it reports disagree at the border, often with
 * unequal periods (Fay 2010), and a change is shown only where both reject.
 */
import { describe, expect, it } from "vitest";
import type { EvaluationData, EvaluationOutcome } from "../dashboard/data-contract.js";
import { projectVerdict } from "../dashboard/src/components/evaluation-verdict.js";
import { strings } from "../dashboard/src/components/strings.js";
import { caveatText, evaluationCaveatCodes } from "../etl/evaluation/statistics/caveats.ts";
import { categorySummaries } from "../etl/evaluation/statistics/category-summary.ts";
import { detectableChange } from "../etl/evaluation/statistics/detectable-change.ts";
import type { Period } from "../etl/evaluation/statistics/evaluation-period.ts";
import { evaluateOutcome } from "../etl/evaluation/statistics/outcome-evaluation.ts";
import type { OutcomeRow } from "../etl/evaluation/statistics/outcome-row.ts";
import { rejectionRegions } from "../etl/evaluation/statistics/power.ts";
import { exactTestReading, rateRatioTest } from "../etl/evaluation/statistics/rate-ratio-test.ts";
import { tooSmallToShowChange } from "../etl/evaluation/statistics/verdict.ts";

const period = (label: string, days: number): Period => ({ label, windows: [], days });

/** The outcome row of `before → after` over periods of `tb` and `ta` days, as the evaluation computes it. */
function row(before: number, after: number, tb: number, ta: number): OutcomeRow {
  const key = "theft|all";
  return evaluateOutcome("theft", "all", {
    before: period("before", tb),
    after: period("after", ta),
    treated: new Map([[key, { before, after }]]),
    control: null,
    buffer: null,
    bufferControl: null,
    exposure: null,
    confidenceLevel: 0.95,
  });
}

// Where R's p is below 0.05 but its own 95 % interval of the rate ratio includes 1 (R 4.2.2
// poisson.test(c(after, before), T = c(ta, tb)) prints these p-values and intervals).
const BORDER = [
  { what: "0 → 3 in 365/182 days", before: 0, after: 3, tb: 365, ta: 182, p: 0.0368, ci: "0.829 to ∞" },
  { what: "3 → 5 in 549/182 days", before: 3, after: 5, tb: 549, ta: 182, p: 0.0268, ci: "0.978 to 32.4" },
  { what: "9 → 0 in 365/182 days", before: 9, after: 0, tb: 365, ta: 182, p: 0.0344, ci: "0 to 1.02" },
];

describe("the exact test at the border where its p-value and interval disagree", () => {
  it.each(BORDER)("$what: p < 0.05 stays reported, but the change is borderline, not significant", (c) => {
    const test = rateRatioTest(c.before, c.after, c.tb, c.ta);
    expect(Math.abs(test.pValue - c.p)).toBeLessThan(5e-5);
    expect(test.lower <= 1 && test.upper >= 1).toBe(true);
    expect(exactTestReading(test, 0.05)).toBe("borderline");

    const r = row(c.before, c.after, c.tb, c.ta);
    expect(r.exact_test.p_value).toBe(test.pValue);
    expect(r.significant).toBe(false);
    const p = c.p.toFixed(3);
    const borderline = `Borderline: the exact test's p = ${p} is below 0.05 but its 95 % interval of the rate ratio, ${c.ci}, includes no change: the two exact methods disagree at this border; treat the change as unconfirmed`;
    expect(r.verdict).toContain(`${borderline} (E-test p = `);
    expect(r.verdict).not.toMatch(/statistically significant at|Counts this small/);
    expect(categorySummaries([r])[0]).toContain(`but not significant at the 5 % level. ${borderline}.`);
  });

  it("calls a change significant where both agree, and not where neither rejects", () => {
    expect(exactTestReading(rateRatioTest(2, 12, 365, 365), 0.05)).toBe("change");
    expect(row(2, 12, 365, 365).significant).toBe(true);
    expect(exactTestReading(rateRatioTest(3, 8), 0.05)).toBe("no_change");
    expect(row(3, 8, 365, 365).verdict).toContain("Counts this small cannot show a significant change");
  });

  it("changes nothing with equal periods, where the two exact methods agree on every split", () => {
    for (let n = 0; n <= 150; n++) {
      for (let a = 0; a <= n; a++) {
        const t = rateRatioTest(n - a, a, 365, 365);
        expect(exactTestReading(t, 0.05) === "change", `${n - a} → ${a}`).toBe(t.pValue < 0.05);
      }
    }
  });
});

describe("detectable splits and power regions follow the same rule", () => {
  it("equal an independent brute force over every split, for every total up to 120 and five exposure pairs", () => {
    let differsFromPAlone = 0;
    for (const [eb, ea] of [
      [365, 365],
      [365, 182],
      [549, 182],
      [182, 365],
      [276, 92],
    ] as const) {
      const region = rejectionRegions(eb, ea, 0.05);
      for (let n = 0; n <= 120; n++) {
        // Every split, each judged on its own figures: p < α and the interval excludes 1.
        const shown: number[] = [];
        for (let a = 0; a <= n; a++) {
          const t = rateRatioTest(n - a, a, eb, ea);
          if (t.pValue < 0.05 && (t.lower > 1 || t.upper < 1)) shown.push(a);
          else if (t.pValue < 0.05) differsFromPAlone++;
        }
        const { rise, fall } = region(n);
        const expected = Array.from({ length: n + 1 }, (_, a) => a).filter((a) => a >= rise || a <= fall);
        expect(shown, `n = ${n}, exposures ${eb}/${ea}`).toEqual(expected);
        const d = detectableChange(n, eb, ea, 0.05);
        expect({ rise: d.increase?.after ?? n + 1, fall: d.decrease?.after ?? -1 }, `n = ${n}, exposures ${eb}/${ea}`).toEqual({ rise, fall });
      }
    }
    // The grid holds splits where p alone would have rejected: the rule is exercised, not vacuous.
    expect(differsFromPAlone).toBeGreaterThan(0);
  });

  it("says counts too small, not significant, for the three border cases' totals where no split shows a change", () => {
    // 0 → 3 in 365/182 days: with 3 cases not even 0 → 3 shows a change by both methods.
    expect(detectableChange(3, 365, 182).increase).toBeNull();
    expect(tooSmallToShowChange(row(0, 3, 365, 182))).toBe(true);
  });
});

describe("a borderline change whose counts are also too small", () => {
  const context = (rows: OutcomeRow[]) => ({
    rows,
    hasControl: false,
    hasBuffer: false,
    hasBufferControl: false,
    sameSeason: false,
    controlBorders: null,
    seasonsDiffer: null,
    beforeDays: 365,
    afterDays: 182,
    sources: ["other"],
    exposure: null,
  });

  it.each(BORDER)("$what: its verdict says why it is unconfirmed, and the small-counts caveat does not contradict it", (c) => {
    const r = row(c.before, c.after, c.tb, c.ta);
    // A small row that is not borderline keeps the caveat: 1 → 2 in the same periods.
    const small = row(1, 2, c.tb, c.ta);
    expect([tooSmallToShowChange(small), exactTestReading(rateRatioTest(1, 2, c.tb, c.ta), 0.05)]).toEqual([true, "no_change"]);
    const codes = evaluationCaveatCodes(context([r, small]));
    const caveat = codes.find((k) => k.code === "small_counts");
    expect(caveat && "params" in caveat ? caveat.params.rows.map((x) => `${x.before} → ${x.after}`) : []).toEqual(["1 → 2"]);
    for (const lang of ["en", "lt"] as const) {
      const texts = codes.map((k) => caveatText(lang, k)).join(" ");
      expect(texts, lang).not.toContain(`${c.before} → ${c.after}`);
    }
    if (tooSmallToShowChange(r)) expect(evaluationCaveatCodes(context([r])).map((k) => k.code)).not.toContain("small_counts");
  });
});

describe("the dashboard's verdict on a borderline change", () => {
  const r = row(0, 3, 365, 182);
  const outcome: EvaluationOutcome = {
    category: "drug_possession",
    case_type: "all",
    desired_direction: "decrease",
    before: r.before,
    after: r.after,
    before_scaled: r.before_scaled,
    before_ci: [0, 1.8],
    after_ci: [0.6, 8.8],
    change: r.change,
    percent_change: r.percent_change,
    rate_ratio: r.rate_ratio,
    ci_low: r.exact_test.ci_low,
    ci_high: r.exact_test.ci_high,
    exact_p: r.exact_test.p_value,
    e_test_p: r.e_test.p_value,
    significant: r.significant,
    direction_met: r.direction_met,
    too_small_to_show_change: tooSmallToShowChange(r),
    exposure: null,
    control: null,
  };
  const project: EvaluationData["projects"][number] = {
    id: "p",
    title: "Project",
    country: "LT",
    promoter: null,
    programme: null,
    funding: null,
    period: { start: null, end: null },
    note: null,
    indicators: [],
    evaluations: [
      {
        id: "e",
        title: "Drug possession",
        area: "Kuršėnai",
        control: null,
        control_note: null,
        before: { label: "2018", first_month: "2018-01", last_month: "2018-12", days: 365 },
        after: { label: "2019 H1", first_month: "2019-01", last_month: "2019-06", days: 182 },
        confidence_level: 0.95,
        outcomes: [outcome],
        history: [],
        exposure: null,
        cross_checks: [],
        caveats: [],
        error: null,
      },
    ],
  };

  it("says it plainly in English and in Lithuanian, with the row's p-value and interval", () => {
    expect(projectVerdict(project, strings("en")).outcome[0]!.can[0]).toBe(
      "Borderline: the exact test's p = 0.037 is below 0.05 but its 95% interval of the rate ratio, 0.83 to ∞, includes no change: the two exact methods disagree at this border; treat the change as unconfirmed.",
    );
    const lt = projectVerdict(project, strings("lt")).outcome[0]!.can[0]!;
    expect(lt).toBe(
      "Ribinis atvejis: tiksliojo testo p = 0,037 mažesnė nei 0,05, tačiau jo 95\u00a0% pasikliautinasis dažnių santykio intervalas (nuo 0,83 iki ∞) apima ir „pokyčio nėra“: ties šia riba du tikslieji metodai nesutaria, todėl pokytis laikytinas nepatvirtintu.",
    );
    expect(lt).not.toMatch(/\b(the|of|and|but|is|below)\b/);
  });
});
