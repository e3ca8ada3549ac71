/**
 * The patrol page's backtest against the overview's monthly counts. A month's hit rate times the
 * month's published incidents is the count its selection caught; a method's selections at 1, 5 and
 * 10 % of the area are prefixes of one ranking, so two of them give the count of the cells between
 * them and the last the rest of the area; hits / PEI* gives the count of the best cells (the oracle
 * behind PEI*). Found on police.uk's Nottingham robberies of 2022 backtested from 6 months: September's
 * 1 % lists caught 4 of the month's 34 robberies (0.1176 × 34), several months' cells between 5 and
 * 10 % held 2 to 4, and in December all but 4 robberies fell in the best 10 % of cells.
 */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MonthlyCount, PatrolCategoryPlan, PatrolData } from "../dashboard/data-contract.ts";
import { backtestStage } from "../etl/analytics/backtest-lake.ts";
import { lastMonthAccuracy } from "../etl/briefing/briefing-data.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { analyticsTables } from "../etl/lake/analytics-tables.ts";
import { DEFAULT_CONFIG_FILE, loadProjectConfig } from "../etl/config.ts";
import { contextStage, ingestStage } from "../etl/pipeline.ts";
import { releasedBacktestFolds, releasedNested, selectionEvidenceReleased } from "../etl/publish/release-rules.ts";
import { selectByBacktest } from "../etl/analytics/forecast-selection.ts";
import { recordedConfig, settingsFromConfig } from "../etl/settings.ts";
import { runStages } from "../etl/stages.ts";
import { sharedPath } from "./helpers/shared.ts";

const rules = { threshold: 5 };

describe("releasedNested", () => {
  it("publishes a selection only where the bands between published ones and the rest hold 0 or at least the threshold", () => {
    // 4 caught at 1 %: withheld; 10 and 15 leave bands of 10, 5 and a rest of 19.
    expect(releasedNested([4, 10, 15], 34, rules)).toEqual([false, true, true]);
    // The cells between 5 and 10 % held 4: the 10 % figure goes.
    expect(releasedNested([9, 24, 28], 47, rules)).toEqual([true, true, false]);
    // A rest of 4 beyond the largest: it goes, and the rest grows to 14.
    expect(releasedNested([11, 26, 36], 40, rules)).toEqual([true, true, false]);
    // Zeros are counts like any other: nothing caught, or nothing left, is published.
    expect(releasedNested([0, 0, 7], 7, rules)).toEqual([true, true, true]);
    // A band withheld may join the next: 3 and 3 together are 6.
    expect(releasedNested([5, 8, 11], 30, rules)).toEqual([true, false, true]);
    // A total below the threshold publishes none.
    expect(releasedNested([1, 2, 3], 3, rules)).toEqual([false, false, false]);
  });

  it("refuses counts that are not nested in their total", () => {
    expect(() => releasedNested([5, 4], 10, rules)).toThrow(/do not grow/);
    expect(() => releasedNested([5, 12], 10, rules)).toThrow(/do not grow/);
  });
});

describe("releasedBacktestFolds", () => {
  // One method and month at 1, 5 and 10 % of a 200-cell area: 2, 10 and 20 cells, so the top 10 and 20 are the 5 and 10 % lists.
  const fold = (cells: number, hits: number, oracle: number, extra: Partial<{ top10: number; top20: number; month: string }> = {}) => ({
    method: "last-month",
    month: extra.month ?? "2022-09",
    cells,
    hits,
    incidents: 40,
    pai: hits / 40 / (cells / 200),
    pai_max: oracle / 40 / (cells / 200),
    top10: extra.top10 ?? 12,
    top20: extra.top20 ?? 20,
  });

  it("withholds a share whose hits, band or oracle band is small, and keeps from the means a month whose top 10 or 20 is", () => {
    const folds = [fold(2, 6, 8), fold(10, 12, 22), fold(20, 20, 36)];
    const { published, summarised } = releasedBacktestFolds(folds, rules);
    // Hits 6, 12, 20 of 40: bands 6, 6, 8, rest 20. The oracle's 36 of 40 leaves a rest of 4: the 10 % figure goes.
    expect(folds.map((f) => published.has(f))).toEqual([true, true, false]);
    // The top 20 (the 10 % list) is not withheld by the hits' rule, so the published months are averaged.
    expect(folds.map((f) => summarised.has(f))).toEqual([true, true, false]);

    const small = [fold(2, 6, 8, { top10: 12, top20: 15 }), fold(10, 12, 22, { top10: 12, top20: 15 }), fold(25, 24, 30, { top10: 12, top20: 15 })];
    const second = releasedBacktestFolds(small, rules);
    // The top 20 caught 3 more than the 5 % list: the 25-cell list is published (12 → 24), but the summary's top-20 mean would give 3 back.
    expect(small.map((f) => second.published.has(f))).toEqual([true, true, true]);
    expect(second.summarised.size).toBe(0);
  });

  it("publishes nothing of a month whose lists are not nested: they are not one ranking's, and no band can be checked", () => {
    const folds = [fold(2, 9, 9, { top10: 7 }), fold(10, 7, 22, { top10: 7 })];
    expect(releasedBacktestFolds(folds, rules).published.size).toBe(0);
  });

  it("treats each method and month on its own", () => {
    const folds = [fold(2, 4, 8), fold(2, 6, 8, { month: "2022-10" })];
    const { published } = releasedBacktestFolds(folds, rules);
    expect(folds.map((f) => published.has(f))).toEqual([false, true]);
  });
});

describe("the forecast selection's gain over the baseline", () => {
  // Eight backtest months of a 200-cell area with 40 incidents each; the chosen method and the baseline at 1, 5 and 10 % (2, 10, 20 cells).
  const months = Array.from({ length: 8 }, (_, i) => `2021-0${i + 1}`);
  const shares = [0.01, 0.05, 0.1];
  const cellsOf = (share: number) => Math.round(share * 200);
  const oracle = [12, 28, 34];
  const folds = (lowMonth: number) =>
    months.flatMap((month, f) =>
      (["ewma-fitted", "last-12-months"] as const).flatMap((method) => {
        // The chosen method catches 10, 24 and 30; in one month only 3 at 1 %, which releasedBacktestFolds withholds.
        const hits = method === "last-12-months" ? [6, 12, 20] : [f === lowMonth ? 3 : 10, 24, 30];
        return shares.map((share, s) => ({
          method,
          month,
          area_target: share,
          cells: cellsOf(share),
          hits: hits[s]!,
          incidents: 40,
          pai: hits[s]! / 40 / share,
          pai_max: oracle[s]! / 40 / share,
          top10: hits[1]!,
          top20: hits[2]!,
        }));
      }),
    );
  /** The gain as the forecast stage computes it (selectByBacktest at the decision shares, no bootstrap), as patrol.json rounds it. */
  const gainOf = (all: ReturnType<typeof folds>) => {
    const pai = ["ewma-fitted", "last-12-months"].map((method) =>
      [0.01, 0.05].map((share) =>
        Float64Array.from(months, (month) => all.find((x) => x.method === method && x.month === month && x.area_target === share)!.pai),
      ),
    );
    const choice = selectByBacktest(pai, [...months.keys()], 1, { window: 36, minFolds: 6, combine: 1, standardErrors: 1, resamples: 0 });
    expect(choice.reason).toBe("best in backtest");
    return Math.round(choice.gainOverBaseline * 1e4) / 1e4;
  };

  it("gives a withheld month's hits back from the published months, so it is withheld with them", () => {
    const all = folds(3);
    const { published } = releasedBacktestFolds(all, rules);
    const withheld = all.filter((f) => !published.has(f) && f.area_target === 0.01);
    expect(withheld.map((f) => `${f.method} ${f.month} ${f.hits}`)).toEqual(["ewma-fitted 2021-04 3"]);
    // The adversary: the published PAIs (2 decimals) of both methods at 1 %, and the gain, solve for the withheld month's PAI.
    const at = (method: string) => all.filter((f) => f.method === method && f.area_target === 0.01);
    const shown = (f: (typeof all)[number]) => Math.round(f.pai * 100) / 100;
    const solved =
      (1 + gainOf(all)) * at("last-12-months").reduce((sum, f) => sum + shown(f), 0) -
      at("ewma-fitted")
        .filter((f) => published.has(f))
        .reduce((sum, f) => sum + shown(f), 0);
    expect(Math.round(solved * 40 * 0.01)).toBe(3);
    // So the selection's figures rest on a withheld month: withheld.
    const evidence = { methods: ["ewma-fitted", "last-12-months"], months, shares: [0.01, 0.05] };
    expect(selectionEvidenceReleased(all, published, evidence)).toBe(false);
    // Every month published: they may go out. A month missing from the backtest counts as withheld.
    const whole = folds(-1);
    expect(selectionEvidenceReleased(whole, releasedBacktestFolds(whole, rules).published, evidence)).toBe(true);
    expect(selectionEvidenceReleased(whole, releasedBacktestFolds(whole, rules).published, { ...evidence, months: [...months, "2021-09"] })).toBe(false);
  });
});

describe("the briefing's last-month accuracy", () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("withholds the hit rate the patrol page withholds: its 5 % list caught 2 more than the 1 % list it publishes", async () => {
    dir = await mkdtemp(join(tmpdir(), "briefing-accuracy-"));
    const folder = join(analyticsTables.backtestsDir(dir), "month=2022-09");
    await mkdir(folder, { recursive: true });
    // 40 incidents; both methods' lists of 2, 10 and 20 cells caught 6, 8 and 20 (the best cells 8, 22 and 30).
    const folds = ["selected", "last-12-months"].flatMap((method) =>
      [
        [0.01, 2, 6, 8],
        [0.05, 10, 8, 22],
        [0.1, 20, 20, 30],
      ].map(
        ([share, cells, hits, oracle]) =>
          `('all', '${method}', '2022-09', ${share}, ${cells}, ${hits}, 40, ${hits! / 40}, ${hits! / 40 / share!}, ${oracle! / 40 / share!}, 8, 20)`,
      ),
    );
    await withConnection(async (connection) => {
      await connection.run(
        `COPY (SELECT * FROM (VALUES ${folds.join(", ")}) AS t(offence_category, method, forecast_month, area_target, cells, hits, incidents, hit_rate, pai, pai_max, hits_top_10, hits_top_20))
           TO '${join(folder, "all.parquet")}' (FORMAT parquet)`,
      );
      const accuracy = await lastMonthAccuracy(connection, dir, "2022-09", 0.05, 5);
      expect(accuracy).toEqual({ month: "2022-09", method: { hitRate: null, pai: null }, baseline: { hitRate: null, pai: null } });
      // At 10 % the bands are 6 and 14 and the rest 20: published.
      expect((await lastMonthAccuracy(connection, dir, "2022-09", 0.1, 5))?.method.hitRate).toBe(0.5);
    });
  });
});

describe("Nottingham robberies backtested from 6 months, against the overview", () => {
  let dir: string;
  let plan: PatrolCategoryPlan | PatrolData;
  let monthly: MonthlyCount[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "backtest-release-"));
    const config = loadProjectConfig(DEFAULT_CONFIG_FILE);
    const settings = { ...settingsFromConfig(config, join(dir, "lake"), "Europe/London"), hullRing: 1, dashboardDir: join(dir, "dashboard") };
    settings.config = recordedConfig(settings, config.file);
    await ingestStage(
      [sharedPath("data", "real", "nottingham_robbery.csv.gz")],
      settings,
      undefined,
      join(import.meta.dirname, "..", "data", "sources", "nottingham-robbery.yaml"),
    );
    await contextStage(settings);
    await runStages(["analyse", "analytics"], settings);
    // As `hotspots backtest --min-history 6 --method last-month` does: the robberies alone, so "all" is them.
    await backtestStage(settings, { hullRing: 1 }, { minHistory: 6, methods: ["last-month"] });
    await runStages(["publish"], settings);
    const data = join(settings.dashboardDir, "src", "data");
    const patrol = JSON.parse(await readFile(join(data, "patrol.json"), "utf8")) as PatrolData;
    plan = patrol;
    monthly = JSON.parse(await readFile(join(data, "monthly-counts.json"), "utf8")) as MonthlyCount[];
  }, 240_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("publishes a backtest, some of its months withheld", () => {
    expect(plan.backtest?.monthly.length).toBeGreaterThan(0);
    expect(plan.backtest!.monthly.some((r) => r.hit_rate !== null)).toBe(true);
    expect(plan.backtest!.monthly.some((r) => r.hit_rate === null)).toBe(true);
  });

  it("gives no count of 1 … 4 back: hits, the bands between shares, the rest, nor the best cells' counts", () => {
    const total = new Map(monthly.filter((r) => r.category === "all" && r.municipality === "").map((r) => [r.month, r.count]));
    const byMonth = new Map<string, Array<{ share: number; hits: number; oracle: number | null }>>();
    for (const r of plan.backtest!.monthly) {
      const n = total.get(r.month);
      if (r.hit_rate === null || n == null) continue;
      const hits = r.hit_rate * n;
      const key = `${r.method} ${r.month}`;
      byMonth.set(key, [...(byMonth.get(key) ?? []), { share: r.area_target, hits, oracle: r.pei_star ? hits / r.pei_star : null }]);
    }
    const found: string[] = [];
    for (const [key, rows] of byMonth) {
      const n = total.get(key.split(" ")[1]!)!;
      for (const measure of ["hits", "oracle"] as const) {
        const counts = rows
          .sort((a, b) => a.share - b.share)
          .map((r) => r[measure])
          .filter((c): c is number => c !== null);
        [0, ...counts, n].forEach((c, j, all) => {
          const band = Math.round(c - (all[j - 1] ?? 0));
          if (j > 0 && band > 0 && band < rules.threshold) found.push(`${key} ${measure}: ${band}`);
        });
      }
    }
    expect(found).toEqual([]);
  });
});
