/**
 * Where a point is, in words an officer uses: the city neighbourhood it lies in ("Gytariai,
 * Šiauliai"), the settlement it lies in ("Kuršėnai"), or its distance and direction from a nearby
 * settlement ("2 km NW of Kuršėnai"; in Lithuanian "Kuršėnai, 2 km ŠV", which needs no declension of
 * the place name). Places are looked up through an H3 index of the place file, so a lookup costs a few
 * dozen distance computations whatever the file's size. With no settlement within
 * {@link REACH_KM}, there is no description (the caller shows coordinates or the cell id).
 */
import { greatCircleDistance, gridDisk, latLngToCell } from "h3-js";
import type { Place } from "./places.ts";

export type Language = "en" | "lt";

/** Settlements by how far from their centre a point still counts as "in" them, and how much a larger one is preferred as a reference. */
const SETTLEMENTS: Readonly<Record<string, { withinKm: number; weight: number }>> = {
  city: { withinKm: 3, weight: 5 },
  town: { withinKm: 1.5, weight: 3 },
  village: { withinKm: 0.6, weight: 1.5 },
  hamlet: { withinKm: 0.3, weight: 1 },
  locality: { withinKm: 0.3, weight: 1 },
};
/** City parts: a point within this distance of one is named by it and its city or town. */
const NEIGHBOURHOODS: ReadonlySet<string> = new Set(["suburb", "quarter", "neighbourhood"]);
const NEIGHBOURHOOD_KM = 1;
/** Farthest settlement used as a reference. */
export const REACH_KM = 15;
/** H3 resolution of the lookup index (cells of about 36 km², edge 3.7 km) and the ring that covers REACH_KM. */
const INDEX_RESOLUTION = 6;
const INDEX_RING = 5;

const COMPASS: Record<Language, readonly string[]> = {
  en: ["N", "NE", "E", "SE", "S", "SW", "W", "NW"],
  lt: ["Š", "ŠR", "R", "PR", "P", "PV", "V", "ŠV"],
};

/**
 * What describeLocation's wording depends on besides the places themselves: a cache of its answers
 * (etl/publish/cell-place-names.ts) is keyed by this and the places, so it is never served after a
 * rule changes. Raise `version` with any change to the logic below that the constants do not show.
 */
export const DESCRIPTION_RULES = JSON.stringify({
  version: 1,
  SETTLEMENTS,
  neighbourhoods: [...NEIGHBOURHOODS],
  NEIGHBOURHOOD_KM,
  REACH_KM,
  INDEX_RESOLUTION,
  INDEX_RING,
  COMPASS,
});

/** Places bucketed by H3 cell for nearest-place lookups. */
export interface PlaceIndex {
  readonly buckets: ReadonlyMap<string, readonly Place[]>;
}

/**
 * The index of `places`; `cells`: each place's placeIndexCell where the caller has them already
 * (publish keeps them with the parsed places, see etl/publish/named-places.ts).
 */
export function placeIndex(places: readonly Place[], cells: ReadonlyArray<string | null> = places.map(placeIndexCell)): PlaceIndex {
  if (cells.length !== places.length) throw new Error(`placeIndex: ${cells.length} index cells for ${places.length} places`);
  const buckets = new Map<string, Place[]>();
  for (const [i, place] of places.entries()) {
    const cell = cells[i]!;
    if (cell === null) continue;
    const bucket = buckets.get(cell);
    if (bucket) bucket.push(place);
    else buckets.set(cell, [place]);
  }
  return { buckets };
}

/** A place's bucket in the index: its cell at the index's resolution, or null for a kind no description uses. */
export function placeIndexCell(place: Place): string | null {
  if (!(place.kind in SETTLEMENTS) && !NEIGHBOURHOODS.has(place.kind)) return null;
  return latLngToCell(place.lat, place.lon, INDEX_RESOLUTION);
}

/** A point's description, or null when no settlement lies within REACH_KM. */
export function describeLocation(index: PlaceIndex, lat: number, lon: number, language: Language): string | null {
  return describeLocations(index, lat, lon)[language];
}

/**
 * A point's description in both languages from one search of the index (the publish names every
 * cell in both: searching once per language doubled the cost).
 */
export function describeLocations(index: PlaceIndex, lat: number, lon: number): Record<Language, string | null> {
  const nearby = gridDisk(latLngToCell(lat, lon, INDEX_RESOLUTION), INDEX_RING).flatMap((cell) => index.buckets.get(cell) ?? []);
  const distance = (p: Place) => greatCircleDistance([lat, lon], [p.lat, p.lon], "km");
  const neighbourhood = nearest(
    nearby.filter((p) => NEIGHBOURHOODS.has(p.kind)),
    distance,
    NEIGHBOURHOOD_KM,
  );
  const both = (text: string | null) => ({ lt: text, en: text });
  if (neighbourhood) {
    const parent = nearest(
      nearby.filter((p) => p.kind === "city" || p.kind === "town"),
      (p) => greatCircleDistance([neighbourhood.lat, neighbourhood.lon], [p.lat, p.lon], "km"),
      REACH_KM,
    );
    return both(parent ? `${neighbourhood.name}, ${parent.name}` : neighbourhood.name);
  }
  let best: { place: Place; km: number; score: number } | null = null;
  for (const place of nearby) {
    const settlement = SETTLEMENTS[place.kind];
    if (!settlement) continue;
    const km = distance(place);
    if (km > REACH_KM) continue;
    // Inside a settlement: named by it; otherwise the reference is the nearest place weighted by size.
    const score = km <= settlement.withinKm ? -1 / (1 + km) : km / settlement.weight;
    if (!best || score < best.score) best = { place, km, score };
  }
  if (!best) return both(null);
  if (best.score < 0) return both(best.place.name);
  const km = best.km < 5 ? Math.round(best.km * 2) / 2 : Math.round(best.km);
  const point = compassPoint(best.place, lat, lon);
  return {
    lt: `${best.place.name}, ${String(km).replace(".", ",")} km ${COMPASS.lt[point]!}`,
    en: `${km} km ${COMPASS.en[point]!} of ${best.place.name}`,
  };
}

function nearest(places: readonly Place[], distance: (p: Place) => number, withinKm: number): Place | null {
  let best: Place | null = null;
  let bestKm = withinKm;
  for (const place of places) {
    const km = distance(place);
    if (km <= bestKm) [best, bestKm] = [place, km];
  }
  return best;
}

/**
 * Names told apart where several areas listed together share one (two patrol areas in one
 * neighbourhood or one export's locality): each such name gets the compass point of its area's centre
 * from the middle of the areas that share it — "Central Business District (NW)", "(SE)". Where that
 * still leaves two alike, they are numbered in listing order. Others are returned as they are.
 */
export function distinguishNames<N extends { en: string; lt: string }>(names: readonly N[], centres: ReadonlyArray<readonly [number, number]>): N[] {
  const out = names.map((n) => ({ ...n }));
  for (const language of ["en", "lt"] as const) {
    const byName = new Map<string, number[]>();
    names.forEach((n, i) => byName.set(n[language], [...(byName.get(n[language]) ?? []), i]));
    for (const [name, indices] of byName) {
      if (indices.length < 2) continue;
      const middle = {
        lat: indices.reduce((s, i) => s + centres[i]![0], 0) / indices.length,
        lon: indices.reduce((s, i) => s + centres[i]![1], 0) / indices.length,
      };
      const points = indices.map((i) => COMPASS[language][compassPoint(middle, centres[i]![0], centres[i]![1])]!);
      indices.forEach((i, k) => {
        const alike = points.filter((p) => p === points[k]).length > 1;
        out[i]![language] = `${name} (${points[k]}${alike ? ` ${points.slice(0, k + 1).filter((p) => p === points[k]).length}` : ""})`;
      });
    }
  }
  return out;
}

/** Index into the 8-point compass of the bearing from `from` to (lat, lon). */
function compassPoint(from: Pick<Place, "lat" | "lon">, lat: number, lon: number): number {
  const rad = Math.PI / 180;
  const dLon = (lon - from.lon) * rad;
  const y = Math.sin(dLon) * Math.cos(lat * rad);
  const x = Math.cos(from.lat * rad) * Math.sin(lat * rad) - Math.sin(from.lat * rad) * Math.cos(lat * rad) * Math.cos(dLon);
  const bearing = (Math.atan2(y, x) / rad + 360) % 360;
  return Math.round(bearing / 45) % 8;
}
