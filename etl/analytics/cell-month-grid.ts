import type { LakeCounts } from "./lake-counts.ts";
import { analysisStart } from "./lake-months.ts";
import type { CellMonthCount } from "./monthly-counts.ts";
import { monthRange } from "./monthly-counts.ts";
import { FRESH_ARRAYS, type ScratchArrays } from "./scratch-arrays.ts";

/** The category that sums every offence category. */
export const ALL_OFFENCES = "all";

/**
 * Incident counts of every study-area cell in every month of a range, zeros included: the input of
 * the emerging-hot-spot classification, the patrol-priority scores and their backtest. Counts are
 * month-major: the count of cell i in month t is `counts[t * cells.length + i]`.
 */
export interface CellMonthGrid {
  /** H3 cells of the study area, in the order of the weights built over them. */
  readonly cells: readonly string[];
  /** Consecutive calendar months "YYYY-MM", first to last, none skipped. */
  readonly months: readonly string[];
  readonly counts: Float64Array;
}

/** What `cellMonthGrid` kept and left out, so no incident disappears silently. */
export interface GridAccounting {
  incidents_in_grid: number;
  incidents_outside_study_area: number;
  incidents_outside_months: number;
}

/**
 * Builds the grid of one offence category (or `ALL_OFFENCES`) from lake counts. The month range
 * defaults to the first and last month present; counts of cells outside the study area, of other
 * categories and of months outside the range are left out and accounted for.
 */
export function cellMonthGrid(
  rows: readonly CellMonthCount[],
  cells: readonly string[],
  options: { category?: string; from?: string; to?: string } = {},
): { grid: CellMonthGrid; accounting: GridAccounting } {
  const category = options.category ?? ALL_OFFENCES;
  const selected = rows.filter((r) => category === ALL_OFFENCES || r.category === category);
  const present = selected.map((r) => r.month).sort();
  const from = options.from ?? present[0];
  const to = options.to ?? present.at(-1);
  const months = from !== undefined && to !== undefined ? monthRange(from, to) : [];
  const monthIndex = new Map(months.map((m, t) => [m, t]));
  const cellIndex = new Map(cells.map((c, i) => [c, i]));
  const counts = new Float64Array(months.length * cells.length);
  const accounting: GridAccounting = { incidents_in_grid: 0, incidents_outside_study_area: 0, incidents_outside_months: 0 };
  for (const r of selected) {
    const t = monthIndex.get(r.month);
    const i = cellIndex.get(r.cell);
    if (t === undefined) accounting.incidents_outside_months += r.count;
    else if (i === undefined) accounting.incidents_outside_study_area += r.count;
    else {
      counts[t * cells.length + i]! += r.count;
      accounting.incidents_in_grid += r.count;
    }
  }
  return { grid: { cells, months, counts }, accounting };
}

/**
 * cellMonthGrid over counts in columns (see readLakeCounts): the same grid and accounting. `exclude`
 * names categories that `ALL_OFFENCES` leaves out (the release rules' sensitive ones, for figures that
 * are published per cell); their incidents are not selected, like another category's. A run builds
 * the grids of every category from the same counts over the same study area: the rows of each
 * category and the study-area index of the counts' cells are found once per counts (and area), so a
 * category's grid costs its own rows, not the lake's. The grid's counts are an array of `arrays`
 * (slot "grid": see ScratchArrays).
 */
export function cellMonthGridOf(
  counts: LakeCounts,
  cells: readonly string[],
  options: GridOptions = {},
  arrays: Pick<ScratchArrays, "float64"> = FRESH_ARRAYS,
): { grid: CellMonthGrid; accounting: GridAccounting } {
  const { grid, accounting } = gridOf(counts, cells, options, arrays, 0);
  return { grid, accounting };
}

/** What a grid is asked for: one category or all offences less `exclude`, and a month range (default: the months with its rows). */
export interface GridOptions {
  category?: string;
  from?: string;
  to?: string;
  exclude?: readonly string[];
  /** Without `to`: the last month the range may reach (the lake's analysisEnd; null: none has ended, no month). */
  end?: string | null;
  /** The run's month (analysisEnd's `current`): without `from`, a month not ended is not taken for a sparse first month (analysisStart). */
  current?: string;
}

/**
 * A grid that cellMonthGridOf built in a run's scratch arrays, with one zero month of room after its
 * last, and what decides whether a later request may take it (see SharedGrid.request).
 */
export interface SharedGrid {
  counts: LakeCounts;
  cells: readonly string[];
  /** The categories selected (indices into counts.categories, ascending) and the range's first month. */
  chosen: string;
  from: string;
  /** The months of the grid, its counts with the spare month after them, and its accounting. */
  months: readonly string[];
  room: Float64Array;
  accounting: GridAccounting;
  /** The scratch slot's take count when it was built: another grid taken since has overwritten it. */
  taken: number;
}

/**
 * cellMonthGridOf in a run's scratch arrays, served from `last` (the grid the run built before, if
 * any) where that gives the same grid: the same counts object and study-area array, the same
 * categories selected and the same first month, both ranges holding every selected row (no
 * incident outside the months, so the same accounting), the new range at most one month longer,
 * and the scratch slot not taken since. A range that ends later than the last selected row only adds
 * months of zeros, so either grid is the other's prefix (counts are month-major) plus zero months:
 * the backtest then the forecast of all offences, and a category's emerging hot spots then its
 * forecast, ask for the same rows up to the last month and up to the month after it. Returns the
 * grid and what the next request may reuse.
 */
export function sharedCellMonthGrid(
  counts: LakeCounts,
  cells: readonly string[],
  options: GridOptions,
  arrays: ScratchArrays,
  last: SharedGrid | undefined,
): { grid: CellMonthGrid; accounting: GridAccounting; shared: SharedGrid | undefined } {
  const selection = selectionOf(counts, options);
  if (last && reusable(last, counts, cells, selection, arrays)) {
    const size = selection.months.length * cells.length;
    const grid = { cells, months: selection.months, counts: last.room.subarray(0, size) };
    return { grid, accounting: { ...last.accounting }, shared: last };
  }
  const built = gridOf(counts, cells, options, arrays, 1, selection);
  const spanned = built.accounting.incidents_outside_months === 0 && selection.months.length > 0;
  const shared = spanned
    ? {
        counts,
        cells,
        chosen: selection.chosen.join(","),
        from: selection.months[0]!,
        months: selection.months,
        room: built.room,
        accounting: { ...built.accounting },
        taken: arrays.taken(GRID_SLOT),
      }
    : undefined;
  return { grid: built.grid, accounting: built.accounting, shared };
}

function reusable(last: SharedGrid, counts: LakeCounts, cells: readonly string[], selection: GridSelection, arrays: ScratchArrays): boolean {
  const months = selection.months;
  return (
    last.counts === counts &&
    last.cells === cells &&
    last.taken === arrays.taken(GRID_SLOT) &&
    last.chosen === selection.chosen.join(",") &&
    months.length > 0 &&
    months[0] === last.from &&
    // Every selected row lies in the new range too (the last one's held them all: see sharedCellMonthGrid).
    selection.holdsAll &&
    months.length <= last.months.length + 1
  );
}

const GRID_SLOT = "grid";

/** The categories a request selects and its months, and whether the months hold every selected row. */
interface GridSelection {
  chosen: number[];
  months: string[];
  holdsAll: boolean;
}

function selectionOf(counts: LakeCounts, options: GridOptions): GridSelection {
  const category = options.category ?? ALL_OFFENCES;
  const index = categoryIndex(counts);
  const chosen =
    category === ALL_OFFENCES
      ? counts.categories.flatMap((c, k) => (options.exclude?.includes(c) ? [] : [k]))
      : counts.categories.includes(category)
        ? [counts.categories.indexOf(category)]
        : [];
  let firstPresent = Infinity;
  let lastPresent = -Infinity;
  for (const k of chosen) {
    firstPresent = Math.min(firstPresent, index.first[k]!);
    lastPresent = Math.max(lastPresent, index.last[k]!);
  }
  // By default a grid starts at its first month with rows, and not before the lake's analysed months.
  const start = analysisStartOf(counts, options.current);
  const present = counts.months[firstPresent];
  const from = options.from ?? (start !== null && present !== undefined && start > present ? start : present);
  // …and ends at its last month with rows, or at the lake's analysed end where that comes first.
  const lastAt = counts.months[lastPresent];
  const to = options.to ?? (options.end !== undefined && lastAt !== undefined && (options.end === null || lastAt > options.end) ? options.end : lastAt);
  const months = from !== undefined && to !== undefined && to !== null ? monthRange(from, to) : [];
  const first = counts.months[firstPresent];
  const last = counts.months[lastPresent];
  const holdsAll = first !== undefined && last !== undefined && months.length > 0 && months[0]! <= first && months.at(-1)! >= last;
  return { chosen, months, holdsAll };
}

const STARTS = new WeakMap<LakeCounts, { current: string | undefined; start: string | null }>();

/** analysisStart of the counts' months (every category, every cell) at the run's month, once per counts and month. */
function analysisStartOf(counts: LakeCounts, current: string | undefined): string | null {
  const known = STARTS.get(counts);
  if (known !== undefined && known.current === current) return known.start;
  const totals = new Float64Array(counts.months.length);
  for (let r = 0; r < counts.count.length; r++) totals[counts.month[r]!]! += counts.count[r]!;
  const start = analysisStart(new Map(counts.months.map((m, t) => [m, totals[t]!])), current);
  STARTS.set(counts, { current, start });
  return start;
}

/** The grid of `options` with `spare` zero months of room after it in its array (`room`). */
function gridOf(
  counts: LakeCounts,
  cells: readonly string[],
  options: GridOptions,
  arrays: Pick<ScratchArrays, "float64">,
  spare: number,
  selection: GridSelection = selectionOf(counts, options),
): { grid: CellMonthGrid; accounting: GridAccounting; room: Float64Array } {
  const index = categoryIndex(counts);
  const { chosen, months } = selection;
  const monthIndex = new Map(months.map((m, t) => [m, t]));
  const t = Int32Array.from(counts.months, (m) => monthIndex.get(m) ?? -1);
  const area = areaIndex(counts, cells);
  const room = arrays.float64(GRID_SLOT, (months.length + spare) * cells.length);
  const grid = room.subarray(0, months.length * cells.length);
  const accounting: GridAccounting = { incidents_in_grid: 0, incidents_outside_study_area: 0, incidents_outside_months: 0 };
  for (const k of chosen) {
    for (const r of index.rows[k]!) {
      const month = t[counts.month[r]!]!;
      const i = area[counts.cell[r]!]!;
      const n = counts.count[r]!;
      if (month < 0) accounting.incidents_outside_months += n;
      else if (i < 0) accounting.incidents_outside_study_area += n;
      else {
        grid[month * cells.length + i]! += n;
        accounting.incidents_in_grid += n;
      }
    }
  }
  return { grid: { cells, months, counts: grid }, accounting, room };
}

/** Per category of the counts: its rows (ascending) and the first and last month index it has a row in (±Infinity: none). */
interface CategoryIndex {
  rows: Uint32Array[];
  first: Float64Array;
  last: Float64Array;
}

// Keyed by the counts object: callers treat counts as read-only (see readLakeCounts).
const categoryIndexes = new WeakMap<LakeCounts, CategoryIndex>();
const areaIndexes = new WeakMap<LakeCounts, WeakMap<readonly string[], Int32Array>>();

function categoryIndex(counts: LakeCounts): CategoryIndex {
  const known = categoryIndexes.get(counts);
  if (known) return known;
  const k = counts.categories.length;
  const sizes = new Uint32Array(k);
  const first = new Float64Array(k).fill(Infinity);
  const last = new Float64Array(k).fill(-Infinity);
  for (let r = 0; r < counts.count.length; r++) {
    const c = counts.category[r]!;
    sizes[c]!++;
    first[c] = Math.min(first[c]!, counts.month[r]!);
    last[c] = Math.max(last[c]!, counts.month[r]!);
  }
  const rows = Array.from(sizes, (n) => new Uint32Array(n));
  const filled = new Uint32Array(k);
  for (let r = 0; r < counts.count.length; r++) {
    const c = counts.category[r]!;
    rows[c]![filled[c]!++] = r;
  }
  const index = { rows, first, last };
  categoryIndexes.set(counts, index);
  return index;
}

/** Each of the counts' cells' index in `cells` (−1: outside the study area). */
function areaIndex(counts: LakeCounts, cells: readonly string[]): Int32Array {
  const byArea = areaIndexes.get(counts) ?? new WeakMap<readonly string[], Int32Array>();
  areaIndexes.set(counts, byArea);
  let area = byArea.get(cells);
  if (!area) {
    const cellIndex = new Map(cells.map((c, i) => [c, i]));
    byArea.set(cells, (area = Int32Array.from(counts.cells, (c) => cellIndex.get(c) ?? -1)));
  }
  return area;
}

/** The counts of month index t (a view, not a copy). */
export function monthSlice(grid: CellMonthGrid, t: number): Float64Array {
  const n = grid.cells.length;
  return grid.counts.subarray(t * n, (t + 1) * n);
}

/** The same grid restricted to months [start, end) (counts are a view). */
export function monthWindow(grid: CellMonthGrid, start: number, end: number): CellMonthGrid {
  const n = grid.cells.length;
  return { cells: grid.cells, months: grid.months.slice(start, end), counts: grid.counts.subarray(start * n, end * n) };
}
