/**
 * Last month's plan, which "what changed since last month" compares this month's with. A monthly run
 * leaves each month's forecast in the lake, and that stored plan is used where it exists. A lake built
 * in one run (a fresh `npm start`) holds only the coming month's; for it the plan is rebuilt as it
 * would have been made a month earlier: the method the rolling backtest's nested selection chose for
 * last month (its `selected` fold, which saw only the months before it), scored on the months before
 * last month only — no month the plan is judged on leaks into it — at the same share of the study
 * area (or number of cells), over the study area the lake's configuration gives (a hull from the incidents before that
 * month, as the forecast stage builds it). The briefing says which of the two it compares with.
 */
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { getResolution } from "h3-js";
import { z } from "zod";
import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { cellAreasKm2, cellsForAreaShare, rankCells } from "../analytics/cell-selection.ts";
import { candidateScorer, candidatesNamed, scoringContext } from "../analytics/forecast-candidates.ts";
import { kRingWeights } from "../analytics/k-ring-weights.ts";
import { lakeGrid } from "../analytics/lake-grid.ts";
import { DEFAULT_SCORING } from "../analytics/patrol-scores.ts";
import { combinedScores, SELECTED_METHOD } from "../analytics/rolling-backtest.ts";
import { analyticsTables } from "../lake/analytics-tables.ts";
import { readManifest } from "../lake/manifest.ts";
import { hasParquet, queryRows } from "../publish/lake-query.ts";
import { excludedFromAll } from "../publish/release-rules.ts";
import { checkRecordedFiles, settingsFromConfig } from "../settings.ts";
import type { PriorityCell } from "./patrol-areas.ts";

export interface RebuiltPlanRequest {
  lakeDir: string;
  /** The month the plan is for (last month, seen from the briefing's month). */
  month: string;
  timeZone: string;
  /** A cell of this month's forecast: the plan is rebuilt at its resolution. */
  cellOfForecast: string;
  sensitiveCategories: ReadonlySet<string>;
}

/**
 * The plan the selected method would have made for `month` from the months before it, best rank
 * first; null when the lake cannot say (no configuration or forecast selection recorded, no backtest
 * fold of that month, or no history before it).
 */
export async function rebuiltPlan(connection: DuckDBConnection, request: RebuiltPlanRequest): Promise<PriorityCell[] | null> {
  const resolution = getResolution(request.cellOfForecast);
  const manifest = await readManifest(request.lakeDir, request.timeZone, resolution);
  // The selection the forecast stage was asked for (the share of the area, or a number of cells), as the lake records it.
  const selection = manifest.parameters?.[`forecasts/${ALL_OFFENCES}`]?.selection as { areaShare?: number; top?: number } | undefined;
  if (!manifest.config || !selection || (selection.areaShare === undefined && selection.top === undefined)) return null;
  const chosen = await chosenMethod(connection, request.lakeDir, request.month);
  if (chosen === null) return null;
  // The recorded boundaries must be here, as for any command on this lake (its places are not read
  // here). A different version is the command's to warn of (its settings check the same record).
  checkRecordedFiles(manifest.config, request.lakeDir, ["places"]);
  const settings = { ...settingsFromConfig(manifest.config, request.lakeDir, request.timeZone), resolution };
  const { grid } = await lakeGrid(connection, settings, {
    exclude: excludedFromAll(ALL_OFFENCES, { sensitive: request.sensitiveCategories }),
    to: request.month,
    hullRing: settings.hullRing ?? null,
    hullBefore: request.month,
  });
  const origin = grid.months.indexOf(request.month);
  if (origin < 1) return null;
  const context = scoringContext(grid, kRingWeights(grid.cells, settings.k), DEFAULT_SCORING);
  // The forecast stage's ranking of a chosen combination (forecast-lake.ts): its parts' scores combined, ranked, cut at the share.
  const { score, tieBreak } = combinedScores(candidatesNamed(chosen.split(" + ")).map((c) => candidateScorer(c, context)(origin)));
  const order = rankCells(score, tieBreak);
  const areas = cellAreasKm2(grid.cells);
  const count = selection.top !== undefined ? Math.min(selection.top, order.length) : cellsForAreaShare(order, areas, selection.areaShare!);
  return Array.from(order.subarray(0, count), (i, r) => ({ cell: grid.cells[i]!, rank: r + 1, areaKm2: areas[i]! }));
}

/** The method the backtest's nested selection chose for `month` (all offences), from the months before it. */
async function chosenMethod(connection: DuckDBConnection, lakeDir: string, month: string): Promise<string | null> {
  const dir = analyticsTables.backtestsDir(lakeDir);
  if (!(await hasParquet(dir))) return null;
  const rows = await queryRows(
    connection,
    `SELECT chosen_method FROM read_parquet($glob, hive_partitioning = true)
      WHERE offence_category = $category AND forecast_month = $month AND method = $selected AND chosen_method IS NOT NULL
      ORDER BY month DESC LIMIT 1`,
    { chosen_method: z.string() },
    { glob: join(dir, "*", "*.parquet"), category: ALL_OFFENCES, month, selected: SELECTED_METHOD },
  );
  return rows[0]?.chosen_method ?? null;
}
