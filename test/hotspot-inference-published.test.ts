/**
 * The hot-spot page says how each month's p-values were obtained: hotspots.json counts, per month, the
 * published category-months tested by each method — the lake's for each category, the publish's own Gi*
 * for "all" — so that a lake analysed with `--inference normal`, or tested by Monte Carlo, is not
 * described as tested exactly by conditional randomisation.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HotspotTable } from "../dashboard/data-contract.ts";
import { ALL_CATEGORIES } from "../etl/analytics/analyse-lake.ts";
import type { HotSpotInference } from "../etl/analytics/gi-star-permutation.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { lakeLayout } from "../etl/lake/lake-layout.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { analyseStage } from "../etl/pipeline.ts";
import { hotspotTable, lakeInference } from "../etl/publish/hotspot-table.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";
import type { PipelineSettings } from "../etl/settings.ts";
import { ingestText, testLakeSettings } from "./helpers/test-lake.ts";

const CITY = "Šiaulių m. sav.";
const MONTHS = ["2019-01", "2019-02", "2019-03", "2019-04"];

/** Thefts clustered around the centre and scattered elsewhere, a few burglaries, and domestic violence (sensitive). */
function incidentsCsv(): string {
  const lines = ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source"];
  let n = 0;
  const add = (month: string, category: string, lat: number, lon: number) =>
    lines.push(
      `T-${++n},${month}-${String((n % 27) + 1).padStart(2, "0")}T${String(n % 24).padStart(2, "0")}:${String(n % 60).padStart(2, "0")}:00+02:00,X 1,${category},pre_trial_investigation,${lat.toFixed(6)},${lon.toFixed(6)},${CITY},Šiauliai,test`,
    );
  for (const [t, month] of MONTHS.entries()) {
    for (let i = 0; i < 30; i++) add(month, "theft", 55.9349 + (i % 5) * 0.003, 23.3137 + (i % 4) * 0.004);
    // Thefts in 54 places of the city, enough for the normal approximation to be used: over 2,500 of them stored
    // in the 3,066 cells of the city and district municipalities, x̄·W ≥ 5 in a 7-cell ring.
    for (let i = 0; i < 3600; i++) add(month, "theft", 55.905 + (i % 6) * 0.012, 23.26 + ((i * 7) % 9) * 0.013);
    for (let i = 0; i < 6 + t; i++) add(month, "burglary", 55.92 + (i % 3) * 0.01, 23.29 + (i % 4) * 0.012);
    for (let i = 0; i < 7; i++) add(month, "domestic_violence", 55.95 + (i % 2) * 0.004, 23.33);
  }
  return lines.join("\n") + "\n";
}

let dir: string;
let settings: PipelineSettings;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hotspot-inference-"));
  settings = testLakeSettings(dir);
  await ingestText(settings, join(dir, "incidents-test.csv"), incidentsCsv());
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The lake analysed with `inference`, and what publish makes of it. */
async function publishedWith(inference: HotSpotInference | undefined): Promise<HotspotTable> {
  await analyseStage(settings, undefined, { full: true, ...(inference ? { inference } : {}) });
  const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
  return withConnection((c) =>
    hotspotTable(c, settings.lakeDir, releaseRules(settings), settings.k, lakeInference(manifest.parameters?.hot_spots as Record<string, unknown>)),
  );
}

/** The lake's tested category-months per month by method, the published categories only ("all" is the publish's own). */
async function lakeMethods(): Promise<Map<string, string[]>> {
  const sensitive = [...releaseRules(settings).sensitive];
  const rows = await withConnection(async (c) =>
    (
      await c.runAndReadAll(
        `SELECT month, category, any_value(inference) AS inference FROM read_parquet($glob, hive_partitioning = true)
          WHERE status = 'tested' AND category <> '${ALL_CATEGORIES}' AND NOT list_contains(${JSON.stringify(sensitive).replaceAll('"', "'")}, category)
          GROUP BY ALL ORDER BY ALL`,
        { glob: lakeLayout.glob(lakeLayout.hotspotsDir(settings.lakeDir)) },
      )
    ).getRowObjectsJS(),
  );
  const byMonth = new Map<string, string[]>();
  for (const r of rows) byMonth.set(String(r.month), [...(byMonth.get(String(r.month)) ?? []), String(r.inference)]);
  return byMonth;
}

const tally = (methods: readonly string[]) => ({
  exact: methods.filter((m) => m === "exact").length,
  monte_carlo: methods.filter((m) => m === "monte-carlo").length,
  normal: methods.filter((m) => m === "normal").length,
});

describe("the published inference of each month", () => {
  it("is the normal approximation for a lake analysed with --inference normal, and names no permutations", async () => {
    const table = await publishedWith({ method: "normal" });
    const lake = await lakeMethods();
    expect(table.permutations).toBeNull();
    expect(table.inference!.length).toBeGreaterThan(0);
    for (const m of table.inference!) {
      expect(m).toMatchObject({ exact: 0, monte_carlo: 0 });
      // The lake's tested categories, and "all" where it was tested.
      const all = table.untested.some((u) => u.month === m.month && u.category === ALL_CATEGORIES) ? 0 : 1;
      expect(m.normal).toBe((lake.get(m.month) ?? []).length + all);
    }
  }, 120_000);

  it("counts the Monte Carlo tests with their replicates where the exact distribution was over budget", async () => {
    const table = await publishedWith({ method: "permutation", permutations: 199, seed: 7, exactBudget: 0 });
    const lake = await lakeMethods();
    expect(table.permutations).toBe(199);
    expect(table.inference!.length).toBeGreaterThan(0);
    for (const m of table.inference!) {
      expect(m).toMatchObject({ exact: 0, normal: 0 });
      const all = table.untested.some((u) => u.month === m.month && u.category === ALL_CATEGORIES) ? 0 : 1;
      expect(m.monte_carlo).toBe((lake.get(m.month) ?? []).length + all);
    }
  }, 120_000);

  it("counts each category's method as the lake recorded it under the default inference", async () => {
    const table = await publishedWith(undefined);
    const lake = await lakeMethods();
    const tested = [...lake.keys()];
    expect(tested.length).toBeGreaterThan(0);
    expect(table.permutations).toBe(9999);
    for (const month of tested) {
      const published = table.inference!.find((m) => m.month === month)!;
      const own = tally(lake.get(month)!);
      // "all" adds one test of either permutation method to the lake's categories.
      expect(published.normal).toBe(0);
      expect(published.exact + published.monte_carlo).toBe(own.exact + own.monte_carlo + 1);
      expect(published.exact).toBeGreaterThanOrEqual(own.exact);
      expect(published.monte_carlo).toBeGreaterThanOrEqual(own.monte_carlo);
    }
  }, 120_000);

  it("publishes an empty table, not an error, when every category is sensitive", async () => {
    // The release then reads no category-month; DuckDB cannot type the empty lists a query for their rows would take.
    await analyseStage(settings, undefined, { full: true });
    const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
    const sensitive = { ...settings, sensitiveCategories: ["theft", "burglary", "domestic_violence"] };
    const table = await withConnection((c) =>
      hotspotTable(c, settings.lakeDir, releaseRules(sensitive), settings.k, lakeInference(manifest.parameters?.hot_spots as Record<string, unknown>)),
    );
    // "all" is over the non-sensitive categories: none, so nothing is published, and the page says which were left out.
    expect(table.all_excludes).toEqual(["burglary", "domestic_violence", "theft"]);
    expect(table).toMatchObject({ categories: [], cells: [], groups: [], untested: [] });
  }, 120_000);
});
