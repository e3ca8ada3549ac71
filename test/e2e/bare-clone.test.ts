/**
 * The product needs nothing beside the repository: a copy of its files in a folder with no
 * `../shared` next to it (and SHARED_DIR pointing nowhere) runs the whole pipeline offline on the
 * bundled data, with the boundaries and places it carries in data/geo, builds the dashboard, and
 * prints the patrol briefing with the Chromium that npm installed.
 */
import { readFile, readdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { BriefingSummary } from "../../etl/briefing/write-briefing.ts";
import type { RunSummary } from "../../etl/cli/summary-text.ts";
import { bundledRun } from "../helpers/bundled-run.ts";

let dir: string;
let clone: string;
let dist: string;
let summary: RunSummary;
let briefing: BriefingSummary;

beforeAll(async () => {
  // The copy, its run and its briefing are helpers/bundled-run.ts's, shared with the pipeline test.
  const bundled = await bundledRun();
  ({ dir, clone, dist } = bundled);
  expect(bundled.run.code, `hotspots run failed in a bare copy:\n${bundled.run.stderr}`).toBe(0);
  summary = JSON.parse(bundled.run.stdout) as RunSummary;
  expect(bundled.briefing.code, `hotspots briefing failed in a bare copy:\n${bundled.briefing.stderr}`).toBe(0);
  briefing = JSON.parse(bundled.briefing.stdout) as BriefingSummary;
}, 600_000);

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
    // The site is built in the copy too: Framework's npm modules come from node_modules, not the network.
    expect(summary.publish!.built).toBe(true);
    expect(existsSync(join(dist, "index.html"))).toBe(true);
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
