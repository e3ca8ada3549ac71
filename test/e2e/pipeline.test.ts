/**
 * The product as a new user runs it: `hotspots run --json` on the bundled Šiauliai data with no
 * network at all, in a copy of the repository with nothing beside it (helpers/bundled-run.ts, shared
 * with bare-clone), then the lake queried with DuckDB, the built dashboard scanned for incident-level
 * data and opened in headless Chromium.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DASHBOARD_PAGES, PAGE_DATA_BUDGET_BYTES, type DashboardPage } from "../../dashboard/data-contract.ts";
import { selectMunicipalities } from "../../etl/analytics/study-area.ts";
import { readMunicipalities } from "../../etl/geo/municipalities.ts";
import type { RunSummary } from "../../etl/cli/summary-text.ts";
import { DEFAULTS, SENSITIVE_CATEGORIES } from "../../etl/config.ts";
import { withConnection } from "../../etl/duckdb/connection.ts";
import { sha256File } from "../../etl/lake/atomic-file.ts";
import { lakeLayout } from "../../etl/lake/lake-layout.ts";
import { openWatchedPage, waitForDashboardPage } from "../helpers/browser.ts";
import { eventually } from "../helpers/eventually.ts";
import { bundledRun } from "../helpers/bundled-run.ts";
import { servedInChromium } from "../helpers/served-site.ts";
import { outlineVertexKeys, scanSiteForIncidentData } from "../helpers/privacy-scan.ts";
import { projectRoot, SHARED_BOUNDARIES } from "../helpers/shared.ts";

let lake: string;
let dist: string;
let summary: RunSummary;
let stderr: string;

beforeAll(async () => {
  const bundled = await bundledRun();
  ({ lake, dist } = bundled);
  stderr = bundled.run.stderr;
  expect(bundled.run.code, `hotspots run failed:\n${bundled.run.stderr}`).toBe(0);
  summary = JSON.parse(bundled.run.stdout) as RunSummary;
}, 600_000);

const query = (sql: string, params: Record<string, string> = {}) => withConnection(async (c) => (await c.runAndReadAll(sql, params)).getRowObjectsJS());

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

  it("the published site holds no incident id, no time finer than a month, no raw coordinate, no small cell count and no sensitive category per cell", async () => {
    const incidents = await query(`SELECT id, printf('%.6f,%.6f', lat, lon) AS point FROM read_parquet($glob)`, {
      glob: lakeLayout.glob(lakeLayout.incidentsDir(lake)),
    });
    const [box] = await query(`SELECT min(lon) AS w, min(lat) AS s, max(lon) AS e, max(lat) AS n FROM read_parquet($glob)`, {
      glob: lakeLayout.glob(lakeLayout.incidentsDir(lake)),
    });
    const study = selectMunicipalities(await readMunicipalities(SHARED_BOUNDARIES), DEFAULTS.studyMunicipalities);
    const findings = await scanSiteForIncidentData(dist, {
      ids: incidents.map((r) => String(r.id)),
      points: new Set(incidents.map((r) => String(r.point))),
      bounds: [Number(box!.w) - 0.05, Number(box!.s) - 0.05, Number(box!.e) + 0.05, Number(box!.n) + 0.05],
      outlineVertices: outlineVertexKeys(study),
      threshold: DEFAULTS.suppressionThreshold,
      sensitiveCategories: SENSITIVE_CATEGORIES,
    });
    expect(findings).toEqual([]);
  });

  it("keeps every page's data within the budget", () => {
    const pages = summary.publish!.pages;
    console.log(`dashboard data per page (bytes): ${JSON.stringify(pages)}`);
    expect(Object.keys(pages).sort()).toEqual(Object.keys(DASHBOARD_PAGES).sort());
    for (const bytes of Object.values(pages)) expect(bytes).toBeLessThanOrEqual(PAGE_DATA_BUDGET_BYTES);
  });
});

describe("the dashboard built from the bundled data", () => {
  const site = servedInChromium(() => dist);

  for (const path of Object.keys(DASHBOARD_PAGES) as DashboardPage[]) {
    it(`renders ${path} with no console error and no outside request, within the data budget`, async () => {
      const { page: tab, problems, dataLoads } = await openWatchedPage(site.context, `${site.url}${path.slice(1)}?lang=en`);
      await waitForDashboardPage(tab, path);
      if (path === "/evaluation") await tab.locator(".evaluation-counts svg").first().waitFor();
      await tab.screenshot({ path: join(projectRoot, "test", "artifacts", `bundled-${path === "/" ? "overview" : path.slice(1)}.png`), fullPage: true });
      expect(problems).toEqual({ consoleErrors: [], pageErrors: [], failedRequests: [], foreignRequests: [] });
      expect(await tab.locator(".observablehq--error").count()).toBe(0);
      expect((await dataLoads()).reduce((s, l) => s + l.bytes, 0)).toBeLessThanOrEqual(PAGE_DATA_BUDGET_BYTES);
      if (path === "/hotspots") await eventually(() => tab.locator("#hotspot-map").textContent()).toContain("December 2021");
      if (path === "/patrol") await eventually(() => tab.locator("#patrol-map").textContent()).toContain("January 2022");
      if (path === "/evaluation") {
        await eventually(() => tab.locator("#project-facts h2").textContent()).toBe("We Are");
        const reading = () => tab.locator(".evaluation-reading").textContent();
        await eventually(reading).toContain("Drug possession, all case types: 3 → 8");
        await eventually(reading).toContain("pre-trial investigations: project 2 → 5, lake 2 → 5 — they agree");
      }
      await tab.close();
    }, 60_000);
  }
});
