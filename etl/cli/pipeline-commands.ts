import { resolve } from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { DEFAULTS } from "../config.ts";
import type { HotSpotInference } from "../analytics/gi-star-permutation.ts";
import { analyseStage, contextStage, ingestStage } from "../pipeline.ts";
import { categoriesOutside, type PipelineSettings } from "../settings.ts";
import { quarantineFailure } from "../ingest/ingest-verdict.ts";
import { loadSourceDescription, type SourceDescription } from "../ingest/source-description.ts";
import type { IngestOptions } from "../ingest/ingest-options.ts";
import { MONTHLY_STAGES, runStages, type PipelineSummary, type StageInputs } from "../stages.ts";
import { checkLakeHoldsIncidents, incidentFiles } from "./bundled-incidents.ts";
import type { CliContext } from "./context.ts";
import { hullOption, hullRingOf } from "./hull-option.ts";
import { fetchIncidentsIfRead } from "./incident-mirror.ts";
import { startProgress } from "./progress.ts";
import { summaryText, type RunSummary } from "./summary-text.ts";

/** The pipeline's own commands: run, ingest, publish and serve (analyse lives in analyse-commands.ts). */
export function register(program: Command, cli: CliContext): void {
  const report = (summary: RunSummary) => cli.report(summary, summaryText);

  program
    .command("run")
    .description("all stages on the given files: ingest, analyse, publish and build (no files: the bundled Šiauliai demo, on a lake empty or of the demo only)")
    .argument("[files...]", "incident files (CSV, JSON Lines, GeoJSON or an Excel workbook; .gz allowed for text)")
    .option("--no-ingest", "ingest nothing: recompute every output from what the lake holds, then publish (any lake)")
    .option("--serve", "serve the built dashboard afterwards", false)
    .option("--no-build", "write the dashboard data but do not build the site")
    .option(
      "--full",
      "recompute the hot spots of every month, and the emerging hot spots, forecast and backtest (default: only what the changed incidents or parameters touch)",
      false,
    )
    .addOption(sourceOption())
    .option("--export-id <id>", EXPORT_ID_HELP)
    .option("--replace", REPLACE_HELP, false)
    .addOption(hullOption())
    .action(async (files: string[], opts: { serve: boolean; build: boolean; full: boolean; ingest: boolean; source: string } & ExportFlags & HullFlag) => {
      if (!opts.ingest && (files.length > 0 || opts.exportId !== undefined || opts.replace)) {
        throw new Error(
          "run --no-ingest computes from what the lake holds and reads no file: leave out the files, --export-id and --replace, or leave out --no-ingest to ingest them",
        );
      }
      if (!opts.ingest) await checkLakeHoldsIncidents(resolve(String(program.opts().lake)));
      // Without ingest, no source description is read: its time zone and categories are an ingest's concern.
      const source = opts.ingest ? await sourceFor(opts.source) : undefined;
      const settings = withHull(cli.settings(source?.timezone), opts.hull);
      if (source) checkSource(source, settings);
      if (!opts.ingest) await fetchIncidentsIfRead(program, settings, MONTHLY_STAGES);
      const inputFiles = opts.ingest ? await incidentFiles(files, opts.source, settings.lakeDir, "run") : [];
      const ingestProgress = startProgress("ingest", !cli.json());
      const analyseProgress = startProgress("analyse", !cli.json());
      const inputs: StageInputs = {
        files: inputFiles,
        source: resolve(opts.source),
        onIngestProgress: (_file, rows) => ingestProgress.update(rows, rows, "rows"),
        analyse: { full: opts.full },
        onAnalyseProgress: (done, total) => {
          ingestProgress.stop();
          analyseProgress.update(done, total, "months");
        },
      };
      let summary: PipelineSummary = { lake: settings.lakeDir };
      try {
        // Ingest outside runStages: the export flags are the command line's, not every stage's.
        if (opts.ingest) {
          summary.ingest = await ingestStage(inputs.files!, settings, inputs.onIngestProgress, inputs.source, undefined, exportsOf(program, opts));
        }
        // A file whose rows were all or mostly quarantined stops the run before anything is computed from it.
        if (!summary.ingest || !quarantineFailure(summary.ingest.files, cli.maxQuarantinedShare())) {
          summary = { ...summary, ...(await runStages(MONTHLY_STAGES, settings, inputs)) };
        }
      } finally {
        ingestProgress.stop();
        analyseProgress.stop();
      }
      report({ ...summary, publish: summary.publish && { ...summary.publish, built: await build(opts.build) } });
      if (opts.serve) await serve(settings);
    });

  program
    .command("ingest")
    .description("validate incident files and write them into the lake (invalid rows go to quarantine with their reason)")
    .argument(
      "[files...]",
      "incident files (CSV, JSON Lines, GeoJSON or an Excel workbook; .gz allowed for text; none: the bundled Šiauliai demo, on a lake empty or of the demo only)",
    )
    .addOption(sourceOption())
    .option("--export-id <id>", EXPORT_ID_HELP)
    .option("--replace", REPLACE_HELP, false)
    .action(async (files: string[], opts: { source: string } & ExportFlags) => {
      const source = await sourceFor(opts.source);
      const settings = cli.settings(source.timezone);
      checkSource(source, settings);
      const inputs = await incidentFiles(files, opts.source, settings.lakeDir, "ingest");
      report({ lake: settings.lakeDir, ingest: await runIngest(inputs, settings, cli, resolve(opts.source), exportsOf(program, opts)) });
    });

  program
    .command("context")
    .description("validate exposure statistics and project indicators and write them as lake tables")
    .option(
      "--exposure <csv>",
      "exposure statistics in the Official Statistics Portal's long shape (default: the bundled ones on a lake of the bundled data, else none)",
    )
    .option("--projects <json>", "projects and their indicators (default: the bundled ones on a lake of the bundled data, else none)")
    .action(async (opts: { exposure?: string; projects?: string }) => {
      const settings = cli.settings();
      const files = { ...(opts.exposure ? { exposureCsv: resolve(opts.exposure) } : {}), ...(opts.projects ? { projectsJson: resolve(opts.projects) } : {}) };
      report({ lake: settings.lakeDir, context: await contextStage(settings, files) });
    });

  program
    .command("publish")
    .description("write the dashboard's aggregate data (small counts suppressed) and build the static site")
    .option("--no-build", "write the data files only")
    .addOption(hullOption())
    .action(async (opts: { build: boolean } & HullFlag) => {
      const settings = withHull(cli.settings(), opts.hull);
      await fetchIncidentsIfRead(program, settings, ["publish"]);
      const { publish } = await runStages(["publish"], settings);
      report({ lake: settings.lakeDir, publish: publish && { ...publish, built: await build(opts.build) } });
    });

  program
    .command("serve")
    .description(`serve the built dashboard on http://127.0.0.1:${DEFAULTS.port} (PORT changes the port)`)
    .action(async () => serve(cli.settings()));
}

/** The source description at `path`, read before the settings: its time zone is a new lake's. */
function sourceFor(path: string): Promise<SourceDescription> {
  return loadSourceDescription(resolve(path));
}

/**
 * A source whose categories the project does not have is refused before anything is read: its rows
 * would enter the lake under categories the configuration leaves out of every result.
 */
function checkSource(source: SourceDescription, settings: PipelineSettings): void {
  const outside = categoriesOutside(source.categories, settings);
  if (outside.length === 0) return;
  throw new Error(
    `the source description '${source.id}' maps offences to ${outside.join(", ")}, which the project configuration ${settings.config?.file ?? ""} does not list under categories: ` +
      `add ${outside.length === 1 ? "it" : "them"} to categories: there, or map those offences to one of ${settings.categories!.join(", ")}`,
  );
}

const EXPORT_ID_HELP = "the export's name within its source, for one file (default: its path relative to the lake)";
const REPLACE_HELP =
  "let a file replace its export's months even when it lacks some of them (they are removed) or none of its rows was ingested, or supersede an export the lake cannot tell from it";

interface ExportFlags {
  exportId?: string;
  replace: boolean;
}
interface HullFlag {
  hull?: number | true;
}

/**
 * Which export a file is and whether it may replace one (ingest and run); exportBase and
 * fetchLakeFiles: set by attachS3Lake for a remote lake, whose local mirror is a new folder each run
 * and, for ingest, holds only the manifest.
 */
function exportsOf(program: Command, opts: ExportFlags): Pick<IngestOptions, "exportId" | "exportBase" | "replace" | "fetchLakeFiles"> {
  const { exportBase, fetchLakeFiles } = program.opts() as Pick<IngestOptions, "exportBase" | "fetchLakeFiles">;
  return {
    replace: opts.replace,
    ...(opts.exportId !== undefined ? { exportId: opts.exportId } : {}),
    ...(exportBase ? { exportBase } : {}),
    ...(fetchLakeFiles ? { fetchLakeFiles } : {}),
  };
}

/**
 * The settings with `--hull [ring]` applied (run, publish): the study area becomes the incidents'
 * hull, and so does the configuration an ingest records in the lake, so later commands keep it.
 */
function withHull(settings: PipelineSettings, hull: number | true | undefined): PipelineSettings {
  if (hull === undefined) return settings;
  const hullRing = hullRingOf(hull, settings);
  return { ...settings, hullRing, ...(settings.config && hullRing !== null ? { config: { ...settings.config, study_area: { hull: hullRing } } } : {}) };
}

async function runIngest(files: string[], settings: PipelineSettings, cli: CliContext, source = DEFAULTS.sourceDescription, exports = {}) {
  const progress = startProgress("ingest", !cli.json());
  try {
    return await ingestStage(files, settings, (_file, rows) => progress.update(rows, rows, "rows"), source, undefined, exports);
  } finally {
    progress.stop();
  }
}

/** The analyse stage with a progress bar (incremental unless `full`); shared with analyse-commands.ts. */
export async function runAnalyse(settings: PipelineSettings, cli: CliContext, full = false, inference?: HotSpotInference) {
  const progress = startProgress("analyse", !cli.json());
  try {
    return await analyseStage(settings, (done, total) => progress.update(done, total, "months"), { full, inference });
  } finally {
    progress.stop();
  }
}

/** Builds the static site from the dashboard data when asked (the pipeline core never builds). */
async function build(wanted: boolean): Promise<boolean> {
  if (!wanted) return false;
  const { buildDashboard } = await import("../../dashboard/scripts/build.ts");
  await buildDashboard();
  return true;
}

async function serve(settings: PipelineSettings): Promise<void> {
  const { serveStatic } = await import("../../dashboard/scripts/serve.ts");
  const server = await serveStatic(resolve(settings.dashboardDir, "dist"), DEFAULTS.port);
  process.stderr.write(`Dashboard: ${server.url} (Ctrl+C stops)\n`);
}

/**
 * `--source <file>`, given at most once: the files of one command share one layout. Commander keeps
 * the last of a repeated option, so `run --source a.yaml --source b.yaml a.csv b.csv` read both
 * files as b's layout — another export's categories under the wrong names, without a word.
 */
function sourceOption(): Option {
  let given = false;
  return new Option("--source <file>", "source description (data/sources/*.yaml) saying how the files are laid out")
    .default(DEFAULTS.sourceDescription)
    .argParser((file: string) => {
      if (given) {
        throw new InvalidArgumentError(
          "--source is given more than once: the files of one command share one layout. Ingest each layout's files with its own command " +
            "(`ingest --source a.yaml a.csv`, then `ingest --source b.yaml b.csv`), then `run --no-ingest`.",
        );
      }
      given = true;
      return file;
    });
}
