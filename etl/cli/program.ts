import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULTS, isTimeZone } from "../config.ts";
import { DEFAULT_MAX_QUARANTINED_SHARE, EXIT_QUARANTINED } from "../ingest/ingest-verdict.ts";
import { cliContext } from "./context.ts";
import { register as registerAnalyse } from "./analyse-commands.ts";
import { register as registerBriefing } from "./briefing-command.ts";
import { register as registerCheck } from "./check-command.ts";
import { register as registerDescribe } from "./describe-command.ts";
import { register as registerEvaluate } from "./evaluate-commands.ts";
import { register as registerPipeline } from "./pipeline-commands.ts";
import { attachLakeLock } from "./lake-lock-cli.ts";
import { attachS3Lake } from "../storage/s3-cli.ts";

/** `hotspots`: the command-line interface over the pipeline stages (ingest → analyse → publish → serve); the tests drive it in-process. */
export function hotspotsProgram(): Command {
  const program = new Command("hotspots")
    .description("Crime hot-spot analytics: incident files → validated H3 Parquet lake → monthly Gi* hot spots → offline dashboard.")
    .option("--lake <dir>", "lake folder", DEFAULTS.lakeDir)
    .option("--config <file>", "project configuration (YAML; default: the one the lake records, else data/project.yaml)")
    .addOption(new Option("--resolution <n>", "H3 resolution (0–15; default: the configuration's)").argParser(integerIn(0, 15)))
    .addOption(new Option("--k <n>", "k-ring size of the Gi* neighbourhood (default: the configuration's)").argParser(integerIn(1, 10)))
    .addOption(
      new Option("--timezone <zone>", "time zone of calendar months (default: the configuration's, the lake's, or the first source's)").argParser(timeZone),
    )
    .option("--geo <file>", "boundaries (GeoJSON/TopoJSON, polygons with a name property) of the study-area municipalities")
    .addOption(
      new Option("--municipality <name>", "a study-area municipality (repeat the option for several: --municipality A --municipality B)").argParser(collect),
    )
    .addOption(
      new Option(
        "--max-quarantined-share <share>",
        `ingest and run exit with code ${EXIT_QUARANTINED} when a file has no row ingested or more than this share (0–1) quarantined`,
      )
        .default(DEFAULT_MAX_QUARANTINED_SHARE)
        .argParser(shareIn01),
    )
    .option("--json", "print a machine-readable summary on stdout instead of text", false)
    .showHelpAfterError();

  const cli = cliContext(program);
  registerPipeline(program, cli);
  registerDescribe(program, cli);
  registerAnalyse(program, cli);
  registerEvaluate(program, cli);
  registerBriefing(program, cli);
  registerCheck(program, cli);
  // One command at a time per local lake (before the S3 hook, which points --lake at a local mirror).
  attachLakeLock(program);
  // `--lake s3://bucket/prefix`: mirror the lake locally, run, upload what changed (see etl/storage).
  attachS3Lake(program);
  return program;
}

function shareIn01(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !(n >= 0 && n <= 1)) throw new InvalidArgumentError("expected a share from 0 to 1, e.g. 0.5");
  return n;
}

function timeZone(value: string): string {
  if (!isTimeZone(value)) throw new InvalidArgumentError(`'${value}' is not an IANA time zone; write one such as America/Phoenix or Europe/Vilnius`);
  return value;
}

/** Repeatable, not variadic: `--municipality X analyse` must not take the subcommand as a second name. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function integerIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}
