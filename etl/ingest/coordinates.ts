import proj4 from "proj4";
import { COMMON_CRS, crsName, definition, isSupportedCrs } from "./crs.ts";
import { isNoValue } from "./no-value.ts";
import { POINT_FORMAT_EXAMPLES, pointTexts, type PointFormat } from "./point-text.ts";
import { kmBetween, REGION_KM } from "./region.ts";
import type { SourceDescription } from "./source-description.ts";

/**
 * One proj4 converter per CRS: proj4 parses the PROJ strings on every call it is given them, which
 * cost a failed point ~0.6 ms over the grids its reason tries (and every good row its share).
 */
const CONVERTERS = new Map<string, proj4.Converter>();
function converter(crs: string): proj4.Converter {
  let found = CONVERTERS.get(crs);
  if (!found) {
    found = proj4(definition(crs), definition("EPSG:4326"));
    CONVERTERS.set(crs, found);
  }
  return found;
}

/** Converts (x, y) in `crs` to WGS84 [longitude, latitude]; x is the easting or longitude. */
export function toWgs84(crs: SourceDescription["crs"], x: number, y: number): [number, number] {
  if (crs === "EPSG:4326") return [x, y];
  const [lon, lat] = converter(crs).forward([x, y]) as [number, number];
  return [lon, lat];
}

/** Converts WGS84 (lon, lat) to `crs` — the inverse of toWgs84, for round-trip tests and exports. */
export function fromWgs84(crs: SourceDescription["crs"], lon: number, lat: number): [number, number] {
  if (crs === "EPSG:4326") return [lon, lat];
  return converter(crs).inverse([lon, lat]) as [number, number];
}

export type PlacedPoint =
  | { ok: true; lat: number; lon: number }
  | { ok: false; code: "missing_coordinates" | "invalid_coordinates" | "swapped_coordinates" | "outside_study_area"; reason: string };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** "6589000-6589499": a span of metres, as anonymised exports give a place (Estonia's police open data: 500 m squares). */
const RANGE = /^(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)$/;

/**
 * Why coordinates written as ranges cannot be placed, or null when they are not ranges. The reader
 * places an incident at its point; a square's midpoint would put all of the square's incidents on
 * one point and make hot spots of the squares' centres, with a precision the lake could not see.
 */
export function rangeProblem(xText: string, yText: string): string | null {
  const [x, y] = [RANGE.exec(xText.trim()), RANGE.exec(yText.trim())];
  if (!x && !y) return null;
  const width = (m: RegExpExecArray | null) => (m ? Math.round(Number(m[2]) - Number(m[1]) + 1) : 0);
  const size = Math.max(width(x), width(y));
  return (
    `coordinates are ranges, not points (x '${xText}', y '${yText}'): the export gives each place as a square of about ${size.toLocaleString("en")} m, for anonymity; ` +
    "an incident is placed by its point, and a midpoint would stack every incident of a square on one point (hot spots of the squares' centres) — ask the publisher for point coordinates"
  );
}

/**
 * Reads a point from its text fields (with the source's decimal separator) and checks it: both present, decimal numbers, a valid WGS84
 * position after projection, not the (0, 0) placeholder, and inside the source's bounds. A point
 * that would be inside with latitude and longitude exchanged is reported as swapped, one over
 * REGION_KM beyond the bounds as an invalid location (a placeholder), not as outside the study area.
 */
export function placePoint(xRaw: string, yRaw: string, source: Pick<SourceDescription, "crs" | "bounds"> & { decimal?: "." | "," }): PlacedPoint {
  const comma = source.decimal === ",";
  const xText = comma ? xRaw.replace(",", ".") : xRaw;
  const yText = comma ? yRaw.replace(",", ".") : yRaw;
  if (isNoValue(xText) || isNoValue(yText)) {
    return { ok: false, code: "missing_coordinates", reason: `coordinates are missing (x '${xText}', y '${yText}')` };
  }
  // Two numbers are no range: the range test (a regular expression a row) runs only on the rest.
  if (!NUMBER.test(xText) || !NUMBER.test(yText)) {
    const range = rangeProblem(xText, yText);
    if (range) return { ok: false, code: "invalid_coordinates", reason: range };
    return { ok: false, code: "invalid_coordinates", reason: `coordinates are not decimal numbers (x '${xText}', y '${yText}')` };
  }
  const x = Number(xText);
  const y = Number(yText);
  // (0, 0) is where exports put an unknown place: null island in degrees and Web Mercator, and far
  // outside any grid's area of use (LKS94, UTM) in metres.
  if (x === 0 && y === 0) {
    return { ok: false, code: "invalid_coordinates", reason: "the point (0, 0) is a missing-location placeholder" };
  }
  const [lon, lat] = toWgs84(source.crs, x, y);
  const valid = Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  if (valid && inside(source.bounds, lat, lon)) return { ok: true, lat, lon };
  const fit = otherReading(x, y, source);
  if (fit?.crs === source.crs) {
    return {
      ok: false,
      code: "swapped_coordinates",
      reason:
        source.crs === "EPSG:4326"
          ? `(${xText}, ${yText}) lies in the study area only with latitude and longitude swapped; fix the column mapping or the row`
          : `(${xText}, ${yText}) lies in the study area only with easting and northing swapped (x is the easting); fix the column mapping or the row`,
    };
  }
  // Read another way the point fits: most likely the description's CRS is not the file's.
  const hint = fit
    ? `; read as ${crsName(fit.crs)}${fit.swapped ? " with x and y swapped" : ""} it lies inside them: if the file is in ${fit.crs}, write crs: ${fit.crs} in the source description`
    : "";
  if (!valid) {
    return {
      ok: false,
      code: "invalid_coordinates",
      reason: `(${xText}, ${yText}) is not a valid position in ${source.crs}${hint ? ` (nor inside the source's bounds)${hint}` : ""}`,
    };
  }
  // No police export's incident lies that far beyond its bounds (REGION_KM, describe's own rule for
  // leaving points out of them): a fixed placeholder (Montreal's -163.965, 1.0 in the Pacific, Boston's
  // -1, -1) or a typing mistake, not an incident in another city — a location that is not one.
  const km = kmBeyond(source.bounds, lat, lon);
  if (!fit && km > REGION_KM) {
    return {
      ok: false,
      code: "invalid_coordinates",
      reason: `lat ${round(lat)}, lon ${round(lon)}${source.crs === "EPSG:4326" ? "" : ` ((${xText}, ${yText}) in ${source.crs})`} lies ${Math.round(km).toLocaleString("en")} km beyond the source's bounds [${source.bounds.join(", ")}], farther than any police area reaches: most likely a placeholder for a missing location, or a typing mistake; fix the row, or the bounds if they are not this export's`,
    };
  }
  return {
    ok: false,
    code: "outside_study_area",
    // Projected rows also show what the file holds, so the row can be found and fixed in the export.
    reason: `${source.crs === "EPSG:4326" ? `lat ${round(lat)}, lon ${round(lon)}` : `(${xText}, ${yText}) in ${source.crs} (lat ${round(lat)}, lon ${round(lon)})`} is outside the source's bounds [${source.bounds.join(", ")}]${hint}`,
  };
}

/**
 * placePoint for a point written in one column (`columns.point`): its text split into x and y by
 * its format, then placed as two columns are. Empty, a no-value, "POINT EMPTY" or an empty GeoJSON
 * position is a missing location; text that is no point in the format is an invalid one, quoted
 * clipped. An EWKT point's SRID must be the description's crs: another one means the description
 * is wrong, said as placePoint says it of a point another CRS reads (a PROJ-string crs has no
 * EPSG code to compare, and SRID=0 is PostGIS's "unknown": both are read as the crs says).
 */
export function placePointText(
  text: string,
  point: { column: string; format: PointFormat },
  source: Pick<SourceDescription, "crs" | "bounds"> & { decimal?: "." | "," },
): PlacedPoint {
  const texts = pointTexts(text, point.format, source.decimal);
  if (texts.kind === "xy") {
    const srid = texts.srid === undefined || texts.srid === 0 ? undefined : `EPSG:${texts.srid}`;
    if (srid === undefined || srid === source.crs || !source.crs.startsWith("EPSG:")) return placePoint(texts.x, texts.y, source);
    const write = isSupportedCrs(srid)
      ? `if the file is in ${srid}, write crs: ${srid} in the source description`
      : `the reader does not know ${srid}: write crs: as its PROJ string from the EPSG registry`;
    return {
      ok: false,
      code: "invalid_coordinates",
      reason: `${point.column} '${clip(text)}' is written in ${srid} (its SRID), not in the source description's crs ${source.crs}; ${write}`,
    };
  }
  if (texts.kind === "missing") return { ok: false, code: "missing_coordinates", reason: `coordinates are missing (${point.column} '${clip(text)}')` };
  return {
    ok: false,
    code: "invalid_coordinates",
    reason: `${point.column} '${clip(text)}' is not a point written as ${POINT_FORMAT_EXAMPLES[point.format]} (columns.point's format ${point.format})${texts.why ? `: ${texts.why}` : "; fix the row, or the format if the column writes its points otherwise"}`,
  };
}

const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

/**
 * The first reading of (x, y) that lies inside the source's bounds other than the described one: the
 * described CRS with x and y exchanged, then each other CRS the reader knows, each way round. Asked
 * only for a point that failed, so its cost (a few projections) never falls on good rows.
 */
function otherReading(
  x: number,
  y: number,
  source: Pick<SourceDescription, "crs" | "bounds">,
): { crs: SourceDescription["crs"]; swapped: boolean } | undefined {
  const order = [source.crs, ...COMMON_CRS.filter((c) => c !== source.crs)];
  for (const crs of order) {
    for (const swapped of crs === source.crs ? [true] : [false, true]) {
      const [lon, lat] = swapped ? toWgs84(crs, y, x) : toWgs84(crs, x, y);
      if (Number.isFinite(lat) && Number.isFinite(lon) && inside(source.bounds, lat, lon)) return { crs, swapped };
    }
  }
  return undefined;
}

/** How far a point lies beyond the bounds, in km: to the nearest point of the box (0 inside). */
function kmBeyond([west, south, east, north]: SourceDescription["bounds"], lat: number, lon: number): number {
  return kmBetween([lon, lat], [Math.min(east, Math.max(west, lon)), Math.min(north, Math.max(south, lat))]);
}

const inside = ([west, south, east, north]: SourceDescription["bounds"], lat: number, lon: number) =>
  lat >= south && lat <= north && lon >= west && lon <= east;

const round = (v: number) => Math.round(v * 1e5) / 1e5;
