import { cellArea } from "h3-js";

/** Real area of each H3 cell in km² (H3 cells of one resolution differ by up to about 2×). */
export function cellAreasKm2(cells: readonly string[]): Float64Array {
  return Float64Array.from(cells, (cell) => cellArea(cell, "km2"));
}

/**
 * cellAreasKm2(cells), computed once per cells array for the process: a run's backtest and every
 * forecast rank the same study area (one array for the run), and each computation is an H3 call per
 * cell (25-35 ms for 3,066 cells). Read-only.
 */
export function sharedCellAreas(cells: readonly string[]): Float64Array {
  let areas = sharedAreas.get(cells);
  if (!areas) sharedAreas.set(cells, (areas = cellAreasKm2(cells)));
  return areas;
}
// Keyed by the array itself: another study area is another array, and a dropped one is collected.
const sharedAreas = new WeakMap<readonly string[], Float64Array>();

/**
 * Makes `areas` what sharedCellAreas gives for `cells` in this process: cellAreasKm2(cells) as an
 * earlier process computed them for the same cells and h3-js (the study-area store, which vouches for
 * that by its key and checksum). Read-only like any shared areas.
 */
export function shareCellAreas(cells: readonly string[], areas: Float64Array): void {
  if (areas.length !== cells.length) throw new RangeError(`${areas.length} areas for ${cells.length} cells`);
  sharedAreas.set(cells, areas);
}

/**
 * Cell indices from the most to the least urgent: by score descending, NaN last, equal scores by
 * `tieBreak` descending when given, then by index (the study-area cells are sorted by id, so the
 * last resort is the cell id — deterministic, and blind to what happens next month). With `limit`,
 * only the first `limit` of that order: the cells scoring at least the limit-th highest score (ties
 * included) are sorted, which gives exactly the prefix of the full order at a fraction of the cost.
 */
export function rankCells(scores: ArrayLike<number>, tieBreak: ArrayLike<number> | null = null, limit = scores.length): Int32Array {
  const n = scores.length;
  const key = new Float64Array(n);
  const second = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    key[i] = Number.isNaN(scores[i]!) ? Number.NEGATIVE_INFINITY : scores[i]!;
    second[i] = tieBreak ? tieBreak[i]! : 0;
  }
  // The keys are read from arrays, not recomputed per comparison; the order is the same.
  const compare = (a: number, b: number) => (key[a] === key[b] ? 0 : key[b]! - key[a]!) || second[b]! - second[a]! || a - b;
  if (limit >= n) return Int32Array.from({ length: n }, (_, i) => i).sort(compare);
  if (limit <= 0) return new Int32Array(0);
  // The limit-th highest score, selected (a full sort of every score cost more than the rest of the ranking).
  const threshold = kthSmallest(Float64Array.from(key), n - limit);
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (key[i]! >= threshold) candidates.push(i);
  return Int32Array.from(candidates).sort(compare).subarray(0, limit);
}

/**
 * The value at index k of `values` sorted ascending (Hoare's selection; `values` is reordered, and
 * holds no NaN). Equal values may come back as −0 where a sort has +0 or the reverse, which compare equal.
 */
export function kthSmallest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i++] = values[j]!;
        values[j--] = t;
      }
    }
    // [lo, j] ≤ pivot ≤ [i, hi], and the values between equal the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}

/**
 * How many cells of a ranking to take so that their area reaches `fraction` of the study area: the
 * shortest prefix whose cumulative area is ≥ fraction × total area (at least one cell). The
 * resulting share can exceed the target by up to one cell, which is why accuracy measures use the
 * area actually selected. A partial ranking (`rankCells` with a limit) must be long enough.
 */
export function cellsForAreaShare(order: ArrayLike<number>, areas: ArrayLike<number>, fraction: number): number {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`the area share must be in (0, 1], got ${fraction}`);
  const k = prefixForAreaShare(order, areas, fraction);
  if (k === null) {
    if (order.length < areas.length) throw new RangeError("the partial ranking is too short to reach the area share");
    return order.length;
  }
  return k;
}

/**
 * A length of ranking that surely covers `fraction` of the area whatever the order: ⌈fraction · n ·
 * max area / min area⌉ cells (at most n), for ranking only that many (`rankCells` with a limit).
 */
export function cellsCovering(areas: ArrayLike<number>, fraction: number): number {
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < areas.length; i++) {
    min = Math.min(min, areas[i]!);
    max = Math.max(max, areas[i]!);
  }
  return Math.min(areas.length, Math.ceil((fraction * areas.length * max) / min) + 1);
}

function prefixForAreaShare(order: ArrayLike<number>, areas: ArrayLike<number>, fraction: number): number | null {
  let total = 0;
  for (let i = 0; i < areas.length; i++) total += areas[i]!;
  const target = fraction * total;
  let cumulative = 0;
  for (let r = 0; r < order.length; r++) {
    cumulative += areas[order[r]!]!;
    // A relative tolerance keeps 100 % (or an exact boundary) from missing by a rounding error.
    if (cumulative >= target * (1 - 1e-12)) return r + 1;
  }
  return null;
}
