import { DESCRIPTION_RULES, placeIndex, placeIndexCell, type PlaceIndex } from "../geo/place-names.ts";
import { parsePlaces, PLACES_FORMAT, readPlacesText, type Place } from "../geo/places.ts";
import { sha256Text } from "../lake/atomic-file.ts";
import { readState, writeState } from "./publish-state.ts";

/** Named places with what describing a cell needs: their lookup index, and the key a cache of descriptions is kept under. */
export interface NamedPlaces {
  places: readonly Place[];
  index: PlaceIndex;
  /** SHA-256 of the places (every field) and the description rules (DESCRIPTION_RULES): what the descriptions depend on. */
  key: string;
}

/** The places with their index and key, everything computed (see cachedNamedPlaces for the cached form). */
export function namedPlaces(places: readonly Place[]): NamedPlaces {
  return { places, index: placeIndex(places), key: placesKey(places) };
}

function placesKey(places: readonly Place[]): string {
  return sha256Text(JSON.stringify({ rules: DESCRIPTION_RULES, places }));
}

/**
 * What the cache file holds: the source it was made from, the key, and the parsed places with each
 * one's index cell. A place is a row with its position as [lon, lat], as places.json publishes it
 * (and the privacy scan of the data folder accepts for a place of the places file), and half the size.
 */
interface NamedPlacesCache {
  source: string;
  key: string;
  places: Array<[name: string, nameEn: string | null, kind: string, population: number | null, position: [lon: number, lat: number]]>;
  cells: Array<string | null>;
}

/**
 * namedPlaces of the places file `csv`, taken from `file` while the file's text, the parser's format
 * (PLACES_FORMAT) and the description rules are those the cache was made from, else parsed, indexed
 * and written to `file`. Parsing the bundled 21,787 places (csv-parse) and indexing them (an H3 cell
 * each) took about a third of a second of every publish; reading them back from JSON takes a few
 * milliseconds. The result is what namedPlaces(readPlaces(csv)) gives, whatever the file holds:
 * the source key covers every input. A missing or unreadable file computes everything.
 */
export async function cachedNamedPlaces(csv: string, file: string): Promise<NamedPlaces> {
  const text = await readPlacesText(csv);
  const source = sha256Text(JSON.stringify({ format: PLACES_FORMAT, rules: DESCRIPTION_RULES, text: sha256Text(text) }));
  const cached = await readState<NamedPlacesCache>(file);
  if (
    cached?.source === source &&
    typeof cached.key === "string" &&
    Array.isArray(cached.places) &&
    Array.isArray(cached.cells) &&
    cached.cells.length === cached.places.length &&
    cached.places.every(isPlaceRow)
  ) {
    // The fields in parsePlaces' order: what JSON.stringify of the places gives (the key) does not change.
    const places = cached.places.map(([name, nameEn, kind, population, [lon, lat]]): Place => ({ name, nameEn, kind, population, lon, lat }));
    return { places, index: placeIndex(places, cached.cells), key: cached.key };
  }
  const places = parsePlaces(text, csv);
  const cells = places.map(placeIndexCell);
  const key = placesKey(places);
  const rows = places.map((p): NamedPlacesCache["places"][number] => [p.name, p.nameEn, p.kind, p.population, [p.lon, p.lat]]);
  await writeState(file, { source, key, places: rows, cells } satisfies NamedPlacesCache);
  return { places, index: placeIndex(places, cells), key };
}

/** A cached row as cachedNamedPlaces writes it; anything else (a hand-edited or foreign state file) is a miss. */
function isPlaceRow(row: unknown): row is NamedPlacesCache["places"][number] {
  if (!Array.isArray(row) || row.length !== 5) return false;
  const [name, nameEn, kind, population, position] = row as unknown[];
  return (
    typeof name === "string" &&
    (nameEn === null || typeof nameEn === "string") &&
    typeof kind === "string" &&
    (population === null || typeof population === "number") &&
    Array.isArray(position) &&
    position.length === 2 &&
    position.every((v) => typeof v === "number" && Number.isFinite(v))
  );
}
