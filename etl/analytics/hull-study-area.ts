import { cellToLatLng, getResolution, gridDisk, polygonToCells } from "h3-js";
import { fillSizeEstimate } from "./study-area.ts";

/**
 * The default study area for data without municipality boundaries: the H3 cells whose centres lie in
 * the convex hull of the incidents' cell centres, plus the incident cells themselves, widened by
 * `ring` grid steps (default 1) so that cells on the edge of the data get a full neighbourhood of
 * (zero-count) cells, as cells inside do. The hull is taken in longitude/latitude, which is accurate
 * enough at city scale. A stray far-away coordinate stretches the hull: clean coordinates first, or
 * give boundaries instead. `maxCells` guards against such an accident producing millions of cells.
 */
export function hullStudyArea(incidentCells: Iterable<string>, ring = 1, maxCells = 1_000_000): string[] {
  if (!Number.isInteger(ring) || ring < 0) throw new RangeError(`ring must be a non-negative integer, got ${ring}`);
  const seeds = [...new Set(incidentCells)];
  if (seeds.length === 0) return [];
  const resolution = getResolution(seeds[0]!);
  for (const cell of seeds) {
    if (getResolution(cell) !== resolution) throw new Error(`cells of resolutions ${resolution} and ${getResolution(cell)} are mixed`);
  }
  const area = new Set(seeds);
  const hull = convexHull(seeds.map((cell) => cellToLatLng(cell)));
  const runaway = () =>
    new Error(`the hull study area exceeds ${maxCells} cells at resolution ${resolution}: check the coordinates for outliers, or use a coarser resolution`);
  // Refused from an estimate before a fill that could take hours (a fine resolution over a city).
  if (seeds.length > maxCells || (hull.length >= 3 && (fillSizeEstimate([[hull]], resolution, false) ?? 0) > 2 * maxCells)) throw runaway();
  if (hull.length >= 3) for (const cell of polygonToCells([hull], resolution)) area.add(cell);
  if (area.size > maxCells) throw runaway();
  const grown = new Set(area);
  if (ring > 0) {
    for (const cell of area) {
      for (const near of gridDisk(cell, ring)) grown.add(near);
      if (grown.size > maxCells) throw runaway();
    }
  }
  return [...grown].sort();
}

/** The months ("YYYY-MM") whose incidents a hull is built from: `from` … `to` (null or absent: open), and before `before`. */
export interface HullMonths {
  from?: string | null;
  to?: string | null;
  before?: string;
}

/**
 * The cells a hull study area is built from: those holding an incident of a category other than the
 * sensitive ones, in `months` — the lake's analysed months (analysisStart … analysisEnd), so that
 * a far point of a month left out (one not ended, a sparse edge month, a mistyped year) does not
 * widen the area the analysed months are mapped over; a forecast's also before its month. The
 * hull's outline is drawn on every map and its vertices are incident cells: built from a sensitive
 * category's incidents, an outline vertex could locate one (a lone domestic-violence incident at the
 * edge of the data), which the release rules never allow per cell (etl/publish/release-rules.ts).
 */
export function hullSeedCells(
  counts: Iterable<{ cell: string; category: string; month: string }>,
  sensitive: ReadonlySet<string>,
  months: HullMonths = {},
): string[] {
  const { from, to, before } = months;
  const seeds = new Set<string>();
  for (const c of counts) {
    if (sensitive.has(c.category) || (from != null && c.month < from) || (to != null && c.month > to) || (before !== undefined && c.month >= before)) continue;
    seeds.add(c.cell);
  }
  return [...seeds];
}

/**
 * Convex hull of [lat, lng] points, counter-clockwise in (lng, lat), without repeated or collinear
 * points — Andrew's monotone chain [@andrew1979].
 */
export function convexHull(points: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const sorted = [...points].map(([lat, lng]) => [lat, lng] as [number, number]).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const unique = sorted.filter((p, i) => i === 0 || p[0] !== sorted[i - 1]![0] || p[1] !== sorted[i - 1]![1]);
  if (unique.length < 3) return unique;
  // Cross product of (a → b) × (a → c) with x = lng, y = lat; > 0 is a left (counter-clockwise) turn.
  const cross = (a: [number, number], b: [number, number], c: [number, number]) => (b[1] - a[1]) * (c[0] - a[0]) - (b[0] - a[0]) * (c[1] - a[1]);
  const half = (pts: Array<[number, number]>) => {
    const chain: Array<[number, number]> = [];
    for (const p of pts) {
      while (chain.length >= 2 && cross(chain[chain.length - 2]!, chain[chain.length - 1]!, p) <= 0) chain.pop();
      chain.push(p);
    }
    chain.pop();
    return chain;
  };
  return [...half(unique), ...half([...unique].reverse())];
}
