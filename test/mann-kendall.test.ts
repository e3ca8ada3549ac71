import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { correctedForAutocorrelation, hamedRao, mannKendall, sensSlope } from "../etl/analytics/mann-kendall.ts";
import { projectRoot } from "./helpers/shared.ts";

// Reference: base R cor.test(x, time, method = "kendall", exact = FALSE, continuity = TRUE),
// computed by test/fixtures/mann-kendall/mann-kendall.R.
const reference: Record<string, string>[] = parse(readFileSync(join(projectRoot, "test", "fixtures", "mann-kendall", "mann-kendall-r.csv")), {
  columns: true,
  trim: true,
});

describe("Mann-Kendall trend test", () => {
  it.each(reference.map((r) => [r.name!, r] as const))("%s matches R to 1e-12 (z, p, tau-b)", (_name, r) => {
    const result = mannKendall(r.series!.split(" ").map(Number));
    expect(Math.abs(result.z - Number(r.z))).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(result.p - Number(r.p))).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(result.tau - Number(r.tau))).toBeLessThanOrEqual(1e-12);
  });

  it("worked by hand: 1, 3, 2, 3 has S = 3, Var(S) = (4·3·13 − 2·1·9)/18 = 7.6667", () => {
    // Pairs: (1,3)+ (1,2)+ (1,3)+ (3,2)− (3,3)0 (2,3)+ → S = 4 − 1 = 3; one tie group of size 2.
    const r = mannKendall([1, 3, 2, 3]);
    expect(r.s).toBe(3);
    expect(r.varS).toBeCloseTo(138 / 18, 12);
    expect(r.z).toBeCloseTo(2 / Math.sqrt(138 / 18), 12);
    // tau-b = 3 / sqrt(6 · (6 − 1))
    expect(r.tau).toBeCloseTo(3 / Math.sqrt(30), 12);
  });

  it("skips undefined values and reports no test for constant or too-short series", () => {
    expect(mannKendall([1, Number.NaN, 2, 3]).n).toBe(3);
    expect(mannKendall([1, Number.NaN, 2, 3]).s).toBe(3);
    expect(mannKendall([2, 2, 2, 2]).p).toBeNaN();
    expect(mannKendall([1, 2]).p).toBeNaN();
  });
});

describe("Mann-Kendall with an exact comparison", () => {
  // 0.1 + 0.2 and 0.3 are equal on paper but not as doubles: compared as doubles the pair is
  // concordant and the tie correction misses it.
  const series = [0.3, 0.1 + 0.2, 1, 0.5, 2];
  const onPaper = [0.3, 0.3, 1, 0.5, 2];
  const exact = (s: number, t: number) => Math.sign(Math.round(series[s]! * 10) - Math.round(series[t]! * 10));

  it("counts values equal on paper as a tie and gives the result of the exact series", () => {
    const floats = mannKendall(series);
    const tied = mannKendall(series, exact);
    expect(floats.s).toBe(mannKendall(onPaper).s + 1);
    expect(tied).toEqual(mannKendall(onPaper));
    expect(tied.varS).toBeLessThan(floats.varS);
  });
});

describe("Mann-Kendall S and ties from ranks", () => {
  // A second implementation: S over every pair of values and the tie groups counted from a map of
  // values, as the definition reads; the product's ranks its values first.
  function pairwise(series: number[]): { s: number; varS: number } {
    const x = series.filter(Number.isFinite);
    const n = x.length;
    let s = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(x[j]! - x[i]!);
    const groups = new Map<number, number>();
    for (const v of x) groups.set(v, (groups.get(v) ?? 0) + 1);
    let ties = 0;
    for (const t of groups.values()) ties += t * (t - 1) * (2 * t + 5);
    return { s, varS: (n * (n - 1) * (2 * n + 5) - ties) / 18 };
  }
  // A deterministic pseudo-random series (LCG) of few distinct values: mostly ties, as a sparse category's z-series.
  function series(seed: number, length: number, levels: number): number[] {
    let state = seed;
    return Array.from({ length }, () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      const v = state % (levels + 1);
      return v === levels ? Number.NaN : v;
    });
  }

  it.each([
    [1, 84, 2],
    [2, 84, 5],
    [3, 60, 40],
    [4, 12, 1],
  ])("seed %i, %i steps, %i levels: the pairwise S and Var(S)", (seed, length, levels) => {
    const x = series(seed, length, levels);
    const expected = pairwise(x);
    const result = mannKendall(x);
    expect(result.s).toBe(expected.s);
    expect(result.varS).toBeCloseTo(expected.varS, 9);
    // The counts of an exact comparator are the same.
    expect(mannKendall(x, (a, b) => Math.sign(x[a]! - x[b]!)).s).toBe(expected.s);
  });
});

// Reference: the Hamed & Rao (1998) correction written from the paper's formulas in base R (median,
// rank, acf, qnorm), computed by test/fixtures/mann-kendall/hamed-rao.R on seeded series: a moving
// sum of Poisson counts (the window-1 Gi* case), AR(1) with and without trend, white noise, ties.
const hamedRaoReference: Record<string, string>[] = parse(readFileSync(join(projectRoot, "test", "fixtures", "mann-kendall", "hamed-rao-r.csv")), {
  columns: true,
  trim: true,
});

describe("Mann-Kendall with the Hamed–Rao autocorrelation correction", () => {
  it.each(hamedRaoReference.map((r) => [r.name!, r.lags!, r] as const))("%s, lags 1 … %s, matches R to 1e-12 (n/n*, S, z, p)", (_name, lags, r) => {
    const x = r.series!.trim().split(/\s+/).map(Number);
    const factor = hamedRao(x, Number(lags));
    const result = correctedForAutocorrelation(mannKendall(x), factor);
    expect(Math.abs(factor - Number(r.factor))).toBeLessThanOrEqual(1e-12);
    expect(result.s).toBe(Number(r.s));
    expect(Math.abs(result.z - Number(r.z))).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(result.p - Number(r.p))).toBeLessThanOrEqual(1e-12);
    expect(result.varianceFactor).toBe(factor);
  });

  it("leaves an exact line uncorrected and gives no test where the factor is not positive", () => {
    // Detrended by its own slope a line is constant: no autocorrelation to estimate.
    expect(hamedRao([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(1);
    // A strict zigzag: detrended ranks alternate, ρ₁ ≈ −1 and 1 + 2ρ₁(n − 3)/n < 0.
    const zigzag = [0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15];
    const factor = hamedRao(zigzag, 1);
    expect(factor).toBeLessThanOrEqual(0);
    const result = correctedForAutocorrelation(mannKendall(zigzag), factor);
    expect(result.p).toBeNaN();
    expect(result.s).toBe(mannKendall(zigzag).s);
    // Too short for the test: no factor either.
    expect(hamedRao([1, 2])).toBeNaN();
  });

  it("skips undefined values as mannKendall does", () => {
    const x = [0.4, 1.3, Number.NaN, 0.2, 2.2, 1.9, Number.NaN, 3.1, 2.4, 3.8, 2.9, 4.4];
    expect(hamedRao(x, 3)).toBe(hamedRao(x.filter(Number.isFinite), 3));
  });

  it("takes Sen's slope as the median of every pairwise slope, sorted (ties, odd and even numbers of pairs)", () => {
    // The plain definition: every slope computed and sorted, the middle one or the two middle ones' mean.
    const sortedMedian = (x: number[]) => {
      const all: number[] = [];
      for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) all.push((x[j]! - x[i]!) / (j - i));
      all.sort((a, b) => a - b);
      const k = (all.length - 1) >> 1;
      return all.length % 2 === 1 ? all[k]! : (all[k]! + all[k + 1]!) / 2;
    };
    // Small whole numbers tie often (a median in, beside or between the zero slopes); doubles rarely.
    const series = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 40 }),
      fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 2, maxLength: 40 }),
    );
    fc.assert(
      fc.property(series, (x) => {
        expect(sensSlope(Float64Array.from(x), x.length) + 0).toBe(sortedMedian(x) + 0);
      }),
      { numRuns: 2000, seed: 20261205 },
    );
    // Middles among the zero slopes: 3 pairs (−1, 0, 1) and 6 (−1, −0.5, 0, 0, 0.5, 1); one on each side of them: 6 pairs (−1, −1, −1/3, 0, 0, 1).
    expect(sensSlope(Float64Array.from([1, 0, 1]), 3)).toBe(0);
    expect(sensSlope(Float64Array.from([0, 1, 1, 0]), 4)).toBe(0);
    expect(sensSlope(Float64Array.from([1, 0, 1, 0]), 4)).toBe(-1 / 6);
    expect(sensSlope(Float64Array.from([5]), 1)).toBeNaN();
    expect(() => sensSlope(Float64Array.from([1, 2]), 3)).toThrow(RangeError);
  });
});
