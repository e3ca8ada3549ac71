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

/** The most cells a study area may hold (as for the hull: hullStudyArea), so a resolution far too fine is refused, not filled for hours. */
export const MAX_STUDY_AREA_CELLS = 1_000_000;

/**
 * The study area as H3 cells: every cell whose centre lies inside one of the polygons (H3's polygon
 * fill), sorted. Cells of the study area enter the statistics with their count, zero or not; cells
 * outside it do not enter at all. Before filling, the size is estimated from a coarser fill (each
 * finer resolution has about 7 times the cells); an area of more than `maxCells` cells is refused
 * with the finest resolution that fits — a lake analysed at any resolution makes a mistyped
 * `--resolution 14` otherwise fill hundreds of millions of cells.
 */
export function studyAreaCells(area: MunicipalityCollection, resolution: number, maxCells = MAX_STUDY_AREA_CELLS): string[] {
  const polygons = area.features.flatMap((feature) => (feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates));
  const estimate = fillSizeEstimate(polygons, resolution, true);
  if (estimate !== null && estimate > 2 * maxCells) throw tooMany(area, resolution, estimate, maxCells);
  const cells = new Set<string>();
  for (const polygon of polygons) {
    for (const cell of polygonToCells(polygon, resolution, true)) cells.add(cell);
  }
  if (cells.size > maxCells) throw tooMany(area, resolution, cells.size, maxCells);
  return [...cells].sort();
}

/**
 * About how many cells an H3 polygon fill of `polygons` at `resolution` holds, from the fill of the
 * coarsest resolution with at least 30 cells (each finer step has about 7 times as many), or null
 * when no resolution two or more steps coarser has that many (a small area: fill it and count).
 * Cheap where the fill itself would take hours; `isGeoJson` as polygonToCells takes it.
 */
export function fillSizeEstimate(polygons: ReadonlyArray<number[][][]>, resolution: number, isGeoJson: boolean): number | null {
  for (let coarse = Math.min(resolution, 5); coarse < resolution - 1; coarse++) {
    const count = polygons.reduce((n, polygon) => n + polygonToCells(polygon, coarse, isGeoJson).length, 0);
    if (count >= 30) return count * 7 ** (resolution - coarse);
  }
  return null;
}

function tooMany(area: MunicipalityCollection, resolution: number, cells: number, maxCells: number): Error {
  const fits = Math.max(0, resolution - Math.ceil(Math.log(cells / maxCells) / Math.log(7)));
  const names = area.features.map((f) => f.properties?.name).join(" + ");
  return new Error(
    `the study area (${names}) holds about ${Math.round(cells).toLocaleString("en")} H3 cells at resolution ${resolution}, more than the ${maxCells.toLocaleString("en")} an analysis takes: ` +
      `use --resolution ${fits} or coarser (h3_resolution in the configuration), or a smaller study area`,
  );
}
