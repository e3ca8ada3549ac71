import { cellToLatLng } from "h3-js";
import { describeLocations, distinguishNames } from "../geo/place-names.ts";
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
 * The place names of any cell for one set of places: the cache file's where it holds the cell under
 * these places' key, else described once (describeLocation of the cell's centre) and remembered. A
 * publish opens one and asks it for the briefing's cells first and for the map's cells afterwards
 * (cachedCellPlaceNames), so no cell is described twice and the file is read once.
 */
export class CellPlaceNamer {
  private readonly made = new Map<string, [string | null, string | null]>();

  constructor(
    readonly places: NamedPlaces,
    private readonly kept: Readonly<Record<string, unknown>>,
  ) {}

  /** The cell's names, and whether they were described in this process (not taken from the file). */
  pair(cell: string): { pair: [string | null, string | null]; computed: boolean } {
    const stored = Object.hasOwn(this.kept, cell) ? this.kept[cell] : undefined;
    if (Array.isArray(stored) && stored.length === 2) return { pair: stored as [string | null, string | null], computed: false };
    let pair = this.made.get(cell);
    if (pair === undefined) {
      const [lat, lon] = cellToLatLng(cell);
      const { lt, en } = describeLocations(this.places.index, lat, lon);
      pair = [lt, en];
      this.made.set(cell, pair);
    }
    return { pair, computed: true };
  }

  name(cell: string): CellPlaceName {
    const [lt, en] = this.pair(cell).pair;
    return { lt, en };
  }
}

/** A namer for `places` with the names `file` keeps for them (none where it is another places' key or does not parse). */
export async function openCellPlaceNames(places: NamedPlaces, file: string): Promise<CellPlaceNamer> {
  const previous = await readState<PlaceNamesCache>(file);
  const kept = previous?.key === places.key && previous.cells !== null && typeof previous.cells === "object" ? previous.cells : {};
  return new CellPlaceNamer(places, kept);
}

/**
 * Each cell's place names (describeLocation of its centre, see hexagonOutlines), taken from `file`
 * for the cells the previous publish named with the same places and description rules, computed
 * for the rest: a cell's names depend on its centre (the cell id, which fixes its resolution), the
 * places and the rules alone, and the key (`places.key`) is a SHA-256 of the places (every field) and
 * the rules (DESCRIPTION_RULES), so the file cannot answer for other places or rules. Writes the file afresh
 * with exactly `cells`. Returns the names and how many were computed (in this process: `namer`, the
 * one opened on `file` for these places earlier, may have described some already). About 0.3 ms a
 * cell (two descriptions, a few dozen distances each): thousands of cells are seconds a publish without it.
 */
export async function cachedCellPlaceNames(
  cells: readonly string[],
  places: NamedPlaces,
  file: string,
  namer?: CellPlaceNamer,
): Promise<{ names: Map<string, CellPlaceName>; computed: number }> {
  const named = namer?.places.key === places.key ? namer : await openCellPlaceNames(places, file);
  const names = new Map<string, CellPlaceName>();
  const next: PlaceNamesCache = { key: places.key, cells: {} };
  let computed = 0;
  for (const cell of [...new Set(cells)].sort()) {
    const { pair, computed: described } = named.pair(cell);
    if (described) computed++;
    next.cells[cell] = pair;
    names.set(cell, { lt: pair[0], en: pair[1] });
  }
  await writeState(file, next);
  return { names, computed };
}

/**
 * The names the maps and tables show, told apart: cells that share a name in a language get the
 * compass point of their centre from the middle of those cells, and a number where that is shared
 * too ("Centras, Šiauliai (NE 2)", distinguishNames, the briefing's rule for its areas), so no two
 * cells of one map have one accessible name (hexagonOutlines writes them so). Numbers follow the cells' order (their ids, sorted), so
 * the same cells get the same names every publish. An unnamed language stays null (the page shows the
 * cell's coordinates, which differ). Other fields are kept as they are.
 */
export function distinctCellNames<N extends CellPlaceName>(names: ReadonlyMap<string, N>): Map<string, N> {
  const cells = [...names.keys()].sort();
  // A missing name stands in as the cell id, which shares no name, and comes back as null.
  const told = distinguishNames(
    cells.map((cell) => ({ lt: names.get(cell)!.lt ?? cell, en: names.get(cell)!.en ?? cell })),
    cells.map((cell) => cellToLatLng(cell)),
  );
  return new Map(
    cells.map((cell, i) => {
      const name = names.get(cell)!;
      return [cell, { ...name, lt: name.lt === null ? null : told[i]!.lt, en: name.en === null ? null : told[i]!.en }];
    }),
  );
}
