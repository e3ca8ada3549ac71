/**
 * A fixture made once per vitest run and shared by the test files that need it, whichever worker
 * they run in: the first file to ask makes it in the run's folder (global-setup.ts) while holding a
 * lock; any other file asking meanwhile waits for it and then reads the same result.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inject } from "vitest";

/**
 * The JSON-serialisable result of `make(dir)`, made in `<run folder>/<name>/` the first time any file
 * of this run asks for `name`. A failed `make` is remembered too, and rethrown to every caller, so no
 * file waits for a fixture that will never come.
 */
export async function sharedFixture<T>(name: string, make: (dir: string) => Promise<T>, timeoutMs = 600_000): Promise<T> {
  const root = inject("runCacheDir");
  const dir = join(root, name);
  const result = join(root, `${name}.json`);
  let mine = false;
  try {
    await mkdir(join(root, `${name}.lock`));
    mine = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  if (mine) {
    let outcome: { ok: true; value: T } | { ok: false; error: string };
    try {
      await mkdir(dir, { recursive: true });
      outcome = { ok: true, value: await make(dir) };
    } catch (error) {
      outcome = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    await writeFile(`${result}.tmp`, JSON.stringify(outcome));
    await rename(`${result}.tmp`, result);
  } else {
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(result)) {
      if (Date.now() > deadline) throw new Error(`sharedFixture: '${name}' was not made within ${timeoutMs / 1000} s by the file that started it`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const outcome = JSON.parse(await readFile(result, "utf8")) as { ok: true; value: T } | { ok: false; error: string };
  if (!outcome.ok) throw new Error(`sharedFixture: making '${name}' failed:\n${outcome.error}`);
  return outcome.value;
}
