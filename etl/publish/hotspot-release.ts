import type { GiBin } from "../../dashboard/data-contract.ts";
import type { BinaryWeights } from "../analytics/spatial-weights.ts";
import { releasableNeighbourhood, releaseParts, releasedCount, type ReleaseRules } from "./release-rules.ts";

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
 * The release of one month's Gi* hot spots under the release rules. `all` is the all-offences
 * result over the non-sensitive categories only (the caller computes it so); `categories` are the
 * non-sensitive categories, whose counts add up to `all`'s. Neither the z-scores nor the p-values
 * are published: with the grid, the weights and the month's totals known, z is an affine function
 * of the neighbourhood count, so a set of published z-scores gives the neighbourhood counts and,
 * through the overlapping neighbourhoods, cell counts. What is published per significant cell:
 *
 * - its bins, only where its neighbourhood (the cell and its k-ring) holds 0 or at least the
 *   threshold: a bin bounds the neighbourhood count to an interval, one value wide for sparse data;
 * - its own count, under complementary suppression across the categories of the cell: the "all"
 *   count minus the categories' counts published for that cell must be 0 or at least the threshold,
 *   whichever of them are significant (the release is the counts', the same in every run).
 */
export function releaseHotSpotMonth(
  all: CategoryMonth | null,
  categories: readonly CategoryMonth[],
  weights: BinaryWeights,
  rules: ReleaseRules,
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
  // Counts of every listed cell, released together per cell so that no difference reveals a small one.
  const counts = new Map<CategoryMonth, Map<number, number | null>>([...parts, ...(total ? [total] : [])].map((p) => [p.c, new Map()]));
  const cells = new Set<number>();
  for (const p of [...parts, ...(total ? [total] : [])]) for (let i = 0; i < n; i++) if (p.out[i]) cells.add(i);
  for (const i of cells) {
    const own = parts.map((p) => p.c.counts[i]!);
    // Which counts of the cell may be published is decided from the counts alone, not from which of them are
    // significant: two runs whose bins differ (a hull study area that grew shifts every z) then publish parts of one
    // release. Released by listing, one run's "all" and another's category would give the cell's other category back.
    // An unlisted part that the release publishes holds at least the threshold, so what is not shown stays 0 or that much.
    const released = releaseParts(own, rules.threshold, { zeroDisclosive: false });
    // A cell with fewer than `threshold` incidents of all offences withholds every part and the total.
    if (total?.out[i]) counts.get(total.c)!.set(i, released.total ?? releasedCount(total.c.counts[i]!, rules));
    parts.forEach((p, k) => p.out[i] && counts.get(p.c)!.set(i, released.parts[k] ?? (own[k] === 0 ? 0 : null)));
  }
  const result: ReleasedCategoryMonth[] = [];
  for (const p of [...(total ? [total] : []), ...parts]) {
    const r: ReleasedCategoryMonth = { category: p.c.category, cell: [], bin: [], bin_fdr: [], count: [], withheld: p.withheld, withheld_fdr: p.withheldFdr };
    for (let i = 0; i < n; i++) {
      if (!p.out[i]) continue;
      r.cell.push(i);
      r.bin.push(p.c.bin[i] as GiBin);
      r.bin_fdr.push(p.c.binFdr[i] as GiBin | 0);
      r.count.push(counts.get(p.c)!.get(i)!);
    }
    if (r.cell.length > 0 || r.withheld > 0) result.push(r);
  }
  return result;
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
