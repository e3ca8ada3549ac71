import { cellToLatLng } from "h3-js";
import { describeLocation } from "../geo/place-names.ts";
import type { NamedPlaces } from "./named-places.ts";
import { readState, writeState } from "./publish-state.ts";

/** Where a cell is in words, in both languages (null: no place of the places data is near). */
export interface CellPlaceName {
  lt: string | null;
  en: string | null;
}

/** What the cache file holds: the key of the places and rules the names were made with, and each cell's names [lt, en]. */
interface PlaceNamesCache {
  key: string;
  cells: Record<string, [string | null, string | null]>;
}

/**
 * Each cell's place names (describeLocation of its centre, see hexagonOutlines), taken from `file`
 * for the cells the previous publish named with the same places and description rules, computed
 * for the rest: a cell's names depend on its centre (the cell id, which fixes its resolution), the
 * places and the rules alone, and the key (`places.key`) is a SHA-256 of the places (every field) and
 * the rules (DESCRIPTION_RULES), so the file cannot answer for other places or rules. Writes the file afresh
 * with exactly `cells`. Returns the names and how many were computed. About 0.3 ms a cell (two
 * descriptions, a few dozen distances each): thousands of cells are seconds a publish without it.
 */
export async function cachedCellPlaceNames(
  cells: readonly string[],
  places: NamedPlaces,
  file: string,
): Promise<{ names: Map<string, CellPlaceName>; computed: number }> {
  const { key, index } = places;
  const previous = await readState<PlaceNamesCache>(file);
  const kept = previous?.key === key && previous.cells !== null && typeof previous.cells === "object" ? previous.cells : {};
  const names = new Map<string, CellPlaceName>();
  const next: PlaceNamesCache = { key, cells: {} };
  let computed = 0;
  for (const cell of [...new Set(cells)].sort()) {
    const stored = Object.hasOwn(kept, cell) ? kept[cell] : undefined;
    let pair: [string | null, string | null];
    if (Array.isArray(stored) && stored.length === 2) pair = stored;
    else {
      const [lat, lon] = cellToLatLng(cell);
      pair = [describeLocation(index, lat, lon, "lt"), describeLocation(index, lat, lon, "en")];
      computed++;
    }
    next.cells[cell] = pair;
    names.set(cell, { lt: pair[0], en: pair[1] });
  }
  await writeState(file, next);
  return { names, computed };
}
