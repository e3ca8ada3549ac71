/**
 * What `run` and `ingest` read when no file is named. The bundled incidents are a synthetic Šiauliai
 * demo: they are the default only where they belong — through the bundled source description, into
 * a lake that holds nothing yet or only the demo's data (the rule `context` follows for its bundled
 * files: otherSources). Anywhere else a forgotten file argument (an empty variable in a cron script)
 * would add 36,000 demo incidents to another city's lake, or label them as the user's source.
 */
import { realpathSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { lastDataMonth } from "../analytics/lake-months.ts";
import { DEFAULTS, PROJECT_ROOT } from "../config.ts";
import { otherSources } from "../context/bundled-context.ts";
import { MANIFEST_FILE, parseManifest, readManifestText } from "../lake/manifest.ts";

/** The command that recomputes every output from what the lake holds, without ingesting (any lake). */
export const RECOMPUTE_COMMAND = "hotspots run --no-ingest";

/**
 * Refuses `run --no-ingest` on a lake that holds no incidents (none yet, or a mistyped --lake): its
 * stages would write a manifest in the default time zone, which the user's first real export could
 * then not be ingested into, and fail on the missing tables.
 */
export async function checkLakeHoldsIncidents(lakeDir: string): Promise<void> {
  const text = await readManifestText(lakeDir);
  if (text !== null && lastDataMonth(parseManifest(text, join(lakeDir, MANIFEST_FILE))) !== null) return;
  throw new Error(
    `the lake at ${lakeDir} holds no incidents${text === null ? " (no lake there yet: is --lake right?)" : ""}, so ${RECOMPUTE_COMMAND} has nothing to compute from and wrote nothing; ` +
      "ingest an export first: hotspots run --source <description.yaml> <file>",
  );
}

/** The files given (resolved), or the bundled demo's when none are and the lake and source are the demo's; otherwise refuses. */
export async function incidentFiles(files: readonly string[], sourcePath: string, lakeDir: string, command: "run" | "ingest"): Promise<string[]> {
  if (files.length > 0) return files.map((f) => resolve(f));
  const text = await readManifestText(lakeDir);
  const others = text === null ? [] : otherSources(parseManifest(text, join(lakeDir, MANIFEST_FILE)));
  const ownSource = !samePath(sourcePath, DEFAULTS.sourceDescription);
  if (others.length === 0 && !ownSource) return [...DEFAULTS.incidentFiles];
  const why = [
    ...(others.length > 0 ? [`this lake holds exports of ${others.length === 1 ? "source" : "sources"} ${others.map((s) => `'${s}'`).join(", ")}`] : []),
    ...(ownSource ? [`--source names ${sourcePath}`] : []),
  ].join(" and ");
  throw new Error(
    `no incident file given: the bundled demo data (${shown(DEFAULTS.incidentFiles[0]!)}) is the default only for the demo ` +
      `(its source description ${shown(DEFAULTS.sourceDescription)}, on a lake empty or holding only the demo), but ${why}; nothing was ingested. ` +
      `Name the export: hotspots ${command} --source <description.yaml> <file>` +
      // Recomputing is advice only for a lake that holds something to recompute from.
      (others.length > 0 ? `; to recompute the hot spots, forecasts and dashboard data from what the lake holds, without ingesting: ${RECOMPUTE_COMMAND}` : ""),
  );
}

/** Whether two paths name one file (through symbolic links too: a checkout reached by a link). */
function samePath(a: string, b: string): boolean {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  return real(a) === real(b);
}

/** A bundled file's path as the repository names it. */
function shown(path: string): string {
  return relative(PROJECT_ROOT, path);
}
