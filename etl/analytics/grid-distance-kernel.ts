import { gridDiskDistances } from "h3-js";

/**
 * A kernel over H3 grid distance, in compressed sparse row form: cell i's neighbours within
 * `bandwidth` grid steps are `neighbours[offsets[i] .. offsets[i + 1])`, each with its weight. Only
 * cells of the study area are neighbours (the others hold no counts).
 */
export interface GridKernel {
  readonly n: number;
  readonly bandwidth: number;
  readonly offsets: Int32Array;
  readonly neighbours: Int32Array;
  readonly weights: Float64Array;
}

/**
 * The Epanechnikov (quadratic) kernel on grid distance d [@chainey2008; @silverman1986],
 *
 *     K_b(d) = 1 − (d / (b + 1))²   for d ≤ b,   0 beyond,
 *
 * so d = 0 weighs 1 and the weight falls smoothly to the ring just past the bandwidth b. On an H3
 * grid d is the number of hexagon steps, which is the cell-to-cell distance in units of about
 * 1.7 × the edge length; b = 0 is no smoothing. Kernel density estimation over a regular grid is how
 * hot-spot mapping forecasts next month's crime [@chainey2008]; the NIJ Real-Time Crime Forecasting
 * Challenge entries chose the bandwidth by backtest [@nij2017], as the nested selection does.
 */
export function gridDistanceKernel(cells: readonly string[], bandwidth: number): GridKernel {
  if (!Number.isInteger(bandwidth) || bandwidth < 0) throw new RangeError(`the bandwidth must be a non-negative integer, got ${bandwidth}`);
  const index = new Map(cells.map((cell, i) => [cell, i]));
  const offsets = new Int32Array(cells.length + 1);
  const neighbours: number[] = [];
  const weights: number[] = [];
  cells.forEach((cell, i) => {
    const rings = bandwidth === 0 ? [[cell]] : gridDiskDistances(cell, bandwidth);
    rings.forEach((ring, d) => {
      const w = 1 - (d / (bandwidth + 1)) ** 2;
      for (const other of [...ring].sort()) {
        const j = index.get(other);
        if (j === undefined) continue;
        neighbours.push(j);
        weights.push(w);
      }
    });
    offsets[i + 1] = neighbours.length;
  });
  return { n: cells.length, bandwidth, offsets, neighbours: Int32Array.from(neighbours), weights: Float64Array.from(weights) };
}

/** Σ_j K(d_ij) v_j for every cell i: the values smoothed by the kernel. */
export function smoothByKernel(kernel: GridKernel, values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(kernel.n);
  for (let i = 0; i < kernel.n; i++) {
    let sum = 0;
    for (let e = kernel.offsets[i]!; e < kernel.offsets[i + 1]!; e++) sum += kernel.weights[e]! * values[kernel.neighbours[e]!]!;
    out[i] = sum;
  }
  return out;
}
