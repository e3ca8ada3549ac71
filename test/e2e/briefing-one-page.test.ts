/**
 * The briefing is one A4 page (etl/briefing/README.md; the patrol page says "A4 page"), printed by
 * Chromium as `hotspots briefing` prints it, in both languages. The pages are of a city that is not
 * the demo's — a hull study area, no outlines or places, areas named by coordinates — with every text
 * as long as the briefing writes it: eight areas with three patterns each, a long offence mix, a
 * long list of what changed. Such a page cannot list all eight areas: the layout (page-fit.ts) lists
 * the highest priorities that fit, says the others are on the map only, and the footnote (months
 * covered, what is withheld) stays on the page. A page of short rows keeps every area.
 */
import { cellToLatLng, gridDisk, latLngToCell } from "h3-js";
import { chromium, type Browser } from "playwright-core";
import { extractText, getDocumentProxy } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BriefingArea, BriefingData } from "../../etl/briefing/briefing-data.ts";
import { briefingHtml, briefingLayout, type BriefingPage } from "../../etl/briefing/briefing-html.ts";
import { BRIEFING_STRINGS } from "../../etl/briefing/briefing-strings.ts";
import { chromiumLaunchOptions } from "../../etl/browser/chromium.ts";

/** Eight areas spread over a city (Vancouver's latitude), each of a cell and its ring, and three single cells. */
function cityData(long: boolean): BriefingData {
  const centres = Array.from({ length: 11 }, (_, i) => latLngToCell(49.2 + 0.02 * (i % 4), -123.2 + 0.03 * Math.floor(i / 4), 8));
  const groups = centres.map((c, i) => (i < 8 ? gridDisk(c, 1) : [c]));
  const area = (priority: number, cells: string[]): BriefingArea => {
    const [lat, lon] = cellToLatLng(cells[0]!);
    const name = `${lat.toFixed(4)}, ${lon.toFixed(4)}`;
    return {
      priority,
      name: { en: name, lt: name },
      namedByPlace: false,
      cells,
      areaKm2: 0.74 * cells.length,
      centre: [lat, lon],
      lastMonth: long ? null : 40,
      last12: 1413,
      mix: long
        ? [
            { category: "vehicle_crime", count: 481 },
            { category: "public_order", count: 315 },
            { category: "criminal_damage", count: null },
          ]
        : [{ category: "theft", count: 1413 }],
      timeBlocks: { total: 1413, parts: [100, 400, 500, 413] },
      weekdays: { total: 1413, parts: [200, 200, 200, 200, 213, 200, 200] },
      withoutTimeOfDay: long ? 1000 : 0,
      untimed: false,
      patterns: long ? { diminishing_hot_spot: 3, persistent_hot_spot: 2, sporadic_hot_spot: 2 } : {},
      plan: long ? "new" : null,
      lastMonthChange: long ? "intensifying" : "as_usual",
    };
  };
  const areas = groups.slice(0, 8).map((cells, i) => area(i + 1, cells));
  return {
    month: "2024-11",
    from: "2023-11",
    to: "2024-10",
    timeZone: "America/Vancouver",
    studyArea: "hull of the incident cells + 1 ring; incidents before 2024-10",
    chosenMethod: "stacked(kde(b=1,h=24),w=0)",
    selectionReason: "baseline best in backtest",
    runnerUp: "kde(b=1,h=24)",
    cells: groups.flat().length,
    areaShare: 0.05,
    areas,
    mapCells: groups.flatMap((cells, i) => cells.map((cell) => ({ cell, priority: i + 1 }))),
    mapLocalities: [],
    lastMonth: { month: "2024-10", method: { hitRate: 0.31, pai: 6.2 }, baseline: { hitRate: 0.29, pai: 5.8 } },
    changes: {
      previousMonth: "2024-10",
      previousPlan: "rebuilt",
      fading: long ? Array.from({ length: 12 }, (_, i) => ({ en: `49.${3000 + i}, -123.${1000 + i}`, lt: `49.${3000 + i}, -123.${1000 + i}` })) : [],
    },
    suppressionThreshold: 5,
    roundedTo: 5,
    sensitiveCategories: long ? ["sexual_offence", "domestic_violence"] : [],
  };
}

const page = (data: BriefingData, lang: "en" | "lt"): BriefingPage => ({
  data,
  strings: BRIEFING_STRINGS[lang],
  outlines: { type: "FeatureCollection", features: [] },
  places: [],
});

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch(await chromiumLaunchOptions());
}, 120_000);
afterAll(() => browser?.close());

/** The page printed as write-briefing.ts prints it: its pages' text. */
async function printed(html: string): Promise<string[]> {
  const tab = await browser.newPage();
  try {
    await tab.setContent(html, { waitUntil: "load" });
    const pdf = await tab.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: false });
    return (text as string[]).map((t) => t.replace(/\s+/g, " "));
  } finally {
    await tab.close();
  }
}

describe("the briefing printed", () => {
  for (const lang of ["en", "lt"] as const)
    it(`is one A4 page with the highest-priority areas that fit and the footnote (${lang})`, async () => {
      const long = page(cityData(true), lang);
      const layout = briefingLayout(long);
      expect(layout.areas).toBeGreaterThanOrEqual(2);
      expect(layout.areas).toBeLessThan(8);
      const text = await printed(briefingHtml(long));
      expect(text).toHaveLength(1);
      expect(text[0]).toContain(lang === "en" ? "Figures cover November 2023" : "Skaičiai apima 2023 m. lapkričio mėn.");
      // The left-out areas are the lowest priorities, and the page says they are on the map only.
      const rows = [...briefingHtml(long).matchAll(/<tr><td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
      expect(rows).toEqual(Array.from({ length: layout.areas }, (_, i) => i + 1));
      expect(text[0]).toContain(lang === "en" ? "of lower priority, are on the map only" : "parodytos tik žemėlapyje");

      // Every area listed does not fit: the estimate is what keeps the page to one sheet.
      expect(await printed(briefingHtml(long, { areas: 8, mapHeight: 360 }))).toHaveLength(2);

      // Short rows: more areas listed (the map no smaller than 300 px: below, a city's markers sat on one another); three areas: the largest map too.
      const short = page(cityData(false), lang);
      expect(briefingLayout(short).areas).toBeGreaterThan(layout.areas);
      expect(briefingLayout(short).mapHeight).toBeGreaterThanOrEqual(300);
      expect(await printed(briefingHtml(short))).toHaveLength(1);
      const few = page({ ...cityData(false), areas: cityData(false).areas.slice(0, 3) }, lang);
      expect(briefingLayout(few)).toEqual({ areas: 3, mapHeight: 360 });
    }, 120_000);
});
