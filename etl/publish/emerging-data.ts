import { listValue, type DuckDBConnection } from "@duckdb/node-api";
import type { EmergingData, EmergingPattern } from "../../dashboard/data-contract.ts";
import { confidenceBins, confidenceBinsFdr } from "../analytics/confidence-bins.ts";
import { emergingHotSpots, emergingOfSpaceTime, type EmergingOptions } from "../analytics/emerging-hot-spots.ts";
import { spaceTimeBins, spaceTimeGiStar } from "../analytics/emerging-space-time.ts";
import { getisOrdZ } from "../analytics/getis-ord.ts";
import { monthsInputSha256 } from "../analytics/output-fingerprint.ts";
import { spaceTimeWeights } from "../analytics/space-time-weights.ts";
import { LakeMemo } from "../analytics/lake-grid.ts";
import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { monthRange } from "../analytics/monthly-counts.ts";
import {
  emergingStateKeys,
  keptRingMinima,
  readEmergingState,
  recordedRingMinima,
  ringReleased,
  type EmergingState,
} from "../analytics/emerging-state-store.ts";
import { analyticsTables } from "../lake/analytics-tables.ts";
import type { EmergingSparsity } from "../analytics/emerging-sparsity.ts";
import type { BinaryWeights } from "../analytics/spatial-weights.ts";
import type { Manifest, PartitionEntry } from "../lake/manifest.ts";
import { tableKey } from "../lake/table-paths.ts";
import { TABLES } from "../lake/tables.ts";
import { countGrid } from "./count-grid.ts";
import { spaceTimeRingSums } from "./hotspot-release.ts";
import { perCellCategories, releasableNeighbourhood, sensitiveList, type ReleaseRules } from "./release-rules.ts";
import { z } from "zod";
import { timed } from "./publish-timing.ts";
import { hasParquet, latestListed, queryColumns, queryRows, type QueryRow } from "./lake-query.ts";

/** One category's latest run: its settings (those of its first row by cell; every row of a run has them) and its row count. */
const RUN = {
  category: z.string(),
  rows: z.number(),
  first_month: z.string(),
  last_month: z.string(),
  months: z.number(),
  fdr: z.boolean(),
  min_bin: z.number(),
  trend_alpha: z.number(),
  time_window: z.number().nullable(),
};
type Run = QueryRow<typeof RUN>;

/** One cell's classification in a run, by index into the sorted cells and patterns of the latest runs. */
const CELL_ROW = { cell: z.number(), pattern: z.number(), hot_months: z.number(), cold_months: z.number() };

/**
 * One category's rows of the latest run, every study-area cell (the run's settings are those of its
 * first row): the stored classification per cell, as columns.
 */
interface CategoryRun {
  first: Run;
  cells: string[];
  pattern: string[];
  hotMonths: number[];
  coldMonths: number[];
}

/**
 * The emerging hot-spot classification of each analysed offence category (the latest run of each:
 * the partition of the last month), except sensitive categories, which are never shown per cell.
 * Each category is classified again here from the lake's incidents with its run's cells, months and
 * settings (see classifyAgain), for two reasons: "all offences" is published over the non-sensitive
 * categories only (the lake's own run counts the sensitive ones, and a cell's pattern could change
 * because of them alone), and the release rules need every month's bins, which the lake does not keep.
 * Another category whose stored run is of the lake's incidents now (storedRunCurrent) keeps the run's
 * patterns, and only its bins are computed (emergingBins: no trend test, no classification) — or not
 * even those, where the analytics stage kept what the ring rule needs of them with the fingerprints
 * of the very file read here (emerging-state-store.ts, recordedRingMinima: no grid counted), or, for
 * an entry without them, under the key of the counts and settings (keptRingMinima).
 *
 * The ring rule of the hot-spot page (release-rules.ts, `releasableNeighbourhood`) applies to every
 * bin a pattern is made of: a cell's pattern (with its month counts) is published only where
 * each month in which it is significant (|bin| ≥ the run's minimum bin, the months the pattern counts)
 * has a neighbourhood — the cell's k-ring in that month and, in space-time mode, the previous
 * `time_window` months — holding 0 or at least the threshold incidents. A pattern such as "new hot
 * spot" is a bin of a named month, which bounds that neighbourhood's count as a published bin would.
 * Other cells are counted in the run's `withheld`, not under their pattern. Cells without a pattern
 * are only counted, to keep the file small. The Mann-Kendall trend z and p stay in the lake: they
 * order the cell's monthly ring statistics, months the ring rule does not check when not significant,
 * and the pattern already says what the trend does. Categories the run skipped as too sparse for
 * the method (`manifest`'s parameters) are listed in `skipped` with the rule they broke. `only`:
 * that one category alone (the briefing's patterns are of all offences only).
 */
export async function emergingData(
  connection: DuckDBConnection,
  lakeDir: string,
  rules: ReleaseRules,
  k = 1,
  manifest: Pick<Manifest, "parameters"> & Partial<Pick<Manifest, "tables">> = {},
  only?: string,
): Promise<EmergingData> {
  const skipped = skippedCategories(manifest, rules).filter((s) => only === undefined || s.category === only);
  const dir = analyticsTables.emergingDir(lakeDir);
  if (!(await hasParquet(dir))) return { categories: [], runs: [], cells: [], skipped };
  const skippedNames = new Set(skipped.map((s) => s.category));
  const byCategory = new Map<string, CategoryRun>();
  // Each category's last partition where the folder is the manifest's (latestListed), else every file: the query picks each category's last month.
  const latest = latestListed(lakeDir, dir, manifest.tables?.[TABLES.emerging.manifest ?? ""]);
  const files = latest && latest.size > 0 ? [...latest].flatMap(([category, l]) => (only === undefined || category === only ? [l.file] : [])).sort() : null;
  if (files?.length === 0) return { categories: [], runs: [], cells: [], skipped };
  for (const run of await timed("emerging runs read", () => latestRuns(connection, dir, rules, files, only))) {
    // A category the last run found too sparse shows why, not an earlier run's file.
    if (!skippedNames.has(run.first.category)) byCategory.set(run.first.category, run);
  }
  const runs = new Map<string, EmergingData["runs"][number]>();
  const cells: EmergingData["cells"] = [];
  // Every category of a run has the same cells: their weights are made once.
  const weights = new SpatialWeightsMemo(k);
  // What the analytics stage kept of each run's bins for the ring rule (emerging-state-store.ts).
  const rings = await readEmergingState(lakeDir);
  for (const [category, categoryRun] of byCategory) {
    const first = categoryRun.first;
    const run: EmergingData["runs"][number] = {
      category,
      first_month: first.first_month,
      last_month: first.last_month,
      months: first.months,
      fdr: first.fdr,
      min_bin: first.min_bin,
      trend_alpha: first.trend_alpha,
      time_window: first.time_window,
      patterns: {},
      withheld: 0,
    };
    runs.set(category, run);
    const current = storedRunCurrent(manifest, first);
    const r = await timed(`emerging ${category === ALL_OFFENCES ? "all" : "other categories"}`, () =>
      classifyAgain(connection, lakeDir, rules, weights, categoryRun, current ? rings : null, current ? runEntry(manifest, first) : undefined),
    );
    for (let i = 0; i < categoryRun.cells.length; i++) {
      if (!r.released[i]) {
        run.withheld++;
        continue;
      }
      const pattern = r.pattern[i]!;
      run.patterns[pattern] = (run.patterns[pattern] ?? 0) + 1;
      if (pattern === "no_pattern") continue;
      cells.push({
        category,
        cell: categoryRun.cells[i]!,
        pattern,
        hot_months: r.hotMonths[i]!,
        cold_months: r.coldMonths[i]!,
      });
    }
  }
  const categories = perCellCategories(runs.keys(), rules);
  return { categories, runs: categories.map((c) => runs.get(c)!), cells, skipped };
}

/**
 * Each cell's published pattern in one category's run (all offences by default), as the emerging page
 * shows it: cells with no pattern, and cells the ring rule withheld, are absent. What any other
 * per-cell output (the patrol briefing) says of emerging hot spots is this, never the lake's run:
 * the lake's "all offences" counts the sensitive categories and is not checked by the ring rule.
 */
export function publishedPatterns(emerging: Pick<EmergingData, "cells">, category: string = ALL_OFFENCES): Map<string, EmergingPattern> {
  return new Map(emerging.cells.filter((c) => c.category === category).map((c) => [c.cell, c.pattern]));
}

/**
 * The latest run of each category but the sensitive ones (the partition of its last month), ordered
 * by category, each run's rows by cell. Some 30,000 rows (cells × categories): strings repeated on
 * every row are what costs most on the way into JavaScript (about a third of a second at 3,066 cells
 * × 10 categories), so the rows come as numbers — indexes of the sorted cells and patterns, read once
 * each — and each run's settings once per category.
 */
async function latestRuns(connection: DuckDBConnection, dir: string, rules: ReleaseRules, files: string[] | null, only?: string): Promise<CategoryRun[]> {
  const read = `SELECT offence_category, h3_cell, emerging_category, hot_months, cold_months, first_month, month, months, fdr, min_bin, trend_alpha, time_window
                  FROM read_parquet($files, hive_partitioning = true)
                 WHERE NOT list_contains($sensitive, offence_category)${only === undefined ? "" : " AND offence_category = $only"}`;
  // Each category's last partition alone holds one month of that category: no month to choose.
  await connection.run(
    files
      ? `CREATE OR REPLACE TEMP TABLE publish_emerging AS ${read}`
      : `CREATE OR REPLACE TEMP TABLE publish_emerging AS
         WITH e AS (${read}), latest AS (SELECT offence_category, max(month) AS month FROM e GROUP BY ALL)
         SELECT e.* FROM e JOIN latest USING (offence_category, month)`,
    { files: files ? listValue(files) : `${dir}/*/*.parquet`, sensitive: sensitiveList(rules.sensitive), ...(only === undefined ? {} : { only }) },
  );
  try {
    // The settings of each category's first row by cell in one pass, no window over every row (arg_min_null: a NULL time window is a setting too).
    const runs = await queryRows(
      connection,
      `SELECT offence_category AS category, count(*)::INTEGER AS rows, arg_min(first_month, h3_cell) AS first_month, arg_min(month, h3_cell) AS last_month,
              arg_min(months, h3_cell) AS months, arg_min(fdr, h3_cell) AS fdr, arg_min(min_bin, h3_cell)::INTEGER AS min_bin,
              arg_min(trend_alpha, h3_cell) AS trend_alpha, arg_min_null(time_window, h3_cell) AS time_window
         FROM publish_emerging GROUP BY ALL ORDER BY category`,
      RUN,
    );
    const dictionary = async (column: string) =>
      (await queryColumns(connection, `SELECT DISTINCT ${column} AS value FROM publish_emerging ORDER BY value`, { value: z.string() })).value;
    const cells = await dictionary("h3_cell");
    const patterns = await dictionary("emerging_category");
    const rows = await queryColumns(
      connection,
      `SELECT (dense_rank() OVER (ORDER BY h3_cell) - 1)::INTEGER AS cell, (dense_rank() OVER (ORDER BY emerging_category) - 1)::INTEGER AS pattern,
              hot_months, cold_months
         FROM publish_emerging ORDER BY offence_category, h3_cell`,
      CELL_ROW,
    );
    let start = 0;
    return runs.map((first) => {
      const end = start + first.rows;
      const run: CategoryRun = {
        first,
        cells: rows.cell.slice(start, end).map((i) => cells[i]!),
        pattern: rows.pattern.slice(start, end).map((i) => patterns[i]!),
        hotMonths: rows.hot_months.slice(start, end),
        coldMonths: rows.cold_months.slice(start, end),
      };
      start = end;
      return run;
    });
  } finally {
    await connection.run("DROP TABLE publish_emerging");
  }
}

/**
 * The categories whose emerging hot spots the last run skipped as too sparse for the method, with
 * the rule they broke (the manifest's `emerging/<category>.skipped`, see emergingSparsity); never a
 * sensitive category, which the page does not offer at all.
 */
function skippedCategories(manifest: Pick<Manifest, "parameters">, rules: ReleaseRules): NonNullable<EmergingData["skipped"]> {
  const found = new Map<string, EmergingSparsity>();
  for (const [key, parameters] of Object.entries(manifest.parameters ?? {})) {
    if (!key.startsWith(EMERGING_KEY) || parameters.skipped === undefined) continue;
    found.set(key.slice(EMERGING_KEY.length), parameters.skipped as EmergingSparsity);
  }
  return perCellCategories(found.keys(), rules).map((category) => ({ category, ...found.get(category)! }));
}
const EMERGING_KEY = "emerging/";

/**
 * The weights of the runs' cells, made once for the categories that share them (every category of a
 * run has the study area's cells and, mostly, the same months): the k-ring weights (kRingWeights gives
 * equal cells one build, whatever the array) and the space-time weights built on them, kept by a
 * LakeMemo.
 */
class SpatialWeightsMemo {
  private readonly memo = new LakeMemo();
  constructor(readonly k: number) {}

  of(cells: readonly string[]): BinaryWeights {
    return this.memo.weights(cells, this.k);
  }

  /** spaceTimeWeights, the last cube kept (see LakeMemo.spaceTime). */
  readonly cube: typeof spaceTimeWeights = (spatial, steps, window) => this.memo.spaceTime(spatial, steps, window);
}

/**
 * The lake run's rows of one category (every study-area cell), classified again from the lake's
 * incidents of that category — of all offences less the sensitive categories for "all" — over the same
 * cells, months and settings (the time window is in the partition's rows), each with whether the ring
 * rule lets it be published (every array by the run's cell order).
 */
async function classifyAgain(
  connection: DuckDBConnection,
  lakeDir: string,
  rules: ReleaseRules,
  weights: SpatialWeightsMemo,
  run: CategoryRun,
  stored: EmergingState | null,
  file?: PartitionEntry,
): Promise<{ pattern: readonly string[]; hotMonths: ArrayLike<number>; coldMonths: ArrayLike<number>; released: boolean[] }> {
  const { first, cells } = run;
  // The analytics stage's ring minima where its entry was made with the very file the manifest lists (of the incidents now): no grid to count.
  const recorded = stored && recordedRingMinima(stored, first.category, file, weights.k, cells.length);
  if (recorded) return { pattern: run.pattern, hotMonths: run.hotMonths, coldMonths: run.coldMonths, released: ringReleased(recorded, rules.threshold) };
  const months = monthRange(first.first_month, first.last_month);
  const grid = await countGrid(connection, lakeDir, cells, months, first.category, rules.sensitive);
  // The time window is in the partition's rows (every row of a run has its parameters).
  const timeWindow = first.time_window;
  const options = { timeWindow, fdr: first.fdr, minBin: first.min_bin as 1 | 2 | 3, trendAlpha: first.trend_alpha };
  if (stored) {
    // The analytics stage's ring minima where they are of these very counts and settings: no cube to compute.
    const { key } = emergingStateKeys({ counts: grid, cells, months, k: weights.k, ...options });
    const minima = keptRingMinima(stored, first.category, key, cells.length);
    if (minima) return { pattern: run.pattern, hotMonths: run.hotMonths, coldMonths: run.coldMonths, released: ringReleased(minima, rules.threshold) };
  }
  const spatial = weights.of(cells);
  // In space-time mode one grouped cube (spaceTimeGiStar) gives the bins, the patterns where they are
  // needed, and the ring rule's counts: its neighbourhood sums are those counts.
  const cube = timeWindow !== null ? spaceTimeGiStar(grid, spatial, months.length, timeWindow, options.fdr) : null;
  // The stored rows' patterns where they are of these counts; only the bins are computed for the ring rule.
  const result = cube
    ? stored
      ? { bins: spaceTimeBins(cube) }
      : emergingOfSpaceTime(cells.length, months.length, cube, options)
    : stored
      ? { bins: emergingBins(grid, spatial, months.length, options, weights.cube) }
      : emergingHotSpots({ cells, months, counts: grid }, spatial, options, weights.cube);
  // Each bin's neighbourhood count: the k-ring in its month and the time window's previous months (0: its month alone).
  const ring = cube ? cube.lags : spaceTimeRingSums(grid, spatial, months.length, timeWindow ?? 0);
  const n = cells.length;
  const released = cells.map((_, i) => {
    for (let t = 0; t < months.length; t++) {
      if (Math.abs(result.bins[t * n + i]!) >= options.minBin && !releasableNeighbourhood(ring[t * n + i]!, rules)) return false;
    }
    return true;
  });
  return "category" in result
    ? { pattern: result.category, hotMonths: result.hotSteps, coldMonths: result.coldSteps, released }
    : { pattern: run.pattern, hotMonths: run.hotMonths, coldMonths: run.coldMonths, released };
}

/**
 * Whether a category's stored run is of the lake's incidents now, so its patterns are what
 * classifying its counts again would give: not "all" (the lake's run counts the sensitive categories,
 * the published one leaves them out), and the manifest records with its file the input fingerprint
 * (see outputFingerprints) of the incident partitions of its months as they are now. Anything else
 * (no manifest tables, an export of one of its months added or corrected since) classifies again.
 */
export function storedRunCurrent(
  manifest: Partial<Pick<Manifest, "tables">>,
  first: Pick<Run, "category" | "first_month" | "last_month"> | undefined,
): boolean {
  if (!first || first.category === ALL_OFFENCES) return false;
  const entry = runEntry(manifest, first);
  if (!entry?.input_sha256 || !manifest.tables) return false;
  return entry.input_sha256 === monthsInputSha256({ tables: manifest.tables }, monthRange(first.first_month, first.last_month));
}

/** The manifest's entry of a category's run file (its last month's partition), if it lists one. */
function runEntry(manifest: Partial<Pick<Manifest, "tables">>, first: Pick<Run, "category" | "last_month">): PartitionEntry | undefined {
  if (!manifest.tables || !TABLES.emerging.manifest) return undefined;
  return manifest.tables[TABLES.emerging.manifest]?.[tableKey(TABLES.emerging, { partition: first.last_month, name: first.category })];
}

/**
 * The confidence bin of every cell and month of a month-major grid, as emergingHotSpots computes them
 * (Gi* of each month, or the space-time Gi* over the whole cube; Benjamini–Hochberg FDR when asked),
 * without the trend test and classification: what the ring rule needs where the stored run's patterns
 * are current. test/emerging-data-reuse.test.ts checks it against emergingHotSpots' bins.
 */
export function emergingBins(
  grid: Float64Array,
  spatial: BinaryWeights,
  steps: number,
  options: EmergingOptions,
  cube: typeof spaceTimeWeights = spaceTimeWeights,
): Int8Array {
  const n = spatial.n;
  const binOf = options.fdr ? confidenceBinsFdr : confidenceBins;
  const bins = new Int8Array(n * steps);
  if (steps === 0) return bins;
  if (options.timeWindow === null) {
    for (let t = 0; t < steps; t++) bins.set(binOf(getisOrdZ(grid.subarray(t * n, (t + 1) * n), spatial)), t * n);
  } else bins.set(binOf(getisOrdZ(grid, cube(spatial, steps, options.timeWindow))));
  return bins;
}
