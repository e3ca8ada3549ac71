/**
 * Reading what a dashboard page shows after an action. The page redraws asynchronously: an input's
 * change reaches the address at once, Framework's runtime recomputes the cells that read it afterwards,
 * and a chart inside `resize()` is drawn later still. So a browser test never reads such a thing once
 * right after the action: it polls until the assertion holds, for as long as a loaded CI machine needs.
 * (A negative assertion passes on a page that has not redrawn yet: wait first for a state the redraw
 * sets, such as browser.ts's `waitForMap`, then assert.)
 */
import { expect } from "vitest";
import { PAGE_TIMEOUT_MS } from "./browser.ts";

/** `expect.poll(read)` with the browser tests' timeout (vitest's default is 1 s). */
export function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: PAGE_TIMEOUT_MS });
}
