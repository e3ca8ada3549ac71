import { readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SPILL_FOLDER_PREFIX } from "../ingest/stage-file.ts";
import { LAKE_MIRROR_PREFIX } from "../storage/s3-lake.ts";

/** The temporary folders an invocation makes in the work folder: a raw export's download, the lake's mirror, the dashboard's data. */
export const WORK_FOLDER_PREFIXES = { raw: "raw-", lake: LAKE_MIRROR_PREFIX, dashboard: "dashboard-" } as const;

/**
 * Removes what earlier invocations left in `/tmp`: their work folders in `workDir` and DuckDB's spill
 * folders in `spillDir`. Each invocation removes its own in `finally`, but a timeout or an out-of-memory
 * kill skips that, and Lambda keeps `/tmp` for the next invocation in the environment, whose retry of
 * a large export then runs out of disk. Call at the start of an invocation, before anything is made:
 * an execution environment runs one invocation at a time, so every such folder is a dead one's.
 * Nothing else is touched. Returns the folders removed.
 */
export async function removeStaleWorkFolders(workDir: string, spillDir: string = tmpdir()): Promise<string[]> {
  const stale = [...(await folders(workDir, Object.values(WORK_FOLDER_PREFIXES))), ...(await folders(spillDir, [SPILL_FOLDER_PREFIX]))];
  for (const folder of stale) await rm(folder, { recursive: true, force: true });
  return stale;
}

async function folders(dir: string, prefixes: readonly string[]): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  return entries
    .filter((e) => e.isDirectory() && prefixes.some((p) => e.name.startsWith(p)))
    .map((e) => join(dir, e.name))
    .sort();
}
