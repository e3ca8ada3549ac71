/**
 * The briefing's map as Chromium draws it (r4 T1, A6): a city whose first areas sit within a
 * kilometre of one another in a study area tens of kilometres wide. The map has one height in both
 * languages (the Lithuanian page's longer text once shrank it to 240 px, and its markers sat on one
 * another), no two numbered markers overlap, each numbered area's name is on the map clear of the
 * markers, the frame holds the whole study area, and the page has one main landmark with all its
 * content in landmarks (axe-core).
 */
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { cellToLatLng, gridDisk, latLngToCell } from "h3-js";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BriefingArea, BriefingData } from "../etl/briefing/briefing-data.ts";
import { drawnPages } from "../etl/briefing/briefing-pages.ts";
import { chromiumLaunchOptions } from "../etl/browser/chromium.ts";
import type { MunicipalityCollection } from "../etl/geo/municipalities.ts";

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Six areas: five in Šiauliai within about a kilometre of each other (priorities 1–4 and 6), one in Kuršėnai. */
function data(): BriefingData {
  const spots: Array<[string, number, number]> = [
    ["Senamiestis, Šiauliai", 55.9338, 23.3156],
    ["Kaukazas, Šiauliai", 55.9395, 23.3265],
    ["Besarabija, Šiauliai", 55.9285, 23.3055],
    ["Kamčiatka, Šiauliai", 55.9425, 23.3035],
    ["Kuršėnai", 56.0046, 22.9367],
    ["Rėkyva, Šiauliai", 55.9255, 23.3245],
  ];
  const area = ([name, lat, lon]: [string, number, number], i: number): BriefingArea => {
    const cells = i === 4 ? [latLngToCell(lat, lon, 8)] : gridDisk(latLngToCell(lat, lon, 8), 1);
    return {
      priority: i + 1,
      name: { en: name, lt: name },
      namedByPlace: true,
      cells,
      areaKm2: 0.74 * cells.length,
      centre: cellToLatLng(cells[0]!) as [number, number],
      lastMonth: null,
      last12: 1415,
      mix: [{ category: "vehicle_crime", count: 1415 }],
      timeBlocks: { total: 1415, parts: [100, 400, 500, 415] },
      weekdays: { total: 1415, parts: [200, 200, 200, 200, 215, 200, 200] },
      withoutTimeOfDay: 0,
      untimed: false,
      patterns: { persistent_hot_spot: 7 },
      plan: "new",
      lastMonthChange: "intensifying",
    };
  };
  const areas = spots.map(area);
  return {
    month: "2022-01",
    from: "2021-01",
    to: "2021-12",
    timeZone: "Europe/Vilnius",
    studyArea: "Šiaulių m. sav. + Šiaulių r. sav.",
    chosenMethod: "stacked(kde(b=1,h=24),w=0)",
    selectionReason: "baseline best in backtest",
    runnerUp: "ewma(h=3)",
    cells: areas.flatMap((a) => a.cells).length,
    areaShare: 0.05,
    areas,
    mapCells: areas.flatMap((a) => a.cells.map((cell) => ({ cell, priority: a.priority }))),
    mapLocalities: [],
    lastMonth: { month: "2021-12", method: { hitRate: 0.31, pai: 6.2 }, baseline: { hitRate: 0.29, pai: 5.8 } },
    changes: { previousMonth: "2021-12", previousPlan: "rebuilt", fading: [] },
    suppressionThreshold: 5,
    roundedTo: 5,
    sensitiveCategories: ["domestic_violence", "sexual_offence"],
  };
}

/** The study area: about 45 km by 40 km around Šiauliai, its city in the east, Kuršėnai in the north-west. */
const outlines: MunicipalityCollection = {
  type: "FeatureCollection",
  features: [
    {
      type: "Feature",
      properties: { name: "Šiaulių r. sav." },
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [22.75, 55.75],
            [23.45, 55.72],
            [23.5, 56.12],
            [22.8, 56.14],
            [22.75, 55.75],
          ],
        ],
      },
    },
  ] as MunicipalityCollection["features"],
};

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch(await chromiumLaunchOptions());
}, 120_000);
afterAll(() => browser?.close());

type Rect = { x: number; y: number; width: number; height: number };
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("the briefing map drawn in Chromium", () => {
  const { data: fitted, pages } = drawnPages(data(), ["en", "lt"], { outlines, places: [] });

  it("has one height in both languages, and no marker over another or under an area's name", async () => {
    const viewBoxes = pages.map((p) => /<svg viewBox="([^"]+)"/.exec(p.html)![1]);
    expect(viewBoxes[0]).toBe(viewBoxes[1]);
    for (const { lang, html } of pages) {
      const tab = await browser.newPage();
      try {
        await tab.setContent(html, { waitUntil: "load" });
        const drawn = await tab.evaluate(() => {
          const rect = (e: Element) => {
            const r = e.getBoundingClientRect();
            return { x: r.x, y: r.y, width: r.width, height: r.height };
          };
          return {
            markers: [...document.querySelectorAll("g.label circle")].map(rect),
            names: [...document.querySelectorAll("text.area-name")].map((e) => ({ text: e.textContent, ...rect(e) })),
            svg: rect(document.querySelector("svg")!),
            outline: rect(document.querySelector("g.outline")!),
          };
        });
        expect(fitted.areas.length, lang).toBeGreaterThanOrEqual(4);
        expect(drawn.markers, lang).toHaveLength(fitted.areas.length);
        for (const [i, a] of drawn.markers.entries())
          for (const b of drawn.markers.slice(i + 1)) expect(overlap(a, b), `${lang}: markers ${JSON.stringify([a, b])}`).toBe(false);
        // Each listed area's place (its first part) is named on the map, clear of every marker.
        expect(drawn.names.map((n) => n.text).sort(), lang).toEqual(fitted.areas.map((a) => a.name[lang].split(", ")[0]).sort());
        for (const n of drawn.names) for (const m of drawn.markers) expect(overlap(n, m), `${lang}: ${n.text}`).toBe(false);
        // The whole study area is inside the frame.
        expect(drawn.outline.x, lang).toBeGreaterThanOrEqual(drawn.svg.x);
        expect(drawn.outline.y, lang).toBeGreaterThanOrEqual(drawn.svg.y);
        expect(drawn.outline.x + drawn.outline.width, lang).toBeLessThanOrEqual(drawn.svg.x + drawn.svg.width);
        expect(drawn.outline.y + drawn.outline.height, lang).toBeLessThanOrEqual(drawn.svg.y + drawn.svg.height);
      } finally {
        await tab.close();
      }
    }
  }, 60_000);

  it("has one main landmark and all content in landmarks (axe-core), in both languages", async () => {
    for (const { lang, html } of pages) {
      const tab = await browser.newPage();
      try {
        await tab.setContent(html, { waitUntil: "load" });
        await tab.addScriptTag({ content: await AXE_SOURCE });
        const violations = await tab.evaluate(async () => {
          const axe = (globalThis as unknown as { axe: { run(options: unknown): Promise<{ violations: Array<{ id: string }> }> } }).axe;
          const runOnly = { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] };
          return (await axe.run({ runOnly, resultTypes: ["violations"] })).violations.map((v) => v.id);
        });
        expect(violations, lang).toEqual([]);
      } finally {
        await tab.close();
      }
    }
  }, 60_000);
});
