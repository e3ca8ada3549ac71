/**
 * The maps' place labels and scale bar, without a browser: which places are published for a study
 * area (etl/publish/places-data.ts), which are labelled at a scale and that no two labels overlap
 * (components/map-places.ts), and the scale bar's length against haversine distances between points
 * that d3's own Mercator inverts (components/scale-bar.ts).
 */
import { geoMercator } from "d3-geo";
import { describe, expect, it } from "vitest";
import type { MapPlace } from "../dashboard/data-contract.js";
import { layoutPlaces, overlaps, placeName } from "../dashboard/src/components/map-places.js";
import { EARTH_RADIUS_M, formatDistance, mercatorMetresPerPixel, mercatorScaleFor, scaleBar } from "../dashboard/src/components/scale-bar.js";
import { DEFAULTS } from "../etl/config.js";
import { readMunicipalities } from "../etl/geo/municipalities.js";
import { readPlaces, type Place } from "../etl/geo/places.js";
import { MAX_MAP_PLACES, mapPlaces } from "../etl/publish/places-data.js";

/** Haversine great-circle distance in metres: the independent reference of the scale bar. */
function haversine([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(a));
}

const place = (name: string, kind: string, population: number | null, lon: number, lat: number, name_en: string | null = null): MapPlace => ({
  name,
  name_en,
  kind,
  population,
  position: [lon, lat],
});

describe("scale bar", () => {
  for (const [where, lon, lat] of [
    ["Šiauliai", 23.3158, 55.9341],
    ["Cincinnati", -84.512, 39.1031],
    ["Quito (equator)", -78.4678, -0.1807],
    ["Tromsø", 18.9553, 69.6492],
  ] as const) {
    it(`measures what haversine measures across the map's centre at ${where}`, () => {
      for (const metresPerPixel of [3, 17.5, 120]) {
        const projection = geoMercator().scale(mercatorScaleFor(metresPerPixel, lat)).center([lon, lat]).translate([400, 300]);
        expect(mercatorMetresPerPixel(projection.scale(), lat)).toBeCloseTo(metresPerPixel, 9);
        const bar = scaleBar(metresPerPixel, 160);
        const left = projection.invert!([400 - bar.pixels / 2, 300])!;
        const right = projection.invert!([400 + bar.pixels / 2, 300])!;
        // Along a parallel the great circle is a little shorter than the parallel: under 1e-6 over a few km.
        expect(Math.abs(haversine(left as [number, number], right as [number, number]) - bar.metres) / bar.metres).toBeLessThan(1e-5);
        // North-south too: Mercator is conformal, a pixel covers the same ground either way.
        const top = projection.invert!([400, 300 - bar.pixels / 2])!;
        const bottom = projection.invert!([400, 300 + bar.pixels / 2])!;
        expect(Math.abs(haversine(top as [number, number], bottom as [number, number]) - bar.metres) / bar.metres).toBeLessThan(2e-3);
      }
    });
  }

  it("picks the longest round length that fits", () => {
    expect(scaleBar(10, 160)).toEqual({ metres: 1000, pixels: 100 });
    expect(scaleBar(13, 160)).toEqual({ metres: 2000, pixels: 2000 / 13 });
    expect(scaleBar(40, 160)).toEqual({ metres: 5000, pixels: 125 });
    expect(scaleBar(0.5, 160)).toEqual({ metres: 50, pixels: 100 });
    expect(() => scaleBar(0, 160)).toThrow(/positive metres per pixel/);
    expect(() => mercatorMetresPerPixel(1000, 90)).toThrow(/latitude inside/);
  });

  it("writes lengths in the page's language", () => {
    expect(formatDistance(500, "en-GB")).toBe("500 m");
    expect(formatDistance(2000, "en-GB")).toBe("2 km");
    expect(formatDistance(1500, "lt-LT")).toBe("1,5 km");
  });
});

describe("place labels", () => {
  const flat = (p: [number, number]): [number, number] => [p[0], p[1]];

  it("names cities at every scale and city parts only zoomed in", () => {
    const places = [place("City", "city", 100_000, 100, 100), place("Part", "suburb", null, 300, 300), place("Village", "village", 120, 500, 100)];
    const out = layoutPlaces(places, flat, { width: 800, height: 600, metresPerPixel: 80 });
    expect(out.labels.map((l) => l.text)).toEqual(["City"]);
    const zoomed = layoutPlaces(places, flat, { width: 800, height: 600, metresPerPixel: 10 });
    expect(zoomed.labels.map((l) => l.text)).toEqual(["City", "Part", "Village"]);
  });

  it("never lets two labels overlap: the larger place wins a collision", () => {
    const places = [place("Small town", "town", 2_000, 402, 301), place("Big town", "town", 30_000, 400, 300), place("Far town", "town", 900, 100, 100)];
    const { labels } = layoutPlaces(places, flat, { width: 800, height: 600, metresPerPixel: 50 });
    expect(labels.map((l) => l.text)).toEqual(["Big town", "Far town"]);
    for (const a of labels) for (const b of labels) if (a !== b) expect(overlaps(a.box, b.box)).toBe(false);
  });

  it("keeps labels inside the frame and labels a place by its own name, as the tables name cells, in English too", () => {
    const places = [place("Kraštas", "city", 1, 2, 300), place("Besarabija", "city", 500_000, 400, 300, "Bessarabia Suburb")];
    const { labels } = layoutPlaces(places, flat, { width: 800, height: 600, metresPerPixel: 50 });
    expect(labels.map((l) => l.text)).toEqual(["Besarabija"]);
    expect(placeName(places[1]!)).toBe("Besarabija");
  });

  it("draws police stations as symbols at every scale, named only zoomed in and where free", () => {
    const places = [place("Policija", "police", null, 400, 300), place("Miestas", "city", 50_000, 405, 305)];
    const out = layoutPlaces(places, flat, { width: 800, height: 600, metresPerPixel: 80 });
    expect(out.police.map((p) => p.text)).toEqual(["Policija"]);
    // The city's label would cover the symbol: the symbol is a point feature and keeps its place.
    expect(out.labels.map((l) => l.text)).toEqual([]);
    const zoomed = layoutPlaces([places[0]!], flat, { width: 800, height: 600, metresPerPixel: 10 });
    expect(zoomed.labels).toMatchObject([{ text: "Policija", anchor: "start" }]);
    expect(zoomed.labels[0]!.x).toBeGreaterThan(400);
  });

  it("labels a dense real area without overlap (the bundled places around Šiauliai, 15 m per pixel)", async () => {
    const [places, boundaries] = await Promise.all([readPlaces(DEFAULTS.placesCsv), readMunicipalities(DEFAULTS.municipalitiesGeoJson)]);
    const area = { ...boundaries, features: boundaries.features.filter((f) => f.properties.name === "Šiaulių m. sav.") };
    const published = mapPlaces(places, area, []);
    const projection = geoMercator().scale(mercatorScaleFor(15, 55.93)).center([23.3158, 55.9341]).translate([450, 300]);
    const { labels } = layoutPlaces(published, (p) => projection(p) as [number, number] | null, { width: 900, height: 600, metresPerPixel: 15 });
    expect(labels.map((l) => l.text)).toEqual(expect.arrayContaining(["Šiauliai", "Gytariai", "Dainai"]));
    for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) expect(overlaps(labels[i]!.box, labels[j]!.box)).toBe(false);
  });
});

describe("published places (places.json)", () => {
  const p = (name: string, kind: string, population: number | null, lon: number, lat: number): Place => ({ name, nameEn: null, kind, population, lon, lat });
  const square = {
    type: "FeatureCollection" as const,
    features: [
      {
        type: "Feature" as const,
        properties: { name: "Area" },
        geometry: {
          type: "Polygon" as const,
          coordinates: [
            [
              [10, 50],
              [11, 50],
              [11, 51],
              [10, 51],
              [10, 50],
            ],
          ],
        },
      },
    ],
  };

  it("keeps the labelled kinds inside the study area's box, largest first, police stations always", () => {
    const places = [
      p("Village", "village", 300, 10.5, 50.5),
      p("Town", "town", 5000, 10.2, 50.2),
      p("Far city", "city", 900_000, 20, 50.5),
      p("Hamlet", "hamlet", 10, 10.6, 50.6),
      p("Station", "police", null, 10.4, 50.4),
      p("Bigger village", "village", 800, 10.7, 50.7),
    ];
    expect(mapPlaces(places, square, []).map((x) => x.name)).toEqual(["Town", "Bigger village", "Village", "Station"]);
    expect(mapPlaces(places, square, [], 2).map((x) => x.name)).toEqual(["Town", "Station"]);
    expect(mapPlaces([], square, [])).toEqual([]);
    expect(mapPlaces(places, square, [])[0]).toEqual({ name: "Town", name_en: null, kind: "town", population: 5000, position: [10.2, 50.2] });
  });

  it("widens the box to the drawn cells (a hull study area has cells beyond any outline)", () => {
    const empty = { type: "FeatureCollection" as const, features: [] };
    const cincinnati = [p("Cincinnati", "city", 300_000, -84.512, 39.103)];
    expect(mapPlaces(cincinnati, empty, [])).toEqual([]);
    expect(mapPlaces(cincinnati, empty, ["882a930f0bfffff"]).map((x) => x.name)).toEqual(["Cincinnati"]);
  });

  it("publishes the Šiauliai study area's places within the size cap, Kuršėnai and the police among them", async () => {
    const [places, boundaries] = await Promise.all([readPlaces(DEFAULTS.placesCsv), readMunicipalities(DEFAULTS.municipalitiesGeoJson)]);
    const area = { ...boundaries, features: boundaries.features.filter((f) => /^Šiaulių [mr]\. sav\.$/.test(f.properties.name)) };
    const published = mapPlaces(places, area, []);
    expect(published.length).toBeLessThanOrEqual(MAX_MAP_PLACES);
    expect(published.map((x) => x.name)).toEqual(expect.arrayContaining(["Šiauliai", "Kuršėnai", "Gytariai"]));
    expect(published.filter((x) => x.kind === "police").length).toBeGreaterThan(0);
    expect(Buffer.byteLength(JSON.stringify(published))).toBeLessThan(150_000);
  });
});

describe("privacy scan of places.json", () => {
  it("accepts the positions of the places file's named places and still flags any other pair in the incidents' box", async () => {
    const { scanJson, placePositionKeys } = await import("./helpers/privacy-scan.js");
    const rules = {
      ids: [],
      points: new Set<string>(),
      bounds: [22.9, 55.6, 23.7, 56.2] as const,
      placePositions: await placePositionKeys(DEFAULTS.placesCsv),
    };
    expect(scanJson("places.json", [place("Šiauliai", "city", 109328, 23.315777, 55.934082)], rules)).toEqual([]);
    expect(scanJson("places.json", [place("Nowhere", "city", 1, 23.315778, 55.934082)], rules)).toEqual([
      "places.json: $[0].position = [23.315778, 55.934082] is a raw coordinate",
    ]);
  });
});

describe("map view in the address", () => {
  it("writes centre and scale compactly and reads them back; refuses what is not a view", async () => {
    const { decodeView, encodeView } = await import("../dashboard/src/components/map-view.js");
    expect(encodeView({ lon: 23.3157771, lat: 55.9340823, metresPerPixel: 12.34567 })).toBe("23.31578,55.93408,12.346");
    expect(decodeView("-84.51200,39.10310,3.500")).toEqual({ lon: -84.512, lat: 39.1031, metresPerPixel: 3.5 });
    for (const bad of [null, "null", "", "1,2", "a,b,c", "23,55,0", "23,89,5", "200,55,5"]) expect(decodeView(bad), String(bad)).toBeNull();
  });
});
