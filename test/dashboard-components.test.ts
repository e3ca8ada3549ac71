/**
 * The dashboard's pure helpers, the sample data's conformance to the data contract, and the npm-cache
 * prefill, without a browser or a build.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { geoArea } from "d3-geo";
import { describe, expect, it } from "vitest";
import type { MonthlyCount } from "../dashboard/data-contract.js";
import {
  PLACEHOLDER_LIBRARIES,
  PLACEHOLDER_VERSION,
  findPackage,
  prefillNpmCache,
} from "../dashboard/scripts/prefill-npm-cache.js";
import {
  hotspotFeatures,
  hotspotsFor,
  monthlyTotals,
  suppressionSummary,
  yearlyRows,
} from "../dashboard/src/components/aggregate.js";
import { rewindFeature, signedArea } from "../dashboard/src/components/geo.js";
import { giBin, makeSampleDashboardData } from "./helpers/sample-dashboard-data.js";

const counts: MonthlyCount[] = [
  { month: "2024-12", category: "theft", municipality: "A", count: 10 },
  { month: "2024-12", category: "theft", municipality: "B", count: null },
  { month: "2025-01", category: "theft", municipality: "A", count: 7 },
  { month: "2025-01", category: "assault", municipality: "B", count: 5 },
];

describe("aggregate", () => {
  it("sums months over municipalities and counts suppressed values apart", () => {
    const totals = monthlyTotals(counts, ["2024-12", "2025-01"], ["all", "theft", "assault"]);
    expect(totals.map(({ month, category, count, suppressed }) => [month, category, count, suppressed])).toEqual([
      ["2024-12", "theft", 10, 1],
      ["2024-12", "assault", 0, 0],
      ["2025-01", "theft", 7, 0],
      ["2025-01", "assault", 5, 0],
    ]);
    expect(totals[0]?.date.toISOString()).toBe("2024-12-01T00:00:00.000Z");
    const years = yearlyRows([
      { year: "2025", category: "all", count: 12 },
      { year: "2025", category: "theft", count: 7 },
      { year: "2024", category: "theft", count: null },
      { year: "2024", category: "all", count: 10 },
    ]);
    expect(years.map((y) => [y.year, y.total.count, y.cells["theft"]?.count])).toEqual([
      ["2024", 10, null],
      ["2025", 12, 7],
    ]);
    expect(suppressionSummary(counts)).toEqual({ suppressed: 1, total: 4 });
  });

  it("selects a month's hot spots, strongest first, and joins their outlines", async () => {
    const data = await makeSampleDashboardData();
    const month = data.meta.months.at(-1) as string;
    const rows = hotspotsFor(data.hotspots, month, "all");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.month === month && r.category === "all")).toBe(true);
    const z = rows.map((r) => Math.abs(r.z));
    expect(z).toEqual([...z].sort((a, b) => b - a));
    const features = hotspotFeatures(rows, data.hexagons);
    expect(features.map((f) => f.properties.cell)).toEqual(rows.map((r) => r.cell));
  });
});

describe("geo rewinding for d3", () => {
  it("makes H3 outlines and municipality outlines small polygons, holes included", async () => {
    const data = await makeSampleDashboardData();
    const hex = data.hexagons.features[0];
    if (!hex) throw new Error("no hexagon");
    expect(geoArea(hex)).toBeGreaterThan(2 * Math.PI); // H3 rings run counter-clockwise
    const wound = rewindFeature(hex);
    expect(geoArea(wound)).toBeLessThan(1e-6);
    expect(rewindFeature(wound)).toEqual(wound);
    for (const feature of data.municipalities.features) {
      const area = geoArea(rewindFeature(feature));
      expect(area).toBeGreaterThan(0);
      expect(area).toBeLessThan(1e-4);
    }
    // The district surrounds the city: rewound, the city is a hole, not a second outer ring.
    const district = data.municipalities.features.find((f) => f.properties.name === "Šiaulių r. sav.");
    const city = data.municipalities.features.find((f) => f.properties.name === "Šiaulių m. sav.");
    if (!district || !city) throw new Error("outline missing");
    expect(geoArea(rewindFeature(district))).toBeLessThan(geoArea(district));
    expect(signedArea([[0, 0], [1, 0], [1, 1], [0, 0]])).toBeGreaterThan(0);
  });
});

describe("sample data", () => {
  it("follows the data contract", async () => {
    const { meta, monthlyCounts, hotspots, hexagons, municipalities } = await makeSampleDashboardData();
    expect(meta.categories[0]).toBe("all");
    expect(meta.months).toEqual([...meta.months].sort());
    expect(meta.summary.rows_read).toBe(meta.summary.rows_ingested + meta.summary.rows_quarantined);
    for (const row of monthlyCounts) {
      expect(row.category).not.toBe("all");
      expect(meta.months).toContain(row.month);
      if (row.count !== null) expect(row.count).toBeGreaterThanOrEqual(meta.suppression_threshold);
    }
    const cells = new Set(hexagons.features.map((f) => f.properties.cell));
    for (const row of hotspots) {
      expect(row.bin).not.toBe(0);
      expect(giBin(row.z)).toBe(row.bin);
      expect(cells.has(row.cell)).toBe(true);
      expect(meta.categories).toContain(row.category);
    }
    expect(cells.size).toBe(new Set(hotspots.map((r) => r.cell)).size);
    for (const feature of hexagons.features) {
      const ring = feature.geometry.coordinates[0] as Array<[number, number]>;
      expect(ring.at(0)).toEqual(ring.at(-1));
      const [lon, lat] = ring[0] as [number, number];
      expect(lon).toBeCloseTo(23.31, 0);
      expect(lat).toBeCloseTo(55.93, 0);
    }
    expect(municipalities.features.map((f) => f.properties.name).sort()).toEqual(["Šiaulių m. sav.", "Šiaulių r. sav."]);
  });
});

describe("npm cache prefill", () => {
  it("bundles the libraries with shared d3 and leaves empty placeholder folders", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dashboard-npm-"));
    try {
      const written = await prefillNpmCache(dir);
      const plot = (await findPackage("@observablehq/plot")).pkg.version;
      const d3 = (await findPackage("d3")).pkg.version;
      expect(written).toContain(`@observablehq/plot@${plot}/_esm.js`);
      const source = await readFile(join(dir, `@observablehq/plot@${plot}`, "_esm.js"), "utf8");
      expect(source).toContain(`"../../d3@${d3}/_esm.js"`);
      expect(source).not.toMatch(/from\s*"d3"/);
      expect(existsSync(join(dir, `d3@${d3}`, "_esm.js"))).toBe(true);
      for (const name of PLACEHOLDER_LIBRARIES) {
        expect(await readdir(join(dir, `${name}@${PLACEHOLDER_VERSION}`))).toEqual([]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
