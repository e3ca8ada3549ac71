/**
 * vitest global setup: unpacks the npm-installed Chromium once, before the test files run in
 * parallel, so that no two workers unpack it into the same place at the same time.
 */
import { chromiumExecutable } from "../../etl/browser/chromium.ts";

export default async function setup(): Promise<void> {
  await chromiumExecutable();
}
