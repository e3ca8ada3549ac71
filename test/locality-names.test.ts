import { describe, expect, it } from "vitest";
import { localityName, localityNames, localityText, withLocalityNames, type LocalityCount } from "../etl/publish/locality-names.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";

const rules = releaseRules({ suppressionThreshold: 5, sensitiveCategories: ["domestic_violence"] });
const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));
const row = (cell: string, locality: string | null, incidents: number, category = "theft"): LocalityCount => ({ cell, locality, category, incidents });

describe("localityName: a clear plurality of at least k incidents", () => {
  it("names a cell by the locality holding at least k and twice the runner-up", () => {
    expect(localityName(counts({ Downtown: 5 }), 5)).toBe("Downtown");
    expect(localityName(counts({ Downtown: 10, Strathcona: 5 }), 5)).toBe("Downtown");
    expect(localityName(counts({ Downtown: 12, Strathcona: 3, Kitsilano: 2 }), 5)).toBe("Downtown");
  });

  it("names nothing where the leader holds fewer than k", () => {
    expect(localityName(counts({ Downtown: 4 }), 5)).toBeNull();
    expect(localityName(counts({ Downtown: 4, Strathcona: 1 }), 5)).toBeNull();
    expect(localityName(new Map(), 5)).toBeNull();
  });

  it("names both of two localities that share a cell, the larger first, a tie in order of name", () => {
    expect(localityName(counts({ Strathcona: 6, Downtown: 9 }), 5)).toBe("Downtown / Strathcona");
    expect(localityName(counts({ Strathcona: 7, Downtown: 7 }), 5)).toBe("Downtown / Strathcona");
    expect(localityName(counts({ Strathcona: 7, Downtown: 7, Kitsilano: 3 }), 5)).toBe("Downtown / Strathcona");
  });

  it("names nothing where the runner-up of a shared cell holds fewer than k, or a third locality is close", () => {
    expect(localityName(counts({ Downtown: 7, Strathcona: 4 }), 5)).toBeNull();
    expect(localityName(counts({ Downtown: 7, Strathcona: 7, Kitsilano: 7 }), 5)).toBeNull();
    expect(localityName(counts({ Downtown: 9, Strathcona: 7, Kitsilano: 4 }), 5)).toBeNull();
  });
});

describe("localityNames from the lake's counts", () => {
  it("sums a cell's rows over categories and months, and leaves out blank and null localities", () => {
    const rows = [row("a", "Downtown", 3), row("a", "Downtown", 2, "burglary"), row("a", null, 40), row("a", "  ", 40), row("b", " Downtown ", 5)];
    expect(localityNames(rows, rules)).toEqual(
      new Map([
        ["a", "Downtown"],
        ["b", "Downtown"],
      ]),
    );
  });

  it("never counts a sensitive category: a locality only its incidents report names nothing, nor outweighs another", () => {
    expect(localityNames([row("a", "Shelter Row", 50, "domestic_violence")], rules)).toEqual(new Map());
    expect(localityNames([row("a", "Shelter Row", 50, "domestic_violence"), row("a", "Downtown", 5)], rules)).toEqual(new Map([["a", "Downtown"]]));
    // Counted, the sensitive incidents would take Downtown's clear lead away (6 against 4).
    expect(localityNames([row("a", "Shelter Row", 4, "domestic_violence"), row("a", "Strathcona", 3), row("a", "Downtown", 6)], rules).get("a")).toBe(
      "Downtown",
    );
  });

  it("names a police.uk cell by the street or place, not the prefix: a bare 'On or near' names nothing", () => {
    // police.uk's map points: "On or near <street>" on each row, "On or near" alone where it has none.
    const rows = [row("a", "On or near", 65), row("a", "On or near Shopping Area", 24), row("a", "Shopping Area", 6), row("b", "on or near  A6008 ", 5)];
    expect(localityNames(rows, rules)).toEqual(
      new Map([
        ["a", "Shopping Area"],
        ["b", "A6008"],
      ]),
    );
    expect([localityText("On or near"), localityText(" On or near Parking Area"), localityText("On or nearby Lane")]).toEqual([
      null,
      "Parking Area",
      "On or nearby Lane",
    ]);
  });

  it("names a group of cells (a patrol area) from their summed counts, leaving out cells of no group", () => {
    const rows = [row("a", "Downtown", 3), row("b", "Downtown", 3), row("c", "Strathcona", 50)];
    const area = (cell: string) => (cell === "a" || cell === "b" ? 1 : undefined);
    expect(localityNames(rows, rules, area)).toEqual(new Map([[1, "Downtown"]]));
    expect(localityNames(rows, rules).has("a")).toBe(false);
  });
});

describe("withLocalityNames", () => {
  it("keeps the places' names where they name a cell and gives the locality, the same in both languages, elsewhere", () => {
    const places = new Map([
      ["a", { lt: "Centras, Šiauliai", en: "Centras, Šiauliai" }],
      ["b", { lt: null, en: null }],
    ]);
    const localities = new Map([
      ["a", "Downtown"],
      ["b", "Strathcona"],
      ["c", "Kitsilano"],
    ]);
    expect(withLocalityNames(["a", "b", "c", "d"], places, localities)).toEqual(
      new Map([
        ["a", { lt: "Centras, Šiauliai", en: "Centras, Šiauliai", locality: null }],
        ["b", { lt: "Strathcona", en: "Strathcona", locality: "Strathcona" }],
        ["c", { lt: "Kitsilano", en: "Kitsilano", locality: "Kitsilano" }],
        ["d", { lt: null, en: null, locality: null }],
      ]),
    );
    expect(withLocalityNames(["c"], null, localities).get("c")).toEqual({ lt: "Kitsilano", en: "Kitsilano", locality: "Kitsilano" });
  });
});
