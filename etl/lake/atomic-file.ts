import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Temporary name beside `path` for a file being written. Readers glob `*.parquet` / read
 * `manifest.json`, so a half-written `.tmp` file is never visible to them.
 */
export function temporaryPath(path: string): string {
  return `${path}.${process.pid}.${Date.now()}.tmp`;
}

/**
 * Produces `path` atomically: `write` fills a temporary file in the same folder, which is then
 * renamed over the target (rename is atomic on POSIX file systems). On failure the temporary file
 * is removed and the previous version of `path` stays as it was.
 */
export async function replaceAtomically(path: string, write: (temporary: string) => Promise<unknown>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPath(path);
  try {
    await write(temporary);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Writes text to `path` atomically. */
export async function writeTextAtomically(path: string, text: string): Promise<void> {
  await replaceAtomically(path, (temporary) => writeFile(temporary, text));
}

/**
 * Runs `write`, a cache file's atomic write at a lake's root, only where `lakeDir` is a folder that
 * exists (a cache makes no lake), and never fails the caller: a cache not written costs its
 * recomputation next time, nothing more.
 */
export async function writeLakeCache(lakeDir: string, write: () => Promise<unknown>): Promise<void> {
  const isLake = await stat(lakeDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isLake) await write().catch(() => undefined);
}

/** SHA-256 of a text's UTF-8 bytes (or of the bytes given), hex (fingerprints and checksums of what is about to be written). */
export function sha256Text(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Files up to this size are hashed from one read: a lake's partitions (some 100 KB each, and a run
 * checks every kept one) cost about half the CPU of a stream's 64 KiB chunks. Larger files (an
 * input of gigabytes) are streamed, so memory stays bounded.
 */
const WHOLE_FILE_BYTES = 16 * 2 ** 20;

/** SHA-256 of a file's bytes, hex: read whole when small, else streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  const handle = await open(path, "r");
  try {
    // Read to its end whatever the size said: a file that grew since is hashed whole either way.
    if ((await handle.stat()).size <= WHOLE_FILE_BYTES) return hash.update(await handle.readFile()).digest("hex");
  } finally {
    await handle.close();
  }
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
