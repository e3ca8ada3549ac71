/**
 * Fills Observable Framework's npm cache (`src/.observablehq/cache/_npm/`) from node_modules so that
 * `observable build` never touches the network.
 *
 * Framework 1.13.4 turns `Plot`, `Inputs`' htl dependency and every `npm:` import into files under
 * `_npm/<name>@<version>/`, which it downloads from the jsDelivr CDN, and it asks the npm registry
 * which version is "latest" for every library that its client stdlib mentions (lodash, echarts, …),
 * even the unused ones. Two facts of `src/npm.js` make a no-network build possible:
 * - a file that already exists in the cache is used as is (`populateNpmCache`), and its relative
 *   imports are followed to further cached files;
 * - an existing `<name>@<version>` folder, even empty, answers the version question
 *   (`initializeNpmVersionCache`); an exact version (DuckDB-wasm's pinned 1.29.0) is never asked.
 * So each library the pages use is bundled here with esbuild to `_npm/<name>@<version>/_esm.js`, the
 * path jsDelivr's `+esm` would be cached at, with the libraries it shares (d3) left as relative imports
 * of their own bundles; and every other library Framework asks about gets an empty placeholder folder.
 * The `_npm` folder is rebuilt from scratch on each run, so the build is deterministic and cannot pick
 * up a stale or downloaded version.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

/** The dashboard folder (holding `observablehq.config.js`). */
export const DASHBOARD_DIR = fileURLToPath(new URL("..", import.meta.url));
/** Framework's cache of npm modules for the source root `src`. */
export const NPM_CACHE_DIR = join(DASHBOARD_DIR, "src", ".observablehq", "cache", "_npm");

/** A library the pages import, bundled from node_modules; `shared` ones stay separate modules. */
interface BundleSpec {
  name: string;
  shared?: string[];
}

/**
 * What the pages load: `Plot` (which imports d3 and isoformat), `Inputs` (Framework bundles
 * `@observablehq/inputs` itself but preloads its dependencies htl and isoformat as `npm:` modules),
 * and htl for the components.
 */
export const BUNDLED_LIBRARIES: readonly BundleSpec[] = [
  { name: "d3" },
  { name: "htl" },
  { name: "isoformat" },
  { name: "@observablehq/plot", shared: ["d3", "isoformat"] },
];

/**
 * Libraries whose versions Framework 1.13.4 looks up while it bundles its client
 * (`dist/client/stdlib/recommendedLibraries.js`, `sampleDatasets.js`, `fileAttachment.js`), even when
 * no page uses them; an empty folder answers that. The list was established by building under
 * `unshare -n` and adding what was asked for until the build passed. Using one of them in a page makes
 * the build try to download `<name>@0.0.0-offline`, which fails loudly rather than fetching silently.
 */
export const PLACEHOLDER_LIBRARIES: readonly string[] = [
  "@observablehq/sample-datasets",
  "apache-arrow",
  "arquero",
  "d3-dsv",
  "echarts",
  "leaflet",
  "lodash",
  "mapbox-gl",
  "parquet-wasm",
  "react",
  "react-dom",
  "topojson-client",
];

/** Version given to placeholder folders; nothing is ever written in them. */
export const PLACEHOLDER_VERSION = "0.0.0-offline";

interface PackageJson {
  name: string;
  version: string;
  module?: string;
  main?: string;
}

/** Finds `node_modules/<name>` the way Node does, walking up from this script's folder. */
export async function findPackage(name: string, from = DASHBOARD_DIR): Promise<{ dir: string; pkg: PackageJson }> {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name, "package.json");
    if (existsSync(candidate)) {
      const pkg = JSON.parse(await readFile(candidate, "utf8")) as PackageJson;
      return { dir: dirname(candidate), pkg };
    }
    if (dirname(dir) === dir) {
      throw new Error(`prefill-npm-cache: package "${name}" is not installed (add it to package.json and run npm ci)`);
    }
  }
}

/** The cache path of a library's ESM bundle, relative to `_npm/`: `<name>@<version>/_esm.js`. */
function bundlePath(name: string, version: string): string {
  return posix.join(`${name}@${version}`, "_esm.js");
}

/** esbuild plugin: imports of shared libraries become relative imports of their cached bundles. */
function sharedImports(fromPath: string, versions: ReadonlyMap<string, string>): Plugin {
  const names = [...versions.keys()].map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  return {
    name: "shared-npm-imports",
    setup(b) {
      if (names.length === 0) return;
      b.onResolve({ filter: new RegExp(`^(${names.join("|")})$`) }, (args) => {
        const target = bundlePath(args.path, versions.get(args.path) as string);
        const relative = posix.relative(posix.dirname(fromPath), target);
        return { path: relative.startsWith("../") ? relative : `./${relative}`, external: true };
      });
    },
  };
}

/** Bundles one library into the cache; returns its cache path relative to `_npm/`. */
async function bundleLibrary(spec: BundleSpec, cacheDir: string): Promise<string> {
  const { dir, pkg } = await findPackage(spec.name);
  const entry = pkg.module ?? pkg.main;
  if (!entry) throw new Error(`prefill-npm-cache: ${spec.name} has no "module" or "main" entry`);
  const shared = new Map<string, string>();
  for (const name of spec.shared ?? []) shared.set(name, (await findPackage(name)).pkg.version);
  const path = bundlePath(spec.name, pkg.version);
  await build({
    entryPoints: [join(dir, entry)],
    outfile: join(cacheDir, path),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "none",
    logLevel: "silent",
    plugins: [sharedImports(path, shared)],
  });
  return path;
}

/**
 * Rebuilds the npm cache of the dashboard: one bundle per {@link BUNDLED_LIBRARIES} entry and an empty
 * folder per {@link PLACEHOLDER_LIBRARIES} entry. Returns the cache paths written, relative to `_npm/`.
 */
export async function prefillNpmCache(cacheDir: string = NPM_CACHE_DIR): Promise<string[]> {
  await rm(cacheDir, { recursive: true, force: true });
  const written: string[] = [];
  for (const spec of BUNDLED_LIBRARIES) written.push(await bundleLibrary(spec, cacheDir));
  for (const name of PLACEHOLDER_LIBRARIES) {
    const folder = `${name}@${PLACEHOLDER_VERSION}`;
    await mkdir(join(cacheDir, folder), { recursive: true });
    written.push(folder + "/");
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const path of await prefillNpmCache()) console.log(`_npm/${path}`);
}
