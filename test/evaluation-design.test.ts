import { describe, expect, it } from "vitest";
import { evaluationDesign } from "../etl/evaluation/report/evaluation-design.ts";
import { rateDesign, type DesignFacts } from "../etl/evaluation/statistics/design-rating.ts";

// The levels as Farrington et al. (2002) define them, and the issue's own reading of the Kuršėnai
// design: a one-group before/after is level 2; with the rest of the district as comparison, which the
// project also reached, still level 2: level 3 needs a comparable untreated control.
const oneGroup: DesignFacts = {
  hasBefore: true,
  hasComparison: false,
  comparisonReached: null,
  treatedUnits: 1,
  comparisonUnits: 0,
  controlsOtherVariables: false,
  randomised: false,
  preMonths: 0,
};

describe("Maryland SMS design rating", () => {
  it("rates a one-group before/after as level 2 and names an untreated comparison area first among what would raise it", () => {
    const r = rateDesign(oneGroup);
    expect([r.level, r.at_best]).toEqual([2, false]);
    expect(r.label).toBe("Maryland SMS level 2: measures of crime before and after the programme, with no comparable control condition");
    expect(r.to_raise[0]).toBe("the same counts in a comparable area the project did not reach (level 3)");
    expect(r.to_raise[1]).toMatch(/^an interrupted time series over at least 24 months/);
  });

  it("rates a comparison area the project also reached as level 2, and an untreated or unstated one as level 3 at best, saying comparability is unchecked", () => {
    const reached = rateDesign({ ...oneGroup, hasComparison: true, comparisonReached: true, comparisonUnits: 1 });
    expect([reached.level, reached.at_best]).toEqual([2, false]);
    expect(reached.label.startsWith("Maryland SMS level 2:")).toBe(true);
    expect(reached.reason).toContain("is not an untreated control (level 3 needs one)");
    expect(reached.reason).toContain("understates any effect that reached both areas");
    expect(reached.to_raise[0]).toMatch(/^a comparison area the project did not reach.*\(level 3\)$/);
    const untreated = rateDesign({ ...oneGroup, hasComparison: true, comparisonReached: false, comparisonUnits: 1 });
    expect([untreated.level, untreated.at_best]).toEqual([3, true]);
    expect(untreated.reason).toContain("its comparability — similar counts and trend before the intervention — is not checked");
    expect(untreated.reason_lt).toContain("jos panašumas – panašūs skaičiai ir tendencija iki intervencijos – netikrintas");
    const unstated = rateDesign({ ...oneGroup, hasComparison: true, comparisonReached: null, comparisonUnits: 1 });
    expect([unstated.level, unstated.at_best]).toEqual([3, true]);
    expect(unstated.reason).toContain("is not stated");
  });

  it("needs several treated and comparison units with other influences controlled for level 4, and randomisation for level 5", () => {
    const multi = { ...oneGroup, hasComparison: true, comparisonReached: false, treatedUnits: 4, comparisonUnits: 12 };
    expect(rateDesign(multi).level).toBe(3);
    expect(rateDesign({ ...multi, controlsOtherVariables: true }).level).toBe(4);
    expect(rateDesign({ ...multi, randomised: true }).level).toBe(5);
    expect(rateDesign({ ...oneGroup, randomised: true }).to_raise).toEqual([]);
    expect(rateDesign({ ...oneGroup, hasBefore: false }).level).toBe(1);
  });

  it("does not list a time series among the steps once one over 24 pre-intervention months is modelled", () => {
    expect(rateDesign({ ...oneGroup, preMonths: 23 }).to_raise.some((s) => s.includes("interrupted time series"))).toBe(true);
    const its = rateDesign({ ...oneGroup, preMonths: 48 });
    expect(its.level).toBe(2);
    expect(its.to_raise.some((s) => s.includes("interrupted time series"))).toBe(false);
  });

  it("refuses impossible unit counts with the field named", () => {
    expect(() => rateDesign({ ...oneGroup, preMonths: -1 })).toThrow(/preMonths must be a non-negative integer, got -1/);
  });

  it("reads an evaluation result: with no comparison area, whether the project reached one does not matter", () => {
    expect(evaluationDesign({ control: null }, { comparisonReached: true }).level).toBe(2);
    const control = { kind: "municipality" as const, name: "Šiaulių r. sav.", selection: "x", included: "Šiaulių r. sav.", excluded: [] };
    expect(evaluationDesign({ control }, { comparisonReached: true }).level).toBe(2);
  });
});

describe("the design rating in Lithuanian", () => {
  it("words every level's label, reason and steps in Lithuanian, index by index with the English", () => {
    const designs = [
      rateDesign({ ...oneGroup, hasBefore: false }),
      rateDesign(oneGroup),
      rateDesign({ ...oneGroup, hasComparison: true, comparisonReached: true, comparisonUnits: 1 }),
      rateDesign({ ...oneGroup, hasComparison: true, comparisonReached: null, comparisonUnits: 1, preMonths: 36 }),
      rateDesign({ ...oneGroup, hasComparison: true, comparisonReached: false, treatedUnits: 3, comparisonUnits: 4, controlsOtherVariables: true }),
      rateDesign({ ...oneGroup, randomised: true }),
    ];
    expect(designs.map((d) => d.level)).toEqual([1, 2, 2, 3, 4, 5]);
    for (const d of designs) {
      expect(d.to_raise_lt).toHaveLength(d.to_raise.length);
      for (const [en, lt] of [[d.label, d.label_lt], [d.reason, d.reason_lt], ...d.to_raise.map((t, i) => [t, d.to_raise_lt[i]!])] as Array<[string, string]>) {
        expect(lt.length).toBeGreaterThan(20);
        expect(lt).not.toBe(en);
        expect(lt).not.toMatch(/\b(the|and|of|with|area|level)\b/);
      }
    }
    expect(designs[3]!.label_lt).toBe(
      "Merilendo mokslinių metodų skalė, ne aukščiau kaip 3 lygis: nusikalstamumas matuojamas prieš programą ir po jos – ir paveiktoje, ir panašioje kontrolinėje grupėje",
    );
    expect(designs[4]!.reason_lt).toContain("paveiktų vienetų – 3, palyginimo – 4");
    expect(designs[3]!.reason_lt).toContain("nenurodyta, ar projektas ją pasiekė");
  });
});
