/**
 * A city without a places file (every real data set of ../shared/data/real under the bundled
 * configuration): the dashboard's "Place" of a cell — table column, tooltip, pinned card — was its
 * id again, beside the "Cell" column that already shows it. It is now the cell centre's coordinates,
 * worded as the patrol briefing names such an area; a named place still wins.
 */
import { cellToLatLng, gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { coordinatesText, hexagonIndex, placeOf } from "../dashboard/src/components/geo.js";
import { DEFAULTS } from "../etl/config.ts";
import { readMunicipalities } from "../etl/geo/municipalities.ts";
import { placeIndex } from "../etl/geo/place-names.ts";
import { readPlaces } from "../etl/geo/places.ts";
import { hexagonOutlines } from "../etl/publish/cell-geometry.ts";

const NO_OUTLINES = { type: "FeatureCollection" as const, features: [] };

describe("a cell's place where no place is named near it", () => {
  it("is the cell centre's coordinates in both languages, not the cell id", () => {
    // Nottingham's Old Market Square, resolution 8.
    const cell = latLngToCell(52.9533, -1.1496, 8);
    const index = hexagonIndex(hexagonOutlines([cell], NO_OUTLINES, null));
    const [lat, lon] = cellToLatLng(cell);
    for (const lang of ["en", "lt"]) {
      expect(placeOf(index, cell, lang)).toBe(coordinatesText(lat, lon));
      expect(placeOf(index, cell, lang)).toMatch(/^52\.95\d\d, -1\.1[45]\d\d$/);
    }
  });

  it("is H3's centre to its 4 decimals for every cell of a city's disk", () => {
    const cells = gridDisk(latLngToCell(40.7, -73.9, 8), 10);
    const index = hexagonIndex(hexagonOutlines(cells, NO_OUTLINES, null));
    for (const cell of cells) {
      const [lat, lon] = placeOf(index, cell, "en").split(", ").map(Number) as [number, number];
      const [hLat, hLon] = cellToLatLng(cell);
      // 4 decimals: at most half a unit of the last from the centre, plus the vertex mean's ~1e-6.
      expect(Math.abs(lat - hLat)).toBeLessThan(0.00005 + 1e-6);
      expect(Math.abs(lon - hLon)).toBeLessThan(0.00005 + 1e-6);
    }
  });

  it("stays the named place where the places name one, and the id for a cell without an outline", async () => {
    const municipalities = await readMunicipalities(DEFAULTS.municipalitiesGeoJson);
    const places = placeIndex(await readPlaces(DEFAULTS.placesCsv));
    const centre = latLngToCell(55.9339, 23.3147, 8);
    const index = hexagonIndex(hexagonOutlines([centre], municipalities, places));
    expect(placeOf(index, centre, "en")).toMatch(/Šiauliai$/);
    const other = latLngToCell(52.9533, -1.1496, 8);
    expect(placeOf(index, other, "en")).toBe(other);
  });
});
