#!/usr/bin/env node
// Entry point for `npx hotspots` and `npm start`: runs the CLI compiled into ES modules
// (etl/build/cli-bundle.ts), built on first use and rebuilt whenever one of its inputs changes
// (bin/bundle-cache.js). Through tsx, every start compiled some 400 TypeScript modules (about 2 s of
// CPU). When the build cannot be made, the CLI runs from its TypeScript sources through tsx.
// HOTSPOTS_CLI_CACHE names another cache folder (within the repository); HOTSPOTS_CLI_CACHE=off runs
// from the sources.
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cachedBundle } from "./bundle-cache.js";

const root = fileURLToPath(new URL("..", import.meta.url));
// Within the repository, so the bundle finds the packages it leaves out (DuckDB) in node_modules.
const cacheDir = process.env.HOTSPOTS_CLI_CACHE || join(root, "node_modules", ".cache", "hotspots", "cli");

/** The compiled CLI's entry module, or undefined (with the reason on stderr) when there is none to run. */
async function compiledCli() {
  if (cacheDir === "off") return undefined;
  try {
    return await cachedBundle({ cacheDir, scope: root, entry: "main.mjs", build: buildWithTsx });
  } catch (error) {
    const reason = String(error?.message ?? error).split("\n")[0];
    process.stderr.write(`hotspots: running from the TypeScript sources (no compiled build: ${reason})\n`);
    return undefined;
  }
}

/** Builds the CLI into `outdir` with the build module compiled by tsx for this once. */
async function buildWithTsx(outdir) {
  const { register } = await import("tsx/esm/api");
  const unregister = register();
  try {
    const { buildCli } = await import("../etl/build/cli-bundle.ts");
    return await buildCli(outdir);
  } finally {
    await unregister();
  }
}

const entry = await compiledCli();
if (entry !== undefined) {
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../etl/cli/main.ts");
}
