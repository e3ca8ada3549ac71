import type { DuckDBConnection } from "@duckdb/node-api";
import { getResolution } from "h3-js";
import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { readLakeCounts, type LakeCounts } from "../analytics/lake-counts.ts";

/**
 * The incidents of `category` (ALL_OFFENCES: every category but `sensitive`) per month and cell, as a
 * month-major grid (`grid[t * cells.length + i]`: month t, cell i): what a per-cell figure published
 * beside an analytics output counts (emerging patterns, patrol support). Counted in the cells'
 * own resolution (all of one), whatever resolution the lake stores its cells at (issue 18; see
 * readLakeCounts, read once a process), by index, not by string keys, since publish does it for
 * every category; months not in `months` and cells not in `cells` are left out.
 */
export async function countGrid(
  connection: DuckDBConnection,
  lakeDir: string,
  cells: readonly string[],
  months: readonly string[],
  category: string,
  sensitive: ReadonlySet<string>,
): Promise<Float64Array> {
  const grid = new Float64Array(months.length * cells.length);
  if (cells.length === 0) return grid;
  const counts = await readLakeCounts(connection, lakeDir, getResolution(cells[0]!));
  const cellIndex = new Map(cells.map((c, i) => [c, i]));
  const monthIndex = new Map(months.map((m, t) => [m, t]));
  const cellAt = Int32Array.from(counts.cells, (c) => cellIndex.get(c) ?? -1);
  const monthAt = Int32Array.from(counts.months, (m) => monthIndex.get(m) ?? -1);
  const n = cells.length;
  const rows = rowsByCategory(counts);
  counts.categories.forEach((c, k) => {
    if (category === ALL_OFFENCES ? sensitive.has(c) : c !== category) return;
    for (const r of rows[k]!) {
      const i = cellAt[counts.cell[r]!]!;
      const t = monthAt[counts.month[r]!]!;
      if (i >= 0 && t >= 0) grid[t * n + i]! += counts.count[r]!;
    }
  });
  return grid;
}

/**
 * The rows of `counts` of each of its categories (by index), grouped once per counts object: publish
 * counts a grid for every category, and each then reads its own rows, not the whole lake's.
 */
function rowsByCategory(counts: LakeCounts): Int32Array[] {
  let rows = groupedRows.get(counts);
  if (rows) return rows;
  const sizes = new Int32Array(counts.categories.length);
  for (let r = 0; r < counts.count.length; r++) sizes[counts.category[r]!]!++;
  rows = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(sizes.length);
  for (let r = 0; r < counts.count.length; r++) {
    const k = counts.category[r]!;
    rows[k]![filled[k]!++] = r;
  }
  groupedRows.set(counts, rows);
  return rows;
}
const groupedRows = new WeakMap<LakeCounts, Int32Array[]>();
