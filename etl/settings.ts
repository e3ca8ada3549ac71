/**
 * The settings every stage shares, with their defaults: a leaf module (it imports only the
 * configuration and the incident vocabulary), so the stages, the CLI and the Lambda handlers can all depend on it without cycles.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { CONFIG_DEFAULTS, DEFAULTS, PROJECT_ROOT, type OverridableConfig, type ProjectTitle } from "./config.ts";
import { EXCLUDE } from "./ingest/incident-schema.ts";

/** Settings shared by every stage; the CLI fills them from the project configuration and flags, the handlers from the environment. */
export interface PipelineSettings {
  lakeDir: string;
  resolution: number;
  timeZone: string;
  k: number;
  municipalitiesGeoJson: string;
  studyMunicipalities: readonly string[];
  suppressionThreshold: number;
  dashboardDir: string;
  /** The project's title (shown on the dashboard and recorded in the lake): one text or one per language. */
  title?: ProjectTitle;
  /** Offence categories published only as municipality totals. */
  sensitiveCategories?: readonly string[];
  /** The project's offence categories, when the configuration restricts them. */
  categories?: readonly string[];
  /** Study area as the incidents' hull plus this many rings, instead of municipalities (analytics commands). */
  hullRing?: number | null;
  /** Named places for the briefing; null: describe areas by coordinates. */
  placesCsv?: string | null;
  /** The configuration these settings came from, as the lake records it (manifest `config`). */
  config?: RecordedConfig;
  /** The run's time (default: the clock): months not ended by then in `timeZone` are not analysed (analysisEnd). */
  now?: Date;
}

/**
 * The configuration as the lake records it: the settings that made the lake, with the time zone
 * and resolution actually used, so later commands need no repeated flags. Paths inside the project
 * are recorded relative to it (`data/geo/…`), so a lake read from another clone (an S3 lake) finds
 * them, and the same inputs give the same manifest bytes in any clone.
 */
export interface RecordedConfig {
  title: ProjectTitle;
  file: string;
  timezone: string;
  h3_resolution: number;
  k: number;
  study_area: { municipalities: string[]; boundaries: string } | { hull: number };
  categories?: string[];
  sensitive_categories: string[];
  suppression_threshold: number;
  places: string | null;
  /**
   * The SHA-256 of the boundaries and places files by their recorded names, as the command that
   * recorded the configuration read them: a later command that finds a file of that name can tell
   * whether it is the same (checkRecordedFiles). Absent in lakes recorded before it, or for a file that was not there.
   */
  sha256?: Record<string, string>;
}

/** What settings are made from: a project configuration, or the one a lake records, with any overrides applied. */
export type SettingsSource = OverridableConfig &
  Pick<RecordedConfig, "title" | "suppression_threshold" | "sensitive_categories"> & { categories?: readonly string[] | undefined };

/** Settings with every default filled in. */
export function defaultSettings(overrides: Partial<PipelineSettings> = {}): PipelineSettings {
  return {
    lakeDir: DEFAULTS.lakeDir,
    resolution: DEFAULTS.h3Resolution,
    timeZone: DEFAULTS.timeZone,
    k: DEFAULTS.k,
    municipalitiesGeoJson: DEFAULTS.municipalitiesGeoJson,
    studyMunicipalities: DEFAULTS.studyMunicipalities,
    suppressionThreshold: DEFAULTS.suppressionThreshold,
    dashboardDir: DEFAULTS.dashboardDir,
    sensitiveCategories: CONFIG_DEFAULTS.sensitiveCategories,
    ...overrides,
  };
}

/**
 * The settings a project configuration gives for `lakeDir`, in the time zone `timeZone` (the
 * configuration's, or where it leaves it out, the lake's or the first source's).
 */
export function settingsFromConfig(config: SettingsSource, lakeDir: string, timeZone: string): PipelineSettings {
  const area = config.study_area;
  // With a hull, the boundaries are still what ingests check rows' municipalities against.
  const boundaries = "boundaries" in area && area.boundaries ? fromProject(area.boundaries) : DEFAULTS.municipalitiesGeoJson;
  const municipalities =
    "municipalities" in area
      ? { studyMunicipalities: area.municipalities, municipalitiesGeoJson: boundaries, hullRing: null }
      : { municipalitiesGeoJson: boundaries, hullRing: area.hull };
  return defaultSettings({
    lakeDir,
    timeZone,
    resolution: config.h3_resolution,
    k: config.k,
    suppressionThreshold: config.suppression_threshold,
    sensitiveCategories: config.sensitive_categories,
    title: config.title,
    ...(config.categories ? { categories: config.categories } : {}),
    ...municipalities,
    // No places named: none, as for any city; the demo's configuration names the bundled file.
    placesCsv: config.places ? fromProject(config.places) : null,
  });
}

/**
 * The names a record gives files where their own path would mean nothing elsewhere: the Lambda asset's
 * copies (`/var/task/project/…`) by the names they had where the deployment was synthesised.
 */
export type RecordedNames = Readonly<Record<string, string>>;

/**
 * The configuration as the lake records it, from settings (after flags overrode the file). Files are
 * named as recordedName gives them, or by `names` where it names them; the boundaries and places,
 * which later commands read by those names, each with the SHA-256 of the file read. (The
 * configuration's own file is not read again: its values are the record. The Lambda's is a rewritten
 * copy, whose hash would match no file of that name.)
 */
export function recordedConfig(settings: PipelineSettings, file: string, names: RecordedNames = {}): RecordedConfig {
  const hashes: Record<string, string> = {};
  const named = <T extends string | null>(path: T, hashed = true): T => {
    if (path === null) return path;
    const name = names[path] ?? recordedName(path);
    const sha256 = hashed ? fileSha256(path) : undefined;
    if (sha256 !== undefined) hashes[name] = sha256;
    return name as T;
  };
  return {
    title: settings.title ?? "",
    file: named(file, false),
    timezone: settings.timeZone,
    h3_resolution: settings.resolution,
    k: settings.k,
    study_area:
      settings.hullRing != null
        ? { hull: settings.hullRing }
        : { municipalities: [...settings.studyMunicipalities], boundaries: named(settings.municipalitiesGeoJson) },
    ...(settings.categories ? { categories: [...settings.categories] } : {}),
    sensitive_categories: [...(settings.sensitiveCategories ?? CONFIG_DEFAULTS.sensitiveCategories)],
    suppression_threshold: settings.suppressionThreshold,
    places: named(settings.placesCsv === undefined ? DEFAULTS.placesCsv : settings.placesCsv),
    ...(Object.keys(hashes).length > 0 ? { sha256: hashes } : {}),
  };
}

/**
 * The categories a source description maps offences to that the project's `categories` leave out
 * (none where it lists none): the CLI and the Lambda refuse such a source before reading a row, since
 * its rows would enter the lake under categories every result leaves out.
 */
export function categoriesOutside(sourceCategories: Readonly<Record<string, string>>, settings: Pick<PipelineSettings, "categories">): string[] {
  const listed = settings.categories;
  // `exclude` is no category: those rows never enter the lake (quarantined as excluded_offence).
  return listed ? [...new Set(Object.values(sourceCategories))].filter((c) => c !== EXCLUDE && !listed.includes(c)) : [];
}

/** How a record names a file: inside the project relative to it (any clone finds it), others as they are. */
export function recordedName(path: string): string {
  const rel = relative(PROJECT_ROOT, path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/** The settings whose file a recorded configuration names (besides the configuration's own, which is recorded, not read again). */
export type RecordedFileSetting = "study_area.boundaries" | "places";

/** The files a recorded configuration names, by the setting that names each, as this machine would read them. */
export function recordedFiles(config: RecordedConfig): Array<{ setting: RecordedFileSetting; name: string; path: string }> {
  const file = (setting: RecordedFileSetting, name: string) => ({ setting, name, path: fromProject(name) });
  return [
    ...("boundaries" in config.study_area ? [file("study_area.boundaries", config.study_area.boundaries)] : []),
    ...(config.places ? [file("places", config.places)] : []),
  ];
}

/**
 * Checks the files a lake's recorded configuration names before settings are made from it: a lake
 * written elsewhere (the Lambda, another clone) names them as it found them, and running without them
 * would silently use other boundaries or no places. A missing file is refused, naming it and how to
 * supply it; one whose content differs from the SHA-256 recorded beside its name (another version
 * under that name) is used, and the returned warnings name both. `skip`: settings whose file the
 * caller takes elsewhere (`--geo`) or does not read. A record without hashes (older lakes) is only checked for presence.
 */
export function checkRecordedFiles(config: RecordedConfig, lakeDir: string, skip: readonly RecordedFileSetting[] = []): string[] {
  const warnings: string[] = [];
  for (const { setting, name, path } of recordedFiles(config)) {
    if (skip.includes(setting)) continue;
    if (!existsSync(path))
      throw new Error(
        `the lake at ${lakeDir} records the project configuration ${config.file}, whose ${setting} is ${name}, but there is no ${path} here: ` +
          `give --config <that project configuration> with its files (e.g. the one the deployment was synthesised with)${setting === "study_area.boundaries" ? ", or --geo <its boundaries file>" : ""}, ` +
          `or put the file at ${path}`,
      );
    const recorded = config.sha256?.[name];
    const here = recorded === undefined ? undefined : fileSha256(path);
    if (recorded !== undefined && here !== recorded)
      warnings.push(
        `the lake at ${lakeDir} was built with ${setting} ${name} of SHA-256 ${recorded}, but ${path} here has SHA-256 ${here}: ` +
          `this command uses the file here; if it is not the one the lake was built with, give --config <that project configuration> with its files`,
      );
  }
  return warnings;
}

/** The SHA-256 of a file's content, or undefined where there is no such file (a record names it all the same). */
function fileSha256(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** A recorded path: relative ones are the project's. */
function fromProject(path: string): string {
  return resolve(PROJECT_ROOT, path);
}
