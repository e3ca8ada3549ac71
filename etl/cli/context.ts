import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { applyOverrides, DEFAULT_CONFIG_FILE, DEFAULTS, loadProjectConfig, type OverrideKeys } from "../config.ts";
import { quarantineFailure } from "../ingest/ingest-verdict.ts";
import type { QualityReport } from "../ingest/quality-report.ts";
import { MANIFEST_FILE, parseManifest, type Manifest } from "../lake/manifest.ts";
import { checkRecordedFiles, recordedConfig, settingsFromConfig, type PipelineSettings } from "../settings.ts";

/**
 * What every command module gets from the CLI: the pipeline settings from the project configuration
 * and the global options, and how to report (text for people, JSON with --json). Command modules
 * export `register(program, cli)` and are wired in main.ts.
 */
export interface CliContext {
  /**
   * The settings: flags over the configuration (`--config`, else the one the lake records, else
   * data/project.yaml). The time zone is the flag's, the configuration's, the lake's, or else
   * `sourceTimeZone` (an ingest into a new lake: its months are its source's). A time zone that
   * conflicts with the lake's stops the command; the resolution may differ from the stored cells'.
   */
  settings(sourceTimeZone?: string): PipelineSettings;
  json(): boolean;
  /** The share of a file's rows that may be quarantined before ingest and run fail (--max-quarantined-share). */
  maxQuarantinedShare(): number;
  /**
   * Prints `value` as JSON with --json, otherwise the text `toText(value)` gives. A summary with an
   * ingest part (ingest, run) whose files were all or mostly quarantined then fails the command with
   * EXIT_QUARANTINED and the likely cause on stderr (see quarantineFailure).
   */
  report<T>(value: T, toText: (value: T) => string): void;
}

/**
 * The global flags that override the project configuration, by the setting each overrides (the
 * study area's hull is each analytics command's `--hull`; places have no flag).
 */
export const FLAG_OVERRIDES = {
  timezone: "--timezone",
  h3_resolution: "--resolution",
  k: "--k",
  municipalities: "--municipality",
  hull: "--hull",
  boundaries: "--geo",
  places: "--config's places",
} as const satisfies OverrideKeys;

/** The context over a program whose global options are defined in main.ts. */
export function cliContext(program: Command): CliContext {
  const json = () => program.opts().json === true;
  return {
    json,
    maxQuarantinedShare: () => program.opts().maxQuarantinedShare as number,
    settings(sourceTimeZone) {
      const o = program.opts() as {
        lake: string;
        config?: string;
        resolution?: string | number;
        k?: string | number;
        timezone?: string;
        geo?: string;
        municipality?: string[];
        now?: Date;
      };
      const lakeDir = resolve(String(o.lake));
      const lake = lakeManifest(lakeDir);
      const given = o.config === undefined ? undefined : loadProjectConfig(resolve(o.config));
      // The recorded configuration's files must be here (boundaries given with --geo need none); another version of one is warned of.
      const recorded = given === undefined ? lake?.config : undefined;
      if (recorded)
        for (const warning of checkRecordedFiles(recorded, lakeDir, o.geo !== undefined ? ["study_area.boundaries"] : []))
          process.stderr.write(`hotspots: warning: ${warning}\n`);
      const config = applyOverrides(
        given ?? lake?.config ?? loadProjectConfig(DEFAULT_CONFIG_FILE),
        // As given (program.ts checks them at parse); a program of the tests' may have parsed numbers.
        { timezone: o.timezone, h3_resolution: text(o.resolution), k: text(o.k), municipalities: o.municipality, boundaries: o.geo },
        FLAG_OVERRIDES,
      );
      const timeZone = config.timezone ?? lake?.timezone ?? sourceTimeZone ?? DEFAULTS.timeZone;
      const settings = settingsFromConfig(config, lakeDir, timeZone);
      if (lake) checkAgainstLake(lake, settings, o, config.file);
      settings.config = recordedConfig(settings, config.file);
      if (o.now) settings.now = o.now;
      return settings;
    },
    report(value, toText) {
      process.stdout.write(json() ? `${JSON.stringify(value, null, 2)}\n` : `${toText(value)}\n`);
      const files = (value as { ingest?: { files?: QualityReport[] } } | undefined)?.ingest?.files;
      const failure = files && quarantineFailure(files, program.opts().maxQuarantinedShare as number);
      if (failure) {
        process.stderr.write(`hotspots: ${failure.message}\n`);
        process.exitCode = failure.exitCode;
      }
    },
  };
}

const text = (value: string | number | undefined) => (value === undefined ? undefined : String(value));

/** The lake's manifest, or undefined for a lake not yet written (read once per command, before it runs). */
function lakeManifest(lakeDir: string): Manifest | undefined {
  let text: string;
  try {
    text = readFileSync(join(lakeDir, MANIFEST_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot read the lake's manifest ${join(lakeDir, MANIFEST_FILE)}: ${(error as Error).message}`, { cause: error });
  }
  return parseManifest(text, join(lakeDir, MANIFEST_FILE));
}

/**
 * A lake holds the months of one time zone: a command asking for another would mix them, so it
 * stops, naming where the conflicting value came from. The resolution is free: the lake keeps each
 * incident's coordinates, and an analysis at another resolution than the stored cells' indexes them
 * afresh (readLakeCounts).
 */
function checkAgainstLake(lake: Manifest, settings: PipelineSettings, flags: { timezone?: string }, configFile: string): void {
  const origin = (flag: string, given: unknown) => (given !== undefined ? `${flag} ${String(given)}` : `the configuration ${configFile}`);
  const built = lake.config ? ` (configuration ${lake.config.file})` : "";
  if (lake.timezone !== settings.timeZone) {
    throw new Error(
      `the lake at ${settings.lakeDir} cuts its months in ${lake.timezone}${built}, but ${origin("--timezone", flags.timezone)} asks for ${settings.timeZone}: ` +
        `leave the time zone out (the lake's is used), or give another --lake for ${settings.timeZone}`,
    );
  }
}
