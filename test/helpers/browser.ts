/**
 * Headless Chromium (etl/browser/chromium.ts: the one npm installs, or CHROMIUM_PATH) driven by playwright-core, for testing the built dashboard as a person
 * would see it. Every page opened through {@link openWatchedPage} records console errors, uncaught
 * exceptions, failed requests, HTTP errors and any request that leaves 127.0.0.1 (those are aborted).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import type { DashboardPage } from "../../dashboard/data-contract.ts";
import { chromiumLaunchOptions } from "../../etl/browser/chromium.ts";

/** A browser with its own new, empty profile; `close()` removes the profile. */
export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), "dashboard-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    ...(await chromiumLaunchOptions()),
    viewport: { width: 1280, height: 900 },
    locale: "en-GB",
    timezoneId: "Europe/Vilnius",
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** What went wrong while a page was open. */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  foreignRequests: string[];
}

/** True for URLs served by this machine's loopback server (or inline data). */
function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === "data:" || protocol === "blob:" || protocol === "about:") return true;
  return hostname === "127.0.0.1";
}

/** A data file the page loaded (Framework serves FileAttachments from `/_file/`). */
export interface DataLoad {
  url: string;
  bytes: number;
}

/**
 * Opens `url` in a new page of `context`, watching it; resolves once the network is idle. `dataLoads()`
 * gives the size of every data file the page has fetched so far (uncompressed bytes).
 */
export async function openWatchedPage(
  context: BrowserContext,
  url: string,
): Promise<{ page: Page; problems: PageProblems; dataLoads: () => Promise<DataLoad[]> }> {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], failedRequests: [], foreignRequests: [] };
  const loads: Array<Promise<DataLoad>> = [];
  const page = await context.newPage();
  await page.route("**/*", async (route) => {
    const requested = route.request().url();
    if (isLocal(requested)) await route.continue();
    else {
      problems.foreignRequests.push(requested);
      await route.abort("blockedbyclient");
    }
  });
  page.on("console", (message) => {
    if (message.type() === "error") problems.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => problems.pageErrors.push(String(error)));
  page.on("requestfailed", (request) => {
    if (isLocal(request.url())) problems.failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? "failed"}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.failedRequests.push(`${response.url()}: HTTP ${response.status()}`);
    else if (new URL(response.url()).pathname.includes("/_file/")) loads.push(response.body().then((body) => ({ url: response.url(), bytes: body.length })));
  });
  await page.goto(url, { waitUntil: "networkidle" });
  return { page, problems, dataLoads: () => Promise.all(loads) };
}

/**
 * What shows that each dashboard page has drawn (CSS selectors that must all match), on any site: a
 * map is drawn once its scale bar is (hexMap adds it after every other layer), which a hull study
 * area's map has too, where no municipality outline is drawn; what a map shows is the tests' to check.
 */
export const PAGE_READY: Record<DashboardPage, readonly string[]> = {
  "/": ["#monthly-chart svg", "#municipality-trend svg", "#yearly-table tbody tr"],
  "/hotspots": ["#hotspot-map g.dash-scale-bar", "#hot-cells table, #hot-cells .dash-no-rows"],
  "/emerging": ["#emerging-map g.dash-scale-bar", "#pattern-meanings tbody tr"],
  "/patrol": ["#patrol-map g.dash-scale-bar", "#backtest-chart svg", "#backtest-months svg"],
  // The indicators table sits in a closed <details>: the verdict is what the page opens with.
  "/evaluation": ["#project-facts dl", "#project-facts li"],
  "/data-quality": ["#sources-table table", "#ingest-chart svg"],
};

/**
 * How long a browser test waits for a page to show something: a first render, or a redraw after an
 * action. CI runs the tests on 2 cores shared with a dozen processes, where a page's first render took
 * 1.5–2.8 s at load 14–16 (dashboard/README.md); vitest's own `expect.poll` gives up after 1 s.
 */
export const PAGE_TIMEOUT_MS = 30_000;

/** Waits until every PAGE_READY selector of `path` matches on `page`. */
export async function waitForDashboardPage(page: Page, path: DashboardPage, timeout = PAGE_TIMEOUT_MS): Promise<void> {
  for (const selector of PAGE_READY[path]) await page.locator(selector).first().waitFor({ timeout });
}

/**
 * Waits until the map in `card` (e.g. "#hotspot-map") is drawn under the title `title` (its heading). A
 * page redraws its map after the inputs it reads change, the card's heading and the address first: the
 * map (inside Framework's `resize`) is drawn later, and in between the card holds no map at all. The
 * chart's `data-title` (downloads.ts `exportable`) and scale bar (drawn last) say which drawing is there.
 */
export async function waitForMap(page: Page, card: string, title: string, timeout = PAGE_TIMEOUT_MS): Promise<void> {
  await page.locator(`${card} [data-chart][data-title=${JSON.stringify(title)}] g.dash-scale-bar`).waitFor({ timeout });
}

/**
 * Waits until every chart on screen is drawn: each visible card that offers SVG and PNG downloads
 * (`chartButtons` in its head, shown only with a chart) holds the chart (`data-chart`, set by
 * `exportable`). A chart in Framework's `resize()` is drawn only once it has a width, e.g. after the
 * `<details>` around it opens, and after the rest of its page.
 */
export async function waitForCharts(page: Page, timeout = PAGE_TIMEOUT_MS): Promise<void> {
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll(".card")]
        // checkVisibility: not in a closed <details>, whose content Chromium lays out but never draws.
        .filter((card) => card.checkVisibility() && card.querySelector(":scope > .dash-card-head .dash-downloads"))
        .every((card) => card.querySelector("[data-chart]")),
    undefined,
    { timeout },
  );
}
