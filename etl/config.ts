import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Project root: the folder that holds package.json, data/ and dashboard/. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

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
  /** The study area of the bundled data: Šiauliai city and Šiauliai district municipalities. */
  studyMunicipalities: ["Šiaulių m. sav.", "Šiaulių r. sav."],
  /** H3 resolution 8: cells of about 0.74 km², a few city blocks. */
  h3Resolution: 8,
  /** k of the k-ring neighbourhood used by Gi* (the cell itself plus its first ring). */
  k: 1,
  /** Calendar months are taken in this time zone. */
  timeZone: "Europe/Vilnius",
  /** Published counts below this are suppressed ("< 5"). */
  suppressionThreshold: 5,
  /** Dashboard folder and the port `serve` listens on (PORT overrides). */
  dashboardDir: resolve(PROJECT_ROOT, "dashboard"),
  port: Number(process.env.PORT ?? 3000),
} as const;

/** Offence categories shown only at municipality level, never per cell (privacy of victims). */
export const SENSITIVE_CATEGORIES: ReadonlySet<string> = new Set(["domestic_violence", "sexual_offence"]);
