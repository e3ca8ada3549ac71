import { randomUUID } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { link, mkdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { temporaryPath } from "./atomic-file.ts";

/** The lock file at the lake's root: present while a command holds the lake. */
export const LOCK_FILE = "_lock.json";

/**
 * A holder whose lock file has not been refreshed for this long is presumed dead even when its
 * process id cannot be checked (another host sharing the lake folder, or a process id reused by an
 * unrelated process). A live holder refreshes the file's modification time every HEARTBEAT_MS, so
 * the timeout only has to exceed the longest pause of its event loop, not the longest command.
 */
export const DEFAULT_STALE_SECONDS = 600;
const HEARTBEAT_MS = 30_000;
const POLL_MS = 200;

/** Who holds a lake: written into the lock file, shown in the "lake busy" error. */
export interface LockHolder {
  pid: number;
  host: string;
  /** ISO 8601 instant the lock was taken. */
  started: string;
  /** The command holding it, e.g. `ingest`. */
  command: string;
  /** Unique per acquisition, so a holder never removes a lock that is no longer its own. */
  token: string;
}

/** Another command holds the lake (and did not let go within the wait asked for). */
export class LakeBusyError extends Error {
  constructor(
    readonly file: string,
    readonly holder: LockHolder,
    waitedSeconds: number,
  ) {
    super(
      `lake busy: \`${holder.command}\` (pid ${holder.pid} on ${holder.host}), started ${holder.started}, holds the lake ${join(file, "..")}` +
        `${waitedSeconds > 0 ? ` and did not finish within the ${waitedSeconds} s waited` : ""}; ` +
        `wait for it to finish or give --wait <seconds>; remove ${file} only if that process is no longer running ` +
        `(a lock whose process is gone on this host, or not refreshed for ${DEFAULT_STALE_SECONDS} s, is taken over by itself)`,
    );
    this.name = "LakeBusyError";
  }
}

/** The lock one command holds on one lake; `release` lets it go (idempotent). */
export interface LakeLock {
  readonly file: string;
  readonly holder: LockHolder;
  release(): Promise<void>;
}

export interface LockOptions {
  /** What holds the lock, shown to a command that finds the lake busy. */
  command: string;
  /** How long to wait for a busy lake before failing (default 0: fail at once). */
  waitSeconds?: number;
  /** See DEFAULT_STALE_SECONDS. */
  staleSeconds?: number;
}

/**
 * Takes the lake's exclusive lock: one command at a time reads or writes a local lake, so a reader
 * never meets files an ingest is replacing, and `recoverLake` never meets another writer's commit.
 * The lock file is complete before it appears (written under a temporary name, then hard-linked to
 * `_lock.json`, which fails if it exists), so two commands can never both take it. A lock whose
 * process is gone (same host) or that has not been refreshed for `staleSeconds` is stale and taken
 * over: renamed aside first, so of two commands taking over the same stale lock only one succeeds.
 */
export async function acquireLakeLock(lakeDir: string, options: LockOptions): Promise<LakeLock> {
  await mkdir(lakeDir, { recursive: true });
  const file = join(lakeDir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command: options.command, token: randomUUID() };
  const waitMs = (options.waitSeconds ?? 0) * 1000;
  const staleMs = (options.staleSeconds ?? DEFAULT_STALE_SECONDS) * 1000;
  const since = Date.now();
  for (;;) {
    if (await tryCreate(file, holder)) return heldLock(file, holder);
    const current = await readHolder(file);
    if (current === null) continue; // released meanwhile: try again at once
    if (isStale(current, staleMs)) {
      await takeOver(file, current.holder);
      continue;
    }
    if (Date.now() - since >= waitMs) throw new LakeBusyError(file, current.holder, options.waitSeconds ?? 0);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Runs `fn` holding the lake's lock, and lets it go however `fn` ends. */
export async function withLakeLock<T>(lakeDir: string, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireLakeLock(lakeDir, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

/** The lake's current holder, or null when no command holds it. */
export async function lakeHolder(lakeDir: string): Promise<LockHolder | null> {
  return (await readHolder(join(lakeDir, LOCK_FILE)))?.holder ?? null;
}

/**
 * True when `pid` is a process other than this one that is still running on this host: the files it
 * names (temporary files carry their writer's pid) are its own and must be left alone.
 */
export function isLiveHolder(pid: number | null): boolean {
  return pid !== null && pid !== process.pid && processRunning(pid);
}

async function tryCreate(file: string, holder: LockHolder): Promise<boolean> {
  const staged = temporaryPath(file);
  await writeFile(staged, `${JSON.stringify(holder)}\n`);
  try {
    await link(staged, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await rm(staged, { force: true });
  }
}

/** The holder in the lock file and when it was last refreshed; null when there is none. */
async function readHolder(file: string): Promise<{ holder: LockHolder; refreshedMs: number } | null> {
  try {
    const [text, info] = await Promise.all([readFile(file, "utf8"), stat(file)]);
    return { holder: parseHolder(text, file), refreshedMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function parseHolder(text: string, file: string): LockHolder {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === "number" && typeof value.host === "string" && typeof value.token === "string") {
      return { pid: value.pid, host: value.host, started: String(value.started), command: String(value.command), token: value.token };
    }
  } catch {
    // reported below
  }
  throw new Error(
    `the lake lock ${file} is not a lock this program wrote (${JSON.stringify(text.slice(0, 80))}); ` +
      `if no hotspots command is running on this lake, remove ${file} and run the command again`,
  );
}

function isStale({ holder, refreshedMs }: { holder: LockHolder; refreshedMs: number }, staleMs: number): boolean {
  if (holder.host === hostname() && holder.pid !== process.pid && !processRunning(holder.pid)) return true;
  return Date.now() - refreshedMs > staleMs;
}

/**
 * Removes a stale lock, unless another command replaced it meanwhile: the lock is renamed aside (one
 * rename wins), and put back when what was renamed is not the stale holder's.
 */
async function takeOver(file: string, stale: LockHolder): Promise<void> {
  const aside = `${file}.${stale.token}.${randomUUID()}.stale`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // another command took it over first
    throw error;
  }
  const moved = await readFile(aside, "utf8");
  if (parseHolder(moved, aside).token !== stale.token) await link(aside, file).catch(() => undefined); // a live lock: put it back
  await rm(aside, { force: true });
}

function heldLock(file: string, holder: LockHolder): LakeLock {
  // The heartbeat keeps the lock fresh for commands on other hosts (see DEFAULT_STALE_SECONDS).
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(file, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  // A process that exits without releasing (process.exit in a command) still lets go; a killed
  // one leaves a lock whose dead pid makes it stale.
  const onExit = () => {
    try {
      if (parseHolder(readFileSync(file, "utf8"), file).token === holder.token) unlinkSync(file);
    } catch {
      // nothing to release
    }
  };
  process.once("exit", onExit);
  let released = false;
  return {
    file,
    holder,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      process.off("exit", onExit);
      const current = await readHolder(file).catch(() => null);
      if (current?.holder.token === holder.token) await rm(file, { force: true });
    },
  };
}

function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // running, under another user
  }
}
