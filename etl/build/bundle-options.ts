/**
 * How the product compiles itself into ES modules with esbuild: the cached CLI build
 * (etl/build/cli-bundle.ts, started by bin/hotspots.js), the benchmark's child (bench/child-bundle.ts)
 * and, for the banner, the Lambda asset (infra/lib/etl-bundling.ts). One place for the rules every
 * bundle of the product's sources must follow:
 * - CommonJS dependencies call require(), which an ES module has only when given one (the banner);
 * - DuckDB's Node API stays out of the bundle and is required, not imported (REQUIRED_DUCKDB);
 * - packages that find their own files at run time (esbuild's binary, Playwright's, Chromium's)
 *   stay out of the bundle;
 * - modules that find files from their own location (import.meta) keep their source location, or
 *   are declared to mean the bundle's (the worker threads started from beside it); a module with
 *   an undeclared import.meta fails the build instead of finding the wrong files.
 * This module imports no esbuild at run time, so the Lambda's CDK code can take the banner from it.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BuildOptions, LogLevel, Plugin } from "esbuild";

/** The repository root, from this file's own place (etl/build/). */
export const BUILD_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** CommonJS dependencies call require(); an ES module bundle has none unless this banner gives it one. */
export const REQUIRE_BANNER =
  "import { createRequire as __hotspotsCreateRequire } from 'node:module'; const require = __hotspotsCreateRequire(import.meta.url);";

/**
 * The modules that run in worker threads (paths in the repository), bundled as further entry points
 * beside the main one as `<name>.mjs`, the names the thread modules look for beside the bundle
 * (etl/ingest/csv-readers.ts, etl/analytics/gi-star-threads.ts; see etl/workers/thread-module.ts).
 */
export const WORKER_ENTRIES = ["etl/ingest/csv-reader-worker.ts", "etl/analytics/gi-star-worker.ts"] as const;

/**
 * Modules whose import.meta finds files beside their source: the project root (etl/config.ts: the
 * defaults' source description, boundaries and places), the dashboard folder, and the R scripts of
 * the spdep peers. In a bundle, import.meta would be the bundle's; these keep the source file's.
 */
export const SOURCE_LOCATED = ["etl/config.ts", "dashboard/scripts/prefill-npm-cache.ts", "bench/spdep-peer.ts", "bench/inference-peer.ts"] as const;

/**
 * Modules whose import.meta means the running module, which in a bundle is right: the thread modules
 * look for their bundled workers beside it (and for tsx only when the TypeScript source is there),
 * the dashboard scripts ask whether they are the main module (never, in a bundle), and the bench
 * child reports whether it runs bundled.
 */
export const BUNDLE_LOCATED = [
  "etl/ingest/csv-readers.ts",
  "etl/analytics/gi-star-threads.ts",
  "etl/workers/thread-module.ts",
  "dashboard/scripts/build.ts",
  "dashboard/scripts/serve.ts",
  "bench/run-size.ts",
] as const;

/**
 * DuckDB's Node API, aliased in every bundle to a module that require()s it at run time
 * (etl/duckdb/node-api-required.cjs says why), so it stays out of the bundle and is never imported as
 * an ES module. An alias, not a plugin: CDK's esbuild takes arguments but no plugins.
 */
export const REQUIRED_DUCKDB = { package: "@duckdb/node-api", module: "etl/duckdb/node-api-required.cjs" } as const;

/** Packages that locate their own files (a native binary, a browser) and so cannot be bundled. */
export const LEFT_OUT_PACKAGES = ["esbuild", "playwright-core", "@sparticuz/chromium"] as const;

/** What a bundle is built from and where it goes. */
export interface BundleRequest {
  /** Entry modules, paths in the repository; the worker entries are added. */
  entries: readonly string[];
  outdir: string;
  /** Split modules shared between entries and dynamic imports into chunks (a CLI loads only its command's). */
  splitting: boolean;
  /** What esbuild prints (default: warnings and errors). */
  logLevel?: LogLevel;
}

/** esbuild's options for `request`: ES modules named `<entry>.mjs`, for the running Node's major version. */
export function bundleOptions({ entries, outdir, splitting, logLevel = "warning" }: BundleRequest): BuildOptions {
  return {
    absWorkingDir: BUILD_ROOT,
    entryPoints: [...entries, ...WORKER_ENTRIES].map((entry) => join(BUILD_ROOT, entry)),
    outdir,
    entryNames: "[name]",
    chunkNames: "chunk-[hash]",
    // .mjs: the names the thread modules look for beside the bundle.
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting,
    platform: "node",
    format: "esm",
    target: `node${process.versions.node.split(".")[0]}`,
    mainFields: ["module", "main"],
    banner: { js: REQUIRE_BANNER },
    alias: { [REQUIRED_DUCKDB.package]: join(BUILD_ROOT, REQUIRED_DUCKDB.module) },
    external: [...LEFT_OUT_PACKAGES],
    plugins: [locatedModules()],
    metafile: true,
    logLevel,
  };
}

const IMPORT_META = /import\.meta\.(url|dirname|filename)/;

/** Keeps SOURCE_LOCATED modules at their source location, and refuses an import.meta neither list declares. */
function locatedModules(): Plugin {
  return {
    name: "located-modules",
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
        const path = relative(BUILD_ROOT, args.path).split(sep).join("/");
        if (path.startsWith("..") || path.split("/").includes("node_modules")) return undefined;
        const source = await readFile(args.path, "utf8");
        const sourceLocated = (SOURCE_LOCATED as readonly string[]).includes(path);
        if (!IMPORT_META.test(source)) {
          if (sourceLocated) throw new Error(`${path} no longer finds files from import.meta: remove it from SOURCE_LOCATED in etl/build/bundle-options.ts`);
          return undefined;
        }
        if ((BUNDLE_LOCATED as readonly string[]).includes(path)) return undefined;
        if (!sourceLocated) {
          throw new Error(
            `${path} uses import.meta: say in etl/build/bundle-options.ts whether it means the source file (SOURCE_LOCATED) or the bundle (BUNDLE_LOCATED)`,
          );
        }
        const contents = source
          .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)))
          .replaceAll("import.meta.filename", JSON.stringify(args.path));
        return { contents, loader: args.path.endsWith("ts") ? "ts" : "js" };
      });
    },
  };
}
