/**
 * Reads back a grid folder the spdep peer wrote (bench/spdep-peer.ts): `meta.txt` (cells, vectors),
 * `grid.f64` (the count vectors, month by month and category by category over the study-area
 * cells), `edges.i32` (the k-ring neighbour pairs, 1-based, self excluded). Returns the vectors with
 * an incident — as the analyse stage sees them (a category without one this month is absent) — and
 * the weights built from the edge list.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fromLists, type BinaryWeights } from "../etl/analytics/spatial-weights.ts";

export function readSpdepGrid(dir: string): { cells: number; slices: Float64Array[]; weights: BinaryWeights } {
  const [cells, vectors] = readFileSync(join(dir, "meta.txt"), "utf8").trim().split(/\s+/).map(Number) as [number, number];
  const grid = new Float64Array(readFileSync(join(dir, "grid.f64")).buffer.slice(0));
  const edges = new Int32Array(readFileSync(join(dir, "edges.i32")).buffer.slice(0));
  const lists: number[][] = Array.from({ length: cells }, (_, i) => [i]);
  for (let e = 0; e < edges.length; e += 2) lists[edges[e]! - 1]!.push(edges[e + 1]! - 1);
  const slices: Float64Array[] = [];
  for (let v = 0; v < vectors; v++) {
    const x = grid.subarray(v * cells, (v + 1) * cells);
    if (x.some((c) => c > 0)) slices.push(x);
  }
  return { cells, slices, weights: fromLists(lists, true) };
}
