import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { confidenceBins, confidenceBinsFdr, twoSidedP } from "../etl/analytics/confidence-bins.ts";
import { getisOrdZ } from "../etl/analytics/getis-ord.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { weightsFromEdges } from "../etl/analytics/spatial-weights.ts";
import { projectRoot } from "./helpers/shared.ts";

// Reference: R spdep localG on a real H3 grid (all offences, June 2019, the 132 res-8 cells of
// Šiaulių m. sav.), made by test/fixtures/spdep/export-h3-grid.ts and h3-localg.R (see their headers).
const dir = join(projectRoot, "test", "fixtures", "spdep");
const csv = (file: string): Record<string, string>[] => parse(readFileSync(join(dir, file)), { columns: true, skip_empty_lines: true });
const grid = csv("h3-grid.csv");
const reference = csv("h3-localg-spdep.csv");
const cells = grid.map((r) => r.h3_cell!);
const counts = grid.map((r) => Number(r.count));

describe.each([1, 2])("H3 k-ring Gi* against R spdep, k = %i", (k) => {
  const column = (name: string) => reference.map((r) => Number(r[`${name}_k${k}`]));
  const z = getisOrdZ(counts, kRingWeights(cells, k));

  it("the fixture is the grid it claims to be", () => {
    expect(cells).toHaveLength(132);
    expect(counts.reduce((s, v) => s + v, 0)).toBe(365);
    expect(reference.map((r) => r.h3_cell)).toEqual(cells);
  });

  it("kRingWeights gives exactly the neighbour lists given to R", () => {
    const edges = csv(`h3-edges-k${k}.csv`).map((e) => [Number(e.from) - 1, Number(e.to) - 1] as const);
    const fromEdges = weightsFromEdges(cells.length, edges, true);
    const ring = kRingWeights(cells, k);
    expect(Array.from(ring.offsets)).toEqual(Array.from(fromEdges.offsets));
    expect(Array.from(ring.neighbours)).toEqual(Array.from(fromEdges.neighbours));
  });

  it("|z − z_spdep| ≤ 1e-9 and the p-values agree", () => {
    const zRef = column("gi_star_z");
    const pRef = column("p");
    let maxZ = 0;
    let maxP = 0;
    for (let i = 0; i < cells.length; i++) {
      maxZ = Math.max(maxZ, Math.abs(z[i]! - zRef[i]!));
      maxP = Math.max(maxP, Math.abs(twoSidedP(z[i]!) - pRef[i]!));
    }
    expect(maxZ).toBeLessThanOrEqual(1e-9);
    expect(maxP).toBeLessThanOrEqual(1e-9);
  });

  it('confidence bins with and without BH-FDR equal those from R\'s p.adjust(method = "BH")', () => {
    expect(Array.from(confidenceBins(z))).toEqual(column("bin"));
    expect(Array.from(confidenceBinsFdr(z))).toEqual(column("bin_fdr"));
    // The fixture exercises FDR: some cells significant without it lose their bin with it.
    expect(column("bin").filter((b) => b !== 0).length).toBeGreaterThan(column("bin_fdr").filter((b) => b !== 0).length);
  });
});
