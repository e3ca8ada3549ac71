/**
 * The product as a new user runs it: `hotspots run --json` on the bundled Šiauliai data with no
 * network at all, then the lake queried with DuckDB, the built dashboard scanned for incident-level
 * data and opened in headless Chromium.
 */
import { readFile, rm, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIST_DIR } from "../../dashboard/scripts/build.ts";
import { serveStatic, type StaticServer } from "../../dashboard/scripts/serve.ts";
import type { RunSummary } from "../../etl/cli/summary-text.ts";
import { withConnection } from "../../etl/duckdb/connection.ts";
import { sha256File } from "../../etl/lake/atomic-file.ts";
import { lakeLayout } from "../../etl/lake/lake-layout.ts";
import { launchBrowser, openWatchedPage, type TestBrowser } from "../helpers/browser.ts";
import { runWithoutNetwork } from "../helpers/offline.ts";
import { scanSiteForIncidentData } from "../helpers/privacy-scan.ts";
import { projectRoot } from "../helpers/shared.ts";

let dir: string;
let lake: string;
let summary: RunSummary;
let stderr: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "e2e-"));
  lake = join(dir, "lake");
  await rm(DIST_DIR, { recursive: true, force: true });
  const run = await runWithoutNetwork(process.execPath, [join(projectRoot, "bin", "hotspots.js"), "--lake", lake, "run", "--json"], projectRoot);
  stderr = run.stderr;
  expect(run.code, `hotspots run failed:\n${run.stderr}`).toBe(0);
  summary = JSON.parse(run.stdout) as RunSummary;
}, 300_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const query = (sql: string, params: Record<string, string> = {}) =>
  withConnection(async (c) => (await c.runAndReadAll(sql, params)).getRowObjectsJS());

describe("hotspots run --json on the bundled data, offline", () => {
  it("accounts for every row and reports months, cells and hot-spot bins", () => {
    expect(stderr).not.toMatch(/error/i);
    expect(summary.ingest).toMatchObject({ rows_read: 36_282, rows_ingested: 36_282, rows_quarantined: 0 });
    expect(summary.analyse).toMatchObject({ months: 84, first_month: "2015-01", last_month: "2021-12", incidents_outside_study_area: 0 });
    expect(summary.analyse!.cells).toBeGreaterThan(3000);
    expect(summary.analyse!.hot_spot_cell_months_by_bin["3"]).toBeGreaterThan(0);
    // FDR control can only remove discoveries.
    expect(summary.analyse!.hot_spot_cell_months_by_bin_fdr["3"]).toBeLessThanOrEqual(summary.analyse!.hot_spot_cell_months_by_bin["3"]!);
    expect(summary.publish!.built).toBe(true);
  });

  it("the lake gives the seed's Kuršėnai drug-possession figures: 2 + 1 in 2018, 5 + 3 in 2019", async () => {
    const rows = await query(
      `SELECT year(occurred_at AT TIME ZONE 'Europe/Vilnius')::INTEGER AS year, case_type, count(*)::INTEGER AS n
         FROM read_parquet($glob, hive_partitioning = true)
        WHERE locality = 'Kuršėnai' AND offence_category = 'drug_possession' AND year IN (2018, 2019)
        GROUP BY ALL ORDER BY ALL`,
      { glob: lakeLayout.glob(lakeLayout.incidentsDir(lake)) },
    );
    expect(rows).toEqual([
      { year: 2018, case_type: "administrative_offence", n: 1 },
      { year: 2018, case_type: "pre_trial_investigation", n: 2 },
      { year: 2019, case_type: "administrative_offence", n: 3 },
      { year: 2019, case_type: "pre_trial_investigation", n: 5 },
    ]);
  });

  it("the manifest's checksums and row counts match the partition files", async () => {
    const manifest = JSON.parse(await readFile(join(lake, "manifest.json"), "utf8"));
    const entries = Object.entries(manifest.tables.incidents) as [string, { rows: number; sha256: string }][];
    expect(entries).toHaveLength(84);
    let rows = 0;
    for (const [key, entry] of entries) {
      expect(await sha256File(join(lake, key))).toBe(entry.sha256);
      rows += entry.rows;
    }
    expect(rows).toBe(36_282);
  });

  it("the published site holds no incident id, no date finer than a month and no incident coordinates", async () => {
    const incidents = await query(`SELECT id, printf('%.6f,%.6f', lat, lon) AS point FROM read_parquet($glob)`, {
      glob: lakeLayout.glob(lakeLayout.incidentsDir(lake)),
    });
    const findings = await scanSiteForIncidentData(DIST_DIR, {
      ids: incidents.map((r) => String(r.id)),
      points: new Set(incidents.map((r) => String(r.point))),
    });
    expect(findings).toEqual([]);
  });
});

describe("the dashboard built from the bundled data", () => {
  let server: StaticServer;
  let browser: TestBrowser;
  beforeAll(async () => {
    server = await serveStatic(DIST_DIR, 0);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [page, ready] of [
    ["", "#monthly-chart svg"],
    ["hotspots", 'g[aria-description="hexagons"] path'],
  ] as const) {
    it(`renders /${page} with no console error and no outside request`, async () => {
      const { page: tab, problems } = await openWatchedPage(browser.context, `${server.url}${page}`);
      await tab.locator(ready).first().waitFor();
      await tab.screenshot({ path: join(projectRoot, "test", "artifacts", `bundled-${page || "overview"}.png`), fullPage: true });
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [], failedRequests: [], foreignRequests: [] });
      expect(await tab.locator(".observablehq--error").count()).toBe(0);
      await tab.close();
    }, 60_000);
  }
});
