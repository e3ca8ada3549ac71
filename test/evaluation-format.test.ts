import { describe, expect, it } from "vitest";
import { formatP, formatRatio } from "../etl/evaluation/format.ts";
import { caveatText } from "../etl/evaluation/statistics/caveats.ts";
import { rateRatioTest } from "../etl/evaluation/statistics/rate-ratio-test.ts";

describe("p-values and interval bounds beside a significance decision", () => {
  // 25 → 42 over periods of the same length. scipy 1.x, computed independently:
  // binomtest(42, 67, 0.5).pvalue = 0.04980011429472864; its exact (Clopper–Pearson) proportion
  // interval 0.5001047440198264 … 0.7420258372963094 is a rate ratio of 1.0004190638681738 … 2.8763571883305277.
  const test = rateRatioTest(25, 42);

  it("prints the exact test's p and interval on the same side of α and of 1 as the decision", () => {
    expect(test.pValue).toBeCloseTo(0.04980011429472864, 12);
    expect(test.lower).toBeCloseTo(1.0004190638681738, 9);
    expect(test.upper).toBeCloseTo(2.8763571883305277, 9);
    expect(formatP(test.pValue, 1 - 0.95)).toBe("0.0498");
    expect(formatRatio(test.lower)).toBe("1.0004");
    expect(formatRatio(test.upper)).toBe("2.88");
  });

  it("never rounds a p-value onto or across the level, at any level", () => {
    for (const alpha of [0.05, 0.01, 0.1, 1 - 0.9]) {
      for (let i = -300; i <= 300; i++) {
        const p = alpha + i * 1.7e-6;
        if (p === alpha) continue;
        expect(Math.sign(Number(formatP(p, alpha)) - alpha), `p = ${p}, α = ${alpha}`).toBe(Math.sign(p - alpha));
      }
    }
    // Away from the level the usual two significant digits (three from 0.1) stand.
    expect([0.0123, 0.0634, 0.2265625, 0.453125].map((p) => formatP(p))).toEqual(["0.012", "0.063", "0.227", "0.453"]);
  });

  it("keeps a ratio on its side of 1, and its usual three digits elsewhere", () => {
    for (const x of [0.99951, 0.9999, 1.00049, 1.00001]) expect(Math.sign(Number(formatRatio(x)) - 1), String(x)).toBe(Math.sign(x - 1));
    expect([2.6667, 15.62, 0.64, 1].map(formatRatio)).toEqual(["2.67", "15.6", "0.640", "1.00"]);
  });

  it("prints them alike in Lithuanian", () => {
    const text = caveatText("lt", {
      code: "pre_trend",
      params: {
        category: "theft",
        trend: "falling",
        intervention_month: "2019-01",
        ratio: 0.98,
        ci_low: 0.97,
        ci_high: 0.9996,
        confidence_level: 0.95,
        level_ratio: 0.8,
        level_p: 0.0498,
      },
    });
    expect(text).toContain("PI 0,970–0,9996");
    expect(text).toContain("p = 0,0498");
  });
});
