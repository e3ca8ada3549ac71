import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { missingListedFiles } from "../lake/check-lake.ts";
import { recoverLake } from "../lake/lake-commit.ts";
import { acquireLakeLock, type LakeLock } from "../lake/lake-lock.ts";
import { isS3Url } from "../storage/s3-url.ts";

/** Commands that never open the lake. */
const WITHOUT_LAKE = new Set(["describe", "serve", "help"]);
/** Commands that only read it: on a lake folder that does not exist there is nothing to hold. */
const READ_ONLY = new Set(["check", "briefing"]);
/** Commands that look at an interrupted commit, or a damaged lake, rather than complete or refuse it. */
const NO_RECOVERY = new Set(["check"]);
/** Commands that can put a missing file back (by ingesting its source again): warned, not stopped. */
const REBUILDERS = new Set(["ingest", "run"]);

/**
 * One command at a time per local lake: every command that opens the lake holds its exclusive lock
 * (etl/lake/lake-lock.ts) from before its action until it ends, however it ends. Readers hold it
 * too: the simpler sound design (one lock, no shared mode), since a reader holding it never meets
 * a file an ingest is replacing (issue 21: `analyse` failed with ENOENT), and commands on one lake
 * are minutes apart in practice. Adds `--wait <seconds>` (default 0: "lake busy" at once). An
 * `s3://` lake is left to its lease and conditional manifest write (etl/storage): call this before
 * attachS3Lake, so the hook still sees the URL and not the local mirror.
 */
export function attachLakeLock(program: Command): void {
  program.addOption(
    new Option("--wait <seconds>", "when another command holds the lake, wait up to this long for it to finish (default: stop at once with 'lake busy')")
      .default(0)
      .argParser(seconds),
  );
  let held: LakeLock | undefined;
  const release = async () => {
    const lock = held;
    held = undefined;
    await lock?.release();
  };
  program.hook("preAction", async (_root, action) => {
    const lake = String(program.opts().lake);
    if (WITHOUT_LAKE.has(action.name()) || isS3Url(lake)) return;
    const lakeDir = resolve(lake);
    if (READ_ONLY.has(action.name()) && !existsSync(lakeDir)) return;
    held = await acquireLakeLock(lakeDir, { command: commandLine(action), waitSeconds: program.opts().wait as number });
    // Readers see whole commits: a commit a killed command left half-done is rolled forward before
    // anything reads (its renamed files would otherwise show under the old manifest). `check`
    // reports the half-done commit instead (its --repair completes it).
    if (NO_RECOVERY.has(action.name())) return;
    await recoverLake(lakeDir);
    // A file the manifest lists but the folder lacks would be read as no rows, or not read at all
    // (the analytics read the aggregates, not the incidents): issue 21, a partition deleted by hand
    // went unnoticed by ingest and analyse.
    const missing = await missingListedFiles(lakeDir);
    if (missing.length > 0) {
      const message = missingText(lakeDir, missing);
      if (!REBUILDERS.has(action.name())) throw new Error(message);
      process.stderr.write(`warning: ${message}\n`);
    }
  });
  program.hook("postAction", release);
  // postAction is skipped when the action throws: let go on that path too.
  const parseAsync = program.parseAsync.bind(program);
  program.parseAsync = async (...args: Parameters<Command["parseAsync"]>) => {
    try {
      return await parseAsync(...args);
    } finally {
      await release();
    }
  };
}

function missingText(lakeDir: string, missing: readonly string[]): string {
  const shown = missing.slice(0, 5).join(", ") + (missing.length > 5 ? ` and ${missing.length - 5} more` : "");
  return (
    `the lake at ${lakeDir} lacks ${missing.length} file(s) its manifest lists (${shown}): ingest their source files again, ` +
    "or restore them from a backup; `hotspots check` lists every damaged file"
  );
}

/** `hotspots evaluate report`, for the "lake busy" message. */
function commandLine(action: Command): string {
  const names: string[] = [];
  for (let c: Command | null = action; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError("expected a number of seconds, 0 or more, e.g. 600");
  return n;
}
