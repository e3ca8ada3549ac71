import { readFileSync } from "node:fs";
import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import type { Feature, MultiPolygon, Polygon } from "geojson";
import { parseMunicipalities } from "../../etl/geo/municipalities.ts";
import { CITY, DISTRICT, type Bounds, type Municipality } from "./places.ts";

type MunicipalityFeature = Feature<Polygon | MultiPolygon, { name: string }>;

/** The study area's municipality polygons, with a point-in-polygon test and their extents. */
export interface StudyArea {
  /** True when the point lies inside the municipality's polygon (holes excluded). */
  contains(municipality: Municipality, lat: number, lon: number): boolean;
  /** Bounding box of the municipality's polygon. */
  extent(municipality: Municipality): Bounds;
}

/**
 * Loads the two study-area polygons from the product's boundary file (© OpenStreetMap contributors,
 * ODbL; data/geo/). Turf's test honours polygon holes, which matters here: the district polygon
 * has Šiauliai city cut out of it, so a district point can never land in the city or vice versa.
 */
export function loadStudyArea(boundariesPath: string): StudyArea {
  const collection = parseMunicipalities(readFileSync(boundariesPath, "utf8"), boundariesPath);
  const features = new Map<Municipality, MunicipalityFeature>();
  for (const name of [CITY, DISTRICT] as const) {
    const feature = collection.features.find((f) => f.properties.name === name);
    if (!feature) throw new Error(`${boundariesPath}: no feature with name "${name}"`);
    features.set(name, feature as MunicipalityFeature);
  }
  const extents = new Map([...features].map(([name, feature]) => [name, extentOf(feature)] as const));
  return {
    contains: (municipality, lat, lon) => booleanPointInPolygon([lon, lat], features.get(municipality)!),
    extent: (municipality) => extents.get(municipality)!,
  };
}

function extentOf(feature: MunicipalityFeature): Bounds {
  const bounds = { south: Infinity, north: -Infinity, west: Infinity, east: -Infinity };
  const rings = feature.geometry.type === "Polygon" ? feature.geometry.coordinates : feature.geometry.coordinates.flat();
  for (const ring of rings) {
    for (const [lon, lat] of ring) {
      bounds.south = Math.min(bounds.south, lat!);
      bounds.north = Math.max(bounds.north, lat!);
      bounds.west = Math.min(bounds.west, lon!);
      bounds.east = Math.max(bounds.east, lon!);
    }
  }
  return bounds;
}
