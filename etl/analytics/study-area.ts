import { polygonToCells } from "h3-js";

import type { MunicipalityCollection } from "../geo/municipalities.ts";

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
