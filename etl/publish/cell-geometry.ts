import type { DuckDBConnection } from "@duckdb/node-api";
import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import { cellsToMultiPolygon, cellToBoundary, cellToLatLng, getResolution } from "h3-js";
import type { DashboardMeta, HexagonCollection, MunicipalityCollection } from "../../dashboard/data-contract.ts";
import type { MunicipalityCollection as Boundaries } from "../geo/municipalities.ts";
import { describeLocations, type PlaceIndex } from "../geo/place-names.ts";
import { distinctCellNames, type CellPlaceName } from "./cell-place-names.ts";
import { z } from "zod";
import { tableFiles, tableSource } from "../lake/table-reader.ts";
import { TABLES } from "../lake/tables.ts";
import { queryRows, round } from "./lake-query.ts";

/**
 * The outline of each H3 cell a map draws (vertices to 6 decimals, about 0.1 m), with the
 * municipality its centre lies in, so a page can zoom to a municipality and name it in tables, and
 * where it is in words in both languages ("Gytariai, Šiauliai"; "Kuršėnai, 2 km Š" / "2 km N of
 * Kuršėnai"), null where `places` is null or names nothing near (`places`: an index to describe each
 * cell from, or each cell's names made beforehand: publish's, which fall back to the export's own
 * localities, see locality-names.ts), told apart where cells share a name (distinctCellNames), so
 * the pages show them as they are. Outlines are H3's own geometry: a
 * published vertex is a grid corner, never an incident position, and a cell is described by its centre.
 */
export function hexagonOutlines(
  cells: Iterable<string>,
  municipalities: Boundaries,
  places: PlaceIndex | ReadonlyMap<string, CellPlaceName & { locality?: string | null }> | null = null,
): HexagonCollection {
  const sorted = [...new Set(cells)].sort();
  // Names made beforehand (publish's, see cachedCellPlaceNames), or described here.
  const nameOf = (cell: string): CellPlaceName & { locality?: string | null } => {
    if (places === null) return { lt: null, en: null };
    if (places instanceof Map) return places.get(cell) ?? { lt: null, en: null };
    const [lat, lon] = cellToLatLng(cell);
    return describeLocations(places as PlaceIndex, lat, lon);
  };
  const names = distinctCellNames(new Map(sorted.map((cell) => [cell, nameOf(cell)])));
  return {
    type: "FeatureCollection",
    features: sorted.map((cell) => {
      const ring = cellToBoundary(cell, true).map(([lon, lat]) => [round(lon!, 6), round(lat!, 6)] as [number, number]);
      const { lt, en, locality } = names.get(cell)!;
      return {
        type: "Feature",
        properties: {
          cell,
          municipality: municipalityOf(cell, municipalities),
          place_lt: lt,
          place_en: en,
          // Only where a locality names the cell: the maps of a city without a places file label each locality once.
          ...(locality ? { locality } : {}),
        },
        geometry: { type: "Polygon", coordinates: [ring] },
      };
    }),
  };
}

function municipalityOf(cell: string, municipalities: Boundaries): string | null {
  const [lat, lon] = cellToLatLng(cell);
  const point = { type: "Point" as const, coordinates: [lon, lat] };
  const hit = municipalities.features.find((f) => booleanPointInPolygon(point, f.geometry));
  return hit ? hit.properties.name : null;
}

/** The municipality outlines drawn under the hexagons, with only their name kept. */
export function municipalityOutlines(boundaries: Boundaries): MunicipalityCollection {
  return {
    type: "FeatureCollection",
    features: boundaries.features.map((f) => ({
      type: "Feature",
      properties: { name: f.properties.name },
      geometry: f.geometry as MunicipalityCollection["features"][number]["geometry"],
    })),
  };
}

/**
 * The outline of a hull study area: the union of its cells (one resolution), vertices to 6 decimals
 * as the cells' (grid corners, never an incident position); null where there are no cells. A map of
 * another city has no municipality outlines: without this its hot spots float on a blank page.
 */
export function studyAreaOutline(cells: Iterable<string>): DashboardMeta["study_area_outline"] {
  const unique = [...new Set(cells)];
  const polygons = cellsToMultiPolygon(unique, true);
  if (polygons.length === 0) return null;
  return {
    type: "Feature",
    properties: { resolution: getResolution(unique[0]!) },
    geometry: {
      type: "MultiPolygon",
      coordinates: polygons.map((polygon) => polygon.map((ring) => ring.map(([lon, lat]) => [round(lon!, 6), round(lat!, 6)] as [number, number]))),
    },
  };
}

/**
 * The outline of the study area the lake's hot spots were computed over (`studyAreaOutline` of every
 * cell of the last month's partition, which holds a row per study-area cell, zeros included): the
 * dashboard's `meta.study_area_outline` and the briefing's map outline for a hull study area.
 */
export async function hullStudyAreaOutline(connection: DuckDBConnection, lakeDir: string): Promise<DashboardMeta["study_area_outline"]> {
  if ((await tableFiles(lakeDir, TABLES.hot_spots)).length === 0) return null;
  const source = await tableSource(lakeDir, TABLES.hot_spots);
  const rows = await queryRows(connection, `SELECT DISTINCT h3_cell FROM ${source} WHERE month = (SELECT max(month) FROM ${source})`, { h3_cell: z.string() });
  return studyAreaOutline(rows.map((r) => r.h3_cell));
}
