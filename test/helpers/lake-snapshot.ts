import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";

/** Every file of a lake (the manifest included) with its bytes, keyed by its path inside the lake: two lakes are byte-identical when their snapshots are equal. */
export async function lakeSnapshot(lake: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(lake, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(lake.length)] = (await readFile(join(e.parentPath, e.name))).toString("base64");
  }
  return out;
}
