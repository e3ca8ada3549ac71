/**
 * The hot-spot page's map as an analyst uses it, in headless Chromium on the site built from the
 * sample data: place labels that never overlap and change with the zoom, the scale bar, pan and zoom
 * from the keyboard, the month slider with playback, a pinned cell (map, panel, table row) and the
 * view, month and pin kept in the address, and a screenshot that shows cells (not a blank map). The
 * emerging and patrol maps are the same component: their labels, scale bar, zoom, pin and address.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DATA_DIR, DIST_DIR } from "../../dashboard/scripts/build.js";
import { DASHBOARD_DIR } from "../../dashboard/scripts/prefill-npm-cache.js";
import { BIN_COLORS } from "../../dashboard/src/components/palettes.js";
import { openWatchedPage, waitForDashboardPage, type PageProblems } from "../helpers/browser.js";
import { eventually } from "../helpers/eventually.js";
import { runWithoutNetwork } from "../helpers/offline.js";
import { makeSampleDashboardData, writeSampleDashboardData } from "../helpers/sample-dashboard-data.js";
import { strings } from "../../dashboard/src/components/strings.js";
import { servedInChromium } from "../helpers/served-site.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const noProblems: PageProblems = { consoleErrors: [], pageErrors: [], failedRequests: [], foreignRequests: [] };
const MAP_SVG = "#hotspot-map svg[tabindex]";
/** month-slider.ts's PLAYBACK_MS, a month's time on screen during playback (that module imports npm:htl, which Node cannot load). */
const PLAYBACK_MS = 1_200;

beforeAll(async () => {
  await rm(DIST_DIR, { recursive: true, force: true });
  await writeSampleDashboardData(DATA_DIR);
  const build = await runWithoutNetwork(process.execPath, ["--import", "tsx", join(DASHBOARD_DIR, "scripts", "build.ts")], ROOT);
  if (build.code !== 0) throw new Error(`dashboard build failed:\n${build.stderr}`);
}, 300_000);

/** The place labels drawn and their boxes on screen. */
async function labels(page: Page): Promise<Array<{ text: string; box: [number, number, number, number] }>> {
  return page.locator("#hotspot-map g.dash-place-labels text").evaluateAll((texts) =>
    texts.map((t) => {
      const r = t.getBoundingClientRect();
      return { text: t.textContent ?? "", box: [r.left, r.top, r.right, r.bottom] as [number, number, number, number] };
    }),
  );
}

const overlapping = (items: Array<{ text: string; box: [number, number, number, number] }>) =>
  items.flatMap((a, i) =>
    items
      .slice(i + 1)
      .flatMap((b) => (a.box[0] < b.box[2] && b.box[0] < a.box[2] && a.box[1] < b.box[3] && b.box[1] < a.box[3] ? [`${a.text} / ${b.text}`] : [])),
  );

/** Pixels of a PNG screenshot whose colour is one of the Gi* bins' (decoded by the browser itself). */
async function binPixels(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(
    async ({ data, colors }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = document.createElement("canvas");
      [canvas.width, canvas.height] = [image.width, image.height];
      const context = canvas.getContext("2d")!;
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, image.width, image.height).data;
      const rgb = colors.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
      let n = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (rgb.some(([r, g, b]) => Math.abs(pixels[i]! - r!) + Math.abs(pixels[i + 1]! - g!) + Math.abs(pixels[i + 2]! - b!) < 12)) n++;
      }
      return n;
    },
    { data: png.toString("base64"), colors: [...BIN_COLORS] },
  );
}

describe("the hot-spot map", () => {
  const site = servedInChromium(DIST_DIR);

  it("opens with an address that holds only the language: no null pin or view, no default", async () => {
    for (const path of ["hotspots", "emerging", "patrol"] as const) {
      const { page, problems } = await openWatchedPage(site.context, `${site.url}${path}?lang=en`);
      await waitForDashboardPage(page, `/${path}`);
      const keys = [...new URL(page.url()).searchParams.keys()];
      // The hot-spot month is written: its default (the latest) moves with the data, a link must not.
      expect(keys).toEqual(path === "hotspots" ? ["lang", "month"] : ["lang"]);
      expect(problems).toEqual(noProblems);
      await page.close();
    }
  });

  for (const [path, map, table] of [
    ["emerging", "#emerging-map", "#emerging-cells"],
    ["patrol", "#patrol-map", "#patrol-cells"],
  ] as const) {
    it(`the ${path} map: place labels, police stations, scale bar, zoom, a pinned cell with its row, all in the address`, async () => {
      const { page, problems } = await openWatchedPage(site.context, `${site.url}${path}?lang=en`);
      await waitForDashboardPage(page, `/${path}`);
      expect(await page.locator(`${map} g.dash-place-labels text`).count()).toBeGreaterThan(0);
      if (path === "patrol") {
        // The patrol ranks are drawn after (over) the place names, which must not hide them.
        const ranksLast = await page
          .locator(`${map} g.dash-cell-labels`)
          .evaluate(
            (ranks, places) => (places!.compareDocumentPosition(ranks) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
            await page.locator(`${map} g.dash-place-labels`).elementHandle(),
          );
        expect(ranksLast).toBe(true);
      }
      // The bundled places have police stations: the key explains their symbol.
      expect(await page.locator(`${map} .dash-map-key svg`).count()).toBe(1);
      const scale = await page.locator(`${map} g.dash-scale-bar text`).textContent();
      expect(scale).toMatch(/^\d+ k?m$/);
      await page.locator(`${map} svg[tabindex]`).focus();
      await page.keyboard.press("+");
      await page.keyboard.press("+");
      await eventually(() => new URL(page.url()).searchParams.get("view")).toMatch(/^23\.\d+,55\.\d+,\d+\.\d+$/);
      await eventually(() => page.locator(`${map} g.dash-scale-bar text`).textContent()).not.toBe(scale);
      await page.keyboard.press("0");
      await eventually(() => new URL(page.url()).searchParams.get("view")).toBeNull();

      const cell = (await page.locator(`${map} g.dash-hexagons path`).first().getAttribute("data-cell"))!;
      expect(cell).toMatch(/^8[0-9a-f]{14}$/);
      await page.locator(`${map} g.dash-hexagons path`).first().click({ force: true });
      await eventually(() => new URL(page.url()).searchParams.get("cell")).toBe(cell);
      // The address changes before the page redraws: wait for the outline and the details.
      await eventually(() => page.locator(`${map} g.dash-pinned path`).count()).toBe(1);
      await eventually(() => page.locator("#pinned-cell h2").textContent()).toMatch(/^Pinned cell: \p{Lu}/u);
      const pressed = page.locator(`${table} tr:has(.dash-pin[aria-pressed="true"])`);
      await eventually(() => pressed.textContent()).toContain(cell);
      // The pressed row stands out.
      expect(
        await pressed
          .locator("td")
          .first()
          .evaluate((td) => getComputedStyle(td).backgroundColor),
      ).toBe("rgb(255, 241, 194)");

      // A non-default selection and the pin travel in a link.
      await page.getByRole("combobox", { name: "Map extent" }).selectOption({ index: 0 });
      await eventually(() => new URL(page.url()).searchParams.get("extent")).toBe("*");
      const link = page.url();
      expect(problems).toEqual(noProblems);
      await page.close();
      const shared = await openWatchedPage(site.context, link);
      await waitForDashboardPage(shared.page, `/${path}`);
      await eventually(() => shared.page.locator("#pinned-cell").textContent()).toContain(cell);
      expect(await shared.page.getByRole("combobox", { name: "Map extent" }).inputValue()).not.toBe("");
      expect(new URL(shared.page.url()).searchParams.get("extent")).toBe("*");
      expect(shared.problems).toEqual(noProblems);
      await shared.page.close();
    });
  }

  it("names places without overlap, more of them zoomed in, with a scale bar, and shows cells", async () => {
    const { page, problems } = await openWatchedPage(site.context, `${site.url}hotspots?lang=en`);
    await waitForDashboardPage(page, "/hotspots");
    const out = await labels(page);
    expect(out.map((l) => l.text)).toContain("Šiauliai");
    expect(overlapping(out)).toEqual([]);
    const scale = await page.locator("#hotspot-map g.dash-scale-bar text").textContent();
    expect(scale).toMatch(/^\d+ k?m$/);

    const shot = await page.locator(MAP_SVG).screenshot();
    expect(await binPixels(page, shot)).toBeGreaterThan(500);

    // Zoom in twice from the keyboard: the view goes into the address, the bar shortens, and labels still never overlap.
    await page.locator(MAP_SVG).focus();
    await page.keyboard.press("+");
    await page.keyboard.press("+");
    await eventually(() => new URL(page.url()).searchParams.get("view")).toMatch(/^23\.\d+,55\.\d+,\d+\.\d+$/);
    await eventually(() => page.locator("#hotspot-map g.dash-scale-bar text").textContent()).not.toBe(scale);
    expect(await page.evaluate(() => document.activeElement?.tagName.toLowerCase())).toBe("svg");
    const zoomed = await labels(page);
    expect(overlapping(zoomed)).toEqual([]);
    expect(zoomed.length).toBeGreaterThan(0);
    // Arrow keys pan: the centre moves west when the map moves right.
    const before = new URL(page.url()).searchParams.get("view")!;
    await page.keyboard.press("ArrowLeft");
    await eventually(() => Number(new URL(page.url()).searchParams.get("view")!.split(",")[0])).toBeLessThan(Number(before.split(",")[0]));
    // 0 goes back to the default view.
    await page.keyboard.press("0");
    await eventually(() => new URL(page.url()).searchParams.get("view")).toBeNull();
    expect(problems).toEqual(noProblems);
    await page.close();
  });

  it("steps and plays the months with the slider, in either language", async () => {
    const { page, problems } = await openWatchedPage(site.context, `${site.url}hotspots?lang=lt`);
    await waitForDashboardPage(page, "/hotspots");
    const slider = page.getByRole("slider", { name: "Mėnuo" });
    expect(await slider.getAttribute("aria-valuetext")).toBe("2025 m. vasaris");
    await slider.press("Home");
    await eventually(() => new URL(page.url()).searchParams.get("month")).toBe("2024-09");
    await page.getByRole("button", { name: "Kitas mėnuo" }).click();
    await eventually(() => page.locator("#hotspot-map h2").textContent()).toContain("2024 m. spalis");
    await page.getByRole("button", { name: "Leisti" }).click();
    await eventually(() => new URL(page.url()).searchParams.get("month")).toBe("2024-11");
    await page.getByRole("button", { name: "Pristabdyti" }).click();
    // Paused: the button offers to play again, and the month, read in the page, stays through two steps' time.
    await eventually(() => page.getByRole("button", { name: "Leisti" }).getAttribute("aria-pressed")).toBe("false");
    const month = () => page.evaluate(() => new URL(location.href).searchParams.get("month"));
    const stopped = await month();
    await page.waitForTimeout(2 * PLAYBACK_MS);
    expect(await month()).toBe(stopped);
    expect(problems).toEqual(noProblems);
    await page.close();
  });

  it("says how the shown month's p-values were obtained, in either language", async () => {
    const { hotspots } = await makeSampleDashboardData();
    // A month tested exactly throughout, and one where a category needed Monte Carlo.
    const months = [hotspots.inference!.find((m) => m.monte_carlo === 0)!, hotspots.inference!.find((m) => m.monte_carlo > 0)!];
    for (const lang of ["en", "lt"] as const) {
      for (const used of months) {
        const { page, problems } = await openWatchedPage(site.context, `${site.url}hotspots?lang=${lang}&month=${used.month}`);
        await waitForDashboardPage(page, "/hotspots");
        await eventually(() => page.locator("#hotspot-method").textContent()).toContain(strings(lang).hotspots.pValues(used, hotspots.permutations ?? null));
        expect(problems).toEqual(noProblems);
        await page.close();
      }
    }
  });

  it("pins a clicked cell: outlined, its details and table row shown, and a shared link opens the same view", async () => {
    const { page, problems } = await openWatchedPage(site.context, `${site.url}hotspots?lang=en`);
    await waitForDashboardPage(page, "/hotspots");
    const path = page.locator("#hotspot-map g.dash-hexagons path").first();
    const cell = (await path.getAttribute("data-cell"))!;
    await path.hover({ force: true });
    await path.click({ force: true });
    await eventually(() => new URL(page.url()).searchParams.get("cell")).toBe(cell);
    // The address changes before the page redraws: wait for the details, the outline and the row.
    await eventually(() => page.locator("#pinned-cell").textContent()).toContain(cell);
    expect(await page.locator("#pinned-cell h2").textContent()).toMatch(/^Pinned cell: \p{Lu}/u);
    await eventually(() => page.locator("#hotspot-map g.dash-pinned path").count()).toBe(1);
    const pressed = page.locator('#hot-cells tr:has(.dash-pin[aria-pressed="true"])');
    await eventually(() => pressed.textContent()).toContain(cell);
    expect(await pressed.count()).toBe(1);

    // The table's Show button pins another cell.
    const other = page.locator('#hot-cells .dash-pin[aria-pressed="false"]').first();
    await other.click();
    await eventually(() => new URL(page.url()).searchParams.get("cell")).not.toBe(cell);
    const second = new URL(page.url()).searchParams.get("cell")!;
    // The URL changes before the table re-renders: wait for the row.
    await eventually(() => page.locator('#hot-cells tr:has(.dash-pin[aria-pressed="true"])').textContent()).toContain(second);

    await page.getByRole("button", { name: "Zoom in" }).click();
    await eventually(() => new URL(page.url()).searchParams.get("view")).not.toBeNull();
    await page.getByRole("slider", { name: "Month" }).press("ArrowLeft");
    await eventually(() => new URL(page.url()).searchParams.get("month")).toBe("2025-01");
    const link = page.url();
    const scale = await page.locator("#hotspot-map g.dash-scale-bar text").textContent();
    expect(problems).toEqual(noProblems);
    await page.close();

    const shared = await openWatchedPage(site.context, link);
    await waitForDashboardPage(shared.page, "/hotspots");
    expect(await shared.page.getByRole("slider", { name: "Month" }).getAttribute("aria-valuetext")).toBe("January 2025");
    await eventually(() => shared.page.locator("#pinned-cell").textContent()).toContain(second);
    expect(await shared.page.locator("#hotspot-map g.dash-scale-bar text").textContent()).toBe(scale);
    await shared.page.getByRole("button", { name: "Unpin" }).click();
    await eventually(() => new URL(shared.page.url()).searchParams.get("cell")).toBeNull();
    expect(shared.problems).toEqual(noProblems);
    await shared.page.close();
  });
});
