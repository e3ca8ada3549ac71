// Winding order for d3-geo (and so Plot): d3 reads a polygon ring as spherical, enclosing the area
// to its right, so an exterior ring must run clockwise and a hole counter-clockwise. GeoJSON
// (RFC 7946) asks for the opposite and H3 outlines run counter-clockwise: drawn as they are, such a
// polygon covers the whole globe except the shape. These helpers rewind rings as d3 expects. The
// orientation is read from the planar signed area in longitude/latitude, which is reliable for
// shapes as small as municipalities and hexagons far from the antimeridian and the poles.
import type { DashboardMeta, FeatureCollection, HexagonCollection, MapPlace, MunicipalityCollection, PolygonFeature, Ring } from "../../data-contract.js";

/** A Polygon or MultiPolygon geometry, as the published outlines hold them. */
export type Geometry = PolygonFeature<unknown>["geometry"];

/** A cell's outline, wound for d3, with the municipality its centre lies in, its place per language and the locality that names it (if one does). */
export interface Hexagon {
  geometry: Geometry;
  municipality: string | null;
  place: { lt: string | null; en: string | null };
  locality: string | null;
}

/** Twice the signed planar area of a closed ring of [lon, lat]; negative when clockwise. */
export function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, n = ring.length - 1; i < n; ++i) {
    const [x0, y0] = ring[i]!;
    const [x1, y1] = ring[i + 1]!;
    sum += x0 * y1 - x1 * y0;
  }
  return sum;
}

function rewindPolygon(rings: Ring[]): Ring[] {
  return rings.map((ring, i) => {
    const clockwise = signedArea(ring) < 0;
    return clockwise === (i === 0) ? ring : ring.slice().reverse();
  });
}

/** A copy of a Polygon or MultiPolygon geometry wound for d3; other geometries (not published, but read from JSON) are returned as is. */
export function rewindGeometry<G extends Geometry>(geometry: G): G {
  const g: Geometry = geometry;
  if (g.type === "Polygon") return { ...geometry, coordinates: rewindPolygon(g.coordinates) };
  if (g.type === "MultiPolygon") return { ...geometry, coordinates: g.coordinates.map(rewindPolygon) };
  return geometry;
}

/** A copy of a Feature wound for d3. */
export function rewindFeature<P>(feature: PolygonFeature<P>): PolygonFeature<P> {
  return { ...feature, geometry: rewindGeometry(feature.geometry) };
}

/** A copy of a FeatureCollection wound for d3. */
export function rewindCollection<P>(collection: FeatureCollection<P>): FeatureCollection<P> {
  return { ...collection, features: collection.features.map(rewindFeature) };
}

/**
 * The outlines a map draws under its cells, wound for d3: the study area's municipalities, or, for a
 * hull study area (no municipalities), its outline from meta.json, unnamed (a city's export names no
 * municipality), so that the analyst sees where in the city a cell lies. None where neither is published.
 */
export function mapOutlines(municipalities: MunicipalityCollection, meta: Pick<DashboardMeta, "study_area_outline">): MunicipalityCollection {
  if (municipalities.features.length > 0 || !meta.study_area_outline) return rewindCollection(municipalities);
  return { type: "FeatureCollection", features: [rewindFeature({ ...meta.study_area_outline, properties: { name: "" } })] };
}

/**
 * hexagons.json as a Map from cell id to `{geometry, municipality, place}`, every geometry wound for
 * d3 once, so a page can draw any subset of cells without rewinding again; `place` holds the cell's
 * description per language (`{lt, en}`, null where no named place is near), told apart from every
 * other cell's by the publish step.
 */
export function hexagonIndex(hexagons: HexagonCollection): Map<string, Hexagon> {
  return new Map(
    hexagons.features.map((f) => [
      f.properties.cell,
      {
        geometry: rewindGeometry(f.geometry),
        municipality: f.properties.municipality ?? null,
        place: { lt: f.properties.place_lt ?? null, en: f.properties.place_en ?? null },
        locality: f.properties.locality ?? null,
      },
    ]),
  );
}

/**
 * Where a cell is, in words of `lang` ("Gytariai, Šiauliai"); where no place is named near it (a city
 * without a places file), its centre's coordinates, as the patrol briefing names such an area; its
 * id only where the cell has no outline.
 */
export function placeOf(index: ReadonlyMap<string, Hexagon>, cell: string, lang: string): string {
  const hexagon = index.get(cell);
  const place = lang === "lt" || lang === "en" ? hexagon?.place[lang] : null;
  if (place) return place;
  const centre = hexagon ? outlineCentre(hexagon.geometry) : null;
  return centre ? coordinatesText(...centre) : cell;
}

/**
 * Map labels for a city without a places file (places.json empty): each locality that names cells
 * (the export's own, hexagons.json's `locality`: the cells' names are told apart, it is not), once, on the named cell nearest the
 * mean of its cells' centres, so the label sits on a cell it names. A cell named by two localities
 * ("West End / Central Business District") adds no label: it lies between two that have one. Labelled
 * as a town (at any but a region's scale), the larger (more cells) first; nothing new is published: the cells carry the names.
 */
export function localityLabels(index: ReadonlyMap<string, Hexagon>): MapPlace[] {
  const byName = new Map<string, Array<[number, number]>>();
  for (const { locality, geometry } of index.values()) {
    const centre = outlineCentre(geometry);
    if (!locality || locality.includes(" / ") || !centre) continue;
    byName.set(locality, [...(byName.get(locality) ?? []), centre]);
  }
  return [...byName].map(([name, centres]) => {
    const mean = centres.reduce(([a, b], [lat, lon]) => [a + lat / centres.length, b + lon / centres.length], [0, 0]);
    const distance = ([lat, lon]: [number, number]) => (lat - mean[0]) ** 2 + ((lon - mean[1]) * Math.cos((mean[0] * Math.PI) / 180)) ** 2;
    const [lat, lon] = centres.reduce((best, c) => (distance(c) < distance(best) ? c : best));
    return { name, name_en: null, kind: "town", population: centres.length, position: [lon, lat] };
  });
}

/** A point as text where no place names it: latitude, longitude to 4 decimals (about 10 m), the same in every language. */
export function coordinatesText(lat: number, lon: number): string {
  return `${lat.toFixed(4)}, ${lon.toFixed(4)}`;
}

/**
 * The mean of an outline's vertices as [lat, lon]: for a published H3 cell (vertices to 6 decimals)
 * within 1e-6 degrees of H3's centre. Null for an empty outline.
 */
function outlineCentre(geometry: Geometry): [number, number] | null {
  const ring = geometry.type === "Polygon" ? geometry.coordinates[0] : geometry.coordinates[0]?.[0];
  // The ring is closed: its last vertex repeats the first.
  const vertices = ring?.slice(0, -1) ?? [];
  if (vertices.length === 0) return null;
  const mean = (i: 0 | 1) => vertices.reduce((s, v) => s + v[i], 0) / vertices.length;
  return [mean(1), mean(0)];
}

/**
 * GeoJSON features of `rows` (objects with a `cell`) whose outline is in `index`; each feature's
 * properties are the row itself. Rows without an outline are left out.
 */
export function cellFeatures<R extends { cell: string }>(rows: readonly R[], index: ReadonlyMap<string, { geometry: Geometry }>): Array<PolygonFeature<R>> {
  const features: Array<PolygonFeature<R>> = [];
  for (const row of rows) {
    const hex = index.get(row.cell);
    if (hex) features.push({ type: "Feature", properties: row, geometry: hex.geometry });
  }
  return features;
}

/**
 * A cell's accessible name: its figures as "name: value" pairs, as the tooltip shows them, with the cell's
 * id once (a screen reader read "881f… Kompelis 881f… Karštasis taškas 99 % 20": values without names).
 */
export function cellAriaLabel<R>(cell: string, row: R, channels: Record<string, (row: R) => unknown>, cellName: string): string {
  const pairs = Object.entries(channels).flatMap(([name, f]) => {
    const value = f(row);
    return value === null || value === undefined || value === "" ? [] : [{ name, value: String(value) }];
  });
  const named = pairs.some((p) => p.value === cell) ? pairs : [{ name: cellName, value: cell }, ...pairs];
  return named.map((p) => `${p.name}: ${p.value}`).join("; ");
}
