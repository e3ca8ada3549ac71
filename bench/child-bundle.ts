/**
 * The benchmark's child (bench/run-size.ts) compiled as the CLI and the Lambda asset are, with the
 * product's bundling rules (etl/build/bundle-options.ts): one esbuild ES module with DuckDB left out
 * (and required, not imported), and the worker-thread modules bundled beside it. Run through tsx
 * instead, every start compiles and loads some 400 TypeScript and package modules (about 2 s of CPU)
 * and tsx keeps every function's name with a wrapper call; the monthly Lambda does neither, and
 * neither does the compiled CLI (bin/hotspots.js), so the bench times what they run.
 */
import { rmSync } from "node:fs";
import { mkdir, mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { BUILD_ROOT, bundleOptions } from "../etl/build/bundle-options.ts";

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
  const scratch = join(BUILD_ROOT, ".scratch");
  await mkdir(scratch, { recursive: true });
  const outdir = await mkdtemp(join(scratch, "bench-child-"));
  await build(bundleOptions({ entries: ["bench/run-size.ts"], outdir, splitting: false }));
  process.once("exit", () => rmSync(outdir, { recursive: true, force: true }));
  return { entry: join(outdir, "run-size.mjs") };
}
