/**
 * Which context files a lake gets when none are named. The bundled exposure statistics
 * (data/context) and projects (data/projects) describe the bundled demo — Šiauliai's municipalities
 * and the projects evaluated there — so they belong to a lake of the demo's data only: a lake whose
 * every ingested source is the bundled source description's. Any other lake (another city's export)
 * gets no context unless its own files are named (`hotspots context --projects FILE`), and its
 * evaluation page says no projects are configured, rather than evaluating Šiauliai's projects on it.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULTS, DEMO_SOURCE_ID } from "../config.ts";
import { MANIFEST_FILE, parseManifest, type Manifest } from "../lake/manifest.ts";

/** The context files to load: a path, or null for none (the table is written empty). */
export interface ContextFiles {
  exposureCsv: string | null;
  projectsJson: string | null;
}

/** The bundled demo's context files, where the repository keeps them. */
export const BUNDLED_CONTEXT: ContextFiles = { exposureCsv: DEFAULTS.exposureCsv, projectsJson: DEFAULTS.projectsJson };

/** The bundled context for a lake of the bundled demo's data; none for any other lake (or one holding nothing yet). */
export async function defaultContextFiles(lakeDir: string): Promise<ContextFiles> {
  let text: string;
  try {
    text = await readFile(join(lakeDir, MANIFEST_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { exposureCsv: null, projectsJson: null };
    throw error;
  }
  return contextFilesFor(parseManifest(text, join(lakeDir, MANIFEST_FILE)));
}

/**
 * The context files of a lake: each file `own` names (a deployment's own, for any lake), else the
 * `bundled` one (the demo's, wherever this installation keeps it) on a lake of the demo's data only.
 */
export function contextFilesFor(manifest: Pick<Manifest, "sources">, own: Partial<ContextFiles> = {}, bundled: ContextFiles = BUNDLED_CONTEXT): ContextFiles {
  const demo = holdsOnlyBundledData(manifest);
  return {
    exposureCsv: own.exposureCsv ?? (demo ? bundled.exposureCsv : null),
    projectsJson: own.projectsJson ?? (demo ? bundled.projectsJson : null),
  };
}

/** Whether the lake has ingested at least one file and every one of them through the bundled source description. */
function holdsOnlyBundledData(manifest: Pick<Manifest, "sources">): boolean {
  return Object.keys(manifest.sources).length > 0 && otherSources(manifest).length === 0;
}

/**
 * The sources of the lake's exports other than the bundled demo's, sorted: none on a lake of the
 * demo's data or of nothing yet. The one test of "a lake of the demo's data" for every bundled
 * default: the context files here, the incident files in cli/bundled-incidents.ts.
 */
export function otherSources(manifest: Pick<Manifest, "sources">): string[] {
  return [...new Set(Object.values(manifest.sources).map((s) => s.source))].filter((source) => source !== DEMO_SOURCE_ID).sort();
}
