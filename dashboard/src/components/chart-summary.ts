import type { Strings } from "./strings.js";

/** The strings of a chart's text alternative. */
export type SummaryStrings = { common: Pick<Strings["common"], "chartSeries" | "chartRange" | "chartEmpty"> };

/**
 * The months' totals of several series (a chart of one panel per category): null for a month where
 * any series is null (a withheld count), which a sum of the rest would understate.
 */
export function monthTotals(points: ReadonlyArray<{ month: string; value: number | null }>): Array<{ month: string; value: number | null }> {
  const sums = new Map<string, number | null>();
  for (const { month, value } of points) {
    const sum = sums.has(month) ? sums.get(month)! : 0;
    sums.set(month, sum === null || value === null ? null : sum + value);
  }
  return [...sums].map(([month, value]) => ({ month, value }));
}

/**
 * A chart's text alternative in the page's language (its `aria-label` beside the title): over a
 * monthly series, its first and last month, lowest and highest value and the last month's value;
 * without months, the range of the values. Values that are null (withheld, not drawn) are left out;
 * the last month's value is the latest one drawn.
 */
export function chartSummary(points: ReadonlyArray<{ month?: string; value: number | null }>, format: (value: number) => string, tr: SummaryStrings): string {
  const drawn = points.filter((p): p is { month?: string; value: number } => p.value !== null && Number.isFinite(p.value));
  if (drawn.length === 0) return tr.common.chartEmpty;
  const values = drawn.map((p) => p.value);
  const [low, high] = [format(Math.min(...values)), format(Math.max(...values))];
  const dated = drawn.filter((p): p is { month: string; value: number } => p.month !== undefined).sort((a, b) => a.month.localeCompare(b.month));
  if (dated.length === 0) return tr.common.chartRange(low, high);
  return tr.common.chartSeries(dated[0]!.month, dated.at(-1)!.month, low, high, format(dated.at(-1)!.value));
}
