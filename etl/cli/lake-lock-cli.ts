import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { recoverLake } from "../lake/lake-commit.ts";
import { acquireLakeLock, type LakeLock } from "../lake/lake-lock.ts";
import { isS3Url } from "../storage/s3-url.ts";

/** Commands that never open the lake. */
const WITHOUT_LAKE = new Set(["describe", "serve", "help"]);
/** Commands that only read it: on a lake folder that does not exist there is nothing to hold. */
const READ_ONLY = new Set(["check", "briefing"]);
/** Commands that look at an interrupted commit rather than complete it. */
const NO_RECOVERY = new Set(["check"]);

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
    if (!NO_RECOVERY.has(action.name())) await recoverLake(lakeDir);
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
