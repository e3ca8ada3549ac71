/**
 * The files that the publish step writes into `dashboard/src/data/` before `observable build`, and
 * that the dashboard pages read with `FileAttachment`. The pages only draw: every number here is
 * computed upstream. Keep this file, the sample-data generator (`test/helpers/sample-dashboard-data.ts`)
 * and the pages in step.
 */

/** File names under `dashboard/src/data/`. */
export const DASHBOARD_DATA_FILES = {
  meta: "meta.json",
  monthlyCounts: "monthly-counts.json",
  yearlyCounts: "yearly-counts.json",
  hotspots: "hotspots.json",
  hexagons: "hexagons.json",
  municipalities: "municipalities.json",
} as const;

/** `meta.json`: what the data covers and how it was produced. */
export interface DashboardMeta {
  /** ISO 8601 timestamp of the publish run. */
  generated_at: string;
  /** Shown under every map, e.g. "Municipality outlines © OpenStreetMap contributors, ODbL". */
  attribution: string;
  /** Counts below this are published as `null` and shown as "< threshold". */
  suppression_threshold: number;
  /** H3 resolution of the cells in `hotspots.json` (8). */
  resolution: number;
  /** Neighbourhood ring size of the Gi* weights (k-ring). */
  k: number;
  /** IANA time zone the months were cut in ("Europe/Vilnius"). */
  timezone: string;
  /** Every month covered, "YYYY-MM", ascending. */
  months: string[];
  /** "all" first, then the incident categories. */
  categories: string[];
  summary: { rows_read: number; rows_ingested: number; rows_quarantined: number };
}

/** One row of `monthly-counts.json`; `category` is never "all" (the page sums). */
export interface MonthlyCount {
  month: string;
  category: string;
  municipality: string;
  /** `null` when suppressed (a count below `suppression_threshold`). */
  count: number | null;
}

/**
 * One row of `yearly-counts.json`: incidents per year and category over the whole study area,
 * suppressed at that level (so a rare category is not hidden just because each month was small).
 * `category` "all" is the year's total over every category.
 */
export interface YearlyCount {
  year: string;
  category: string;
  /** `null` when suppressed (a count below `suppression_threshold`). */
  count: number | null;
}

/** Getis-Ord Gi* confidence bin as ArcGIS reports it: ±3 = 99 %, ±2 = 95 %, ±1 = 90 %; hot > 0. */
export type GiBin = -3 | -2 | -1 | 1 | 2 | 3;

/** One row of `hotspots.json`: only cells whose bin is not 0. */
export interface HotspotRow {
  month: string;
  /** "all" or one of the categories. */
  category: string;
  /** H3 cell index (hex string). */
  cell: string;
  z: number;
  bin: GiBin;
}

/** A GeoJSON polygon ring: closed, positions as [longitude, latitude]. */
export type Ring = Array<[number, number]>;

export interface PolygonFeature<P> {
  type: "Feature";
  properties: P;
  geometry: { type: "Polygon"; coordinates: Ring[] } | { type: "MultiPolygon"; coordinates: Ring[][] };
}

export interface FeatureCollection<P> {
  type: "FeatureCollection";
  features: Array<PolygonFeature<P>>;
}

/** `hexagons.json`: one Polygon feature per cell that appears in `hotspots.json`. */
export type HexagonCollection = FeatureCollection<{ cell: string }>;

/** `municipalities.json`: municipality outlines. */
export type MunicipalityCollection = FeatureCollection<{ name: string }>;
