/**
 * Named places (towns, villages, city neighbourhoods, police stations) for describing where a cell
 * is: the product's own `data/geo/lt-places.csv` (21,787 places of Lithuania from OpenStreetMap,
 * © OpenStreetMap contributors, ODbL) or any CSV with the same header.
 */
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";

/** The header of a places file, in order. */
export const PLACE_COLUMNS = ["name", "name_en", "kind", "population", "lon", "lat"] as const;

/** One named place; `kind` is OpenStreetMap's `place` value, or `police` for a police station. */
export interface Place {
  name: string;
  /** The English name where OpenStreetMap gives one that differs, else null. */
  nameEn: string | null;
  kind: string;
  population: number | null;
  lon: number;
  lat: number;
}

/** Reads a places file, failing with the path and line of the first malformed row. */
export async function readPlaces(path: string): Promise<Place[]> {
  return parsePlaces(await readPlacesText(path), path);
}

/** A places file's text, failing with the path where it cannot be read. */
export async function readPlacesText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read the named places at ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * What parsePlaces makes of a file's text besides the text itself: a cache of parsed places
 * (etl/publish/named-places.ts) is keyed by this and the text. Raise `version` with any change to
 * parsePlaces that the columns do not show.
 */
export const PLACES_FORMAT = JSON.stringify({ version: 1, columns: PLACE_COLUMNS });

export function parsePlaces(text: string, path: string): Place[] {
  const rows = parse(text, { relax_column_count: false }) as string[][];
  const header = rows[0] ?? [];
  if (header.join(",") !== PLACE_COLUMNS.join(",")) throw new Error(`${path}: the header must be ${PLACE_COLUMNS.join(",")} (found ${header.join(",")})`);
  return rows.slice(1).map((row, index) => {
    const [name = "", nameEn = "", kind = "", population = "", lon = "", lat = ""] = row;
    const place = { name, nameEn: nameEn || null, kind, population: population === "" ? null : Number(population), lon: Number(lon), lat: Number(lat) };
    const valid =
      name !== "" &&
      kind !== "" &&
      Number.isFinite(place.lon) &&
      Number.isFinite(place.lat) &&
      (place.population === null || Number.isInteger(place.population));
    if (!valid) throw new Error(`${path}, line ${index + 2}: a place needs a name, a kind, numeric lon/lat and an integer population or none`);
    return place;
  });
}
