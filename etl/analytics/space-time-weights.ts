import type { BinaryWeights } from "./spatial-weights.ts";

/**
 * Binary Gi* weights over the bins of a space-time cube, as the space-time Gi* of ArcGIS Emerging
 * Hot Spot Analysis uses them [@esri-ehsa]: bin (t, i) — cell i in time step t, unit index
 * `t * nCells + i`, the month-major order of `CellMonthGrid.counts` — has as neighbours the bins
 * (t − l, j) for every spatial neighbour j of i (i itself included) and every lag l = 0 … timeWindow
 * that stays inside the cube. The neighbourhood looks back only, so a month's score never uses the
 * future. Gi* over these weights compares each bin's space-time neighbourhood with the whole cube.
 */
export function spaceTimeWeights(spatial: BinaryWeights, steps: number, timeWindow: number): BinaryWeights {
  if (!spatial.selfIncluded) throw new Error("space-time Gi* needs spatial weights that include the cell itself");
  if (!Number.isInteger(timeWindow) || timeWindow < 0) throw new RangeError(`the time window must be a non-negative integer, got ${timeWindow}`);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`the cube needs at least one time step, got ${steps}`);
  const cells = spatial.n;
  const n = cells * steps;
  const offsets = new Int32Array(n + 1);
  for (let t = 0; t < steps; t++) {
    const lags = Math.min(timeWindow, t) + 1;
    for (let i = 0; i < cells; i++) {
      const u = t * cells + i;
      offsets[u + 1] = offsets[u]! + lags * (spatial.offsets[i + 1]! - spatial.offsets[i]!);
    }
  }
  const neighbours = new Int32Array(offsets[n]!);
  for (let t = 0; t < steps; t++) {
    const first = Math.max(0, t - timeWindow);
    for (let i = 0; i < cells; i++) {
      let k = offsets[t * cells + i]!;
      // Earlier steps first and each spatial list sorted: the neighbour indices come out ascending.
      for (let s = first; s <= t; s++) {
        for (let e = spatial.offsets[i]!; e < spatial.offsets[i + 1]!; e++) neighbours[k++] = s * cells + spatial.neighbours[e]!;
      }
    }
  }
  return { n, offsets, neighbours, selfIncluded: true };
}
