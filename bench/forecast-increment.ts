/**
 * The +1 month's backtest in isolation (issue 19): on a lake that already holds the new month and the
 * backtest of the month before (a kept bench lake after its incremental run, say), builds the grid the
 * backtest stage builds, reads the earlier backtest's folds and runs rollingBacktest with them, several
 * times, printing CPU and wall seconds per pass and a digest of the result (so that two versions of
 * the code can be compared for speed and for the same folds). Nothing is written to the lake.
 *
 *   npx tsx bench/forecast-increment.ts <lake dir> [passes]
 */
import { createHash } from "node:crypto";
import { loadavg } from "node:os";
import { join } from "node:path";
import { withConnection } from "../etl/duckdb/connection.ts";
import { excludedFromAll, releaseRules } from "../etl/publish/release-rules.ts";
import { defaultSettings } from "../etl/settings.ts";
import { readFolds } from "../etl/analytics/backtest-lake.ts";
import { ALL_OFFENCES } from "../etl/analytics/cell-month-grid.ts";
import { kernelBandwidths } from "../etl/analytics/forecast-candidates.ts";
import { DEFAULT_SELECTION } from "../etl/analytics/forecast-selection.ts";
import { loadGridKernels } from "../etl/analytics/grid-kernel-store.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { firstLakeMonth, lakeGrid } from "../etl/analytics/lake-grid.ts";
import { addMonths } from "../etl/analytics/monthly-counts.ts";
import { DEFAULT_SCORING } from "../etl/analytics/patrol-scores.ts";
import { candidateList, DEFAULT_AREA_SHARES, rollingBacktest } from "../etl/analytics/rolling-backtest.ts";

const lakeDir = process.argv[2];
if (!lakeDir) throw new Error("usage: tsx bench/forecast-increment.ts <lake dir> [passes]");
const passes = Number(process.argv[3] ?? 5);
const settings = defaultSettings({ lakeDir });
const options = { areaShares: DEFAULT_AREA_SHARES, minHistory: 12, parameters: DEFAULT_SCORING, selection: DEFAULT_SELECTION };
await withConnection(async (connection) => {
  const first = (await firstLakeMonth(connection, settings, ALL_OFFENCES))!;
  const exclude = excludedFromAll(ALL_OFFENCES, releaseRules(settings));
  const { grid } = await lakeGrid(connection, settings, { hullBefore: addMonths(first, options.minHistory), exclude });
  const through = grid.months.at(-2)!;
  const stored = { through, folds: await readFolds(connection, join(lakeDir, "backtests", `month=${through}`, `${ALL_OFFENCES}.parquet`)) };
  const weights = kRingWeights(grid.cells, settings.k);
  await loadGridKernels(lakeDir, grid.cells, kernelBandwidths(candidateList()));
  process.stderr.write(`${grid.cells.length} cells, ${grid.months.length} months, ${stored.folds.length} stored folds; load ${loadavg()[0]!.toFixed(1)}\n`);
  for (let pass = 0; pass < passes; pass++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = rollingBacktest(grid, weights, options, stored);
    const wall = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const digest = createHash("sha256")
      .update(JSON.stringify([result.folds, result.summary, result.next, result.reusedThrough]))
      .digest("hex")
      .slice(0, 16);
    process.stdout.write(
      `pass ${pass}: cpu ${((used.user + used.system) / 1e6).toFixed(3)} s, wall ${wall.toFixed(3)} s, reused through ${result.reusedThrough}, digest ${digest}\n`,
    );
  }
});
