/**
 * Which municipality polygon a point lies in, fast enough to ask for every row of a 10 M-row export.
 *
 * Each municipality's ring edges are filed into horizontal latitude bands; a point is tested by
 * even-odd ray casting (a ray due east, counting the edges it crosses) over the edges of its band
 * only, so a test costs a handful of edges instead of the polygon's thousands. The answer is exact
 * for the polygons as given (a point on an edge may fall either way, as in any ray-casting test).
 * Holes and multipolygons are handled by the even-odd rule over every ring of the municipality.
 */
import type { MunicipalityCollection } from "./municipalities.ts";

/** Municipality polygons as plain data (they cross to reader threads): name → rings of [lon, lat]. */
export interface MunicipalityRings {
  /** Where the polygons came from, for messages (a file name). */
  origin: string;
  rings: Record<string, number[][][]>;
  /** [west, south, east, north] of every polygon together. */
  bounds: [number, number, number, number];
}

/** The rings of every named polygon of a boundaries collection, by name (a name's several polygons together). */
export function municipalityRings(collection: MunicipalityCollection, origin: string): MunicipalityRings {
  const rings: Record<string, number[][][]> = Object.create(null) as Record<string, number[][][]>;
  const bounds: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of collection.features) {
    const name = f.properties?.name;
    if (typeof name !== "string" || !f.geometry) continue;
    const polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.type === "MultiPolygon" ? f.geometry.coordinates : [];
    const own = (rings[name] ??= []);
    for (const polygon of polygons)
      for (const ring of polygon) {
        own.push(ring);
        widen(bounds, ring);
      }
  }
  return { origin, rings, bounds };
}

/**
 * Widens [west, south, east, north] to take in a ring. A function of its own, called per ring: it runs
 * once per process, on cold code, and V8 optimises a small function called often far sooner than a
 * loop nested three deep in one call (the 53 k points of the product's boundaries: 45 ms → 4 ms).
 */
function widen(bounds: [number, number, number, number], ring: readonly number[][]): void {
  for (let i = 0; i < ring.length; i++) {
    const lon = ring[i]![0]!;
    const lat = ring[i]![1]!;
    bounds[0] = Math.min(bounds[0], lon);
    bounds[1] = Math.min(bounds[1], lat);
    bounds[2] = Math.max(bounds[2], lon);
    bounds[3] = Math.max(bounds[3], lat);
  }
}

/** One municipality's edges, filed by latitude band. */
interface BandedEdges {
  south: number;
  north: number;
  bandHeight: number;
  /** Per band, the edges whose latitude span meets it, as [lon1, lat1, lon2, lat2] runs. */
  bands: Float64Array[];
}

/** Point-in-municipality tests over MunicipalityRings; the band index of a name is built on first use. */
export class MunicipalityIndex {
  private readonly built = new Map<string, BandedEdges>();

  constructor(readonly data: MunicipalityRings) {}

  /** Whether the boundaries have a polygon of this name. */
  has(name: string): boolean {
    return Object.hasOwn(this.data.rings, name);
  }

  /** Whether (lon, lat) lies inside the named municipality; undefined when the boundaries have no such name. */
  contains(name: string, lon: number, lat: number): boolean | undefined {
    if (!this.has(name)) return undefined;
    let index = this.built.get(name);
    if (!index) {
      index = bandEdges(this.data.rings[name]!);
      this.built.set(name, index);
    }
    if (lat < index.south || lat >= index.north) return false;
    const edges = index.bands[Math.floor((lat - index.south) / index.bandHeight)]!;
    let inside = false;
    for (let i = 0; i < edges.length; i += 4) {
      const x1 = edges[i]!;
      const y1 = edges[i + 1]!;
      const x2 = edges[i + 2]!;
      const y2 = edges[i + 3]!;
      // Half-open in latitude, so a ray through a vertex counts the two edges meeting there once.
      if (y1 > lat !== y2 > lat && lon < x1 + ((lat - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside;
    }
    return inside;
  }
}

/** About this many edges per band on average: few enough per test, few enough bands to build. */
const EDGES_PER_BAND = 4;

function bandEdges(rings: readonly number[][][]): BandedEdges {
  let south = Infinity;
  let north = -Infinity;
  let count = 0;
  for (const ring of rings) {
    count += ring.length;
    for (const p of ring) {
      south = Math.min(south, p[1]!);
      north = Math.max(north, p[1]!);
    }
  }
  // A sliver above the top so that the northernmost latitude falls in the last band.
  north += (north - south) * 1e-9 || 1e-9;
  const bandCount = Math.max(1, Math.ceil(count / EDGES_PER_BAND));
  const bandHeight = (north - south) / bandCount;
  const lists: number[][] = Array.from({ length: bandCount }, () => []);
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i]!;
      const b = ring[(i + 1) % ring.length]!;
      if (a[1] === b[1]) continue; // horizontal: a ray never crosses it
      const first = Math.floor((Math.min(a[1]!, b[1]!) - south) / bandHeight);
      const last = Math.min(bandCount - 1, Math.floor((Math.max(a[1]!, b[1]!) - south) / bandHeight));
      for (let band = first; band <= last; band++) lists[band]!.push(a[0]!, a[1]!, b[0]!, b[1]!);
    }
  }
  return { south, north, bandHeight, bands: lists.map((l) => Float64Array.from(l)) };
}
