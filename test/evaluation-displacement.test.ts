import { describe, expect, it } from "vitest";
import { weightedDisplacementDifference } from "../etl/evaluation/statistics/weighted-displacement-difference.ts";
import { weightedDisplacementQuotient } from "../etl/evaluation/statistics/weighted-displacement-quotient.ts";

describe("weighted displacement quotient and total net effect (Bowers & Johnson 2003)", () => {
  // ../shared/reference/README.md: R 8→3, C 100→95, D 20→18 gives WDQ = 0.217391 and TNE = 5.6.
  const example = weightedDisplacementQuotient({ before: 8, after: 3 }, { before: 20, after: 18 }, { before: 100, after: 95 });

  it("reproduces the reference example: WDQ = 0.217391 (exactly 5/23), TNE = 5.6", () => {
    expect(Math.abs(example.wdq - 0.217391)).toBeLessThanOrEqual(5e-7);
    expect(Math.abs(example.wdq - 5 / 23)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(example.tne - 5.6)).toBeLessThanOrEqual(1e-9);
  });

  it("returns the success and buffer measures it divides", () => {
    expect(Math.abs(example.successMeasure - (3 / 95 - 8 / 100))).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(example.bufferMeasure - (18 / 95 - 20 / 100))).toBeLessThanOrEqual(1e-12);
    expect(example.reading).toBe("diffusion_of_benefits");
  });

  it("reads displacement, net harm and an uninterpretable denominator", () => {
    const control = { before: 100, after: 100 };
    const treated = { before: 20, after: 10 };
    expect(weightedDisplacementQuotient(treated, { before: 20, after: 25 }, control).reading).toBe("displacement_less_than_direct_effect");
    expect(weightedDisplacementQuotient(treated, { before: 20, after: 35 }, control).reading).toBe("displacement_greater_than_direct_effect");
    expect(weightedDisplacementQuotient(treated, { before: 20, after: 5 }, control).reading).toBe("diffusion_greater_than_direct_effect");
    expect(weightedDisplacementQuotient(treated, { before: 20, after: 20 }, control).reading).toBe("no_displacement_or_diffusion");
    // The treated area rose relative to the control: the WDQ is computed but not read.
    expect(weightedDisplacementQuotient({ before: 10, after: 20 }, { before: 20, after: 25 }, control).reading).toBe("not_interpretable");
    const empty = weightedDisplacementQuotient(treated, { before: 1, after: 1 }, { before: 0, after: 5 });
    expect(empty.wdq).toBeNaN();
    expect(empty.reading).toBe("not_interpretable");
  });
});

describe("weighted displacement difference (Wheeler & Ratcliffe 2018)", () => {
  it("reproduces the paper's example: WDD = −118, variance 1568, z = −2.98, 95 % CI [−196, −40]", () => {
    const r = weightedDisplacementDifference({
      treated: { before: 207, after: 110 },
      control: { before: 308, after: 318 },
      displacement: { before: 178, after: 157 },
      displacementControl: { before: 150, after: 140 },
    });
    expect(r.total.estimate).toBe(-118);
    expect(Math.abs(r.total.se - Math.sqrt(1568))).toBeLessThanOrEqual(1e-9);
    expect(r.z.toFixed(2)).toBe("-2.98");
    expect([Math.round(r.lower), Math.round(r.upper)]).toEqual([-196, -40]);
    expect(r.local.estimate).toBe(-107);
    expect(r.displacement?.estimate).toBe(-11);
    // R 4.2.2: 2 * pnorm(-118 / sqrt(1568))
    expect(Math.abs(r.pValue - 0.00288295430498064)).toBeLessThanOrEqual(1e-9);
  });

  it("weights unequal periods (2 years before, 1 after) as Wheeler (2021): −20 with variance 115", () => {
    const r = weightedDisplacementDifference({ treated: { before: 80, after: 20 }, control: { before: 100, after: 50 }, timeWeights: { before: 2, after: 1 } });
    expect(Math.abs(r.total.estimate - -20)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.total.se - Math.sqrt(115))).toBeLessThanOrEqual(1e-9);
    // Days give the same weights as years.
    const days = weightedDisplacementDifference({
      treated: { before: 80, after: 20 },
      control: { before: 100, after: 50 },
      timeWeights: { before: 730, after: 365 },
    });
    expect(Math.abs(days.total.estimate - r.total.estimate)).toBeLessThanOrEqual(1e-9);
  });

  it("reports only the local part without a displacement control, and p = 1 when every count is 0", () => {
    const r = weightedDisplacementDifference({ treated: { before: 20, after: 10 }, control: { before: 20, after: 20 } });
    expect(r.displacement).toBeNull();
    expect(r.total.estimate).toBe(-10);
    expect(Math.abs(r.total.se - Math.sqrt(70))).toBeLessThanOrEqual(1e-12);
    const zero = weightedDisplacementDifference({ treated: { before: 0, after: 0 }, control: { before: 0, after: 0 } });
    expect(zero.pValue).toBe(1);
    expect(() => weightedDisplacementDifference({ treated: { before: -1, after: 0 }, control: { before: 0, after: 0 } })).toThrow(RangeError);
  });
});
