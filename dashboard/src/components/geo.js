// Winding order for d3-geo (and so Plot): d3 reads a polygon ring as spherical, enclosing the area
// to its right, so an exterior ring must run clockwise and a hole counter-clockwise. GeoJSON
// (RFC 7946) asks for the opposite and H3 outlines run counter-clockwise: drawn as they are, such a
// polygon covers the whole globe except the shape. These helpers rewind rings as d3 expects. The
// orientation is read from the planar signed area in longitude/latitude, which is reliable for
// shapes as small as municipalities and hexagons far from the antimeridian and the poles.

/** Twice the signed planar area of a closed ring of [lon, lat]; negative when clockwise. */
export function signedArea(ring) {
  let sum = 0;
  for (let i = 0, n = ring.length - 1; i < n; ++i) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[i + 1];
    sum += x0 * y1 - x1 * y0;
  }
  return sum;
}

function rewindPolygon(rings) {
  return rings.map((ring, i) => {
    const clockwise = signedArea(ring) < 0;
    return clockwise === (i === 0) ? ring : ring.slice().reverse();
  });
}

/** A copy of a Polygon or MultiPolygon geometry wound for d3; other geometries are returned as is. */
export function rewindGeometry(geometry) {
  if (geometry.type === "Polygon") return {...geometry, coordinates: rewindPolygon(geometry.coordinates)};
  if (geometry.type === "MultiPolygon") return {...geometry, coordinates: geometry.coordinates.map(rewindPolygon)};
  return geometry;
}

/** A copy of a Feature wound for d3. */
export function rewindFeature(feature) {
  return {...feature, geometry: rewindGeometry(feature.geometry)};
}

/** A copy of a FeatureCollection wound for d3. */
export function rewindCollection(collection) {
  return {...collection, features: collection.features.map(rewindFeature)};
}

/**
 * hexagons.json as a Map from cell id to `{geometry, municipality, place}`, every geometry wound for
 * d3 once, so a page can draw any subset of cells without rewinding again; `place` holds the cell's
 * description per language (`{lt, en}`, null where no named place is near).
 */
export function hexagonIndex(hexagons) {
  return new Map(
    hexagons.features.map((f) => [
      f.properties.cell,
      {
        geometry: rewindGeometry(f.geometry),
        municipality: f.properties.municipality ?? null,
        place: {lt: f.properties.place_lt ?? null, en: f.properties.place_en ?? null}
      }
    ])
  );
}

/** Where a cell is, in words of `lang` ("Gytariai, Šiauliai"); its id where no place is named near it. */
export function placeOf(index, cell, lang) {
  return index.get(cell)?.place?.[lang] ?? cell;
}

/**
 * GeoJSON features of `rows` (objects with a `cell`) whose outline is in `index`; each feature's
 * properties are the row itself. Rows without an outline are left out.
 */
export function cellFeatures(rows, index) {
  const features = [];
  for (const row of rows) {
    const hex = index.get(row.cell);
    if (hex) features.push({type: "Feature", properties: row, geometry: hex.geometry});
  }
  return features;
}
