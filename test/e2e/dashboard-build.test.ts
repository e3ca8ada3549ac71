/**
 * The dashboard as a police analyst would get it: built from sample data with no network at all,
 * served from 127.0.0.1 and opened in headless Chromium — every page, the map interactions, the
 * language switch and the downloads. Screenshots of every page go to test/artifacts/.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DASHBOARD_PAGES, PAGE_DATA_BUDGET_BYTES, type DashboardPage } from "../../dashboard/data-contract.js";
import { SENSITIVE_CATEGORIES } from "../../etl/config.js";
import { openWatchedPage, waitForDashboardPage, waitForMap, type PageProblems } from "../helpers/browser.js";
import { eventually } from "../helpers/eventually.js";
import { servedInChromium } from "../helpers/served-site.js";
import type { RunResult } from "../helpers/offline.js";
import { outlineVertexKeys, scanSiteForIncidentData } from "../helpers/privacy-scan.js";
import { makeSampleDashboardData } from "../helpers/sample-dashboard-data.js";
import { sampleSite } from "../helpers/sample-site.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ARTIFACTS = join(ROOT, "test", "artifacts");
const HEXAGONS = "#hotspot-map g.dash-hexagons path";
const PAGES = Object.keys(DASHBOARD_PAGES) as DashboardPage[];
const artefact = (path: DashboardPage, suffix = "") => join(ARTIFACTS, `dashboard-${path === "/" ? "overview" : path.slice(1)}${suffix}.png`);

const noProblems: PageProblems = { consoleErrors: [], pageErrors: [], failedRequests: [], foreignRequests: [] };

/** The aria-labels ("<cell> <tooltip values>") of the hexagons drawn on the map, read in one go (the map may be redrawn between two reads). */
async function drawnHexagons(page: Page, selector = HEXAGONS): Promise<string[]> {
  const labels = await page.locator(selector).evaluateAll((paths) => paths.map((path) => path.getAttribute("aria-label") ?? ""));
  return labels.sort();
}

/** Clicks `button` and returns the downloaded file's name and bytes. */
async function download(page: Page, button: ReturnType<Page["locator"]>): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), button.click()]);
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

let build: RunResult;
let dist: string;

beforeAll(async () => {
  ({ build, dist } = await sampleSite());
  await mkdir(ARTIFACTS, { recursive: true });
}, 300_000);

describe("dashboard build with no network", () => {
  it("succeeds and writes every page", async () => {
    expect(build.code, `build failed:\n${build.stderr}\n${build.stdout}`).toBe(0);
    for (const source of Object.values(DASHBOARD_PAGES)) expect(existsSync(join(dist, source.replace(/\.md$/, ".html")))).toBe(true);
    console.log(`offline dashboard build: ${(build.elapsedMs / 1000).toFixed(1)} s`);
  });

  it("links no stylesheet, script or font from another host", async () => {
    for (const source of Object.values(DASHBOARD_PAGES)) {
      const html = await readFile(join(dist, source.replace(/\.md$/, ".html")), "utf8");
      expect(html).not.toMatch(/<(link|script)[^>]+(href|src)="(https?:)?\/\//);
      expect(html).not.toMatch(/fonts\.googleapis|jsdelivr|unpkg/);
    }
  });

  it("holds aggregates only: the privacy scan finds nothing in the built site", async () => {
    const sample = await makeSampleDashboardData();
    const findings = await scanSiteForIncidentData(dist, {
      ids: [],
      points: new Set(),
      bounds: [22.8, 55.7, 23.6, 56.2],
      outlineVertices: outlineVertexKeys(sample.municipalities),
      threshold: sample.meta.suppression_threshold,
      sensitiveCategories: SENSITIVE_CATEGORIES,
    });
    expect(findings).toEqual([]);
  });
});

describe("built dashboard in Chromium", () => {
  const site = servedInChromium(() => dist);

  /** What each page shows, checked on the page the drawing test opened (one page load per page). */
  const CONTENT: Record<DashboardPage, (page: Page) => Promise<void>> = {
    "/": async (overview) => {
      expect(await overview.locator("#yearly-table tbody tr").allTextContents()).toEqual([expect.stringMatching(/^2024/), expect.stringMatching(/^2025/)]);
      await eventually(() => overview.locator("#monthly-chart").textContent()).toContain(
        "are withheld: below 5, or withheld so that a smaller one cannot be worked out by difference",
      );
      await eventually(() => overview.locator("#municipality-trend").textContent()).toContain("Šiaulių r. sav.");
    },
    "/hotspots": async (hotspots) => {
      const map = hotspots.locator("#hotspot-map");
      expect(await map.textContent()).toContain("February 2025");
      expect(await map.textContent()).toContain("© OpenStreetMap contributors, ODbL");
      expect(await map.textContent()).toContain("Hot spot 99 %");
      expect(await map.textContent()).toContain("Cold spot 99 %");
      expect(await hotspots.locator('#hotspot-map g[aria-description="municipality outlines"] path').count()).toBe(2);
      expect(await hotspots.locator("#hot-cells tbody tr").count()).toBeGreaterThan(0);
      expect(await hotspots.locator("#hot-cells tbody").textContent()).toContain("withheld");
      expect(await hotspots.locator("#hot-cells").textContent()).not.toContain("< 5");
      expect(await hotspots.locator("body").textContent()).toContain("The category “Domestic violence” is shown only as municipality totals");
    },
    "/emerging": async (emerging) => {
      expect(await emerging.locator("#emerging-map g.dash-hexagons path").count()).toBeGreaterThan(0);
      expect(await emerging.locator("#pattern-meanings").textContent()).toContain("Hot in at least 90 % of months including the final one, and getting hotter");
      // The sample's run withheld 3 cells' patterns: the page says so under the map and the meanings.
      expect(await emerging.locator("#emerging-note").textContent()).toContain("The patterns of 3 more cells are withheld");
      expect(await emerging.locator("#pattern-meanings").textContent()).toContain("The patterns of 3 more cells are withheld");
    },
    "/patrol": async (patrol) => {
      expect(await patrol.locator("#patrol-map g.dash-hexagons path").count()).toBe(16);
      expect(await patrol.locator("#patrol-map").textContent()).toContain("March 2025");
      expect(await patrol.locator("#backtest-chart").textContent()).toContain("Selected by backtest");
      // The chosen method by its name, not its id ewma(h=12).
      expect(await patrol.locator("#patrol-chosen").textContent()).toContain("Age-weighted history (half-life 12 months)");
      expect(await patrol.locator("#backtest-table").textContent()).toContain("PAI − baseline");
      // The sample's 5 % lists have a withheld month: the lines are still drawn, with a gap the note explains.
      expect(await patrol.locator('#backtest-months [aria-label="line"] path').count()).toBeGreaterThan(0);
      expect(await patrol.locator("main").textContent()).toContain("is withheld: a gap in the lines, left out of the means");
      await patrol.getByLabel("PAI").check();
      await eventually(() => patrol.locator("#backtest-chart h2").textContent()).toContain("PAI");
      expect(await patrol.locator("#patrol-withheld").count()).toBe(0);
      // The baseline's rank 10 is withheld: its list stops at rank 9 and says why; the lead names what the list covers.
      await patrol.getByLabel("Scoring method").selectOption({ label: "Last 12 months’ count (baseline)" });
      await eventually(() => patrol.locator("#patrol-withheld").textContent()).toContain("1 ranked cell is withheld, the first at rank 10");
      expect(await patrol.locator("#patrol-withheld").textContent()).toContain("the 6 published cells ranked below rank 10 are left out");
      expect(await patrol.locator("#patrol-map g.dash-hexagons path").count()).toBe(9);
      expect(await patrol.locator("#patrol-cells tbody tr").count()).toBe(9);
      expect(await patrol.locator("#patrol-lead").textContent()).toContain("This method’s list stops before its first withheld rank");
      // Thefts have no backtest: no empty "Share of area" drop-down.
      expect(await patrol.getByRole("combobox", { name: "Share of area", exact: true }).count()).toBe(1);
      await patrol.getByLabel("Category").selectOption({ label: "Theft" });
      await eventually(() => patrol.locator("#patrol-no-backtest").count()).toBe(1);
      await eventually(() => patrol.getByRole("combobox", { name: "Share of area", exact: true }).count()).toBe(0);
    },
    "/evaluation": async (evaluation) => {
      await evaluation.locator(".evaluation-counts svg").first().waitFor();
      expect(await evaluation.locator("#project-facts h2").textContent()).toBe("Sample project (We Are)");
      expect(await evaluation.locator(".evaluation-reading").textContent()).toContain("Counts this small cannot show a significant change");
      expect(await evaluation.locator(".evaluation-context").textContent()).toContain("immigrants registered");
      // The lake's counts against the project's: the page words the published reading (no release note: nothing is left out).
      expect(await evaluation.locator("#evaluations").textContent()).toContain("lake 2 → 5 — they agree.");
      expect(await evaluation.locator(".evaluation-withheld").count()).toBe(0);
      await evaluation.getByLabel("Project").selectOption({ label: "Police cooperation (indicators only)" });
      await eventually(() => evaluation.locator("#evaluations").textContent()).toContain("only its indicators are shown");
    },
    "/data-quality": async (quality) => {
      // The reasons chart is not among the page's ready selectors: it is drawn in its own resize().
      await eventually(() => quality.locator("#reasons-chart").textContent()).toContain("Coordinates missing");
      await eventually(() => quality.locator("#warnings").textContent()).toContain("Ambiguous local time");
      // Exports are keyed in the lake by name + identity digest; the page shows the file's label.
      expect(await quality.locator("#ingest-chart").textContent()).toContain("siauliai-2024.csv");
    },
  };

  for (const path of PAGES) {
    it(`draws ${path} without errors or outside requests, within the data budget, and shows its content`, async () => {
      const { page, problems, dataLoads } = await openWatchedPage(site.context, `${site.url}${path.slice(1)}?lang=en`);
      await waitForDashboardPage(page, path);
      await page.screenshot({ path: artefact(path), fullPage: true });
      expect(problems).toEqual(noProblems);
      expect(await page.locator(".observablehq--error").count()).toBe(0);
      expect(await page.locator(".dash-nav a").count()).toBe(PAGES.length);
      expect(await page.locator('.dash-nav a[aria-current="page"]').getAttribute("href")).toBe(path === "/" ? "./" : `.${path}`);
      const loads = await dataLoads();
      expect(loads.length).toBeGreaterThan(0);
      expect(loads.reduce((s, l) => s + l.bytes, 0)).toBeLessThanOrEqual(PAGE_DATA_BUDGET_BYTES);
      await CONTENT[path](page);
      await page.close();
    }, 90_000);
  }

  it("redraws the map for another month, with FDR control and zoomed in, and shows a tip", async () => {
    const { page, problems } = await openWatchedPage(site.context, `${site.url}hotspots?lang=en`);
    await page.locator(HEXAGONS).first().waitFor();
    const before = await drawnHexagons(page);

    await page.getByRole("slider", { name: "Month" }).press("Home"); // the first month, September 2024
    await eventually(() => page.locator("#hotspot-map h2").textContent()).toContain("September 2024");
    // The heading changes before the map is drawn again, and the card holds no map in between.
    await waitForMap(page, "#hotspot-map", "All categories, September 2024 (FDR-controlled)");
    const after = await drawnHexagons(page);
    expect(after).not.toEqual(before);
    expect(after.length).toBeGreaterThan(0);

    await page.locator(HEXAGONS).first().hover({ force: true });
    const tip = page.locator('#hotspot-map g[aria-label="tip"]');
    await eventually(() => tip.textContent()).toMatch(/Cell\s*88[0-9a-f]+.*Confidence.*Incidents/s);
    await page.screenshot({ path: artefact("/hotspots", "-september"), fullPage: true });

    // FDR control is on by default; without it more cells are drawn.
    expect(await page.locator("#fdr-note").textContent()).toContain("FDR control is on");
    await page.getByLabel("Control the false discovery rate (FDR)").uncheck();
    await waitForMap(page, "#hotspot-map", "All categories, September 2024");
    expect((await drawnHexagons(page)).length).toBeGreaterThan(after.length);
    await page.getByLabel("Control the false discovery rate (FDR)").check();
    await waitForMap(page, "#hotspot-map", "All categories, September 2024 (FDR-controlled)");

    // Zoomed in (the map's + button; the view goes into the address): the same cells, now with city parts named.
    await page.getByRole("button", { name: "Zoom in" }).click();
    await eventually(() => new URL(page.url()).searchParams.get("view")).toMatch(/^\d+\.\d+,\d+\.\d+,\d+\.\d+$/);
    await eventually(async () => (await drawnHexagons(page)).length).toBe(after.length);
    expect(await page.locator("#hotspot-map g.dash-place-labels text").count()).toBeGreaterThan(0);
    await page.screenshot({ path: artefact("/hotspots", "-zoomed"), fullPage: true });
    expect(problems).toEqual(noProblems);
    await page.close();
  }, 60_000);

  it("switches to Lithuanian and back: texts, number formats and the kept selection change with it", async () => {
    const { page, problems } = await openWatchedPage(site.context, `${site.url}hotspots?lang=en`);
    await page.locator(HEXAGONS).first().waitFor();
    await page.getByRole("slider", { name: "Month" }).press("Home"); // the first month, September 2024
    expect(await page.locator("h1").textContent()).toBe("Monthly hot spots");
    // Without FDR control the month's table lists more cells.
    await page.getByLabel("Control the false discovery rate (FDR)").uncheck();

    await page.locator('.dash-language button[data-lang="lt"]').click();
    await eventually(() => page.locator("h1").textContent()).toBe("Mėnesio karštieji taškai");
    expect(await page.locator("html").getAttribute("lang")).toBe("lt");
    expect(await page.locator(".dash-nav").textContent()).toContain("Patruliavimo prioritetai");
    const month = await page.getByRole("slider", { name: "Mėnuo" }).getAttribute("aria-valuetext");
    expect(month).toMatch(/2024/);
    expect(month).not.toMatch(/September/);
    // The heading changes first; the map redraws in the new language after it.
    await eventually(() => page.locator("#hotspot-map").textContent()).toContain("Karštasis taškas 99 %");
    await eventually(() => page.locator("#hotspot-map").textContent()).toContain("© OpenStreetMap bendraautoriai");
    await page.screenshot({ path: artefact("/hotspots", "-lt"), fullPage: true });

    // The choice is remembered on the next page; every page reads it.
    for (const path of ["/", "/evaluation", "/data-quality"] as const) {
      const next = await openWatchedPage(site.context, `${site.url}${path.slice(1)}`);
      await waitForDashboardPage(next.page, path);
      expect(await next.page.locator(".dash-language button[aria-pressed=true]").textContent()).toBe("LT");
      if (path === "/") expect(await next.page.locator("h1").textContent()).toBe("Apžvalga");
      if (path === "/evaluation") await next.page.locator(".evaluation-counts svg").first().waitFor();
      await next.page.screenshot({ path: artefact(path, "-lt"), fullPage: true });
      expect(next.problems).toEqual(noProblems);
      await next.page.close();
    }

    await page.locator('.dash-language button[data-lang="en"]').click();
    await eventually(() => page.locator("h1").textContent()).toBe("Monthly hot spots");
    await eventually(() => page.getByRole("slider", { name: "Month" }).getAttribute("aria-valuetext")).toBe("September 2024");
    expect(await page.getByLabel("Control the false discovery rate (FDR)").isChecked()).toBe(false);
    await page.getByLabel("Control the false discovery rate (FDR)").check();
    expect(problems).toEqual(noProblems);
    await page.close();
    // Five page loads and two redraws in another language: 48 s at load average 21 on 2 cores.
  }, 180_000);

  it("downloads a table as CSV and a chart as SVG and PNG", async () => {
    const { page, problems } = await openWatchedPage(site.context, `${site.url}hotspots?lang=en`);
    await page.locator(HEXAGONS).first().waitFor();
    const csv = await download(page, page.locator("#hot-cells .dash-download"));
    // FDR control is on by default, and the file name says so.
    expect(csv.name).toBe("hot-spots-2025-02-all-fdr.csv");
    const lines = csv.bytes
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("Place,Cell,Municipality,Incidents,Confidence");
    expect(lines.length).toBe((await page.locator("#hot-cells tbody tr").count()) + 1);
    // Each row starts with the cell's place (quoted when it holds a comma: "Gytariai, Šiauliai").
    expect(
      lines.slice(1).filter((l) => !/^("[^",]+, [^"]+"|[^",]+),88[0-9a-f]{13},Šiaulių [mr]\. sav\.,(withheld|\d+),(Hot|Cold) spot (90|95|99) %$/.test(l)),
    ).toEqual([]);

    const svg = await download(page, page.locator("#hotspot-map .dash-download", { hasText: "SVG" }));
    expect(svg.name).toBe("hot-spots-2025-02-all-fdr.svg");
    const text = svg.bytes.toString("utf8");
    expect(text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(text).toContain("All categories, February 2025 (FDR-controlled)");
    expect(text).toContain("Hot spot 99 %");
    expect(text).toContain("© OpenStreetMap contributors, ODbL");
    expect(text).not.toContain("var(--theme");

    const png = await download(page, page.locator("#hotspot-map .dash-download", { hasText: "PNG" }));
    expect(png.name).toBe("hot-spots-2025-02-all-fdr.png");
    expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.bytes.length).toBeGreaterThan(10_000);
    expect(problems).toEqual(noProblems);
    await page.close();
  }, 60_000);
});
