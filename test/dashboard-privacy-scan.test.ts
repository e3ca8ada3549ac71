/**
 * The privacy scan itself: a clean site passes, and each kind of incident-level leak in a page or a
 * data file is found — an id, a time finer than a month, a raw coordinate (also rounded, also as a
 * lat/lon field, also a hexagon vertex moved off its grid), a small cell count, a sensitive category
 * per cell. The real sites are scanned in test/e2e/.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cellToBoundary, gridDisk, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSampleDashboardData } from "./helpers/sample-dashboard-data.js";
import { outlineVertexKeys, scanJson, scanSiteForIncidentData, type IncidentFingerprints } from "./helpers/privacy-scan.js";
import { studyAreaOutline } from "../etl/publish/cell-geometry.js";

const INCIDENT = { id: "INC-2019-000123", lat: 55.933512, lon: 23.314207 };
const CELL = latLngToCell(INCIDENT.lat, INCIDENT.lon, 8);
let dir: string;
let rules: IncidentFingerprints;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "privacy-scan-"));
  const data = await makeSampleDashboardData();
  rules = {
    ids: [INCIDENT.id],
    points: new Set([`${INCIDENT.lat.toFixed(6)},${INCIDENT.lon.toFixed(6)}`]),
    bounds: [22.9, 55.8, 23.5, 56.11],
    outlineVertices: outlineVertexKeys(data.municipalities),
    threshold: 5,
    sensitiveCategories: new Set(["domestic_violence", "sexual_offence"]),
  };
  await mkdir(join(dir, "_file", "data"), { recursive: true });
  for (const [name, value] of Object.entries(data)) await writeFile(join(dir, "_file", "data", `${name}.0123abcd.json`), JSON.stringify(value));
  await writeFile(join(dir, "index.html"), "<!doctype html><p>Aggregates only</p>");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const hexagon = (cell: string, shift = 0) => ({
  type: "Feature",
  properties: { cell },
  geometry: { type: "Polygon", coordinates: [cellToBoundary(cell, true).map(([lon, lat]) => [lon! + shift, lat!])] },
});

describe("privacy scan", () => {
  it("passes the sample site (meta.generated_at is the one allowed timestamp)", async () => {
    expect(await scanSiteForIncidentData(dir, rules)).toEqual([]);
  });

  it("finds an incident id or incident coordinates in any page or script", async () => {
    const leaky = await mkdtemp(join(tmpdir(), "privacy-leak-"));
    try {
      await writeFile(join(leaky, "index.html"), `<p>${INCIDENT.id}</p>`);
      await writeFile(join(leaky, "app.js"), `const p = [${INCIDENT.lon}, ${INCIDENT.lat}];`);
      const findings = await scanSiteForIncidentData(leaky, rules);
      expect(findings).toEqual([expect.stringContaining("incident coordinates"), expect.stringContaining(`incident id ${INCIDENT.id}`)].sort());
    } finally {
      await rm(leaky, { recursive: true, force: true });
    }
  });

  it("finds times finer than a month in data files, in any notation", () => {
    for (const value of ["2019-06-30", "2019-06-30T12:00:00Z", "30.06.2019", "2019/06/30", "at 14:35"]) {
      expect(scanJson("x.json", { label: value }, rules), value).toHaveLength(1);
    }
    expect(scanJson("x.json", { label: "2019-06", year: "2019" }, rules)).toEqual([]);
    expect(scanJson("x.json", { at: 1_561_896_000_000 }, rules)).toEqual([expect.stringContaining("Unix timestamp")]);
    expect(scanJson("meta.abc123.json", { generated_at: "2025-03-01T06:00:00.000Z" }, rules)).toEqual([]);
    expect(scanJson("other.json", { generated_at: "2025-03-01T06:00:00.000Z" }, rules)).toHaveLength(1);
  });

  it("finds raw coordinates, rounded or not, as pairs or fields, and hexagons moved off the grid", () => {
    expect(scanJson("x.json", { where: [23.31, 55.93] }, rules)).toEqual([expect.stringContaining("raw coordinate")]);
    expect(scanJson("x.json", { where: [55.9335, 23.3142] }, rules)).toEqual([expect.stringContaining("raw coordinate")]);
    expect(scanJson("x.json", { lat: 55.9335 }, rules)).toEqual([expect.stringContaining("raw coordinate")]);
    expect(scanJson("x.json", { ci: [0.62, 8.77] }, rules)).toEqual([]);
    expect(scanJson("x.json", { type: "FeatureCollection", features: [hexagon(CELL)] }, rules)).toEqual([]);
    expect(scanJson("x.json", { features: [hexagon(CELL, 0.0004)] }, rules)).toEqual([expect.stringContaining("not a corner of its cell")]);
    const stray = {
      type: "Feature",
      properties: { name: "Šiaulių m. sav." },
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [23.314207, 55.933512],
            [23.3, 55.9],
            [23.31, 55.95],
            [23.314207, 55.933512],
          ],
        ],
      },
    };
    expect(scanJson("x.json", stray, rules)).toEqual([expect.stringContaining("not on a municipality outline")]);
    // A hull study area's outline (meta.json): corners of its resolution's grid, and nothing else.
    const outline = studyAreaOutline(gridDisk(CELL, 2));
    expect(scanJson("meta.json", { study_area_outline: outline }, rules)).toEqual([]);
    const moved = structuredClone(outline!);
    moved.geometry.coordinates[0]![0]![1] = [23.3142, 55.9335];
    expect(scanJson("meta.json", { study_area_outline: moved }, rules)).toEqual([expect.stringContaining("not a corner of the resolution 8 grid")]);
  });

  it("finds counts below the threshold and sensitive categories per cell", () => {
    expect(scanJson("x.json", [{ month: "2019-06", count: 3 }], rules)).toEqual([expect.stringContaining("below the threshold 5")]);
    expect(scanJson("x.json", { groups: [{ category: "theft", cell: [1, 2], count: [null, 4] }] }, rules)).toHaveLength(1);
    expect(scanJson("x.json", { groups: [{ category: "theft", cell: [1, 2], count: [null, 12] }] }, rules)).toEqual([]);
    expect(scanJson("x.json", { groups: [{ category: "sexual_offence", cell: [1] }] }, rules)).toEqual([expect.stringContaining("per cell")]);
    expect(scanJson("x.json", { category: "domestic_violence", cells: [{ cell: CELL, rank: 1 }] }, rules)).toEqual([expect.stringContaining("per cell")]);
    expect(scanJson("x.json", [{ category: "domestic_violence", municipality: "Šiaulių m. sav.", count: 40 }], rules)).toEqual([]);
    expect(scanJson("x.json", [{ month: "2019-06", count: 0 }], rules)).toEqual([]);
    // A data-quality warning counts kept incidents: one in the hour the clocks go back pins it to a night.
    expect(scanJson("data-quality.json", { sources: [{ warnings: { ambiguous_local_time: 1 } }] }, rules)).toEqual([
      expect.stringContaining("below the threshold 5"),
    ]);
    expect(scanJson("data-quality.json", { sources: [{ warnings: { ambiguous_local_time: null } }] }, rules)).toEqual([]);
    expect(scanJson("data-quality.json", { sources: [{ warnings: { ambiguous_local_time: 12 } }] }, rules)).toEqual([]);
  });

  it("finds the sample site's own sensitive category once it is put next to a cell", async () => {
    const data = await makeSampleDashboardData();
    // The fixture is real: the sample data holds a sensitive category, at municipality level only.
    const sensitiveRows = data.monthlyCounts.filter((r) => rules.sensitiveCategories!.has(r.category));
    expect(sensitiveRows.length).toBeGreaterThan(0);
    expect(scanJson("monthly-counts.json", data.monthlyCounts, rules)).toEqual([]);
    const [group] = data.hotspots.groups.filter((g) => g.cell.length > 0);
    const leaked = { ...data.hotspots, groups: [{ ...group!, category: sensitiveRows[0]!.category }] };
    expect(scanJson("hotspots.json", leaked, rules)).toEqual([expect.stringContaining("per cell")]);
  });
});
