import type { DuckDBConnection } from "@duckdb/node-api";
import { getResolution } from "h3-js";
import { ALL_OFFENCES } from "./cell-month-grid.ts";
import { readLakeCounts } from "./lake-counts.ts";

/**
 * Incidents per cell and month in `cells` over months from…to, of one offence category or — for
 * ALL_OFFENCES — of every category but `exclude`: what a figure published beside an analytics output
 * counts. The cells are counted at their own resolution (that of the output they come from; all of
 * one resolution), whatever resolution the lake stores (see readLakeCounts), so published counts and
 * the cells they describe always agree.
 */
export async function countsInCells(
  connection: DuckDBConnection,
  lakeDir: string,
  q: { cells: readonly string[]; category: string; exclude?: readonly string[]; from: string; to: string },
): Promise<Array<{ cell: string; month: string; n: number }>> {
  if (q.cells.length === 0) return [];
  const counts = await readLakeCounts(connection, lakeDir, getResolution(q.cells[0]!));
  const wanted = new Set(q.cells);
  const excluded = new Set(q.exclude ?? []);
  const category = counts.categories.map((c) => (q.category === ALL_OFFENCES ? !excluded.has(c) : c === q.category));
  const inRange = counts.months.map((m) => m >= q.from && m <= q.to);
  const inCells = counts.cells.map((c) => wanted.has(c));
  const sums = new Map<string, { cell: string; month: string; n: number }>();
  for (let r = 0; r < counts.count.length; r++) {
    if (!category[counts.category[r]!] || !inRange[counts.month[r]!] || !inCells[counts.cell[r]!]) continue;
    const cell = counts.cells[counts.cell[r]!]!;
    const month = counts.months[counts.month[r]!]!;
    const key = `${cell} ${month}`;
    const sum = sums.get(key);
    if (sum) sum.n += counts.count[r]!;
    else sums.set(key, { cell, month, n: counts.count[r]! });
  }
  return [...sums.values()];
}
