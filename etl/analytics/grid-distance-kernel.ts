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
  /**
   * Per cell, the kernel's whole mass over its disk (study area or not) over the mass inside the study
   * area: 1 in the interior, above 1 where the disk crosses the area's edge (`smoothByKernel` with
   * edge correction multiplies by it).
   */
  readonly edgeFactor: Float64Array;
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
  const edgeFactor = new Float64Array(cells.length);
  cells.forEach((cell, i) => {
    const rings = bandwidth === 0 ? [[cell]] : gridDiskDistances(cell, bandwidth);
    let whole = 0;
    let inside = 0;
    rings.forEach((ring, d) => {
      const w = 1 - (d / (bandwidth + 1)) ** 2;
      whole += w * ring.length;
      for (const other of [...ring].sort()) {
        const j = index.get(other);
        if (j === undefined) continue;
        neighbours.push(j);
        weights.push(w);
        inside += w;
      }
    });
    offsets[i + 1] = neighbours.length;
    edgeFactor[i] = whole / inside;
  });
  return { n: cells.length, bandwidth, offsets, neighbours: Int32Array.from(neighbours), weights: Float64Array.from(weights), edgeFactor };
}

/**
 * gridDistanceKernel(cells, bandwidth), built once per cells array and bandwidth for the process: a
 * run's backtest and forecasts smooth over the same study area (one array for the whole run; see
 * LakeMemo), and each build costs some 0.1 s of H3 disks for a few thousand cells. Read-only.
 */
export function sharedGridKernel(cells: readonly string[], bandwidth: number): GridKernel {
  const byBandwidth = sharedKernels.get(cells) ?? new Map<number, GridKernel>();
  sharedKernels.set(cells, byBandwidth);
  let kernel = byBandwidth.get(bandwidth);
  if (!kernel) byBandwidth.set(bandwidth, (kernel = gridDistanceKernel(cells, bandwidth)));
  return kernel;
}
// Keyed by the array itself: another study area is another array, and a dropped one is collected.
const sharedKernels = new WeakMap<readonly string[], Map<number, GridKernel>>();

/** Whether sharedGridKernel(cells, bandwidth) has its kernel already. */
export function hasSharedKernel(cells: readonly string[], bandwidth: number): boolean {
  return sharedKernels.get(cells)?.has(bandwidth) ?? false;
}

/** Makes `kernel` what sharedGridKernel gives for `cells` at its bandwidth: the caller vouches it is gridDistanceKernel's (grid-kernel-store.ts). */
export function shareKernel(cells: readonly string[], kernel: GridKernel): void {
  const byBandwidth = sharedKernels.get(cells) ?? new Map<number, GridKernel>();
  sharedKernels.set(cells, byBandwidth);
  byBandwidth.set(kernel.bandwidth, kernel);
}

/**
 * Σ_j K(d_ij) v_j for every cell i, the values smoothed by the kernel, divided by the share of the
 * kernel's mass that falls inside the study area (× `edgeFactor`; `edgeCorrected` = false leaves the
 * plain sum): the renormalisation edge correction of kernel estimates [@diggle1985; @jones1993].
 * Without it a cell whose disk crosses the area's edge sums fewer neighbours and is under-weighted
 * against an interior cell of the same surroundings (a constant surface would fall off towards the
 * edge); with it the estimate at the edge is the kernel-weighted mean of the neighbours observed,
 * scaled to a whole disk, and a constant surface stays constant. It assumes that the unobserved part
 * of the disk is like the observed part; interior cells are unchanged.
 */
export function smoothByKernel(kernel: GridKernel, values: ArrayLike<number>, edgeCorrected = true): Float64Array {
  const out = new Float64Array(kernel.n);
  for (let i = 0; i < kernel.n; i++) {
    let sum = 0;
    for (let e = kernel.offsets[i]!; e < kernel.offsets[i + 1]!; e++) sum += kernel.weights[e]! * values[kernel.neighbours[e]!]!;
    out[i] = edgeCorrected ? sum * kernel.edgeFactor[i]! : sum;
  }
  return out;
}
