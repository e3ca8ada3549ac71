import { polygonToCells } from "h3-js";

import type { MunicipalityCollection } from "../geo/municipalities.ts";

/** The features of the named municipalities, in the order asked; an unknown name is an error listing the known ones. */
export function selectMunicipalities(all: MunicipalityCollection, names: readonly string[]): MunicipalityCollection {
  const named = all.features.filter((f) => typeof f.properties?.name === "string");
  if (named.length === 0) {
    const keys = [...new Set(all.features.flatMap((f) => Object.keys(f.properties ?? {})))].slice(0, 8);
    throw new Error(
      `the boundary file's polygons have no "name" property (they have ${keys.join(", ") || "no properties"}): add a name to each polygon, or use study_area: { hull: 1 } in the configuration (--hull on the analytics commands)`,
    );
  }
  const byName = new Map(named.map((f) => [f.properties.name, f]));
  const features = names.map((name) => {
    const feature = byName.get(name);
    if (!feature)
      throw new Error(
        `unknown municipality '${name}'; write one of the boundary file's names in study_area.municipalities (or --municipality): ${[...byName.keys()].sort().join(", ")}`,
      );
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
