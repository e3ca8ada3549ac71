import { getisOrdZ } from "./getis-ord.ts";
import { confidenceBins, confidenceBinsFdr, twoSidedP } from "./confidence-bins.ts";
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
  const z = getisOrdZ(counts, weights);
  return { counts, z, p: z.map(twoSidedP), bin: confidenceBins(z), binFdr: confidenceBinsFdr(z) };
}
