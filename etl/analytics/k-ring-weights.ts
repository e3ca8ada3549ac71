import { gridDisk } from "h3-js";
import { fromLists, type BinaryWeights } from "./spatial-weights.ts";

/**
 * Binary Gi* weights over a set of H3 cells: each cell's neighbours are the cells of its k-ring
 * (grid distance ≤ k, the cell itself included) that belong to the set. Cells outside the study
 * area are not neighbours, so edge cells simply have fewer of them.
 */
export function kRingWeights(cells: readonly string[], k: number): BinaryWeights {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
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
