/**
 * `hotspots run --json`, then `hotspots briefing --json`, on the bundled data as a user with a bare
 * clone runs them: in a copy of the product's files with nothing beside it (no ../shared, SHARED_DIR
 * pointing nowhere) and no network, the dashboard built in the copy. Made once per vitest run
 * (run-cache.ts) and checked by two files: pipeline (the run, its lake and its built site) and
 * bare-clone (that nothing beside the repository was needed, and the briefing).
 */
import { cp, symlink } from "node:fs/promises";
import { join, relative } from "node:path";
import { runWithoutNetwork, type RunResult } from "./offline.ts";
import { sharedFixture } from "./run-cache.ts";
import { projectRoot } from "./shared.ts";

/** What a user's clone holds that the run needs; tests, lake, builds and caches stay behind. */
const PRODUCT = ["bin", "etl", "data", "dashboard", "package.json", "tsconfig.json"];
const LEFT_BEHIND = ["dashboard/dist", "dashboard/src/data", "dashboard/src/.observablehq", "node_modules"];

export interface BundledRun {
  /** The folder holding the copy and its lake, and nothing else. */
  dir: string;
  /** The copy of the product (its node_modules a link to the repository's). */
  clone: string;
  lake: string;
  /** The site the run built, in the copy. */
  dist: string;
  /** `hotspots run --json`: exit code, JSON summary on stdout, progress and warnings on stderr. */
  run: RunResult;
  /** `hotspots briefing --out <dir>/briefing --json`, run after it on the same lake. */
  briefing: RunResult;
}

/** The bundled run of this vitest run, made by the first file that asks for it. */
export function bundledRun(): Promise<BundledRun> {
  return sharedFixture("bundled-run", async (dir) => {
    const clone = join(dir, "project");
    for (const entry of PRODUCT) {
      await cp(join(projectRoot, entry), join(clone, entry), {
        recursive: true,
        filter: (source) => !LEFT_BEHIND.includes(relative(projectRoot, source)),
      });
    }
    await symlink(join(projectRoot, "node_modules"), join(clone, "node_modules"), "dir");
    const lake = join(dir, "lake");
    const hotspots = (...args: string[]) =>
      runWithoutNetwork("env", ["SHARED_DIR=/nonexistent-shared", process.execPath, join(clone, "bin", "hotspots.js"), "--lake", lake, ...args], clone);
    const run = await hotspots("run", "--json");
    const briefing =
      run.code === 0
        ? await hotspots("briefing", "--out", join(dir, "briefing"), "--json")
        : { code: null, stdout: "", stderr: "not run: the run failed", elapsedMs: 0 };
    return { dir, clone, lake, dist: join(clone, "dashboard", "dist"), run, briefing };
  });
}
