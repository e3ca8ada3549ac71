import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { applyOverrides, DEFAULT_CONFIG_FILE, DEFAULTS, loadProjectConfig, type OverrideKeys } from "../config.ts";
import { BUNDLED_CONTEXT, type ContextFiles } from "../context/bundled-context.ts";
import { recordedConfig, settingsFromConfig, type PipelineSettings, type RecordedNames } from "../settings.ts";
import { parseS3Url, type S3Location } from "../storage/s3-url.ts";

/** What the Lambda handlers are configured with: where things are, and the pipeline settings. */
export interface HandlerConfig {
  /** The curated lake, `s3://bucket/prefix`. */
  lakeUrl: string;
  /** Where raw exports are uploaded: `s3://bucket/raw`, one folder per source description id. */
  raw: S3Location;
  /** The dashboard's bucket, `s3://bucket[/prefix]`; publishing is skipped when unset. */
  siteUrl: string | null;
  /** The CloudFront distribution serving the site, whose edge caches a publish invalidates; null: none. */
  siteDistributionId: string | null;
  /**
   * Where the monthly run keeps what the next publish reuses (`s3://bucket/prefix`, private, outside
   * the lake and the site: etl/storage/s3-publish-state.ts); null: every monthly publish starts cold.
   */
  publishStateUrl: string | null;
  /** Folder of source descriptions (`<source-id>.yaml`). */
  sourcesDir: string;
  /** The deployment's own context files (exposure statistics, projects' indicators), for any lake; null: none named. */
  exposureCsv: string | null;
  projectsJson: string | null;
  /** The bundled demo's context files in the asset: loaded on a lake of the demo's data only (bundled-context.ts). */
  demoContext: ContextFiles;
  /** Scratch space: Lambda's /tmp. */
  workDir: string;
  /** The scheduled ingest re-checks raw files modified within this many hours. */
  sweepLookbackHours: number;
  /** The scheduled ingest removes data files no manifest lists once they are this many hours old. */
  orphanGraceHours: number;
  /** The monthly run recomputes only the latest this many months (large lakes); null = the whole history. */
  analyseRecentMonths: number | null;
  /** Pipeline settings; `lakeDir` and `dashboardDir` are replaced per run by the local mirror. */
  settings: PipelineSettings;
}

/**
 * Reads the configuration from the environment the CDK stack sets:
 * `LAKE_URL` and `RAW_URL` (required), `SITE_URL`, `SITE_DISTRIBUTION_ID`, `PUBLISH_STATE_URL`, `SOURCES_DIR`, `EXPOSURE_CSV` and `PROJECTS_JSON` (a deployment's own
 * context, for any lake), `DEMO_EXPOSURE_CSV` and `DEMO_PROJECTS_JSON` (the demo's, for its lake only),
 * `WORK_DIR`, `SWEEP_LOOKBACK_HOURS`, `ORPHAN_GRACE_HOURS`, `ANALYSE_RECENT_MONTHS`, and the analysis settings (analysisSettings).
 */
export function handlerConfig(env: NodeJS.ProcessEnv = process.env): HandlerConfig {
  const lakeUrl = required(env, "LAKE_URL");
  parseS3Url(lakeUrl);
  const raw = parseS3Url(required(env, "RAW_URL"));
  if (raw.prefix === "") throw new Error("RAW_URL must name a prefix (s3://bucket/raw): the first folder under it is the source id");
  return {
    lakeUrl,
    raw,
    siteUrl: env.SITE_URL ? (parseS3Url(env.SITE_URL), env.SITE_URL) : null,
    siteDistributionId: distributionId(env.SITE_DISTRIBUTION_ID),
    publishStateUrl: env.PUBLISH_STATE_URL ? checkPublishStateUrl(env.PUBLISH_STATE_URL, lakeUrl, env.SITE_URL || null) : null,
    sourcesDir: env.SOURCES_DIR ?? dirname(DEFAULTS.sourceDescription),
    exposureCsv: env.EXPOSURE_CSV || null,
    projectsJson: env.PROJECTS_JSON || null,
    demoContext: {
      exposureCsv: env.DEMO_EXPOSURE_CSV || BUNDLED_CONTEXT.exposureCsv,
      projectsJson: env.DEMO_PROJECTS_JSON || BUNDLED_CONTEXT.projectsJson,
    },
    workDir: env.WORK_DIR ?? tmpdir(),
    sweepLookbackHours: number(env, "SWEEP_LOOKBACK_HOURS", 48),
    orphanGraceHours: number(env, "ORPHAN_GRACE_HOURS", 1),
    analyseRecentMonths: env.ANALYSE_RECENT_MONTHS ? number(env, "ANALYSE_RECENT_MONTHS", 0) || null : null,
    settings: analysisSettings(env),
  };
}

/** The environment variables that override the project configuration, by the setting each overrides. */
export const ENV_OVERRIDES = {
  timezone: "TIME_ZONE",
  h3_resolution: "H3_RESOLUTION",
  k: "GI_K",
  municipalities: "STUDY_MUNICIPALITIES",
  hull: "STUDY_HULL",
  boundaries: "MUNICIPALITIES_GEOJSON",
  places: "PLACES_CSV",
} as const satisfies OverrideKeys;

/**
 * The pipeline settings, as the CLI's `--config` and flags give them: `PROJECT_CONFIG` (a project
 * configuration, YAML or JSON, as `--config` takes; unset: the bundled demo's, data/project.yaml),
 * overridden by `TIME_ZONE`, `H3_RESOLUTION`, `GI_K`, `MUNICIPALITIES_GEOJSON`, `PLACES_CSV` (the named
 * places that describe cells; empty: none) and the study area: `STUDY_MUNICIPALITIES` (names separated
 * by `;`) or `STUDY_HULL` (the incidents' hull plus this many rings), not both; an empty variable is
 * unset (except PLACES_CSV). The time zone is fixed per deployment (its schedules run in it): the
 * configuration's, else the demo's.
 */
function analysisSettings(env: NodeJS.ProcessEnv): PipelineSettings {
  const lakeDir = join(tmpdir(), "unset-lake");
  const file = loadProjectConfig(env.PROJECT_CONFIG || DEFAULT_CONFIG_FILE);
  const given = (name: string) => (env[name] ? env[name] : undefined);
  const config = applyOverrides(
    file,
    {
      timezone: given(ENV_OVERRIDES.timezone),
      h3_resolution: given(ENV_OVERRIDES.h3_resolution),
      k: given(ENV_OVERRIDES.k),
      municipalities: given(ENV_OVERRIDES.municipalities)?.split(";"),
      hull: given(ENV_OVERRIDES.hull),
      boundaries: given(ENV_OVERRIDES.boundaries),
      places: env[ENV_OVERRIDES.places],
    },
    ENV_OVERRIDES,
  );
  const settings = settingsFromConfig(config, lakeDir, config.timezone ?? DEFAULTS.timeZone);
  // Recorded with every ingest as the CLI records it, so a workstation command on this lake (and the
  // dashboard's title) gets the deployment's configuration: the asset's files by their synth names.
  settings.config = recordedConfig(settings, config.file, recordedNames(env));
  return settings;
}

/** Each variable naming a file of the asset, and the one giving the name that file had where the stack was synthesised. */
export const RECORDED_NAME_VARIABLES = {
  PROJECT_CONFIG: "PROJECT_CONFIG_NAME",
  MUNICIPALITIES_GEOJSON: "MUNICIPALITIES_GEOJSON_NAME",
  PLACES_CSV: "PLACES_CSV_NAME",
} as const;

/** The asset's files by the names the stack gives them (RECORDED_NAME_VARIABLES); unnamed ones are recorded by their path. */
function recordedNames(env: NodeJS.ProcessEnv): RecordedNames {
  return Object.fromEntries(
    Object.entries(RECORDED_NAME_VARIABLES).flatMap(([variable, nameVariable]) => {
      const path = env[variable];
      const name = env[nameVariable];
      return path && name ? [[path, name]] : [];
    }),
  );
}

/**
 * The publish state's prefix, refused where it would be read back into the lake, swept as the lake's
 * orphans or published: inside the lake's prefix (or holding it), or in the site's bucket (the state
 * holds sums before suppression).
 */
function checkPublishStateUrl(url: string, lakeUrl: string, siteUrl: string | null): string {
  const state = parseS3Url(url);
  const lake = parseS3Url(lakeUrl);
  const within = (inner: string, outer: string) => outer === "" || inner === outer || inner.startsWith(`${outer}/`);
  if (state.bucket === lake.bucket && (within(state.prefix, lake.prefix) || within(lake.prefix, state.prefix))) {
    throw new Error(
      `PUBLISH_STATE_URL ${url} overlaps the lake ${lakeUrl}: the state must not be mirrored or swept with the lake's files; ` +
        `name a sibling prefix in the lake's bucket, e.g. s3://${lake.bucket}/publish-state`,
    );
  }
  if (siteUrl !== null && parseS3Url(siteUrl).bucket === state.bucket) {
    throw new Error(
      `PUBLISH_STATE_URL ${url} is in the site's bucket, which is served: the state holds counts before suppression; ` +
        `name a prefix in the lake's private bucket, e.g. s3://${lake.bucket}/publish-state`,
    );
  }
  return url;
}

/** A CloudFront distribution id (upper-case letters and digits, e.g. E2QWRUHAPOMQZL), or null when unset. */
function distributionId(value: string | undefined): string | null {
  if (!value) return null;
  if (!/^[A-Z0-9]{8,32}$/.test(value))
    throw new Error(`SITE_DISTRIBUTION_ID must be a CloudFront distribution id such as E2QWRUHAPOMQZL, not '${value}': set it to the site's distribution`);
  return value;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`the ETL function is missing its ${name} setting (an s3:// URL)`);
  return value;
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, not '${value}'`);
  return n;
}
