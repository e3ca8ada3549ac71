/**
 * The benchmark's child (bench/run-size.ts) compiled as the Lambda asset is (infra/lib/etl-bundling.ts):
 * one esbuild ES module with DuckDB left out (and required, not imported: requiredDuckDb), and the
 * worker-thread modules bundled beside it. Run
 * through tsx instead, every start compiles and loads some 400 TypeScript and package modules (about
 * 2 s of CPU) and tsx keeps every function's name with a wrapper call; the monthly Lambda does
 * neither, and neither does a compiled CLI, so the bench times what they run.
 */
import { rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import { PROJECT_ROOT } from "../etl/config.ts";
import { REQUIRE_BANNER } from "../infra/lib/etl-bundling.ts";

/** The thread modules a bundled run starts from beside itself (see etl/workers/thread-module.ts and ETL_WORKER_ENTRIES). */
const WORKER_ENTRIES = ["etl/ingest/csv-reader-worker.ts", "etl/analytics/gi-star-worker.ts"];

/** A bundle of the child and its workers in a new folder (removed when the process exits). */
export interface ChildBundle {
  entry: string;
}

/**
 * Bundles bench/run-size.ts and the worker modules into a new folder under the repository's
 * `.scratch/` (ignored by git): a folder of its own per call, so benches running at the same time
 * never load each other's half-written files, and within the repository, so the bundle finds the
 * packages it leaves out (DuckDB's native binding) in node_modules as the sources do.
 */
export async function bundleChild(): Promise<ChildBundle> {
  const scratch = join(PROJECT_ROOT, ".scratch");
  await mkdir(scratch, { recursive: true });
  const outdir = await mkdtemp(join(scratch, "bench-child-"));
  await build({
    entryPoints: [join(PROJECT_ROOT, "bench", "run-size.ts"), ...WORKER_ENTRIES.map((e) => join(PROJECT_ROOT, e))],
    outdir,
    entryNames: "[name]",
    // .mjs: the names the thread modules look for beside the bundle (csv-readers.ts, gi-star-threads.ts).
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: `node${process.versions.node.split(".")[0]}`,
    mainFields: ["module", "main"],
    // As the Lambda bundle: CommonJS dependencies call require(), which an ES module has only when given one.
    banner: { js: REQUIRE_BANNER },
    plugins: [sourceLocated(), requiredDuckDb()],
    logLevel: "warning",
  });
  process.once("exit", () => rmSync(outdir, { recursive: true, force: true }));
  return { entry: join(outdir, "run-size.mjs") };
}

/**
 * DuckDB's Node API, left out of the bundle as the Lambda's is, loaded with require(): imported as
 * an ES module, Node first lexes each of its CommonJS files for their export names (364-412 ms of
 * CPU to import it against 162 ms to require it, three runs each).
 */
function requiredDuckDb(): Plugin {
  const name = "@duckdb/node-api";
  return {
    name: "required-duckdb",
    setup(b) {
      b.onResolve({ filter: /^@duckdb\/node-api$/ }, (args) =>
        args.kind === "require-call" ? { path: name, external: true } : { path: name, namespace: "required-duckdb" },
      );
      b.onLoad({ filter: /.*/, namespace: "required-duckdb" }, () => ({ contents: `module.exports = require(${JSON.stringify(name)});`, loader: "js" }));
    },
  };
}

/**
 * Modules that find files from their own location (import.meta): the project root (etl/config.ts:
 * the defaults' source description, boundaries and places) and the R scripts of the spdep peers. In a
 * bundle that location would be the bundle's; here it stays the source file's.
 */
const SOURCE_LOCATED = ["etl/config.ts", "bench/spdep-peer.ts", "bench/inference-peer.ts"].map((file) => join(PROJECT_ROOT, file));

function sourceLocated(): Plugin {
  return {
    name: "source-located",
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!SOURCE_LOCATED.includes(args.path)) return undefined;
        const source = await readFile(args.path, "utf8");
        if (!/import\.meta\.(url|dirname)/.test(source)) throw new Error(`${args.path} no longer finds files from import.meta: update bench/child-bundle.ts`);
        const contents = source
          .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)));
        return { contents, loader: "ts" };
      });
    },
  };
}
