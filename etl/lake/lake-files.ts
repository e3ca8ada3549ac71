import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

/**
 * Every file under `dir`, at any depth, as paths relative to `dir` with forward slashes, in no
 * particular order; null when `dir` does not exist. The one listing of a lake folder's files (the
 * recovery's debris scan, a table's files, the publish step's checks).
 *
 * Synchronous on purpose: Node's promise-based recursive readdir makes a promise per folder and cost
 * 80-150 ms of CPU on a lake of 5 years (about 600 entries) against 15-25 ms for this, and a run
 * lists the lake several times (every commit recovers it first). The event loop has nothing else to
 * do meanwhile: the writers hold the lake.
 */
export function filesBelow(dir: string): string[] | null {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = relative(dir, join(entry.parentPath, entry.name));
    files.push(sep === "/" ? path : path.split(sep).join("/"));
  }
  return files;
}
