/**
 * Where an export's points lie, for the bounds `hotspots describe` proposes: each row's x/y in
 * degrees, the points' median, and the extent of those within a region of it, gathered one point at
 * a time so that a whole file's points need not be held.
 */
import { toWgs84 } from "./coordinates.ts";
import { kmBetween, REGION_KM } from "./region.ts";
import type { SourceDescription } from "./source-description.ts";

export type Point = readonly [lon: number, lat: number];

/** A row's x/y as WGS84 degrees, or null: empty, not a number, a 0 placeholder, or off the globe. */
export function wgs84Point(crs: SourceDescription["crs"], decimal: "." | ",", xText: string, yText: string): Point | null {
  const [x, y] = [xText, yText].map((v) => Number(decimal === "," ? v.trim().replace(",", ".") : v.trim())) as [number, number];
  if (xText.trim() === "" || yText.trim() === "" || !Number.isFinite(x) || !Number.isFinite(y) || x === 0 || y === 0) return null;
  const [lon, lat] = toWgs84(crs, x, y);
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? [lon, lat] : null;
}

export const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;

/** The coordinate-wise median of some points (x, y): robust to the few placeholders and mistakes an export holds. */
export function medianPoint(points: ReadonlyArray<readonly [number, number]>): [number, number] {
  const median = (i: 0 | 1) =>
    quantile(
      points.map((p) => p[i]).sort((a, b) => a - b),
      0.5,
    );
  return [median(0), median(1)];
}

/** The points within REGION_KM of their median point (median longitude, median latitude). */
export function nearMedian(points: readonly Point[]): Point[] {
  if (points.length === 0) return [];
  const centre = medianPoint(points);
  return points.filter((p) => kmBetween(p, centre) <= REGION_KM);
}

/** The extent of the points within REGION_KM of a centre (the sample's median point), and how many lay farther. */
export class RegionExtent {
  placed = 0;
  far = 0;
  private box = [Infinity, Infinity, -Infinity, -Infinity] as [number, number, number, number];

  constructor(readonly centre: Point) {}

  add(point: Point): void {
    if (kmBetween(point, this.centre) > REGION_KM) {
      this.far++;
      return;
    }
    this.placed++;
    const [w, s, e, n] = this.box;
    this.box = [Math.min(w, point[0]), Math.min(s, point[1]), Math.max(e, point[0]), Math.max(n, point[1])];
  }

  /** The extent with a quarter of it as margin (at least 0.02°), rounded outwards to 0.01°; undefined without a point. */
  bounds(): [number, number, number, number] | undefined {
    if (this.placed === 0) return undefined;
    const [w, s, e, n] = this.box;
    const [mx, my] = [Math.max(0.02, (e - w) / 4), Math.max(0.02, (n - s) / 4)];
    return [round2(w - mx, -1), round2(s - my, -1), round2(e + mx, 1), round2(n + my, 1)];
  }

  /** What the bounds were drawn around; `of` names the points' scope ("the sample", "the whole file"). */
  note(of: string): string {
    const far =
      this.far > 0
        ? `; ${this.far} points more than ${REGION_KM} km from the median point (no police area is that wide: placeholders such as (-1, -1), x and y swapped, or mistakes) are left out; those as far beyond the bounds are quarantined as invalid_coordinates`
        : "";
    return `around all ${this.placed} points of ${of} with a quarter of their extent as margin: points outside are quarantined as outside_study_area${far}`;
  }
}

/** Rounded outwards to 0.01° so the bounds only grow. */
const round2 = (v: number, direction: 1 | -1) => (direction > 0 ? Math.ceil(v * 100) : Math.floor(v * 100)) / 100;
