import type { DuckDBConnection } from "@duckdb/node-api";
import type { PipelineSettings } from "../pipeline.ts";
import { ALL_OFFENCES, cellMonthGrid, type CellMonthGrid, type GridAccounting } from "./cell-month-grid.ts";
import { hullStudyArea } from "./hull-study-area.ts";
import { readCellMonthCounts, type CellMonthCount } from "./monthly-counts.ts";
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
  if (hullRing !== null) return { cells: hullStudyArea(rows.map((r) => r.cell), hullRing), label: `hull of the incident cells + ${hullRing} ring(s)` };
  return readMunicipalities(settings.municipalitiesGeoJson).then((all) => ({
    cells: studyAreaCells(selectMunicipalities(all, settings.studyMunicipalities), settings.resolution),
    label: settings.studyMunicipalities.join(" + "),
  }));
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
  const rows = await readCellMonthCounts(connection, settings.lakeDir);
  const category = request.category ?? ALL_OFFENCES;
  if (category !== ALL_OFFENCES && !rows.some((r) => r.category === category)) {
    const known = [...new Set(rows.map((r) => r.category))].sort();
    throw new Error(`no incidents of category '${category}' in the lake; known: ${known.join(", ")}`);
  }
  const area = await studyAreaOf(settings, rows, request.hullRing ?? null);
  const { grid, accounting } = cellMonthGrid(rows, area.cells, { category, from: request.from, to: request.to });
  return { grid, accounting, area, category };
}
