import { mkdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DASHBOARD_DATA_FILES, PAGE_DATA, type DashboardMeta, type DashboardPage, type HotspotTable } from "../../dashboard/data-contract.ts";
import { getResolution } from "h3-js";
import { ALL_CATEGORIES } from "../analytics/analyse-lake.ts";
import { publishedResolution } from "../analytics/output-resolution.ts";
import type { MunicipalityCollection as Boundaries } from "../geo/municipalities.ts";
import { DEFAULT_CONFIG_FILE, DEFAULTS, DEMO_SOURCE_ID, PROJECT_ROOT } from "../config.ts";
import { withConnection } from "../duckdb/connection.ts";
import type { Manifest } from "../lake/manifest.ts";
import { hexagonOutlines, hullStudyAreaOutline, municipalityOutlines } from "./cell-geometry.ts";
import { cachedCellPlaceNames, openCellPlaceNames } from "./cell-place-names.ts";
import { localityNames, readLocalityCounts, withLocalityNames } from "./locality-names.ts";
import { countTables } from "./count-tables.ts";
import { lakeAnalysisEnd } from "../analytics/lake-months.ts";
import { boundsOf, dataQuality } from "./data-quality.ts";
import { emergingData } from "./emerging-data.ts";
import { evaluationData } from "./evaluation-data.ts";
import { hotSpotsReusing, lakeInference, type HotSpotState } from "./hotspot-table.ts";
import { releaseRules } from "./release-rules.ts";
import { patrolData } from "./patrol-data.ts";
import { mapPlaces } from "./places-data.ts";
import { cachedNamedPlaces } from "./named-places.ts";
import { readState, stateFile, STATE_FILES, writeIfChanged, writeState } from "./publish-state.ts";
import { sha256Text } from "../lake/atomic-file.ts";
import { clearPublishTimings, timed } from "./publish-timing.ts";

export interface PublishOptions {
  lakeDir: string;
  outDir: string;
  manifest: Manifest;
  /** Outlines drawn under the hexagons (the study-area municipalities); none for a hull study area. */
  municipalities: Boundaries;
  /** The study area is the incidents' hull plus this many rings of cells (settings.hullRing), not municipalities. */
  hullRing?: number | null;
  /** Counts of one cell (and monthly counts per municipality) below this are published as null, "< k". */
  suppressionThreshold: number;
  /** Categories published only at municipality level, never per cell. */
  sensitiveCategories: ReadonlySet<string>;
  k: number;
  /** Credit for the municipality outlines drawn (null: none drawn, a hull study area). */
  attribution: string | null;
  /** All municipality boundaries, for the project evaluations' areas (default: the shared GeoJSON). */
  municipalitiesGeoJson?: string;
  /** Named places that describe where each cell is (default: the bundled places of Lithuania); null: none. */
  placesCsv?: string | null;
  /** The publish's time (default: the clock): months not ended by then are not analysed (analysisEnd), nor planned from; the overview says so. */
  now?: Date;
}

/** What publish wrote, for the CLI summary and the privacy checks. */
export interface PublishSummary {
  /** Bytes of each data file. */
  files: Record<string, number>;
  /** Bytes of data each page loads (see PAGE_DATA; the budget is PAGE_DATA_BUDGET_BYTES). */
  pages: Record<string, number>;
  suppressed_counts: number;
  hot_spot_rows: number;
}

/**
 * Writes the dashboard's data files (see dashboard/data-contract.ts) from the lake: aggregates only.
 * Monthly and yearly counts with small counts suppressed; per cell only non-sensitive categories
 * (Gi* hot spots with their suppressed cell-month counts, emerging hot spots, patrol priorities);
 * the backtest's accuracy; each project's indicators and before/after evaluations; and each input
 * file's data-quality report. No incident id, no time finer than a month and no incident coordinate
 * leaves the lake.
 */
export async function publishDashboardData(options: PublishOptions): Promise<PublishSummary> {
  clearPublishTimings();
  await mkdir(options.outDir, { recursive: true });
  // The places are read once (parsed and indexed only when the file changed): they name the cells and the briefing's areas and label the maps.
  const named =
    options.placesCsv === null
      ? null
      : await timed("places", () => cachedNamedPlaces(options.placesCsv ?? DEFAULTS.placesCsv, stateFile(options.outDir, STATE_FILES.places)));
  const places = named?.places ?? [];
  const { lakeDir, manifest } = options;
  const rules = releaseRules(options);
  const { threshold, sensitive } = rules;
  return withConnection(async (connection) => {
    const counted = await timed("count_tables", () =>
      countTables(
        connection,
        lakeDir,
        rules,
        { file: stateFile(options.outDir, STATE_FILES.countRows), manifest },
        lakeAnalysisEnd(manifest, manifest.timezone, options.now),
      ),
    );
    const { monthly: counts, yearly, bySource } = counted;
    // The previous publish's months are kept where their partitions are unchanged (a new month computes one).
    const hotSpotParameters = manifest.parameters?.hot_spots as Record<string, unknown> | undefined;
    const { table: hotspots, state: hotSpotState } = await timed("hotspots", async () =>
      hotSpotsReusing(connection, lakeDir, rules, options.k, lakeInference(hotSpotParameters), {
        previous: await previousHotSpots(options.outDir),
        partitions: manifest.tables.hot_spots ?? {},
        parameters: hotSpotParameters,
        counts: manifest.tables.cell_counts ?? {},
      }),
    );
    const emerging = await timed("emerging", () => emergingData(connection, lakeDir, rules, options.k, manifest));
    // The coming month's printable briefing, which the patrol page links: the lake's categories from the counts just read, and
    // its areas' patterns from the emerging page's data (sensitive categories left out, the ring rule applied), not the lake's run;
    // its areas' figures checked against the hot-spot page's per-cell counts.
    const { writeSiteBriefing } = await import("../briefing/site-briefing.ts");
    // The cells' place names as the map's (below) keeps them: the briefing's cells are named from there, each described at most once.
    const placeNamesFile = stateFile(options.outDir, STATE_FILES.placeNames);
    const namer = named === null ? null : await timed("place_names", () => openCellPlaceNames(named, placeNamesFile));
    await timed("briefing", () =>
      writeSiteBriefing(
        {
          ...options,
          places,
          ...(named ? { placeIndex: named.index } : {}),
          ...(namer ? { cellPlaceName: (cell: string) => namer.name(cell) } : {}),
          categoriesInLake: counted.categories,
          emerging,
          hotspots,
        },
        connection,
      ),
    );
    const { patrol, more: patrolMore } = await timed("patrol", () => patrolData(connection, lakeDir, manifest, rules, options.now));
    // The evaluate stage ran the evaluations; publish reads its tables.
    const evaluation = await timed("evaluation", () =>
      evaluationData(connection, {
        lakeDir,
        sensitiveCategories: sensitive,
        // The manifest publish read (the one the table readers read): not parsed again for the parts' keys.
        reuse: { stateFile: stateFile(options.outDir, STATE_FILES.evaluations), manifest },
      }),
    );
    const outline = options.hullRing == null ? null : await timed("study_area_outline", async () => await hullStudyAreaOutline(connection, lakeDir));
    // The study area's box (its municipalities', or the hull's cells'): the data-quality page's bounds start from it.
    const studyAreaBox = boundsOf(
      options.municipalities.features.length > 0 ? options.municipalities.features.map((f) => f.geometry.coordinates) : (outline?.geometry.coordinates ?? []),
    );
    const quality = await timed("data_quality", () => dataQuality(manifest, bySource, rules, studyAreaBox));
    const plans = [patrol.forecast, ...patrolMore.map((m) => m.forecast)];
    const mapped = [...hotspots.cells, ...emerging.cells.map((c) => c.cell), ...plans.flatMap((f) => f?.cells.map((c) => c.cell) ?? [])];
    // One map, one resolution: the analysis's, which may differ from the stored cells' (issue 18).
    const resolution = publishedResolution(manifest);
    checkMappedCells(mapped, resolution);

    // Each cell's place names, computed only for cells the previous publish did not name with these places.
    const placeNames =
      named === null ? null : (await timed("place_names", () => cachedCellPlaceNames(mapped, named, placeNamesFile, namer ?? undefined))).names;
    // Cells the places name nothing near are named by the export's own localities: the lake's data, so computed every publish (one group-by), never cached with the places.
    const unnamed = [...new Set(mapped)].filter((cell) => placeNames?.get(cell)?.lt == null && placeNames?.get(cell)?.en == null);
    const localities = await timed("locality_names", async () =>
      localityNames(await readLocalityCounts(connection, lakeDir, unnamed, resolution, manifest.h3_resolution), rules),
    );
    const cellNames = withLocalityNames(mapped, placeNames, localities);
    const months = [...new Set([...counts.map((c) => c.month), ...hotspots.groups.map((g) => g.month)])].sort();
    const categories = [...new Set(counts.map((c) => c.category))].filter((c) => c !== ALL_CATEGORIES).sort();
    const sources = Object.values(manifest.sources);
    const meta: DashboardMeta = {
      title: publishedTitle(manifest, DEMO_SOURCE_ID),
      generated_at: new Date().toISOString(),
      attribution: options.attribution,
      suppression_threshold: threshold,
      sensitive_categories: [...sensitive].sort(),
      resolution,
      k: options.k,
      timezone: manifest.timezone,
      study_area: options.municipalities.features.map((f) => f.properties.name).join(" + "),
      hull_ring: options.hullRing ?? null,
      study_area_outline: outline,
      months,
      before_analysis: counted.before,
      not_analysed: counted.notAnalysed,
      categories: [ALL_CATEGORIES, ...categories],
      summary: {
        rows_read: sources.reduce((s, f) => s + f.rows_read, 0),
        rows_ingested: sources.reduce((s, f) => s + f.rows_ingested, 0),
        rows_quarantined: sources.reduce((s, f) => s + f.rows_quarantined, 0),
      },
    };
    const files: Record<string, unknown> = {
      [DASHBOARD_DATA_FILES.meta]: meta,
      [DASHBOARD_DATA_FILES.monthlyCounts]: counts,
      [DASHBOARD_DATA_FILES.yearlyCounts]: yearly,
      [DASHBOARD_DATA_FILES.hotspots]: hotspots,
      [DASHBOARD_DATA_FILES.hexagons]: await timed("hexagon_outlines", () => hexagonOutlines(mapped, options.municipalities, cellNames)),
      [DASHBOARD_DATA_FILES.places]: await timed("map_places", () => mapPlaces(places, options.municipalities, mapped)),
      [DASHBOARD_DATA_FILES.municipalities]: await timed("municipality_outlines", () => municipalityOutlines(options.municipalities)),
      [DASHBOARD_DATA_FILES.emerging]: emerging,
      [DASHBOARD_DATA_FILES.patrol]: patrol,
      [DASHBOARD_DATA_FILES.patrolCategories]: patrolMore,
      [DASHBOARD_DATA_FILES.evaluation]: evaluation,
      [DASHBOARD_DATA_FILES.dataQuality]: quality,
    };
    const sizes: Record<string, number> = {};
    // Without a state the previous one must not survive the hotspots.json it described.
    await rm(stateFile(options.outDir, STATE_FILES.hotSpots), { force: true });
    for (const [name, value] of Object.entries(files)) {
      const text = await timed(`stringify ${name}`, () => JSON.stringify(value));
      await timed(`write ${name}`, () => writeIfChanged(join(options.outDir, name), text));
      sizes[name] = Buffer.byteLength(text);
      if (name === DASHBOARD_DATA_FILES.hotspots && hotSpotState) {
        const state: HotSpotState = { ...hotSpotState, table_sha256: sha256Text(text) };
        await writeState(stateFile(options.outDir, STATE_FILES.hotSpots), state);
      }
    }
    const pages = Object.fromEntries(
      (Object.entries(PAGE_DATA) as Array<[DashboardPage, readonly string[]]>).map(([page, names]) => [page, names.reduce((s, n) => s + (sizes[n] ?? 0), 0)]),
    );
    const suppressedCounts =
      counts.filter((c) => c.count === null).length +
      yearly.filter((c) => c.count === null).length +
      hotspots.groups.reduce((s, g) => s + g.count.filter((n) => n === null).length, 0);
    return { files: sizes, pages, suppressed_counts: suppressedCounts, hot_spot_rows: hotspots.groups.reduce((s, g) => s + g.cell.length, 0) };
  });
}

/**
 * The previous publish's hot spots and their state (see HotSpotState; kept in the data folder's
 * `.state/`, see publish-state.ts), when its hotspots.json is still the file the state describes.
 */
async function previousHotSpots(outDir: string): Promise<{ state: HotSpotState; table: HotspotTable } | null> {
  const state = await readState<HotSpotState>(stateFile(outDir, STATE_FILES.hotSpots));
  if (state === null) return null; // no previous publish (or an unreadable state): every month is computed
  const text = await readFile(join(outDir, DASHBOARD_DATA_FILES.hotspots), "utf8").catch(() => null);
  return text !== null && sha256Text(text) === state.table_sha256 ? { state, table: JSON.parse(text) as HotspotTable } : null;
}

/**
 * The site's title: the project configuration's as the lake records it — except where that is the
 * bundled demo's configuration (data/project.yaml, which every command uses when no --config is given)
 * and the lake holds an export the demo's source description (`demoSource`) did not describe: such a
 * lake is another place's, and the demo's title would name the wrong city. null: the pages' generic
 * title, in the page's language.
 */
export function publishedTitle(manifest: Pick<Manifest, "config" | "sources">, demoSource: string): DashboardMeta["title"] {
  const config = manifest.config;
  if (!config?.title) return null;
  const isDemoConfig = resolve(PROJECT_ROOT, config.file) === DEFAULT_CONFIG_FILE;
  const otherData = Object.values(manifest.sources).some((s) => s.source !== demoSource);
  return isDemoConfig && otherData ? null : config.title;
}

/**
 * Every cell drawn must be of the published resolution, which names their size on the pages: a cell
 * of another (an output whose parameters were not recorded) is refused, naming it and what to run.
 */
function checkMappedCells(cells: readonly string[], resolution: number): void {
  const other = cells.find((cell) => getResolution(cell) !== resolution);
  if (other === undefined) return;
  throw new Error(
    `the dashboard would draw cells of two H3 resolutions: ${other} is of resolution ${getResolution(other)}, the hot spots' are of ${resolution}; ` +
      `recompute every output at one resolution: hotspots --resolution ${resolution} run --no-ingest (it publishes too), or analyse / emerging / forecast with --resolution ${resolution}, then publish again`,
  );
}
