import { binsFdrOfGroups, binsOfP, twoSidedP } from "./confidence-bins.ts";
import { DEFAULT_INFERENCE, giStarPermutation, testability, type HotSpotInference, type HotSpotStatus, type InferenceUsed } from "./gi-star-permutation.ts";
import { tooSparseForNormal } from "./getis-ord.ts";
import { valueCountsOfListed } from "./sample-sum-distribution.ts";
import type { BinaryWeights } from "./spatial-weights.ts";

/**
 * The same result with its values stored once per group of cells that share them: cell i has the
 * z, p and bins of group `group[i]` (see groupedGiStar). The lake writer copies them straight into
 * its columns; `expandHotSpots` gives the per-cell arrays.
 */
export interface GroupedHotSpots {
  counts: Float64Array;
  /** Per cell its group: as few bytes a cell as the number of groups allows (see resultArrays). */
  group: Int32Array | Uint16Array | Uint8Array;
  z: Float64Array;
  p: Float64Array;
  bin: Int8Array;
  binFdr: Int8Array;
  /** "too_few_incidents": the month cannot be tested (see testability); its bins are all 0. */
  status: HotSpotStatus;
  inference: InferenceUsed;
}

/**
 * Gi* hot spots computed once per group of cells instead of once per cell. With binary Gi* weights a cell's z
 * depends only on its neighbourhood sum Σ_j x_j and its number of neighbours W_i (x̄ and S are the
 * month's): counts are whole numbers, so a month of thousands of cells has only dozens of distinct
 * (sum, W_i) pairs — most cells lie far from any incident, where the sum is 0 and z has the closed
 * form −x̄ W_i / (S √((n W_i − W_i²)/(n − 1))). z, p and both bins are computed once per pair, with
 * exactly the arithmetic of getisOrdZ, confidenceBins and confidenceBinsFdr, and copied to its cells:
 * the same numbers for a fraction of the work. The sums are scattered from the cells with incidents,
 * so a sparse month costs little. With permutation inference the groups are split further by the
 * cell's own count x_i, on which the conditional randomisation depends (gi-star-permutation.ts), and
 * the p-values and bins come from that test; the status says whether the month could be tested at
 * all (`testability`; bins are 0 when not). Returns null for weights (Gi, asymmetric) or counts (not
 * whole numbers) it does not handle. `workspace`: see GiStarWorkspace (a fresh one by default).
 */
export function groupedGiStar(
  counts: Float64Array,
  weights: BinaryWeights,
  inference: HotSpotInference = DEFAULT_INFERENCE,
  workspace: GiStarWorkspace = new GiStarWorkspace(),
): GroupedHotSpots | null {
  const n = weights.n;
  const shape = weightShape(weights);
  if (!shape || counts.length !== n) return null;
  const w = workspace.for(n, shape.sizes.length);
  const stats = sparseMoments(counts, w.nonZero);
  if (!stats) return null;
  const { mean, sd } = stats;
  const sums = neighbourhoodSums(counts, weights, w, stats.nonZero);
  const permutation = inference.method === "permutation";
  const groups = groupCells(sums, weights, shape, w, permutation ? counts : null, stats.maxCount);
  const { group, z: gz, p: gp, bin, binFdr } = resultArrays(n, groups);
  group.set(w.group);
  // Per group, z exactly as getisOrdZ computes it (Gi*: m = n, mean = x̄, variance = m2 / n).
  for (let k = 0; k < groups; k++) {
    const wi = w.size[k]!;
    const spread = Math.sqrt((n * wi - wi * wi) / (n - 1));
    gz[k] = sd > 0 && spread > 0 ? (w.sum[k]! - mean * wi) / (sd * spread) : Number.NaN;
    // The normal p-value only where it is the one reported (the permutation test overwrites every group's).
    if (!permutation) gp[k] = twoSidedP(gz[k]!);
  }
  // Read below this call only, so the workspace's array serves (entries past `groups` are not read).
  const members = w.members;
  for (let t = 0; t < sums.touched; t++) w.lag[w.touched[t]!] = 0;
  const vc = valueCountsOfListed(counts, w.nonZero, stats.nonZero, stats.maxCount);
  // The normal approximation also needs enough incidents expected in a neighbourhood (tooSparseForNormal).
  const status = !permutation && tooSparseForNormal(mean, Math.max(...shape.sizes)) ? "too_few_incidents" : testability(vc, shape.sizes);
  let direction: Float64Array = gz;
  let method: GroupedHotSpots["inference"] = "normal";
  if (inference.method === "permutation") {
    const test = giStarPermutation(counts, { sum: w.sum, size: w.size, own: w.own, groups, members }, inference, vc, {
      p: gp,
      direction: w.direction.subarray(0, groups),
    });
    direction = test.direction;
    method = test.method;
  }
  // Bins stay 0 (as allocated) in a month too sparse to test.
  if (status === "tested") {
    binsOfP(direction, gp, bin);
    binsFdrOfGroups(direction, gp, members, binFdr);
  }
  return { counts, group, z: gz, p: gp, status, inference: method, bin, binFdr };
}

/**
 * A result's arrays as views of one buffer, each cell's group in 1, 2 or 4 bytes as the number of
 * groups allows. A run keeps every month's result until it is written (thousands of them), and on
 * the bench machine fresh memory costs about 5 µs a kilobyte to touch the first time — more than the
 * arithmetic of a sparse month — and each typed array's own buffer an allocation outside the heap.
 */
function resultArrays(
  n: number,
  groups: number,
): { group: Int32Array | Uint16Array | Uint8Array; z: Float64Array; p: Float64Array; bin: Int8Array; binFdr: Int8Array } {
  const bytes = groups <= 1 << 8 ? 1 : groups <= 1 << 16 ? 2 : 4;
  const at = 16 * groups;
  const buffer = new ArrayBuffer(at + bytes * n + 2 * groups);
  return {
    z: new Float64Array(buffer, 0, groups),
    p: new Float64Array(buffer, 8 * groups, groups),
    group: bytes === 1 ? new Uint8Array(buffer, at, n) : bytes === 2 ? new Uint16Array(buffer, at, n) : new Int32Array(buffer, at, n),
    bin: new Int8Array(buffer, at + bytes * n, groups),
    binFdr: new Int8Array(buffer, at + bytes * n + groups, groups),
  };
}

/**
 * Work arrays for groupedGiStar, sized for one study area and reused from call to call: the caller
 * that computes many months over the same cells (the analysis) keeps one and passes it to every call,
 * so the arrays (the key table alone is 4 MB) are allocated once per run, not once per month. Its
 * arrays are left clean after each call (sums 0, keys 0), so any call may use it next; it is not for
 * two calls at the same time.
 */
export class GiStarWorkspace {
  private arrays: WorkArrays | undefined;

  /** The arrays for `n` cells and `sizes` neighbourhood sizes, reallocated when the study area changes. */
  for(n: number, sizes: number): WorkArrays {
    const w = this.arrays;
    if (w === undefined || w.lag.length !== n || w.sum.length < n + sizes) {
      this.arrays = {
        lag: new Float64Array(n),
        touched: new Int32Array(n),
        nonZero: new Int32Array(n),
        sum: new Float64Array(n + sizes),
        size: new Float64Array(n + sizes),
        own: new Float64Array(n + sizes),
        members: new Float64Array(n + sizes),
        direction: new Float64Array(n + sizes),
        group: new Int32Array(n),
        // Not filled: zeros are "no group", so the pages no key reaches are never touched (fresh
        // memory is slow to touch the first time on the bench machine, ≈ 5 µs a kilobyte).
        keys: new Int32Array(KEY_TABLE_SIZE),
        hash: new KeyHash(n),
      };
    }
    return this.arrays!;
  }
}

interface WorkArrays {
  /** Neighbourhood sums per cell (all zero between calls), and the cells with a sum > 0. */
  lag: Float64Array;
  touched: Int32Array;
  /** Cells with a count > 0. */
  nonZero: Int32Array;
  /** Per group its sum, number of neighbours, own count (0 unless split by it) and cells. */
  sum: Float64Array;
  size: Float64Array;
  own: Float64Array;
  members: Float64Array;
  /** Per group the tail it lies in (permutation test); per cell its group (copied to the result). */
  direction: Float64Array;
  group: Int32Array;
  /** Group + 1 by key sum × width + W_i for small keys (all 0, "none", between calls). */
  keys: Int32Array;
  /** Group by key for keys too large for `keys` (empty between calls). */
  hash: KeyHash;
}

/**
 * Whole-number keys (below 2^53) to groups for one call, by open addressing with linear probing in
 * typed arrays: the permutation mode splits groups by the cell's own count too, and for dense months
 * the keys outgrow the direct table; a Map keyed by such doubles costs several times more.
 * At most `n` keys per call (one per cell); `clear` empties the slots used.
 */
class KeyHash {
  private readonly keys: Float64Array;
  private readonly values: Int32Array;
  private readonly used: Int32Array;
  private size = 0;
  private readonly mask: number;

  constructor(n: number) {
    let capacity = 16;
    while (capacity < 2 * n + 2) capacity *= 2;
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity).fill(-1);
    this.used = new Int32Array(n + 1);
    this.mask = capacity - 1;
  }

  private slot(key: number): number {
    const high = Math.floor(key / 4294967296) | 0;
    let at = (Math.imul(key >>> 0, 0x9e3779b1) ^ Math.imul(high, 0x85ebca77)) & this.mask;
    while (this.values[at]! >= 0 && this.keys[at] !== key) at = (at + 1) & this.mask;
    return at;
  }

  /** The group of `key`, or −1. */
  get(key: number): number {
    return this.values[this.slot(key)]!;
  }

  set(key: number, group: number): void {
    const at = this.slot(key);
    if (this.values[at]! < 0) this.used[this.size++] = at;
    this.keys[at] = key;
    this.values[at] = group;
  }

  clear(): void {
    for (let k = 0; k < this.size; k++) this.values[this.used[k]!] = -1;
    this.size = 0;
  }
}

const KEY_TABLE_SIZE = 1 << 20;

/**
 * Σx, Σx², x̄, the population S and the number of cells with a count (listed, in index order, in
 * `list`) — or null unless every count is a whole number ≥ 0 below 2^40 (sums of neighbours are then
 * exact in any order). Σx and S are summed exactly as getisOrdZ sums them, so z is bit for bit the
 * same; the space-time Gi* of emerging hot spots takes them from here too.
 */
export function sparseMoments(
  counts: Float64Array,
  list: Int32Array,
): { sum: number; squares: number; mean: number; sd: number; nonZero: number; maxCount: number } | null {
  const n = counts.length;
  let sum = 0;
  let squares = 0;
  let nonZero = 0;
  let maxCount = 0;
  for (let i = 0; i < n; i++) {
    const v = counts[i]!;
    if (v === 0) continue;
    if (!(v > 0 && Math.floor(v) === v && v < 2 ** 40)) return null;
    sum += v;
    squares += v * v;
    if (v > maxCount) maxCount = v;
    list[nonZero++] = i;
  }
  const mean = sum / n;
  // The same terms in the same order as getisOrdZ: the non-zero cells in index order, then the zeros'.
  let m2 = 0;
  for (let t = 0; t < nonZero; t++) m2 += (counts[list[t]!]! - mean) ** 2;
  m2 += (n - nonZero) * (mean * mean);
  return { sum, squares, mean, sd: Math.sqrt(Math.max(m2 / n, 0)), nonZero, maxCount };
}

/**
 * Neighbourhood sums into `w.lag`, scattered from the cells with a count (weights are symmetric),
 * then the cells with a sum > 0 listed in `w.touched`; returns how many, and the largest sum.
 */
function neighbourhoodSums(counts: Float64Array, weights: BinaryWeights, w: WorkArrays, nonZero: number): { touched: number; maxLag: number } {
  scatterSums(counts, weights.offsets, weights.neighbours, w.lag, w.nonZero, nonZero);
  return listTouched(w.lag, w.touched);
}

// neighbourhoodSums' two loops as functions of their own, so that V8 optimises each with feedback for
// all of its code (compiled on-stack inside one function, the second loop left the optimised code on
// many later calls).

/** lag[i] += counts[j] for every listed cell j with a count and every neighbour i of j. */
function scatterSums(counts: Float64Array, offsets: Int32Array, neighbours: Int32Array, lag: Float64Array, list: Int32Array, nonZero: number): void {
  for (let t = 0; t < nonZero; t++) {
    const j = list[t]!;
    const v = counts[j]!;
    const end = offsets[j + 1]!;
    for (let e = offsets[j]!; e < end; e++) lag[neighbours[e]!]! += v;
  }
}

/** The cells with a sum > 0 into `touched`: how many, and the largest sum. */
function listTouched(lag: Float64Array, touched: Int32Array): { touched: number; maxLag: number } {
  let count = 0;
  let maxLag = 0;
  for (let i = 0; i < lag.length; i++) {
    const value = lag[i]!;
    if (value !== 0) {
      touched[count++] = i;
      if (value > maxLag) maxLag = value;
    }
  }
  return { touched: count, maxLag };
}

/**
 * Assigns every cell to a group of equal (neighbourhood sum, number of neighbours) — and own count,
 * when `own` gives the counts: one group per number of neighbours for the cells with a zero sum (whose
 * own count is 0), one per pair (triple) for the others. Returns the number of groups (their sums,
 * sizes, own counts and cells are in the workspace, and each cell's group in `w.group`).
 */
function groupCells(
  { touched, maxLag }: { touched: number; maxLag: number },
  weights: BinaryWeights,
  shape: WeightShape,
  w: WorkArrays,
  own: Float64Array | null,
  maxCount: number,
): number {
  const { lag, sum, size, members, keys } = w;
  const cells = w.touched;
  const { offsets } = weights;
  const { sizeIndex } = shape;
  let groups = 0;
  for (let k = 0; k < shape.sizes.length; k++) {
    sum[groups] = 0;
    w.own[groups] = 0;
    size[groups] = shape.sizes[k]!;
    members[groups++] = shape.sizeCount[k]!;
  }
  const group = w.group;
  group.set(sizeIndex);
  const width = shape.widest + 1;
  // The own count is the key's most significant part: most cells with a sum have a count of 0, so
  // their keys stay in the table's first (maxLag + 1) · width entries, as without the split (a 4 MB
  // table touched all over costs a cache miss per cell).
  const block = (maxLag + 1) * width;
  const small = block * (own ? maxCount + 1 : 1) <= KEY_TABLE_SIZE;
  // Keys of own count 0 (most cells with a sum) are below `block`: the direct table takes them
  // whenever `block` fits it, and only the others go to the hash.
  const zerosDirect = block <= KEY_TABLE_SIZE;
  const large = w.hash;
  for (let t = 0; t < touched; t++) {
    const i = cells[t]!;
    const wi = offsets[i + 1]! - offsets[i]!;
    const x = own ? own[i]! : 0;
    // Sums are whole numbers: an integer key indexes the table directly.
    const key = x * block + lag[i]! * width + wi;
    const direct = small || (x === 0 && zerosDirect);
    let g = direct ? keys[key | 0]! - 1 : large.get(key);
    if (g < 0) {
      g = groups++;
      if (direct) keys[key | 0] = g + 1;
      else large.set(key, g);
      sum[g] = lag[i]!;
      size[g] = wi;
      w.own[g] = x;
      members[g] = 0;
    }
    group[i] = g;
    members[g]!++;
    members[sizeIndex[i]!]!--;
  }
  if (small || zerosDirect) {
    for (let g = shape.sizes.length; g < groups; g++) if (small || w.own[g] === 0) keys[(w.own[g]! * block + sum[g]! * width + size[g]!) | 0] = 0;
  }
  if (!small) large.clear();
  return groups;
}

/** What groupedGiStar needs to know about weights once: the distinct neighbour counts (null: not Gi* or not symmetric). */
interface WeightShape {
  widest: number;
  sizes: number[];
  /** Per cell, the index of its neighbour count in `sizes`; per size, its number of cells. */
  sizeIndex: Int32Array;
  sizeCount: number[];
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
    const sizeCount: number[] = [];
    const sizeIndex = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const wi = offsets[i + 1]! - offsets[i]!;
      let k = sizes.indexOf(wi);
      if (k < 0) {
        k = sizes.push(wi) - 1;
        sizeCount.push(0);
      }
      sizeIndex[i] = k;
      sizeCount[k]!++;
    }
    shape = { widest: Math.max(0, ...sizes), sizes, sizeIndex, sizeCount };
  }
  shapes.set(weights, shape);
  return shape;
}
