/**
 * The paired comparison's interval (Diebold–Mariano with the Harvey–Leybourne–Newbold factor and a
 * Newey–West variance) against a base-R implementation cross-checked with forecast::dm.test
 * (test/fixtures/paired-comparison/diebold-mariano.R), its refusals, and its coverage of 0 on seeded
 * AR(1) monthly differences against a second simulation in R (coverage.R).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { bartlettLongRunVariance, neweyWestLag } from "../etl/analytics/long-run-variance.ts";
import { MIN_PAIRED_MONTHS, pairedComparison } from "../etl/analytics/paired-comparison.ts";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";

const fixtures = join(import.meta.dirname, "fixtures", "paired-comparison");
const read = (file: string): Record<string, string>[] => parse(readFileSync(join(fixtures, file)), { columns: true, trim: true });
const numbers = (s: string) => s.trim().split(/\s+/).map(Number);

describe("the paired comparison's interval against R", () => {
  it.each(read("diebold-mariano-r.csv").map((r) => [r.name!, r] as const))("%s: lag, variances and interval to 1e-10", (_name, r) => {
    const method = numbers(r.method!);
    const reference = numbers(r.reference!);
    const d = method.map((m, t) => m - reference[t]!);
    const c = pairedComparison(method, reference);
    expect(c).toMatchObject({ n: Number(r.n), lag: Number(r.lag), refusal: null });
    expect(Math.abs(bartlettLongRunVariance(d, 0) - Number(r.gamma0))).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(bartlettLongRunVariance(d, c.lag) - Number(r.omega))).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(c.meanDifference - Number(r.mean))).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(c.ciLow - Number(r.ci_low))).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(c.ciHigh - Number(r.ci_high))).toBeLessThanOrEqual(1e-10);
  });

  it("the Newey–West lag floor(4 (n/100)^(2/9)) at its steps", () => {
    expect([4, 5, 27, 28, 99, 100].map(neweyWestLag)).toEqual([1, 2, 2, 3, 3, 4]);
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
  });

  it("gives no interval where the difference is the same every month (no variance)", () => {
    const c = pairedComparison([1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7]);
    expect(c).toMatchObject({ n: 7, meanDifference: 0, ties: 7 });
    expect(c.ciLow).toBeNaN();
    expect(c.refusal).toMatch(/same every month/);
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
    "ρ = %s, %s months: as R's simulation within 3.5 binomial standard errors, and the iid interval's as R's too",
    (rho, n, r) => {
      let covered = 0;
      let coveredIid = 0;
      const zeros = new Float64Array(n);
      for (let k = 0; k < reps; k++) {
        const d = ar1(rho, n);
        const c = pairedComparison(d, zeros);
        if (c.ciLow <= 0 && 0 <= c.ciHigh) covered++;
        // The paired t interval: the same with the lag-0 variance (dm.test at h = 1).
        const half = (c.ciHigh - c.ciLow) / 2 / Math.sqrt(bartlettLongRunVariance(d, c.lag) / bartlettLongRunVariance(d, 0));
        if (Math.abs(c.meanDifference) <= half) coveredIid++;
      }
      // The standard error of the difference of two independent simulated proportions.
      const tolerance = (p: number) => 3.5 * Math.sqrt(p * (1 - p) * (1 / reps + 1 / Number(r.reps)));
      const [reference, referenceIid] = [Number(r.newey_west), Number(r.paired_t)];
      expect(Math.abs(covered / reps - reference)).toBeLessThanOrEqual(tolerance(reference));
      expect(Math.abs(coveredIid / reps - referenceIid)).toBeLessThanOrEqual(tolerance(referenceIid));
      if (rho === 0) {
        // Independent months: both near 95 % (the Newey–West variance gives up a little for estimating lags that are 0).
        expect(Math.abs(coveredIid / reps - 0.95)).toBeLessThanOrEqual(tolerance(0.95));
        expect(covered / reps).toBeGreaterThan(0.91);
      } else {
        // ρ = 0.5: the paired t interval covers 0 in about 74 %; the Newey–West one clearly more, 82–87 %, still short of 95 %.
        expect(coveredIid / reps).toBeLessThan(0.78);
        expect(covered / reps - coveredIid / reps).toBeGreaterThan(0.06);
      }
    },
  );
});
