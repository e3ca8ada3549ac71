import { readFile } from "node:fs/promises";
import { polygonToCells } from "h3-js";

/** GeoJSON of the kind read from ../shared/data/geo (municipality polygons with a `name`). */
export interface MunicipalityCollection {
  type: "FeatureCollection";
  features: Array<{
    type: "Feature";
    properties: { name: string } & Record<string, unknown>;
    geometry: { type: "Polygon"; coordinates: number[][][] } | { type: "MultiPolygon"; coordinates: number[][][][] };
  }>;
}

/** Reads the municipality boundaries file, failing with the path when it is absent. */
export async function readMunicipalities(path: string): Promise<MunicipalityCollection> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read the municipality boundaries at ${path} (set SHARED_DIR to the folder holding data/geo): ${(error as Error).message}`);
  }
  return JSON.parse(text) as MunicipalityCollection;
}

/** The features of the named municipalities, in the order asked; an unknown name is an error listing the known ones. */
export function selectMunicipalities(all: MunicipalityCollection, names: readonly string[]): MunicipalityCollection {
  const byName = new Map(all.features.map((f) => [f.properties.name, f]));
  const features = names.map((name) => {
    const feature = byName.get(name);
    if (!feature) throw new Error(`unknown municipality '${name}'; known: ${[...byName.keys()].sort().join(", ")}`);
    return feature;
  });
  return { type: "FeatureCollection", features };
}

/**
 * The study area as H3 cells: every cell whose centre lies inside one of the polygons (H3's polygon
 * fill), sorted. Cells of the study area enter the statistics with their count, zero or not; cells
 * outside it do not enter at all.
 */
export function studyAreaCells(area: MunicipalityCollection, resolution: number): string[] {
  const cells = new Set<string>();
  for (const feature of area.features) {
    const polygons = feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    for (const polygon of polygons) {
      for (const cell of polygonToCells(polygon, resolution, true)) cells.add(cell);
    }
  }
  return [...cells].sort();
}
