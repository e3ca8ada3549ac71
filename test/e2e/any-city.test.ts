/**
 * The dashboard of another city (issue 15, Deliver 6): a lake of Nottingham's police.uk burglaries
 * (../shared/data/real, data/sources/nottingham-burglary.yaml) with the incidents' hull as its study
 * area, made under the bundled demo configuration — what every command uses when no --config is
 * given, as `hotspots run --hull` does — then published, built offline and opened in Chromium. Every
 * map page draws that city's cells (a screenshot of the map is not blank) within the hull's outline, and no page or built file
 * names Šiauliai: title, study area, time zone and places come from the lake, not the demo.
 */
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DASHBOARD_PAGES, type DashboardMeta, type DashboardPage, type HexagonCollection } from "../../dashboard/data-contract.js";
import { DATA_DIR, DIST_DIR } from "../../dashboard/scripts/build.js";
import { DASHBOARD_DIR } from "../../dashboard/scripts/prefill-npm-cache.js";
import { DEFAULT_CONFIG_FILE, loadProjectConfig } from "../../etl/config.js";
import type { ContextSummary } from "../../etl/context/context-lake.js";
import { contextStage, ingestStage, publishStage } from "../../etl/pipeline.js";
import { runStages } from "../../etl/stages.js";
import { recordedConfig, settingsFromConfig, type PipelineSettings } from "../../etl/settings.js";
import { openWatchedPage, waitForCharts, waitForDashboardPage, waitForMap } from "../helpers/browser.js";
import { eventually } from "../helpers/eventually.js";
import { runWithoutNetwork } from "../helpers/offline.js";
import { servedInChromium } from "../helpers/served-site.js";
import { sharedPath } from "../helpers/shared.js";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PAGES = Object.keys(DASHBOARD_PAGES) as DashboardPage[];
const MAPS: Partial<Record<DashboardPage, string>> = { "/hotspots": "#hotspot-map", "/emerging": "#emerging-map", "/patrol": "#patrol-map" };
/** Nottingham's box (the source description's bounds), in which every drawn cell must lie. */
const BOUNDS = { west: -1.4, south: 52.8, east: -0.95, north: 53.15 };

let settings: PipelineSettings;
let context: ContextSummary;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), "any-city-"));
  const config = loadProjectConfig(DEFAULT_CONFIG_FILE);
  settings = { ...settingsFromConfig(config, join(dir, "lake"), "Europe/London"), hullRing: 1 };
  // As `run --hull` records it: the demo's configuration with the hull as its study area.
  settings.config = recordedConfig(settings, config.file);
  await ingestStage([sharedPath("data", "real", "nottingham_burglary.csv.gz")], settings, undefined, join(ROOT, "data", "sources", "nottingham-burglary.yaml"));
  // Every stage after ingest, as `run` takes them: the context stage must bring no bundled project or exposure.
  context = await contextStage(settings);
  // The analytics as `run` does them (stages.ts): per category (Deliver 4) burglary's own plan and emerging run beside "all".
  const { analytics } = await runStages(["analyse", "analytics", "evaluate"], settings);
  expect(analytics!.categories.burglary!.forecast).toMatchObject({ month: "2023-01", category: "burglary" }); // the month after the file's 2022
  expect(analytics!.categories.burglary!.emerging).toMatchObject({ category: "burglary", months: 12, file: expect.any(String) });
  await rm(DIST_DIR, { recursive: true, force: true });
  await publishStage(settings);
  const build = await runWithoutNetwork(process.execPath, ["--import", "tsx", join(DASHBOARD_DIR, "scripts", "build.ts")], ROOT);
  if (build.code !== 0) throw new Error(`dashboard build failed:\n${build.stderr}`);
  await rm(dir, { recursive: true, force: true });
}, 300_000);

/** Pixels of a PNG screenshot with a clear colour (not white, grey or black): the map's filled cells. */
async function colouredPixels(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (data) => {
    const image = new Image();
    image.src = `data:image/png;base64,${data}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    [canvas.width, canvas.height] = [image.width, image.height];
    const context = canvas.getContext("2d")!;
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    let n = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      const [r, g, b] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
    }
    return n;
  }, png.toString("base64"));
}

describe("a non-Lithuanian lake with a hull study area", () => {
  const site = servedInChromium(DIST_DIR);

  it("publishes the lake's time zone and study area, no demo title, and cells in Nottingham only", async () => {
    const meta = JSON.parse(await readFile(join(DATA_DIR, "meta.json"), "utf8")) as DashboardMeta;
    // No municipality outline is drawn, so none is credited; the maps draw the hull's own outline.
    expect(meta).toMatchObject({ title: null, timezone: "Europe/London", study_area: "", hull_ring: 1, attribution: null });
    expect(meta.study_area_outline).toMatchObject({ properties: { resolution: 8 }, geometry: { type: "MultiPolygon" } });
    const hexagons = JSON.parse(await readFile(join(DATA_DIR, "hexagons.json"), "utf8")) as HexagonCollection;
    expect(hexagons.features.length).toBeGreaterThan(0);
    for (const f of hexagons.features) {
      const ring = f.geometry.type === "Polygon" ? f.geometry.coordinates[0]! : f.geometry.coordinates[0]![0]!;
      for (const [lon, lat] of ring) {
        expect(lon).toBeGreaterThan(BOUNDS.west - 0.05);
        expect(lon).toBeLessThan(BOUNDS.east + 0.05);
        expect(lat).toBeGreaterThan(BOUNDS.south - 0.05);
        expect(lat).toBeLessThan(BOUNDS.north + 0.05);
      }
    }
  });

  it("opens every page in both languages without errors, with no Šiauliai in it; the maps draw the city's cells", async () => {
    for (const path of PAGES) {
      for (const lang of ["en", "lt"] as const) {
        const { page, problems } = await openWatchedPage(site.context, `${site.url}${path.slice(1)}?lang=${lang}`);
        await page.setViewportSize({ width: 1280, height: 900 });
        // The whole page drawn, not only its heading: what it must not name may be in its last chart.
        await waitForDashboardPage(page, path);
        await waitForCharts(page);
        const map = MAPS[path];
        if (map) {
          expect(await page.locator(`${map} g.dash-hexagons path`).count(), `${path} cells`).toBeGreaterThan(0);
          // No municipality: the study area's own outline (meta.study_area_outline) is drawn under the cells.
          expect(await page.locator(`${map} g.dash-outlines path`).count(), `${path} outline`).toBeGreaterThan(0);
          const png = await page.locator(map).screenshot({ path: join(ROOT, "test", "artifacts", `any-city-${path.slice(1)}-${lang}.png`) });
          expect(await colouredPixels(page, png), `${path} coloured pixels`).toBeGreaterThan(500);
        }
        // The site's generic title, in the page's language; nothing of the demo.
        expect(await page.locator(".dash-title").textContent()).toBe(lang === "en" ? "Crime-prevention dashboard" : "Nusikalstamumo prevencijos skydelis");
        const text = `${await page.title()}\n${await page.locator("body").innerText()}`;
        expect(text, `${path} ${lang}`).not.toMatch(/Šiauli|Siauli/i);
        expect([...problems.pageErrors, ...problems.consoleErrors, ...problems.failedRequests, ...problems.foreignRequests], `${path} ${lang}`).toEqual([]);
        await page.close();
      }
    }
    // Twelve page loads: 43 s at load average 15 on 2 cores, over vitest's default of 60 s per test.
  }, 180_000);

  it("offers each category on the patrol and emerging pages and draws its cells", async () => {
    for (const [path, map] of [
      ["patrol", "#patrol-map"],
      ["emerging", "#emerging-map"],
    ] as const) {
      const { page, problems } = await openWatchedPage(site.context, `${site.url}${path}?lang=en`);
      await waitForDashboardPage(page, `/${path}`);
      const category = page.getByLabel("Category");
      expect(await category.locator("option").allTextContents()).toEqual(["All categories", "Burglary"]);
      await category.selectOption({ label: "Burglary" });
      const heading = page.locator(`${map} h2`).first();
      await eventually(() => heading.textContent()).toContain("Burglary");
      // The heading changes first; the map is drawn under it afterwards.
      await waitForMap(page, map, (await heading.textContent())!);
      expect(await page.locator(`${map} g.dash-hexagons path`).count(), path).toBeGreaterThan(0);
      // The choice travels in the address, so the view can be shared.
      expect(new URL(page.url()).searchParams.get(`${path}-category`)).toBe("burglary");
      expect([...problems.pageErrors, ...problems.consoleErrors], path).toEqual([]);
      await page.close();
    }
  });

  it("loads none of the bundled demo's projects or exposure: the evaluation page says the lake has none, in both languages", async () => {
    expect(context).toEqual({ exposure: 0, projects: 0, indicators: 0, checkpoints: 0, outcome_evaluations: 0 });
    const evaluation = JSON.parse(await readFile(join(DATA_DIR, "evaluation.json"), "utf8")) as { projects: unknown[] };
    expect(evaluation.projects).toEqual([]);
    const bundled = (
      JSON.parse(await readFile(join(ROOT, "data", "projects", "projects.json"), "utf8")) as {
        projects: Array<{ id: string; title: string; title_lt?: string }>;
      }
    ).projects;
    for (const [lang, none] of [
      ["en", /no project/i],
      ["lt", /nėra projektų/i],
    ] as const) {
      const { page } = await openWatchedPage(site.context, `${site.url}evaluation?lang=${lang}`);
      await waitForDashboardPage(page, "/evaluation");
      await eventually(() => page.locator("main").innerText()).toMatch(none);
      const text = await page.locator("main").innerText();
      for (const p of bundled) for (const title of [p.title, p.title_lt ?? p.title]) expect(text, `${lang}: ${p.id}`).not.toContain(title);
      await page.close();
    }
  });

  it("ships no data file that names Šiauliai", async () => {
    const files = (await readdir(join(DIST_DIR, "_file", "data"), { recursive: true })).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(await readFile(join(DIST_DIR, "_file", "data", file), "utf8"), file).not.toMatch(/Šiauli|Siauli/i);
  });
});
