/**
 * First render of each dashboard page in headless Chromium: the time from navigation start until
 * every element that shows the page has drawn (test/helpers/browser.ts PAGE_READY) is on screen, with
 * a cold cache in a new browser context per run, the data each page loads and the largest of its data
 * files (the target is a first render within 1.5 s on the project's 2-core machine). A benchmark, not
 * a test: it prints a table and asserts nothing.
 *
 *     npx tsx bench/dashboard-render.ts                 # the built dashboard/dist (npm start or publish first)
 *     npx tsx bench/dashboard-render.ts --sample        # build from the sample data first
 *     npx tsx bench/dashboard-render.ts --runs 9 --lang lt
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { DASHBOARD_PAGES, type DashboardPage } from "../dashboard/data-contract.ts";
import { DATA_DIR, DIST_DIR, buildDashboard } from "../dashboard/scripts/build.ts";
import { serveStatic } from "../dashboard/scripts/serve.ts";
import { chromiumLaunchOptions } from "../etl/browser/chromium.ts";
import { waitForDashboardPage } from "../test/helpers/browser.ts";

interface Measure {
  page: DashboardPage;
  dataBytes: number;
  largest: { name: string; bytes: number };
  renderMs: number[];
  domContentLoadedMs: number[];
}

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    lang: { type: "string", default: "en" },
    sample: { type: "boolean", default: false },
    dist: { type: "string", default: DIST_DIR },
  },
});
const runs = Math.max(1, Number(values.runs));

if (values.sample) {
  const { writeSampleDashboardData } = await import("../test/helpers/sample-dashboard-data.ts");
  await writeSampleDashboardData(DATA_DIR);
  await buildDashboard();
}
if (!existsSync(values.dist!)) throw new Error(`${values.dist} does not exist: build the dashboard first (npm start, hotspots publish, or --sample)`);

const server = await serveStatic(values.dist!, 0);
const browser = await chromium.launch(await chromiumLaunchOptions());
const measures: Measure[] = [];
try {
  for (const page of Object.keys(DASHBOARD_PAGES) as DashboardPage[]) {
    const measure: Measure = { page, dataBytes: 0, largest: { name: "", bytes: 0 }, renderMs: [], domContentLoadedMs: [] };
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB", timezoneId: "Europe/Vilnius" });
      const tab = await context.newPage();
      const sizes: Array<Promise<{ name: string; bytes: number }>> = [];
      tab.on("response", (response) => {
        const { pathname } = new URL(response.url());
        // Framework names a data file <name>.<hash>.<ext>: the name without the hash.
        const name = pathname
          .split("/")
          .at(-1)!
          .replace(/\.[0-9a-f]{8}(\.\w+)$/, "$1");
        if (pathname.includes("/_file/")) sizes.push(response.body().then((b) => ({ name, bytes: b.length })));
      });
      await tab.goto(`${server.url}${page.slice(1)}?lang=${values.lang}`, { waitUntil: "commit" });
      await waitForDashboardPage(tab, page, 60_000);
      measure.renderMs.push(await tab.evaluate(() => performance.now()));
      measure.domContentLoadedMs.push(await tab.evaluate<number>(`performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd`));
      const files = await Promise.all(sizes);
      measure.dataBytes = files.reduce((s, f) => s + f.bytes, 0);
      measure.largest = files.reduce((a, b) => (b.bytes > a.bytes ? b : a), { name: "", bytes: 0 });
      await context.close();
    }
    measures.push(measure);
  }
} finally {
  await browser.close();
  await server.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${Math.round(x)} ms`;
console.log(`First render of each page, ${runs} cold run${runs === 1 ? "" : "s"} each, language ${values.lang}, ${values.dist}`);
console.table(
  measures.map((m) => ({
    page: m.page,
    "data (KiB)": Math.round(m.dataBytes / 1024),
    "largest file": `${m.largest.name} (${Math.round(m.largest.bytes / 1024)} KiB)`,
    "DOMContentLoaded (median)": ms(median(m.domContentLoadedMs)),
    "first render (median)": ms(median(m.renderMs)),
    "first render (min)": ms(Math.min(...m.renderMs)),
    "first render (max)": ms(Math.max(...m.renderMs)),
  })),
);
