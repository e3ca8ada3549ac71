/**
 * The CLI loads only the module of the command it runs (a process otherwise paid ~3 s of CPU for
 * every command's stages before any work), and the whole program wherever help or an error needs it.
 */
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMAND_MODULES, hotspotsProgram } from "../etl/cli/program.ts";

const names = (program: Command) => program.commands.map((c) => c.name()).sort();
const hasS3 = (program: Command) => program.options.some((o) => o.long === "--s3-endpoint");
const ALL = COMMAND_MODULES.flatMap((m) => m.commands).sort();

describe("the command modules", () => {
  it.each(COMMAND_MODULES.map((m) => [m.commands.join(", "), m] as const))("%s: the module registers exactly the commands listed for it", async (_, m) => {
    const program = new Command();
    (await m.load()).register(program, {} as never);
    expect(names(program)).toEqual([...m.commands].sort());
  });

  it("no command is listed twice", () => {
    expect(new Set(ALL).size).toBe(ALL.length);
  });
});

describe("hotspotsProgram(args)", () => {
  it("loads the named command's module only, with the global options before or after it", async () => {
    expect(names(await hotspotsProgram(["--lake", "l", "--json", "ingest", "f.csv"]))).toEqual(["context", "ingest", "publish", "run", "serve"]);
    expect(names(await hotspotsProgram(["check", "--lake", "l", "--repair"]))).toEqual(["check"]);
    expect(names(await hotspotsProgram(["analyse", "--help"]))).toEqual(["analyse", "backtest", "emerging", "forecast"]);
  });

  it("never takes an option's value for the command", async () => {
    expect(names(await hotspotsProgram(["--lake", "check", "--municipality", "ingest", "--wait", "5", "briefing"]))).toEqual(["briefing"]);
  });

  it("loads S3 lake support only for an s3:// lake", async () => {
    expect(hasS3(await hotspotsProgram(["--lake", "l", "check"]))).toBe(false);
    expect(hasS3(await hotspotsProgram(["--lake", "s3://bucket/lake", "check"]))).toBe(true);
  });

  it.each([
    ["no arguments", []],
    ["--help", ["--help"]],
    ["help <command>", ["help", "analyse"]],
    ["a mistyped command", ["--lake", "l", "anlyse"]],
    ["an option only S3 support knows", ["--s3-endpoint", "http://localhost:4568", "check"]],
    ["a bad global option value", ["--timezone", "Mars/Olympus", "check"]],
  ])("loads every command for %s, so help and errors are the whole program's", async (_, args) => {
    const program = await hotspotsProgram(args);
    expect(names(program)).toEqual(ALL);
    expect(hasS3(program)).toBe(true);
  });

  it("a bad global option value is still refused with its message", async () => {
    const program = (await hotspotsProgram(["--timezone", "Mars/Olympus", "check"])).exitOverride().configureOutput({ writeErr: () => {} });
    await expect(program.parseAsync(["--timezone", "Mars/Olympus", "check"], { from: "user" })).rejects.toThrow(
      "--timezone must be an IANA time zone such as America/Phoenix or Europe/Vilnius, not 'Mars/Olympus'",
    );
  });
});
