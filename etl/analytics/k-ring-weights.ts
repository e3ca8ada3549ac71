import { gridDisk } from "h3-js";
import { fromLists, type BinaryWeights } from "./spatial-weights.ts";

/**
 * Binary Gi* weights over a set of H3 cells: each cell's neighbours are the cells of its k-ring
 * (grid distance ≤ k, the cell itself included) that belong to the set. Cells outside the study
 * area are not neighbours, so edge cells simply have fewer of them.
 *
 * Built once per (cells in order, k) and kept (the last KEPT of them): a run's stages — analyse,
 * emerging, forecasts, publish — each ask for the same study area's weights, and building them
 * (thousands of `gridDisk` calls, run cold in the interpreter) costs more than a month's Gi*. The
 * key is the cells' content, not the array, because the stages hold their own copies of the study
 * area. The weights returned are shared: callers must not modify their arrays.
 */
export function kRingWeights(cells: readonly string[], k: number): BinaryWeights {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const key = `${k}\n${cells.join("\n")}`;
  const kept = memo.get(key);
  if (kept) {
    // Most recently used last: the first entry is the one to drop.
    memo.delete(key);
    memo.set(key, kept);
    return kept;
  }
  const weights = buildKRingWeights(cells, k);
  memo.set(key, weights);
  if (memo.size > KEPT) memo.delete(memo.keys().next().value!);
  return weights;
}

/** Study areas × k kept: a run uses one or two (a hull, another resolution in publish). */
const KEPT = 8;
const memo = new Map<string, BinaryWeights>();

function buildKRingWeights(cells: readonly string[], k: number): BinaryWeights {
  const index = new Map(cells.map((cell, i) => [cell, i]));
  if (index.size !== cells.length) throw new Error("the study area lists a cell twice");
  const lists = cells.map((cell) => {
    const neighbours: number[] = [];
    for (const other of gridDisk(cell, k)) {
      const j = index.get(other);
      if (j !== undefined) neighbours.push(j);
    }
    return neighbours;
  });
  return fromLists(lists, true);
}
