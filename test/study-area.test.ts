import { cellArea, getResolution, gridDistance, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { selectMunicipalities, studyAreaCells } from "../etl/analytics/study-area.ts";
import { readMunicipalities } from "../etl/geo/municipalities.ts";
import { SHARED_BOUNDARIES } from "./helpers/shared.ts";

describe("H3 indexing", () => {
  it("gives the known answer of the h3-js documentation", () => {
    expect(latLngToCell(37.3615593, -122.0553238, 7)).toBe("87283472bffffff");
  });
});

describe("study area of Šiauliai city and district", async () => {
  const all = await readMunicipalities(SHARED_BOUNDARIES);
  const area = selectMunicipalities(all, ["Šiaulių m. sav.", "Šiaulių r. sav."]);
  const cells = studyAreaCells(area, 8);

  it("refuses a resolution whose fill would exceed the cell limit, before filling, naming the finest that fits", () => {
    // 3,066 cells at 8: about 7 × as many at 9 and 49 × at 10, so a limit of 25,000 takes 9 and refuses 10 from the estimate.
    expect(studyAreaCells(area, 9, 25_000)).toHaveLength(21_461);
    expect(() => studyAreaCells(area, 10, 25_000)).toThrow(
      /^the study area \(Šiaulių m\. sav\. \+ Šiaulių r\. sav\.\) holds about [\d,]+ H3 cells at resolution 10, more than the 25,000 an analysis takes: use --resolution 9 or coarser/,
    );
    expect(() => studyAreaCells(area, 15)).toThrow("use --resolution 10 or coarser");
  });

  it("covers the two municipalities' area with resolution-8 cells", () => {
    expect(cells.every((c) => getResolution(c) === 8)).toBe(true);
    const km2 = cells.reduce((sum, c) => sum + cellArea(c, "km2"), 0);
    // Šiauliai city 81 km² + Šiauliai district 1,807 km² (official figures); simplified outlines and
    // the centre-in-polygon rule allow a few per cent either way.
    expect(km2).toBeGreaterThan(1888 * 0.95);
    expect(km2).toBeLessThan(1888 * 1.05);
  });

  it("contains Kuršėnai and Šiauliai centre but not Vilnius", () => {
    const set = new Set(cells);
    expect(set.has(latLngToCell(56.0041, 22.9309, 8))).toBe(true);
    expect(set.has(latLngToCell(55.9349, 23.3137, 8))).toBe(true);
    expect(set.has(latLngToCell(54.6872, 25.2797, 8))).toBe(false);
  });

  it("k-ring weights: an interior cell has itself and its 6 neighbours; k = 2 gives 19", () => {
    const w1 = kRingWeights(cells, 1);
    const w2 = kRingWeights(cells, 2);
    const i = cells.indexOf(latLngToCell(55.9349, 23.3137, 8));
    expect(w1.offsets[i + 1]! - w1.offsets[i]!).toBe(7);
    expect(w2.offsets[i + 1]! - w2.offsets[i]!).toBe(19);
    for (let k = w1.offsets[i]!; k < w1.offsets[i + 1]!; k++) {
      expect(gridDistance(cells[i]!, cells[w1.neighbours[k]!]!)).toBeLessThanOrEqual(1);
    }
    expect(w1.selfIncluded).toBe(true);
  });

  it("names the known municipalities when asked for an unknown one", () => {
    expect(() => selectMunicipalities(all, ["Atlantis"])).toThrow(/unknown municipality 'Atlantis'.*Šiaulių m\. sav\./);
  });
});
