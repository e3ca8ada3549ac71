/**
 * A point written in one text column, as many portals publish the location: Socrata's "(lat, lon)"
 * (Chicago's and Boston's Location, Baltimore's GeoLocation), WKT "POINT (x y)" (San Francisco's
 * Point, Socrata's the_geom, an ArcGIS CSV's SHAPE in its grid) and GeoJSON text
 * {"type":"Point","coordinates":[x, y]}. The text is only split into its x and y texts here; the
 * numbers, no-values, the (0, 0) placeholder, the CRS and the bounds are placePoint's, as for two columns.
 */
import { isNoValue } from "./no-value.ts";

/** How a point column writes its point: WKT and GeoJSON in x y order (lon lat), a pair in parentheses either way round. */
export const POINT_FORMATS = ["wkt", "lat_lon", "lon_lat", "geojson"] as const;
export type PointFormat = (typeof POINT_FORMATS)[number];

/** What a point text holds: its x and y texts (the easting/longitude first), no point at all, or text that is no point in `format`. */
export type PointTexts = { kind: "xy"; x: string; y: string } | { kind: "missing" } | { kind: "invalid" };

const MISSING: PointTexts = { kind: "missing" };
const INVALID: PointTexts = { kind: "invalid" };

// "POINT (x y)", "POINT(x y)", "POINT Z (x y z)"; ordinates are any text without spaces (placePoint checks they are numbers).
const WKT = /^POINT\s*(?:ZM|Z|M)?\s*\(\s*(\S+?)\s+(\S+?)(?:\s+\S+?){0,2}\s*\)$/i;
const WKT_EMPTY = /^POINT\s*(?:ZM|Z|M)?\s+EMPTY$/i;

/**
 * Splits a point text into its x and y texts. `decimal` is the source's decimal separator: with a
 * decimal comma a pair is separated by ";" or spaces only ("(54,68; 25,28)").
 */
export function pointTexts(text: string, format: PointFormat, decimal: "." | "," = "."): PointTexts {
  const t = text.trim();
  if (isNoValue(t)) return MISSING;
  switch (format) {
    case "wkt": {
      if (WKT_EMPTY.test(t)) return MISSING;
      const m = WKT.exec(t);
      return m ? { kind: "xy", x: m[1]!, y: m[2]! } : INVALID;
    }
    case "geojson":
      return geoJsonTexts(t);
    case "lat_lon":
    case "lon_lat": {
      const inner = t.startsWith("(") && t.endsWith(")") ? t.slice(1, -1).trim() : t;
      const parts = inner.split(decimal === "," ? /\s*;\s*|\s+/ : /\s*[,;]\s*|\s+/);
      if (parts.length !== 2) return INVALID;
      const [a, b] = parts as [string, string];
      return format === "lat_lon" ? { kind: "xy", x: b, y: a } : { kind: "xy", x: a, y: b };
    }
  }
}

function geoJsonTexts(t: string): PointTexts {
  if (!t.startsWith("{")) return INVALID;
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch {
    return INVALID;
  }
  const { type, coordinates } = (value ?? {}) as { type?: unknown; coordinates?: unknown };
  if (type !== "Point" || !Array.isArray(coordinates)) return INVALID;
  // RFC 7946 §3.1.2: an empty position array is a point with no position.
  if (coordinates.length === 0) return MISSING;
  const text = (v: unknown) => (typeof v === "number" || typeof v === "string" ? String(v) : null);
  const [x, y] = [text(coordinates[0]), text(coordinates[1])];
  return x !== null && y !== null && coordinates.length <= 4 ? { kind: "xy", x, y } : INVALID;
}

/** How each format is written, for messages. */
export const POINT_FORMAT_EXAMPLES: Readonly<Record<PointFormat, string>> = {
  wkt: "POINT (x y): longitude first in degrees",
  lat_lon: "(lat, lon): latitude first, as Socrata writes",
  lon_lat: "(lon, lat): longitude first",
  geojson: '{"type":"Point","coordinates":[lon, lat]}',
};

/**
 * The format the sampled values of a column are written in, or undefined: at least `share` of its
 * non-empty values read as points (no-values aside) in one format. A pair in parentheses is taken
 * as (lat, lon), Socrata's order; the caller turns it round when the values say otherwise.
 */
export function pointFormatOf(values: readonly string[], share = 0.9): PointFormat | undefined {
  // The first values decide: a column of points is one from its first rows, and any other fails at once.
  const filled = values.filter((v) => !isNoValue(v.trim())).slice(0, POINT_SAMPLE);
  if (filled.length === 0) return undefined;
  const numeric = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
  for (const format of ["wkt", "geojson", "lat_lon"] as const) {
    const read = filled.filter((v) => {
      // Only a pair in parentheses: a bare "54,68" is a number with a decimal comma, not a point.
      if (format === "lat_lon" && !v.trim().startsWith("(")) return false;
      const p = pointTexts(v, format);
      return p.kind === "missing" || (p.kind === "xy" && numeric.test(p.x) && numeric.test(p.y));
    }).length;
    if (read >= share * filled.length && filled.some((v) => pointTexts(v, format).kind === "xy")) return format;
  }
  return undefined;
}

/** Values of a column pointFormatOf reads: enough to tell a column of points from any other. */
const POINT_SAMPLE = 2_000;
