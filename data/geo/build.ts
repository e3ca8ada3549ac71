/**
 * Writes the product's runtime geography from the OpenStreetMap extracts in ../shared/data/geo
 * (SHARED_DIR overrides): run `npm run build-geo` from the project root. Both outputs keep only the
 * fields the product reads and lose no coordinate (see README.md here).
 *
 * - `lt-municipalities.topojson`: the 60 municipality polygons with their `name`, as a TopoJSON
 *   topology quantised finely enough that rounding the decoded coordinates to the source's 6 decimals
 *   gives back every source coordinate exactly (`etl/geo/municipalities.ts` does that rounding).
 * - `lt-places.csv`: the named places as `name,name_en,kind,population,lon,lat`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { FeatureCollection, MultiPolygon, Point, Polygon } from "geojson";
import { topology } from "topojson-server";
import { SOURCE_DECIMALS } from "../../etl/geo/municipalities.ts";
import { PLACE_COLUMNS } from "../../etl/geo/places.ts";

const here = dirname(fileURLToPath(import.meta.url));
const sharedGeo = resolve(process.env.SHARED_DIR ?? resolve(here, "..", "..", "..", "shared"), "data", "geo");

type MunicipalityProperties = { name: string };
const municipalities = JSON.parse(readFileSync(resolve(sharedGeo, "lt-municipalities.geojson"), "utf8")) as FeatureCollection<
  Polygon | MultiPolygon,
  MunicipalityProperties
>;
const named: FeatureCollection<Polygon | MultiPolygon, MunicipalityProperties> = {
  type: "FeatureCollection",
  features: municipalities.features.map((f) => ({ type: "Feature", properties: { name: f.properties.name }, geometry: f.geometry })),
};
// Quantisation steps must stay below half a unit of the source's last decimal on both axes, so that
// rounding the decoded value recovers it: a step of 1e-6 / 4 over Lithuania's extent.
const [x0, y0, x1, y1] = topology({ municipalities: named }).bbox ?? [0, 0, 0, 0];
const steps = Math.ceil(Math.max(x1 - x0, y1 - y0) / (0.25 * 10 ** -SOURCE_DECIMALS));
writeFileSync(resolve(here, "lt-municipalities.topojson"), JSON.stringify(topology({ municipalities: named }, steps)));

type PlaceProperties = { name: string; name_en?: string; kind: string; population?: number };
const places = JSON.parse(readFileSync(resolve(sharedGeo, "lt-places.geojson"), "utf8")) as FeatureCollection<Point, PlaceProperties>;
const csvField = (value: string | number | undefined) => {
  const text = value === undefined ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
const rows = places.features.map(({ properties: p, geometry: g }) =>
  [p.name, p.name_en, p.kind, p.population, g.coordinates[0], g.coordinates[1]].map(csvField).join(","),
);
writeFileSync(resolve(here, "lt-places.csv"), [PLACE_COLUMNS.join(","), ...rows].join("\n") + "\n");
console.log(`wrote data/geo: ${named.features.length} municipalities (quantisation ${steps}), ${rows.length} places`);
