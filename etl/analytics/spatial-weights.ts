/**
 * Binary spatial weights in compressed sparse row form: the neighbours of unit i are
 * `neighbours[offsets[i] .. offsets[i + 1])`, each with weight 1. Whether a unit is its own
 * neighbour (Gi*) or not (Gi) is decided by whoever builds the structure and recorded in `selfIncluded`.
 */
export interface BinaryWeights {
  /** Number of units n. */
  readonly n: number;
  /** Length n + 1; offsets[n] is the number of links. */
  readonly offsets: Int32Array;
  /** Neighbour indices, 0-based, grouped by unit. */
  readonly neighbours: Int32Array;
  /** True when every unit lists itself among its neighbours. */
  readonly selfIncluded: boolean;
}

/**
 * Builds binary weights from a directed edge list of 0-based unit indices (both directions must be
 * listed, as spdep's `nb` objects and the reference CSVs do). With `includeSelf`, every unit gets a
 * link to itself (spdep `include.self`), which turns Gi into Gi*. Duplicate edges are rejected
 * because they would silently double a weight.
 */
export function weightsFromEdges(n: number, edges: ReadonlyArray<readonly [number, number]>, includeSelf: boolean): BinaryWeights {
  const lists: number[][] = Array.from({ length: n }, (_, i) => (includeSelf ? [i] : []));
  for (const [from, to] of edges) {
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < 0 || from >= n || to >= n) {
      throw new RangeError(`edge (${from}, ${to}) refers to a unit outside 0..${n - 1}`);
    }
    if (from === to) continue; // self links are governed by includeSelf alone
    lists[from]!.push(to);
  }
  return fromLists(lists, includeSelf);
}

/**
 * Packs per-unit neighbour lists into CSR form, sorting each list so that sums are accumulated
 * in a fixed order (bit-identical results across runs).
 */
export function fromLists(lists: ReadonlyArray<ReadonlyArray<number>>, selfIncluded: boolean): BinaryWeights {
  const n = lists.length;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + lists[i]!.length;
  const neighbours = new Int32Array(offsets[n]!);
  for (let i = 0; i < n; i++) {
    const sorted = [...lists[i]!].sort((a, b) => a - b);
    for (let j = 1; j < sorted.length; j++) {
      if (sorted[j] === sorted[j - 1]) throw new Error(`unit ${i} lists neighbour ${sorted[j]} twice`);
    }
    neighbours.set(sorted, offsets[i]!);
  }
  return { n, offsets, neighbours, selfIncluded };
}
