/**
 * The dashboard as a police analyst would get it: built from sample data with no network at all,
 * served from 127.0.0.1 and opened in headless Chromium. Screenshots go to test/artifacts/.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_DIR, DIST_DIR } from "../../dashboard/scripts/build.js";
import { DASHBOARD_DIR } from "../../dashboard/scripts/prefill-npm-cache.js";
import { serveStatic, type StaticServer } from "../../dashboard/scripts/serve.js";
import { launchBrowser, openWatchedPage, type PageProblems, type TestBrowser } from "../helpers/browser.js";
import { runWithoutNetwork, type RunResult } from "../helpers/offline.js";
import { writeSampleDashboardData } from "../helpers/sample-dashboard-data.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ARTIFACTS = join(ROOT, "test", "artifacts");
const HEXAGON_PATHS = 'g[aria-description="hexagons"] path';

const noProblems: PageProblems = { consoleErrors: [], pageErrors: [], failedRequests: [], foreignRequests: [] };

/** The aria-labels ("<cell> <bin label>") of the hexagons drawn on the map. */
async function drawnHexagons(page: Page): Promise<string[]> {
  const labels: string[] = [];
  for (const path of await page.locator(HEXAGON_PATHS).all()) labels.push((await path.getAttribute("aria-label")) ?? "");
  return labels.sort();
}

let build: RunResult;

beforeAll(async () => {
  await rm(DIST_DIR, { recursive: true, force: true });
  await writeSampleDashboardData(DATA_DIR);
  await mkdir(ARTIFACTS, { recursive: true });
  build = await runWithoutNetwork(process.execPath, ["--import", "tsx", join(DASHBOARD_DIR, "scripts", "build.ts")], ROOT);
}, 300_000);

describe("dashboard build with no network", () => {
  it("succeeds and writes both pages", async () => {
    expect(build.code, `build failed:\n${build.stderr}\n${build.stdout}`).toBe(0);
    expect(existsSync(join(DIST_DIR, "index.html"))).toBe(true);
    expect(existsSync(join(DIST_DIR, "hotspots.html"))).toBe(true);
    console.log(`offline dashboard build: ${(build.elapsedMs / 1000).toFixed(1)} s`);
  });

  it("links no stylesheet, script or font from another host", async () => {
    for (const page of ["index.html", "hotspots.html"]) {
      const html = await readFile(join(DIST_DIR, page), "utf8");
      expect(html).not.toMatch(/<(link|script)[^>]+(href|src)="(https?:)?\/\//);
      expect(html).not.toMatch(/fonts\.googleapis|jsdelivr|unpkg/);
    }
  });
});

describe("built dashboard in Chromium", () => {
  let server: StaticServer;
  let browser: TestBrowser;

  beforeAll(async () => {
    server = await serveStatic(DIST_DIR, 0);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("draws the overview without errors or outside requests", async () => {
    const { page, problems } = await openWatchedPage(browser.context, server.url);
    await page.locator("#monthly-chart svg").first().waitFor();
    await page.locator("#yearly-table tbody tr").first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-overview.png"), fullPage: true });
    expect(problems).toEqual(noProblems);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(await page.locator("#yearly-table tbody tr").allTextContents()).toEqual([
      expect.stringMatching(/^2024/),
      expect.stringMatching(/^2025/),
    ]);
    await expect.poll(() => page.locator("#monthly-chart").textContent()).toContain("below 5 and are withheld");
    await page.close();
  }, 60_000);

  it("draws the hot-spot map without errors or outside requests", async () => {
    const { page, problems } = await openWatchedPage(browser.context, `${server.url}hotspots`);
    await page.locator(HEXAGON_PATHS).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-hotspots.png"), fullPage: true });
    expect(problems).toEqual(noProblems);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect((await drawnHexagons(page)).length).toBeGreaterThan(0);
    expect(await page.locator('g[aria-description="municipality outlines"] path').count()).toBe(2);
    const map = page.locator("#hotspot-map");
    expect(await map.textContent()).toContain("February 2025");
    expect(await map.textContent()).toContain("© OpenStreetMap contributors, ODbL");
    expect(await map.textContent()).toContain("Hot spot 99 %");
    expect(await map.textContent()).toContain("Cold spot 99 %");
    expect(await page.locator("#hot-cells tbody tr").count()).toBeGreaterThan(0);
    await page.close();
  }, 60_000);

  it("redraws the hexagons for another month and shows a tip on hover", async () => {
    const { page, problems } = await openWatchedPage(browser.context, `${server.url}hotspots`);
    await page.locator(HEXAGON_PATHS).first().waitFor();
    const before = await drawnHexagons(page);

    await page.getByLabel("Month").selectOption({ label: "September 2024" });
    await expect.poll(() => page.locator("#hotspot-map h2").textContent()).toContain("September 2024");
    await expect.poll(() => drawnHexagons(page)).not.toEqual(before);
    const after = await drawnHexagons(page);
    expect(after.length).toBeGreaterThan(0);

    await page.locator(HEXAGON_PATHS).first().hover({ force: true });
    const tip = page.locator('#hotspot-map g[aria-label="tip"]');
    await expect.poll(() => tip.textContent()).toMatch(/Cell\s*88[0-9a-f]+.*z-score.*Confidence/s);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-hotspots-september.png"), fullPage: true });

    await page.getByLabel("Cells with hot or cold spots").check();
    await expect.poll(async () => (await drawnHexagons(page)).length).toBe(after.length);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-hotspots-zoomed.png"), fullPage: true });
    expect(problems).toEqual(noProblems);
    await page.close();
  }, 60_000);
});
