import { cellToLatLng } from "h3-js";
import type { MapPlace } from "../../dashboard/data-contract.ts";
import type { MunicipalityCollection as Boundaries } from "../geo/municipalities.ts";
import type { Place } from "../geo/places.ts";

/**
 * What a map may label, most important first: a kind's rank decides which labels win where they
 * collide and which are drawn zoomed out (the dashboard's components/map-places.ts). Hamlets and
 * "locality" nodes (often uninhabited field names) are left out: there are too many to label usefully.
 */
export const LABEL_RANK: Readonly<Record<string, number>> = {
  city: 0,
  town: 1,
  suburb: 2,
  quarter: 2,
  neighbourhood: 3,
  village: 4,
  police: 5,
};

/** Most places published for one map (about 90 bytes each): the largest are kept, every police station too. */
export const MAX_MAP_PLACES = 1500;

/** Margin added around the study area's box, in degrees (about 2–3 km), so places at its edge still label the edge. */
const MARGIN_DEGREES = 0.03;

/**
 * The named places a dashboard map labels: those of a kind in {@link LABEL_RANK} inside the box
 * around the study area's outlines and the drawn cells (widened by a small margin), ranked by kind
 * and then population (largest first), at most `limit` of them plus every police station. Places are
 * public reference points from the places file (OpenStreetMap), never derived from incidents, and
 * are published with the file's own coordinates. No file (an empty list) gives no labels.
 */
export function mapPlaces(places: readonly Place[], outlines: Boundaries, cells: Iterable<string>, limit = MAX_MAP_PLACES): MapPlace[] {
  const box = studyBox(outlines, cells);
  if (!box) return [];
  const [west, south, east, north] = box;
  const inside = places.filter((p) => p.kind in LABEL_RANK && p.lon >= west && p.lon <= east && p.lat >= south && p.lat <= north);
  const ranked = inside.sort((a, b) => LABEL_RANK[a.kind]! - LABEL_RANK[b.kind]! || (b.population ?? 0) - (a.population ?? 0) || a.name.localeCompare(b.name));
  const police = ranked.filter((p) => p.kind === "police");
  const named = ranked.filter((p) => p.kind !== "police").slice(0, Math.max(0, limit - police.length));
  return [...named, ...police].map((p) => ({ name: p.name, name_en: p.nameEn, kind: p.kind, population: p.population, position: [p.lon, p.lat] }));
}

/** [west, south, east, north] around every outline vertex and cell centre, widened by MARGIN_DEGREES; null when there is neither. */
export function studyBox(outlines: Boundaries, cells: Iterable<string>): [number, number, number, number] | null {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (lon: number, lat: number) => {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  };
  for (const f of outlines.features) {
    const polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const polygon of polygons) for (const ring of polygon) for (const [lon, lat] of ring) add(lon!, lat!);
  }
  for (const cell of cells) {
    const [lat, lon] = cellToLatLng(cell);
    add(lon, lat);
  }
  if (west > east) return null;
  return [west - MARGIN_DEGREES, south - MARGIN_DEGREES, east + MARGIN_DEGREES, north + MARGIN_DEGREES];
}
