import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";

/** Project root (the folder holding package.json). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Path inside the read-only `../shared` folder that CI lays beside the project (SHARED_DIR overrides). */
export function sharedPath(...parts: string[]): string {
  return resolve(process.env.SHARED_DIR ?? resolve(projectRoot, "..", "shared"), ...parts);
}

/** Reads a small CSV from `../shared` into objects keyed by header, every value a string. */
export function readSharedCsv(...parts: string[]): Record<string, string>[] {
  return parse(readFileSync(sharedPath(...parts)), { columns: true, skip_empty_lines: true });
}

/** The canonical source description of the bundled data (data/sources/siauliai-demo.yaml). */
export async function canonicalSource() {
  const { loadSourceDescription } = await import("../../etl/ingest/source-description.ts");
  return loadSourceDescription(resolve(projectRoot, "data", "sources", "siauliai-demo.yaml"));
}
