/**
 * The briefing's area figures against the hot-spot page's per-cell counts. An area's count is a sum
 * over its cells; the hot-spot page publishes some of those cells' counts (a significant cell's
 * incidents of a month, per category and for all offences, where at least the threshold). A reader
 * who subtracts them from the area's figure gets the count of the area's other cells: where that is 1
 * to threshold − 1, the figure gives a small count away (found on Cincinnati: an area's 21 last month
 * minus its hot cell's published 17 left its other cell's 4). Such a figure is withheld.
 *
 * Scope: differences with the figures of the same months and category (all offences or one), the
 * ones a reader can line up; the page's complementary suppression already keeps a cell's withheld
 * categories together at 0 or the threshold.
 */
import type { HotspotTable } from "../../dashboard/data-contract.ts";

/** The hot-spot page's published counts of some cells: key `cell month category` → incidents. */
export type PublishedCellCounts = ReadonlyMap<string, number>;

const key = (cell: string, month: string, category: string) => `${cell} ${month} ${category}`;

/** The published counts of `cells` in `months` (every category, "all" included) from the page's table. */
export function publishedCellCounts(
  table: Pick<HotspotTable, "cells" | "groups">,
  cells: ReadonlySet<string>,
  months: ReadonlySet<string>,
): PublishedCellCounts {
  const counts = new Map<string, number>();
  for (const group of table.groups) {
    if (!months.has(group.month)) continue;
    group.cell.forEach((index, i) => {
      const cell = table.cells[index]!;
      const count = group.count[i];
      if (count != null && cells.has(cell)) counts.set(key(cell, group.month, group.category), count);
    });
  }
  return counts;
}

/** The sum of the published counts of `cells` over `months` for `category` ("all": the page's all offences). */
export function publishedSum(counts: PublishedCellCounts, cells: readonly string[], months: readonly string[], category: string): number {
  let sum = 0;
  for (const cell of cells) for (const month of months) sum += counts.get(key(cell, month, category)) ?? 0;
  return sum;
}

/** Whether `figure` may be published beside published parts of it summing to `published`: what is left is 0 or at least the threshold. */
export function differenceSafe(figure: number, published: number, threshold: number): boolean {
  const rest = figure - published;
  return rest <= 0 || rest >= threshold;
}
