/**
 * The compiled CLI's cache (bin/bundle-cache.js, bin/hotspots.js): a bundle is used only while every
 * input it was built from is unchanged, a changed input rebuilds it, a start during another's build
 * never runs a half-written file, and a build that cannot be made falls back to the sources.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "./helpers/shared.ts";

interface BundleCache {
  cachedBundle(options: { cacheDir: string; scope: string; entry: string; build: (outdir: string) => Promise<string[]> }): Promise<string>;
  freshBundle(cacheDir: string, scope: string): string | undefined;
}
const CACHE_MODULE = pathToFileURL(join(projectRoot, "bin", "bundle-cache.js")).href;
const { cachedBundle, freshBundle } = (await import(CACHE_MODULE)) as BundleCache;

/** Within the repository, as the CLI's own cache is (the bundle finds the packages it leaves out there). */
const scratch = join(projectRoot, ".scratch");
let dir: string;

beforeAll(async () => {
  await mkdir(scratch, { recursive: true });
  dir = await mkdtemp(join(scratch, "cli-cache-test-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs `node args` in the project; resolves with how it ended. */
function node(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, args, { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** A two-module project in a new folder; `build` bundles it and counts its calls. */
async function fixture(name: string, cacheDir = join(dir, name, "cache")) {
  const root = join(dir, name);
  await mkdir(root, { recursive: true });
  const main = join(root, "main.ts");
  const dep = join(root, "dep.ts");
  await writeFile(main, `import { value } from "./dep.ts";\nexport default value;\n`);
  await writeFile(dep, `export const value: string = "one";\n`);
  let builds = 0;
  const options = {
    cacheDir,
    scope: root,
    entry: "main.js",
    build: async (outdir: string) => {
      builds++;
      const result = await build({
        absWorkingDir: root,
        entryPoints: [main],
        outdir,
        bundle: true,
        format: "esm",
        platform: "node",
        metafile: true,
        logLevel: "silent",
      });
      return Object.keys(result.metafile.inputs).map((input) => join(root, input));
    },
  };
  const value = async () => ((await import(pathToFileURL(await cachedBundle(options)).href)) as { default: string }).default;
  return { root, dep, cacheDir, value, builds: () => builds };
}

/** Files written now are not cached (the build may have read them half-written): wait past that second. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1100));

describe("a cached bundle", () => {
  it("is built once, reused while its inputs are unchanged, and rebuilt when one changes", async () => {
    const f = await fixture("stale");
    await settle();
    expect(await f.value()).toBe("one");
    expect(await f.value()).toBe("one");
    expect(f.builds()).toBe(1);

    await writeFile(f.dep, `export const value: string = "two";\n`);
    expect(await f.value()).toBe("two");
    expect(f.builds()).toBe(2);
    // Built within a second of the edit: run, not cached; once settled, cached again.
    await settle();
    expect(await f.value()).toBe("two");
    expect(await f.value()).toBe("two");
    expect(f.builds()).toBe(3);
  });

  it("is kept when an input is touched but its content is the same, and rebuilt when a same-size edit keeps the times", async () => {
    const f = await fixture("touched");
    await settle();
    expect(await f.value()).toBe("one");
    await utimes(f.dep, new Date(), new Date(Date.now() + 5000));
    expect(await f.value()).toBe("one");
    expect(f.builds()).toBe(1);

    // Same size, modification time put back: the change time and the content still tell.
    const before = new Date(Date.now() - 60_000);
    await writeFile(f.dep, `export const value: string = "owt";\n`);
    await utimes(f.dep, before, before);
    expect(await f.value()).toBe("owt");
    expect(f.builds()).toBe(2);
  });

  it("is cached when an input's modification time is in the future (only the change time says it was just written)", async () => {
    const f = await fixture("future");
    const later = new Date(Date.now() + 3600_000);
    await utimes(f.dep, later, later);
    await settle();
    expect(await f.value()).toBe("one");
    expect(await f.value()).toBe("one");
    expect(f.builds()).toBe(1);
  });

  it("belongs to its source tree: another tree sharing the cache folder builds its own", async () => {
    const shared = join(dir, "shared-cache");
    const a = await fixture("tree-a", shared);
    const b = await fixture("tree-b", shared);
    await writeFile(b.dep, `export const value: string = "bee";\n`);
    await settle();
    expect(await a.value()).toBe("one");
    expect(freshBundle(shared, b.root)).toBeUndefined();
    expect(await b.value()).toBe("bee");
    expect(await a.value()).toBe("one");
    expect([a.builds(), b.builds()]).toEqual([1, 1]);
  });

  it("is never run half-written by processes starting together", async () => {
    const root = join(dir, "concurrent");
    await mkdir(root, { recursive: true });
    const input = join(root, "input.txt");
    await writeFile(input, "payload");
    await settle();
    // Each process builds (the entry written in two halves, 300 ms apart), then imports the bundle.
    const launcher = join(root, "launch.mjs");
    await writeFile(
      launcher,
      `import { writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { cachedBundle } from ${JSON.stringify(CACHE_MODULE)};
const entry = await cachedBundle({
  cacheDir: ${JSON.stringify(join(root, "cache"))},
  scope: ${JSON.stringify(root)},
  entry: "entry.mjs",
  build: async (outdir) => {
    writeFileSync(join(outdir, "entry.mjs"), "export const halves = [1");
    await new Promise((resolve) => setTimeout(resolve, 300));
    appendFileSync(join(outdir, "entry.mjs"), ", 2];\\n");
    return [${JSON.stringify(input)}];
  },
});
process.stdout.write(JSON.stringify((await import(pathToFileURL(entry).href)).halves));
`,
    );
    const runs = await Promise.all(Array.from({ length: 6 }, () => node([launcher])));
    for (const run of runs) expect(run, run.stderr).toMatchObject({ code: 0, stdout: "[1,2]" });
    // However many built, one folder holds the bundle and no temporary folder is left.
    const names = await readdir(join(root, "cache"));
    expect(names.filter((n) => n.startsWith("bundle-"))).toHaveLength(1);
    expect(names.filter((n) => n.startsWith("tmp-"))).toEqual([]);
  }, 60_000);
});

describe("bin/hotspots.js", () => {
  const launcher = join(projectRoot, "bin", "hotspots.js");

  it("runs the compiled CLI, built from every module it bundles, and says the same as the sources", async () => {
    const cacheDir = join(dir, "cli");
    const compiled = await node([launcher, "--help"], { HOTSPOTS_CLI_CACHE: cacheDir });
    const sources = await node([launcher, "--help"], { HOTSPOTS_CLI_CACHE: "off" });
    expect(compiled).toMatchObject({ code: 0, stderr: "" });
    expect(compiled.stdout).toBe(sources.stdout);
    expect(compiled.stdout).toContain("Usage: hotspots");

    // A build during which an input is written is run but not cached: start again (a checkout being edited).
    let current: string | undefined;
    for (let attempt = 0; attempt < 3 && current === undefined; attempt++) {
      if (attempt > 0) expect(await node([launcher, "--help"], { HOTSPOTS_CLI_CACHE: cacheDir })).toMatchObject({ code: 0, stderr: "" });
      current = (await readdir(cacheDir)).find((n) => n.startsWith("current-"));
    }
    const bundle = join(cacheDir, JSON.parse(await readFile(join(cacheDir, current!), "utf8")).bundle);
    // The worker threads start from their bundles beside the CLI's (etl/workers/thread-module.ts).
    for (const name of ["main.mjs", "csv-reader-worker.mjs", "gi-star-worker.mjs"]) expect(existsSync(join(bundle, name))).toBe(true);
    const record = JSON.parse(await readFile(join(bundle, "inputs.json"), "utf8"));
    const paths = record.inputs.map((i: { path: string }) => i.path);
    for (const file of [
      "etl/cli/main.ts",
      "etl/cli/pipeline-commands.ts", // loaded only by its commands: its chunk's sources count too
      "etl/analytics/gi-star-worker.ts",
      "etl/build/bundle-options.ts",
      "etl/duckdb/node-api-required.cjs",
      "bin/bundle-cache.js",
      "tsconfig.json",
      "node_modules/esbuild/package.json",
      "node_modules/commander/package.json",
    ]) {
      expect(paths).toContain(join(projectRoot, file));
    }
  }, 120_000);

  it("runs a command on DuckDB, which every chunk requires and none imports as an ES module", async () => {
    const cacheDir = join(dir, "cli");
    const file = join(dir, "small.csv");
    const header = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
    const rows = [1, 2, 3].map((i) => `S-${i},2019-05-1${i}T12:00:00Z,X,theft,pre_trial_investigation,55.93${i},23.31${i},Šiaulių m. sav.,Šiauliai,test`);
    await writeFile(file, [header, ...rows, ""].join("\n"));
    const run = await node([launcher, "--lake", join(dir, "lake"), "--json", "ingest", file], { HOTSPOTS_CLI_CACHE: cacheDir });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ingest: { files: [{ rows_read: 3, rows_ingested: 3 }] } });

    const current = (await readdir(cacheDir)).find((n) => n.startsWith("current-"));
    const bundle = join(cacheDir, JSON.parse(await readFile(join(cacheDir, current!), "utf8")).bundle);
    for (const name of (await readdir(bundle)).filter((n) => n.endsWith(".mjs"))) {
      expect(await readFile(join(bundle, name), "utf8")).not.toMatch(/(from|import\()\s*["']@duckdb\/node-api["']/);
    }
  }, 120_000);

  it("falls back to the sources with one line on stderr when the build cannot be made", async () => {
    const blocker = join(dir, "not-a-folder");
    await writeFile(blocker, "");
    const run = await node([launcher, "--help"], { HOTSPOTS_CLI_CACHE: join(blocker, "cli") });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: hotspots");
    expect(run.stderr).toMatch(/^hotspots: running from the TypeScript sources \(no compiled build: .*ENOTDIR.*\)\n$/);
  }, 120_000);
});
