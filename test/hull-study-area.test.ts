import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gridDisk, gridDistance, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { convexHull, hullSeedCells, hullStudyArea } from "../etl/analytics/hull-study-area.ts";
import { lakeGrid } from "../etl/analytics/lake-grid.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestStage } from "../etl/pipeline.ts";
import { defaultSettings } from "../etl/settings.ts";

describe("convex hull", () => {
  it("keeps the corners of a square and drops inner and collinear points", () => {
    const pts: Array<[number, number]> = [
      [0, 0],
      [0, 2],
      [2, 2],
      [2, 0],
      [1, 1],
      [0, 1],
      [1, 0],
      [2, 2],
    ];
    const hull = convexHull(pts);
    expect(hull).toHaveLength(4);
    expect(new Set(hull.map((p) => p.join(",")))).toEqual(new Set(["0,0", "0,2", "2,2", "2,0"]));
  });
});

describe("default study area: hull of the incident cells plus a ring", () => {
  // Three incident cells around Šiauliai, a few kilometres apart.
  const seeds = [latLngToCell(55.93, 23.28, 8), latLngToCell(55.95, 23.36, 8), latLngToCell(55.9, 23.33, 8)];
  const inside = latLngToCell(55.927, 23.323, 8); // near the centroid of the triangle

  it("contains the incident cells, the hull's interior and a ring around them, nothing farther", () => {
    const area = hullStudyArea(seeds, 1);
    const set = new Set(area);
    for (const cell of [...seeds, inside]) expect(set.has(cell)).toBe(true);
    for (const seed of seeds) for (const near of gridDisk(seed, 1)) expect(set.has(near)).toBe(true);
    const core = new Set(hullStudyArea(seeds, 0));
    expect(core.size).toBeLessThan(set.size);
    // Every cell of the widened area is within one step of the ring-0 core.
    for (const cell of area) expect([...core].some((c) => gridDistance(c, cell) <= 1)).toBe(true);
    expect(area).toEqual([...area].sort());
  });

  it("a single cell becomes its k-ring; no incidents give no area", () => {
    expect(hullStudyArea([seeds[0]!], 1)).toEqual(gridDisk(seeds[0]!, 1).sort());
    expect(hullStudyArea([seeds[0]!], 2)).toHaveLength(19);
    expect(hullStudyArea([])).toEqual([]);
  });

  it("refuses mixed resolutions and runaway areas", () => {
    expect(() => hullStudyArea([seeds[0]!, latLngToCell(55.93, 23.28, 9)])).toThrow(/mixed/);
    expect(() => hullStudyArea([latLngToCell(55.9, 23.3, 8), latLngToCell(54.7, 25.3, 8), latLngToCell(55.7, 21.1, 8)], 1, 500)).toThrow(/exceeds/);
    // A city-wide hull at resolution 15 (about 60 million cells) is refused from an estimate, not filled.
    const city = [latLngToCell(55.88, 23.22, 15), latLngToCell(55.98, 23.25, 15), latLngToCell(55.93, 23.4, 15)];
    expect(() => hullStudyArea(city, 1)).toThrow(
      "the hull study area exceeds 1000000 cells at resolution 15: check the coordinates for outliers, or use a coarser resolution",
    );
  });
});

describe("hull seeds: the non-sensitive categories only (issue 13)", () => {
  const theft = [latLngToCell(55.93, 23.28, 8), latLngToCell(55.95, 23.36, 8), latLngToCell(55.9, 23.33, 8)];
  // A lone domestic-violence incident 5 km east of the thefts: with it, the hull would reach out to it.
  const lone = latLngToCell(55.925, 23.44, 8);
  const rows = [
    ...theft.map((cell, i) => ({ cell, category: "theft", month: `2019-0${i + 1}` })),
    { cell: lone, category: "domestic_violence", month: "2019-02" },
  ];
  const sensitive = new Set(["domestic_violence", "sexual_offence"]);

  it("leaves out the cells of sensitive incidents, and those of months not before `before`", () => {
    expect(hullSeedCells(rows, sensitive).sort()).toEqual([...theft].sort());
    expect(hullSeedCells(rows, new Set()).sort()).toEqual([...theft, lone].sort());
    expect(hullSeedCells(rows, sensitive, { before: "2019-03" }).sort()).toEqual(theft.slice(0, 2).sort());
  });

  it("gives a study area whose outline does not reach the lone sensitive incident", () => {
    const area = new Set(hullStudyArea(hullSeedCells(rows, sensitive), 1));
    expect(area.has(lone)).toBe(false);
    expect(Math.min(...[...area].map((c) => gridDistance(c, lone)))).toBeGreaterThan(2);
    // Built from every category (as before), the area holds it, and it is a vertex of the hull.
    expect(new Set(hullStudyArea(hullSeedCells(rows, new Set()), 1)).has(lone)).toBe(true);
  });
});

describe("the lake's hull study area (lakeGrid) from the non-sensitive categories", () => {
  it("keeps a lone domestic-violence incident at the edge of the data out of the study area", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hull-seeds-"));
    try {
      const settings = defaultSettings({ lakeDir: join(dir, "lake") });
      const lines = ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source"];
      const add = (id: string, category: string, lat: number, lon: number) =>
        lines.push(`${id},2019-03-05T12:00:00+02:00,X 1,${category},pre_trial_investigation,${lat},${lon},,,test`);
      // Coordinates to about a metre, as exports give them: rounder ones are refused as coarser than the cells.
      add("T-1", "theft", 55.93017, 23.28043);
      add("T-2", "theft", 55.95031, 23.36052);
      add("T-3", "theft", 55.90043, 23.33061);
      add("D-1", "domestic_violence", 55.92537, 23.44029);
      await writeFile(join(dir, "incidents.csv"), lines.join("\n") + "\n");
      await ingestStage([join(dir, "incidents.csv")], settings);
      const lone = latLngToCell(55.92537, 23.44029, 8);
      const grid = (s: typeof settings) => withConnection((c) => lakeGrid(c, s, { hullRing: 1 }));
      expect((await grid(settings)).area.cells).not.toContain(lone);
      // A project with no sensitive category builds it from every incident.
      expect((await grid({ ...settings, sensitiveCategories: [] })).area.cells).toContain(lone);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
