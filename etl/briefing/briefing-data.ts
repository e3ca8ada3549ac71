/**
 * What the monthly patrol briefing says, read from the lake: next month's priority cells of the
 * selected forecast method grouped into patrol areas, each with its place name, why (offence mix,
 * last month against the 11 before, last 12 months) and when (times of day and
 * days of the week), what the published emerging hot spots say of its cells, what changed since last
 * month (areas new to the plan, last month against the 11 before, last month's areas no longer
 * selected) and how the method did last month. Every figure follows the release rules: sensitive categories are left out, counts
 * below the threshold are withheld with complementary suppression (etl/publish/release-rules.ts).
 */
import { access } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { listValue } from "@duckdb/node-api";
import { cellToLatLng, getResolution } from "h3-js";
import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { cellsOfPoints, checkCoordinatePrecision, coordinateSpacingMetres } from "../analytics/coordinate-cells.ts";
import { addMonths } from "../analytics/monthly-counts.ts";
import { readLakeCounts, type LakeCounts } from "../analytics/lake-counts.ts";
import { SELECTED_METHOD } from "../analytics/rolling-backtest.ts";
import { rateRatioTest } from "../evaluation/statistics/rate-ratio-test.ts";
import { coordinatesText } from "../../dashboard/src/components/geo.js";
import { describeLocations, distinguishNames, type PlaceIndex } from "../geo/place-names.ts";
import { localityNames, readLocalityCounts, type LocalityCount } from "../publish/locality-names.ts";
import type { CellPlaceName } from "../publish/cell-place-names.ts";
import { sqlLiteral } from "../duckdb/connection.ts";
import { analyticsTables } from "../lake/analytics-tables.ts";
import { lakeLayout } from "../lake/lake-layout.ts";
import { MANIFEST_FILE, parseManifest, readManifestText, storedCellResolution, type Manifest } from "../lake/manifest.ts";
import { noBacktest } from "../publish/patrol-data.ts";
import { emergingData, publishedPatterns } from "../publish/emerging-data.ts";
import type { EmergingData, HotspotTable } from "../../dashboard/data-contract.ts";
import { hotspotTable, lakeInference } from "../publish/hotspot-table.ts";
import { differenceSafe, publishedCellCounts, publishedSum } from "./hot-spot-differences.ts";
import { tableFiles, tableSource } from "../lake/table-reader.ts";
import { TABLES } from "../lake/tables.ts";
import { z } from "zod";
import { timed } from "../publish/publish-timing.ts";
import { hasParquet, queryRows, suppressed } from "../publish/lake-query.ts";
import { TIME_OF_DAY_PRECISIONS, TIME_OF_DAY_PRECISIONS_SQL } from "../ingest/parse-time.ts";
import { groupPatrolAreas, type PriorityCell } from "./patrol-areas.ts";
import { rebuiltPlan } from "./previous-plan.ts";
import {
  releaseParts,
  releasedBacktestFolds,
  sensitiveList,
  seriesRounded,
  seriesRoundedParts,
  seriesRoundingBase,
  type ReleasedParts,
} from "../publish/release-rules.ts";

/** Times of day as four six-hour blocks, starting at midnight local time. */
export const TIME_BLOCKS = ["00–06", "06–12", "12–18", "18–24"] as const;
/** Areas listed in the briefing; the rest of the selection is drawn on the map only. */
export const MAX_AREAS = 8;

export interface BriefingArea {
  priority: number;
  name: { en: string; lt: string };
  /** Whether the name is a place's of the places file (OpenStreetMap, credited); else the export's own locality, or the centre's coordinates. */
  namedByPlace: boolean;
  cells: string[];
  areaKm2: number;
  centre: [number, number];
  lastMonth: number | null;
  last12: number | null;
  /** Non-sensitive categories in the last 12 months, largest first, released as parts of last12. */
  mix: Array<{ category: string; count: number | null }>;
  /** Incidents with a time of day: released by time block and by ISO weekday (1 = Monday). */
  timeBlocks: ReleasedParts;
  weekdays: ReleasedParts;
  /** Incidents of the last 12 months known only to the day or month (not in the profile). */
  withoutTimeOfDay: number | null;
  /** Whether none of the last 12 months' incidents has a time of day (police.uk's months): said so, not as a withheld profile. */
  untimed: boolean;
  /** Emerging hot-spot pattern → number of the area's cells with it, as the emerging page publishes them (not none, not withheld). */
  patterns: Record<string, number>;
  /** Against last month's plan: none of its cells was in it (new), or some were; null when the lake holds no plan for last month. */
  plan: "new" | "continuing" | null;
  /** Last month against the 11 months before it, by the exact rate-ratio test at 5 % (too few where the lake starts after the first of them). */
  lastMonthChange: "intensifying" | "easing" | "as_usual" | "too_few";
}

/** Last month's plan against this one: the areas it had that are no longer selected (fading). */
export interface BriefingChanges {
  /** The month of the earlier plan (the month before the briefing's), or null when the lake holds none. */
  previousMonth: string | null;
  /** Where last month's plan came from: stored by a monthly run, or rebuilt from the months before it (previous-plan.ts); null when neither. */
  previousPlan: "stored" | "rebuilt" | null;
  /** Last month's patrol areas none of whose cells is selected now, in last month's priority order. */
  fading: Array<{ en: string; lt: string }>;
}

export interface BriefingData {
  month: string;
  /** The months the figures cover: the 12 before `month`. */
  from: string;
  to: string;
  timeZone: string;
  /** The study area's label as the forecast records it. */
  studyArea: string;
  chosenMethod: string | null;
  selectionReason: string | null;
  /** The method closest to the chosen one in the backtest; null where no other method was backtested. */
  runnerUp: string | null;
  cells: number;
  areaShare: number | null;
  areas: BriefingArea[];
  /** Every selected cell, for the map: cell id and the priority of its area. */
  mapCells: Array<{ cell: string; priority: number }>;
  /**
   * The selected cells the places name nothing near, each with the export's own locality that names
   * it (locality-names.ts, the dashboard's cell names): the map labels them where no place is drawn.
   */
  mapLocalities: Array<{ cell: string; name: string }>;
  /** The selected method and the last-12-months baseline on the month before, at the same area share. */
  lastMonth: { month: string; method: { hitRate: number | null; pai: number | null }; baseline: { hitRate: number | null; pai: number | null } } | null;
  /**
   * Where `lastMonth` is null because the lake's months are too few for a backtest: how many it has and
   * how many a backtest month needs before it (patrol-data.ts noBacktest, as the patrol page says it).
   */
  tooFewMonths?: { months: number; minHistoryMonths: number } | null;
  changes: BriefingChanges;
  suppressionThreshold: number;
  /** The base every area count is rounded to (seriesRoundingBase: the threshold; 1 rounds nothing). */
  roundedTo: number;
  /** The sensitive categories the lake holds, which the figures leave out (none named where it holds none). */
  sensitiveCategories: string[];
}

export interface BriefingRequest {
  lakeDir: string;
  month: string;
  timeZone: string;
  /** k of the analysis: a patrol area is at most a cell and its k-ring. */
  k: number;
  places: PlaceIndex;
  /**
   * Each cell's place names with `places` (describeLocation of its centre) where the caller keeps
   * them (publish: etl/publish/cell-place-names.ts, the map's names); else each cell is described here.
   */
  cellPlaceName?: (cell: string) => CellPlaceName;
  suppressionThreshold: number;
  sensitiveCategories: ReadonlySet<string>;
  /**
   * Every category the lake's cell_counts hold, where the caller has them already (publish's count
   * tables sum those files): the footnote's sensitive categories are taken from them instead of a
   * scan of every month's counts (sensitiveInLake).
   */
  categoriesInLake?: readonly string[];
  /** The lake's manifest where the caller has read it: the stored cells' resolution is its own, and `emerging` (when not given) is computed with it. */
  manifest?: Pick<Manifest, "tables" | "h3_resolution" | "parameters">;
  /**
   * The released emerging hot spots where the caller has computed them (publish: the emerging page's
   * data, etl/publish/emerging-data.ts); the areas' patterns are taken from these, else computed here.
   */
  emerging?: Pick<EmergingData, "cells">;
  /** The hot-spot page's table where publish computed it: the areas' figures are checked against its per-cell counts (else computed here). */
  hotspots?: Pick<HotspotTable, "cells" | "groups">;
}

/**
 * The lake holds no plan to brief on for the month (no forecast file, or none of the selected
 * method): a state of the lake the publish step reports in the site, not a fault of the data.
 */
export class NoForecastError extends Error {
  override name = "NoForecastError";
}

/** Reads the forecast of `month` and the incidents, emerging patterns and backtest behind it. */
export async function briefingData(connection: DuckDBConnection, given: BriefingRequest): Promise<BriefingData> {
  // The manifest once for every reader below (publish passes its own; `hotspots briefing` reads it here).
  const request = given.manifest ? given : { ...given, ...(await lakeManifest(given.lakeDir)) };
  const { lakeDir, month, suppressionThreshold: threshold } = request;
  const forecastFile = forecastFileOf(lakeDir, month);
  // Checked before querying: DuckDB's "no files found" would carry its SQL and caret into the message.
  if (!(await fileExists(forecastFile)))
    throw new NoForecastError(`no patrol forecast for ${month} in the lake (${forecastFile}): run \`hotspots forecast --month ${month}\` first`);
  const forecast = await readPlan(connection, forecastFile).catch((error: Error) => {
    throw new NoForecastError(
      `the patrol forecast for ${month} (${forecastFile}) cannot be read (${error.message.split("\n")[0]}): run \`hotspots forecast --month ${month}\` to write it again`,
    );
  });
  if (forecast.length === 0)
    throw new NoForecastError(
      `the forecast for ${month} has no '${SELECTED_METHOD}' cells: run \`hotspots forecast --month ${month}\` with its default methods`,
    );

  // The lake's first month (the forecast's history): a comparison with months before it would count them as empty.
  const historyFrom = forecast[0]!.history_from;
  const selected: PriorityCell[] = forecast.map((r) => ({ cell: r.h3_cell, rank: r.rank, areaKm2: r.area_km2 }));
  const groups = groupPatrolAreas(selected, request.k);
  const areaOf = new Map(groups.flatMap((g) => g.cells.map((c) => [c.cell, g.priority] as const)));
  const listed = groups.slice(0, MAX_AREAS);
  const [from, to] = [addMonths(month, -12), addMonths(month, -1)];
  // Only the listed areas' figures are drawn from the counts: their cells are read (not the whole selection's), summed per area.
  const totals = areaTotals(
    await timed("briefing day counts", () =>
      incidentCounts(connection, request, new Map(listed.flatMap((g) => g.cells.map((c) => [c.cell, g.priority] as const))), from, to),
    ),
  );
  // The patterns the emerging page publishes, never the lake's own run (which counts the sensitive categories).
  const patterns = publishedPatterns(await releasedEmerging(connection, request));
  // Last month's plan: stored by a monthly run, or else rebuilt as the same method would have made it from the months before (previous-plan.ts).
  const previousFile = forecastFileOf(lakeDir, to);
  const stored = (await fileExists(previousFile)) ? await readPlan(connection, previousFile) : null;
  const lastPlan: PriorityCell[] | null = stored
    ? stored.map((r) => ({ cell: r.h3_cell, rank: r.rank, areaKm2: r.area_km2 }))
    : await rebuiltPlan(connection, {
        lakeDir,
        month: to,
        timeZone: request.timeZone,
        cellOfForecast: forecast[0]!.h3_cell,
        sensitiveCategories: request.sensitiveCategories,
      });
  const lastPlanCells = new Set(lastPlan?.map((c) => c.cell));
  const fadingGroups = lastPlan === null ? [] : groupPatrolAreas(lastPlan, request.k).filter((g) => !g.cells.some((c) => areaOf.has(c.cell)));
  const { names, cellLocalities } = await areaNames(connection, request, [...listed, ...fadingGroups], selected);
  const last12Months = Array.from({ length: 12 }, (_, i) => addMonths(to, -i));
  const published = publishedCellCounts(
    await releasedHotSpots(connection, request),
    new Set(listed.flatMap((g) => g.cells.map((c) => c.cell))),
    new Set(last12Months),
  );

  const areas = listed.map((group, i): BriefingArea => {
    const t = totals.get(group.priority) ?? emptyTotals();
    const recent = t.recent + t.lastMonth;
    const order = [...t.byCategory].map(([category, n]) => ({ category, n })).sort((a, b) => b.n - a.n || a.category.localeCompare(b.category));
    // A figure the hot-spot page's counts of some of the area's cells would leave a small rest of is withheld (hot-spot-differences.ts).
    const cells = group.cells.map((c) => c.cell);
    const safe = (figure: number, months: readonly string[], category: string) =>
      differenceSafe(figure, publishedSum(published, cells, months, category), threshold);
    // The 12 months' total is also the time blocks' total plus the untimed: withheld, the whole 12-month block goes with it.
    const yearSafe = safe(recent, last12Months, ALL_OFFENCES);
    const withheldParts = (parts: readonly number[]): ReleasedParts => ({ total: null, parts: parts.map(() => null) });
    const mix = yearSafe
      ? releaseParts(
          order.map((o) => o.n),
          threshold,
          { listed: order.map((o) => safe(o.n, last12Months, o.category)) },
        )
      : withheldParts(order.map((o) => o.n));
    const name = names[i]!;
    // Every count rounded last (seriesRounded: consecutive briefings would otherwise difference to withheld counts).
    const rules = { threshold };
    return {
      priority: group.priority,
      name: { en: name.en, lt: name.lt },
      namedByPlace: name.byPlace,
      cells: group.cells.map((c) => c.cell),
      areaKm2: group.areaKm2,
      centre: group.centre,
      lastMonth: seriesRounded(safe(t.lastMonth, [to], ALL_OFFENCES) ? suppressed(t.lastMonth, threshold) : null, rules),
      last12: seriesRounded(mix.total, rules),
      ...areaDirections(t, threshold, historyFrom <= addMonths(month, -12)),
      mix: order.map((o, i) => ({ category: o.category, count: seriesRounded(mix.parts[i]!, rules) })),
      timeBlocks: seriesRoundedParts(yearSafe ? releaseParts(t.blocks, threshold) : withheldParts(t.blocks), rules),
      weekdays: seriesRoundedParts(yearSafe ? releaseParts(t.weekdays, threshold) : withheldParts(t.weekdays), rules),
      withoutTimeOfDay: seriesRounded(yearSafe ? suppressed(recent - t.timed, threshold) : null, rules),
      untimed: mix.total !== null && t.timed === 0,
      patterns: countPatterns(
        patterns,
        group.cells.map((c) => c.cell),
      ),
      plan: lastPlan === null ? null : group.cells.some((c) => lastPlanCells.has(c.cell)) ? "continuing" : "new",
    };
  });
  const fading = names.slice(listed.length).map(({ en, lt }) => ({ en, lt }));

  const lastMonth = await lastMonthAccuracy(connection, lakeDir, to, forecast.at(-1)!.cumulative_area_share, threshold);
  return {
    month,
    from,
    to,
    timeZone: request.timeZone,
    studyArea: forecast[0]!.study_area,
    chosenMethod: forecast[0]!.chosen_method,
    selectionReason: forecast[0]!.selection_reason,
    runnerUp: forecast[0]!.runner_up,
    cells: forecast.length,
    areaShare: forecast.at(-1)!.cumulative_area_share,
    areas,
    mapCells: selected.map((c) => ({ cell: c.cell, priority: areaOf.get(c.cell)! })),
    mapLocalities: [...cellLocalities].map(([cell, name]) => ({ cell, name })).sort((a, b) => (a.cell < b.cell ? -1 : 1)),
    lastMonth,
    tooFewMonths: lastMonth === null ? await tooFewMonthsToBacktest(lakeDir) : null,
    changes: { previousMonth: lastPlan === null ? null : to, previousPlan: lastPlan === null ? null : stored ? "stored" : "rebuilt", fading },
    suppressionThreshold: threshold,
    roundedTo: seriesRoundingBase({ threshold }),
    sensitiveCategories: request.categoriesInLake
      ? request.categoriesInLake.filter((c) => request.sensitiveCategories.has(c)).sort()
      : await sensitiveInLake(connection, lakeDir, request.sensitiveCategories),
  };
}

/** The all-offences forecast file of a month. */
function forecastFileOf(lakeDir: string, month: string): string {
  return analyticsTables.file(analyticsTables.forecastsDir(lakeDir), month, ALL_OFFENCES);
}

async function fileExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The selected method's ranked cells of one forecast file. */
function readPlan(connection: DuckDBConnection, file: string) {
  return queryRows(
    connection,
    `SELECT h3_cell, rank, area_km2, cumulative_area_share, chosen_method, selection_reason, runner_up, study_area, history_from FROM read_parquet($file) WHERE method = $method ORDER BY rank`,
    {
      h3_cell: z.string(),
      rank: z.number(),
      area_km2: z.number(),
      cumulative_area_share: z.number(),
      chosen_method: z.string().nullable(),
      selection_reason: z.string().nullable(),
      runner_up: z.string().nullable(),
      study_area: z.string(),
      history_from: z.string(),
    },
    { file, method: SELECTED_METHOD },
  );
}

/**
 * Each area's name in both languages: from the places (byPlace), else the export's own locality that
 * its cells' incidents report (locality-names.ts: read only where the places name an area nothing),
 * else its centre's coordinates. And the locality names of the map's cells (`mapped`) the places name
 * nothing near, read with the areas' in one pass.
 */
async function areaNames(
  connection: DuckDBConnection,
  request: BriefingRequest,
  groups: ReadonlyArray<{ cells: ReadonlyArray<{ cell: string }>; centre: [number, number] }>,
  mapped: ReadonlyArray<{ cell: string }>,
): Promise<{ names: Array<{ en: string; lt: string; byPlace: boolean }>; cellLocalities: Map<string, string> }> {
  const placed = ([lat, lon]: readonly [number, number]) => describeLocations(request.places, lat, lon);
  const places = groups.map(({ centre }) => placed(centre));
  const unnamed = groups.filter((_, i) => places[i]!.en === null || places[i]!.lt === null);
  const cellName = request.cellPlaceName ?? ((cell: string) => placed(cellToLatLng(cell)));
  const unnamedCells = mapped
    .map((c) => c.cell)
    .filter((cell) => {
      const { en, lt } = cellName(cell);
      return en === null && lt === null;
    });
  const cells = [...new Set([...unnamed.flatMap((g) => g.cells.map((c) => c.cell)), ...unnamedCells])];
  let rows: LocalityCount[] = [];
  if (cells.length > 0) {
    const stored = request.manifest ? request.manifest.h3_resolution : await storedCellResolution(request.lakeDir);
    rows = await readLocalityCounts(connection, request.lakeDir, cells, getResolution(cells[0]!), stored);
  }
  const rules = { threshold: request.suppressionThreshold, sensitive: request.sensitiveCategories };
  const names = groups.map((group, i) => {
    const { en, lt } = places[i]!;
    if (en !== null && lt !== null) return { en, lt, byPlace: true };
    const own = new Set(group.cells.map((c) => c.cell));
    const locality = localityNames(rows, rules, (cell) => (own.has(cell) ? 0 : undefined)).get(0) ?? null;
    const fallback = locality ?? coordinatesText(...group.centre);
    return { en: en ?? fallback, lt: lt ?? fallback, byPlace: false };
  });
  const onMap = new Set(unnamedCells);
  const cellLocalities = localityNames(rows, rules, (cell) => (onMap.has(cell) ? cell : undefined));
  // An officer must not be sent to "Central Business District" twice without knowing which part.
  return {
    names: distinguishNames(
      names,
      groups.map((g) => g.centre),
    ),
    cellLocalities,
  };
}

/**
 * Non-sensitive incidents of the listed areas, summed to what the briefing shows (see areaTotals):
 * per area, period and category; and per area, time block and weekday of the last 12 months'
 * incidents timed to the minute (`timed` 1). A row may carry one of the two groupings, the other's
 * columns null. Periods: 1 the last 12 months but their last, 2 that month.
 */
interface AreaRow {
  area: number;
  period: number | null;
  offence_category: string | null;
  timed: number | null;
  block: number | null;
  dow: number | null;
  n: number;
}

/** What an area's figures are made of (see areaTotals); blocks and weekdays count the incidents timed to the minute. */
interface AreaTotals {
  /** The last 12 months but their last. */
  recent: number;
  lastMonth: number;
  /** The last 12 months' incidents by category, last month included. */
  byCategory: Map<string, number>;
  timed: number;
  blocks: number[];
  weekdays: number[];
}

function emptyTotals(): AreaTotals {
  return { recent: 0, lastMonth: 0, byCategory: new Map(), timed: 0, blocks: TIME_BLOCKS.map(() => 0), weekdays: [0, 0, 0, 0, 0, 0, 0] };
}

/** The rows of incidentCounts summed per area. */
function areaTotals(rows: readonly AreaRow[]): Map<number, AreaTotals> {
  const byArea = new Map<number, AreaTotals>();
  for (const r of rows) {
    let t = byArea.get(r.area);
    if (!t) byArea.set(r.area, (t = emptyTotals()));
    if (r.period !== null) {
      if (r.period === 2) t.lastMonth += r.n;
      else t.recent += r.n;
      t.byCategory.set(r.offence_category!, (t.byCategory.get(r.offence_category!) ?? 0) + r.n);
    }
    if (r.timed === 1) {
      t.timed += r.n;
      if (r.block !== null && r.block >= 0 && r.block < TIME_BLOCKS.length) t.blocks[r.block]! += r.n;
      if (r.dow !== null && r.dow >= 1 && r.dow <= 7) t.weekdays[r.dow - 1]! += r.n;
    }
  }
  return byArea;
}

/**
 * The non-sensitive incidents of the cells per area (`areas`: each cell's area) from `from` to `to`
 * as AreaRow, in the cells' own resolution (the forecast's). At the resolution the lake stores, no
 * incident row is read: periods and categories come from the lake's counts (periodRows), time blocks
 * and weekdays from the aggregate day_counts of the last 12 months (lake/aggregates.ts: local day and hour).
 * Where the lake stores its cells at another resolution, each incident's stored coordinates are
 * indexed at the cells' (cellsOfPoints, the cell an ingest at that resolution would give; issue 18),
 * after the check that they are precise enough: that reads the incidents.
 */
async function incidentCounts(
  connection: DuckDBConnection,
  request: BriefingRequest,
  areas: ReadonlyMap<string, number>,
  from: string,
  to: string,
): Promise<AreaRow[]> {
  const cells = [...areas.keys()];
  if (cells.length === 0) return [];
  const resolution = getResolution(cells[0]!);
  // The resolution the lake stores its cells at: the manifest's where the caller has read it (publish), else read here.
  const stored = request.manifest ? request.manifest.h3_resolution : await storedCellResolution(request.lakeDir);
  // Never an empty list: DuckDB cannot type one (a configuration may name no sensitive category).
  const sensitive = sensitiveList(request.sensitiveCategories);
  if (stored === null || stored === resolution) {
    const files = await tableFiles(request.lakeDir, TABLES.day_counts);
    if (files.length === 0) return [];
    // Periods and categories from the lake's counts per cell, month and category (read once a process: publish's emerging and
    // patrol figures count from them too); the day counts only for the time of day, so only the last 12 months' files are opened.
    const counts = await readLakeCounts(connection, request.lakeDir, resolution);
    const byPeriod = periodRows(counts, areas, from, to, request.sensitiveCategories);
    const inMonths = filesOfMonths(files, from, to);
    if (inMonths.length === 0) return byPeriod;
    const timed = await queryRows(
      connection,
      `WITH areas AS (SELECT unnest($cells) AS h3_cell, unnest($areas) AS area)
       SELECT area, (hour // 6)::INTEGER AS block, isodow(CAST(day AS DATE))::INTEGER AS dow, sum(incidents)::INTEGER AS n
         FROM ${partitionSource(request.lakeDir, inMonths)} JOIN areas USING (h3_cell)
        WHERE month BETWEEN $from AND $to AND time_precision IN (${TIME_OF_DAY_PRECISIONS_SQL}) AND NOT list_contains($sensitive, offence_category)
        GROUP BY ALL`,
      { area: z.number(), block: z.number().nullable(), dow: z.number().nullable(), n: z.number() },
      { to, from, sensitive, cells: listValue(cells), areas: listValue(cells.map((c) => areas.get(c)!)) },
    );
    return [...byPeriod, ...timed.map((r): AreaRow => ({ area: r.area, period: null, offence_category: null, timed: 1, block: r.block, dow: r.dow, n: r.n }))];
  }
  const dir = lakeLayout.incidentsDir(request.lakeDir);
  if (!(await hasParquet(dir))) return [];
  const params = { glob: lakeLayout.glob(dir), zone: request.timeZone, from, to, sensitive };
  const rows = await queryRows(
    connection,
    `SELECT lat, lon, offence_category, month, time_precision,
            (hour(occurred_at AT TIME ZONE $zone) // 6)::INTEGER AS block, isodow(occurred_at AT TIME ZONE $zone)::INTEGER AS dow, count(*)::INTEGER AS n
       FROM read_parquet($glob, hive_partitioning = true)
      WHERE month BETWEEN $from AND $to AND lat IS NOT NULL AND lon IS NOT NULL AND NOT list_contains($sensitive, offence_category)
      GROUP BY ALL`,
    {
      lat: z.number(),
      lon: z.number(),
      offence_category: z.string(),
      month: z.string(),
      time_precision: z.string(),
      block: z.number().nullable(),
      dow: z.number(),
      n: z.number(),
    },
    params,
  );
  const lat = Float64Array.from(rows, (r) => r.lat);
  const lon = Float64Array.from(rows, (r) => r.lon);
  checkCoordinatePrecision(
    coordinateSpacingMetres(
      lat,
      lon,
      Float64Array.from(rows, (r) => r.n),
    ),
    resolution,
  );
  const points = cellsOfPoints(lat, lon, resolution);
  // Each row carries both groupings (areaTotals sums them): its period, and whether it is timed to the minute in the last 12 months.
  return rows.flatMap((r, i): AreaRow[] => {
    const area = areas.get(points.cells[points.index[i]!]!);
    if (area === undefined) return [];
    const timed = (TIME_OF_DAY_PRECISIONS as readonly string[]).includes(r.time_precision);
    const period = r.month === to ? 2 : 1;
    return [{ area, period, offence_category: r.offence_category, timed: timed ? 1 : 0, block: timed ? r.block : null, dow: timed ? r.dow : null, n: r.n }];
  });
}

/**
 * The non-sensitive incidents of the areas' cells per area, period (see AreaRow) and category,
 * from `from` to `to`, summed from the lake's counts per cell, month and category: the sums the
 * day counts of those months give (both count the same incident partitions, lake/aggregates.ts;
 * test/briefing-publish-inputs.test.ts checks them against the incidents), time-of-day columns null.
 */
function periodRows(counts: LakeCounts, areas: ReadonlyMap<string, number>, from: string, to: string, sensitive: ReadonlySet<string>): AreaRow[] {
  const areaOf = Int32Array.from(counts.cells, (cell) => areas.get(cell) ?? -1);
  const periodOf = Int8Array.from(counts.months, (m) => (m < from || m > to ? -1 : m === to ? 2 : 1));
  const counted = counts.categories.map((c) => !sensitive.has(c));
  const sums = new Map<string, AreaRow>();
  for (let r = 0; r < counts.count.length; r++) {
    const area = areaOf[counts.cell[r]!]!;
    const period = periodOf[counts.month[r]!]!;
    const category = counts.category[r]!;
    if (area < 0 || period < 0 || !counted[category] || counts.count[r] === 0) continue;
    const key = `${area} ${period} ${category}`;
    const row = sums.get(key);
    if (row) row.n += counts.count[r]!;
    else sums.set(key, { area, period, offence_category: counts.categories[category]!, timed: null, block: null, dow: null, n: counts.count[r]! });
  }
  return [...sums.values()];
}

/**
 * Of a month-partitioned table's file keys (`…/month=YYYY-MM/…`), those of the months from `from` to
 * `to`: the partition value in the path is the `month` column a hive-partitioned read gives the rows,
 * so reading these gives the rows of those months that reading every file gives. A key without a
 * month in its path is kept.
 */
export function filesOfMonths(keys: readonly string[], from: string, to: string): string[] {
  return keys.filter((key) => {
    const month = /(?:^|\/)month=([^/]+)\//.exec(key)?.[1];
    return month === undefined || (month >= from && month <= to);
  });
}

/** read_parquet over some of a table's files (lake keys), hive-partitioned as tableSource reads them. */
function partitionSource(lakeDir: string, keys: readonly string[]): string {
  return `read_parquet([${keys.map((key) => sqlLiteral(join(lakeDir, ...key.split("/")))).join(", ")}], hive_partitioning = true)`;
}

/**
 * The hot-spot page's table (etl/publish/hotspot-table.ts: its per-cell counts are what a reader could
 * subtract from an area's figures): the request's, where publish computed it already, else computed here.
 */
async function releasedHotSpots(connection: DuckDBConnection, request: BriefingRequest): Promise<Pick<HotspotTable, "cells" | "groups">> {
  if (request.hotspots) return request.hotspots;
  const rules = { threshold: request.suppressionThreshold, sensitive: request.sensitiveCategories };
  const parameters = request.manifest?.parameters?.hot_spots as Record<string, unknown> | undefined;
  return timed("briefing hot spots", () => hotspotTable(connection, request.lakeDir, rules, request.k, lakeInference(parameters)));
}

/** The lake's manifest as the request's, or nothing for a lake without one (its readers then find no tables and no stored resolution). */
async function lakeManifest(lakeDir: string): Promise<Pick<BriefingRequest, "manifest">> {
  const text = await readManifestText(lakeDir);
  return text === null ? {} : { manifest: parseManifest(text, join(lakeDir, MANIFEST_FILE)) };
}

/**
 * The released emerging hot spots (etl/publish/emerging-data.ts, what the emerging page publishes:
 * all offences without the sensitive categories, the ring rule applied): the request's, where
 * publish computed them already, else computed here with the lake's manifest.
 */
async function releasedEmerging(connection: DuckDBConnection, request: BriefingRequest): Promise<Pick<EmergingData, "cells">> {
  if (request.emerging) return request.emerging;
  const manifest = request.manifest ?? { tables: {} };
  const rules = { threshold: request.suppressionThreshold, sensitive: request.sensitiveCategories };
  return timed("briefing emerging", () => emergingData(connection, request.lakeDir, rules, request.k, manifest, ALL_OFFENCES));
}

function countPatterns(patterns: ReadonlyMap<string, string>, cells: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const cell of cells) {
    const pattern = patterns.get(cell);
    if (pattern && pattern !== "no_pattern") out[pattern] = (out[pattern] ?? 0) + 1;
  }
  return out;
}

/**
 * The direction the briefing states of an area. No trend of the last 12 months against the 12 before:
 * the areas are selected for high counts in the last 12 months, so that comparison reads "rising" on
 * areas where nothing changed (regression to the mean; test/briefing-selection-bias.test.ts). Last
 * month against the 11 before it is a split of the 12 months' total, which a selection by that total
 * leaves unbiased. `elevenBefore`: the lake holds the 11 months before last month.
 */
export function areaDirections(t: { recent: number; lastMonth: number }, threshold: number, elevenBefore: boolean): Pick<BriefingArea, "lastMonthChange"> {
  return { lastMonthChange: elevenBefore ? changeOf(t.lastMonth, t.recent, threshold) : "too_few" };
}

/**
 * Last month against the 11 months before it (exposures 1 and 11), by the exact rate-ratio test at
 * 5 %: a month well above the area's usual is intensifying, well below easing. Too few when either
 * count is below the threshold (a verdict beside a withheld count would narrow it down).
 */
function changeOf(lastMonth: number, before: number, threshold: number): BriefingArea["lastMonthChange"] {
  if (lastMonth < threshold || before < threshold) return "too_few";
  const test = rateRatioTest(before, lastMonth, 11, 1);
  if (test.pValue >= 0.05) return "as_usual";
  return test.rateRatio > 1 ? "intensifying" : "easing";
}

/**
 * The sensitive categories the lake holds (its cell counts'), sorted: the footnote names what the
 * figures leave out, and naming domestic violence under a city's robbery data would suggest it held some.
 */
async function sensitiveInLake(connection: DuckDBConnection, lakeDir: string, sensitive: ReadonlySet<string>): Promise<string[]> {
  if (sensitive.size === 0 || (await tableFiles(lakeDir, TABLES.cell_counts)).length === 0) return [];
  const rows = await queryRows(
    connection,
    `SELECT DISTINCT offence_category AS category FROM ${await tableSource(lakeDir, TABLES.cell_counts)} WHERE list_contains($sensitive, offence_category)`,
    { category: z.string() },
    { sensitive: sensitiveList(sensitive) },
  );
  return rows.map((r) => r.category).sort();
}

/** The lake's months and the history a backtest month needs, where the backtest of all offences had too few months to score one. */
async function tooFewMonthsToBacktest(lakeDir: string): Promise<BriefingData["tooFewMonths"]> {
  const text = await readManifestText(lakeDir);
  const why = text === null ? null : noBacktest(parseManifest(text, join(lakeDir, MANIFEST_FILE)), ALL_OFFENCES);
  return why?.reason === "too_few_months" ? { months: why.months, minHistoryMonths: why.min_history_months } : null;
}

/** How the selected method and the last-12-months baseline did on `month`, at the area share nearest `share`. */
export async function lastMonthAccuracy(
  connection: DuckDBConnection,
  lakeDir: string,
  month: string,
  share: number,
  threshold: number,
): Promise<BriefingData["lastMonth"]> {
  const dir = analyticsTables.backtestsDir(lakeDir);
  if (!(await hasParquet(dir))) return null;
  // Every share of the month, not only the one shown: the patrol page publishes them all, and they are released together.
  const rows = await queryRows(
    connection,
    `SELECT method, area_target, forecast_month, cells, hits, incidents, hit_rate, pai, pai_max, hits_top_10 AS top10, hits_top_20 AS top20
       FROM read_parquet($glob, hive_partitioning = true)
      WHERE offence_category = $category AND forecast_month = $month AND method IN ($selected, 'last-12-months')
     QUALIFY row_number() OVER (PARTITION BY method, area_target ORDER BY month DESC) = 1`,
    {
      method: z.string(),
      area_target: z.number(),
      forecast_month: z.string(),
      cells: z.number(),
      hits: z.number(),
      incidents: z.number(),
      hit_rate: z.number(),
      pai: z.number(),
      pai_max: z.number(),
      top10: z.number(),
      top20: z.number(),
    },
    { glob: join(dir, "*", "*.parquet"), category: ALL_OFFENCES, month, selected: SELECTED_METHOD },
  );
  const target = rows.reduce<number | null>((t, r) => (t === null || Math.abs(r.area_target - share) < Math.abs(t - share) ? r.area_target : t), null);
  // The patrol page's rule (releasedBacktestFolds): a hit rate gives the hits back with the month's published incidents.
  const { published } = releasedBacktestFolds(
    rows.map((r) => ({ ...r, month: r.forecast_month })),
    { threshold },
  );
  const of = (method: string) => {
    const row = [...published].find((r) => r.method === method && r.area_target === target);
    return row && Number.isFinite(row.hit_rate) ? { hitRate: row.hit_rate, pai: row.pai } : { hitRate: null, pai: null };
  };
  return rows.length === 0 ? null : { month, method: of(SELECTED_METHOD), baseline: of("last-12-months") };
}
