// Pure helpers that shape the published JSON for drawing. No imports but types, so the tests run them in Node.
import type { DashboardMeta, EvaluationIndicator, HotspotRow, HotspotTable, MonthlyCount, Qualifier, YearlyCount } from "../../data-contract.js";

/** A sum of published counts and how many counts it leaves out because they were suppressed. */
export interface CountSum {
  count: number;
  suppressed: number;
}
export interface MonthlyTotal {
  /** The sum of the published counts; null where none but 0s was published beside a withheld count (nothing to draw). */
  count: number | null;
  /** How many counts the sum leaves out because they were withheld. */
  suppressed: number;
  month: string;
  date: Date;
  category: string;
}
export interface MunicipalityPoint {
  municipality: string;
  month: string;
  date: Date;
  count: number | null;
  /** The published 12-month average (null where withheld or before the 12th month). */
  average: number | null;
}
export interface YearlyRow {
  year: string;
  cells: Record<string, { count: number | null }>;
  total: { count: number | null };
}
export interface IndicatorStatus {
  key: "exceeded" | "met" | "notReached" | "checkpoints" | "noResult" | "change" | "achievedOnly" | "nothing";
  share?: number | null;
  change?: number | null;
}
export interface TargetProgress {
  id: string;
  name: string;
  share: number;
  value: number;
  qualifier: Qualifier | null;
  target: number;
  fromCheckpoints: boolean;
}

/** "2019-06" → the first instant of that month in UTC (Plot's default time scale is UTC). */
export function monthDate(month: string): Date {
  const [year = NaN, m = NaN] = month.split("-").map(Number);
  return new Date(Date.UTC(year, m - 1, 1));
}

/**
 * Sums monthly-counts.json over municipalities (or keeps one, when `municipality` is given): one row
 * per month and category (in the order of `months` and `categories`, missing combinations as 0), with
 * `count` the sum of the published counts and `suppressed` how many counts were withheld (null) and so
 * are not in the sum. Where the published counts add up to 0 and one is withheld, `count` is null: the
 * month had incidents the sum cannot show, and drawn as 0 it would read as a month without any (the
 * chart leaves a gap, as the trend chart does for a withheld month).
 */
export function monthlyTotals(
  rows: readonly MonthlyCount[],
  months: readonly string[],
  categories: readonly string[],
  municipality: string | null = null,
): MonthlyTotal[] {
  const key = (month: string, category: string) => `${month}\u0000${category}`;
  const sums = new Map<string, CountSum>();
  for (const row of rows) {
    if (municipality !== null && row.municipality !== municipality) continue;
    const k = key(row.month, row.category);
    const s = sums.get(k) ?? { count: 0, suppressed: 0 };
    if (row.count === null) s.suppressed += 1;
    else s.count += row.count;
    sums.set(k, s);
  }
  const out: MonthlyTotal[] = [];
  for (const month of months) {
    for (const category of categories) {
      if (category === "all") continue;
      const s = sums.get(key(month, category)) ?? { count: 0, suppressed: 0 };
      const count = s.count === 0 && s.suppressed > 0 ? null : s.count;
      out.push({ month, date: monthDate(month), category, count, suppressed: s.suppressed });
    }
  }
  return out;
}

/**
 * One series per municipality of `category` ("all": the municipality's published total over every
 * category): a row per month with `count` as published (null when suppressed, 0 for a month with no
 * incident) and `average` the published 12-month average of the full counts (null where withheld or
 * not yet 12 months). Nothing is summed here: sums of published parts would leave the suppressed out.
 */
export function municipalitySeries(rows: readonly MonthlyCount[], months: readonly string[], category: string): MunicipalityPoint[] {
  const byKey = new Map<string, MonthlyCount>();
  for (const row of rows) if (row.category === category) byKey.set(`${row.municipality}\u0000${row.month}`, row);
  const municipalities = [...new Set(rows.map((r) => r.municipality))].sort();
  const out: MunicipalityPoint[] = [];
  for (const municipality of municipalities) {
    for (const month of months) {
      const row = byKey.get(`${municipality}\u0000${month}`);
      out.push({ municipality, month, date: monthDate(month), count: row ? row.count : 0, average: row?.average_12m ?? null });
    }
  }
  return out;
}

/** A month after the analysed ones, as meta.json's `not_analysed` names it. */
export type NotAnalysedMonth = Pick<DashboardMeta["not_analysed"][number], "month" | "reason">;

/**
 * A chart's rows split into those of the analysed months, which its lines and areas join, and those
 * of the months after them that the analyses leave out (meta.not_analysed: not ended, or too few
 * incidents), each with its reason: drawn on the line, the one day of a month pulled on the 2nd would
 * read as a collapse of crime. The charts mark them apart and say why; their counts are published as
 * released. Their 12-month average, which takes in the part of a month, is not drawn either.
 */
export function splitNotAnalysed<T extends { month: string }>(
  rows: readonly T[],
  notAnalysed: readonly NotAnalysedMonth[] = [],
): { analysed: T[]; left: Array<T & { reason: NotAnalysedMonth["reason"] }> } {
  const reasons = new Map(notAnalysed.map((m) => [m.month, m.reason]));
  const analysed: T[] = [];
  const left: Array<T & { reason: NotAnalysedMonth["reason"] }> = [];
  for (const row of rows) {
    const reason = reasons.get(row.month);
    if (reason === undefined) analysed.push(row);
    else left.push({ ...row, reason });
  }
  return { analysed, left };
}

/**
 * Pivots yearly-counts.json into one row per year, years ascending: `cells[category]` and `total`
 * (the "all" row), each `{count}` with `count` null when the published count is suppressed.
 */
export function yearlyRows(rows: readonly YearlyCount[]): YearlyRow[] {
  const years = new Map<string, YearlyRow>();
  for (const { year, category, count } of rows) {
    let row = years.get(year);
    if (!row) years.set(year, (row = { year, cells: {}, total: { count: null } }));
    if (category === "all") row.total = { count };
    else row.cells[category] = { count };
  }
  return [...years.values()].sort((a, b) => a.year.localeCompare(b.year));
}

/** How many published counts are suppressed, out of how many. */
export function suppressionSummary(rows: ReadonlyArray<{ count: number | null }>): { suppressed: number; total: number } {
  let suppressed = 0;
  for (const row of rows) if (row.count === null) suppressed += 1;
  return { suppressed, total: rows.length };
}

/**
 * The significant cells of one month and category from hotspots.json (columnar groups), highest
 * confidence first (hot before cold at equal confidence, then by cell). With `fdr`, `bin` is the bin
 * after FDR control and cells it leaves at 0 are dropped; without, `bin` is the plain bin. Each row
 * keeps both bins. (No z-score is published: see data-contract.ts.)
 */
export function hotspotRows(table: HotspotTable, month: string, category: string, fdr = false): HotspotRow[] {
  const group = table.groups.find((g) => g.month === month && g.category === category);
  if (!group) return [];
  const rows: HotspotRow[] = [];
  for (let i = 0; i < group.cell.length; i++) {
    // The columns are parallel and the cell indices point into `table.cells`: publish writes them so.
    const row: HotspotRow = {
      month,
      category,
      cell: table.cells[group.cell[i]!]!,
      bin: group.bin[i]!,
      bin_fdr: group.bin_fdr[i]!,
      count: group.count[i]!,
    };
    if (fdr) {
      if (row.bin_fdr === 0) continue;
      rows.push({ ...row, bin: row.bin_fdr });
    } else rows.push(row);
  }
  return rows.sort((a, b) => Math.abs(b.bin) - Math.abs(a.bin) || b.bin - a.bin || a.cell.localeCompare(b.cell));
}

/**
 * Which status an indicator has, as a key of `evaluation.statuses` and the numbers it needs:
 * target and result → exceeded / met / notReached; target and checkpoints → checkpoints (share of the
 * target the checkpoints add up to); target alone → noResult; baseline and result → change; a result
 * alone → achievedOnly; else nothing.
 */
export function indicatorStatus(indicator: EvaluationIndicator): IndicatorStatus {
  const { target, achieved, baseline, target_met: met, percent_of_target: pct } = indicator;
  const last = indicator.checkpoints.at(-1);
  if (target !== null && achieved !== null)
    return { key: met ? (pct !== null && pct > 100 ? "exceeded" : "met") : "notReached", share: pct === null ? null : pct / 100 };
  if (target !== null && last && last.percent_of_target !== null) return { key: "checkpoints", share: last.percent_of_target / 100 };
  if (target !== null) return { key: "noResult" };
  if (baseline !== null && achieved !== null)
    return {
      key: "change",
      change: indicator.change_from_baseline,
      share: indicator.percent_change_from_baseline === null ? null : indicator.percent_change_from_baseline / 100,
    };
  if (achieved !== null) return { key: "achievedOnly" };
  return { key: "nothing" };
}

/**
 * The indicators of a project that can be drawn against their target: the share reached (the
 * result, or the checkpoints' running total when no result is stated) and whether it is a stated
 * result or a checkpoint sum.
 */
export function targetProgress(indicators: readonly EvaluationIndicator[]): TargetProgress[] {
  const out: TargetProgress[] = [];
  for (const i of indicators) {
    if (i.target === null || i.target <= 0) continue;
    const last = i.checkpoints.at(-1);
    if (i.achieved !== null)
      out.push({
        id: i.id,
        name: i.name,
        share: i.achieved / i.target,
        value: i.achieved,
        qualifier: i.achieved_qualifier,
        target: i.target,
        fromCheckpoints: false,
      });
    else if (last)
      out.push({
        id: i.id,
        name: i.name,
        share: last.cumulative / i.target,
        value: last.cumulative,
        qualifier: last.cumulative_qualifier,
        target: i.target,
        fromCheckpoints: true,
      });
  }
  return out;
}

/**
 * The sensitive categories the data hold (`categories` lists those with counts), which the pages'
 * notes name ("… are shown only as municipality totals", "“All categories” leaves out …"): none for a
 * city whose exports have none, where naming domestic violence would suggest the data held some.
 */
export function sensitiveInData(
  meta: Pick<DashboardMeta, "categories" | "sensitive_categories">,
  sensitive: readonly string[] = meta.sensitive_categories,
): string[] {
  return sensitive.filter((c) => meta.categories.includes(c));
}
