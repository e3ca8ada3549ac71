/**
 * The hot-spot page's per-cell counts against the overview's monthly count of their municipality
 * (review r4, P2): Šiaulių r. sav.'s public order of December 2021 was 17 on the overview, its hot-spot
 * cells showed 8, 5 and seven zeros, which left 4 incidents for the rest of the district, its three
 * withheld cells among them. A cell count is a part of its municipality's month: the total less the
 * published cells must be 0 or at least the threshold.
 */
import { gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { releaseCellCounts, releaseHotSpotMonth, type CategoryMonth, type MunicipalityCounts } from "../etl/publish/hotspot-release.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";

const rules = releaseRules({ suppressionThreshold: 5, sensitiveCategories: [] });
// Two clusters far apart: the district's around its village, the city's around its centre.
const district = gridDisk(latLngToCell(56.0, 22.94, 8), 2);
const city = gridDisk(latLngToCell(55.93, 23.31, 8), 1);
const cells = [...district, ...city];
const weights = kRingWeights(cells, 1);

/** One category's month: counts and bins by cell position. */
function categoryMonth(category: string, counts: Record<number, number>, hot: readonly number[]): CategoryMonth {
  const month: CategoryMonth = { category, counts: new Float64Array(cells.length), bin: new Int8Array(cells.length), binFdr: new Int8Array(cells.length) };
  for (const [i, n] of Object.entries(counts)) month.counts[Number(i)] = n;
  for (const i of hot) month.bin[i] = 3;
  return month;
}

/** Each municipality's total and its cells' counts, from counts by cell and the incidents outside any cell. */
function municipalityCounts(c: CategoryMonth, outside: Record<string, number>): MunicipalityCounts {
  const out: MunicipalityCounts = new Map();
  cells.forEach((_, i) => {
    const name = i < district.length ? "District" : "City";
    const m = out.get(name) ?? out.set(name, { total: 0, cells: new Map() }).get(name)!;
    m.total += c.counts[i]!;
    if (c.counts[i]! > 0) m.cells.set(i, c.counts[i]!);
  });
  for (const [name, n] of Object.entries(outside)) out.get(name)!.total += n;
  return out;
}

describe("hot-spot cell counts within their municipality's monthly count", () => {
  // District: 8 and 5 in two hot cells, seven cold cells of 0 drawn, three cells of 2, 1 and 1 not released; 17 in all.
  // City: 30 in its centre and 12 beside it, 6 incidents without a cell.
  const order = categoryMonth("public_order", { 0: 8, 1: 5, 9: 2, 10: 1, 11: 1, [district.length]: 30, [district.length + 1]: 12 }, [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    district.length,
    district.length + 1,
  ]);
  const areas = new Map([["public_order", municipalityCounts(order, { City: 6 })]]);
  const all = categoryMonth("all", Object.fromEntries(order.counts.entries()), []);

  it("leave no municipality a rest of 1 … threshold − 1", () => {
    const released = releaseHotSpotMonth(all, [order], weights, rules, areas);
    const group = released.find((g) => g.category === "public_order")!;
    for (const [name, { total }] of areas.get("public_order")!) {
      const shown = group.cell.reduce((s, i, k) => s + (i < district.length === (name === "District") ? (group.count[k] ?? 0) : 0), 0);
      const rest = total - shown;
      expect(rest === 0 || rest >= rules.threshold, `${name}: ${total} less ${shown} published`).toBe(true);
    }
    // The district's 5 is withheld with the three small cells (5 + 4 = 9); its 8 and the city's counts stay.
    expect(Object.fromEntries(group.cell.map((i, k) => [i, group.count[k]]))).toMatchObject({
      0: 8,
      1: null,
      [district.length]: 30,
      [district.length + 1]: 12,
    });
  });

  it("withholds nothing more where the municipality's rest already holds the threshold", () => {
    const wider = new Map([["public_order", municipalityCounts(order, { District: 6, City: 6 })]]);
    const group = releaseHotSpotMonth(all, [order], weights, rules, wider).find((g) => g.category === "public_order")!;
    expect(Object.fromEntries(group.cell.map((i, k) => [i, group.count[k]]))).toMatchObject({ 0: 8, 1: 5 });
  });

  it("counts a boundary cell's incidents in each of its municipalities", () => {
    // Cell 0 holds 8: 6 of the district's and 2 of the city's. Known to an adversary: the totals and the published cells.
    // A municipality's rest beside the published cells wholly in it, and the two municipalities' rest beside every
    // published cell, are each 0 or at least the threshold.
    const split: MunicipalityCounts = new Map([
      [
        "District",
        {
          total: 15,
          cells: new Map([
            [0, 6],
            [1, 5],
            [9, 2],
            [10, 1],
            [11, 1],
          ]),
        },
      ],
      [
        "City",
        {
          total: 47,
          cells: new Map([
            [0, 2],
            [district.length, 30],
            [district.length + 1, 12],
          ]),
        },
      ],
    ]);
    const { parts } = releaseCellCounts([{ counts: order.counts, municipalities: split }], cells.length, rules.threshold);
    const only = (name: string, i: number) => [...split].every(([other, m]) => other === name || !m.cells.has(i));
    const shown = (name: string) => [...split.get(name)!.cells].reduce((s, [i]) => s + (only(name, i) ? (parts[0]!(i) ?? 0) : 0), 0);
    const rests = [...split.keys()].map((name) => split.get(name)!.total - shown(name));
    const published = new Set([...split.values()].flatMap((m) => [...m.cells.keys()]));
    rests.push(15 + 47 - [...published].reduce((s, i) => s + (parts[0]!(i) ?? 0), 0));
    for (const rest of rests) expect(rest === 0 || rest >= rules.threshold, `rest ${rest}`).toBe(true);
    expect(parts[0]!(0)).toBe(8); // the boundary cell stays: its shares hide in both municipalities' rests
  });

  it("refuses cell counts that are not the sum of their municipalities' shares", () => {
    const wrong: MunicipalityCounts = new Map([["District", { total: 20, cells: new Map([[0, 7]]) }]]);
    expect(() => releaseCellCounts([{ counts: order.counts, municipalities: wrong }], cells.length, rules.threshold)).toThrow(/cell 0/);
  });
});
