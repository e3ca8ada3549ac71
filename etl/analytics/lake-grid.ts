import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { LakeWriter } from "../lake/table-writer.ts";
import type { PipelineSettings } from "../settings.ts";
import {
  ALL_OFFENCES,
  cellMonthGridOf,
  sharedCellMonthGrid,
  type CellMonthGrid,
  type GridAccounting,
  type GridOptions,
  type SharedGrid,
} from "./cell-month-grid.ts";
import { sharedCellAreas } from "./cell-selection.ts";
import { hullSeedCells, hullStudyArea, type HullMonths } from "./hull-study-area.ts";
import { kRingWeights } from "./k-ring-weights.ts";
import { spaceTimeWeights } from "./space-time-weights.ts";
import type { BinaryWeights } from "./spatial-weights.ts";
import { ScratchArrays } from "./scratch-arrays.ts";
import { releaseRules } from "../publish/release-rules.ts";
import { LakeCountsMemo, readLakeCounts, type LakeCounts } from "./lake-counts.ts";
import type { CellMonthCount } from "./monthly-counts.ts";
import { analysedMonths, lakeAnalysisEnd, type LakeAnalysisEnd } from "./lake-months.ts";
import { selectMunicipalities, studyAreaCells } from "./study-area.ts";
import { hullLabel, incidentsBeforeLabel, namedAreaLabel } from "./study-area-label.ts";
import { readMunicipalities, type MunicipalityCollection } from "../geo/municipalities.ts";
import { storedStudyAreaCells } from "./study-area-store.ts";
import { sha256Text } from "../lake/atomic-file.ts";
import { MANIFEST_FILE, parseManifest, readManifestText } from "../lake/manifest.ts";

/** A study area: its cells and a label recorded with every result made over it. */
export interface StudyArea {
  cells: readonly string[];
  label: string;
}

/**
 * The study area of the settings: the cells of the chosen municipalities, or — when `hullRing` is a
 * number, for data without municipalities — the hull of the cells of the incidents of `months` (the
 * lake's analysed months: analysedHullMonths) plus that many rings (see `hullStudyArea`).
 */
export function studyAreaOf(
  settings: PipelineSettings,
  rows: readonly CellMonthCount[],
  hullRing: number | null,
  months: HullMonths = {},
): Promise<StudyArea> | StudyArea {
  return studyAreaFor(settings, () => hullSeedCells(rows, releaseRules(settings).sensitive, months), hullRing);
}

/** The months a hull is built from: the lake's analysed ones (analysisStart … analysisEnd of its manifest at the settings' time). */
export async function analysedHullMonths(settings: Pick<PipelineSettings, "lakeDir" | "timeZone" | "now">): Promise<HullMonths> {
  const { start, end } = await analysisEndOf(settings);
  return { from: start, to: end };
}

/** studyAreaOf with the incidents' cells given lazily (only the hull needs them). */
function studyAreaFor(settings: PipelineSettings, incidentCells: () => Iterable<string>, hullRing: number | null): Promise<StudyArea> | StudyArea {
  if (hullRing !== null) return { cells: hullStudyArea(incidentCells(), hullRing), label: hullLabel(hullRing) };
  return municipalityStudyArea(settings);
}

/**
 * What the stages of one run share instead of computing again, owned by that run (analyticsStage
 * makes one for its emerging, backtest and forecast stages; run's analytics stage one for those and
 * every category's): the lake's cell-month
 * counts while its incident partitions are; the k-ring weights of a study area and the space-time
 * weights built on them (the same for every category of the same months). Within a session (see
 * analytics-session.ts) it also carries the run's one DuckDB connection and one lake commit: opening
 * a DuckDB instance costs about 50 ms of CPU, and a commit a scan of the lake's folders.
 */
export class LakeMemo {
  readonly counts = new LakeCountsMemo();
  /** The session's connection and open commit (null outside a session: each stage opens its own). */
  connection: DuckDBConnection | null = null;
  writer: LakeWriter | null = null;
  /** Whether a stage of the session wrote to its commit (see sessionWriter). */
  written = false;
  /**
   * The arrays the session's successive stages reuse (see ScratchArrays): the grid of each emerging,
   * backtest and forecast stage and the emerging cube, each stage dropping them before the next starts.
   */
  readonly scratch = new ScratchArrays();
  /** The last grid built in `scratch`, while a later stage may take it as it is (see sharedCellMonthGrid). */
  private lastGrid: SharedGrid | undefined;
  // Keyed by the cells array itself: a study area is one array for the whole run (a new hull is a new array).
  private readonly rings = new WeakMap<readonly string[], Map<number, BinaryWeights>>();
  private cube: { spatial: BinaryWeights; steps: number; window: number; weights: BinaryWeights } | undefined;
  // Keyed by the counts object: new counts (another month, another lake) build their hull afresh.
  private readonly hulls = new WeakMap<LakeCounts, Map<string, StudyArea | Promise<StudyArea>>>();

  /**
   * The hull study area `compute` gives for these counts, once per counts object and `key` (the ring,
   * the month before which incidents seed it, the categories left out): every category of a run on a
   * lake without municipalities shares it, and with it the weights built on its cells.
   */
  hull(counts: LakeCounts, key: readonly unknown[], compute: () => StudyArea | Promise<StudyArea>): StudyArea | Promise<StudyArea> {
    const text = JSON.stringify(key);
    const byKey = this.hulls.get(counts) ?? new Map<string, StudyArea | Promise<StudyArea>>();
    this.hulls.set(counts, byKey);
    let area = byKey.get(text);
    if (!area) byKey.set(text, (area = compute()));
    return area;
  }

  /**
   * The grid of `options` in the session's scratch arrays: the one the previous stage built where it
   * is the same grid (sharedCellMonthGrid says when), else built there. Valid until the next call.
   */
  grid(counts: LakeCounts, cells: readonly string[], options: GridOptions): { grid: CellMonthGrid; accounting: GridAccounting } {
    const { grid, accounting, shared } = sharedCellMonthGrid(counts, cells, options, this.scratch, this.lastGrid);
    this.lastGrid = shared;
    return { grid, accounting };
  }

  /** kRingWeights(cells, k), computed once per study area and k. */
  weights(cells: readonly string[], k: number): BinaryWeights {
    const byK = this.rings.get(cells) ?? new Map<number, BinaryWeights>();
    this.rings.set(cells, byK);
    let weights = byK.get(k);
    if (!weights) byK.set(k, (weights = kRingWeights(cells, k)));
    return weights;
  }

  /** cellAreasKm2(cells), computed once per study area (every category's forecast and the backtest rank the same cells: sharedCellAreas); read-only. */
  areas(cells: readonly string[]): Float64Array {
    return sharedCellAreas(cells);
  }

  /** spaceTimeWeights(spatial, steps, window), the last one kept (the categories of one run mostly span the same months; a cube of 10 years is some 20 MB). */
  spaceTime(spatial: BinaryWeights, steps: number, window: number): BinaryWeights {
    const last = this.cube;
    if (last?.spatial === spatial && last.steps === steps && last.window === window) return last.weights;
    const weights = spaceTimeWeights(spatial, steps, window);
    this.cube = { spatial, steps, window, weights };
    return weights;
  }
}

/**
 * The cells of the settings' municipalities at the settings' resolution (H3 polygon fill), labelled by
 * their names. The last area made is kept for the process, keyed by the boundary file's content
 * (SHA-256), the municipalities and the resolution: a run's analyse, analytics and publish stages ask
 * for it in turn, and the fill costs 70-350 ms of CPU each time. Between processes the lake keeps the
 * cells (study-area-store.ts, keyed by the polygons selected). Its cells are frozen: every caller shares them.
 */
export async function municipalityStudyArea(settings: PipelineSettings): Promise<StudyArea> {
  const path = settings.municipalitiesGeoJson;
  const bytes = await readFile(path).catch(() => null);
  // An unreadable file: readMunicipalities reads it again and says what is wrong.
  if (bytes === null) return areaOf(await readMunicipalities(path), settings);
  // The bytes are hashed, and decoded only on a miss: a run asks some 25 times, and decoding the text each time cost more than the hash.
  const key = JSON.stringify([sha256Text(bytes), settings.studyMunicipalities, settings.resolution]);
  if (lastArea?.key !== key) {
    // Decoded through readMunicipalities, whose decoding the run's ingest and publish share; filled through the lake's store.
    const area = readMunicipalities(path).then((all) => storedAreaOf(all, settings));
    lastArea = { key, area };
    // A refusal (an unknown municipality, a bad file) is not remembered.
    area.catch(() => {
      if (lastArea?.area === area) lastArea = undefined;
    });
  }
  return lastArea.area;
}
let lastArea: { key: string; area: Promise<StudyArea> } | undefined;

function areaOf(all: MunicipalityCollection, settings: PipelineSettings): StudyArea {
  const cells = Object.freeze(studyAreaCells(selectMunicipalities(all, settings.studyMunicipalities), settings.resolution));
  return { cells, label: namedAreaLabel(settings.studyMunicipalities) };
}

/** areaOf with the cells from the lake's study-area store (see storedStudyAreaCells): the same cells, filled once per key. */
async function storedAreaOf(all: MunicipalityCollection, settings: PipelineSettings): Promise<StudyArea> {
  const selected = selectMunicipalities(all, settings.studyMunicipalities);
  const cells = Object.freeze(await storedStudyAreaCells(settings.lakeDir, selected, settings.resolution));
  return { cells, label: namedAreaLabel(settings.studyMunicipalities) };
}

/** What a lake-level analysis starts from: the grid of one category and month range over a study area. */
export interface LakeGrid {
  grid: CellMonthGrid;
  accounting: GridAccounting;
  area: StudyArea;
  category: string;
}

export interface GridRequest {
  category?: string;
  from?: string;
  to?: string;
  hullRing?: number | null;
  /** With `hullRing`: build the hull from the incidents of months before this one only (no look-ahead). */
  hullBefore?: string;
  /** What earlier stages of the same run already computed (see LakeMemo); without it everything is read afresh. */
  memo?: LakeMemo;
  /** Categories that all offences leave out (see cellMonthGridOf); ignored for a single category. */
  exclude?: readonly string[];
  /** Where the grid's counts are taken from (see cellMonthGridOf): the caller drops the grid before its next request with them. */
  arrays?: ScratchArrays;
}

/**
 * Reads the lake's cell-month counts at the settings' resolution (whatever resolution the lake was
 * indexed at: see readLakeCounts) and builds the grid of `request` (default: all offences, all months).
 */
export async function lakeGrid(connection: DuckDBConnection, settings: PipelineSettings, request: GridRequest = {}): Promise<LakeGrid> {
  const counts = await readLakeCounts(connection, settings.lakeDir, settings.resolution, request.memo?.counts);
  const category = request.category ?? ALL_OFFENCES;
  if (category !== ALL_OFFENCES && !counts.categories.includes(category)) {
    throw new Error(`no incidents of category '${category}' in the lake; known: ${[...counts.categories].sort().join(", ")}`);
  }
  const before = request.hullRing != null ? request.hullBefore : undefined;
  const sensitive = releaseRules(settings).sensitive;
  const { start, end, current } = await analysisEndOf(settings, counts);
  // A hull of the analysed months' incidents only (hullSeedCells): a month left out does not widen it.
  const hull = () => hullSeedCells(countRows(counts), sensitive, { from: start, to: end, before });
  const found =
    request.hullRing != null && request.memo
      ? await request.memo.hull(counts, [request.hullRing, before ?? null, start, end, [...sensitive].sort()], () =>
          studyAreaFor(settings, hull, request.hullRing!),
        )
      : await studyAreaFor(settings, hull, request.hullRing ?? null);
  const area = before === undefined ? found : { ...found, label: incidentsBeforeLabel(found.label, before) };
  // A default range ends with the lake's analysed months at the latest (analysisEnd: no month not ended, no sparse last one).
  const options = { category, from: request.from, to: request.to, end, current, exclude: request.exclude };
  // In the session's scratch arrays, the previous stage's grid where it is this one (see LakeMemo.grid).
  const { grid, accounting } =
    request.memo && request.arrays === request.memo.scratch
      ? request.memo.grid(counts, area.cells, options)
      : cellMonthGridOf(counts, area.cells, options, request.arrays);
  return { grid, accounting, area, category };
}

/**
 * The lake's analysed months' end (lakeAnalysisEnd of its manifest: the one source) at the settings' time
 * (`now`, default the clock). A lake whose manifest lists no incident partition but whose aggregates are
 * given (`counts`: cell counts written alone, as the analytics tests do) ends by the counts' totals, the
 * same numbers an ingest would have listed; nothing can disagree with a manifest that lists none.
 */
export async function analysisEndOf(settings: Pick<PipelineSettings, "lakeDir" | "timeZone" | "now">, counts?: LakeCounts): Promise<LakeAnalysisEnd> {
  const text = await readManifestText(settings.lakeDir);
  const tables = text === null ? {} : parseManifest(text, join(settings.lakeDir, MANIFEST_FILE)).tables;
  if (counts !== undefined && Object.keys(tables.incidents ?? {}).length === 0) {
    const totals = new Float64Array(counts.months.length);
    for (let r = 0; r < counts.count.length; r++) totals[counts.month[r]!]! += counts.count[r]!;
    return analysedMonths(new Map(counts.months.map((m, t) => [m, totals[t]!])), settings.timeZone, settings.now);
  }
  return lakeAnalysisEnd({ tables }, settings.timeZone, settings.now);
}

/** The rows of the columnar counts, one by one (for hullSeedCells). */
function* countRows(counts: LakeCounts): Generator<{ cell: string; category: string; month: string }> {
  for (let r = 0; r < counts.count.length; r++) {
    yield { cell: counts.cells[counts.cell[r]!]!, category: counts.categories[counts.category[r]!]!, month: counts.months[counts.month[r]!]! };
  }
}

/** The first month with incidents of `category` (default all offences), or null for an empty lake. */
export async function firstLakeMonth(
  connection: DuckDBConnection,
  settings: PipelineSettings,
  category: string = ALL_OFFENCES,
  memo?: LakeMemo,
): Promise<string | null> {
  const counts = await readLakeCounts(connection, settings.lakeDir, settings.resolution, memo?.counts);
  const wanted = counts.categories.indexOf(category);
  let first = Infinity;
  for (let r = 0; r < counts.count.length; r++) if (category === ALL_OFFENCES || counts.category[r] === wanted) first = Math.min(first, counts.month[r]!);
  return counts.months[first] ?? null;
}
