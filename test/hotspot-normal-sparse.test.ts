/**
 * The normal approximation of Gi* on a sparse month: where one incident alone would pass the 90 %
 * level, the month is not tested (status too_few_incidents, no bins), as the permutation test's
 * untestable months are; months dense enough keep their bins.
 */
import { cellToLatLng, gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { loneIncidentSignificant } from "../etl/analytics/getis-ord.ts";
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

describe("Gi* by the normal approximation refuses a month where one incident alone would be a hot spot", () => {
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
    expect(loneIncidentSignificant(cells.length, mean(counts), sd(counts), 7)).toBe(false);
    const r = hotSpotsOf(counts, weights, NORMAL);
    expect(r.status).toBe("tested");
    expect(r.binFdr[index.get(centre)!]).toBe(3);
  });

  it("judges the largest neighbourhood: the rule's z is the one getisOrdZ gives a ring holding one incident", () => {
    const counts = scattered(6);
    const r = hotSpotsOf(counts, weights, NORMAL);
    const own = counts.findIndex((v) => v > 0);
    // That cell's ring holds one incident (no other within two rings), so its z is the rule's at W = 7.
    const n = cells.length;
    const z = (1 - mean(counts) * 7) / (sd(counts) * Math.sqrt((n * 7 - 49) / (n - 1)));
    expect(r.z[own]).toBeCloseTo(z, 12);
    expect(loneIncidentSignificant(n, mean(counts), sd(counts), 7)).toBe(true);
    // No spread, or a neighbourhood of every unit: no z, nothing to judge.
    expect(loneIncidentSignificant(n, 0, 0, 7)).toBe(false);
    expect(loneIncidentSignificant(7, 1 / 7, 0.35, 7)).toBe(false);
  });
});

function mean(x: Float64Array): number {
  return x.reduce((s, v) => s + v, 0) / x.length;
}

function sd(x: Float64Array): number {
  const m = mean(x);
  return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / x.length);
}
