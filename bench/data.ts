import { existsSync } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULTS } from "../etl/config.ts";
import { GENERATOR_VERSION, writeSyntheticCsv, type SyntheticSpec } from "./synthetic/generate.ts";

/**
 * The CSV file of a synthetic spec under `dir`, generated on first use and reused while the spec
 * (recorded beside it), the generator's version and the file's size are unchanged — 10 M rows take
 * about a minute to write.
 */
export async function syntheticFile(dir: string, name: string, spec: SyntheticSpec, log: (line: string) => void): Promise<string> {
  const file = join(dir, `${name}.csv`);
  const sidecar = `${file}.json`;
  if (existsSync(file) && existsSync(sidecar)) {
    const recorded = JSON.parse(await readFile(sidecar, "utf8")) as { spec: SyntheticSpec; bytes: number; version?: number };
    const same = recorded.version === GENERATOR_VERSION && JSON.stringify(recorded.spec) === JSON.stringify(spec);
    if (same && (await stat(file)).size === recorded.bytes) return file;
  }
  log(`generating ${spec.incidents.toLocaleString("en")} synthetic incidents (${spec.months} months) → ${file}`);
  const started = performance.now();
  const { bytes } = await writeSyntheticCsv(spec, file, DEFAULTS.municipalitiesGeoJson);
  await writeFile(sidecar, JSON.stringify({ spec, version: GENERATOR_VERSION, bytes }, null, 2));
  log(`  ${(bytes / 2 ** 20).toFixed(0)} MiB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return file;
}
