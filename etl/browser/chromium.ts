/**
 * The headless Chromium that prints briefings and that the tests drive: by default the one that
 * arrives with `npm install` (`@sparticuz/chromium`, unpacked into the system's temporary folder on
 * first use, about 3 s), or the executable named by `CHROMIUM_PATH` (e.g. `/usr/bin/chromium`).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

/**
 * Command-line switches for an offline, throw-away headless browser: no sandbox (CI runs as root),
 * and none of Chromium's background connections, which a closed network refuses many at a time.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Environment for the browser process: the bundled fonts where the system has no fontconfig. */
export function chromiumEnvironment(): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const bundledFonts = join(tmpdir(), "fonts");
  if (!existsSync("/etc/fonts/fonts.conf") && existsSync(join(bundledFonts, "fonts.conf"))) env.FONTCONFIG_PATH = bundledFonts;
  return env;
}

/** What playwright-core's launch needs for this browser: executable, switches and environment. */
export async function chromiumLaunchOptions(): Promise<{ executablePath: string; env: Record<string, string>; headless: true; args: string[] }> {
  return { executablePath: await chromiumExecutable(), env: chromiumEnvironment(), headless: true, args: [...CHROMIUM_ARGS] };
}

let resolved: Promise<string> | undefined;

/** The Chromium executable to launch (resolved once per process). */
export function chromiumExecutable(): Promise<string> {
  resolved ??= resolveExecutable();
  return resolved;
}

async function resolveExecutable(): Promise<string> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH is ${configured}, which does not exist: unset it to use the Chromium installed by npm`);
    return configured;
  }
  const { default: bundled } = await import("@sparticuz/chromium");
  const path = await bundled.executablePath();
  if (await runs(path)) return path;
  // A run killed while unpacking leaves a truncated file that the package would reuse: unpack again.
  await rm(path, { force: true });
  const again = await bundled.executablePath();
  if (await runs(again)) return again;
  throw new Error(`the Chromium unpacked by @sparticuz/chromium at ${again} does not start: remove it and retry, or set CHROMIUM_PATH`);
}

async function runs(path: string): Promise<boolean> {
  try {
    await promisify(execFile)(path, ["--headless", "--no-sandbox", "--version"], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}
