import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { getResolution, isValidCell } from "h3-js";
import type { MunicipalityCollection } from "../../geo/municipalities.ts";

/** A GeoJSON polygon or multipolygon geometry in WGS84 longitude/latitude. */
export type PolygonGeometry = { type: "Polygon"; coordinates: number[][][] } | { type: "MultiPolygon"; coordinates: number[][][][] };

/**
 * An evaluation, control or buffer area. A municipality or locality is matched on the incident's own
 * `municipality` / `locality` column; a polygon by point-in-polygon on its coordinates; a cell set on
 * its H3 cell at the lake's resolution.
 */
export type EvaluationArea =
  | { kind: "municipality"; name: string; label: string }
  | { kind: "locality"; name: string; label: string }
  | { kind: "polygon"; name: string; label: string; polygons: PolygonGeometry[]; bbox: [number, number, number, number] }
  | { kind: "cells"; name: string; label: string; cells: string[] };

/** What an area name is resolved against. */
export interface AreaContext {
  municipalities: MunicipalityCollection;
  /** Localities present in the lake. */
  localities: readonly string[];
  /** H3 resolution of the lake. */
  resolution: number;
}

const PREFIXES = ["municipality", "locality", "geojson", "h3"] as const;

/**
 * Resolves an area given on the command line. A prefix says the kind — `municipality:Šiaulių r. sav.`,
 * `locality:Kuršėnai`, `geojson:area.geojson`, `h3:88…,88…` or `h3:@cells.txt` — and without one the
 * text is tried as a municipality, a locality in the lake, a GeoJSON file, then a comma-separated
 * list of H3 cells. Anything else is an error that lists the known names.
 */
export function resolveArea(spec: string, context: AreaContext): EvaluationArea {
  const match = /^([a-z0-9]+):(.+)$/.exec(spec.trim());
  const prefix = match && (PREFIXES as readonly string[]).includes(match[1]!) ? match[1]! : null;
  const value = prefix ? match![2]!.trim() : spec.trim();
  const municipalityNames = context.municipalities.features.map((f) => f.properties.name);

  if (prefix === "municipality" || (!prefix && municipalityNames.includes(value))) {
    if (!municipalityNames.includes(value)) throw new Error(`unknown municipality '${value}'; known: ${[...municipalityNames].sort().join(", ")}`);
    return { kind: "municipality", name: value, label: value };
  }
  if (prefix === "locality" || (!prefix && context.localities.includes(value))) {
    if (!context.localities.includes(value)) throw new Error(`the lake has no locality '${value}'; known: ${[...context.localities].sort().join(", ")}`);
    return { kind: "locality", name: value, label: value };
  }
  if (prefix === "geojson" || (!prefix && /\.(geo)?json$/i.test(value) && existsSync(value))) return polygonArea(value);
  if (prefix === "h3" || (!prefix && value.split(",").every((c) => isValidCell(c.trim())))) return cellArea(value, context.resolution);
  throw new Error(
    `unknown area '${spec}': not a municipality, not a locality in the lake (${[...context.localities].sort().join(", ")}), ` +
      "not a GeoJSON file and not a list of H3 cells (prefixes: municipality:, locality:, geojson:, h3:)",
  );
}

function polygonArea(path: string): EvaluationArea {
  let doc: { type?: string; features?: Array<{ geometry?: unknown }>; geometry?: unknown };
  try {
    doc = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`cannot read the area GeoJSON ${path}: ${(error as Error).message}`, { cause: error });
  }
  const geometries = doc.type === "FeatureCollection" ? (doc.features ?? []).map((f) => f.geometry) : doc.type === "Feature" ? [doc.geometry] : [doc];
  const polygons = geometries.filter((g): g is PolygonGeometry => {
    const type = (g as { type?: string } | null)?.type;
    return type === "Polygon" || type === "MultiPolygon";
  });
  if (polygons.length === 0) throw new Error(`${path} holds no Polygon or MultiPolygon`);
  let [west, south, east, north] = [180, 90, -180, -90];
  for (const geometry of polygons) {
    const rings = geometry.type === "Polygon" ? geometry.coordinates : geometry.coordinates.flat();
    for (const [lon, lat] of rings.flat() as [number, number][]) {
      if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) throw new Error(`${path}: coordinate [${lon}, ${lat}] is not WGS84 longitude/latitude`);
      [west, south, east, north] = [Math.min(west, lon), Math.min(south, lat), Math.max(east, lon), Math.max(north, lat)];
    }
  }
  return { kind: "polygon", name: basename(path), label: `polygon ${basename(path)}`, polygons, bbox: [west, south, east, north] };
}

function cellArea(value: string, resolution: number): EvaluationArea {
  const listText = value.startsWith("@") ? readFileSync(value.slice(1), "utf8") : value;
  const cells = [
    ...new Set(
      listText
        .split(/[\s,]+/)
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  ].sort();
  if (cells.length === 0) throw new Error("the H3 cell list is empty");
  for (const cell of cells) {
    if (!isValidCell(cell)) throw new Error(`'${cell}' is not an H3 cell`);
    if (getResolution(cell) !== resolution) throw new Error(`H3 cell ${cell} has resolution ${getResolution(cell)}; the lake indexes resolution ${resolution}`);
  }
  const name = value.startsWith("@") ? basename(value.slice(1)) : cells.length === 1 ? cells[0]! : `${cells.length} H3 cells`;
  return { kind: "cells", name, label: cells.length > 1 && !value.startsWith("@") ? name : `H3 ${name}`, cells };
}
