import { stat } from "node:fs/promises";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { PipelineSettings } from "../pipeline.ts";
import { ALL_OFFENCES, cellMonthGridOf, type CellMonthGrid, type GridAccounting } from "./cell-month-grid.ts";
import { hullStudyArea } from "./hull-study-area.ts";
import { readLakeCounts } from "./lake-counts.ts";
import type { CellMonthCount } from "./monthly-counts.ts";
import { readMunicipalities, selectMunicipalities, studyAreaCells } from "./study-area.ts";

/** A study area: its cells and a label recorded with every result made over it. */
export interface StudyArea {
  cells: readonly string[];
  label: string;
}

/**
 * The study area of the settings: the cells of the chosen municipalities, or — when `hullRing` is a
 * number, for data without municipalities — the hull of the incidents' cells plus that many rings
 * (see `hullStudyArea`).
 */
export function studyAreaOf(settings: PipelineSettings, rows: readonly CellMonthCount[], hullRing: number | null): Promise<StudyArea> | StudyArea {
  return studyAreaFor(settings, () => rows.map((r) => r.cell), hullRing);
}

/** studyAreaOf with the incidents' cells given lazily (only the hull needs them). */
function studyAreaFor(settings: PipelineSettings, incidentCells: () => Iterable<string>, hullRing: number | null): Promise<StudyArea> | StudyArea {
  if (hullRing !== null) return { cells: hullStudyArea(incidentCells(), hullRing), label: `hull of the incident cells + ${hullRing} ring(s)` };
  return municipalityStudyArea(settings);
}

let lastArea: { key: string; area: StudyArea } | undefined;

/**
 * The cells of the settings' municipalities at the settings' resolution (H3 polygon fill, which
 * takes a noticeable fraction of a second): kept for the next call while the boundary file, the
 * municipalities and the resolution are the same, so the stages of one run fill it once.
 */
export async function municipalityStudyArea(settings: PipelineSettings): Promise<StudyArea> {
  const modified = await stat(settings.municipalitiesGeoJson).then((s) => s.mtimeMs).catch(() => Number.NaN);
  const key = JSON.stringify([settings.municipalitiesGeoJson, modified, settings.studyMunicipalities, settings.resolution]);
  if (lastArea?.key === key) return lastArea.area;
  const all = await readMunicipalities(settings.municipalitiesGeoJson);
  const area = { cells: studyAreaCells(selectMunicipalities(all, settings.studyMunicipalities), settings.resolution), label: settings.studyMunicipalities.join(" + ") };
  lastArea = { key, area };
  return area;
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
}

/** Reads the lake's cell-month counts and builds the grid of `request` (default: all offences, all months). */
export async function lakeGrid(connection: DuckDBConnection, settings: PipelineSettings, request: GridRequest = {}): Promise<LakeGrid> {
  const counts = await readLakeCounts(connection, settings.lakeDir);
  const category = request.category ?? ALL_OFFENCES;
  if (category !== ALL_OFFENCES && !counts.categories.includes(category)) {
    throw new Error(`no incidents of category '${category}' in the lake; known: ${[...counts.categories].sort().join(", ")}`);
  }
  const area = await studyAreaFor(settings, () => counts.cells, request.hullRing ?? null);
  const { grid, accounting } = cellMonthGridOf(counts, area.cells, { category, from: request.from, to: request.to });
  return { grid, accounting, area, category };
}
