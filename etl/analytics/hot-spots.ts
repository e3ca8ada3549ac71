import { binsFdrOfP, binsOfP, twoSidedP } from "./confidence-bins.ts";
import { getisOrdZ } from "./getis-ord.ts";
import { groupedGiStar } from "./grouped-gi-star.ts";
import type { BinaryWeights } from "./spatial-weights.ts";

/** Gi* result for every cell of the study area in one month and category. */
export interface HotSpotResult {
  counts: Float64Array;
  z: Float64Array;
  p: Float64Array;
  bin: Int8Array;
  binFdr: Int8Array;
}

/**
 * The same result with its values stored once per group of cells that share them: cell i has the
 * z, p and bins of group `group[i]` (see groupedGiStar). The lake writer copies them straight into
 * its columns; `expandHotSpots` gives the per-cell arrays.
 */
export interface GroupedHotSpots {
  counts: Float64Array;
  group: Int32Array;
  z: Float64Array;
  p: Float64Array;
  bin: Int8Array;
  binFdr: Int8Array;
}

/**
 * Hot spots of one month: the counts of every study-area cell (zeros included — absent cells count 0),
 * their Gi* z-scores, two-sided p-values, and confidence bins without and with FDR control.
 * `cellIndex` maps a cell id to its position in the weights; counts of cells outside are ignored.
 */
export function hotSpots(countsByCell: ReadonlyMap<string, number>, cellIndex: ReadonlyMap<string, number>, weights: BinaryWeights): HotSpotResult {
  const counts = new Float64Array(weights.n);
  for (const [cell, count] of countsByCell) {
    const i = cellIndex.get(cell);
    if (i !== undefined) counts[i] = count;
  }
  return hotSpotsOf(counts, weights);
}

/** hotSpots over counts already in the order of the weights. */
export function hotSpotsOf(counts: Float64Array, weights: BinaryWeights): HotSpotResult {
  return expandHotSpots(groupedHotSpots(counts, weights));
}

/**
 * hotSpotsOf in grouped form: computed once per group of cells sharing their values (groupedGiStar),
 * or — for weights and counts that does not handle — cell by cell, each cell its own group.
 */
export function groupedHotSpots(counts: Float64Array, weights: BinaryWeights): GroupedHotSpots {
  const grouped = groupedGiStar(counts, weights);
  if (grouped) return grouped;
  const z = getisOrdZ(counts, weights);
  const p = z.map(twoSidedP);
  return { counts, group: Int32Array.from({ length: weights.n }, (_, i) => i), z, p, bin: binsOfP(z, p), binFdr: binsFdrOfP(z, p) };
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
  return { counts: g.counts, z, p, bin, binFdr };
}
