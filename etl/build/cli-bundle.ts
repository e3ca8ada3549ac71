/**
 * The `hotspots` CLI compiled into ES modules (bin/hotspots.js builds it on first use and keeps it in
 * node_modules/.cache/hotspots/cli, see bin/bundle-cache.js). From the TypeScript sources through
 * tsx, each start compiles and loads some 400 modules, about 2 s of CPU before any work; the bundle
 * starts as the bench child does. Code splitting keeps the CLI's lazy loading: a command loads the
 * chunks of its own modules only.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, isAbsolute, join, resolve, sep } from "node:path";
import { build } from "esbuild";
import { BUILD_ROOT, bundleOptions } from "./bundle-options.ts";

/** The CLI's entry module; the bundle's is `main.mjs`. */
export const CLI_ENTRY = "etl/cli/main.ts";

/**
 * Files that decide the build beside the modules it bundles: the bundling rules and this module, the
 * launcher and its cache, the compiler settings and package manifests esbuild reads, and esbuild
 * itself (its version).
 */
function buildConfigurationFiles(): string[] {
  const esbuildManifest = createRequire(import.meta.url).resolve("esbuild/package.json");
  const own = ["etl/build/bundle-options.ts", "etl/build/cli-bundle.ts", "bin/hotspots.js", "bin/bundle-cache.js", "tsconfig.json", "package.json"];
  return [...own.map((file) => join(BUILD_ROOT, file)), esbuildManifest];
}

/**
 * Bundles the CLI and its worker threads into `outdir`; returns the absolute path of every file the
 * build depended on: each bundled module, the package.json of each package they come from (their
 * `exports`, `module` and `sideEffects` steer the bundling), and the build's own configuration.
 */
export async function buildCli(outdir: string): Promise<string[]> {
  const result = await build(bundleOptions({ entries: [CLI_ENTRY], outdir, splitting: true, logLevel: "silent" }));
  // Inputs another plugin namespace makes up (`required-duckdb:@duckdb/node-api`) are no files.
  const modules = Object.keys(result.metafile?.inputs ?? {})
    .filter((input) => !/^[\w-]+:/.test(input))
    .map((input) => (isAbsolute(input) ? input : resolve(BUILD_ROOT, input)));
  return [...modules, ...packageManifests(modules), ...buildConfigurationFiles()];
}

/** Every package.json between each module in node_modules and its package's root (a folder may declare its own `type`). */
function packageManifests(modules: readonly string[]): string[] {
  const manifests: string[] = [];
  const seen = new Set<string>();
  for (const module of modules) {
    if (!module.split(sep).includes("node_modules")) continue;
    // Up to the folder in node_modules; a folder seen before had everything above it looked at too.
    for (let dir = dirname(module); basename(dir) !== "node_modules" && !seen.has(dir); dir = dirname(dir)) {
      seen.add(dir);
      if (existsSync(join(dir, "package.json"))) manifests.push(join(dir, "package.json"));
    }
  }
  return manifests;
}
