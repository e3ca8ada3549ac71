import type { GiBin } from "../../dashboard/data-contract.ts";
import type { BinaryWeights } from "../analytics/spatial-weights.ts";
import { releasableNeighbourhood, type ReleaseRules } from "./release-rules.ts";
import { suppressLinked, type LinkedCell, type Relation } from "./linked-suppression.ts";

/** One month and category of Gi* results over the study-area cells (in the order of the weights). */
export interface CategoryMonth {
  category: string;
  /** Incidents per cell. */
  counts: Float64Array;
  /** Confidence bins without and with FDR control (0: not significant). */
  bin: Int8Array;
  binFdr: Int8Array;
}

/** What may be published of one month and category: the released significant cells. */
export interface ReleasedCategoryMonth {
  category: string;
  /** Cell positions (in the weights' order), bins and counts (null below the threshold or withheld). */
  cell: number[];
  bin: GiBin[];
  bin_fdr: Array<GiBin | 0>;
  count: Array<number | null>;
  /** Significant cells (without / with FDR) not published because their neighbourhood holds 1 to threshold − 1 incidents. */
  withheld: number;
  withheld_fdr: number;
}

/**
 * Where one month's incidents of a category lie, by municipality (the monthly table's, "" for none):
 * `total`, the municipality's count the overview publishes (every incident, in a study-area cell or
 * not), and `cells`, its incidents in each study-area cell (by position in the weights). A cell on a
 * boundary has incidents in two municipalities.
 */
export type MunicipalityCounts = Map<string, { total: number; cells: Map<number, number> }>;

/**
 * The release of one month's Gi* hot spots under the release rules. `all` is the all-offences
 * result over the non-sensitive categories only (the caller computes it so); `categories` are the
 * non-sensitive categories, whose counts add up to `all`'s. Neither the z-scores nor the p-values
 * are published: with the grid, the weights and the month's totals known, z is an affine function
 * of the neighbourhood count, so a set of published z-scores gives the neighbourhood counts and,
 * through the overlapping neighbourhoods, cell counts. What is published per significant cell:
 *
 * - its bins, only where its neighbourhood (the cell and its k-ring) holds 0 or at least the
 *   threshold: a bin bounds the neighbourhood count to an interval, one value wide for sparse data;
 * - its own count, released with the month's other cell counts (releaseCellCounts): the "all"
 *   count minus the categories' counts published for that cell, and the municipality's monthly
 *   count of a category minus its cells' published counts, must be 0 or at least the threshold.
 *
 * `municipalities` (per category) gives the municipality relations; without it only each cell's.
 */
export function releaseHotSpotMonth(
  all: CategoryMonth | null,
  categories: readonly CategoryMonth[],
  weights: BinaryWeights,
  rules: ReleaseRules,
  municipalities?: ReadonlyMap<string, MunicipalityCounts>,
): ReleasedCategoryMonth[] {
  const n = weights.n;
  const listed = (c: CategoryMonth) => {
    const ring = ringSums(c.counts, weights);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = c.bin[i] !== 0 && releasableNeighbourhood(ring[i]!, rules) ? 1 : 0;
    const withheld = countWhere(n, (i) => c.bin[i] !== 0 && !out[i]);
    const withheldFdr = countWhere(n, (i) => c.binFdr[i] !== 0 && !out[i]);
    return { out, withheld, withheldFdr };
  };
  const parts = categories.map((c) => ({ c, ...listed(c) }));
  const total = all ? { c: all, ...listed(all) } : null;
  const released = releaseCellCounts(
    categories.map((c) => ({ counts: c.counts, municipalities: municipalities?.get(c.category) })),
    n,
    rules.threshold,
  );
  const result: ReleasedCategoryMonth[] = [];
  for (const [k, p] of [...(total ? [total] : []), ...parts].entries()) {
    const own = total ? (k === 0 ? released.all : released.parts[k - 1]!) : released.parts[k]!;
    const r: ReleasedCategoryMonth = { category: p.c.category, cell: [], bin: [], bin_fdr: [], count: [], withheld: p.withheld, withheld_fdr: p.withheldFdr };
    for (let i = 0; i < n; i++) {
      if (!p.out[i]) continue;
      r.cell.push(i);
      r.bin.push(p.c.bin[i] as GiBin);
      r.bin_fdr.push(p.c.binFdr[i] as GiBin | 0);
      r.count.push(own(i));
    }
    if (r.cell.length > 0 || r.withheld > 0) result.push(r);
  }
  return result;
}

/**
 * Which per-cell counts of a month may be published: every cell's count of each category and of their
 * sum ("all"), released together with suppressLinked (linked-suppression.ts). Relations: a cell's
 * "all" and its categories; a municipality's monthly count of a category (published by the overview,
 * here always taken as known: whether it is depends on other months, and a cell's release must not)
 * and its incidents in each cell, the rest (cells not drawn, incidents without a cell) one part
 * never published; the municipality's non-sensitive total (its categories' sum) and its cells' "all",
 * with the categories' rests as its rest. A boundary cell's count is the sum of its municipalities'
 * shares, each a part never published. Decided from the counts alone, whichever cells are significant:
 * two runs whose bins differ (a hull study area that grew shifts every z) publish parts of one release,
 * and a count not drawn is treated as known, which only withholds more. Returns per cell position the
 * count to publish (null: withheld; a count of 0 is 0).
 */
export function releaseCellCounts(
  categories: ReadonlyArray<{ counts: ArrayLike<number>; municipalities?: MunicipalityCounts | undefined }>,
  n: number,
  threshold: number,
): { all: (i: number) => number | null; parts: Array<(i: number) => number | null> } {
  const cells: LinkedCell[] = [];
  const relations: Relation[] = [];
  const cell = (value: number, role: LinkedCell["role"] = "candidate") => cells.push({ value, role }) - 1;
  const relate = (total: number, parts: number[]) => {
    if (parts.length > 0) relations.push({ total, parts });
  };
  const part = categories.map(() => new Map<number, number>()); // category → cell position → its linked cell
  const all = new Map<number, number>();
  // Plain loops, no arrays per cell: this runs for every study-area cell of every month (some 370,000
  // cells a fresh publish at 10 M incidents). The linked cells are made in the same order as ever: a
  // cell's "all", then its categories' in their order.
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let empty = true;
    for (const c of categories) {
      sum += c.counts[i]!;
      empty &&= c.counts[i] === 0;
    }
    if (empty) continue;
    const total = cell(sum);
    all.set(i, total);
    const own: number[] = [];
    categories.forEach((c, k) => {
      const x = c.counts[i]!;
      if (!(x > 0)) return;
      const id = cell(x);
      part[k]!.set(i, id);
      own.push(id);
    });
    relate(total, own);
  }
  // Per municipality: each category's total and its cells, and the non-sensitive total and its cells' "all".
  const names = new Set(categories.flatMap((c) => [...(c.municipalities?.keys() ?? [])]));
  const shares = new Map<number, Map<string, number[]>>(); // cell position → municipality → its shares' linked cells (one per category)
  const rests = new Map<string, number[]>();
  categories.forEach((c, k) => {
    const byCell = new Map<number, Array<[string, number]>>(); // cell position → its municipalities' counts
    for (const [name, m] of c.municipalities ?? []) for (const [i, x] of m.cells) if (x > 0) (byCell.get(i) ?? byCell.set(i, []).get(i)!).push([name, x]);
    const share = new Map<string, Map<number, number>>(); // municipality → cell position → linked cell
    for (const [i, split] of byCell) {
      const sum = split.reduce((s, [, x]) => s + x, 0);
      if (sum !== c.counts[i]) throw new RangeError(`cell ${i}: its municipalities' incidents (${sum}) are not its count (${c.counts[i]})`);
      for (const [name, x] of split) {
        const id = split.length === 1 ? part[k]!.get(i)! : cell(x, "virtual");
        share.set(name, (share.get(name) ?? new Map<number, number>()).set(i, id));
        const perCell = shares.get(i) ?? shares.set(i, new Map()).get(i)!;
        (perCell.get(name) ?? perCell.set(name, []).get(name)!).push(id);
      }
      if (split.length > 1) relate(part[k]!.get(i)!, [...split.map(([name]) => share.get(name)!.get(i)!)]);
    }
    for (const [name, m] of c.municipalities ?? []) {
      const inCells = [...(share.get(name) ?? new Map<number, number>()).values()];
      const rest = m.total - inCells.reduce((s, id) => s + cells[id]!.value, 0);
      if (rest < 0) throw new RangeError(`municipality ${name}: its cells hold more incidents than its total ${m.total}`);
      const restCell = cell(rest, "virtual");
      (rests.get(name) ?? rests.set(name, []).get(name)!).push(restCell);
      relate(cell(m.total, "fixed"), [...inCells, restCell]);
    }
  });
  const allShares = new Map<number, number[]>(); // boundary cell position → its municipalities' "all" shares
  for (const name of names) {
    const inCells: number[] = [];
    for (const [i, perCell] of shares) {
      const own = perCell.get(name);
      if (!own) continue;
      if (perCell.size === 1) inCells.push(all.get(i)!);
      else {
        const id = cell(
          own.reduce((s, x) => s + cells[x]!.value, 0),
          "virtual",
        );
        relate(id, own);
        allShares.set(i, [...(allShares.get(i) ?? []), id]);
        inCells.push(id);
      }
    }
    const restParts = rests.get(name) ?? [];
    const rest =
      restParts.length === 1
        ? restParts[0]!
        : cell(
            restParts.reduce((s, x) => s + cells[x]!.value, 0),
            "virtual",
          );
    if (restParts.length > 1) relate(rest, restParts);
    const parts = [...inCells, rest];
    relate(
      cell(
        parts.reduce((s, x) => s + cells[x]!.value, 0),
        "fixed",
      ),
      parts,
    );
  }
  // A boundary cell's "all" is the sum of its municipalities' "all" shares (where every category has them).
  for (const [i, ids] of allShares) {
    if (ids.reduce((s, x) => s + cells[x]!.value, 0) === cells[all.get(i)!]!.value) relate(all.get(i)!, ids);
  }
  const { withheld } = suppressLinked(cells, relations, threshold);
  const released = (ids: ReadonlyMap<number, number>) => (i: number) => {
    const id = ids.get(i);
    return id === undefined ? 0 : withheld[id] ? null : cells[id]!.value;
  };
  return { all: released(all), parts: part.map(released) };
}

/** The count of each cell's neighbourhood (Σ over its weights' neighbours, itself included for Gi*). */
export function ringSums(counts: ArrayLike<number>, weights: BinaryWeights): Float64Array {
  const out = new Float64Array(weights.n);
  for (let i = 0; i < weights.n; i++) {
    let s = 0;
    for (let e = weights.offsets[i]!; e < weights.offsets[i + 1]!; e++) s += counts[weights.neighbours[e]!]!;
    out[i] = s;
  }
  return out;
}

/**
 * ringSums over the space-time neighbourhoods of emerging hot spots (see spaceTimeWeights): for cell
 * i in month t of a month-major grid, the k-ring's incidents in month t and the `timeWindow` months
 * before it that the grid holds. Each month's spatial ring sums once, then a sliding sum over the
 * window, instead of a weights list `timeWindow + 1` times the spatial one.
 */
export function spaceTimeRingSums(counts: ArrayLike<number>, spatial: BinaryWeights, steps: number, timeWindow: number): Float64Array {
  const n = spatial.n;
  const ring = new Float64Array(n * steps);
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let e = spatial.offsets[i]!; e < spatial.offsets[i + 1]!; e++) s += counts[t * n + spatial.neighbours[e]!]!;
      ring[t * n + i] = s;
    }
  }
  const out = new Float64Array(n * steps);
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let l = Math.max(0, t - timeWindow); l <= t; l++) s += ring[l * n + i]!;
      out[t * n + i] = s;
    }
  }
  return out;
}

function countWhere(n: number, test: (i: number) => boolean): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (test(i)) k++;
  return k;
}
