import { cellToLatLng, gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../etl/config.ts";
import { readMunicipalities } from "../etl/geo/municipalities.ts";
import { describeLocation, placeIndex } from "../etl/geo/place-names.ts";
import { readPlaces } from "../etl/geo/places.ts";
import { hexagonOutlines } from "../etl/publish/cell-geometry.ts";

describe("place names of published cells", () => {
  it("names each cell by its centre in both languages, and nothing without a place file", async () => {
    const municipalities = await readMunicipalities(DEFAULTS.municipalitiesGeoJson);
    const places = placeIndex(await readPlaces(DEFAULTS.placesCsv));
    // Šiauliai's centre (Prisikėlimo aikštė) and a point in the fields 2–3 km north of Kuršėnai's centre.
    const centre = latLngToCell(55.9339, 23.3147, 8);
    const north = latLngToCell(56.0225, 22.9365, 8);
    const named = hexagonOutlines([centre, north], municipalities, places).features.map((f) => f.properties);
    const byCell = new Map(named.map((p) => [p.cell, p]));
    expect(byCell.get(centre)).toMatchObject({ municipality: "Šiaulių m. sav." });
    expect(byCell.get(centre)!.place_lt).toMatch(/Šiauliai$/);
    expect(byCell.get(centre)!.place_en).toMatch(/Šiauliai$/);
    expect(byCell.get(north)!.place_en).toMatch(/^\d+(\.\d)? km N\w? of Kuršėnai$/);
    expect(byCell.get(north)!.place_lt).toMatch(/^Kuršėnai, \d+(,\d)? km Š\S?$/);
    const unnamed = hexagonOutlines([centre], municipalities, null).features[0]!.properties;
    expect([unnamed.place_lt, unnamed.place_en]).toEqual([null, null]);
  });

  it("tells apart cells that share a name, keeping the name first, and keeps a missing name missing", async () => {
    const municipalities = await readMunicipalities(DEFAULTS.municipalitiesGeoJson);
    const places = placeIndex(await readPlaces(DEFAULTS.placesCsv));
    // Šiauliai's centre and two rings around it: neighbourhoods span several cells.
    const cells = gridDisk(latLngToCell(55.9339, 23.3147, 8), 2);
    const raw = new Map(cells.map((c) => [c, describeLocation(places, ...cellToLatLng(c), "en")!]));
    expect(new Set(raw.values()).size).toBeLessThan(cells.length);
    const published = hexagonOutlines(cells, municipalities, places).features.map((f) => f.properties);
    for (const language of ["en", "lt"] as const) {
      const names = published.map((p) => (language === "en" ? p.place_en : p.place_lt));
      expect(new Set(names).size).toBe(cells.length);
    }
    for (const p of published) {
      const own = raw.get(p.cell)!;
      expect(p.place_en === own || p.place_en!.startsWith(`${own} (`)).toBe(true);
    }
    // Names made beforehand: two cells one locality, one unnamed; the locality itself is kept for the map's label.
    const [a, b, c] = cells;
    const made = new Map([
      [a!, { lt: "Centras", en: "Centras", locality: "Centras" }],
      [b!, { lt: "Centras", en: "Centras", locality: "Centras" }],
      [c!, { lt: null, en: null, locality: null }],
    ]);
    const byCell = new Map(hexagonOutlines([a!, b!, c!], municipalities, made).features.map((f) => [f.properties.cell, f.properties]));
    expect(byCell.get(a!)!.place_en).not.toBe(byCell.get(b!)!.place_en);
    expect([byCell.get(a!)!.place_en, byCell.get(b!)!.place_lt]).toEqual([expect.stringMatching(/^Centras \(/), expect.stringMatching(/^Centras \(/)]);
    expect([byCell.get(a!)!.locality, byCell.get(b!)!.locality]).toEqual(["Centras", "Centras"]);
    expect(byCell.get(c!)).toMatchObject({ place_lt: null, place_en: null });
    expect(byCell.get(c!)!.locality).toBeUndefined();
  });
});
