import { resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULTS } from "../config.ts";
import { analyseStage, defaultSettings, ingestStage, publishStage, type PipelineSettings } from "../pipeline.ts";
import { startProgress } from "./progress.ts";
import { summaryText, type RunSummary } from "./summary-text.ts";

/** `hotspots`: the command-line interface over the pipeline stages (ingest → analyse → publish → serve). */
const program = new Command("hotspots")
  .description("Crime hot-spot analytics: incident files → validated H3 Parquet lake → monthly Gi* hot spots → offline dashboard.")
  .option("--lake <dir>", "lake folder", DEFAULTS.lakeDir)
  .addOption(new Option("--resolution <n>", "H3 resolution (0–15)").default(DEFAULTS.h3Resolution).argParser(integerIn(0, 15)))
  .addOption(new Option("--k <n>", "k-ring size of the Gi* neighbourhood").default(DEFAULTS.k).argParser(integerIn(1, 10)))
  .option("--timezone <zone>", "time zone of calendar months", DEFAULTS.timeZone)
  .option("--geo <file>", "municipality boundaries GeoJSON", DEFAULTS.municipalitiesGeoJson)
  .option("--municipality <name...>", "study-area municipalities", [...DEFAULTS.studyMunicipalities])
  .option("--json", "print a machine-readable summary on stdout instead of text", false)
  .showHelpAfterError();

program
  .command("run")
  .description("all stages on the given files (default: the bundled Šiauliai data): ingest, analyse, publish and build")
  .argument("[files...]", "incident CSV files (canonical columns; .gz allowed)")
  .option("--serve", "serve the built dashboard afterwards", false)
  .option("--no-build", "write the dashboard data but do not build the site")
  .action(async (files: string[], opts: { serve: boolean; build: boolean }) => {
    const settings = settingsFrom(program.opts());
    const summary: RunSummary = { lake: settings.lakeDir };
    summary.ingest = await runIngest(files, settings);
    summary.analyse = await runAnalyse(settings);
    summary.publish = await publishStage(settings, opts.build);
    report(summary);
    if (opts.serve) await serve(settings);
  });

program
  .command("ingest")
  .description("validate incident files and write them into the lake (invalid rows go to quarantine with their reason)")
  .argument("[files...]", "incident CSV files (canonical columns; .gz allowed)")
  .action(async (files: string[]) => {
    const settings = settingsFrom(program.opts());
    report({ lake: settings.lakeDir, ingest: await runIngest(files, settings) });
  });

program
  .command("analyse")
  .description("monthly Getis-Ord Gi* hot spots per H3 cell and offence category over the study area")
  .action(async () => {
    const settings = settingsFrom(program.opts());
    report({ lake: settings.lakeDir, analyse: await runAnalyse(settings) });
  });

program
  .command("publish")
  .description("write the dashboard's aggregate data (small counts suppressed) and build the static site")
  .option("--no-build", "write the data files only")
  .action(async (opts: { build: boolean }) => {
    const settings = settingsFrom(program.opts());
    report({ lake: settings.lakeDir, publish: await publishStage(settings, opts.build) });
  });

program
  .command("serve")
  .description(`serve the built dashboard on http://127.0.0.1:${DEFAULTS.port} (PORT changes the port)`)
  .action(async () => serve(settingsFrom(program.opts())));

function settingsFrom(o: Record<string, unknown>): PipelineSettings {
  return defaultSettings({
    lakeDir: resolve(String(o.lake)),
    resolution: o.resolution as number,
    k: o.k as number,
    timeZone: String(o.timezone),
    municipalitiesGeoJson: resolve(String(o.geo)),
    studyMunicipalities: o.municipality as string[],
  });
}

const json = () => program.opts().json === true;

async function runIngest(files: string[], settings: PipelineSettings) {
  const inputs = files.length > 0 ? files.map((f) => resolve(f)) : [...DEFAULTS.incidentFiles];
  const progress = startProgress("ingest", !json());
  try {
    return await ingestStage(inputs, settings, (_file, rows) => progress.update(rows, rows, "rows"));
  } finally {
    progress.stop();
  }
}

async function runAnalyse(settings: PipelineSettings) {
  const progress = startProgress("analyse", !json());
  try {
    return await analyseStage(settings, (done, total) => progress.update(done, total, "months"));
  } finally {
    progress.stop();
  }
}

function report(summary: RunSummary): void {
  process.stdout.write(json() ? `${JSON.stringify(summary, null, 2)}\n` : `${summaryText(summary)}\n`);
}

async function serve(settings: PipelineSettings): Promise<void> {
  const { serveStatic } = await import("../../dashboard/scripts/serve.ts");
  const server = await serveStatic(resolve(settings.dashboardDir, "dist"), DEFAULTS.port);
  process.stderr.write(`Dashboard: ${server.url} (Ctrl+C stops)\n`);
}

function integerIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

try {
  await program.parseAsync();
} catch (error) {
  process.stderr.write(`hotspots: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
