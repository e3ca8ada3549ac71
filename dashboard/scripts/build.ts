/**
 * Builds the static dashboard into `dashboard/dist/` with no network: fills Framework's npm cache from
 * node_modules (prefill-npm-cache.ts), then runs `observable build` from the dashboard folder, where
 * Framework finds `observablehq.config.js`. The data files must already be in `dashboard/src/data/`.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { DASHBOARD_DATA_FILES } from "../data-contract.js";
import { DASHBOARD_DIR, prefillNpmCache } from "./prefill-npm-cache.js";

/** Where the built site goes (the config's `output`). */
export const DIST_DIR = join(DASHBOARD_DIR, "dist");

/** Framework's CLI in node_modules/.bin, found the way Node finds packages. */
function findObservableCli(from = DASHBOARD_DIR): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", ".bin", "observable");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error("buildDashboard: node_modules/.bin/observable not found (run npm ci)");
  }
}

/** Runs a command; resolves with its output, rejects with its stderr when it exits non-zero. */
function run(command: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      // Framework's telemetry would otherwise post usage events to its servers.
      env: { ...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true", NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else {
        const status = signal ? `signal ${signal}` : `exit code ${code}`;
        reject(new Error(`observable build failed (${status}):\n${stderr || stdout}`));
      }
    });
  });
}

/** Where the publish step writes the data files the pages read. */
export const DATA_DIR = join(DASHBOARD_DIR, "src", "data");

/**
 * Fills the npm cache and builds the dashboard into {@link DIST_DIR}. Throws when a data file is
 * missing from {@link DATA_DIR}, or with the CLI's stderr when the build fails.
 */
export async function buildDashboard(): Promise<void> {
  const missing = Object.values(DASHBOARD_DATA_FILES).filter((name) => !existsSync(join(DATA_DIR, name)));
  if (missing.length > 0) {
    throw new Error(`buildDashboard: missing in ${DATA_DIR}: ${missing.join(", ")} (publish the dashboard data first)`);
  }
  await prefillNpmCache();
  await run(findObservableCli(), ["build"], DASHBOARD_DIR);
  await fixPageHeads(DIST_DIR);
}

/**
 * Framework 1.13 writes `<html>` with no language and a viewport that forbids zooming
 * (`maximum-scale=1`); WCAG 2.1 needs both (3.1.1 language of page, 1.4.4 resize text). The static
 * pages say English, as their static title does; page-header.js sets the reader's language on load.
 */
export function fixPageHead(html: string): string {
  return html.replace(/<html>/, '<html lang="en">').replace(/(<meta name="viewport" content="[^"]*?), maximum-scale=1"/, '$1"');
}

async function fixPageHeads(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (!name.endsWith(".html")) continue;
    const file = join(dir, name);
    await writeFile(file, fixPageHead(await readFile(file, "utf8")));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const start = performance.now();
  await buildDashboard();
  console.log(`dashboard built in ${((performance.now() - start) / 1000).toFixed(1)} s → ${DIST_DIR}`);
}
