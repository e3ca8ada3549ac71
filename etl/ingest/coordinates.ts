import proj4 from "proj4";
import { isNoValue } from "./no-value.ts";
import type { SourceDescription } from "./source-description.ts";

// Projections the sources use, in PROJ.4 form (from the EPSG registry). LKS-94 / Lithuania TM is
// the grid of Lithuanian police registers; x is always the easting, y the northing.
const NAMED: Readonly<Record<string, { proj: string; name: string; area: string }>> = {
  "EPSG:4326": { proj: "+proj=longlat +datum=WGS84 +no_defs", name: "degrees (WGS84)", area: "the whole Earth" },
  "EPSG:3346": {
    proj: "+proj=tmerc +lat_0=0 +lon_0=24 +k=0.9998 +x_0=500000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
    name: "metres (LKS-94)",
    area: "Lithuania",
  },
  // Web Mercator, as ArcGIS services and Toronto's MCI export write X/Y.
  "EPSG:3857": {
    proj: "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs",
    name: "metres (Web Mercator)",
    area: "the whole Earth but the poles",
  },
};

/**
 * Any UTM zone: EPSG:326NN (WGS84, north), EPSG:327NN (WGS84, south) and EPSG:258NN (ETRS89, zones
 * 28–38: the grids of European police registers, e.g. 25832 in Germany and Norway's 25833; ETRS89
 * and WGS84 differ by under a metre, below any cell).
 */
const UTM = /^EPSG:(326|327|258)(\d\d)$/;
function utmZone(crs: string): { family: "326" | "327" | "258"; zone: number } | null {
  const match = UTM.exec(crs);
  if (!match) return null;
  const zone = Number(match[2]);
  const family = match[1] as "326" | "327" | "258";
  if (zone < 1 || zone > 60 || (family === "258" && (zone < 28 || zone > 38))) return null;
  return { family, zone };
}

/** The CRSs `describe` tries on projected metres it has no --crs for (each a grid some export of the tests uses). */
export const COMMON_CRS: ReadonlyArray<SourceDescription["crs"]> = ["EPSG:4326", "EPSG:3346", "EPSG:3857", "EPSG:32610", "EPSG:32634", "EPSG:32635"];

/** Whether the reader knows `crs`: one of NAMED or a UTM zone. */
export function isSupportedCrs(crs: string): boolean {
  return crs in NAMED || utmZone(crs) !== null;
}

/** What a source description's crs may be, for messages. */
export const SUPPORTED_CRS_TEXT =
  "EPSG:4326, EPSG:3346 (LKS-94), EPSG:3857 (Web Mercator) or a UTM zone: EPSG:326NN (WGS84 north), EPSG:327NN (south), EPSG:258NN (ETRS89, 28–38)";

function definition(crs: string): string {
  const named = NAMED[crs];
  if (named) return named.proj;
  const utm = utmZone(crs);
  if (!utm) throw new RangeError(`unknown CRS ${crs}: ${SUPPORTED_CRS_TEXT}`);
  const datum = utm.family === "258" ? "+ellps=GRS80 +towgs84=0,0,0,0,0,0,0" : "+datum=WGS84";
  return `+proj=utm +zone=${utm.zone}${utm.family === "327" ? " +south" : ""} ${datum} +units=m +no_defs`;
}

/** Converts (x, y) in `crs` to WGS84 [longitude, latitude]; x is the easting or longitude. */
export function toWgs84(crs: SourceDescription["crs"], x: number, y: number): [number, number] {
  if (crs === "EPSG:4326") return [x, y];
  const [lon, lat] = proj4(definition(crs), definition("EPSG:4326"), [x, y]) as [number, number];
  return [lon, lat];
}

/** Converts WGS84 (lon, lat) to `crs` — the inverse of toWgs84, for round-trip tests and exports. */
export function fromWgs84(crs: SourceDescription["crs"], lon: number, lat: number): [number, number] {
  if (crs === "EPSG:4326") return [lon, lat];
  return proj4(definition("EPSG:4326"), definition(crs), [lon, lat]) as [number, number];
}

/**
 * Whether WGS84 (lon, lat) lies where `crs` is meant to be used, so that metres which a grid reads
 * somewhere else on Earth (British National Grid read as LKS94 lands in DR Congo) are not taken for
 * it. LKS94: EPSG's area of use (Lithuania, 19.02–26.82° E, 53.89–56.45° N). A UTM zone: its
 * hemisphere (ETRS89's: Europe, 34–84° N), and within 6° of its central meridian — its own 6° band
 * and 3° beyond, since a place straddling a zone edge is written in one zone (Lithuania, 21–27° E,
 * in 34N). Web Mercator: the world it draws (±85.06°).
 */
export function withinAreaOfUse(crs: SourceDescription["crs"], lon: number, lat: number): boolean {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return false;
  const utm = utmZone(crs);
  if (utm) {
    const band = Math.abs(lon - (-183 + 6 * utm.zone)) <= 6;
    if (utm.family === "327") return band && lat >= -80 && lat <= 0;
    return band && lat >= (utm.family === "258" ? 34 : 0) && lat <= 84;
  }
  if (crs === "EPSG:3346") return lon >= 19.02 && lon <= 26.82 && lat >= 53.89 && lat <= 56.45;
  if (crs === "EPSG:3857") return Math.abs(lat) <= 85.06;
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

/** Where `crs` is meant to be used, as withinAreaOfUse checks it (for messages). */
export function areaOfUse(crs: SourceDescription["crs"]): string {
  const utm = utmZone(crs);
  if (!utm) return NAMED[crs]?.area ?? crs;
  const meridian = -183 + 6 * utm.zone;
  const where = `near ${Math.abs(meridian)}° ${meridian < 0 ? "W" : "E"} (UTM zone ${utm.zone}${utm.family === "327" ? "S" : "N"})`;
  return utm.family === "258" ? `Europe ${where}` : `the ${utm.family === "327" ? "southern" : "northern"} hemisphere ${where}`;
}

export type PlacedPoint =
  | { ok: true; lat: number; lon: number }
  | { ok: false; code: "missing_coordinates" | "invalid_coordinates" | "swapped_coordinates" | "outside_study_area"; reason: string };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads a point from its text fields (with the source's decimal separator) and checks it: both present, decimal numbers, a valid WGS84
 * position after projection, not the (0, 0) placeholder, and inside the source's bounds. A point
 * that would be inside with latitude and longitude exchanged is reported as swapped.
 */
export function placePoint(xRaw: string, yRaw: string, source: Pick<SourceDescription, "crs" | "bounds"> & { decimal?: "." | "," }): PlacedPoint {
  const comma = source.decimal === ",";
  const xText = comma ? xRaw.replace(",", ".") : xRaw;
  const yText = comma ? yRaw.replace(",", ".") : yRaw;
  if (isNoValue(xText) || isNoValue(yText)) {
    return { ok: false, code: "missing_coordinates", reason: `coordinates are missing (x '${xText}', y '${yText}')` };
  }
  if (!NUMBER.test(xText) || !NUMBER.test(yText)) {
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
  return {
    ok: false,
    code: "outside_study_area",
    // Projected rows also show what the file holds, so the row can be found and fixed in the export.
    reason: `${source.crs === "EPSG:4326" ? `lat ${round(lat)}, lon ${round(lon)}` : `(${xText}, ${yText}) in ${source.crs} (lat ${round(lat)}, lon ${round(lon)})`} is outside the source's bounds [${source.bounds.join(", ")}]${hint}`,
  };
}

/** "EPSG:3346 metres (LKS-94)", "EPSG:25832 metres (UTM 32N, ETRS89)". */
export function crsName(crs: SourceDescription["crs"]): string {
  const utm = utmZone(crs);
  if (!utm) return `${crs} ${NAMED[crs]?.name ?? ""}`.trim();
  return `${crs} metres (UTM ${utm.zone}${utm.family === "327" ? "S" : "N"}${utm.family === "258" ? ", ETRS89" : ""})`;
}

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

const inside = ([west, south, east, north]: SourceDescription["bounds"], lat: number, lon: number) =>
  lat >= south && lat <= north && lon >= west && lon <= east;

const round = (v: number) => Math.round(v * 1e5) / 1e5;
