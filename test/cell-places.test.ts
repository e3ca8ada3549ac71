import { latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../etl/config.ts";
import { readMunicipalities } from "../etl/geo/municipalities.ts";
import { placeIndex } from "../etl/geo/place-names.ts";
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
});
