/**
 * The dashboard built with no network from the sample data (sample-dashboard-data.ts), as the
 * dashboard-build and site-usability tests open it. It is built once per vitest run (run-cache.ts), in
 * a copy of the dashboard folder outside the repository: the build is the same (the folder holds the
 * pages, the Framework config and the build script; node_modules is linked), and it races neither
 * the tests that build in dashboard/ itself nor the unit tests that write dashboard/src/data.
 */
import { cp, symlink } from "node:fs/promises";
import { join, relative } from "node:path";
import { runWithoutNetwork, type RunResult } from "./offline.ts";
import { sharedFixture } from "./run-cache.ts";
import { writeSampleDashboardData } from "./sample-dashboard-data.ts";
import { projectRoot } from "./shared.ts";

/** What the build writes or caches inside dashboard/: never copied, so the copy starts as a clone would. */
const LEFT_BEHIND = ["dashboard/dist", "dashboard/src/data", "dashboard/src/.observablehq"];

export interface SampleSite {
  /** The built site (the copy's dashboard/dist). */
  dist: string;
  /** The offline build's exit code, output and wall time. */
  build: RunResult;
}

/** The sample-data site of this vitest run, built by the first file that asks for it. */
export function sampleSite(): Promise<SampleSite> {
  return sharedFixture("sample-site", async (dir) => {
    const project = join(dir, "project");
    await cp(join(projectRoot, "dashboard"), join(project, "dashboard"), {
      recursive: true,
      filter: (source) => !LEFT_BEHIND.includes(relative(projectRoot, source)),
    });
    // package.json says the config and scripts are ES modules; node_modules holds Framework, tsx and esbuild.
    for (const file of ["package.json", "tsconfig.json"]) await cp(join(projectRoot, file), join(project, file));
    await symlink(join(projectRoot, "node_modules"), join(project, "node_modules"), "dir");
    await writeSampleDashboardData(join(project, "dashboard", "src", "data"));
    const build = await runWithoutNetwork(process.execPath, ["--import", "tsx", join(project, "dashboard", "scripts", "build.ts")], project);
    return { dist: join(project, "dashboard", "dist"), build };
  });
}
