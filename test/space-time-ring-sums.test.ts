/**
 * The ring rule's space-time neighbourhood counts of emerging hot spots (spaceTimeRingSums) against
 * a second implementation: ringSums over the space-time weights the space-time Gi* itself uses.
 */
import { gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { spaceTimeWeights } from "../etl/analytics/space-time-weights.ts";
import { ringSums, spaceTimeRingSums } from "../etl/publish/hotspot-release.ts";

describe("spaceTimeRingSums", () => {
  // Two rings of cells around a centre (19 cells), 7 months of seeded pseudo-random counts with zeros.
  const cells = gridDisk(latLngToCell(55.93, 23.31, 8), 2).sort();
  const steps = 7;
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const counts = Float64Array.from({ length: cells.length * steps }, () => (random() < 0.4 ? 0 : Math.floor(random() * 9)));

  it.each([0, 1, 3, 10])("equals ringSums over spaceTimeWeights with time window %i, k = 1 and 2", (window) => {
    for (const k of [1, 2]) {
      const spatial = kRingWeights(cells, k);
      const expected = ringSums(counts, spaceTimeWeights(spatial, steps, window));
      expect(spaceTimeRingSums(counts, spatial, steps, window)).toEqual(expected);
    }
  });

  it("counts a cell's own ring in its month and the window's earlier months only", () => {
    const spatial = kRingWeights(cells, 1);
    const one = new Float64Array(cells.length * steps);
    one[3 * cells.length + 0] = 5; // cell 0, month 3
    const ring = spaceTimeRingSums(one, spatial, steps, 1);
    expect(ring[3 * cells.length + 0]).toBe(5);
    expect(ring[4 * cells.length + 0]).toBe(5); // month 4 looks back one month
    expect(ring[5 * cells.length + 0]).toBe(0);
    expect(ring[2 * cells.length + 0]).toBe(0); // never the future
    expect(spaceTimeRingSums(new Float64Array(0), spatial, 0, 1)).toEqual(new Float64Array(0));
  });
});
