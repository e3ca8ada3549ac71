/**
 * Runs a command in a new network namespace (`unshare -n`): only a loopback interface that is down,
 * so any attempt to reach another host fails at once. That is how a closed police network looks to
 * the dashboard build. Needs root (or unprivileged user namespaces).
 */
import { spawn } from "node:child_process";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time in milliseconds. */
  elapsedMs: number;
}

/** Runs `command args` under `unshare -n` in `cwd`; resolves with its exit code and output. */
export function runWithoutNetwork(command: string, args: string[], cwd: string, timeoutMs = 300_000): Promise<RunResult> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn("unshare", ["-n", command, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, elapsedMs: performance.now() - start });
    });
  });
}
