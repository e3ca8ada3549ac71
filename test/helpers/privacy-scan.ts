/**
 * Scans a built static site for incident-level data. A published dashboard must hold aggregates only:
 *
 * - every text file (pages, scripts, data): no incident id and no incident coordinate pair (either
 *   order, at the lake's 6 decimals);
 * - every data file (`.json`, `.csv`): no date or time of day finer than a month (the one exception is
 *   `generated_at` of meta.json, the publish time), no number that reads as a Unix timestamp, and no
 *   raw coordinate: a [lon, lat] pair inside the incidents' bounding box may only be a vertex of the H3
 *   cell its feature names (or of the grid a study-area outline names), of a municipality outline or the position of a named place of the places
 *   file (public reference points the maps label, places.json), and no field is named lat/lon/latitude/
 *   longitude/x/y;
 * - when given, the rules of aggregation: every `count` (and data-quality warning) is null, 0 or at least the threshold, and no
 *   object with a `cell` belongs to a sensitive category (those are published per municipality only).
 */
import { readFile, readdir } from "node:fs/promises";
import { extname, join, relative } from "node:path";
import { cellToBoundary, isValidCell, latLngToCell } from "h3-js";
import { DEFAULTS } from "../../etl/config.ts";
import { readPlaces } from "../../etl/geo/places.ts";

/** What the scan looks for: ids and coordinate pairs of every incident in the lake, and the rules. */
export interface IncidentFingerprints {
  ids: readonly string[];
  /** `lat,lon` strings at the lake's precision (6 decimals). */
  points: ReadonlySet<string>;
  /** Box around the incidents, [west, south, east, north]; pairs inside it are coordinates. */
  bounds?: readonly [number, number, number, number];
  /** `lon,lat` (6 decimals) of every vertex of the municipality outlines that may be published. */
  outlineVertices?: ReadonlySet<string>;
  /** `lon,lat` (6 decimals) of the named places that may be published (default: those of the bundled places file). */
  placePositions?: ReadonlySet<string>;
  /** Counts below this must be published as null. */
  threshold?: number;
  /** Categories that must never appear next to a cell. */
  sensitiveCategories?: ReadonlySet<string>;
}

const TEXT_FILES = new Set([".html", ".js", ".json", ".css", ".csv", ".txt", ".svg", ".md"]);
const DATA_FILES = new Set([".json", ".csv"]);
// A calendar day (ISO, dotted or slashed, either order) or a time of day inside a string.
const FINER_THAN_MONTH = [/\d{4}[-/.]\d{1,2}[-/.]\d{1,2}/, /\b\d{1,2}[./]\d{1,2}[./]\d{4}\b/, /\b\d{1,2}:\d{2}(:\d{2})?\b/];
const NUMBER_PAIR = /(-?\d{1,3}\.\d{3,})\s*,\s*(-?\d{1,3}\.\d{3,})/g;
const COORDINATE_KEYS = new Set(["lat", "lon", "lng", "latitude", "longitude", "x", "y"]);

/** Every finding, as "file: what"; empty when the site is clean. */
export async function scanSiteForIncidentData(siteDir: string, given: IncidentFingerprints): Promise<string[]> {
  const fingerprints = { ...given, placePositions: given.placePositions ?? (await placePositionKeys(DEFAULTS.placesCsv)) };
  const findings: string[] = [];
  const idPattern = fingerprints.ids.length > 0 ? new RegExp(fingerprints.ids.map(escape).join("|")) : null;
  for (const entry of await readdir(siteDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !TEXT_FILES.has(extname(entry.name))) continue;
    const path = join(entry.parentPath, entry.name);
    const name = relative(siteDir, path);
    const text = await readFile(path, "utf8");
    const id = idPattern ? text.match(idPattern) : null;
    if (id) findings.push(`${name}: incident id ${id[0]}`);
    for (const [, a, b] of text.matchAll(NUMBER_PAIR)) {
      const pair = [normalise(a!), normalise(b!)];
      if (fingerprints.points.has(pair.join(",")) || fingerprints.points.has([...pair].reverse().join(","))) {
        findings.push(`${name}: incident coordinates ${a}, ${b}`);
      }
    }
    if (!DATA_FILES.has(extname(name))) continue;
    if (extname(name) === ".json") findings.push(...scanJson(name, JSON.parse(text), fingerprints));
    else for (const line of text.split(/\r?\n/)) findings.push(...finerThanMonth(name, line, "line"));
  }
  return findings;
}

/** The data-file rules over one parsed JSON value. */
export function scanJson(file: string, value: unknown, rules: IncidentFingerprints): string[] {
  const findings: string[] = [];
  const isMeta = /(^|\/)meta(\.[0-9a-f]+)?\.json$/.test(file);
  const walk = (v: unknown, path: string, category: string | null, key: string | null): void => {
    if (typeof v === "string") {
      if (!(isMeta && path === "$.generated_at")) findings.push(...finerThanMonth(file, v, path));
      return;
    }
    if (typeof v === "number") {
      if (looksLikeTimestamp(v) && key !== "rows_read" && key !== "rows_ingested") findings.push(`${file}: ${path} = ${v} reads as a Unix timestamp`);
      if (key && COORDINATE_KEYS.has(key) && inBounds(v, rules)) findings.push(`${file}: ${path} = ${v} is a raw coordinate`);
      return;
    }
    if (Array.isArray(v)) {
      if (
        v.length === 2 &&
        typeof v[0] === "number" &&
        typeof v[1] === "number" &&
        isPosition(v as [number, number], rules) &&
        !isPlace(v as [number, number], rules)
      ) {
        findings.push(`${file}: ${path} = [${v.join(", ")}] is a raw coordinate`);
        return;
      }
      v.forEach((item, i) => walk(item, `${path}[${i}]`, category, key));
      return;
    }
    if (!v || typeof v !== "object") return;
    const object = v as Record<string, unknown>;
    if (object.type === "Feature" && object.geometry) {
      findings.push(...checkFeature(file, path, object, rules));
      return;
    }
    const own = typeof object.category === "string" ? object.category : category;
    if ("cell" in object && own !== null && rules.sensitiveCategories?.has(own)) findings.push(`${file}: ${path} gives category ${own} per cell`);
    if ("count" in object && rules.threshold !== undefined) {
      const counts = Array.isArray(object.count) ? object.count : [object.count];
      const small = counts.find((n) => typeof n === "number" && n > 0 && n < rules.threshold!);
      if (small !== undefined) findings.push(`${file}: ${path}.count holds ${small}, below the threshold ${rules.threshold}`);
    }
    // data-quality.json's warnings count kept incidents that share a trait (ambiguous_local_time: the hour the clocks go back).
    if (key === "warnings" && rules.threshold !== undefined) {
      for (const [code, n] of Object.entries(object)) {
        if (typeof n === "number" && n > 0 && n < rules.threshold) findings.push(`${file}: ${path}.${code} holds ${n}, below the threshold ${rules.threshold}`);
      }
    }
    for (const [k, item] of Object.entries(object)) walk(item, `${path}.${k}`, own, k);
  };
  walk(value, "$", null, null);
  return findings;
}

/**
 * A feature's vertices must be its H3 cell's corners (properties.cell), corners of the H3 grid of
 * properties.resolution (a hull study area's outline), or outline vertices (properties.name).
 */
function checkFeature(file: string, path: string, feature: Record<string, unknown>, rules: IncidentFingerprints): string[] {
  const properties = (feature.properties ?? {}) as Record<string, unknown>;
  const geometry = feature.geometry as { coordinates: unknown };
  const vertices = positions(geometry.coordinates);
  const cell = typeof properties.cell === "string" ? properties.cell : null;
  if (cell !== null) {
    if (!isValidCell(cell)) return [`${file}: ${path} names an invalid H3 cell ${cell}`];
    const corners = cellToBoundary(cell, true) as Array<[number, number]>;
    const stray = vertices.find(([lon, lat]) => !corners.some(([x, y]) => Math.abs(x - lon) <= 2e-6 && Math.abs(y - lat) <= 2e-6));
    return stray ? [`${file}: ${path} (cell ${cell}) has vertex ${stray.join(", ")} that is not a corner of its cell`] : [];
  }
  // A hull study area's outline (meta.json): corners of the H3 grid of its resolution, as a cell's are.
  const resolution = typeof properties.resolution === "number" ? properties.resolution : null;
  if (resolution !== null) {
    const stray = vertices.find(([lon, lat]) => {
      const corners = cellToBoundary(latLngToCell(lat, lon, resolution), true) as Array<[number, number]>;
      return !corners.some(([x, y]) => Math.abs(x - lon) <= 2e-6 && Math.abs(y - lat) <= 2e-6);
    });
    return stray ? [`${file}: ${path} has vertex ${stray.join(", ")} that is not a corner of the resolution ${resolution} grid`] : [];
  }
  if (rules.outlineVertices) {
    const stray = vertices.find(([lon, lat]) => !rules.outlineVertices!.has(key(lon, lat)));
    return stray ? [`${file}: ${path} has vertex ${stray.join(", ")} that is not on a municipality outline`] : [];
  }
  return [];
}

function positions(coordinates: unknown): Array<[number, number]> {
  if (Array.isArray(coordinates) && typeof coordinates[0] === "number") return [coordinates as [number, number]];
  return Array.isArray(coordinates) ? coordinates.flatMap(positions) : [];
}

function finerThanMonth(file: string, value: string, path: string): string[] {
  return FINER_THAN_MONTH.some((re) => re.test(value)) ? [`${file}: ${path} = ${value.slice(0, 80)} is finer than a month`] : [];
}

/** Milliseconds or seconds since 1970 between 2000 and 2040. */
function looksLikeTimestamp(v: number): boolean {
  return (v >= 946_684_800_000 && v <= 2_208_988_800_000) || (v >= 946_684_800 && v <= 2_208_988_800);
}

function inBounds(v: number, rules: IncidentFingerprints): boolean {
  if (!rules.bounds) return false;
  const [west, south, east, north] = rules.bounds;
  return (v >= west && v <= east) || (v >= south && v <= north);
}

/** A [lon, lat] or [lat, lon] pair inside the bounds. */
function isPosition([a, b]: [number, number], rules: IncidentFingerprints): boolean {
  if (!rules.bounds) return false;
  const [west, south, east, north] = rules.bounds;
  const inside = (lon: number, lat: number) => lon >= west && lon <= east && lat >= south && lat <= north;
  return inside(a, b) || inside(b, a);
}

/** A [lon, lat] pair that is the position of a named place of the places file. */
function isPlace([lon, lat]: [number, number], rules: IncidentFingerprints): boolean {
  return rules.placePositions?.has(key(lon, lat)) ?? false;
}

/** The `lon,lat` keys of every place of a places file (for `placePositions`). */
export async function placePositionKeys(placesCsv: string): Promise<Set<string>> {
  return new Set((await readPlaces(placesCsv)).map((p) => key(p.lon, p.lat)));
}

const key = (lon: number, lat: number) => `${lon.toFixed(6)},${lat.toFixed(6)}`;
const normalise = (n: string) => Number(n).toFixed(6);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The `lon,lat` keys of every vertex of a GeoJSON FeatureCollection (for `outlineVertices`). */
export function outlineVertexKeys(collection: { features: Array<{ geometry: { coordinates: unknown } }> }): Set<string> {
  return new Set(collection.features.flatMap((f) => positions(f.geometry.coordinates)).map(([lon, lat]) => key(lon, lat)));
}
