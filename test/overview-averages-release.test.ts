/**
 * The overview's 12-month averages (monthly-counts.json `average_12m`) must not narrow down a withheld
 * month. A whole-number mean of 12 months gives the window's sum to within 12 values; with the
 * published months of the window, that bounds the withheld ones, and consecutive windows bound them
 * further (review r4, P1: sexual offences of a district pinned to 1–2). The attack here reads only the
 * released rows, as an adversary reads the published file.
 */
import { describe, expect, it } from "vitest";
import { monthRange } from "../etl/analytics/monthly-counts.ts";
import { countTablesOf, MOVING_AVERAGE_MONTHS, movingAverages, type CountRow } from "../etl/publish/count-tables.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";
import type { MonthlyCount } from "../dashboard/data-contract.ts";

const rules = releaseRules({ suppressionThreshold: 5, sensitiveCategories: ["sexual_offence"] });
const MONTHS = monthRange("2017-01", "2019-12");

/** Two municipalities: a city with large counts and a district whose sensitive category is mostly 0–6 a month. */
function lakeRows(seed: number): CountRow[] {
  const random = mulberry32(seed);
  const rows: CountRow[] = [];
  for (const month of MONTHS) {
    for (const [municipality, scale] of [
      ["City", 40],
      ["District", 3],
    ] as const) {
      for (const category of ["theft", "public_order", "sexual_offence"]) {
        const n = Math.floor(random() * scale * (category === "theft" ? 4 : 1));
        if (n > 0) rows.push({ month, category, municipality, file: "export", n });
      }
    }
  }
  return rows;
}

/**
 * Interval propagation over each series' windows, as the reviewer's audit: every withheld month starts
 * at 1 … its series' largest possible value, every published average bounds its window's sum to
 * [12a − 6, 12a + 5] (a mean rounded half up), repeated until nothing changes. Returns the withheld
 * months whose upper bound falls below the threshold (their count is then known to be 1 … threshold − 1).
 */
function narrowedByAverages(monthly: readonly MonthlyCount[], months: readonly string[]): string[] {
  const w = MOVING_AVERAGE_MONTHS;
  const series = new Map<string, Map<string, MonthlyCount>>();
  for (const r of monthly) {
    const key = `${r.municipality}/${r.category}`;
    if (!series.has(key)) series.set(key, new Map());
    series.get(key)!.set(r.month, r);
  }
  const found: string[] = [];
  for (const [key, rows] of series) {
    const lo = months.map((m) => (rows.get(m)?.count === null ? 1 : (rows.get(m)?.count ?? 0)));
    const hi = months.map((m) => (rows.get(m)?.count === null ? 10_000 : (rows.get(m)?.count ?? 0)));
    for (let changed = true; changed;) {
      changed = false;
      months.forEach((m, t) => {
        const a = rows.get(m)?.average_12m;
        if (a == null || t < w - 1) return;
        const window = Array.from({ length: w }, (_, j) => t - j);
        const [low, high] = [w * a - w / 2, w * a + w / 2 - 1];
        const sumLo = window.reduce((s, i) => s + lo[i]!, 0);
        const sumHi = window.reduce((s, i) => s + hi[i]!, 0);
        for (const i of window) {
          const newHi = Math.min(hi[i]!, high - (sumLo - lo[i]!));
          const newLo = Math.max(lo[i]!, low - (sumHi - hi[i]!));
          if (newHi < hi[i]! || newLo > lo[i]!) [hi[i], lo[i], changed] = [newHi, newLo, true];
        }
      });
    }
    months.forEach((m, t) => {
      if (rows.get(m)?.count === null && hi[t]! < rules.threshold) found.push(`${key} ${m}: ${lo[t]}…${hi[t]}`);
    });
  }
  return found;
}

describe("the overview's 12-month averages", () => {
  it("publish an average only where every month of its window is published", () => {
    for (const seed of [1, 2, 3, 4]) {
      const { monthly } = countTablesOf(lakeRows(seed), rules);
      const at = new Map(monthly.map((r) => [`${r.municipality}/${r.category}/${r.month}`, r]));
      const windowOf = (r: MonthlyCount) => {
        const t = MONTHS.indexOf(r.month);
        return t < MOVING_AVERAGE_MONTHS - 1
          ? null
          : MONTHS.slice(t - MOVING_AVERAGE_MONTHS + 1, t + 1).map((m) => {
              const row = at.get(`${r.municipality}/${r.category}/${m}`);
              return row ? row.count : 0; // a month without a row is a published 0
            });
      };
      const overWithheld = monthly.filter((r) => r.average_12m !== null && windowOf(r)!.includes(null));
      expect(overWithheld.map((r) => `${r.municipality}/${r.category}/${r.month}`)).toEqual([]);
      // Still a chart: every window of published months has its mean.
      const published = monthly.filter((r) => windowOf(r)?.every((n) => n !== null));
      expect(published.length).toBeGreaterThan(0);
      for (const r of published) expect(r.average_12m).toBe(Math.round(windowOf(r)!.reduce((s: number, n) => s + n!, 0) / MOVING_AVERAGE_MONTHS));
    }
  });

  it("narrow no withheld month, sensitive ones included, to fewer values than the threshold", () => {
    const found = [1, 2, 3, 4].flatMap((seed) => narrowedByAverages(countTablesOf(lakeRows(seed), rules).monthly, MONTHS).map((f) => `seed ${seed}: ${f}`));
    expect(found).toEqual([]);
  });

  it("are the rounded means of published windows, null where one month is withheld", () => {
    const counts = [10, 0, 20, 5, 5, 5, 7, 9, 11, 13, 6, 8, null, 30, 12];
    const averages = movingAverages(counts, 12);
    expect(averages.slice(0, 11)).toEqual(Array(11).fill(undefined));
    expect(averages[11]).toBe(Math.round(99 / 12));
    expect(averages.slice(12)).toEqual([null, null, null]);
  });
});
