/**
 * The normal approximation of Gi* on a sparse month: where fewer than 5 incidents are expected in a
 * neighbourhood (x̄·W), the month is not tested (status too_few_incidents, no bins), as the permutation
 * test's untestable months are; months dense enough keep their bins.
 */
import { cellToLatLng, gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { MIN_EXPECTED_NEIGHBOURHOOD, tooSparseForNormal } from "../etl/analytics/getis-ord.ts";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";
import { DEFAULT_INFERENCE } from "../etl/analytics/gi-star-permutation.ts";
import { hotSpotsOf } from "../etl/analytics/hot-spots.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";

const NORMAL = { method: "normal" } as const;
// A resolution-9 study area of 1,261 cells (20 rings), in a city nobody has tuned on.
const centre = latLngToCell(40.7, -73.95, 9);
const cells = gridDisk(centre, 20).sort();
const weights = kRingWeights(cells, 1);
const index = new Map(cells.map((c, i) => [c, i]));

/** A month with one incident in each of `sites` cells spread over the area, none within two rings of another. */
function scattered(sites: number): Float64Array {
  const counts = new Float64Array(cells.length);
  const [lat, lng] = cellToLatLng(centre);
  let placed = 0;
  for (let a = 0; placed < sites; a++) {
    const angle = (2 * Math.PI * a) / sites;
    const cell = latLngToCell(lat + 0.012 * Math.sin(angle), lng + 0.016 * Math.cos(angle), 9);
    if (index.has(cell) && gridDisk(cell, 2).every((c) => !counts[index.get(c) ?? -1])) {
      counts[index.get(cell)!] = 1;
      placed++;
    }
  }
  return counts;
}

describe("Gi* by the normal approximation refuses a month with too few incidents expected in a neighbourhood", () => {
  it("gives no bins to six lone incidents among 1,261 cells, which the approximation called 99 % hot spots", () => {
    const counts = scattered(6);
    const r = hotSpotsOf(counts, weights, NORMAL);
    expect(r.status).toBe("too_few_incidents");
    expect(r.inference).toBe("normal");
    expect(r.bin.every((b) => b === 0) && r.binFdr.every((b) => b === 0)).toBe(true);
    // z and p are kept, as for the permutation test's untestable months: a lone incident's ring is far past 99 %.
    const own = counts.findIndex((v) => v > 0);
    expect(r.z[own]).toBeGreaterThan(2.576);
    expect(r.p[own]).toBeLessThan(0.01);
    // The permutation test, which holds the cell's own count fixed, finds nothing there either.
    expect(hotSpotsOf(counts, weights, DEFAULT_INFERENCE).binFdr.every((b) => b === 0)).toBe(true);
  });

  it("keeps the bins of a month dense enough for the approximation, and its cluster a hot spot", () => {
    const counts = new Float64Array(cells.length);
    for (let i = 0; i < cells.length; i++) counts[i] = (i * 7919) % 5; // 0–4 in every cell, no pattern
    for (const c of gridDisk(centre, 1)) counts[index.get(c)!] = 12;
    expect(tooSparseForNormal(mean(counts), 7)).toBe(false);
    const r = hotSpotsOf(counts, weights, NORMAL);
    expect(r.status).toBe("tested");
    expect(r.binFdr[index.get(centre)!]).toBe(3);
  });

  it("refuses months of about 0.1 and 0.2 incidents a cell with no pattern, where it called hundreds of cells hot after FDR", () => {
    // Independent Poisson counts (seeded): x̄·W ≈ 0.7 and 1.4 in a 7-cell ring. Three incidents in a ring
    // got z ≈ 2.75 at a mean of 0.1, and the approximation's FDR bins marked where incidents fell.
    const random = mulberry32(77);
    const poisson = (m: number) => {
      let k = 0;
      for (let product = random(); product > Math.exp(-m); product *= random()) k++;
      return k;
    };
    for (const rate of [0.1, 0.2]) {
      for (let month = 0; month < 5; month++) {
        const counts = Float64Array.from(cells, () => poisson(rate));
        const r = hotSpotsOf(counts, weights, NORMAL);
        expect(r.status).toBe("too_few_incidents");
        expect(r.binFdr.every((b) => b === 0)).toBe(true);
        // The permutation test finds no hot spot in them either.
        expect(hotSpotsOf(counts, weights, DEFAULT_INFERENCE).binFdr.some((b) => b > 0)).toBe(false);
      }
    }
  });

  it("tests a month from 5 incidents expected in the largest neighbourhood (edge cells expect fewer)", () => {
    expect(tooSparseForNormal(MIN_EXPECTED_NEIGHBOURHOOD / 7 - 1e-9, 7)).toBe(true);
    expect(tooSparseForNormal(MIN_EXPECTED_NEIGHBOURHOOD / 7, 7)).toBe(false);
    expect(tooSparseForNormal(Number.NaN, 7)).toBe(true);
    // Every cell 1 but for a few zeros: x̄·7 ≈ 6.9, tested.
    const counts = Float64Array.from(cells, (_, i) => (i % 50 === 0 ? 0 : 1));
    expect(hotSpotsOf(counts, weights, NORMAL).status).toBe("tested");
  });
});

function mean(x: Float64Array): number {
  return x.reduce((s, v) => s + v, 0) / x.length;
}
