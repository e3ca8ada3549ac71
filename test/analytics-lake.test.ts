import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backtestStage } from "../etl/analytics/backtest-lake.ts";
import { DEFAULT_EMERGING_OPTIONS } from "../etl/analytics/emerging-hot-spots.ts";
import { emergingStage } from "../etl/analytics/emerging-lake.ts";
import { forecastCandidates } from "../etl/analytics/forecast-candidates.ts";
import { forecastStage } from "../etl/analytics/forecast-lake.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { analyticsTables } from "../etl/lake/analytics-tables.ts";
import { lakeLayout } from "../etl/lake/lake-layout.ts";
import { tablePath } from "../etl/lake/table-paths.ts";
import { TABLES } from "../etl/lake/tables.ts";
import { defaultSettings, type PipelineSettings } from "../etl/settings.ts";
import { SHARED_BOUNDARIES } from "./helpers/shared.ts";

// A small lake: 14 months (2019-01 … 2020-02) with 5 thefts a month in one central Šiauliai cell,
// one burglary a month wandering around the city, and — from 2019-12 on — 4 burglaries a month in a
// second cell (a new, consecutive hot spot).
let dir: string;
let settings: PipelineSettings;
const HOT = latLngToCell(55.9349, 23.3137, 8);
const NEW = latLngToCell(55.9105, 23.262, 8);
const months = Array.from({ length: 14 }, (_, i) => `${2019 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "analytics-lake-"));
  settings = defaultSettings({
    lakeDir: join(dir, "lake"),
    municipalitiesGeoJson: SHARED_BOUNDARIES,
    studyMunicipalities: ["Šiaulių m. sav."],
  });
  // The analytics read only the aggregate cell_counts (month, offence_category, h3_cell, incidents), so it is
  // written directly (independent of the ingest stage), one partition file per month.
  await withConnection(async (c) => {
    for (const [t, month] of months.entries()) {
      const rows: string[] = [];
      const add = (category: string, lat: number, lon: number) => rows.push(`('${category}', '${latLngToCell(lat, lon, 8)}')`);
      for (let i = 0; i < 5; i++) add("theft", 55.9349, 23.3137);
      add("burglary", 55.92 + 0.003 * t, 23.28 + 0.004 * t);
      if (month >= "2019-12") for (let i = 0; i < 4; i++) add("burglary", 55.9105, 23.262);
      const path = tablePath(settings.lakeDir, TABLES.cell_counts, { partition: month, name: "test" });
      await mkdir(dirname(path), { recursive: true });
      await c.run(
        `COPY (SELECT h3_cell, offence_category, count(*)::INTEGER AS incidents FROM (VALUES ${rows.join(", ")}) AS t(offence_category, h3_cell) GROUP BY ALL) TO '${path}' (FORMAT parquet)`,
      );
    }
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const query = (sql: string, params: Record<string, string> = {}) => withConnection(async (c) => (await c.runAndReadAll(sql, params)).getRowObjectsJS());
const manifest = async () => JSON.parse(await readFile(join(settings.lakeDir, "manifest.json"), "utf8"));

describe("analytics lake tables", () => {
  it("emerging: the steady theft cell is a persistent hot spot, the new burglary cell a consecutive one", async () => {
    // The normal approximation: these lone cells with nothing around them, in cubes of almost no other
    // incident, are no cluster under the default conditional randomisation (its own count stays, and a
    // ring holding the previous month's count is what bins drawn from the cube's few others often
    // hold; see etl/analytics/README.md). test/emerging-null.test.ts covers the default.
    const options = { ...DEFAULT_EMERGING_OPTIONS, inference: { method: "normal" as const } };
    const thefts = await emergingStage(settings, { category: "theft" }, options);
    expect(thefts.months).toBe(14);
    const burglary = await emergingStage(settings, { category: "burglary" }, options);
    const rows = await query(
      `SELECT offence_category, h3_cell, emerging_category, hot_months, k, fdr, min_bin FROM read_parquet($glob, hive_partitioning = true) WHERE h3_cell IN ($hot, $new)`,
      {
        glob: lakeLayout.glob(analyticsTables.emergingDir(settings.lakeDir)),
        hot: HOT,
        new: NEW,
      },
    );
    const find = (category: string, cell: string) => rows.find((r) => r.offence_category === category && r.h3_cell === cell);
    expect(find("theft", HOT)).toMatchObject({ emerging_category: "persistent_hot_spot", hot_months: 14, k: 1, fdr: true, min_bin: 2 });
    expect(find("burglary", NEW)).toMatchObject({ emerging_category: "consecutive_hot_spot", hot_months: 3 });
    expect(burglary.hot_cells.map((c) => c.h3_cell)).toContain(NEW);
    const m = await manifest();
    expect(Object.keys(m.tables.emerging)).toEqual(["emerging/month=2020-02/burglary.parquet", "emerging/month=2020-02/theft.parquet"]);
    expect(m.parameters["emerging/theft"]).toMatchObject({ h3_resolution: 8, k: 1, fdr: true, time_window: 1, first_month: "2019-01", last_month: "2020-02" });
  });

  it("forecast: the steady cell ranks first; the month is scored when the lake holds it", async () => {
    const f = await forecastStage(settings, { month: "2020-02", category: "theft", methods: ["ewma-ring", "last-month"], selection: { top: 3 } });
    expect(f.history).toEqual({ from: "2019-01", to: "2020-01" });
    for (const m of f.methods) {
      expect(m.cells[0]!.h3_cell).toBe(HOT);
      expect(m.accuracy!.hitRate).toBe(1);
    }
    const rows = await query(`SELECT method, count(*)::INTEGER AS n, min(rank)::INTEGER AS first FROM read_parquet($file) GROUP BY method ORDER BY method`, {
      file: f.file,
    });
    expect(rows).toEqual([
      { method: "ewma-ring", n: 3, first: 1 },
      { method: "last-month", n: 3, first: 1 },
    ]);
    // A month after the data: a plan without a score.
    const next = await forecastStage(settings, { month: "2020-03", methods: ["gi-star-mean"], selection: { areaShare: 0.05 } });
    expect(next.methods[0]!.accuracy).toBeUndefined();
    expect(next.methods[0]!.cells.reduce((s, c) => s + c.area_km2, 0)).toBeGreaterThan(0);
  });

  it("backtest: per-month rows whose SQL means equal the summary, with parameters recorded", async () => {
    const b = await backtestStage(settings, { category: "theft" }, { minHistory: 3 });
    const sql = await query(
      `SELECT method, area_target, count(*)::INTEGER AS folds, avg(pai) AS pai, avg(pei_star) AS pei, avg(hit_rate) AS hit_rate
         FROM read_parquet($file) GROUP BY method, area_target ORDER BY method, area_target`,
      { file: b.file! },
    );
    expect(sql).toHaveLength((forecastCandidates().length + 1) * 3); // every candidate and "selected", at three shares
    for (const s of b.summary) {
      const row = sql.find((r) => r.method === s.method && r.area_target === s.areaTarget)!;
      expect(row.folds).toBe(11);
      expect(row.pai as number).toBeCloseTo(s.meanPai, 9);
      expect(row.pei as number).toBeCloseTo(s.meanPei, 9);
      expect(s.meanHitRate).toBe(1); // all thefts are in one cell, which every method ranks first
    }
    expect((await manifest()).parameters["backtests/theft"]).toMatchObject({ min_history_months: 3, k: 1, window_months: 12, half_life_months: 3 });
  });

  it("a study area from the hull of the incidents, for data without municipalities", async () => {
    const e = await emergingStage(settings, { category: "theft", hullRing: 1 });
    expect(e.parameters.study_area).toMatch(/hull/);
    expect(e.accounting.incidents_outside_study_area).toBe(0);
    expect(e.cells).toBeLessThan(132); // the city has 132 cells; the data cover a part of it
  });

  it("an unknown category is an error naming the known ones", async () => {
    await expect(backtestStage(settings, { category: "arson" })).rejects.toThrow(/known: burglary, theft/);
  });
});

describe("analyticsStage (for the pipeline's run)", () => {
  it("writes emerging, next-month forecast and backtest tables for all offences", async () => {
    const { analyticsStage } = await import("../etl/analytics/analytics-stage.ts");
    const s = await analyticsStage(settings, undefined, undefined, { full: true });
    if ("unchanged" in s.backtest || !s.forecast || "unchanged" in s.forecast) throw new Error("full: every output is recomputed, none kept");
    expect(s.emerging.last_month).toBe("2020-02");
    expect(s.forecast.month).toBe("2020-03");
    expect(s.backtest.summary).toHaveLength((forecastCandidates().length + 1) * 3);
    expect(s.forecast.methods.map((x) => x.method)).toEqual(["selected", "last-month", "last-12-months"]);
    const m = await manifest();
    expect(Object.keys(m.tables.forecasts)).toContain("forecasts/month=2020-03/all.parquet");
  });
});
