import binomialPmf from "@stdlib/stats-base-dists-binomial-pmf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binomialTest } from "../etl/evaluation/statistics/binomial-test.ts";
import { eTest } from "../etl/evaluation/statistics/e-test.ts";
import { rateRatioTest } from "../etl/evaluation/statistics/rate-ratio-test.ts";

// ../shared/reference/README.md, "Before/after rate tests (R 4.2.2 and scipy 1.17.1 agree)". Its
// values are printed to 6–10 decimals; a value printed to d decimals is matched to half a unit of d.
const REFERENCE = {
  pExact: 0.2265625,
  ratioBeforeAfter: 0.375,
  ciBeforeAfter: [0.064076, 1.562411],
  ciAfterBefore: [0.640036, 15.606],
  eTest38: 0.1407088692,
  eTest62: 0.1748748209,
};

// Full-precision values from R 4.2.2 (Debian 12 r-base-core) and scipy 1.17.1 on the same inputs,
// printed with print(..., digits = 15) / repr(); the calls are given with each value.
const R = {
  // poisson.test(c(8, 3))$conf.int
  ciAfterBefore: [0.640036412582459, 15.606403640639188],
  // poisson.test(c(3, 8), T = c(4021, 5719)): p.value, conf.int (rate 1 / rate 2)
  exposure: { p: 0.542325283715548, ci: [0.0911345782747758, 2.2221907788603175] },
  // binom.test(7, 20, 0.3) and binom.test(2, 30, 0.2): p.value, conf.int
  binom7of20: [0.629497966676677, 0.153909204784541, 0.592188534532828],
  binom2of30: [0.06979524048732359, 0.00817813446065632, 0.22073540152296189],
};
const SCIPY = {
  // stats.poisson_means_test(k1, n1, k2, n2).pvalue
  "3,4021,8,5719": 0.3533100979160377,
  "0,1,5,1": 0.019756052290883053,
  "30,730,20,365": 0.3461427801816665,
  "5000,365,5300,365": 0.0031155874578010544,
};

describe("exact conditional test of the rate ratio (R poisson.test)", () => {
  it("reproduces the Kuršėnai reference: 3 → 8, p = 0.2265625, after/before 2.667 [0.640036, 15.606]", () => {
    const r = rateRatioTest(3, 8);
    expect(Math.abs(r.pValue - REFERENCE.pExact)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.rateRatio - 8 / 3)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.lower - REFERENCE.ciAfterBefore[0]!)).toBeLessThanOrEqual(5e-7);
    expect(Math.abs(r.upper - REFERENCE.ciAfterBefore[1]!)).toBeLessThanOrEqual(5e-4);
    expect(Math.abs(r.lower - R.ciAfterBefore[0]!)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.upper - R.ciAfterBefore[1]!)).toBeLessThanOrEqual(1e-9);
  });

  it("gives R's before/after orientation when the counts are swapped: 0.375 [0.064076, 1.562411]", () => {
    const r = rateRatioTest(8, 3);
    expect(Math.abs(r.rateRatio - REFERENCE.ratioBeforeAfter)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.pValue - REFERENCE.pExact)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.lower - REFERENCE.ciBeforeAfter[0]!)).toBeLessThanOrEqual(5e-7);
    expect(Math.abs(r.upper - REFERENCE.ciBeforeAfter[1]!)).toBeLessThanOrEqual(5e-7);
  });

  it("uses exposures as Poisson denominators like poisson.test(T = ...)", () => {
    // R orders (first, second) = (before, after) here and reports rate1/rate2 = 1 / (after/before).
    const r = rateRatioTest(3, 8, 4021, 5719);
    expect(Math.abs(r.pValue - R.exposure.p)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(1 / r.upper - R.exposure.ci[0]!)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(1 / r.lower - R.exposure.ci[1]!)).toBeLessThanOrEqual(1e-9);
  });

  it("handles zero counts without inventing a ratio", () => {
    expect(rateRatioTest(0, 0)).toMatchObject({ pValue: 1, lower: 0, upper: Number.POSITIVE_INFINITY });
    expect(rateRatioTest(0, 0).rateRatio).toBeNaN();
    const rise = rateRatioTest(0, 6);
    expect(rise.rateRatio).toBe(Number.POSITIVE_INFINITY);
    expect(rise.upper).toBe(Number.POSITIVE_INFINITY);
    expect(Math.abs(rise.pValue - 2 / 64)).toBeLessThanOrEqual(1e-12);
    expect(() => rateRatioTest(1, 2, 0, 1)).toThrow(/beforeExposure/);
  });

  it("is symmetric in before and after for equal exposures, and its interval holds the estimate", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 200 }), (b, a) => {
        const r = rateRatioTest(b, a);
        expect(Math.abs(r.pValue - rateRatioTest(a, b).pValue)).toBeLessThanOrEqual(1e-12);
        expect(r.lower).toBeLessThanOrEqual(r.rateRatio);
        expect(r.upper).toBeGreaterThanOrEqual(r.rateRatio);
        expect(r.pValue).toBeGreaterThan(0);
        expect(r.pValue).toBeLessThanOrEqual(1);
      }),
      { seed: 20190101, numRuns: 200 },
    );
  });
});

describe("exact binomial test (R binom.test)", () => {
  it.each([
    [7, 20, 0.3, R.binom7of20],
    [2, 30, 0.2, R.binom2of30],
  ] as const)("binom.test(%i, %i, %f)", (x, n, p0, [p, lower, upper]) => {
    const r = binomialTest(x, n, p0);
    expect(Math.abs(r.pValue - p!)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.lower - lower!)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.upper - upper!)).toBeLessThanOrEqual(1e-9);
  });

  it("counts the outcomes as extreme as x as R does, one by one, for any x, n and p0", () => {
    // The textbook definition R binom.test follows: the sum over every outcome no more likely than x.
    const byOutcome = (x: number, n: number, p0: number) => {
      if (x === n * p0) return 1;
      const d = binomialPmf(x, n, p0) * (1 + 1e-7);
      let p = 0;
      for (let i = 0; i <= n; i++) if (binomialPmf(i, n, p0) <= d) p += binomialPmf(i, n, p0);
      return Math.min(1, p);
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, p0, u) => {
          const x = Math.min(n, Math.floor(u * (n + 1)));
          expect(Math.abs(binomialTest(x, n, p0).pValue - byOutcome(x, n, p0))).toBeLessThanOrEqual(1e-9);
        },
      ),
      { seed: 20261203, numRuns: 500 },
    );
  });

  it("refuses impossible inputs", () => {
    expect(() => binomialTest(5, 4, 0.5)).toThrow(RangeError);
    expect(() => binomialTest(1, 4, 1)).toThrow(RangeError);
  });
});

describe("E-test (Krishnamoorthy & Thomson 2004, scipy poisson_means_test)", () => {
  it("reproduces the reference p-values (3, 8) = 0.1407088692 and the paper's (6, 2) = 0.1748748209", () => {
    expect(Math.abs(eTest(3, 1, 8, 1).pValue - REFERENCE.eTest38)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(eTest(8, 1, 3, 1).pValue - REFERENCE.eTest38)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(eTest(6, 1, 2, 1).pValue - REFERENCE.eTest62)).toBeLessThanOrEqual(1e-9);
  });

  it.each(Object.entries(SCIPY))("matches scipy for (k1, n1, k2, n2) = (%s)", (args, p) => {
    const [k1, n1, k2, n2] = args.split(",").map(Number) as [number, number, number, number];
    expect(Math.abs(eTest(k1, n1, k2, n2).pValue - p)).toBeLessThanOrEqual(1e-9);
  });

  it("returns p = 1 when both counts are 0, as scipy does", () => {
    expect(eTest(0, 1, 0, 1).pValue).toBe(1);
    expect(() => eTest(1.5, 1, 2, 1)).toThrow(/k1/);
  });

  it("is at least as powerful as the conditional test on small counts (never a larger p for these)", () => {
    for (const [b, a] of [
      [3, 8],
      [2, 9],
      [1, 6],
      [10, 2],
      [0, 5],
    ] as const) {
      expect(eTest(a, 1, b, 1).pValue).toBeLessThanOrEqual(rateRatioTest(b, a).pValue + 1e-12);
    }
  });
});
