import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { OFFENCE_CATEGORIES } from "./ingest/incident-schema.ts";

/** Project root: the folder that holds package.json, data/ and dashboard/. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The project configuration used when `--config` is not given and the lake records none: the bundled demo's. */
export const DEFAULT_CONFIG_FILE = resolve(PROJECT_ROOT, "data", "project.yaml");

/**
 * The values a project configuration may leave out. The one place for each: the CLI, the Lambda
 * handlers and the infrastructure all take them from here (through DEFAULTS or the schema).
 */
export const CONFIG_DEFAULTS = {
  /** H3 resolution 8: cells of about 0.74 km², a few city blocks. */
  h3Resolution: 8,
  /** k of the k-ring neighbourhood used by Gi* (the cell itself plus its first ring). */
  k: 1,
  /** Published counts below this are suppressed ("< 5"). */
  suppressionThreshold: 5,
  /** Offence categories shown only at municipality level, never per cell (privacy of victims). */
  sensitiveCategories: ["domestic_violence", "sexual_offence"] as const,
} as const;

/**
 * Embedded defaults: `npm start` needs no configuration. Everything here can be overridden from the
 * CLI or the environment; AWS is used only when a lake URL says so (a later step).
 */
export const DEFAULTS = {
  /** Local folder used as the lake. */
  lakeDir: resolve(PROJECT_ROOT, "lake"),
  /** The bundled incident history of Šiauliai city and district. */
  incidentFiles: [resolve(PROJECT_ROOT, "data", "incidents", "siauliai-2015-2021.csv.gz")],
  /** How the bundled files are laid out: the canonical source description. */
  sourceDescription: resolve(PROJECT_ROOT, "data", "sources", "siauliai-demo.yaml"),
  /** Context: exposure statistics (Official Statistics Portal shape) and the projects' indicators. */
  exposureCsv: resolve(PROJECT_ROOT, "data", "context", "immigration.csv"),
  projectsJson: resolve(PROJECT_ROOT, "data", "projects", "projects.json"),
  /** Lithuanian municipality boundaries, part of the product (© OpenStreetMap contributors, ODbL; data/geo/README.md). */
  municipalitiesGeoJson: resolve(PROJECT_ROOT, "data", "geo", "lt-municipalities.topojson"),
  /** Named places of Lithuania for describing where a cell is (© OpenStreetMap contributors, ODbL). */
  placesCsv: resolve(PROJECT_ROOT, "data", "geo", "lt-places.csv"),
  /** The study area of the bundled demo (data/project.yaml states it too; the Lambda deployment reads it from here). */
  studyMunicipalities: ["Šiaulių m. sav.", "Šiaulių r. sav."],
  h3Resolution: CONFIG_DEFAULTS.h3Resolution,
  k: CONFIG_DEFAULTS.k,
  /** The bundled demo's time zone: the fallback where neither the configuration, the lake nor a source says one. */
  timeZone: "Europe/Vilnius",
  suppressionThreshold: CONFIG_DEFAULTS.suppressionThreshold,
  /** Dashboard folder and the port `serve` listens on (PORT overrides). */
  dashboardDir: resolve(PROJECT_ROOT, "dashboard"),
  port: Number(process.env.PORT ?? 3000),
} as const;

/**
 * The bundled demo's source id. A source description's file is named for its id (the raw-upload
 * handler finds `<source-id>.yaml` by that rule; test/source-descriptions.test.ts checks the bundled
 * ones), so the id needs no file read — the Lambda asset holds the descriptions elsewhere.
 */
export const DEMO_SOURCE_ID = basename(DEFAULTS.sourceDescription, ".yaml");

/** Offence categories shown only at municipality level, never per cell (privacy of victims). */
export const SENSITIVE_CATEGORIES: ReadonlySet<string> = new Set(CONFIG_DEFAULTS.sensitiveCategories);

const category = z.enum(OFFENCE_CATEGORIES, {
  error: (issue) => `'${String(issue.input)}' is not an offence category; write one of ${OFFENCE_CATEGORIES.join(", ")}`,
});

/**
 * What each setting that is also given as text (a CLI flag, the Lambda's environment, CDK context)
 * must be: the one place for their ranges and wording. The file's messages read "expected …", an
 * override's "<its key> must be …, not '<value>'" (applyOverrides).
 */
const EXPECTED = {
  timezone: "an IANA time zone such as America/Phoenix or Europe/Vilnius",
  h3_resolution: "a whole number from 0 to 15",
  k: "a whole number from 1 to 10",
  hull: "a whole number from 0 to 10",
} as const;

const wholeNumber = (min: number, max: number, expected: string) =>
  z
    .int({ error: `expected ${expected}` })
    .min(min, `expected ${expected}`)
    .max(max, `expected ${expected}`);

const settingSchemas = {
  timezone: z.string().refine(isTimeZone, `expected ${EXPECTED.timezone}`),
  h3_resolution: wholeNumber(0, 15, EXPECTED.h3_resolution),
  k: wholeNumber(1, 10, EXPECTED.k),
  hull: wholeNumber(0, 10, EXPECTED.hull),
};

/**
 * The study area: named polygons of a boundary file (default: the bundled Lithuanian municipalities),
 * or the incidents' hull. With a hull, `boundaries` is only the file every ingest checks rows'
 * municipalities against.
 */
const studyAreaSchema = z.union(
  [
    z.object({ municipalities: z.array(z.string().min(1)).min(1), boundaries: z.string().min(1).optional() }).strict(),
    z.object({ hull: settingSchemas.hull, boundaries: z.string().min(1).optional() }).strict(),
  ],
  {
    error: () =>
      "write either `municipalities: [names…]` (with `boundaries: FILE`, a GeoJSON/TopoJSON whose polygons have a `name` property) or `hull: RINGS` (the incidents' hull plus that many H3 rings, 0–10)",
  },
);

/**
 * A project configuration file (YAML or JSON, `--config FILE`; default data/project.yaml). Relative
 * paths are relative to the file. `timezone` may be left out: the lake's months are then cut in the
 * time zone of the first source ingested into it, which the lake records.
 */
export const projectConfigSchema = z
  .object({
    /** The dashboard's and briefing's title: one text, or one per language (`{ lt: …, en: … }`). */
    title: z.union([z.string().min(1), z.object({ lt: z.string().min(1), en: z.string().min(1) }).strict()], {
      error: () => "write the title as a text, or as `{ lt: …, en: … }` with one per language",
    }),
    timezone: settingSchemas.timezone.optional(),
    h3_resolution: settingSchemas.h3_resolution.default(CONFIG_DEFAULTS.h3Resolution),
    k: settingSchemas.k.default(CONFIG_DEFAULTS.k),
    study_area: studyAreaSchema,
    /** The offence categories of the project: a source mapping a value to another category is refused before ingest. */
    categories: z.array(category).min(1).optional(),
    sensitive_categories: z.array(category).default([...CONFIG_DEFAULTS.sensitiveCategories]),
    suppression_threshold: z.number().int().min(1).default(CONFIG_DEFAULTS.suppressionThreshold),
    /**
     * Named places for the cells and the briefing (name,name_en,kind,population,lon,lat). Left out or
     * null: none (cells are named by the export's localities, else by coordinates) — another city's
     * configuration must not get Lithuania's; the demo's names the bundled file.
     */
    places: z.string().min(1).nullable().optional(),
  })
  .strict();

/** The project's title: one text, or one per language of the dashboard. */
export type ProjectTitle = string | { lt: string; en: string };

/** A validated configuration, its paths absolute, `places` null where it names none, `file` where it was read from. */
export type ProjectConfig = Omit<z.infer<typeof projectConfigSchema>, "places"> & { places: string | null; file: string };

/** Reads and validates a project configuration; errors name the file and each problem with what to write instead. */
export function loadProjectConfig(path: string): ProjectConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(
      `cannot read the project configuration ${path}: ${(error as Error).message} (give an existing YAML file with --config, e.g. data/project.yaml)`,
      { cause: error },
    );
  }
  let data: unknown;
  try {
    data = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new Error(`${path}: not valid ${path.endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message}`, { cause: error });
  }
  return parseProjectConfig(data, path);
}

/** Validates an already-parsed configuration read from `path` (relative paths are resolved against its folder). */
export function parseProjectConfig(data: unknown, path: string): ProjectConfig {
  const result = projectConfigSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map(
      (i) =>
        `${i.path.join(".") || "(root)"}: ${i.code === "unrecognized_keys" ? `unknown setting(s) ${i.keys.join(", ")}; the settings are ${Object.keys(projectConfigSchema.shape).join(", ")}` : i.message}`,
    );
    throw new Error(`${path}: invalid project configuration:\n  ${problems.join("\n  ")}`);
  }
  const config = result.data;
  const base = dirname(resolve(path));
  const area = config.study_area;
  const study_area = area.boundaries !== undefined ? { ...area, boundaries: resolve(base, area.boundaries) } : area;
  const places = typeof config.places === "string" ? resolve(base, config.places) : config.places;
  const sensitive = config.sensitive_categories.filter((c) => config.categories && !config.categories.includes(c));
  if (sensitive.length > 0)
    throw new Error(
      `${path}: invalid project configuration:\n  sensitive_categories: ${sensitive.join(", ")} not among categories; add them to categories or remove them here`,
    );
  return { ...config, study_area, places: places ?? null, file: resolve(path) };
}

/**
 * Settings given as text over a configuration for one run: the CLI's flags, the Lambda's environment
 * and the CDK context all go through applyOverrides, so they mean and refuse the same.
 */
export interface ConfigOverrides {
  timezone?: string;
  h3_resolution?: string;
  k?: string;
  /** The study area's municipalities (of `boundaries`, else the configuration's boundaries), replacing a hull. */
  municipalities?: readonly string[];
  /** The study area as the incidents' hull plus this many rings, replacing municipalities. */
  hull?: string;
  /** The boundaries file (relative to `cwd`): the study area's, and what ingests check municipalities against. */
  boundaries?: string;
  /** The named places file (relative to `cwd`); `none` or empty: none. */
  places?: string;
}

/** The overrides that are values (the others are names and files). */
export type OverrideSetting = keyof typeof settingSchemas;

/**
 * One override's value checked against the schema's rule for it, or refused as
 * "<key> must be <what>, not '<value>'" (e.g. `--resolution must be a whole number from 0 to 15, not '8.5'`).
 */
export function overrideValue<S extends OverrideSetting>(setting: S, value: string, key: string): z.output<(typeof settingSchemas)[S]> {
  const parsed = setting === "timezone" ? value : value.trim() === "" ? Number.NaN : Number(value);
  const result = settingSchemas[setting].safeParse(parsed);
  if (!result.success) throw new Error(`${key} must be ${EXPECTED[setting]}, not '${value}'`);
  return result.data as z.output<(typeof settingSchemas)[S]>;
}

/** What overrides change, in a configuration file's or one a lake records (settings.ts, RecordedConfig). */
export type OverridableConfig = Pick<ProjectConfig, "timezone" | "h3_resolution" | "k" | "study_area" | "places">;

/** How a caller names each override in its messages: `--resolution`, `H3_RESOLUTION`, `-c h3Resolution`. */
export type OverrideKeys = Record<keyof ConfigOverrides, string>;

/**
 * `config` with the given overrides applied, each checked against the schema's own rule and refused
 * as "<key> must be <what>, not '<value>'". Paths are resolved against `cwd`.
 */
export function applyOverrides<C extends OverridableConfig>(
  config: C,
  overrides: ConfigOverrides,
  keys: OverrideKeys,
  cwd = process.cwd(),
): Omit<C, keyof OverridableConfig> & OverridableConfig {
  const { timezone, h3_resolution, k, municipalities, hull, boundaries, places } = overrides;
  const checked = <S extends OverrideSetting>(setting: S, value: string) => overrideValue(setting, value, keys[setting]);
  if (municipalities !== undefined && hull !== undefined)
    throw new Error(`${keys.municipalities} and ${keys.hull} are two study areas: give one (${keys.hull} 1: the incidents' hull plus one ring of cells)`);
  const names = municipalities?.map((name) => name.trim()).filter(Boolean);
  if (names?.length === 0) throw new Error(`${keys.municipalities} names no municipality; name the boundaries' polygons, or use ${keys.hull}`);
  const area = config.study_area;
  const file = boundaries !== undefined ? resolve(cwd, boundaries) : area.boundaries;
  const withFile = file !== undefined ? { boundaries: file } : {};
  const study_area =
    hull !== undefined ? { hull: checked("hull", hull), ...withFile } : names !== undefined ? { municipalities: names, ...withFile } : { ...area, ...withFile };
  return {
    ...config,
    ...(timezone !== undefined ? { timezone: checked("timezone", timezone) } : {}),
    ...(h3_resolution !== undefined ? { h3_resolution: checked("h3_resolution", h3_resolution) } : {}),
    ...(k !== undefined ? { k: checked("k", k) } : {}),
    study_area,
    ...(places !== undefined ? { places: places === "" || places === "none" ? null : resolve(cwd, places) } : {}),
  };
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
