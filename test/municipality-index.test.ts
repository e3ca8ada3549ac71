/**
 * The banded point-in-municipality index (etl/geo/municipality-index.ts) against a second
 * implementation, turf's booleanPointInPolygon, on the product's own boundaries and on a polygon
 * with a hole and a multipolygon.
 */
import booleanPointInPolygon from "@turf/boolean-point-in-polygon";
import { beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";
import { readMunicipalities, type MunicipalityCollection } from "../etl/geo/municipalities.ts";
import { MunicipalityIndex, municipalityRings } from "../etl/geo/municipality-index.ts";
import { projectRoot } from "./helpers/shared.ts";

let lithuania: MunicipalityCollection;
beforeAll(async () => {
  lithuania = await readMunicipalities(`${projectRoot}/data/geo/lt-municipalities.topojson`);
});

describe("on the product's boundaries", () => {
  it("agrees with turf on 10,000 random points around Šiauliai for the city, the district and a neighbour", () => {
    const index = new MunicipalityIndex(municipalityRings(lithuania, "lt-municipalities.topojson"));
    const random = mulberry32(21);
    let inside = 0;
    for (const name of ["Šiaulių m. sav.", "Šiaulių r. sav.", "Joniškio r. sav."]) {
      const feature = lithuania.features.find((f) => f.properties.name === name)!;
      for (let i = 0; i < 10_000; i++) {
        const lon = 22.5 + random() * 1.5;
        const lat = 55.6 + random() * 0.9;
        const expected = booleanPointInPolygon([lon, lat], feature);
        if (expected) inside++;
        expect(index.contains(name, lon, lat), `${name} ${lon} ${lat}`).toBe(expected);
      }
    }
    expect(inside).toBeGreaterThan(2_500); // the comparison covers both answers
  });

  it("knows the names of the file only: another place's name, or a prototype's, is undefined (not checked)", () => {
    const index = new MunicipalityIndex(municipalityRings(lithuania, "lt"));
    for (const name of ["Vancouver", "constructor", "__proto__", "toString", ""]) expect(index.contains(name, 23.3, 55.9)).toBeUndefined();
    expect(index.has("Šiaulių m. sav.")).toBe(true);
  });

  it("states the extent of every polygon together", () => {
    const [west, south, east, north] = municipalityRings(lithuania, "lt").bounds;
    // Lithuania: about 20.9–26.9 °E, 53.9–56.5 °N.
    expect([west, south, east, north].map((v) => Math.round(v))).toEqual([21, 54, 27, 56]);
  });
});

describe("on shapes made for the test", () => {
  const square = (w: number, s: number, e: number, n: number) => [
    [w, s],
    [e, s],
    [e, n],
    [w, n],
    [w, s],
  ];
  const collection: MunicipalityCollection = {
    type: "FeatureCollection",
    features: [
      { type: "Feature", properties: { name: "ring" }, geometry: { type: "Polygon", coordinates: [square(0, 0, 10, 10), square(3, 3, 7, 7)] } },
      { type: "Feature", properties: { name: "islands" }, geometry: { type: "MultiPolygon", coordinates: [[square(0, 0, 1, 1)], [square(5, 5, 6, 6)]] } },
    ],
  };
  const index = new MunicipalityIndex(municipalityRings(collection, "test"));

  it("leaves a hole out", () => {
    expect(index.contains("ring", 1, 1)).toBe(true);
    expect(index.contains("ring", 5, 5)).toBe(false);
    expect(index.contains("ring", 8, 9.5)).toBe(true);
    expect(index.contains("ring", 11, 5)).toBe(false);
    expect(index.contains("ring", 5, -0.5)).toBe(false);
  });

  it("takes every polygon of a multipolygon", () => {
    expect(index.contains("islands", 0.5, 0.5)).toBe(true);
    expect(index.contains("islands", 5.5, 5.5)).toBe(true);
    expect(index.contains("islands", 3, 3)).toBe(false);
  });

  it("agrees with turf on 5,000 random points of each shape", () => {
    const random = mulberry32(7);
    for (const feature of collection.features) {
      for (let i = 0; i < 5_000; i++) {
        const lon = -1 + random() * 12;
        const lat = -1 + random() * 12;
        expect(index.contains(feature.properties.name, lon, lat)).toBe(booleanPointInPolygon([lon, lat], feature));
      }
    }
  });
});
