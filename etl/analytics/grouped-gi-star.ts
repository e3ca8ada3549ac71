import { binsFdrOfGroups, binsOfP, twoSidedP } from "./confidence-bins.ts";
import type { GroupedHotSpots } from "./hot-spots.ts";
import type { BinaryWeights } from "./spatial-weights.ts";

/**
 * Gi* hot spots computed once per group of cells instead of once per cell. With binary Gi* weights a cell's z
 * depends only on its neighbourhood sum Σ_j x_j and its number of neighbours W_i (x̄ and S are the
 * month's): counts are whole numbers, so a month of thousands of cells has only dozens of distinct
 * (sum, W_i) pairs — most cells lie far from any incident, where the sum is 0 and z has the closed
 * form −x̄ W_i / (S √((n W_i − W_i²)/(n − 1))). z, p and both bins are computed once per pair, with
 * exactly the arithmetic of getisOrdZ, confidenceBins and confidenceBinsFdr, and copied to its cells:
 * the same numbers for a fraction of the work. The sums are scattered from the cells with incidents,
 * so a sparse month costs little. Returns null for weights (Gi, asymmetric) or counts (not whole
 * numbers) it does not handle.
 */
export function groupedGiStar(counts: Float64Array, weights: BinaryWeights): GroupedHotSpots | null {
  const n = weights.n;
  const shape = weightShape(weights);
  const stats = shape && counts.length === n ? meanAndSd(counts) : null;
  if (!shape || !stats) return null;
  const { mean, sd } = stats;
  const w = workspace(n, shape.sizes.length);
  const touched = neighbourhoodSums(counts, weights, w);
  const groups = groupCells(touched, weights, shape, w);
  // Per group, z exactly as getisOrdZ computes it (Gi*: m = n, mean = x̄, variance = m2 / n).
  const gz = new Float64Array(groups);
  const gp = new Float64Array(groups);
  for (let k = 0; k < groups; k++) {
    const wi = w.size[k]!;
    const spread = Math.sqrt((n * wi - wi * wi) / (n - 1));
    gz[k] = sd > 0 && spread > 0 ? (w.sum[k]! - mean * wi) / (sd * spread) : Number.NaN;
    gp[k] = twoSidedP(gz[k]!);
  }
  const members = new Float64Array(groups);
  const group = w.group;
  for (let i = 0; i < n; i++) members[group[i]!]++;
  for (let t = 0; t < touched; t++) w.lag[w.touched[t]!] = 0;
  return { counts, group: group.slice(), z: gz, p: gp, bin: binsOfP(gz, gp), binFdr: binsFdrOfGroups(gz, gp, members) };
}

/** Work arrays for one study area's size, reused from call to call. */
interface Workspace {
  /** Neighbourhood sums per cell (all zero between calls), and the cells with a sum > 0. */
  lag: Float64Array;
  touched: Int32Array;
  /** Group of each cell, and per group its sum and number of neighbours. */
  group: Int32Array;
  sum: Float64Array;
  size: Float64Array;
  /** Group by key sum × width + W_i for small keys (all −1 between calls). */
  keys: Int32Array;
}

let current: Workspace | undefined;
const KEY_TABLE_SIZE = 1 << 16;

function workspace(n: number, sizes: number): Workspace {
  if (current?.lag.length !== n || current.sum.length < n + sizes) {
    current = { lag: new Float64Array(n), touched: new Int32Array(n), group: new Int32Array(n), sum: new Float64Array(n + sizes), size: new Float64Array(n + sizes), keys: new Int32Array(KEY_TABLE_SIZE).fill(-1) };
  }
  return current;
}

/**
 * x̄ and the population S, summed in index order exactly as getisOrdZ does — or null unless every
 * count is a whole number ≥ 0 (sums of neighbours are then exact in any order).
 */
function meanAndSd(counts: Float64Array): { mean: number; sd: number } | null {
  const n = counts.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = counts[i]!;
    if (!(v >= 0 && Math.floor(v) === v && v < 2 ** 40)) return null;
    sum += v;
  }
  const mean = sum / n;
  // The same terms in the same order; a cell counting 0 adds (0 − x̄)², computed once.
  const zeroTerm = (0 - mean) ** 2;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const v = counts[i]!;
    m2 += v === 0 ? zeroTerm : (v - mean) ** 2;
  }
  return { mean, sd: Math.sqrt(Math.max(m2 / n, 0)) };
}

/**
 * Neighbourhood sums into `w.lag`, listing the cells with a sum > 0 in `w.touched` (returns how
 * many). A sparse month scatters from its cells with incidents (weights are symmetric); a dense one
 * sums per cell.
 */
function neighbourhoodSums(counts: Float64Array, weights: BinaryWeights, w: Workspace): number {
  const { offsets, neighbours } = weights;
  const { lag, touched } = w;
  const n = counts.length;
  let count = 0;
  let nonZero = 0;
  for (let j = 0; j < n; j++) if (counts[j] !== 0) nonZero++;
  if (nonZero * 8 > n) {
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let e = offsets[i]!; e < offsets[i + 1]!; e++) sum += counts[neighbours[e]!]!;
      if (sum !== 0) {
        lag[i] = sum;
        touched[count++] = i;
      }
    }
    return count;
  }
  for (let j = 0; j < n; j++) {
    const v = counts[j]!;
    if (v === 0) continue;
    for (let e = offsets[j]!; e < offsets[j + 1]!; e++) {
      const i = neighbours[e]!;
      if (lag[i] === 0) touched[count++] = i;
      lag[i] += v;
    }
  }
  return count;
}

/**
 * Assigns every cell to a group of equal (neighbourhood sum, number of neighbours): one group per
 * number of neighbours for the cells with a zero sum, one per pair for the others. Returns the
 * number of groups (their sums and sizes are in the workspace).
 */
function groupCells(touched: number, weights: BinaryWeights, shape: WeightShape, w: Workspace): number {
  const { lag, group, sum, size, keys } = w;
  const { offsets } = weights;
  let groups = 0;
  for (const wi of shape.sizes) {
    sum[groups] = 0;
    size[groups++] = wi;
  }
  group.set(shape.sizeIndex);
  const width = shape.widest + 1;
  let maxLag = 0;
  for (let t = 0; t < touched; t++) maxLag = Math.max(maxLag, lag[w.touched[t]!]!);
  const small = (maxLag + 1) * width <= KEY_TABLE_SIZE;
  const large = small ? undefined : new Map<number, number>();
  for (let t = 0; t < touched; t++) {
    const i = w.touched[t]!;
    const wi = offsets[i + 1]! - offsets[i]!;
    const key = lag[i]! * width + wi;
    let g = small ? keys[key]! : (large!.get(key) ?? -1);
    if (g < 0) {
      g = groups++;
      if (small) keys[key] = g;
      else large!.set(key, g);
      sum[g] = lag[i]!;
      size[g] = wi;
    }
    group[i] = g;
  }
  if (small) for (let g = shape.sizes.length; g < groups; g++) keys[sum[g]! * width + size[g]!] = -1;
  return groups;
}

/** What groupedGiStar needs to know about weights once: the distinct neighbour counts (null: not Gi* or not symmetric). */
interface WeightShape {
  widest: number;
  sizes: number[];
  /** Per cell, the index of its neighbour count in `sizes`. */
  sizeIndex: Int32Array;
}

const shapes = new WeakMap<BinaryWeights, WeightShape | null>();

function weightShape(weights: BinaryWeights): WeightShape | null {
  let shape = shapes.get(weights);
  if (shape !== undefined) return shape;
  const { n, offsets, neighbours } = weights;
  let symmetric = weights.selfIncluded;
  // Neighbour lists are sorted (fromLists): j ∈ N(i) is checked by binary search in N(j).
  for (let i = 0; i < n && symmetric; i++) {
    for (let e = offsets[i]!; e < offsets[i + 1]! && symmetric; e++) {
      const j = neighbours[e]!;
      let lo = offsets[j]!;
      let hi = offsets[j + 1]! - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (neighbours[mid]! < i) lo = mid + 1;
        else hi = mid;
      }
      symmetric = lo <= hi && neighbours[lo] === i;
    }
  }
  if (!symmetric) shape = null;
  else {
    const sizes: number[] = [];
    const sizeIndex = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const wi = offsets[i + 1]! - offsets[i]!;
      let k = sizes.indexOf(wi);
      if (k < 0) k = sizes.push(wi) - 1;
      sizeIndex[i] = k;
    }
    shape = { widest: Math.max(0, ...sizes), sizes, sizeIndex };
  }
  shapes.set(weights, shape);
  return shape;
}
