import { resolve } from "node:path";
import type { Command } from "commander";
import { quarantineFailure } from "../ingest/ingest-verdict.ts";
import type { QualityReport } from "../ingest/quality-report.ts";
import { defaultSettings, type PipelineSettings } from "../settings.ts";

/**
 * What every command module gets from the CLI: the pipeline settings from the global options, and
 * how to report (text for people, JSON with --json). Command modules export
 * `register(program, cli)` and are wired in main.ts.
 */
export interface CliContext {
  settings(): PipelineSettings;
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

/** The context over a program whose global options are defined in main.ts. */
export function cliContext(program: Command): CliContext {
  const json = () => program.opts().json === true;
  return {
    json,
    maxQuarantinedShare: () => program.opts().maxQuarantinedShare as number,
    settings() {
      const o = program.opts();
      return defaultSettings({
        lakeDir: resolve(String(o.lake)),
        resolution: o.resolution as number,
        k: o.k as number,
        timeZone: String(o.timezone),
        municipalitiesGeoJson: resolve(String(o.geo)),
        studyMunicipalities: o.municipality as string[],
      });
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
