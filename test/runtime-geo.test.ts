/**
 * The product's own geography (data/geo) against the OpenStreetMap extracts it was built from
 * (../shared/data/geo): no vertex moved by more than the reader's rounding, every municipality fills
 * the same H3 cells, and every named place is kept with its fields.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { studyAreaCells } from "../etl/analytics/study-area.ts";
import { DEFAULTS } from "../etl/config.ts";
import { readMunicipalities, type MunicipalityCollection } from "../etl/geo/municipalities.ts";
import { readPlaces } from "../etl/geo/places.ts";
import { sharedPath, SHARED_BOUNDARIES } from "./helpers/shared.ts";

type Feature = MunicipalityCollection["features"][number];
const polygonsOf = (f: Feature) => (f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates);

/** A closed ring's vertices starting from its smallest vertex (TopoJSON may start a ring elsewhere). */
function canonicalRing(ring: number[][]): number[][] {
  const open = ring.slice(0, -1);
  let start = 0;
  open.forEach(([x = 0, y = 0], i) => {
    const [sx = 0, sy = 0] = open[start]!;
    if (x < sx || (x === sx && y < sy)) start = i;
  });
  return [...open.slice(start), ...open.slice(0, start)];
}

describe("data/geo/lt-municipalities.topojson", async () => {
  const product = await readMunicipalities(DEFAULTS.municipalitiesGeoJson);
  const source = await readMunicipalities(SHARED_BOUNDARIES);

  it("holds the same 60 municipalities, each vertex within 6.25e-7° (7 cm) of its source vertex", () => {
    expect(product.features.map((f) => f.properties.name)).toEqual(source.features.map((f) => f.properties.name));
    expect(product.features).toHaveLength(60);
    let largest = 0;
    let exact = 0;
    let vertices = 0;
    product.features.forEach((feature, i) => {
      const ours = polygonsOf(feature);
      const theirs = polygonsOf(source.features[i]!);
      expect(ours.map((p) => p.map((r) => r.length))).toEqual(theirs.map((p) => p.map((r) => r.length)));
      ours.forEach((polygon, p) =>
        polygon.forEach((ring, r) => {
          const a = canonicalRing(ring);
          const b = canonicalRing(theirs[p]![r]!);
          a.forEach(([x = 0, y = 0], v) => {
            const [sx = 0, sy = 0] = b[v]!;
            const d = Math.max(Math.abs(x - sx), Math.abs(y - sy));
            largest = Math.max(largest, d);
            if (d === 0) exact++;
            vertices++;
          });
        }),
      );
    });
    // Quantisation error (≤ a quarter step's half, 1.25e-7) plus rounding to 1e-6 (≤ 5e-7).
    expect(largest).toBeLessThanOrEqual(6.25e-7);
    // All but the few source vertices stored with more than 6 decimals come back exactly.
    expect(exact / vertices).toBeGreaterThan(0.99);
  });

  it("fills the same H3 cells per municipality (resolution 7 everywhere; 9 for the bundled study area)", () => {
    product.features.forEach((feature, i) => {
      const one = (f: Feature): MunicipalityCollection => ({ type: "FeatureCollection", features: [f] });
      expect(studyAreaCells(one(feature), 7), feature.properties.name).toEqual(studyAreaCells(one(source.features[i]!), 7));
    });
    for (const name of DEFAULTS.studyMunicipalities) {
      const pick = (c: MunicipalityCollection): MunicipalityCollection => ({
        type: "FeatureCollection",
        features: c.features.filter((f) => f.properties.name === name),
      });
      expect(studyAreaCells(pick(product), 9)).toEqual(studyAreaCells(pick(source), 9));
    }
  });
});

describe("data/geo/lt-places.csv", () => {
  it("keeps every named place with its name, English name, kind, population and position", async () => {
    const places = await readPlaces(DEFAULTS.placesCsv);
    type SourcePlace = { geometry: { coordinates: [number, number] }; properties: { name: string; name_en?: string; kind: string; population?: number } };
    const source = (JSON.parse(readFileSync(sharedPath("data", "geo", "lt-places.geojson"), "utf8")) as { features: SourcePlace[] }).features;
    expect(places).toHaveLength(21_787);
    expect(places).toEqual(
      source.map(({ properties: p, geometry: g }) => ({
        name: p.name,
        nameEn: p.name_en ?? null,
        kind: p.kind,
        population: p.population ?? null,
        lon: g.coordinates[0],
        lat: g.coordinates[1],
      })),
    );
    expect(places.find((p) => p.name === "Kuršėnai")).toMatchObject({ kind: "town", population: 11_963 });
    expect(places.filter((p) => p.kind === "police")).toHaveLength(36);
  });
});
