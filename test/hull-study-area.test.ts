import { gridDisk, gridDistance, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { convexHull, hullStudyArea } from "../etl/analytics/hull-study-area.ts";

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
