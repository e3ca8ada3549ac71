import { readFile } from "node:fs/promises";
import { join } from "node:path";
import h3Package from "h3-js/package.json" with { type: "json" };
import { sha256Text, writeLakeCache, writeTextAtomically } from "../lake/atomic-file.ts";
import type { MunicipalityCollection } from "../geo/municipalities.ts";
import { rootCacheFile } from "../lake/root-caches.ts";
import { sharedCellAreas, shareCellAreas } from "./cell-selection.ts";
import { fillSizeEstimate, MAX_STUDY_AREA_CELLS, studyAreaCells } from "./study-area.ts";

/**
 * The cells of a municipality study area (studyAreaCells) kept on disk between processes: the H3
 * polygon fill cost 0.15-0.3 s of CPU in every process that analyses a lake, for the same boundaries
 * month after month. Their areas in km² (cellAreasKm2, an H3 call per cell: 40-70 ms of CPU for the
 * bench's 3,066 cells, first paid by the forecast backtest) are kept beside them and given to
 * sharedCellAreas for the returned array, so a process that ranks cells by area computes none.
 *
 * One file per lake and resolution, `_study-area.r<resolution>.json` at the lake's root (like the
 * counts store: a root file starting with `_` is no lake data; deleting it costs one fill). It holds
 * the cells with the key they were filled for and the SHA-256 of their list, and the areas with the
 * SHA-256 of theirs. The key is everything the fill's result depends on: the selected polygons
 * themselves (their coordinates, as decoded — not the file's bytes, so a change in how a file is
 * decoded is a change of key), the resolution, the cap on cells, the h3-js version (which computes the
 * areas too), the fill's own code (its source text) and `STORE_FORMAT`. A missing, damaged or other
 * key's file is a miss: the area is filled and the file replaced. Areas missing or damaged beside good
 * cells are only not used (computed when asked for, as without the store). The areas are doubles
 * written as JSON numbers, which read back to the same doubles.
 */
export async function storedStudyAreaCells(lakeDir: string, area: MunicipalityCollection, resolution: number): Promise<string[]> {
  const path = join(lakeDir, rootCacheFile("studyArea", resolution));
  const key = fillKey(area, resolution);
  const stored = await readStore(path, key);
  if (stored) {
    if (stored.areas) shareCellAreas(stored.cells, stored.areas);
    return stored.cells;
  }
  const cells = studyAreaCells(area, resolution, MAX_STUDY_AREA_CELLS);
  const areas = Array.from(sharedCellAreas(cells));
  // A lake that cannot be written gets its cells all the same.
  await writeLakeCache(lakeDir, () =>
    writeTextAtomically(path, JSON.stringify({ key, sha256: sha256Text(cells.join("\n")), cells, areas, areas_sha256: areasDigest(areas) })),
  );
  return cells;
}

/** Bumped when the file's layout or the meaning of its cells changes: an older file is then a miss. */
export const STORE_FORMAT = 2;

/** The fill's code as it runs (a changed function is another key; a bundle's renaming only costs a miss). */
const FILL_CODE = sha256Text([studyAreaCells, fillSizeEstimate].map(String).join("\n"));

/** SHA-256 of everything the cells of `area` at `resolution` depend on (see storedStudyAreaCells). */
export function fillKey(area: MunicipalityCollection, resolution: number): string {
  const geometry = area.features.map((f) => f.geometry);
  return sha256Text(JSON.stringify({ format: STORE_FORMAT, h3: h3Package.version, fill: FILL_CODE, resolution, max_cells: MAX_STUDY_AREA_CELLS, geometry }));
}

/** What the file's `areas_sha256` is of: the areas as written. */
export function areasDigest(areas: readonly number[]): string {
  return sha256Text(JSON.stringify(areas));
}

async function readStore(path: string, key: string): Promise<{ cells: string[]; areas: Float64Array | null } | null> {
  const text = await readFile(path, "utf8").catch(() => null);
  if (text === null) return null;
  try {
    const stored = JSON.parse(text) as { key?: unknown; sha256?: unknown; cells?: unknown; areas?: unknown; areas_sha256?: unknown };
    if (stored.key !== key || !Array.isArray(stored.cells) || !stored.cells.every((c) => typeof c === "string")) return null;
    const cells = stored.cells as string[];
    if (sha256Text(cells.join("\n")) !== stored.sha256) return null;
    const areas = stored.areas;
    const good =
      Array.isArray(areas) && areas.length === cells.length && areas.every((a) => typeof a === "number" && a > 0) && areasDigest(areas) === stored.areas_sha256;
    return { cells, areas: good ? Float64Array.from(areas as number[]) : null };
  } catch {
    return null; // unreadable: a miss like any other damage
  }
}
