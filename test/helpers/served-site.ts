/**
 * The built dashboard served on a loopback port with Chromium to open it in, for one `describe`
 * block of the end-to-end tests (kept apart from browser.ts, which the benchmark imports outside vitest).
 */
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { serveStatic, type StaticServer } from "../../dashboard/scripts/serve.ts";
import { launchBrowser, type TestBrowser } from "./browser.ts";

/** A built site served on a loopback port and a browser to open it in. */
export interface ServedSite {
  /** The site's root URL, ending in "/". */
  readonly url: string;
  readonly context: BrowserContext;
}

/**
 * Serves `dir` on a free loopback port and starts Chromium before the tests of the calling
 * `describe` block, and closes both after them. `dir` may be given as a function, read when the block
 * starts, for a site that an outer `beforeAll` builds.
 */
export function servedInChromium(dir: string | (() => string)): ServedSite {
  let server: StaticServer | undefined;
  let browser: TestBrowser | undefined;
  beforeAll(async () => {
    server = await serveStatic(typeof dir === "string" ? dir : dir(), 0);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get url() {
      return server!.url;
    },
    get context() {
      return browser!.context;
    },
  };
}
