/**
 * Cells named by nearby places: known answers on the product's own place file (Šiauliai's
 * neighbourhoods, Kuršėnai and the countryside around it), and the rules on a constructed file.
 */
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../etl/config.ts";
import { describeLocation, distinguishNames, placeIndex, REACH_KM } from "../etl/geo/place-names.ts";
import { readPlaces, type Place } from "../etl/geo/places.ts";

/** The point `km` kilometres from (lat, lon) at `bearing` degrees (spherical Earth, R = 6371.0088 km as H3). */
function offset(lat: number, lon: number, km: number, bearing: number): [number, number] {
  const rad = Math.PI / 180;
  const d = km / 6371.0088;
  const lat2 = Math.asin(Math.sin(lat * rad) * Math.cos(d) + Math.cos(lat * rad) * Math.sin(d) * Math.cos(bearing * rad));
  const lon2 = lon * rad + Math.atan2(Math.sin(bearing * rad) * Math.sin(d) * Math.cos(lat * rad), Math.cos(d) - Math.sin(lat * rad) * Math.sin(lat2));
  return [lat2 / rad, lon2 / rad];
}

describe("describeLocation on data/geo/lt-places.csv", async () => {
  const places = await readPlaces(DEFAULTS.placesCsv);
  const index = placeIndex(places);
  const at = (name: string, kind: string): Place => places.find((p) => p.name === name && p.kind === kind)!;

  it("names a point in a Šiauliai neighbourhood by the neighbourhood and the city", () => {
    const gytariai = at("Gytariai", "suburb");
    expect(describeLocation(index, gytariai.lat, gytariai.lon, "en")).toBe("Gytariai, Šiauliai");
    const dainai = at("Dainai", "suburb");
    expect(describeLocation(index, ...offset(dainai.lat, dainai.lon, 0.4, 90), "lt")).toBe("Dainai, Šiauliai");
  });

  it("names a point in Kuršėnai by the town, and one 2 km north of it by distance and direction", () => {
    const kursenai = at("Kuršėnai", "town");
    expect(describeLocation(index, kursenai.lat, kursenai.lon, "en")).toBe("Kuršėnai");
    const north = offset(kursenai.lat, kursenai.lon, 2, 0);
    expect(describeLocation(index, ...north, "en")).toBe("2 km N of Kuršėnai");
    expect(describeLocation(index, ...north, "lt")).toBe("Kuršėnai, 2 km Š");
  });

  it("has no description far from every place (another country)", () => {
    expect(describeLocation(index, 48.8566, 2.3522, "en")).toBeNull();
  });
});

describe("describeLocation rules", () => {
  const place = (name: string, kind: string, lat: number, lon: number, population: number | null = null): Place => ({
    name,
    nameEn: null,
    kind,
    population,
    lon,
    lat,
  });
  const town = place("Town", "town", 55, 23);
  const hamlet = place("Hamlet", "hamlet", ...offset(55, 23, 4, 90));

  it("prefers a town to a slightly nearer hamlet as the reference, with the compass point from it", () => {
    const index = placeIndex([town, hamlet]);
    // 2.5 km east of the town, 1.5 km west of the hamlet: 2.5 km / weight 3 beats 1.5 km / weight 1.
    expect(describeLocation(index, ...offset(55, 23, 2.5, 90), "en")).toBe("2.5 km E of Town");
    // Just outside the hamlet's own radius, nearer to it than to the town by more than the weights allow.
    expect(describeLocation(index, ...offset(...([hamlet.lat, hamlet.lon] as const), 0.5, 0), "en")).toBe("0.5 km N of Hamlet");
  });

  it("rounds to half kilometres below 5 km, to kilometres above, with a decimal comma in Lithuanian", () => {
    const index = placeIndex([town]);
    expect(describeLocation(index, ...offset(55, 23, 2.7, 180), "en")).toBe("2.5 km S of Town");
    expect(describeLocation(index, ...offset(55, 23, 2.7, 180), "lt")).toBe("Town, 2,5 km P");
    expect(describeLocation(index, ...offset(55, 23, 7.4, 315), "en")).toBe("7 km NW of Town");
    expect(describeLocation(index, ...offset(55, 23, REACH_KM + 1, 0), "en")).toBeNull();
  });

  it("ignores police stations and other kinds as references", () => {
    const index = placeIndex([place("Station", "police", 55, 23)]);
    expect(describeLocation(index, 55, 23, "en")).toBeNull();
  });
});

describe("distinguishNames", () => {
  const name = (text: string) => ({ en: text, lt: text, byPlace: false });

  it("tells apart areas listed together under one name by their compass point from the middle", () => {
    // Vancouver's briefing listed two "Central Business District" areas (r2): one north-west of the other.
    const names = [name("Central Business District"), name("Strathcona"), name("Central Business District")];
    const centres: [number, number][] = [
      [49.287, -123.125],
      [49.278, -123.09],
      [49.28, -123.112],
    ];
    expect(distinguishNames(names, centres)).toEqual([
      { en: "Central Business District (NW)", lt: "Central Business District (ŠV)", byPlace: false },
      name("Strathcona"),
      { en: "Central Business District (SE)", lt: "Central Business District (PR)", byPlace: false },
    ]);
  });

  it("numbers names that the compass leaves alike, and leaves single names as they are", () => {
    const names = [name("A"), name("A"), name("A")];
    // Two areas due east of the middle, one far west.
    const centres: [number, number][] = [
      [55, 23.3],
      [55, 23.31],
      [55, 23.0],
    ];
    expect(distinguishNames(names, centres).map((n) => n.en)).toEqual(["A (E 1)", "A (E 2)", "A (W)"]);
    expect(distinguishNames([name("B")], [[55, 23]])).toEqual([name("B")]);
  });
});
