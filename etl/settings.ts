/**
 * The settings every stage shares, with their defaults: a leaf module (it imports only the
 * defaults), so the stages, the CLI and the Lambda handlers can all depend on it without cycles.
 */
import { DEFAULTS } from "./config.ts";

/** Settings shared by every stage; the CLI fills them from flags over DEFAULTS, the handlers from the environment. */
export interface PipelineSettings {
  lakeDir: string;
  resolution: number;
  timeZone: string;
  k: number;
  municipalitiesGeoJson: string;
  studyMunicipalities: readonly string[];
  suppressionThreshold: number;
  dashboardDir: string;
}

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
    ...overrides,
  };
}
