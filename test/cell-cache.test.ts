import { latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { CellCache } from "../etl/ingest/cell-cache.ts";

/** The hex string of the cell CellCache wrote at pair i of `out` (low half first). */
const hex = (out: Uint32Array, i: number) => out[2 * i + 1]!.toString(16) + out[2 * i]!.toString(16).padStart(8, "0");

describe("CellCache", () => {
  // Points around Šiauliai and Vancouver on a 0.001° grid, so that many repeat, in a seeded order.
  let seed = 7;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const points = Array.from({ length: 5000 }, (_, i) => {
    const [lat, lon] = i % 2 === 0 ? [55.93, 23.31] : [49.26, -123.12];
    return [Math.round((lat + random() * 0.05) * 1000) / 1000, Math.round((lon + random() * 0.05) * 1000) / 1000] as const;
  });

  it.each([
    ["a cache larger than the distinct points", 16],
    ["a cache of four slots, replaced all the time", 2],
  ])("gives h3-js's cell for every pair with %s", (_, slotsLog2) => {
    for (const resolution of [7, 9, 12]) {
      const cache = new CellCache(resolution, slotsLog2);
      const out = new Uint32Array(2 * points.length);
      points.forEach(([lat, lon], i) => cache.put(lat, lon, out, i));
      points.forEach(([lat, lon], i) => expect(hex(out, i)).toBe(latLngToCell(lat, lon, resolution)));
      expect(cache.hits + cache.misses).toBe(points.length);
      // Each distinct pair is indexed once, bar the few whose slots other pairs took in between
      // (direct-mapped: about n²/2m evictions for n pairs in m slots, 79 here).
      const distinct = new Set(points.map((p) => p.join())).size;
      if (slotsLog2 === 16) expect(cache.misses).toBeGreaterThanOrEqual(distinct);
      if (slotsLog2 === 16) expect(cache.misses).toBeLessThan(distinct + 160);
    }
  });

  it("tells pairs apart by their bits: −0 from 0, a last-digit difference from equality", () => {
    const cache = new CellCache(15, 1);
    const pairs: Array<[number, number]> = [
      [0, 0],
      [-0, 0],
      [0, -0],
      [55.9, 23.3],
      [55.9, 23.300000000000004],
      [55.900000000000006, 23.3],
    ];
    const out = new Uint32Array(2 * pairs.length);
    pairs.forEach(([lat, lon], i) => cache.put(lat, lon, out, i));
    pairs.forEach(([lat, lon], i) => expect(hex(out, i)).toBe(latLngToCell(lat, lon, 15)));
    expect(cache.misses).toBe(pairs.length);
  });
});
