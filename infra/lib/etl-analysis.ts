import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_CONFIG_FILE, DEFAULTS, isTimeZone, loadProjectConfig, type ProjectConfig } from "../../etl/config.ts";
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
  /** The named places CSV, or `none`. */
  places?: string;
}

/**
 * The analysis of a deployment: the configuration file (default data/project.yaml, the bundled
 * demo's), then each context value over it, as the CLI's flags override `--config`. Every value is
 * checked here, at synth, with the context key in the message: a study municipality the boundaries do
 * not hold would otherwise fail the first monthly run, weeks after the deployment.
 */
export function resolveEtlAnalysis(context: AnalysisContext = {}, cwd = process.cwd()): EtlAnalysis {
  const file = context.projectConfig ? resolve(cwd, context.projectConfig) : DEFAULT_CONFIG_FILE;
  let config: ProjectConfig;
  try {
    config = loadProjectConfig(file);
  } catch (error) {
    throw new Error(`context projectConfig: ${(error as Error).message}`, { cause: error });
  }
  // The CLI takes an empty lake's zone from its first export; a deployment's schedules and months are
  // fixed at synth, so another place's configuration must say its zone rather than get the demo's.
  if (context.timeZone === undefined && config.timezone === undefined && file !== DEFAULT_CONFIG_FILE)
    throw new Error(
      `context projectConfig: ${file} names no timezone, and a deployment cuts months and runs its schedules in one: write timezone: (e.g. America/Vancouver) in it, or give -c timeZone=`,
    );
  const timezone = context.timeZone ?? config.timezone ?? DEFAULTS.timeZone;
  if (!isTimeZone(timezone))
    throw new Error(`context timeZone: '${timezone}' is not an IANA time zone; write the police unit's zone, e.g. -c timeZone=America/Vancouver`);
  if (context.studyMunicipalities !== undefined && context.studyHull !== undefined)
    throw new Error("context studyMunicipalities and studyHull are two study areas: give one (studyHull=1: the incidents' hull plus one ring of cells)");

  let studyArea = config.study_area;
  if (context.studyHull !== undefined) studyArea = { hull: integer("studyHull", context.studyHull, 0, 10) };
  const names = context.studyMunicipalities
    ?.split(";")
    .map((s) => s.trim())
    .filter(Boolean);
  if (names !== undefined) {
    if (names.length === 0) throw new Error("context studyMunicipalities names no municipality; write names separated by ';', or use studyHull");
    studyArea = { municipalities: names };
  }
  const boundaries = context.boundaries
    ? resolve(cwd, context.boundaries)
    : ("municipalities" in config.study_area && config.study_area.boundaries) || DEFAULTS.municipalitiesGeoJson;
  if ("municipalities" in studyArea) {
    studyArea = { municipalities: studyArea.municipalities, boundaries };
    checkMunicipalities(
      studyArea.municipalities,
      boundaries,
      context.studyMunicipalities !== undefined ? "context studyMunicipalities" : `${file}: study_area`,
    );
  } else {
    readBoundaryNames(boundaries); // read by every ingest's municipality check, hull or not
  }
  const places = context.places === undefined ? config.places : context.places === "none" ? null : resolve(cwd, context.places);
  if (places) readable("places", places, "a CSV of named places (name,name_en,kind,population,lon,lat), or -c places=none");
  return {
    config: {
      ...config,
      timezone,
      h3_resolution: context.h3Resolution === undefined ? config.h3_resolution : integer("h3Resolution", context.h3Resolution, 0, 15),
      k: context.k === undefined ? config.k : integer("k", context.k, 1, 10),
      study_area: studyArea,
      places: places ?? null,
    },
    boundaries,
  };
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

function integer(key: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`context ${key} must be a whole number from ${min} to ${max}, not '${value}'`);
  return n;
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
