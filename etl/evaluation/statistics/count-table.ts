import { periodContains, type Period } from "./evaluation-period.ts";
import type { DailyCount } from "../lake/read-area-counts.ts";
import type { BeforeAfter } from "./weighted-displacement-difference.ts";

/** The category or case type that sums all the others. */
export const ALL = "all";

/** Before/after counts per offence category × case type, "all" included on both axes. */
export type CountTable = ReadonlyMap<string, BeforeAfter>;

const key = (category: string, caseType: string) => `${category}|${caseType}`;

/**
 * Sums daily counts into the before and after periods, per category and case type, adding the
 * "all" case type of each category and the "all" category, which leaves out the categories of
 * `allExcludes` (an evaluation's sensitive ones where it may not publish them: release-rules.ts
 * excludedFromEvaluationAll). Days outside both periods are ignored.
 */
export function tallyPeriods(daily: readonly DailyCount[], before: Period, after: Period, allExcludes: ReadonlySet<string> = new Set()): CountTable {
  const table = new Map<string, BeforeAfter>();
  for (const { day, category, case_type, count } of daily) {
    const side = periodContains(before, day) ? "before" : periodContains(after, day) ? "after" : null;
    if (!side) continue;
    const keys = [key(category, case_type), key(category, ALL)];
    if (!allExcludes.has(category)) keys.push(key(ALL, case_type), key(ALL, ALL));
    for (const k of keys) {
      const entry = table.get(k) ?? { before: 0, after: 0 };
      entry[side] += count;
      table.set(k, entry);
    }
  }
  return table;
}

/** The counts of a category × case type, zeros when the table has none. */
export function countsOf(table: CountTable | null | undefined, category: string, caseType: string): BeforeAfter {
  return table?.get(key(category, caseType)) ?? { before: 0, after: 0 };
}

/** The counts of every category together, those "all" leaves out included: whether an area holds any incident. */
export function anyCategory(table: CountTable): BeforeAfter {
  const total = { before: 0, after: 0 };
  for (const [k, counts] of table) {
    const [category, caseType] = k.split("|");
    if (category === ALL || caseType !== ALL) continue;
    total.before += counts.before;
    total.after += counts.after;
  }
  return total;
}

/**
 * The category × case type pairs to report: each requested category (all present ones when none is
 * asked) with "all" first and then its case types seen in any table (pre-trial investigations, then
 * administrative offences, then any other alphabetically); the "all" category
 * comes first when no category is asked.
 */
export function reportKeys(
  tables: ReadonlyArray<CountTable | null | undefined>,
  categories?: readonly string[],
): Array<{ category: string; case_type: string }> {
  const seen = new Map<string, Set<string>>();
  for (const table of tables) {
    for (const k of table?.keys() ?? []) {
      const [category, caseType] = k.split("|") as [string, string];
      if (caseType === ALL) continue;
      const types = seen.get(category) ?? new Set<string>();
      types.add(caseType);
      seen.set(category, types);
    }
  }
  const chosen = categories && categories.length > 0 ? [...categories] : [ALL, ...[...seen.keys()].filter((c) => c !== ALL).sort()];
  return chosen.flatMap((category) => [
    { category, case_type: ALL },
    ...[...(seen.get(category) ?? [])].sort(byCaseType).map((case_type) => ({ category, case_type })),
  ]);
}

// Pre-trial investigations (criminal code) before administrative offences, as the seeds list them.
const CASE_TYPE_ORDER = ["pre_trial_investigation", "administrative_offence"];
function byCaseType(a: string, b: string): number {
  const rank = (t: string) => (CASE_TYPE_ORDER.includes(t) ? CASE_TYPE_ORDER.indexOf(t) : CASE_TYPE_ORDER.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** Counts per calendar year and category (with "all", without the categories of `allExcludes`), from daily counts: the series behind a chart. */
export function yearlyCounts(daily: readonly DailyCount[], allExcludes: ReadonlySet<string> = new Set()): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const { day, category, count } of daily) {
    const year = Number(day.slice(0, 4));
    for (const c of allExcludes.has(category) ? [category] : [category, ALL]) {
      const byYear = out.get(c) ?? new Map<number, number>();
      byYear.set(year, (byYear.get(year) ?? 0) + count);
      out.set(c, byYear);
    }
  }
  return out;
}
