import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Architecture } from "aws-cdk-lib/aws-lambda";
import { OutputFormat, type BundlingOptions } from "aws-cdk-lib/aws-lambda-nodejs";
import { REQUIRE_BANNER, REQUIRED_DUCKDB } from "../../etl/build/bundle-options.ts";
import { DEFAULTS } from "../../etl/config.ts";
import type { EtlAnalysis } from "./etl-analysis.ts";

/** The repository root (holds package.json and package-lock.json). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The ETL function's entry point: a thin adapter over the pipeline stages. */
export const ETL_ENTRY = join(PROJECT_ROOT, "etl", "handlers", "index.ts");

/**
 * Modules that run in worker threads (paths in the repository), bundled as further entry points
 * beside `index.mjs`, as `<name>.mjs`: the CSV reader threads of the ingest
 * (etl/ingest/csv-readers.ts starts `csv-reader-worker.mjs` from beside itself when it runs bundled).
 */
export const ETL_WORKER_ENTRIES = {
  "csv-reader-worker": "etl/ingest/csv-reader-worker.ts",
} as const;

/** Where the bundled function finds its data files at run time (`/var/task` on Lambda). */
export const ETL_ASSET_PATHS = {
  sourcesDir: "sources",
  /** The deployment's project configuration (etl-analysis.ts), its paths relative to it: the two files below. */
  projectConfig: "project/project.json",
  /** Its boundaries, GeoJSON or TopoJSON (told apart by content). */
  municipalitiesGeoJson: "project/boundaries.json",
  /** Its named places; absent when the configuration has none. */
  placesCsv: "project/places.csv",
  exposureCsv: "context/immigration.csv",
  projectsJson: "context/projects.json",
} as const;

/** The repository's files behind the asset's data paths (the same files `npm start` reads). */
const ASSET_SOURCES: Record<"exposureCsv" | "projectsJson", string> = {
  exposureCsv: DEFAULTS.exposureCsv,
  projectsJson: DEFAULTS.projectsJson,
};

/**
 * How NodejsFunction bundles the ETL function, without Docker: local esbuild into one ES module
 * (the AWS SDK bundled, so the tested SDK version is the deployed one), DuckDB kept out of the bundle
 * (required at run time, not imported: REQUIRED_DUCKDB) and installed into the asset with `npm ci` for Lambda's platform — `npm_config_os/cpu/libc` pick
 * the linux-arm64 (or -x64) glibc binary even on another machine. The source descriptions, the
 * deployment's project configuration with its boundaries and places (projectAssetCommands) and the
 * demo's context inputs (ASSET_SOURCES) are copied beside the bundle. npm installs a platform package that it
 * cannot download as "optional, skipped", so the bundling checks that the binary really is there.
 * NodejsFunction bundles one entry point; the worker-thread modules (ETL_WORKER_ENTRIES) are bundled
 * after it by the same esbuild with the same options, each into its own self-contained `.mjs`.
 */
export function etlBundling(architecture: Architecture, analysis: EtlAnalysis): BundlingOptions {
  const cpu = architecture === Architecture.ARM_64 ? "arm64" : "x64";
  const binary = `node_modules/@duckdb/node-bindings-linux-${cpu}/duckdb.node`;
  const esbuild = {
    format: OutputFormat.ESM,
    target: "node22",
    mainFields: ["module", "main"],
    banner: REQUIRE_BANNER,
  };
  const nodeModules = [REQUIRED_DUCKDB.package];
  // CDK runs esbuild in the project root; the worker commands below name the module from the input folder.
  const duckDbAlias = (root: string) => `${REQUIRED_DUCKDB.package}=${root}/${REQUIRED_DUCKDB.module}`;
  return {
    ...esbuild,
    esbuildArgs: { "--alias": duckDbAlias(".") },
    bundleAwsSDK: true,
    nodeModules,
    forceDockerBundling: false,
    environment: {
      npm_config_os: "linux",
      npm_config_cpu: cpu,
      npm_config_libc: "glibc",
      npm_config_prefer_offline: "true",
      // Fail within seconds, not minutes, when the registry cannot be reached and the cache lacks a package.
      npm_config_fetch_retries: "1",
      npm_config_fetch_retry_mintimeout: "2000",
      npm_config_fetch_retry_maxtimeout: "5000",
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
    },
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir: string, outputDir: string) => [
        // As NodejsFunction runs esbuild for index.mjs (the project's own esbuild, through npx).
        ...Object.entries(ETL_WORKER_ENTRIES).map(([name, entry]) =>
          [
            "npx --no-install esbuild --bundle",
            shellQuote(`${inputDir}/${entry}`),
            "--platform=node",
            `--format=${esbuild.format}`,
            `--target=${esbuild.target}`,
            `--main-fields=${esbuild.mainFields.join(",")}`,
            shellQuote(`--banner:js=${esbuild.banner}`),
            ...nodeModules.map((m) => `--external:${m}`),
            shellQuote(`--alias:${duckDbAlias(inputDir)}`),
            "--log-level=warning",
            shellQuote(`--outfile=${outputDir}/${name}.mjs`),
          ].join(" "),
        ),
        // npm skips an optional dependency it cannot download without failing: check the binary is there.
        `test -f "${outputDir}/${binary}" || { echo "DuckDB's linux-${cpu} binary was not installed into the asset (npm could not download @duckdb/node-bindings-linux-${cpu}: run the synth once with the npm registry reachable to cache it)" >&2; exit 1; }`,
        `mkdir -p "${outputDir}/${ETL_ASSET_PATHS.sourcesDir}"`,
        `cp "${inputDir}"/data/sources/*.yaml "${outputDir}/${ETL_ASSET_PATHS.sourcesDir}/"`,
        ...projectAssetCommands(outputDir, analysis),
        ...Object.entries(ASSET_SOURCES).flatMap(([key, source]) => {
          const target = `${outputDir}/${ETL_ASSET_PATHS[key as keyof typeof ASSET_SOURCES]}`;
          return [`mkdir -p "${dirname(target)}"`, `cp "${inputDir}/${relative(PROJECT_ROOT, source)}" "${target}"`];
        }),
      ],
    },
  };
}

/**
 * Shell commands that put the deployment's project configuration into the asset folder `outputDir`
 * (ETL_ASSET_PATHS): its boundaries and places copied from the synthesising machine (local bundling:
 * any path works), and the configuration as JSON naming those copies, so the function reads exactly
 * what was validated at synth.
 */
export function projectAssetCommands(outputDir: string, analysis: EtlAnalysis): string[] {
  const { config, boundaries } = analysis;
  const asset = (path: string) => shellQuote(`${outputDir}/${path}`);
  const folder = dirname(ETL_ASSET_PATHS.projectConfig);
  const inFolder = (path: string) => relative(folder, path);
  const { file: _file, ...written } = config;
  const json = {
    ...written,
    study_area: { ...config.study_area, boundaries: inFolder(ETL_ASSET_PATHS.municipalitiesGeoJson) },
    places: config.places ? inFolder(ETL_ASSET_PATHS.placesCsv) : null,
  };
  return [
    `mkdir -p ${asset(folder)}`,
    `cp ${shellQuote(boundaries)} ${asset(ETL_ASSET_PATHS.municipalitiesGeoJson)}`,
    ...(config.places ? [`cp ${shellQuote(config.places)} ${asset(ETL_ASSET_PATHS.placesCsv)}`] : []),
    `printf '%s' ${shellQuote(JSON.stringify(json))} > ${asset(ETL_ASSET_PATHS.projectConfig)}`,
  ];
}

/** `text` as one POSIX shell word. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
