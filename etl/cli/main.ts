import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULTS } from "../config.ts";
import { DEFAULT_MAX_QUARANTINED_SHARE, EXIT_QUARANTINED } from "../ingest/ingest-verdict.ts";
import { cliContext } from "./context.ts";
import { register as registerAnalyse } from "./analyse-commands.ts";
import { register as registerBriefing } from "./briefing-command.ts";
import { register as registerEvaluate } from "./evaluate-commands.ts";
import { register as registerPipeline } from "./pipeline-commands.ts";
import { attachS3Lake } from "../storage/s3-cli.ts";

/** `hotspots`: the command-line interface over the pipeline stages (ingest → analyse → publish → serve). */
const program = new Command("hotspots")
  .description("Crime hot-spot analytics: incident files → validated H3 Parquet lake → monthly Gi* hot spots → offline dashboard.")
  .option("--lake <dir>", "lake folder", DEFAULTS.lakeDir)
  .addOption(new Option("--resolution <n>", "H3 resolution (0–15)").default(DEFAULTS.h3Resolution).argParser(integerIn(0, 15)))
  .addOption(new Option("--k <n>", "k-ring size of the Gi* neighbourhood").default(DEFAULTS.k).argParser(integerIn(1, 10)))
  .option("--timezone <zone>", "time zone of calendar months", DEFAULTS.timeZone)
  .option("--geo <file>", "municipality boundaries GeoJSON", DEFAULTS.municipalitiesGeoJson)
  .option("--municipality <name...>", "study-area municipalities", [...DEFAULTS.studyMunicipalities])
  .addOption(
    new Option("--max-quarantined-share <share>", `ingest and run exit with code ${EXIT_QUARANTINED} when a file has no row ingested or more than this share (0–1) quarantined`)
      .default(DEFAULT_MAX_QUARANTINED_SHARE)
      .argParser(shareIn01),
  )
  .option("--json", "print a machine-readable summary on stdout instead of text", false)
  .showHelpAfterError();

const cli = cliContext(program);
registerPipeline(program, cli);
registerAnalyse(program, cli);
registerEvaluate(program, cli);
registerBriefing(program, cli);

function shareIn01(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !(n >= 0 && n <= 1)) throw new InvalidArgumentError("expected a share from 0 to 1, e.g. 0.5");
  return n;
}

function integerIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

// `--lake s3://bucket/prefix`: mirror the lake locally, run, upload what changed (see etl/storage).
attachS3Lake(program);

try {
  await program.parseAsync();
} catch (error) {
  process.stderr.write(`hotspots: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
