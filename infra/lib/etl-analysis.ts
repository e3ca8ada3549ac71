import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { applyOverrides, DEFAULT_CONFIG_FILE, DEFAULTS, loadProjectConfig, type OverrideKeys, type ProjectConfig } from "../../etl/config.ts";
import { parseMunicipalities } from "../../etl/geo/municipalities.ts";

/**
 * What the ETL function analyses with, fixed at synth: the project configuration (the same file the
 * CLI's `--config` takes) with the context's values over it. Its paths are absolute on the synthesising
 * machine; the bundling copies the files into the asset (etl-bundling.ts, projectAssetCommands).
 */
export interface EtlAnalysis {
  /** The validated configuration with the context applied; `timezone` always set. */
  config: ProjectConfig & { timezone: string };
  /** The boundaries file: the study area's, and what ingests check rows' municipalities against (also with a hull). */
  boundaries: string;
}

/** The context values that override the project configuration (`-c key=value`), each optional. */
export interface AnalysisContext {
  /** `projectConfig`: a project configuration file (YAML or JSON), relative to where cdk runs. */
  projectConfig?: string;
  timeZone?: string;
  h3Resolution?: string;
  k?: string;
  /** `;`-separated names of the boundaries' polygons. */
  studyMunicipalities?: string;
  /** The incidents' hull plus this many rings (instead of municipalities). */
  studyHull?: string;
  /** A GeoJSON/TopoJSON file of named polygons. */
  boundaries?: string;
  /** The named places CSV, or `none`. A configuration that names no places gets none, as on the CLI. */
  places?: string;
}

/** The context keys that override the project configuration, by the setting each overrides (as `-c key=`). */
export const CONTEXT_OVERRIDES = {
  timezone: "-c timeZone",
  h3_resolution: "-c h3Resolution",
  k: "-c k",
  municipalities: "-c studyMunicipalities",
  hull: "-c studyHull",
  boundaries: "-c boundaries",
  places: "-c places",
} as const satisfies OverrideKeys;

/**
 * The analysis of a deployment: the configuration file (default data/project.yaml, the bundled
 * demo's), then each context value over it, as the CLI's flags override `--config` (applyOverrides).
 * Every value is checked here, at synth, with the context key in the message: a study municipality
 * the boundaries do not hold would otherwise fail the first monthly run, weeks after the deployment.
 */
export function resolveEtlAnalysis(context: AnalysisContext = {}, cwd = process.cwd()): EtlAnalysis {
  const file = context.projectConfig ? resolve(cwd, context.projectConfig) : DEFAULT_CONFIG_FILE;
  let loaded: ProjectConfig;
  try {
    loaded = loadProjectConfig(file);
  } catch (error) {
    throw new Error(`context projectConfig: ${(error as Error).message}`, { cause: error });
  }
  // The CLI takes an empty lake's zone from its first export; a deployment's schedules and months are
  // fixed at synth, so another place's configuration must say its zone rather than get the demo's.
  if (context.timeZone === undefined && loaded.timezone === undefined && file !== DEFAULT_CONFIG_FILE)
    throw new Error(
      `context projectConfig: ${file} names no timezone, and a deployment cuts months and runs its schedules in one: write timezone: (e.g. America/Vancouver) in it, or give -c timeZone=`,
    );
  const config = applyOverrides(
    loaded,
    {
      timezone: context.timeZone,
      h3_resolution: context.h3Resolution,
      k: context.k,
      municipalities: context.studyMunicipalities?.split(";"),
      hull: context.studyHull,
      boundaries: context.boundaries,
      places: context.places,
    },
    CONTEXT_OVERRIDES,
    cwd,
  );
  const boundaries = config.study_area.boundaries ?? DEFAULTS.municipalitiesGeoJson;
  if ("municipalities" in config.study_area) {
    checkMunicipalities(
      config.study_area.municipalities,
      boundaries,
      context.studyMunicipalities !== undefined ? "context studyMunicipalities" : `${file}: study_area`,
    );
  } else {
    readBoundaryNames(boundaries); // read by every ingest's municipality check, hull or not
  }
  if (config.places) readable("places", config.places, "a CSV of named places (name,name_en,kind,population,lon,lat), or -c places=none");
  return { config: { ...config, timezone: config.timezone ?? DEFAULTS.timeZone, study_area: { ...config.study_area, boundaries } }, boundaries };
}

/** Fails naming the unknown municipalities and, for each, the boundaries' closest names. */
function checkMunicipalities(names: readonly string[], boundaries: string, origin: string): void {
  const known = readBoundaryNames(boundaries);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const hints = unknown.map((name) => `'${name}' (closest: ${closestNames(name, known).join(", ")})`);
  throw new Error(
    `${origin}: ${boundaries} has no municipality ${hints.join("; ")}: write the boundary file's names exactly, ` +
      `or -c studyHull=1 for the incidents' hull, or -c boundaries=<your GeoJSON/TopoJSON of named polygons>`,
  );
}

/** The `name`s of a boundaries file's polygons. */
function readBoundaryNames(path: string): string[] {
  const text = readable("boundaries", path, "a GeoJSON or TopoJSON file of polygons with a 'name' property");
  let names: string[];
  try {
    names = parseMunicipalities(text, path).features.flatMap((f) => (typeof f.properties?.name === "string" ? [f.properties.name] : []));
  } catch (error) {
    throw new Error(`context boundaries: ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (names.length === 0) throw new Error(`context boundaries: ${path} has no polygon with a 'name' property; name each polygon, or use -c studyHull=1`);
  return names;
}

function readable(key: string, path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`context ${key}: cannot read ${path} (${(error as Error).message}); give ${what}`, { cause: error });
  }
}

/**
 * Up to three of `known` closest to `name`: the longest shared start (ignoring case and accents:
 * "Kaunas" → "Kauno m. sav.", "Kauno r. sav."), then the fewest edits.
 */
export function closestNames(name: string, known: readonly string[]): string[] {
  const plain = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const target = plain(name);
  const shared = (s: string) => {
    let i = 0;
    while (i < s.length && i < target.length && s[i] === target[i]) i++;
    return i;
  };
  const ranked = known
    .map((k) => ({ k, shared: shared(plain(k)), edits: editDistance(plain(k), target) }))
    .sort((a, b) => b.shared - a.shared || a.edits - b.edits || a.k.localeCompare(b.k));
  return ranked.slice(0, 3).map((r) => r.k);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
