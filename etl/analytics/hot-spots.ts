import { binsFdrOfP, binsOfP, twoSidedP } from "./confidence-bins.ts";
import { getisOrdZ } from "./getis-ord.ts";
import { DEFAULT_INFERENCE, giStarPermutation, testability, type HotSpotInference, type HotSpotStatus, type InferenceUsed } from "./gi-star-permutation.ts";
import { groupedGiStar, type GiStarWorkspace, type GroupedHotSpots } from "./grouped-gi-star.ts";
import { valueCounts } from "./sample-sum-distribution.ts";
import type { BinaryWeights } from "./spatial-weights.ts";

/** Gi* result for every cell of the study area in one month and category. */
export interface HotSpotResult {
  counts: Float64Array;
  z: Float64Array;
  p: Float64Array;
  bin: Int8Array;
  binFdr: Int8Array;
  status: HotSpotStatus;
  inference: InferenceUsed;
}

/**
 * Hot spots of one month: the counts of every study-area cell (zeros included — absent cells count 0),
 * their Gi* z-scores, two-sided p-values (by default from conditional randomisation, see
 * gi-star-permutation.ts; `{ method: "normal" }` for the normal approximation of z), and confidence
 * bins without and with FDR control. `cellIndex` maps a cell id to its position in the weights;
 * counts of cells outside are ignored.
 */
export function hotSpots(
  countsByCell: ReadonlyMap<string, number>,
  cellIndex: ReadonlyMap<string, number>,
  weights: BinaryWeights,
  inference: HotSpotInference = DEFAULT_INFERENCE,
): HotSpotResult {
  const counts = new Float64Array(weights.n);
  for (const [cell, count] of countsByCell) {
    const i = cellIndex.get(cell);
    if (i !== undefined) counts[i] = count;
  }
  return hotSpotsOf(counts, weights, inference);
}

/** hotSpots over counts already in the order of the weights. */
export function hotSpotsOf(counts: Float64Array, weights: BinaryWeights, inference: HotSpotInference = DEFAULT_INFERENCE): HotSpotResult {
  return expandHotSpots(groupedHotSpots(counts, weights, inference));
}

/**
 * hotSpotsOf in grouped form: computed once per group of cells sharing their values (groupedGiStar),
 * or — for weights and counts that does not handle — cell by cell, each cell its own group.
 * Permutation inference needs Gi* weights and whole-number counts (it throws otherwise). A caller
 * computing many months over the same cells passes one `workspace` to every call (see GiStarWorkspace).
 */
export function groupedHotSpots(
  counts: Float64Array,
  weights: BinaryWeights,
  inference: HotSpotInference = DEFAULT_INFERENCE,
  workspace?: GiStarWorkspace,
): GroupedHotSpots {
  const grouped = groupedGiStar(counts, weights, inference, workspace);
  if (grouped) return grouped;
  const n = weights.n;
  const z = getisOrdZ(counts, weights);
  const p = z.map(twoSidedP);
  const group = Int32Array.from({ length: n }, (_, i) => i);
  if (inference.method === "normal") {
    return { counts, group, z, p, bin: binsOfP(z, p), binFdr: binsFdrOfP(z, p), status: "tested", inference: "normal" };
  }
  if (!weights.selfIncluded) throw new RangeError("permutation inference is implemented for Gi* (weights with the cell itself)");
  const vc = valueCounts(counts);
  const sum = new Float64Array(n);
  const size = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    size[i] = weights.offsets[i + 1]! - weights.offsets[i]!;
    for (let e = weights.offsets[i]!; e < weights.offsets[i + 1]!; e++) sum[i]! += counts[weights.neighbours[e]!]!;
  }
  const test = giStarPermutation(counts, { sum, size, own: counts, groups: n }, inference, vc);
  const status = testability(vc, [...new Set(size)]);
  const tested = status === "tested";
  return {
    counts,
    group,
    z,
    p: test.p,
    status,
    inference: test.method,
    bin: tested ? binsOfP(test.direction, test.p) : new Int8Array(n),
    binFdr: tested ? binsFdrOfP(test.direction, test.p) : new Int8Array(n),
  };
}

/** The per-cell arrays of a grouped result. */
export function expandHotSpots(g: GroupedHotSpots): HotSpotResult {
  const n = g.group.length;
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  const bin = new Int8Array(n);
  const binFdr = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const k = g.group[i]!;
    z[i] = g.z[k]!;
    p[i] = g.p[k]!;
    bin[i] = g.bin[k]!;
    binFdr[i] = g.binFdr[k]!;
  }
  return { counts: g.counts, z, p, bin, binFdr, status: g.status, inference: g.inference };
}
