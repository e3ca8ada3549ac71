import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";

/**
 * A module to run in worker threads: its TypeScript source with the tsx loader to register first
 * (`tsx` set), or — in a bundle (the compiled CLI, the bench child, the Lambda asset) — its own bundle
 * beside it (`tsx` null; see WORKER_ENTRIES in etl/build/bundle-options.ts and ETL_WORKER_ENTRIES in
 * infra/lib/etl-bundling.ts).
 */
export interface ThreadModule {
  module: URL;
  tsx: string | null;
}

// Worker threads do not inherit loader hooks: from TypeScript sources a thread first registers tsx,
// as bin/hotspots.js does for the main thread when it runs from the sources.
const BOOTSTRAP = `const { workerData } = require("node:worker_threads");
(async () => { (await import(workerData.tsx)).register(); await import(workerData.module); })();`;

/**
 * The module to start for `source` (a `.ts` file) or its bundled twin `bundled` (a `.mjs` file beside
 * the bundle), whichever exists; undefined where neither can run (no file, or TypeScript without tsx):
 * the caller then does the work in its own thread.
 */
export function threadModule(source: URL, bundled: URL): ThreadModule | undefined {
  if (existsSync(fileURLToPath(source))) {
    const tsx = tsxLoader();
    return tsx === undefined ? undefined : { module: source, tsx };
  }
  return existsSync(fileURLToPath(bundled)) ? { module: bundled, tsx: null } : undefined;
}

/** Starts `module` in a new worker thread with `data` as its workerData. */
export function startThread({ module, tsx }: ThreadModule, data: Record<string, unknown>, resourceLimits?: ResourceLimits): Worker {
  const options = { workerData: { ...data, tsx, module: module.href }, ...(resourceLimits ? { resourceLimits } : {}) };
  return tsx === null ? new Worker(module, options) : new Worker(BOOTSTRAP, { ...options, eval: true });
}

/** The URL of tsx's ESM loader API, or undefined when it is not installed. */
function tsxLoader(): string | undefined {
  try {
    const api = createRequire(import.meta.url)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs");
    return existsSync(api) ? pathToFileURL(api).href : undefined;
  } catch {
    return undefined;
  }
}
