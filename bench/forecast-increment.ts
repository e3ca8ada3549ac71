/**
 * The +1 month's forecast + backtest in isolation (issue 19), in a fresh process, on a lake that
 * already holds the new month's incidents and hot spots (ingest and analyse done, the analytics not:
 * the state the analytics stage starts from in the monthly run).
 *
 *   npx tsx bench/forecast-increment.ts stage <lake dir>
 *       copies the lake to a temporary folder, reads the counts and the study area as the emerging
 *       stage does first, then times the backtest and the all-offences forecast as analyticsStage runs
 *       them (kept files kept, earlier folds reused); prints CPU and wall seconds and the load. Run it
 *       several times, alternating two versions of the code, each on the lake its own previous month
 *       left (its root caches are part of what is measured).
 *   npx tsx bench/forecast-increment.ts folds <lake dir> [passes]
 *       on a lake that also holds the new month's backtest, runs rollingBacktest alone with the
 *       earlier month's folds, several passes, with a digest of the result (same folds?).
 */
import { createHash } from "node:crypto";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { withConnection } from "../etl/duckdb/connection.ts";
import { excludedFromAll, releaseRules } from "../etl/publish/release-rules.ts";
import { defaultSettings } from "../etl/settings.ts";
import { sessionConnection, withAnalyticsSession } from "../etl/analytics/analytics-session.ts";
import { backtestStage, readFolds } from "../etl/analytics/backtest-lake.ts";
import { ALL_OFFENCES } from "../etl/analytics/cell-month-grid.ts";
import { kernelBandwidths } from "../etl/analytics/forecast-candidates.ts";
import { DEFAULT_FORECAST_METHODS, forecastStage } from "../etl/analytics/forecast-lake.ts";
import { DEFAULT_SELECTION } from "../etl/analytics/forecast-selection.ts";
import { loadGridKernels } from "../etl/analytics/grid-kernel-store.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { firstLakeMonth, lakeGrid } from "../etl/analytics/lake-grid.ts";
import { addMonths } from "../etl/analytics/monthly-counts.ts";
import { DEFAULT_SCORING } from "../etl/analytics/patrol-scores.ts";
import { candidateList, DEFAULT_AREA_SHARES, rollingBacktest } from "../etl/analytics/rolling-backtest.ts";

const [mode, lake, passArg] = process.argv.slice(2);
if ((mode !== "stage" && mode !== "folds") || !lake) throw new Error("usage: tsx bench/forecast-increment.ts stage|folds <lake dir> [passes]");
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

if (mode === "stage") {
  const work = await mkdtemp(join(tmpdir(), "forecast-increment-"));
  try {
    const lakeDir = join(work, "lake");
    await cp(lake, lakeDir, { recursive: true });
    const settings = defaultSettings({ lakeDir, dashboardDir: join(work, "dashboard") });
    const load = loadavg()[0]!;
    await withAnalyticsSession(settings, async (memo) => {
      // What the emerging stage reads first in the run: the counts and the study area.
      await sessionConnection(memo, (connection) => lakeGrid(connection, settings, { memo }));
      const cpu = process.cpuUsage();
      const started = performance.now();
      const scope = { category: ALL_OFFENCES, memo, hullRing: settings.hullRing ?? null };
      const backtest = await backtestStage(settings, scope, {}, { keepUnchanged: true });
      if (!("summary" in backtest) || backtest.last_month === null) throw new Error("the backtest was kept or empty: give a lake with a new month");
      const month = addMonths(backtest.last_month, 1);
      const chosen = backtest.next ?? undefined;
      const request = { month, category: ALL_OFFENCES, methods: DEFAULT_FORECAST_METHODS, selection: { areaShare: 0.05 }, memo, hullRing: scope.hullRing };
      await forecastStage(settings, { ...request, ...(chosen ? { chosen } : {}) }, { keepUnchanged: true });
      const reused = backtest.reused ? `reused through ${backtest.reused.through}` : "no folds reused";
      process.stdout.write(
        `forecast+backtest: cpu ${cpuSeconds(cpu).toFixed(3)} s, wall ${((performance.now() - started) / 1000).toFixed(3)} s, ${reused}, load ${load.toFixed(1)}\n`,
      );
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
} else {
  const passes = Number(passArg ?? 5);
  const settings = defaultSettings({ lakeDir: lake });
  const options = { areaShares: DEFAULT_AREA_SHARES, minHistory: 12, parameters: DEFAULT_SCORING, selection: DEFAULT_SELECTION };
  await withConnection(async (connection) => {
    const first = (await firstLakeMonth(connection, settings, ALL_OFFENCES))!;
    const exclude = excludedFromAll(ALL_OFFENCES, releaseRules(settings));
    const { grid } = await lakeGrid(connection, settings, { hullBefore: addMonths(first, options.minHistory), exclude });
    const through = grid.months.at(-2)!;
    const stored = { through, folds: await readFolds(connection, join(lake, "backtests", `month=${through}`, `${ALL_OFFENCES}.parquet`)) };
    const weights = kRingWeights(grid.cells, settings.k);
    await loadGridKernels(lake, grid.cells, kernelBandwidths(candidateList()));
    process.stderr.write(`${grid.cells.length} cells, ${grid.months.length} months, ${stored.folds.length} stored folds; load ${loadavg()[0]!.toFixed(1)}\n`);
    for (let pass = 0; pass < passes; pass++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result = rollingBacktest(grid, weights, options, stored);
      const wall = (performance.now() - started) / 1000;
      const digest = createHash("sha256")
        .update(JSON.stringify([result.folds, result.summary, result.next, result.reusedThrough]))
        .digest("hex")
        .slice(0, 16);
      process.stdout.write(
        `pass ${pass}: cpu ${cpuSeconds(cpu).toFixed(3)} s, wall ${wall.toFixed(3)} s, reused through ${result.reusedThrough}, digest ${digest}\n`,
      );
    }
  });
}
