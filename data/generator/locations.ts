import type { StudyArea } from "./boundaries.ts";
import type { Bounds, LatLon, Municipality, Place } from "./places.ts";
import type { Rng } from "./rng.ts";

/** A point as written to the CSV: WGS84 degrees rounded to 6 decimals (about 0.1 m). */
export interface Point {
  readonly lat: number;
  readonly lon: number;
}

const METRES_PER_DEGREE_LAT = 111_320;

/**
 * Draws a point near a place: uniform along its path, then a Gaussian offset of the place's spread.
 * The rounded point is what is tested, so the coordinates in the file are exactly the ones known to
 * lie inside the municipality (and the place's bounds); failures are redrawn, and a place that keeps
 * failing is a configuration error worth stopping for.
 */
export function pointNearPlace(rng: Rng, place: Place, area: StudyArea, maxAttempts: number): Point {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const [lat0, lon0] = alongPath(rng, place.path);
    const north = rng.normal() * place.spreadMetres;
    const east = rng.normal() * place.spreadMetres;
    const point = rounded(lat0 + north / METRES_PER_DEGREE_LAT, lon0 + east / (METRES_PER_DEGREE_LAT * Math.cos((lat0 * Math.PI) / 180)));
    if (place.bounds && !inBounds(point, place.bounds)) continue;
    if (area.contains(place.municipality, point.lat, point.lon)) return point;
  }
  throw new Error(`place ${place.id}: no point inside ${place.municipality} after ${maxAttempts} attempts`);
}

/** Draws a point uniformly over a municipality (rejection sampling within its bounding box). */
export function uniformPoint(rng: Rng, municipality: Municipality, area: StudyArea, maxAttempts: number): Point {
  const box = area.extent(municipality);
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const point = rounded(box.south + rng.uniform() * (box.north - box.south), box.west + rng.uniform() * (box.east - box.west));
    if (area.contains(municipality, point.lat, point.lon)) return point;
  }
  throw new Error(`no uniform point inside ${municipality} after ${maxAttempts} attempts`);
}

/** True when the point lies inside the box (edges included). */
export function inBounds(point: Point, bounds: Bounds): boolean {
  return point.lat >= bounds.south && point.lat <= bounds.north && point.lon >= bounds.west && point.lon <= bounds.east;
}

// A single point is its own path; along a polyline, segments are chosen in proportion to length so
// that a long street is covered evenly.
function alongPath(rng: Rng, path: readonly LatLon[]): LatLon {
  if (path.length === 1) return path[0]!;
  const lonScale = Math.cos((path[0]![0] * Math.PI) / 180);
  const lengths = path.slice(1).map((end, i) => Math.hypot(end[0] - path[i]![0], (end[1] - path[i]![1]) * lonScale));
  let target = rng.uniform() * lengths.reduce((a, b) => a + b, 0);
  for (let i = 0; i < lengths.length; i++) {
    if (target <= lengths[i]! || i === lengths.length - 1) {
      const t = Math.min(1, target / lengths[i]!);
      const [a, b] = [path[i]!, path[i + 1]!];
      return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    }
    target -= lengths[i]!;
  }
  return path[path.length - 1]!;
}

function rounded(lat: number, lon: number): Point {
  return { lat: Math.round(lat * 1e6) / 1e6, lon: Math.round(lon * 1e6) / 1e6 };
}
