import { gridDisk, gridDistance, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { getisOrdZ } from "../etl/analytics/getis-ord.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { spaceTimeWeights } from "../etl/analytics/space-time-weights.ts";
import { weightsFromEdges } from "../etl/analytics/spatial-weights.ts";

// Nineteen cells (a 2-ring around central Šiauliai) minus two, so edges are ragged.
const cells = gridDisk(latLngToCell(55.9349, 23.3137, 8), 2)
  .sort()
  .slice(2);
const steps = 5;

/** Second construction: every pair of bins by the definition (grid distance ≤ k, 0 ≤ t − s ≤ window). */
function bruteForce(k: number, window: number) {
  const edges: Array<[number, number]> = [];
  for (let t = 0; t < steps; t++)
    for (let i = 0; i < cells.length; i++)
      for (let s = 0; s < steps; s++)
        for (let j = 0; j < cells.length; j++) {
          const near = gridDistance(cells[i]!, cells[j]!) <= k && t - s >= 0 && t - s <= window;
          if (near && !(s === t && i === j)) edges.push([t * cells.length + i, s * cells.length + j]);
        }
  return weightsFromEdges(cells.length * steps, edges, true);
}

describe("space-time cube weights", () => {
  it.each([
    [1, 0],
    [1, 1],
    [2, 2],
  ])("k = %i, window = %i: same lists as the pairwise definition", (k, window) => {
    const w = spaceTimeWeights(kRingWeights(cells, k), steps, window);
    const ref = bruteForce(k, window);
    expect(Array.from(w.offsets)).toEqual(Array.from(ref.offsets));
    expect(Array.from(w.neighbours)).toEqual(Array.from(ref.neighbours));
  });

  it("a bin in the first month has no earlier neighbours; later ones have window + 1 layers", () => {
    const spatial = kRingWeights(cells, 1);
    const w = spaceTimeWeights(spatial, steps, 1);
    const size = (u: number) => w.offsets[u + 1]! - w.offsets[u]!;
    const own = spatial.offsets[1]! - spatial.offsets[0]!;
    expect(size(0)).toBe(own);
    expect(size(cells.length)).toBe(2 * own);
    expect(size(4 * cells.length)).toBe(2 * own);
  });

  it("space-time Gi* flags a cluster that persists over two months", () => {
    const counts = new Float64Array(cells.length * steps);
    const centre = cells.indexOf(latLngToCell(55.9349, 23.3137, 8));
    expect(centre).toBeGreaterThanOrEqual(0);
    counts[3 * cells.length + centre] = 10;
    counts[4 * cells.length + centre] = 10;
    for (let u = 0; u < counts.length; u += 7) counts[u]! += 1;
    const z = getisOrdZ(counts, spaceTimeWeights(kRingWeights(cells, 1), steps, 1));
    const zCentre = (t: number) => z[t * cells.length + centre]!;
    expect(zCentre(4)).toBeGreaterThan(zCentre(3)); // month 4 sees both months of the cluster
    expect(zCentre(4)).toBeGreaterThan(2.58);
    expect(zCentre(1)).toBeLessThan(1.96);
  });
});
