import { describe, expect, it } from "vitest";
import { suppressLinked, type LinkedCell, type Relation } from "../etl/publish/linked-suppression.ts";
import { releaseParts } from "../etl/publish/release-rules.ts";

const T = 5;
const candidate = (value: number): LinkedCell => ({ value, role: "candidate" });
const fixed = (value: number): LinkedCell => ({ value, role: "fixed" });
const virtual = (value: number): LinkedCell => ({ value, role: "virtual" });

/**
 * The adversary, written apart from the module: from the published cells (fixed, and candidates not
 * withheld) solve any relation with one unknown cell until nothing changes; returns the cells it
 * derives that were not published, with their values.
 */
function attack(cells: readonly LinkedCell[], relations: readonly Relation[], withheld: readonly boolean[]): Map<number, number> {
  const known = new Map<number, number>();
  cells.forEach((c, i) => {
    if (c.role === "fixed" || (c.role === "candidate" && !withheld[i])) known.set(i, c.value);
  });
  const derived = new Map<number, number>();
  for (let changed = true; changed;) {
    changed = false;
    for (const { total, parts } of relations) {
      const missing = [total, ...parts].filter((i) => !known.has(i));
      if (missing.length !== 1) continue;
      const i = missing[0]!;
      const v =
        i === total ? parts.reduce((s, p) => s + known.get(p)!, 0) : known.get(total)! - parts.filter((p) => p !== i).reduce((s, p) => s + known.get(p)!, 0);
      known.set(i, v);
      derived.set(i, v);
      changed = true;
    }
  }
  return derived;
}
const smallDerived = (cells: readonly LinkedCell[], relations: readonly Relation[], withheld: readonly boolean[]) =>
  [...attack(cells, relations, withheld)].filter(([, v]) => v > 0 && v < T);

describe("suppressLinked: secondary suppression over linked tables", () => {
  it("a published total and its parts: withholds the small part, then the smallest published part (releaseParts' rule)", () => {
    // 20 = 3 + 8 + 9: 3 is withheld, and 20 − 8 − 9 would give it back, so 8 goes too.
    const cells = [candidate(20), candidate(3), candidate(8), candidate(9)];
    const relations = [{ total: 0, parts: [1, 2, 3] }];
    const { withheld, unresolved } = suppressLinked(cells, relations, T);
    expect(withheld).toEqual([false, true, true, false]);
    expect(unresolved).toEqual([]);
    expect(releaseParts([3, 8, 9], T).parts).toEqual([null, null, 9]);
  });

  it("a fixed total (an accounting total that stays published) against its parts", () => {
    // The grand total 25 = years 3 + 10 + 12: the total cannot be withheld, the year of 10 is.
    const cells = [fixed(25), candidate(3), candidate(10), candidate(12)];
    const { withheld, unresolved } = suppressLinked(cells, [{ total: 0, parts: [1, 2, 3] }], T);
    expect(withheld).toEqual([false, true, true, false]);
    expect(unresolved).toEqual([]);
    // A fixed total below the threshold is published anyway: its parts are withheld, and the relation is reported.
    const tiny = suppressLinked([fixed(3), candidate(1), candidate(2)], [{ total: 0, parts: [1, 2] }], T);
    expect(tiny.withheld).toEqual([false, true, true]);
    expect(tiny.unresolved).toEqual([0]);
  });

  it("a virtual total, never published, known from its other side: a month's total over municipalities and over exports", () => {
    // month total V = municipality A 3 + municipality B 10 = export X 6 + export Y 7. The exports give
    // V = 13, and 13 − 10 gives A's 3 back: B is withheld too.
    const cells = [virtual(13), candidate(3), candidate(10), candidate(6), candidate(7)];
    const relations = [
      { total: 0, parts: [1, 2] },
      { total: 0, parts: [3, 4] },
    ];
    expect(smallDerived(cells, relations, [false, true, false, false, false])).toEqual([[1, 3]]);
    const { withheld } = suppressLinked(cells, relations, T);
    expect(withheld).toEqual([false, true, true, false, false]);
    expect(smallDerived(cells, relations, withheld)).toEqual([]);
  });

  it("a chain that needs two rounds: the secondary cell is itself derivable and must be made unknown", () => {
    // Year Y (fixed, 13) = month m1 3 + month m2 10; m2 = category a 5 + category b 5.
    // Round 1 withholds m2 beside m1 (the year's rule); round 2 sees that a + b gives m2 back, and with it
    // m1 = 13 − 10, and withholds a; round 3 finds nothing more.
    const cells = [fixed(13), candidate(3), candidate(10), candidate(5), candidate(5)];
    const relations = [
      { total: 0, parts: [1, 2] },
      { total: 2, parts: [3, 4] },
    ];
    // Each relation released alone (releaseParts) withholds m1 and m2 only, and m1 comes back.
    expect(smallDerived(cells, relations, [false, true, true, false, false])).toEqual([[1, 3]]);
    const { withheld, rounds, unresolved } = suppressLinked(cells, relations, T);
    expect(withheld).toEqual([false, true, true, true, false]);
    expect(rounds).toBe(3);
    expect(unresolved).toEqual([]);
    expect(smallDerived(cells, relations, withheld)).toEqual([]);
  });

  it("keeps 0 published and treats a withheld sum of 0 as safe", () => {
    const cells = [candidate(12), candidate(0), candidate(12)];
    expect(suppressLinked(cells, [{ total: 0, parts: [1, 2] }], T).withheld).toEqual([false, false, false]);
  });

  it("terminates on random linked tables, with nothing small derivable unless reported unresolved", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 40; trial++) {
      // A cube rows × columns with row totals, column totals and a grand total, plus a second table of
      // the same column totals split another way (virtual column totals).
      const rows = 2 + Math.floor(random() * 4);
      const columns = 2 + Math.floor(random() * 5);
      const values = Array.from({ length: rows }, () => Array.from({ length: columns }, () => Math.floor(random() * 9)));
      const cells: LinkedCell[] = [];
      const add = (cell: LinkedCell) => cells.push(cell) - 1;
      const inner = values.map((row) => row.map((v) => add(candidate(v))));
      const rowTotals = values.map((row) => add(candidate(row.reduce((s, v) => s + v, 0))));
      const columnSums = values[0]!.map((_, j) => values.reduce((s, row) => s + row[j]!, 0));
      const columnTotals = columnSums.map((v) => add(virtual(v)));
      const split = columnSums.map((v) => {
        const a = Math.floor(random() * (v + 1));
        return [add(candidate(a)), add(candidate(v - a))];
      });
      const grand = add(fixed(columnSums.reduce((s, v) => s + v, 0)));
      const relations: Relation[] = [
        ...inner.map((row, i) => ({ total: rowTotals[i]!, parts: row })),
        ...columnTotals.map((total, j) => ({ total, parts: inner.map((row) => row[j]!) })),
        ...columnTotals.map((total, j) => ({ total, parts: split[j]! })),
        { total: grand, parts: rowTotals },
        { total: grand, parts: columnTotals },
      ];
      const { withheld, rounds, unresolved } = suppressLinked(cells, relations, T);
      expect(rounds).toBeLessThanOrEqual(cells.filter((c) => c.role === "candidate").length + 1);
      if (unresolved.length === 0) expect(smallDerived(cells, relations, withheld)).toEqual([]);
      // No count is withheld for nothing: one the attack derives anyway is published.
      expect([...attack(cells, relations, withheld).keys()].filter((i) => withheld[i])).toEqual(smallDerived(cells, relations, withheld).map(([i]) => i));
      cells.forEach((c, i) => {
        if (c.role === "candidate" && c.value > 0 && c.value < T) expect(withheld[i]).toBe(true);
        if (c.role !== "candidate") expect(withheld[i]).toBe(false);
      });
    }
  });

  it("refuses a relation that does not hold, naming it", () => {
    expect(() => suppressLinked([candidate(5), candidate(2), candidate(2)], [{ total: 0, parts: [1, 2] }], T)).toThrow(
      /relation 0: its parts sum to 4, its total is 5/,
    );
  });
});
