/**
 * The built dashboard as a reader uses it, beyond what dashboard-build checks: WCAG 2.1 AA on every
 * page in both languages by axe-core in Chromium (the rules axe decides automatically: contrast,
 * names and roles, language, zoom, focusable scrolling regions), the navigation on one line, the view
 * kept in the address, and cells named by place. On the sample-data site that dashboard-build opens:
 * one build per test run (helpers/sample-site.ts).
 */
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DASHBOARD_PAGES, type DashboardPage, type HexagonCollection } from "../../dashboard/data-contract.js";
import { CELL_STROKE, PATTERN_SYMBOLS } from "../../dashboard/src/components/palettes.js";
import { openWatchedPage, waitForCharts, waitForDashboardPage } from "../helpers/browser.js";
import { eventually } from "../helpers/eventually.js";
import { sampleSite } from "../helpers/sample-site.js";
import { servedInChromium } from "../helpers/served-site.js";

const PAGES = Object.keys(DASHBOARD_PAGES) as DashboardPage[];
const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** What axe runs by default: the WCAG 2.0/2.1 A and AA rules. */
const WCAG_AA = { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] };

/** The violations axe finds on the page (the WCAG A and AA rules, or the rules named), each with up to three offending nodes. */
async function axeViolations(page: Page, runOnly: { type: string; values: string[] } = WCAG_AA): Promise<string[]> {
  await page.addScriptTag({ content: await AXE_SOURCE });
  const violations = await page.evaluate(async (runOnly) => {
    const axe = (globalThis as unknown as { axe: { run(options: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run({ runOnly, resultTypes: ["violations"] });
    return result.violations;
  }, runOnly);
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(" ")}: ${n.failureSummary ?? ""}`)
        .join(" | ")}`,
  );
}

let dist: string;

beforeAll(async () => {
  const site = await sampleSite();
  if (site.build.code !== 0) throw new Error(`dashboard build failed:\n${site.build.stderr}`);
  dist = site.dist;
}, 300_000);

describe("accessibility (WCAG 2.1 AA, axe-core)", () => {
  const site = servedInChromium(() => dist);

  it("declares the language and lets the page zoom in the static HTML", async () => {
    for (const path of PAGES) {
      const html = await readFile(join(dist, path === "/" ? "index.html" : `${path.slice(1)}.html`), "utf8");
      expect(html).toMatch(/<html lang="(en|lt)">/);
      expect(html).not.toMatch(/maximum-scale|user-scalable=no/);
      expect(html).toMatch(/<link rel="icon" /);
    }
  });

  it("keeps the navigation on one line at desktop width in both languages, under the project's title", async () => {
    const titles = { lt: "Šiaulių nusikalstamumo prevencijos skydelis (pavyzdiniai duomenys)", en: "Šiauliai crime-prevention dashboard (sample data)" };
    for (const lang of ["lt", "en"] as const) {
      const { page } = await openWatchedPage(site.context, `${site.url}emerging?lang=${lang}`);
      await page.setViewportSize({ width: 1280, height: 800 });
      await waitForDashboardPage(page, "/emerging");
      expect(await page.locator(".dash-title").textContent()).toBe(titles[lang]);
      expect(await page.title()).toBe(`${lang === "lt" ? "Besiformuojantys karštieji taškai" : "Emerging hot spots"} | ${titles[lang]}`);
      const tops = await page.locator(".dash-nav a").evaluateAll((links) => links.map((a) => Math.round(a.getBoundingClientRect().top)));
      expect(tops).toHaveLength(PAGES.length);
      expect(new Set(tops).size).toBe(1);
      await page.close();
    }
  });

  it("names the place of a cell in the map's tooltip, in the page's language", async () => {
    for (const [lang, pattern] of [
      ["en", /^Place\s*(\d+(\.\d)? km [NSEW]{1,2} of )?\p{Lu}/u],
      ["lt", /^Vieta\s*\p{Lu}/u],
    ] as const) {
      const { page, problems } = await openWatchedPage(site.context, `${site.url}hotspots?lang=${lang}`);
      await waitForDashboardPage(page, "/hotspots");
      await page.locator("#hotspot-map g.dash-hexagons path").first().hover({ force: true });
      // Plot separates the tip's lines with zero-width spaces.
      const tip = async () => ((await page.locator('#hotspot-map g[aria-label="tip"]').textContent()) ?? "").replaceAll("\u200b", " ").trim();
      await eventually(tip).toMatch(pattern);
      expect(await tip()).not.toMatch(/^(Place|Vieta)\s*88[0-9a-f]{13}/);
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [], failedRequests: [], foreignRequests: [] });
      await page.close();
    }
  });

  it("shows every table's numbers formatted and its headers by their labels, not internal keys", async () => {
    for (const lang of ["en", "lt"] as const) {
      for (const path of PAGES) {
        const { page } = await openWatchedPage(site.context, `${site.url}${path.slice(1)}?lang=${lang}`);
        await waitForDashboardPage(page, path);
        await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
        const cells = await page.locator("table td").allTextContents();
        // A value passed to a formatter with the wrong arguments prints its raw digits ("0,22660000").
        expect(
          cells.filter((text) => /\d[.,]\d{5,}/.test(text)),
          `${path} ${lang}`,
        ).toEqual([]);
        // Inputs.table titles each header with its column's key: a reader's tooltip shows "hit_rate" or "__pin".
        const titles = await page.locator("table th[title]").evaluateAll((ths) => ths.map((th) => th.getAttribute("title") ?? ""));
        expect(
          titles.filter((title) => /^_|_|^[a-z]+[A-Z]/.test(title)),
          `${path} ${lang}`,
        ).toEqual([]);
        await page.close();
      }
    }
  }, 120_000);

  it("underlines a link inside text, so that it is told apart by more than colour (WCAG 1.4.1)", async () => {
    // The sample site has no briefing to link: a paragraph as briefing-link.ts writes it, styled by the site's sheet.
    const { page } = await openWatchedPage(site.context, `${site.url}patrol?lang=en`);
    await waitForDashboardPage(page, "/patrol");
    await page.evaluate(() => {
      const p = document.createElement("p");
      p.className = "dash-lead";
      p.innerHTML =
        'Before the link <a href="briefing.en.html" hreflang="en">Printable patrol briefing for January 2022</a> (<a href="briefing.lt.html">Lithuanian version</a>). After it.';
      document.querySelector("#observablehq-main h1")!.after(p);
    });
    expect(
      await page
        .locator("#observablehq-main p.dash-lead a")
        .first()
        .evaluate((a) => getComputedStyle(a).textDecorationLine),
    ).toBe("underline");
    expect(await axeViolations(page, { type: "rule", values: ["link-in-text-block"] })).toEqual([]);
    await page.close();
  });

  it("sums up the overview's monthly chart in Lithuanian and gives its figures as a table", async () => {
    const { page } = await openWatchedPage(site.context, `${site.url}?lang=lt`);
    await waitForDashboardPage(page, "/");
    await waitForCharts(page);
    const label = (await page.locator("#monthly-chart svg[role=img]").getAttribute("aria-label")) ?? "";
    // The sample's first month (and the last drawn), in the genitive after "nuo … iki".
    expect(label).toMatch(
      /Visos pavaizduotos kategorijos kartu: Nuo 2024 m\. rugsėjo iki 2025 m\. \S+: mažiausiai [\d\s]+, daugiausia [\d\s]+; 2025 m\. \S+ – [\d\s]+\./,
    );
    await page.locator("#monthly-chart details summary").click();
    expect(await page.locator("#monthly-chart details table tbody tr").count()).toBeGreaterThan(0);
    await page.close();
  });

  it("lets the keyboard skip the patrol map's cells, one tab stop each, to the table", async () => {
    const { page } = await openWatchedPage(site.context, `${site.url}patrol?lang=en`);
    await waitForDashboardPage(page, "/patrol");
    const skip = page.getByRole("link", { name: "Skip the map’s cells to the table" });
    // Before the map's cells in the tab order, and in sight once focused.
    expect(
      await page.evaluate(() => {
        const link = document.querySelector(".dash-skip")!;
        const cell = document.querySelector("#patrol-map g.dash-hexagons path")!;
        return Boolean(link.compareDocumentPosition(cell) & Node.DOCUMENT_POSITION_FOLLOWING);
      }),
    ).toBe(true);
    await skip.focus();
    expect((await skip.boundingBox())!.width).toBeGreaterThan(10);
    await skip.press("Enter");
    await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe("patrol-cells");
    await page.close();
  });

  it("keeps the view in the address, so a shared link opens the same view", async () => {
    const { page } = await openWatchedPage(site.context, `${site.url}hotspots?lang=en`);
    await waitForDashboardPage(page, "/hotspots");
    await page.getByRole("slider", { name: "Month" }).press("Home"); // the first month, September 2024
    await page.getByLabel("Control the false discovery rate (FDR)").uncheck();
    await eventually(() => new URL(page.url()).searchParams.get("fdr")).toBe("false");
    const link = page.url();
    expect(new URL(link).searchParams.get("month")).toBe("2024-09");
    await page.close();

    const shared = await openWatchedPage(site.context, link);
    await waitForDashboardPage(shared.page, "/hotspots");
    expect(await shared.page.getByRole("slider", { name: "Month" }).getAttribute("aria-valuetext")).toBe("September 2024");
    expect(await shared.page.getByLabel("Control the false discovery rate (FDR)").isChecked()).toBe(false);
    await shared.page.getByLabel("Control the false discovery rate (FDR)").check();
    await shared.page.close();
  });

  it("gives no two cells one place name, in the published data and on the hot-spot map (WCAG 4.1.2)", async () => {
    // The data the site was built from (sample-site.ts writes it beside the pages).
    const hexagons = JSON.parse(await readFile(join(dist, "..", "src", "data", "hexagons.json"), "utf8")) as HexagonCollection;
    for (const language of ["en", "lt"] as const) {
      const names = hexagons.features.map((f) => f.properties[`place_${language}`]).filter((n) => n !== null);
      expect(names.length).toBeGreaterThan(1);
      expect(new Set(names).size).toBe(names.length);
    }
    for (const lang of ["en", "lt"] as const) {
      const { page } = await openWatchedPage(site.context, `${site.url}hotspots?lang=${lang}`);
      await waitForDashboardPage(page, "/hotspots");
      const labels = await page.locator("#hotspot-map g.dash-hexagons path").evaluateAll((paths) => paths.map((p) => p.getAttribute("aria-label") ?? ""));
      expect(labels.length).toBeGreaterThan(1);
      // The place first ("Place: …; Cell: …"): a reader tabbing through hears it before the cell's id.
      const places = labels.map((label) => label.split("; ")[0]);
      expect(new Set(places).size, lang).toBe(labels.length);
      await page.close();
    }
  });

  it("sets every map cell and legend swatch off by an edge, and tells emerging patterns by a symbol besides colour (WCAG 1.4.11, 1.4.1)", async () => {
    const symbols = new Set(Object.values(PATTERN_SYMBOLS));
    for (const lang of ["en", "lt"] as const) {
      const { page } = await openWatchedPage(site.context, `${site.url}emerging?lang=${lang}`);
      await waitForDashboardPage(page, "/emerging");
      const map = page.locator("#emerging-map");
      // Plot leaves out a stroke width of 1 (SVG's default): the drawn width is the computed one.
      const edges = await map
        .locator("g.dash-hexagons")
        .evaluate((g) => [g.getAttribute("stroke"), parseFloat(getComputedStyle(g.querySelector("path")!).strokeWidth)]);
      expect(edges).toEqual([CELL_STROKE, expect.any(Number)]);
      expect(edges[1]).toBeGreaterThanOrEqual(1);
      const swatches = await map
        .locator("[class$='-swatch']")
        .evaluateAll((spans) =>
          spans.map((s) => ({ text: (s.textContent ?? "").trim(), stroke: s.querySelector("svg > rect")?.getAttribute("stroke") ?? null })),
        );
      expect(swatches.length).toBeGreaterThan(1);
      for (const { text, stroke } of swatches) {
        expect(symbols.has(text.split(" ")[0]!), text).toBe(true);
        expect(stroke).toBe(CELL_STROKE);
      }
      // Every drawn cell carries its pattern's symbol, the one its legend entry shows.
      const cells = await map.locator("g.dash-hexagons path").count();
      const written = await map.locator("g.dash-cell-labels text").allTextContents();
      expect(written).toHaveLength(cells);
      expect(written.every((t) => symbols.has(t))).toBe(true);
      expect(new Set(written)).toEqual(new Set(swatches.map((s) => s.text.split(" ")[0])));
      // And the table of meanings shows the same symbol beside each swatch.
      const meanings = await page.locator("#pattern-meanings tbody tr td:first-child").allTextContents();
      expect(meanings.filter((t) => symbols.has(t.trim())).length).toBe(Object.keys(PATTERN_SYMBOLS).length * 2);
      await page.close();
    }
  });

  for (const lang of ["en", "lt"] as const) {
    for (const path of PAGES) {
      it(`${path} in ${lang} has no AA violation`, async () => {
        const { page } = await openWatchedPage(site.context, `${site.url}${path.slice(1)}?lang=${lang}`);
        await waitForDashboardPage(page, path);
        await waitForCharts(page);
        expect(await page.locator("html").getAttribute("lang")).toBe(lang);
        expect(await axeViolations(page)).toEqual([]);
        // A best-practice rule beside them: the tables' column of "Show" buttons has a header.
        expect(await axeViolations(page, { type: "rule", values: ["empty-table-header"] })).toEqual([]);
        // Every chart (not the maps, whose cells are named one by one) is one image named in the page's language; Plot's
        // own English labels inside ("x-axis tick", "dot") are hidden from screen readers.
        const charts = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>("[data-chart]")]
            .filter((c) => !c.closest("#hotspot-map, #patrol-map, #emerging-map"))
            .map((c) => {
              const svg = c.tagName.toLowerCase() === "svg" ? c : [...c.querySelectorAll("svg")].at(-1);
              const exposed = [...(svg?.querySelectorAll("[aria-label]") ?? [])].filter((e) => !e.closest('[aria-hidden="true"]'));
              return { title: c.dataset.title, role: svg?.getAttribute("role"), label: svg?.getAttribute("aria-label") ?? "", exposed: exposed.length };
            }),
        );
        for (const chart of charts) expect(chart).toMatchObject({ role: "img", label: expect.stringContaining(chart.title!), exposed: 0 });
        // The evaluation page opens with its details folded: what they hold is checked unfolded too.
        if (path === "/evaluation") {
          expect(await page.locator("details:not([open])").count()).toBeGreaterThan(0);
          await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
          await page.locator(".evaluation-history svg").first().waitFor();
          // Every chart the opened details hold, not only the first: axe must not read one mid-drawing.
          await waitForCharts(page);
          expect(await axeViolations(page)).toEqual([]);
        }
        await page.close();
      }, 60_000);
    }
  }
});
