/**
 * Gi* permutation inference against R: the exact law of the neighbourhood sum (what the product
 * computes) against 99,999 conditional permutations per cell drawn in R the way spdep >= 1.3
 * `localG_perm(fix_i_in_Gstar_permutations = TRUE, no_repeat_in_row = TRUE)` draws them, on the
 * 132-cell H3 grid of test/fixtures/spdep (all offences, June 2019), k = 1 and 2. Agreement is
 * within Monte Carlo error: 5 binomial standard errors per tail (the exact law has none).
 * Regenerate: see test/fixtures/spdep/README.md.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { getisOrdZ } from "../etl/analytics/getis-ord.ts";
import { hotSpotsOf } from "../etl/analytics/hot-spots.ts";
import { sampleSumTails, subsetSumCounts, valueCounts } from "../etl/analytics/sample-sum-distribution.ts";
import { weightsFromEdges } from "../etl/analytics/spatial-weights.ts";
import { projectRoot } from "./helpers/shared.ts";

const NSIM = 99_999;
const dir = join(projectRoot, "test", "fixtures", "spdep");
const csv = (file: string): Record<string, string>[] => parse(readFileSync(join(dir, file)), { columns: true, skip_empty_lines: true });
const grid = csv("h3-grid.csv");
const reference = csv("h3-localg-perm.csv");
const counts = Float64Array.from(grid, (r) => Number(r.count));
const total = counts.reduce((s, v) => s + v, 0);

describe.each([1, 2])("Gi* conditional permutation against R (spdep weights and lags), k = %i", (k) => {
  const column = (name: string) => reference.map((r) => Number(r[`${name}_k${k}`]));
  const edges = csv(`h3-edges-k${k}.csv`).map((e) => [Number(e.from) - 1, Number(e.to) - 1] as const);
  const weights = weightsFromEdges(counts.length, edges, true);
  const n = counts.length;
  const vc = valueCounts(counts);
  const cap = total + 1;
  const table = subsetSumCounts(vc, Math.max(...Array.from({ length: n }, (_, i) => weights.offsets[i + 1]! - weights.offsets[i]!)) - 1, cap);
  // Per cell: observed sum, and the exact law of S = L − x_i (pmf over 0…total).
  const cells = Array.from({ length: n }, (_, i) => {
    let lag = 0;
    for (let e = weights.offsets[i]!; e < weights.offsets[i + 1]!; e++) lag += counts[weights.neighbours[e]!]!;
    const m = weights.offsets[i + 1]! - weights.offsets[i]! - 1;
    const { upper, total: samples } = sampleSumTails(vc, table, cap, m, counts[i]!);
    const s = lag - counts[i]!;
    return {
      lag,
      upper: upper[s]! / samples,
      lower: (samples - upper[s + 1]!) / samples,
      pmf: Array.from({ length: cap }, (_, t) => (upper[t]! - upper[t + 1]!) / samples),
    };
  });

  it("the fixture is the grid and the Gi* it claims to be", () => {
    expect(reference.map((r) => r.h3_cell)).toEqual(grid.map((r) => r.h3_cell));
    expect(cells.map((c) => c.lag)).toEqual(column("lag"));
    const z = getisOrdZ(counts, weights);
    expect(Math.max(...column("z").map((zr, i) => Math.abs(zr - z[i]!)))).toBeLessThanOrEqual(1e-9);
  });

  it("both tails P(S ≥ s) and P(S ≤ s) agree with the simulated shares within 5 standard errors", () => {
    const ge = column("n_ge");
    const le = column("n_le");
    let worst = 0;
    for (const [i, c] of cells.entries()) {
      for (const [exact, simulated] of [
        [c.upper, ge[i]! / NSIM],
        [c.lower, le[i]! / NSIM],
      ] as const) {
        const se = Math.sqrt(Math.max(0, exact * (1 - exact)) / NSIM); // exact may exceed 1 by an ulp (k = 2 counts pass 2^53)
        expect(Math.abs(simulated - exact)).toBeLessThanOrEqual(5 * se + 1e-12);
        if (se > 0) worst = Math.max(worst, Math.abs(simulated - exact) / se);
      }
    }
    expect(worst).toBeGreaterThan(0.5); // the comparison has teeth: the tails are not all 0 or 1
  });

  it("the simulated mean of G equals the exact E[G] = (x_i + (W_i − 1)(Σx − x_i)/(n − 1)) / Σx within 5 standard errors", () => {
    const mean = column("mean_g");
    for (const [i, c] of cells.entries()) {
      const m = weights.offsets[i + 1]! - weights.offsets[i]! - 1;
      const expected = (counts[i]! + (m * (total - counts[i]!)) / (n - 1)) / total;
      const fromPmf = c.pmf.reduce((a, p, s) => a + p * s, 0);
      expect((counts[i]! + fromPmf) / total).toBeCloseTo(expected, 12);
      const variance = c.pmf.reduce((a, p, s) => a + p * (s - fromPmf) ** 2, 0) / total ** 2;
      expect(Math.abs(mean[i]! - expected)).toBeLessThanOrEqual(5 * Math.sqrt(variance / NSIM) + 1e-12);
    }
  });

  it("the product's exact two-sided p-values agree with R's pseudo p-values 2 (M + 1) / (R + 1)", () => {
    const result = hotSpotsOf(counts, weights, { method: "permutation", permutations: 999, seed: 1 });
    expect(result.inference).toBe("exact");
    const pr = column("p_two_sided");
    for (const [i, c] of cells.entries()) {
      // Two exact routes to the same counts (equal in integers; k = 2 counts pass 2^53, so to 1e-12).
      expect(result.p[i]).toBeCloseTo(Math.min(1, 2 * Math.min(c.upper, c.lower)), 12);
      const tail = Math.min(c.upper, c.lower);
      const se = 2 * Math.sqrt((tail * (1 - tail)) / NSIM);
      expect(Math.abs(pr[i]! - result.p[i]!)).toBeLessThanOrEqual(5 * se + 2 / (NSIM + 1) + 1e-12);
    }
  });
});
