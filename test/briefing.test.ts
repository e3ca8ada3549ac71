/**
 * The patrol briefing's rules: compact patrol areas in priority order, complementary suppression of
 * totals and their parts, and labels in both languages for every category and pattern.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { cellArea, cellToLatLng, gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { en } from "../dashboard/src/components/strings-en.js";
import { strings } from "../dashboard/src/components/strings.js";
import { hullLabel, incidentsBeforeLabel, namedAreaLabel, readStudyAreaLabel } from "../etl/analytics/study-area-label.ts";
import { groupPatrolAreas, type PriorityCell } from "../etl/briefing/patrol-areas.ts";
import { releaseParts, seriesRounded } from "../etl/publish/release-rules.ts";
import { differenceSafe } from "../etl/briefing/hot-spot-differences.ts";
import { studyAreaOutline } from "../etl/publish/cell-geometry.ts";
import { BRIEFING_STRINGS } from "../etl/briefing/briefing-strings.ts";
import { NoForecastError, briefingData, type BriefingArea, type BriefingData } from "../etl/briefing/briefing-data.ts";
import { briefingText } from "../etl/cli/briefing-command.ts";
import { placeLabels } from "../etl/briefing/map-labels.ts";
import { labelBox, overlaps } from "../dashboard/src/components/map-places.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { placeIndex } from "../etl/geo/place-names.ts";
import { COLUMN_WIDTHS, briefingHtml } from "../etl/briefing/briefing-html.ts";
import { CONTENT_WIDTH_PX, PRINT, textLines } from "../etl/briefing/page-fit.ts";
import { SITE_BRIEFING_FILES, briefingMonth, writeUnavailableBriefing, type SiteBriefingIndex } from "../etl/briefing/site-briefing.ts";
import type { MunicipalityCollection } from "../etl/geo/municipalities.ts";
import type { Place } from "../etl/geo/places.ts";

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

describe("seriesRounded", () => {
  it("rounds a released count to the threshold's base, halves up; withheld stays withheld, 0 stays 0, a threshold of 1 rounds nothing", () => {
    const rules = { threshold: 5 };
    expect([null, 0, 5, 7, 8, 12, 13, 393].map((n) => seriesRounded(n, rules))).toEqual([null, 0, 5, 5, 10, 10, 15, 395]);
    expect([10, 14, 15, 24].map((n) => seriesRounded(n, { threshold: 10 }))).toEqual([10, 10, 20, 20]);
    expect(seriesRounded(393, { threshold: 1 })).toBe(393);
  });

  it("leaves a figure that passed the hot-spot check no small rest: every count ≥ the threshold rounding to it, less the exact parts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 }), (threshold, count, published) => {
        // What the briefing publishes: a count of at least the threshold whose published parts leave 0 or at least the threshold.
        fc.pre(count >= threshold && published <= count && differenceSafe(count, published, threshold));
        const rounded = seriesRounded(count, { threshold })!;
        // What a reader knows of it: a published count is at least the threshold and rounds to the figure.
        const rests = Array.from({ length: 2 * threshold + 1 }, (_, i) => rounded - threshold + i)
          .filter((n) => n >= threshold && seriesRounded(n, { threshold }) === rounded)
          .map((n) => n - published)
          .filter((n) => n >= 0);
        expect(rests).toContain(count - published);
        expect(rests.every((n) => n > 0 && n < threshold)).toBe(false);
      }),
    );
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
    // A count withheld to protect another may be large: it is never shown as "< k".
    for (const strings of Object.values(BRIEFING_STRINGS)) {
      expect(strings.basis({ from: "a", to: "b", zone: "Europe/Vilnius", sensitive: [], threshold: 5, rounded: 5 })).not.toContain("< 5");
      expect(strings.basis({ from: "a", to: "b", zone: "Europe/Vilnius", sensitive: [], threshold: 5, rounded: 5 })).toContain(strings.withheld);
    }
    expect(BRIEFING_STRINGS.lt.month("2022-01")).toBe("2022 m. sausio mėn.");
    expect(BRIEFING_STRINGS.en.month("2022-12")).toBe("December 2022");
  });
});

describe("the briefing's words", () => {
  it("count areas of neighbouring cells and single cells apart in the lead", () => {
    const lead = (areas: number, singleCells: number) =>
      BRIEFING_STRINGS.en.lead({ month: "January 2022", areas, singleCells, cells: 12, share: "5%", method: "m", reason: "best in backtest", runnerUp: "n" });
    expect(lead(2, 3)).toContain("12 cells covering 5% of the study area, in 2 areas of neighbouring cells and 3 single cells, ranked");
    expect(lead(1, 0)).toContain("in 1 area of neighbouring cells, ranked");
    expect(lead(0, 1)).toContain("in 1 single cell, ranked");
    expect(
      BRIEFING_STRINGS.lt.lead({ month: "x", areas: 2, singleCells: 3, cells: 12, share: "5 %", method: "m", reason: "best in backtest", runnerUp: "n" }),
    ).toContain("(vietovių iš kelių gretimų langelių – 2, pavienių langelių – 3)");
  });

  it("word a forecast method's id in each language, as the dashboard does", () => {
    const id = "stacked(kde(b=1,h=24),w=0)";
    // Its parenthesised parts as comma clauses: the lead puts the method in parentheses.
    expect(BRIEFING_STRINGS.en.method(id)).toBe("Last 12 months, ties broken by “Smoothed over neighbouring cells, kernel width 1, half-life 24 months”");
    expect(BRIEFING_STRINGS.lt.method(id)).toContain("pusėjimo trukmė 24 mėn.");
    expect(BRIEFING_STRINGS.en.method("last-12-months")).toBe("Last 12 months’ count, baseline");
  });

  it("credit OpenStreetMap for what is shown only", () => {
    expect(BRIEFING_STRINGS.en.attribution({ places: false, outlines: false })).toBeNull();
    expect(BRIEFING_STRINGS.en.attribution({ places: true, outlines: false })).toBe("Place names © OpenStreetMap contributors, ODbL");
    expect(BRIEFING_STRINGS.en.attribution({ places: false, outlines: true })).toBe("Outlines © OpenStreetMap contributors, ODbL");
    expect(BRIEFING_STRINGS.lt.attribution({ places: true, outlines: true })).toBe("Vietovardžiai ir ribos © OpenStreetMap bendraautoriai, ODbL");
  });
});

describe("the briefing drawn", () => {
  // Three cells of Šiauliai: two neighbours (area 1) and one far away (area 2, a single cell).
  const a = latLngToCell(55.9338, 23.3156, 8);
  const b = gridDisk(a, 1).find((c) => c !== a)!;
  const far = latLngToCell(56.0046, 22.9367, 8);
  const area = (priority: number, cells: string[], namedByPlace: boolean): BriefingArea => ({
    priority,
    name: namedByPlace ? { en: "Centras, Šiauliai", lt: "Centras, Šiauliai" } : { en: "56.0046, 22.9367", lt: "56.0046, 22.9367" },
    namedByPlace,
    cells,
    areaKm2: 0.7 * cells.length,
    centre: cellToLatLng(cells[0]!) as [number, number],
    lastMonth: 12,
    last12: 120,
    mix: [{ category: "theft", count: 120 }],
    timeBlocks: { total: 120, parts: [10, 20, 40, 50] },
    weekdays: { total: 120, parts: [10, 10, 10, 10, 40, 20, 20] },
    withoutTimeOfDay: 0,
    untimed: false,
    patterns: {},
    plan: null,
    lastMonthChange: "as_usual",
  });
  const data = (named: boolean): BriefingData => ({
    month: "2022-01",
    from: "2021-01",
    to: "2021-12",
    timeZone: "Europe/Vilnius",
    studyArea: "hull+1",
    chosenMethod: "ewma(h=3)",
    selectionReason: null,
    runnerUp: null,
    cells: 3,
    areaShare: 0.05,
    areas: [area(1, [a, b], named), area(2, [far], named)],
    mapCells: [
      { cell: a, priority: 1 },
      { cell: b, priority: 1 },
      { cell: far, priority: 2 },
    ],
    mapLocalities: [],
    lastMonth: null,
    changes: { previousMonth: null, previousPlan: null, fading: [] },
    suppressionThreshold: 5,
    roundedTo: 5,
    sensitiveCategories: [],
  });
  const empty: MunicipalityCollection = { type: "FeatureCollection", features: [] };

  it("credits nothing of OpenStreetMap when it draws no outline, no place label and names no area by a place", () => {
    const page = briefingHtml({ data: data(false), strings: BRIEFING_STRINGS.en, outlines: empty, places: [] });
    expect(page).not.toContain("OpenStreetMap");
    expect(page).toContain("in 1 area of neighbouring cells and 1 single cell");
    expect(page).toContain("(Age-weighted history, half-life 3 months)");
  });

  it("says last month's result is withheld where a hit rate is, in both languages", () => {
    const withheld = { month: "2021-12", method: { hitRate: null, pai: null }, baseline: { hitRate: 0.4, pai: 8 } };
    const page = (strings = BRIEFING_STRINGS.en) => briefingHtml({ data: { ...data(false), lastMonth: withheld }, strings, outlines: empty, places: [] });
    expect(page()).toContain("<p>The result for December 2021 is withheld (small counts).</p>");
    expect(page()).not.toContain("PAI");
    expect(page(BRIEFING_STRINGS.lt)).toContain("<p>2021 m. gruodžio mėn. rezultatas neskelbiamas (per maži skaičiai).</p>");
  });

  it("words the lead, the footnote and the table as they read: no IANA zone, lists joined by “and”, no nested parentheses", () => {
    const sensitive = { ...data(false), timeZone: "America/Vancouver", sensitiveCategories: ["domestic_violence", "sexual_offence"] };
    const withPatterns = { ...sensitive, areas: sensitive.areas.map((a) => ({ ...a, patterns: { diminishing_hot_spot: 7, new_hot_spot: 1 } })) };
    const named = (strings = BRIEFING_STRINGS.en) =>
      briefingHtml({ data: { ...withPatterns, studyArea: "Šiaulių m. sav. + Šiaulių r. sav." }, strings, outlines: empty, places: [] });
    const [en, lt] = [named(), named(BRIEFING_STRINGS.lt)];
    expect(en).toContain("(months in Pacific Time), all offences except domestic violence and sexual offences.");
    expect(lt).toContain("(mėnesiai vietos laiku), visus nusikaltimus, išskyrus šias kategorijas: smurtas artimoje aplinkoje ir seksualiniai nusikaltimai.");
    for (const page of [en, lt]) expect(page).not.toMatch(/America\/Vancouver| \+ |\([^()<]*\(/);
    expect(en).toContain("Study area: Šiaulių m. sav. and Šiaulių r. sav.");
    expect(lt).toContain("Tiriamoji teritorija: Šiaulių m. sav. ir Šiaulių r. sav.");
    expect(lt).toContain("Pirmiausia – vietovė Nr. 1.");
    expect(en).toContain("Diminishing hot spot (7 cells), New hot spot (1 cell)");
    expect(lt).toContain("(langelių: 7)");
  });

  it("breaks no column header inside a word, in either language", () => {
    const size = PRINT.tablePt * (96 / 72);
    const inner = (i: number) => COLUMN_WIDTHS[i]! * CONTENT_WIDTH_PX - 2 * PRINT.cellPaddingPt[1] * (96 / 72);
    for (const t of [BRIEFING_STRINGS.en, BRIEFING_STRINGS.lt])
      for (const [i, header] of Object.values(t.columns).entries())
        for (const word of header.split(/\s+/)) expect(textLines(word, inner(i), size, true), `${t.lang}: ${word}`).toBe(1);
  });

  it("labels a map without places by the localities that name its cells, credits no OpenStreetMap for them, and prefers places", () => {
    const labelsOf = (page: string) => [...page.matchAll(/<text class="place"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    const localities = {
      ...data(false),
      mapLocalities: [a, b].map((cell) => ({ cell, name: "Tempe Town Lake" })).concat([{ cell: far, name: "Kiwanis Park" }]),
    };
    const page = briefingHtml({ data: localities, strings: BRIEFING_STRINGS.en, outlines: empty, places: [] });
    // One label per locality, the one naming more cells first; an export's words are not OpenStreetMap's.
    expect(labelsOf(page)).toEqual(["Tempe Town Lake", "Kiwanis Park"]);
    expect(page).not.toContain("OpenStreetMap");
    // A name shared by two localities ("A / B") labels nothing: its cell lies between two that have labels.
    const shared = { ...data(false), mapLocalities: [{ cell: a, name: "Tempe Town Lake / Kiwanis Park" }] };
    expect(labelsOf(briefingHtml({ data: shared, strings: BRIEFING_STRINGS.en, outlines: empty, places: [] }))).toEqual([]);
    // Where places are drawn, the localities are not.
    const [lat, lon] = cellToLatLng(a);
    const town: Place = { name: "Šiauliai", nameEn: null, kind: "city", population: 100000, lat: lat + 0.002, lon: lon + 0.002 };
    const placed = briefingHtml({ data: localities, strings: BRIEFING_STRINGS.en, outlines: empty, places: [town] });
    expect(labelsOf(placed)).toEqual(["Šiauliai"]);
  });

  it("draws a hull study area's outline where there are no municipalities, credits no OpenStreetMap for it, and leaves a municipality map as it was", () => {
    const outline = studyAreaOutline(gridDisk(a, 3))!;
    const ring = outline.geometry.type === "MultiPolygon" ? outline.geometry.coordinates[0]![0]! : outline.geometry.coordinates[0]!;
    const outlineGroup = (page: string) => /<g class="outline">(.*?)<\/g>/.exec(page)![1]!;
    const hull = briefingHtml({ data: data(false), strings: BRIEFING_STRINGS.en, outlines: empty, studyAreaOutline: outline, places: [] });
    // One path per ring, with as many vertices as the outline's ring (closed by Z, not repeated).
    const paths = [...outlineGroup(hull).matchAll(/<path d="M([^"]*)Z"\/>/g)];
    expect(paths).toHaveLength(1);
    expect(paths[0]![1]!.split("L")).toHaveLength(ring.length);
    expect(outlineGroup(briefingHtml({ data: data(false), strings: BRIEFING_STRINGS.en, outlines: empty, places: [] }))).toBe("");
    expect(hull).not.toContain("OpenStreetMap");
    // Municipalities are drawn as before, and the hull outline is not added to them.
    const municipality: MunicipalityCollection = {
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          properties: { name: "Šiaulių m. sav." },
          geometry: { type: "Polygon", coordinates: [ring.map(([lon, lat]) => [lon! + 0.001, lat!])] },
        },
      ],
    };
    const named = (extra: object) => briefingHtml({ data: data(false), strings: BRIEFING_STRINGS.en, outlines: municipality, places: [], ...extra });
    expect(named({ studyAreaOutline: outline })).toBe(named({}));
    expect([...outlineGroup(named({})).matchAll(/<path /g)]).toHaveLength(1);
  });

  it("says a backtest chose the method only where the forecast's selection reason says one did, in both languages", () => {
    const page = (reason: string | null, strings = BRIEFING_STRINGS.en, runnerUp: string | null = "ewma(h=3)") =>
      briefingHtml({ data: { ...data(false), chosenMethod: "last-12-months", selectionReason: reason, runnerUp }, strings, outlines: empty, places: [] });
    expect(page("best in backtest")).toContain("ranked by the forecast method the backtest on past months selected (Last 12 months’ count, baseline)");
    expect(page("best in backtest", BRIEFING_STRINGS.lt)).toContain("atgaline patikra parinktas prognozės metodas");
    for (const reason of ["too little history", "baseline never hit", "baseline best in backtest", null]) {
      expect(page(reason)).not.toContain("backtest on past months selected");
      expect(page(reason, BRIEFING_STRINGS.lt)).not.toContain("atgaline patikra parinktas");
    }
    expect(page("too little history")).toContain(
      "ranked by the baseline forecast (Last 12 months’ count, baseline): the data are too short for a backtest on past months to choose a method. Area 1 first.",
    );
    expect(page("too little history", BRIEFING_STRINGS.lt)).toContain("duomenų laikotarpis per trumpas, kad atgalinė patikra parinktų metodą");
    // Enough months, but the baseline's cells never caught an incident: not a short history.
    expect(page("baseline never hit")).toContain(
      "ranked by the baseline forecast (Last 12 months’ count, baseline): its cells caught no incident in the backtest on past months, so no method’s gain over it can be measured. Area 1 first.",
    );
    expect(page("baseline never hit", BRIEFING_STRINGS.lt)).toContain("jo atrinktuose langeliuose nebuvo užregistruota nė vieno įvykio");
    expect(page("baseline never hit")).not.toContain("too short");
    expect(page("baseline best in backtest")).toContain("no other method beat it by more than its month-to-month noise");
    expect(page("baseline best in backtest", BRIEFING_STRINGS.lt)).toContain("nė vienas kitas metodas jo nepranoko");
  });

  it("says no other method was backtested, not that none beat the baseline, where the forecast had no runner-up", () => {
    const page = (strings = BRIEFING_STRINGS.en) =>
      briefingHtml({
        data: { ...data(false), chosenMethod: "last-12-months", selectionReason: "baseline best in backtest", runnerUp: null },
        strings,
        outlines: empty,
        places: [],
      });
    expect(page()).toContain(
      "ranked by the baseline forecast (Last 12 months’ count, baseline): no other method was backtested on past months to set against it. Area 1 first.",
    );
    expect(page()).not.toMatch(/beat it/);
    expect(page(BRIEFING_STRINGS.lt)).toContain("nebuvo tikrinamas nė vienas kitas metodas, su kuriuo jį būtų galima palyginti");
    expect(page(BRIEFING_STRINGS.lt)).not.toContain("nepranoko");
  });

  it("words a hull study area in the page's language, in the dashboard's words, and names named polygons in a list of words", () => {
    const hull = incidentsBeforeLabel(hullLabel(1), "2024-10");
    expect(readStudyAreaLabel(hull)).toEqual({ kind: "hull", ring: 1, before: "2024-10" });
    expect(readStudyAreaLabel(hullLabel(2))).toEqual({ kind: "hull", ring: 2, before: null });
    const page = (studyArea: string, strings = BRIEFING_STRINGS.en) =>
      briefingHtml({ data: { ...data(false), studyArea }, strings, outlines: empty, places: [] });
    const lt = page(hull, BRIEFING_STRINGS.lt);
    expect(lt).not.toContain("hull of the incident cells");
    expect(lt).toContain(`Tiriamoji teritorija: ${strings("lt").overview.hullArea(1)} (įvykiai iki 2024 m. spalio mėn.)`);
    expect(page(hull)).toContain(`Study area: ${en.overview.hullArea(1)} (incidents before October 2024)`);
    const named = namedAreaLabel(["Šiaulių m. sav.", "Šiaulių r. sav."]);
    expect(page(named, BRIEFING_STRINGS.lt)).toContain("Tiriamoji teritorija: Šiaulių m. sav. ir Šiaulių r. sav.");
  });

  it("credits the place names when an area is named by a place, and draws each label as one text with a halo", () => {
    const named = briefingHtml({ data: data(true), strings: BRIEFING_STRINGS.en, outlines: empty, places: [] });
    expect(named).toContain("Place names © OpenStreetMap contributors, ODbL");
    const place: Place = { name: "Šiauliai", nameEn: null, kind: "city", population: 100_000, lat: 55.95, lon: 23.2 };
    const labelled = briefingHtml({ data: data(false), strings: BRIEFING_STRINGS.lt, outlines: empty, places: [place] });
    expect([...labelled.matchAll(/<text class="place"[^>]*>Šiauliai<\/text>/g)]).toHaveLength(1);
    expect(labelled).toContain("Vietovardžiai © OpenStreetMap bendraautoriai, ODbL");
    // The halo is a text-shadow: a stroke (paint-order) would print the label's text twice into the PDF.
    expect(/\.place \{[^}]*\}/.exec(labelled)![0]).toMatch(/text-shadow/);
    expect(/\.place \{[^}]*\}/.exec(labelled)![0]).not.toMatch(/stroke/);
  });
});

describe("the site's briefing files", () => {
  it("brief on the month after the lake's last month of incidents", () => {
    const entry = (month: string) => ({ month, rows: 1, sha256: "" });
    const timezone = "Europe/Vilnius";
    expect(briefingMonth({ timezone, tables: { incidents: { a: entry("2021-11"), b: entry("2021-12"), c: entry("2020-03") } } })).toBe("2022-01");
    expect(briefingMonth({ timezone, tables: {} })).toBeNull();
  });

  it("brief on the current month when the lake's last month has not ended, or holds too few incidents to be whole", () => {
    const entry = (month: string, rows: number) => ({ month, rows, sha256: "" });
    const timezone = "Europe/Vilnius";
    const full = Object.fromEntries(["2021-09", "2021-10", "2021-11"].map((m) => [m, entry(m, 300)]));
    // An upload of the 1st's incidents, briefed on the 2nd (00:30 on 2 December in Vilnius is still 1 December in UTC).
    const open = { timezone, tables: { incidents: { ...full, d: entry("2021-12", 3) } } };
    expect(briefingMonth(open, new Date("2021-12-01T22:30:00Z"))).toBe("2021-12");
    // Once December has ended, its three incidents are too few to be a whole month: January's briefing still rests on November.
    expect(briefingMonth(open, new Date("2022-01-05T10:00:00Z"))).toBe("2021-12");
    // A whole December, once ended, is analysed as any month.
    expect(briefingMonth({ timezone, tables: { incidents: { ...full, d: entry("2021-12", 280) } } }, new Date("2022-01-05T10:00:00Z"))).toBe("2022-01");
  });

  it("say why there is no briefing, in both languages, when the lake holds no forecast", async () => {
    const dir = await mkdtemp(join(tmpdir(), "site-briefing-"));
    try {
      await writeUnavailableBriefing(dir, { month: "2022-01", areas: 0, unavailable: "no_forecast" });
      const index = JSON.parse(await readFile(join(dir, SITE_BRIEFING_FILES.index), "utf8")) as SiteBriefingIndex;
      expect(index).toMatchObject({ month: "2022-01", areas: 0, unavailable: "no_forecast" });
      // The hash the built page's name carries (Framework: the first 8 hex digits of the content's SHA-256).
      for (const lang of ["en", "lt"] as const) {
        const bytes = await readFile(join(dir, SITE_BRIEFING_FILES[lang]));
        expect(index.sha256[lang]).toBe(createHash("sha256").update(bytes).digest("hex").slice(0, 8));
      }
      expect(await readFile(join(dir, SITE_BRIEFING_FILES.en), "utf8")).toContain("No briefing for January 2022: the lake holds no patrol forecast for it");
      expect(await readFile(join(dir, SITE_BRIEFING_FILES.lt), "utf8")).toContain("Instruktažo 2022 m. sausio mėn. nėra");
      // The advice computes the forecast without ingesting: `run` with no file would load the bundled demo into any lake.
      for (const lang of ["en", "lt"] as const) {
        const page = await readFile(join(dir, SITE_BRIEFING_FILES[lang]), "utf8");
        expect(page, lang).toContain("`hotspots forecast --month 2022-01`");
        expect(page, lang).toContain("`hotspots publish`");
        expect(page, lang).not.toContain("`hotspots run`");
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("hotspots briefing", () => {
  it("counts the areas listed in agreement: 1 area, 8 areas", () => {
    expect(briefingText({ month: "2023-01", areas: 1, files: [] })).toBe("Patrol briefing for 2023-01: 1 area listed");
    expect(briefingText({ month: "2023-01", areas: 8, files: [] })).toBe("Patrol briefing for 2023-01: 8 areas listed");
  });

  it("says a month has no forecast, and what to run, without DuckDB's SQL text", async () => {
    const dir = await mkdtemp(join(tmpdir(), "briefing-no-forecast-"));
    try {
      const request = {
        lakeDir: dir,
        month: "2021-06",
        timeZone: "UTC",
        k: 1,
        places: placeIndex([]),
        suppressionThreshold: 5,
        sensitiveCategories: new Set<string>(),
      };
      const error = await withConnection((c) => briefingData(c, request)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NoForecastError);
      expect((error as Error).message).toMatch(/^no patrol forecast for 2021-06 in the lake \(.+\): run `hotspots forecast --month 2021-06` first$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the briefing map's place labels", () => {
  const frame = { width: 700, height: 360, fontSize: 9, max: 14 };

  it("keep off each other, the area markers and the map's edge; a taken point moves its label up to two lines above or below", () => {
    const marker = [340, 170, 360, 190] as const;
    const labels = placeLabels(
      [
        { text: "Šiauliai", x: 350, y: 180 }, // on the marker, and a line off it still touches it: two lines up
        { text: "Medelynas", x: 350, y: 180 }, // then two lines down
        { text: "Gubernija", x: 352, y: 181 }, // no room left
        { text: "Far", x: 100, y: 100 },
        { text: "Edge", x: 2, y: 100 }, // its box would leave the map
      ],
      [marker],
      frame,
    );
    expect(labels.map((l) => [l.text, l.y])).toEqual([
      ["Šiauliai", 154],
      ["Medelynas", 206],
      ["Far", 100],
    ]);
    const boxes = [marker, ...labels.map((l) => labelBox(l.text, l.x, l.y, frame.fontSize))];
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(overlaps(a, b), `${String(a)} / ${String(b)}`).toBe(false);
  });

  it("draw no two overlapping names on the page, nor one under a marker", () => {
    const a = latLngToCell(55.9338, 23.3156, 8);
    const [lat, lon] = cellToLatLng(a);
    const place = (name: string, population: number): Place => ({ name, nameEn: null, kind: "suburb", population, lat, lon });
    const area: BriefingArea = {
      priority: 1,
      name: { en: "Centras", lt: "Centras" },
      namedByPlace: true,
      cells: [a],
      areaKm2: 0.7,
      centre: [lat, lon],
      lastMonth: 12,
      last12: 120,
      mix: [],
      timeBlocks: { total: 120, parts: [30, 30, 30, 30] },
      weekdays: { total: 120, parts: [20, 20, 20, 20, 20, 10, 10] },
      withoutTimeOfDay: 0,
      untimed: false,
      patterns: {},
      plan: null,
      lastMonthChange: "as_usual",
    };
    const data: BriefingData = {
      month: "2022-01",
      from: "2021-01",
      to: "2021-12",
      timeZone: "Europe/Vilnius",
      studyArea: "hull+1",
      chosenMethod: null,
      selectionReason: null,
      runnerUp: null,
      cells: 1,
      areaShare: 0.05,
      areas: [area],
      mapCells: [{ cell: a, priority: 1 }],
      mapLocalities: [],
      lastMonth: null,
      changes: { previousMonth: null, previousPlan: null, fading: [] },
      suppressionThreshold: 5,
      roundedTo: 5,
      sensitiveCategories: [],
    };
    // Six places on the marker's point: before, all six were drawn there, under it and over each other.
    const places = ["Šiauliai", "Medelynas", "Gubernija", "Dainai", "Lepšiai", "Rėkyva"].map((n, i) => place(n, 1000 - i));
    const page = briefingHtml({ data, strings: BRIEFING_STRINGS.en, outlines: { type: "FeatureCollection", features: [] }, places });
    const circle = /<circle cx="([\d.]+)" cy="([\d.]+)" r="(\d+)"/.exec(page)!.slice(1).map(Number) as [number, number, number];
    const markerBox = [circle[0] - circle[2], circle[1] - circle[2], circle[0] + circle[2], circle[1] + circle[2]] as const;
    const drawn = [...page.matchAll(/<text class="place" x="([\d.]+)" y="([\d.]+)"(?: dy="0.35em")?>([^<]+)<\/text>/g)].map((m) =>
      labelBox(m[3]!, Number(m[1]), Number(m[2]), 9),
    );
    expect(drawn.length).toBe(2); // two lines above and below the marker; the other four have no room
    const boxes = [markerBox, ...drawn];
    for (const [i, b1] of boxes.entries()) for (const b2 of boxes.slice(i + 1)) expect(overlaps(b1, b2)).toBe(false);
  });
});
