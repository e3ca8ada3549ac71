/**
 * The overview's count tables cover the months the analyses use (analysisStart): a stray row dated
 * years before an export's months would stretch its charts over years of empty months. The rows
 * before stay in the row accounting and the per-export months, so their number is a part of the
 * published grand total: it must be released with the tables, never given back by difference.
 */
import { describe, expect, it } from "vitest";
import { analysisStart } from "../etl/analytics/lake-months.ts";
import { monthRange } from "../etl/analytics/monthly-counts.ts";
import { countTablesOf, type CountRow, type CountTables } from "../etl/publish/count-tables.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";
import { strings } from "../dashboard/src/components/strings.ts";

const rules = releaseRules({ suppressionThreshold: 5 });
const MONTHS = monthRange("2016-01", "2018-12");

/** Three years of two categories in two exports, plus `early`: rows of months long before them (late reports, mistyped years). */
function lakeRows(seed: number, early: ReadonlyArray<[month: string, category: string, n: number]>): CountRow[] {
  const random = mulberry32(seed);
  const rows: CountRow[] = [];
  for (const month of MONTHS) {
    for (const category of ["burglary", "robbery"]) {
      const file = month < "2017-07" ? "export-a" : "export-b";
      rows.push({ month, category, municipality: "", file, n: 20 + Math.floor(random() * 200) });
    }
  }
  for (const [month, category, n] of early) rows.push({ month, category, municipality: "", file: "export-a", n });
  return rows.sort((a, b) => a.month.localeCompare(b.month) || a.category.localeCompare(b.category));
}

const perMonth = (rows: readonly CountRow[]) => {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.month, (totals.get(r.month) ?? 0) + r.n);
  return totals;
};

/**
 * What an adversary solves from the published tables and the row accounting, any relation with one
 * unknown at a time until nothing changes: the grand total is the years plus the incidents before
 * the analysed months; a year is its months; an export is its months; a month's total over the study
 * area is both its exports' months and its published total. Returns the derived counts of 1 … 4.
 */
function recovered(tables: CountTables, rows: readonly CountRow[]): Array<{ cell: string; value: number }> {
  const known = new Map<string, number>();
  const put = (key: string, n: number | null) => n !== null && known.set(key, n);
  const relations: Array<[string, string[]]> = [];
  put(
    "grand",
    rows.reduce((s, r) => s + r.n, 0),
  ); // meta.json's rows_ingested
  const files = [...new Set(rows.map((r) => r.file))];
  for (const file of files) {
    put(
      `e ${file}`,
      rows.filter((r) => r.file === file).reduce((s, r) => s + r.n, 0),
    ); // data-quality.json's rows_ingested
    const months = tables.bySource.filter((s) => s.file === file);
    for (const s of months) put(`s ${file} ${s.month}`, s.count);
    relations.push([`e ${file}`, months.map((s) => `s ${file} ${s.month}`)]);
  }
  for (const month of new Set(tables.bySource.map((s) => s.month))) {
    relations.push([`v ${month}`, tables.bySource.filter((s) => s.month === month).map((s) => `s ${s.file} ${s.month}`)]);
  }
  for (const m of tables.monthly.filter((m) => m.category === "all")) {
    put(`m ${m.month}`, m.count);
    relations.push([`v ${m.month}`, [`m ${m.month}`]]);
  }
  const years = tables.yearly.filter((y) => y.category === "all");
  for (const y of years) {
    put(`y ${y.year}`, y.count);
    relations.push([`y ${y.year}`, tables.monthly.filter((m) => m.category === "all" && m.month.startsWith(y.year)).map((m) => `m ${m.month}`)]);
  }
  if (tables.before) put("before", tables.before.count);
  relations.push(["grand", [...years.map((y) => `y ${y.year}`), ...(tables.before ? ["before"] : [])]]);
  const found: Array<{ cell: string; value: number }> = [];
  for (let changed = true; changed;) {
    changed = false;
    for (const [total, parts] of relations) {
      const missing = [total, ...parts].filter((k) => !known.has(k));
      if (missing.length !== 1) continue;
      const cell = missing[0]!;
      const sum = (keys: string[]) => keys.reduce((s, k) => s + known.get(k)!, 0);
      const value = cell === total ? sum(parts) : known.get(total)! - sum(parts.filter((p) => p !== cell));
      known.set(cell, value);
      found.push({ cell, value });
      changed = true;
    }
  }
  return found.filter((f) => f.value > 0 && f.value < rules.threshold);
}

describe("the overview's count tables over the analysed months", () => {
  it("leaves a stray early month out of the monthly and yearly tables, and says from when and how many", () => {
    const rows = lakeRows(1, [["1999-03", "burglary", 1]]);
    const start = analysisStart(perMonth(rows))!;
    expect(start).toBe(MONTHS[0]);
    const tables = countTablesOf(rows, rules);
    expect(tables.monthly.length).toBeGreaterThan(0);
    expect(tables.monthly.filter((m) => m.month < start)).toEqual([]);
    expect(tables.yearly.map((y) => y.year).filter((y) => y < start.slice(0, 4))).toEqual([]);
    // One incident: withheld, and no 12-month average reaches back over the 17 empty years.
    expect(tables.before).toEqual({ start, count: null });
    expect(tables.monthly.find((m) => m.month === MONTHS[10] && m.category === "all")?.average_12m).toBeNull();
    // The per-export months keep it: the data-quality page shows where an export's months stray.
    expect(tables.bySource.some((s) => s.month === "1999-03")).toBe(true);
  });

  it("releases the early incidents as a part of the grand total: no difference gives a small count back", () => {
    for (const seed of [1, 2, 3]) {
      for (const early of [
        [["1999-03", "burglary", 1]],
        [
          ["2005-11", "robbery", 2],
          ["2012-06", "burglary", 1],
        ],
      ] as Array<Array<[string, string, number]>>) {
        const rows = lakeRows(seed, early);
        const tables = countTablesOf(rows, rules);
        expect(tables.before?.count).toBeNull();
        expect(recovered(tables, rows)).toEqual([]);
      }
    }
  });

  it("publishes a count of early incidents at or above the threshold, and the tables then need no extra withholding for it", () => {
    const rows = lakeRows(4, [
      ["2001-02", "burglary", 3],
      ["2009-09", "robbery", 4],
    ]);
    const tables = countTablesOf(rows, rules);
    expect(tables.before).toEqual({ start: MONTHS[0], count: 7 });
    expect(tables.yearly.every((y) => y.count !== null)).toBe(true);
    expect(recovered(tables, rows)).toEqual([]);
  });

  it("has nothing before a lake whose first month is of substance", () => {
    const rows = lakeRows(5, []);
    const tables = countTablesOf(rows, rules);
    expect(tables.before).toBeNull();
    expect(tables.monthly[0]?.month).toBe(MONTHS[0]);
  });
});

describe("the overview's note on the incidents before the analysed months", () => {
  it("says in both languages how many there are, from which month the charts start, and that they are not charted", () => {
    const [en, lt] = [strings("en"), strings("lt")];
    expect(en.overview.beforeAnalysis(1234, "2016-01")).toMatch(/^1,234 incidents dated before January 2016 .* not charted/);
    expect(en.overview.beforeAnalysis(1, "2016-01")).toMatch(/^1 incident dated before January 2016 .* is among/);
    expect(lt.overview.beforeAnalysis(1234, "2016-01")).toMatch(/iki 2016 m\. sausio .*: 1\s234\. .*nerodomi grafikuose/);
    for (const tr of [en, lt]) {
      // Withheld: no number at all (the month's year aside), and it says why.
      const text = tr.overview.beforeAnalysis(null, "2016-01");
      expect(text.replace(/2016/g, "")).not.toMatch(/\d/);
      expect(text).toMatch(/withheld|neskelbiamas/);
    }
  });
});
