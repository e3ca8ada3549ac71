/**
 * The product needs nothing beside the repository: a copy of its files in a folder with no
 * `../shared` next to it (and SHARED_DIR pointing nowhere) runs the whole pipeline offline on the
 * bundled data, with the boundaries and places it carries in data/geo, and prints the patrol
 * briefing with the Chromium that npm installed.
 */
import { cp, mkdtemp, readFile, readdir, rm, symlink } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BriefingSummary } from "../../etl/briefing/write-briefing.ts";
import type { RunSummary } from "../../etl/cli/summary-text.ts";
import { runWithoutNetwork } from "../helpers/offline.ts";
import { projectRoot } from "../helpers/shared.ts";

/** What a user's clone holds that the run needs; tests, lake, builds and caches stay behind. */
const PRODUCT = ["bin", "etl", "data", "dashboard", "package.json", "tsconfig.json"];
const LEFT_BEHIND = ["dashboard/dist", "dashboard/src/data", "dashboard/src/.observablehq", "node_modules"];

let dir: string;
let clone: string;
let summary: RunSummary;
let briefing: BriefingSummary;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bare-clone-"));
  clone = join(dir, "project");
  for (const entry of PRODUCT) {
    await cp(join(projectRoot, entry), join(clone, entry), {
      recursive: true,
      filter: (source) => !LEFT_BEHIND.includes(relative(projectRoot, source)),
    });
  }
  await symlink(join(projectRoot, "node_modules"), join(clone, "node_modules"), "dir");
  const run = await runWithoutNetwork(
    "env",
    ["SHARED_DIR=/nonexistent-shared", process.execPath, join(clone, "bin", "hotspots.js"), "--lake", join(dir, "lake"), "run", "--no-build", "--json"],
    clone,
  );
  expect(run.code, `hotspots run failed in a bare copy:\n${run.stderr}`).toBe(0);
  summary = JSON.parse(run.stdout) as RunSummary;
  const printed = await runWithoutNetwork(
    "env",
    [
      "SHARED_DIR=/nonexistent-shared",
      process.execPath,
      join(clone, "bin", "hotspots.js"),
      "--lake",
      join(dir, "lake"),
      "briefing",
      "--out",
      join(dir, "briefing"),
      "--json",
    ],
    clone,
  );
  expect(printed.code, `hotspots briefing failed in a bare copy:\n${printed.stderr}`).toBe(0);
  briefing = JSON.parse(printed.stdout) as BriefingSummary;
}, 400_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("a copy of the repository with nothing beside it", () => {
  it("has no ../shared to read from", async () => {
    expect(await readdir(dir)).not.toContain("shared");
    expect(existsSync(join(clone, "..", "shared"))).toBe(false);
  });

  it("runs every stage on the bundled data and writes the dashboard data", () => {
    expect(summary.ingest).toMatchObject({ rows_read: 36_282, rows_ingested: 36_282, rows_quarantined: 0 });
    // The study area comes from the product's own boundary file: Šiauliai city and district.
    expect(summary.analyse).toMatchObject({ months: 84, incidents_outside_study_area: 0 });
    expect(summary.analyse!.cells).toBeGreaterThan(3000);
    expect(summary.publish!.built).toBe(false);
    expect(summary.publish!.hot_spot_rows).toBeGreaterThan(0);
    expect(Object.keys(summary.publish!.files).length).toBeGreaterThan(5);
  });

  it("prints the next month's patrol briefing in Lithuanian and English, with areas named by places", async () => {
    expect(briefing.month).toBe("2022-01");
    expect(briefing.areas).toBeGreaterThan(0);
    expect(briefing.files.map((f) => f.slice(f.lastIndexOf("/") + 1)).sort()).toEqual([
      "briefing-2022-01.en.html",
      "briefing-2022-01.en.pdf",
      "briefing-2022-01.lt.html",
      "briefing-2022-01.lt.pdf",
    ]);
    for (const pdf of briefing.files.filter((f) => f.endsWith(".pdf"))) expect((await readFile(pdf)).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const html = await readFile(
      briefing.files.find((f) => f.endsWith(".lt.html"))!,
      "utf8",
    );
    expect(html).toContain('<html lang="lt">');
    // Šiauliai's neighbourhoods and Kuršėnai name the areas (the bundled data's densest places).
    expect(html).toMatch(/, Šiauliai<\/th>/);
    expect(html).toContain("Kuršėnai");
  });
});
