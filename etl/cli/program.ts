import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULTS, overrideValue, type OverrideSetting } from "../config.ts";
import { DEFAULT_MAX_QUARANTINED_SHARE, EXIT_QUARANTINED } from "../ingest/ingest-verdict.ts";
import { isS3Url } from "../storage/s3-url.ts";
import { cliContext, FLAG_OVERRIDES, type CliContext } from "./context.ts";
import { attachLakeLock } from "./lake-lock-cli.ts";

/**
 * The command modules by the commands each registers. They are imported only when needed: every
 * module pulls in its stages (DuckDB, the AWS SDK, docx, …), and loading all of them cost each CLI
 * process about 3 s of CPU before any work, however small the command.
 */
export const COMMAND_MODULES: ReadonlyArray<{ commands: readonly string[]; load: () => Promise<{ register: (program: Command, cli: CliContext) => void }> }> = [
  { commands: ["run", "ingest", "context", "publish", "serve"], load: () => import("./pipeline-commands.ts") },
  { commands: ["describe"], load: () => import("./describe-command.ts") },
  { commands: ["analyse", "emerging", "forecast", "backtest"], load: () => import("./analyse-commands.ts") },
  { commands: ["evaluate", "report"], load: () => import("./evaluate-commands.ts") },
  { commands: ["briefing"], load: () => import("./briefing-command.ts") },
  { commands: ["check"], load: () => import("./check-command.ts") },
];

/**
 * `hotspots`: the command-line interface over the pipeline stages (ingest → analyse → publish →
 * serve); the tests drive it in-process. With `args` (the user's arguments), only what running them
 * needs is loaded: the module of the command they name, and the S3 lake support when `--lake` is an
 * `s3://` URL. Without, or when the arguments do not plainly name one command (help, a typo, an
 * unknown option), every command is loaded, so help and errors are exactly the whole program's.
 */
export async function hotspotsProgram(args?: readonly string[]): Promise<Command> {
  const target = args === undefined ? undefined : commandOf(args);
  const program = globalOptions();
  const cli = cliContext(program);
  const modules = COMMAND_MODULES.filter((m) => target === undefined || m.commands.includes(target.command));
  for (const { register } of await Promise.all(modules.map((m) => m.load()))) register(program, cli);
  // One command at a time per local lake (before the S3 hook, which points --lake at a local mirror).
  attachLakeLock(program);
  // `--lake s3://bucket/prefix`: mirror the lake locally, run, upload what changed (see etl/storage).
  if (target === undefined || target.s3) (await import("../storage/s3-cli.ts")).attachS3Lake(program);
  return program;
}

/**
 * The command `args` run and whether their lake is on S3, read with the global options alone (so an
 * option's value is never taken for a command), or undefined when the whole program should answer.
 */
function commandOf(args: readonly string[]): { command: string; s3: boolean } | undefined {
  const probe = globalOptions()
    .allowUnknownOption()
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  attachLakeLock(probe);
  let parsed: { operands: string[]; unknown: string[] };
  try {
    parsed = probe.parseOptions([...args]);
  } catch {
    return undefined; // a bad global option: the whole program words the error
  }
  const command = parsed.operands[0];
  // An unknown option before the command (--help, --s3-endpoint, a typo) leaves operands empty.
  if (command === undefined || !COMMAND_MODULES.some((m) => m.commands.includes(command))) return undefined;
  return { command, s3: isS3Url(String(probe.opts().lake)) };
}

/** The program with its global options and no command. */
function globalOptions(): Command {
  return new Command("hotspots")
    .description("Crime hot-spot analytics: incident files → validated H3 Parquet lake → monthly Gi* hot spots → offline dashboard.")
    .option("--lake <dir>", "lake folder", DEFAULTS.lakeDir)
    .option("--config <file>", "project configuration (YAML; default: the one the lake records, else data/project.yaml)")
    .addOption(new Option("--resolution <n>", "H3 resolution (0–15; default: the configuration's)").argParser(checked("h3_resolution")))
    .addOption(new Option("--k <n>", "k-ring size of the Gi* neighbourhood (default: the configuration's)").argParser(checked("k")))
    .addOption(
      new Option("--timezone <zone>", "time zone of calendar months (default: the configuration's, the lake's, or the first source's)").argParser(
        checked("timezone"),
      ),
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
    .addOption(new Option("--now <time>", "run as of this time (ISO 8601; default: the clock): months not ended by then are not analysed").argParser(instant))
    .option("--json", "print a machine-readable summary on stdout instead of text", false)
    .showHelpAfterError();
}

function instant(value: string): Date {
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(time.getTime())) throw new InvalidArgumentError("expected a time as ISO 8601, e.g. 2024-11-02T04:00:00Z");
  return time;
}

function shareIn01(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !(n >= 0 && n <= 1)) throw new InvalidArgumentError("expected a share from 0 to 1, e.g. 0.5");
  return n;
}

/** Repeatable, not variadic: `--municipality X analyse` must not take the subcommand as a second name. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * A global override checked as soon as it is parsed, by the rule every caller shares (overrideValue),
 * and kept as given: the command's settings apply it to the configuration (applyOverrides).
 */
function checked(setting: OverrideSetting) {
  return (value: string): string => (overrideValue(setting, value, FLAG_OVERRIDES[setting]), value);
}
