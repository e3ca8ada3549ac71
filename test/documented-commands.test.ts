/**
 * Every `npx hotspots …` line in the user documentation names a command and options the program has:
 * a renamed option would otherwise leave the README advising one that fails on the user's first try.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { hotspotsProgram } from "../etl/cli/program.ts";
import { projectRoot } from "./helpers/shared.ts";

const DOCUMENTS = ["README.md", "data/sources/README.md", "etl/analytics/README.md", "etl/publish/README.md"];

/** The `npx hotspots` command lines of a Markdown text, comments and line continuations dropped. */
function commandLines(text: string): string[] {
  return [...text.matchAll(/npx hotspots ([^\n`]*)/g)].map((m) => m[1]!.replace(/#.*$/, "").trim()).filter((line) => line !== "");
}

const flags = (command: Command) => command.options.flatMap((o) => [o.long, o.short, o.negate ? o.long : undefined]).filter(Boolean) as string[];

describe("the documented command lines", async () => {
  const program = await hotspotsProgram();
  const global = flags(program).concat(["--s3-endpoint"]);
  const lines = DOCUMENTS.flatMap((file) => commandLines(readFileSync(join(projectRoot, file), "utf8")).map((line) => ({ file, line })));

  it("are found in the documents", () => {
    expect(lines.length).toBeGreaterThan(20);
  });

  // "<command> --help" stands for any command.
  it.each(lines.filter(({ line }) => !line.startsWith("<command>")))("$file: hotspots $line", ({ line }) => {
    // Optional parts ([--month 2022-01]) are checked too; `…` stands for values.
    const tokens = line
      .replace(/[[\]]/g, " ")
      .split(/\s+/)
      .filter((t) => t !== "" && t !== "…");
    const name = tokens.find((t, i) => !t.startsWith("-") && (i === 0 || !takesValue(program, tokens[i - 1]!)));
    const command = program.commands.find((c) => c.name() === name);
    expect(command, `no command '${name}' in "${line}"`).toBeDefined();
    const known = new Set([...global, ...flags(command!), "--help"]);
    for (const token of tokens.filter((t) => t.startsWith("--"))) expect(known, `"${line}"`).toContain(token.split("=")[0]);
  });
});

/** Whether a global option takes a value (so the token after it is that value, not the command). */
function takesValue(program: Command, token: string): boolean {
  const option = program.options.find((o) => o.long === token);
  return option !== undefined && (option.required || option.optional);
}
