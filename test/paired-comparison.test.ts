/**
 * The paired comparison's interval (mean difference, equal-weighted cosine variance, Student t) against
 * a base-R implementation of the paper's formula (test/fixtures/paired-comparison/ewc.R), its refusals,
 * and its coverage of 0 on seeded AR(1) monthly differences against a second simulation in R (coverage.R).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { ewcDegreesOfFreedom, ewcLongRunVariance } from "../etl/analytics/long-run-variance.ts";
import { MIN_PAIRED_MONTHS, pairedComparison } from "../etl/analytics/paired-comparison.ts";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";

const fixtures = join(import.meta.dirname, "fixtures", "paired-comparison");
const read = (file: string): Record<string, string>[] => parse(readFileSync(join(fixtures, file)), { columns: true, trim: true });
const numbers = (s: string) => s.trim().split(/\s+/).map(Number);

describe("the paired comparison's interval against R", () => {
  it.each(read("ewc-r.csv").map((r) => [r.name!, r] as const))("%s: ν, EWC variance and interval to 1e-10", (_name, r) => {
    const method = numbers(r.method!);
    const reference = numbers(r.reference!);
    const d = method.map((m, t) => m - reference[t]!);
    const c = pairedComparison(method, reference);
    expect(c).toMatchObject({ n: Number(r.n), degreesOfFreedom: Number(r.nu), refusal: null });
    expect(Math.abs(ewcLongRunVariance(d, c.degreesOfFreedom) - Number(r.omega))).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(c.meanDifference - Number(r.mean))).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(c.ciLow - Number(r.ci_low))).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(c.ciHigh - Number(r.ci_high))).toBeLessThanOrEqual(1e-10);
  });

  it("ν = floor(0.4 n^(2/3)) as R's exact integer form gives it, cubes such as 1000 months (ν = 40) included", () => {
    const rows = read("ewc-nu-r.csv");
    expect(rows.map((r) => ewcDegreesOfFreedom(Number(r.n)))).toEqual(rows.map((r) => Number(r.nu)));
  });

  it("the EWC variance is undefined for no data or ν outside 1 … n − 1", () => {
    const d = [0.3, -0.1, 0.4, 0.2, -0.5];
    expect(ewcLongRunVariance([], 1)).toBeNaN();
    for (const nu of [0, 5, 1.5]) expect(ewcLongRunVariance(d, nu)).toBeNaN();
    expect(ewcLongRunVariance(d, 4)).toBeGreaterThan(0);
  });
});

describe("the paired comparison's refusals", () => {
  it("gives no interval below 6 months, and says why; counts months won and lost all the same", () => {
    const c = pairedComparison([2, 4, 6, 8, 9, Number.NaN], [1, 2, 3, 4, 10, 1]);
    expect(c).toMatchObject({ n: 5, meanDifference: (1 + 2 + 3 + 4 - 1) / 5, wins: 4, losses: 1, ties: 0 });
    expect(c.ciLow).toBeNaN();
    expect(c.ciHigh).toBeNaN();
    expect(c.refusal).toMatch(/5 months compared, fewer than the 6/);
    expect(pairedComparison([2, 4, 6, 8, 9, 7], [1, 2, 3, 4, 10, 1]).refusal).toBeNull();
    expect(MIN_PAIRED_MONTHS).toBe(6);
    // Where an interval is given its t has a degree of freedom: ν < 1 only below 4 months.
    expect(ewcDegreesOfFreedom(MIN_PAIRED_MONTHS)).toBeGreaterThanOrEqual(1);
    expect(ewcDegreesOfFreedom(3)).toBe(0);
  });

  it("gives no interval where the difference is the same every month (no variance)", () => {
    const c = pairedComparison([1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7]);
    expect(c).toMatchObject({ n: 7, meanDifference: 0, ties: 7 });
    expect(c.ciLow).toBeNaN();
    expect(c.refusal).toMatch(/same every month/);
  });

  it("gives no interval where the difference has nothing at the low frequencies the variance rests on", () => {
    // The cosine of the highest frequency: orthogonal to the first ν, so Ω̂ is 0 up to rounding.
    const n = 12;
    const d = Array.from({ length: n }, (_, t) => Math.cos((Math.PI * (n - 1) * (t + 0.5)) / n));
    const c = pairedComparison(d, new Array<number>(n).fill(0));
    expect(c.ciLow).toBeNaN();
    expect(c.refusal).toMatch(/no slower variation/);
  });
});

describe("coverage of 0 on zero-mean AR(1) monthly differences", () => {
  // Box–Muller on the seeded generator; the AR(1) starts in its stationary law, N(0, 1/(1 − ρ²)).
  const random = mulberry32(1997);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const ar1 = (rho: number, n: number) => {
    const x = new Float64Array(n);
    x[0] = normal() / Math.sqrt(1 - rho * rho);
    for (let t = 1; t < n; t++) x[t] = rho * x[t - 1]! + normal();
    return x;
  };
  const reps = 4000;

  it.each(read("coverage-r.csv").map((r) => [Number(r.rho), Number(r.n), r] as const))(
    "ρ = %s, %s months: as R's simulation within 3.5 binomial standard errors, and near 95 %",
    (rho, n, r) => {
      let covered = 0;
      const zeros = new Float64Array(n);
      for (let k = 0; k < reps; k++) {
        const c = pairedComparison(ar1(rho, n), zeros);
        expect(c.degreesOfFreedom).toBe(Number(r.nu));
        if (c.ciLow <= 0 && 0 <= c.ciHigh) covered++;
      }
      // The standard error of the difference of two independent simulated proportions.
      const tolerance = (p: number) => 3.5 * Math.sqrt(p * (1 - p) * (1 / reps + 1 / Number(r.reps)));
      const reference = Number(r.ewc);
      expect(Math.abs(covered / reps - reference)).toBeLessThanOrEqual(tolerance(reference));
      if (rho === 0) {
        // Independent normal months: t_ν is exact, 95 %.
        expect(Math.abs(covered / reps - 0.95)).toBeLessThanOrEqual(tolerance(0.95));
      } else {
        // ρ = 0.5: 93–94 %, where the Newey–West interval it replaced covered 79–87 % (R's column) and the paired t 74 %.
        expect(covered / reps).toBeGreaterThan(0.91);
        expect(covered / reps).toBeLessThan(0.97);
        expect(covered / reps - Number(r.newey_west)).toBeGreaterThan(0.05);
      }
    },
  );
});
