/**
 * vitest global setup: one temporary folder for the whole run, given to every test file as
 * `inject("runCacheDir")`, where a fixture that several files need (a built site, a run of the
 * pipeline) is made once and shared (helpers/run-cache.ts). It is named for the vitest process, so
 * that every project of the run (each runs its own global setup) gets the same one, and it is removed
 * when the run ends: a fixture never outlives the sources it was made from. It also starts the CLI
 * once, so that its compiled build (bin/bundle-cache.js) is made before the test files that spawn
 * `bin/hotspots.js` start side by side, each of which would otherwise build it too.
 */
import { execFile } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    runCacheDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = join(tmpdir(), `vitest-run-${process.pid}`);
  await mkdir(dir, { recursive: true });
  project.provide("runCacheDir", dir);
  await promisify(execFile)(process.execPath, [join(import.meta.dirname, "..", "bin", "hotspots.js"), "--help"]);
  return () => rm(dir, { recursive: true, force: true });
}
