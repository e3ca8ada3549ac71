/**
 * A point written in one text column, as many portals publish the location: Socrata's "(lat, lon)"
 * (Chicago's and Boston's Location, Baltimore's GeoLocation), WKT "POINT (x y)" (San Francisco's
 * Point, Socrata's the_geom, an ArcGIS CSV's SHAPE in its grid) or PostGIS's EWKT
 * "SRID=4326;POINT (x y)", GeoJSON text {"type":"Point","coordinates":[x, y]}, and Socrata's
 * location object {"latitude": "41.87", "longitude": "-87.62", "human_address": "…"}. The text is
 * only split into its x and y texts here; the numbers, no-values, the (0, 0) placeholder, the CRS
 * and the bounds are placePoint's, as for two columns.
 */
import { isNoValue } from "./no-value.ts";
import { pairTexts } from "./point-pair.ts";

/** How a point column writes its point: WKT and GeoJSON in x y order (lon lat), a pair in parentheses either way round, Socrata's object by its keys. */
export const POINT_FORMATS = ["wkt", "lat_lon", "lon_lat", "geojson", "socrata"] as const;
export type PointFormat = (typeof POINT_FORMATS)[number];

/**
 * What a point text holds: its x and y texts (the easting/longitude first; `srid`, an EWKT point's
 * EPSG code), no point at all, or text that is no point in `format` (`why`, when more can be said).
 */
export type PointTexts = { kind: "xy"; x: string; y: string; srid?: number } | { kind: "missing" } | { kind: "invalid"; why?: string };

const MISSING: PointTexts = { kind: "missing" };
const INVALID: PointTexts = { kind: "invalid" };

// "POINT (x y)", "POINT(x y)", "POINT Z (x y z)"; ordinates are any text without spaces (placePoint checks they are numbers).
const WKT = /^POINT\s*(?:ZM|Z|M)?\s*\(\s*(\S+?)\s+(\S+?)(?:\s+\S+?){0,2}\s*\)$/i;
const WKT_EMPTY = /^POINT\s*(?:ZM|Z|M)?\s+EMPTY$/i;
// PostGIS's EWKT prefix: the point's CRS as an EPSG code.
const EWKT_SRID = /^SRID=(\d+)\s*;\s*/i;

/**
 * Splits a point text into its x and y texts. `decimal` is the source's decimal separator: WKT
 * separates its ordinates by spaces either way ("POINT (25,2797 54,6872)"); a pair with decimal
 * commas is read where it splits into two numbers one way only (see pairTexts).
 */
export function pointTexts(text: string, format: PointFormat, decimal: "." | "," = "."): PointTexts {
  const t = text.trim();
  if (isNoValue(t)) return MISSING;
  switch (format) {
    case "wkt": {
      const srid = EWKT_SRID.exec(t);
      const wkt = srid ? t.slice(srid[0].length) : t;
      if (WKT_EMPTY.test(wkt)) return MISSING;
      const m = WKT.exec(wkt);
      if (!m) return INVALID;
      return srid ? { kind: "xy", x: m[1]!, y: m[2]!, srid: Number(srid[1]) } : { kind: "xy", x: m[1]!, y: m[2]! };
    }
    case "geojson":
      return geoJsonTexts(t);
    case "socrata":
      return socrataTexts(t);
    case "lat_lon":
    case "lon_lat": {
      const inner = t.startsWith("(") && t.endsWith(")") ? t.slice(1, -1).trim() : t;
      const pair = pairTexts(inner, decimal);
      if (pair.kind === "invalid") return pair;
      return format === "lat_lon" ? { kind: "xy", x: pair.b, y: pair.a } : { kind: "xy", x: pair.a, y: pair.b };
    }
  }
}

/** The JSON object a text holds, or undefined. */
function jsonObject(t: string): Record<string, unknown> | undefined {
  if (!t.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(t);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const ordinate = (v: unknown) => (typeof v === "number" || typeof v === "string" ? String(v) : null);

function geoJsonTexts(t: string): PointTexts {
  const { type, coordinates } = jsonObject(t) ?? {};
  if (type !== "Point" || !Array.isArray(coordinates)) return INVALID;
  // RFC 7946 §3.1.2: an empty position array is a point with no position.
  if (coordinates.length === 0) return MISSING;
  const [x, y] = [ordinate(coordinates[0]), ordinate(coordinates[1])];
  return x !== null && y !== null && coordinates.length <= 4 ? { kind: "xy", x, y } : INVALID;
}

/**
 * Socrata's location object (a Location column in its JSON, or its text in a CSV cell): latitude
 * and longitude as strings or numbers, beside human_address and needs_recoding. An object with the
 * address only is a location Socrata could not geocode: missing; one coordinate alone is left
 * empty, so placePoint calls it missing as it does one empty column.
 */
function socrataTexts(t: string): PointTexts {
  const object = jsonObject(t);
  if (!object) return INVALID;
  const [y, x] = [ordinate(object.latitude), ordinate(object.longitude)];
  if (x !== null || y !== null) return { kind: "xy", x: x ?? "", y: y ?? "" };
  return "human_address" in object || "needs_recoding" in object || "latitude" in object || "longitude" in object ? MISSING : INVALID;
}

/** How each format is written, for messages. */
export const POINT_FORMAT_EXAMPLES: Readonly<Record<PointFormat, string>> = {
  wkt: "POINT (x y): longitude first in degrees",
  lat_lon: "(lat, lon): latitude first, as Socrata writes",
  lon_lat: "(lon, lat): longitude first",
  geojson: '{"type":"Point","coordinates":[lon, lat]}',
  socrata: '{"latitude": "lat", "longitude": "lon"}: Socrata\'s location object',
};

/**
 * The format the sampled values of a column are written in, with the decimal separator of their
 * numbers, or undefined: at least `share` of its non-empty values read as points (no-values aside)
 * in one format, with decimal points tried before decimal commas. A pair in parentheses is taken
 * as (lat, lon), Socrata's order; the caller turns it round when the values say otherwise.
 */
export function pointFormatOf(values: readonly string[], share = 0.9): { format: PointFormat; decimal: "." | "," } | undefined {
  // The first values decide: a column of points is one from its first rows, and any other fails at once.
  const filled = values.filter((v) => !isNoValue(v.trim())).slice(0, POINT_SAMPLE);
  if (filled.length === 0) return undefined;
  const numeric = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
  for (const decimal of [".", ","] as const) {
    const isNumber = (v: string) => numeric.test(decimal === "," ? v.replace(",", ".") : v);
    for (const format of ["wkt", "geojson", "socrata", "lat_lon"] as const) {
      const read = filled.filter((v) => {
        // Only a pair in parentheses: a bare "54,68" is a number with a decimal comma, not a point.
        if (format === "lat_lon" && !v.trim().startsWith("(")) return false;
        const p = pointTexts(v, format, decimal);
        return p.kind === "missing" || (p.kind === "xy" && isNumber(p.x) && isNumber(p.y));
      }).length;
      if (read >= share * filled.length && filled.some((v) => pointTexts(v, format, decimal).kind === "xy")) return { format, decimal };
    }
  }
  return undefined;
}

/** Values of a column pointFormatOf reads: enough to tell a column of points from any other. */
const POINT_SAMPLE = 2_000;
