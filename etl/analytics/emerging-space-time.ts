import { binsFdrOfGroups, binsOfP, twoSidedP } from "./confidence-bins.ts";
import { giStarComparator, type ExactGiStar } from "./gi-star-exact.ts";
import { DEFAULT_INFERENCE, giStarPermutation, testability, type HotSpotInference, type InferenceUsed } from "./gi-star-permutation.ts";
import { sparseMoments } from "./grouped-gi-star.ts";
import { valueCounts } from "./sample-sum-distribution.ts";
import { FRESH_ARRAYS, type ScratchArrays } from "./scratch-arrays.ts";
import type { BinaryWeights } from "./spatial-weights.ts";

/**
 * The space-time Gi* of a whole cube (see spaceTimeWeights) stored once per group of bins that share
 * their value: bin u = t · cells + i has the z, p-value and confidence bin of group `group[u]`.
 */
export interface SpaceTimeGiStar {
  /** Per bin its neighbourhood sum L (the k-ring in its month and the window's previous months), and its group. */
  lags: Float64Array;
  group: Int32Array;
  /**
   * Per group: z, two-sided p (normal or conditional permutation: `inference`), the confidence bin
   * (after Benjamini–Hochberg when asked; 0 throughout a cube too sparse to test) and its number of bins.
   */
  z: Float64Array;
  p: Float64Array;
  bin: Int8Array;
  members: Float64Array;
  /** The exact parts of every group's z (gi-star-exact.ts; one block, the cube), or null where they leave the exact range. */
  exact: ExactGiStar | null;
  inference: InferenceUsed;
}

/**
 * Space-time Gi* over the cube of `counts` (month-major: bin t · cells + i), by groups of bins.
 *
 * With binary weights a bin's z depends on its neighbourhood sum L and its number of neighbours W
 * alone — x̄ and S are the whole cube's [@getis1992; @ord1995; the space-time form of @esri-ehsa]:
 *
 *     z = (L − x̄ W) / ( S √((n W − W²) / (n − 1)) ),   n = cells · steps,
 *
 * and W = |k-ring of i| · (min(window, t) + 1). Counts are whole numbers, so a cube of hundreds of
 * thousands of bins has only thousands of distinct (L, W): z, p and the bins are computed once per
 * pair with the arithmetic of getisOrdZ, confidenceBins and confidenceBinsFdr (binsFdrOfGroups gives
 * the step-up rule's cut-offs over the expanded list), so every value is bit for bit the one those give
 * over the cube's space-time weights — which need not be built (tens of MB for ten years).
 * test/emerging-space-time.test.ts checks it against them.
 *
 * With permutation inference (the default, as the analysis's Gi*) the groups are split further by the
 * bin's own count x, and p and the bins come from conditional randomisation over the whole cube
 * [@anselin1995]: x stays, the cube's other n − 1 counts are permuted, L − x is the sum of W − 1 of
 * them (giStarPermutation, seeded; its testability rule decides whether the cube can be tested at
 * all). The normal p-values are far too small on a sparse cube — one incident among ~150 cell-months
 * gives its ring z ≈ 3, p ≈ 0.003, shared by thousands of bins that Benjamini–Hochberg then passes —
 * so that patterns built on them are no rarer on randomly scattered incidents than on real ones. z, and so the trend tests, are the same under either inference.
 *
 * Returns null where the counts are not whole numbers ≥ 0 below 2^40 (neighbourhood sums in floating
 * point then depend on the order of addition): the caller takes the per-bin route. The per-bin arrays
 * (`lags`, `group` and the work lists) come from `arrays`: a run's scratch arrays (see ScratchArrays)
 * make them valid until its next cube.
 */
export function spaceTimeGiStar(
  counts: Float64Array,
  spatial: BinaryWeights,
  steps: number,
  window: number,
  fdr: boolean,
  arrays: Pick<ScratchArrays, "float64" | "int32"> = FRESH_ARRAYS,
  inference: HotSpotInference = DEFAULT_INFERENCE,
): SpaceTimeGiStar | null {
  if (!spatial.selfIncluded) throw new Error("space-time Gi* needs spatial weights that include the cell itself");
  if (!Number.isInteger(window) || window < 0) throw new RangeError(`the time window must be a non-negative integer, got ${window}`);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`the cube needs at least one time step, got ${steps}`);
  const cells = spatial.n;
  const n = cells * steps;
  if (counts.length !== n) throw new RangeError(`the cube has ${counts.length} counts, not ${cells} cells × ${steps} steps`);
  // Σx and the centred sum of squares in getisOrdZ's order, and Σx² as exactGiStar sums it: the same
  // doubles, hence the same z. The bins with a count are listed: the second pass reads those only.
  const nonZero = arrays.int32("cube.nonZero", n);
  const moments = sparseMoments(counts, nonZero);
  if (moments === null) return null;
  const { sum, squares, mean, sd, nonZero: listed } = moments;
  let maxW = 0;
  for (let i = 0; i < cells; i++) maxW = Math.max(maxW, spatial.offsets[i + 1]! - spatial.offsets[i]!);
  maxW *= window + 1;
  // Past here every partial sum is a whole number below 2^53, exact in any order of addition.
  if (!Number.isSafeInteger(sum)) return null;
  const lags = scatteredLags(counts, nonZero.subarray(0, listed), spatial, steps, window, arrays.float64("cube.lags", n));
  let maxL = 0;
  for (let u = 0; u < n; u++) if (lags[u]! > maxL) maxL = lags[u]!;
  // Group the bins by (L, W) — and own count x under permutation — keyed (x · (maxL + 1) + L) · (maxW + 1)
  // + W: a whole number, which indexes a table directly while the table is small (a study area's sums
  // stay in the thousands), else a Map.
  const permutation = inference.method === "permutation";
  const width = maxW + 1;
  const block = (maxL + 1) * width;
  const keySpace = block * (permutation ? moments.maxCount + 1 : 1);
  if (!Number.isSafeInteger(keySpace)) return null;
  const table = keySpace <= DIRECT_KEYS ? arrays.int32("cube.keys", keySpace) : null;
  const keys = new Map<number, number>();
  const group = arrays.int32("cube.group", n);
  const groupL: number[] = [];
  const groupW: number[] = [];
  const groupMembers: number[] = [];
  const groupOwn: number[] = [];
  const degree = new Int32Array(cells);
  for (let i = 0; i < cells; i++) degree[i] = spatial.offsets[i + 1]! - spatial.offsets[i]!;
  for (let t = 0, u = 0; t < steps; t++) {
    const lagsOfT = Math.min(window, t) + 1;
    for (let i = 0; i < cells; i++, u++) {
      const w = degree[i]! * lagsOfT;
      const x = permutation ? counts[u]! : 0;
      const key = x * block + lags[u]! * width + w;
      let g = table !== null ? table[key]! - 1 : (keys.get(key) ?? -1);
      if (g < 0) {
        g = groupL.length;
        if (table !== null) table[key] = g + 1;
        else keys.set(key, g);
        groupL.push(lags[u]!);
        groupW.push(w);
        groupMembers.push(0);
        groupOwn.push(x);
      }
      group[u] = g;
      groupMembers[g]!++;
    }
  }
  const groups = groupL.length;
  const z = new Float64Array(groups);
  const p = new Float64Array(groups);
  for (let g = 0; g < groups; g++) {
    const wi = groupW[g]!;
    // getisOrdZ's expression for Gi* (m = n, mean = x̄, variance = m2 / n).
    const spread = Math.sqrt((n * wi - wi * wi) / (n - 1));
    z[g] = sd > 0 && spread > 0 ? (groupL[g]! - mean * wi) / (sd * spread) : Number.NaN;
    if (!permutation) p[g] = twoSidedP(z[g]!);
  }
  const members = Float64Array.from(groupMembers);
  const exact = exactParts(groupL, groupW, n, sum, squares);
  if (inference.method !== "permutation") {
    const bin = fdr ? binsFdrOfGroups(z, p, members) : binsOfP(z, p);
    return { lags, group, z, p, bin, members, exact, inference: "normal" };
  }
  const vc = valueCounts(counts);
  const test = giStarPermutation(counts, { sum: groupL, size: groupW, own: groupOwn, groups, members }, inference, vc, {
    p,
    direction: new Float64Array(groups),
  });
  // The cube's neighbourhood sizes: each cell's ring size times 1 … window + 1 months.
  const sizes = new Set<number>();
  for (const w of groupW) sizes.add(w);
  const bin = new Int8Array(groups);
  if (testability(vc, [...sizes]) === "tested") {
    if (fdr) binsFdrOfGroups(test.direction, p, members, bin);
    else binsOfP(test.direction, p, bin);
  }
  return { lags, group, z, p, bin, members, exact, inference: test.method };
}

/**
 * Each bin's space-time neighbourhood sum L — the counts of its k-ring in its month and the `window`
 * previous months, what spaceTimeRingSums gives — scattered from the bins with a count: bin (t, j)
 * adds its count to every bin (s, i) with j in i's ring and s in t … t + window. Whole-number counts
 * (see spaceTimeGiStar) make the sums exact in this order as in any; a sparse cube costs its
 * incidents' bins, not all of them. `lags`: zeros, one per bin, filled and returned.
 */
function scatteredLags(counts: Float64Array, nonZero: Int32Array, spatial: BinaryWeights, steps: number, window: number, lags: Float64Array): Float64Array {
  const cells = spatial.n;
  const into = reverseOf(spatial);
  for (let k = 0; k < nonZero.length; k++) {
    const u = nonZero[k]!;
    const t = (u / cells) | 0;
    const j = u - t * cells;
    const v = counts[u]!;
    const last = Math.min(steps - 1, t + window);
    for (let s = t; s <= last; s++) {
      const base = s * cells;
      for (let e = into.offsets[j]!; e < into.offsets[j + 1]!; e++) lags[base + into.neighbours[e]!]! += v;
    }
  }
  return lags;
}

/** Per unit j, the units whose neighbours include j (the weights' transpose; k-ring weights are their own), made once per weights. */
function reverseOf(weights: BinaryWeights): Pick<BinaryWeights, "offsets" | "neighbours"> {
  let reverse = reversed.get(weights);
  if (reverse) return reverse;
  const { n, offsets, neighbours } = weights;
  const into = new Int32Array(n + 1);
  for (let e = 0; e < neighbours.length; e++) into[neighbours[e]! + 1]!++;
  for (let j = 0; j < n; j++) into[j + 1]! += into[j]!;
  const from = new Int32Array(neighbours.length);
  const filled = into.slice(0, n);
  for (let i = 0; i < n; i++) for (let e = offsets[i]!; e < offsets[i + 1]!; e++) from[filled[neighbours[e]!]!++] = i;
  reverse = { offsets: into, neighbours: from };
  reversed.set(weights, reverse);
  return reverse;
}
const reversed = new WeakMap<BinaryWeights, Pick<BinaryWeights, "offsets" | "neighbours">>();

/** The largest key table spaceTimeGiStar indexes directly (4 MB); larger keys go to a Map. */
const DIRECT_KEYS = 1 << 20;

/**
 * The exact parts of each group's z as exactGiStar gives them for its bins (a = nL − TW, W, one
 * block with D = nQ − T²), or null under exactGiStar's conditions (a part outside the safe integers).
 */
function exactParts(groupL: readonly number[], groupW: readonly number[], n: number, total: number, squares: number): ExactGiStar | null {
  if (!Number.isSafeInteger(squares) || !Number.isSafeInteger(total)) return null;
  const groups = groupL.length;
  const a = new Float64Array(groups);
  const w = new Float64Array(groups);
  for (let g = 0; g < groups; g++) {
    const value = n * groupL[g]! - total * groupW[g]!;
    if (!Number.isSafeInteger(value) || !Number.isSafeInteger(n * groupL[g]!) || !Number.isSafeInteger(total * groupW[g]!)) return null;
    a[g] = value;
    w[g] = groupW[g]!;
  }
  return { a, w, block: new Int32Array(groups), d: [BigInt(n) * BigInt(squares) - BigInt(total) * BigInt(total)], n: [n] };
}

/**
 * Each group's rank among the groups' z-scores (NaN where z is undefined): equal ranks exactly where
 * z is tied, decided as mannKendall decides them from the per-bin z with giStarComparator (floating
 * point where clearly apart, the exact form otherwise). The Mann-Kendall test of a cell's series of
 * ranks then counts the same concordant, discordant and tied pairs as of its z-series, with plain
 * comparisons of small integers instead of the comparator on every pair of months of every cell.
 */
export function groupRanks(st: Pick<SpaceTimeGiStar, "z" | "exact">): Float64Array {
  const { z } = st;
  const compare = giStarComparator(z, st.exact, (g) => g);
  const finite: number[] = [];
  for (let g = 0; g < z.length; g++) if (Number.isFinite(z[g]!)) finite.push(g);
  finite.sort((a, b) => compare(a, b));
  const rank = new Float64Array(z.length).fill(Number.NaN);
  for (let i = 0, r = 0; i < finite.length; r++) {
    let j = i + 1;
    while (j < finite.length && compare(finite[j]!, finite[i]!) === 0) j++;
    for (let m = i; m < j; m++) rank[finite[m]!] = r;
    i = j;
  }
  return rank;
}

/** The confidence bin of every bin of the cube (month-major), from its group's (in an array of `arrays`: see spaceTimeGiStar). */
export function spaceTimeBins(st: Pick<SpaceTimeGiStar, "group" | "bin">, arrays: Pick<ScratchArrays, "int8"> = FRESH_ARRAYS): Int8Array {
  const bins = arrays.int8("cube.bins", st.group.length);
  for (let u = 0; u < bins.length; u++) bins[u] = st.bin[st.group[u]!]!;
  return bins;
}
