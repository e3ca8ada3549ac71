/**
 * The `hotspots` CLI as the lake tests drive it: in its own process (what a kill or a second command
 * needs), or in this one (fast; what checks after a kill need). Shared by the lock, crash and kill suites.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { hotspotsProgram } from "../../etl/cli/program.ts";
import { projectRoot } from "./shared.ts";

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `bin/hotspots.js args` in a child process with `env` added; resolves when it ends, however it ends. */
export function hotspotsProcess(args: string[], env: Record<string, string> = {}): Promise<CliExit> {
  const child = spawn(process.execPath, [join(projectRoot, "bin", "hotspots.js"), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/**
 * Runs the CLI in this process with stdout captured; resolves with what it printed and the exit code
 * it set (undefined: 0), or rejects with its error. One at a time: it swaps process.stdout.write.
 */
export async function hotspotsInProcess(args: string[]): Promise<{ stdout: string; exitCode: number | undefined }> {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  let exitCode: number | undefined;
  try {
    process.exitCode = undefined;
    await (await hotspotsProgram(args)).exitOverride().parseAsync(args, { from: "user" });
    exitCode = process.exitCode === undefined ? undefined : Number(process.exitCode);
  } finally {
    process.stdout.write = write;
    process.exitCode = undefined;
  }
  return { stdout: out.join(""), exitCode };
}
