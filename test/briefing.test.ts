/**
 * The patrol briefing's rules: compact patrol areas in priority order, complementary suppression of
 * totals and their parts, and labels in both languages for every category and pattern.
 */
import fc from "fast-check";
import { cellArea, gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { en } from "../dashboard/src/components/strings-en.js";
import { groupPatrolAreas, type PriorityCell } from "../etl/briefing/patrol-areas.ts";
import { releaseParts } from "../etl/publish/release-rules.ts";
import { BRIEFING_STRINGS } from "../etl/briefing/briefing-strings.ts";

describe("groupPatrolAreas", () => {
  const centre = latLngToCell(55.9338, 23.3156, 8);
  const far = latLngToCell(56.0046, 22.9367, 8);
  const cell = (id: string, rank: number): PriorityCell => ({ cell: id, rank, areaKm2: cellArea(id, "km2") });

  it("splits a cluster larger than a k-ring into areas of at most a cell and its ring, best rank first", () => {
    // The cell, its two rings (19 cells) ranked outwards, and one far cell ranked 5th.
    const cluster = gridDisk(centre, 2).map((id, i) => cell(id, i < 4 ? i + 1 : i + 2));
    const selected = [...cluster, cell(far, 5)];
    const areas = groupPatrolAreas(selected, 1);
    expect(areas[0]!.priority).toBe(1);
    expect(areas[0]!.cells[0]!.cell).toBe(centre);
    for (const area of areas) {
      expect(area.cells.length).toBeLessThanOrEqual(7);
      const seed = area.cells[0]!.cell;
      for (const member of area.cells) expect(gridDisk(seed, 1)).toContain(member.cell);
    }
    // Every selected cell in exactly one area; areas in order of their best rank.
    expect(areas.flatMap((a) => a.cells.map((c) => c.cell)).sort()).toEqual(selected.map((c) => c.cell).sort());
    const bestRanks = areas.map((a) => a.cells[0]!.rank);
    expect(bestRanks).toEqual([...bestRanks].sort((a, b) => a - b));
    expect(areas.find((a) => a.cells.some((c) => c.cell === far))!.cells).toHaveLength(1);
  });

  it("sums the areas and centres each area among its cells", () => {
    const [area] = groupPatrolAreas([cell(centre, 1)], 1);
    expect(area!.areaKm2).toBeCloseTo(cellArea(centre, "km2"), 12);
    expect(area!.centre[0]).toBeCloseTo(55.93, 1);
  });
});

describe("releaseParts", () => {
  it("withholds small parts and, where one small part alone would follow from the total, the next smallest", () => {
    expect(releaseParts([10, 12, 7], 5)).toEqual({ total: 29, parts: [10, 12, 7] });
    expect(releaseParts([3, 12, 7], 5)).toEqual({ total: 22, parts: [null, 12, null] });
    expect(releaseParts([0, 10, 12], 5)).toEqual({ total: 22, parts: [null, null, 12] });
    expect(releaseParts([4, 4, 20], 5)).toEqual({ total: 28, parts: [null, null, 20] });
    expect(releaseParts([1, 2, 1], 5)).toEqual({ total: null, parts: [null, null, null] });
    expect(releaseParts([2, 3], 5)).toEqual({ total: 5, parts: [null, null] });
  });

  it("never lets a small count be worked out: each published part reaches the threshold, and the withheld parts together do too", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(30), { maxLength: 9 }), fc.integer({ min: 1, max: 10 }), (parts, threshold) => {
        const released = releaseParts(parts, threshold);
        const total = parts.reduce((s, n) => s + n, 0);
        expect(released.total).toBe(total < threshold ? null : total);
        released.parts.forEach((p, i) => {
          if (p !== null) expect(p).toBe(parts[i]);
          if (p !== null) expect(p).toBeGreaterThanOrEqual(threshold);
        });
        if (released.total !== null) {
          const withheld = total - released.parts.reduce<number>((s, p) => s + (p ?? 0), 0);
          const count = released.parts.filter((p) => p === null).length;
          // Nothing withheld, or several parts whose sum is not small (one withheld part would be exact).
          if (count > 0) {
            expect(count).toBeGreaterThanOrEqual(2);
            expect(withheld).toBeGreaterThanOrEqual(threshold);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("briefing strings", () => {
  it("label every offence category and emerging pattern of the dashboard in both languages", () => {
    const categories = Object.keys(en.categories as Record<string, string>);
    const patterns = Object.keys(en.patterns as Record<string, unknown>);
    for (const strings of Object.values(BRIEFING_STRINGS)) {
      for (const c of categories) expect(strings.category(c)).not.toBe(c);
      for (const p of patterns) expect(strings.pattern(p)).not.toBe(p);
    }
    expect(BRIEFING_STRINGS.lt.month("2022-01")).toBe("2022 m. sausio mėn.");
    expect(BRIEFING_STRINGS.en.month("2022-12")).toBe("December 2022");
  });
});
