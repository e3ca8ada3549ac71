/**
 * The publish step on a small lake built by the real stages (ingest with quarantine, context,
 * analyse, emerging/forecast/backtest): every data file of the contract, small counts suppressed at a
 * configurable threshold, sensitive categories never per cell (not even by difference through "all"),
 * the We Are evaluation read from the lake's evaluation tables, data quality by reason, and nothing incident-level.
 */
import { forecastCandidates } from "../etl/analytics/forecast-candidates.ts";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import { cellToLatLng, gridDisk, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SITE_BRIEFING_FILES } from "../etl/briefing/site-briefing.ts";
import {
  DASHBOARD_DATA_FILES,
  PAGE_DATA,
  type DashboardMeta,
  type DataQuality,
  type EmergingData,
  type EvaluationData,
  type HexagonCollection,
  type HotspotTable,
  type MonthlyCount,
  type PatrolCategoryPlan,
  type PatrolData,
} from "../dashboard/data-contract.ts";
import { analyticsStage } from "../etl/analytics/analytics-stage.ts";
import { emergingStage } from "../etl/analytics/emerging-lake.ts";
import { forecastStage } from "../etl/analytics/forecast-lake.ts";
import { selectMunicipalities } from "../etl/analytics/study-area.ts";
import { readMunicipalities } from "../etl/geo/municipalities.ts";
import { DEFAULT_CONFIG_FILE, SENSITIVE_CATEGORIES } from "../etl/config.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { lakeLayout } from "../etl/lake/lake-layout.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { analyseStage, contextStage } from "../etl/pipeline.ts";
import { defaultSettings, recordedConfig, type PipelineSettings } from "../etl/settings.ts";
import { publishDashboardData, publishedTitle, type PublishOptions, type PublishSummary } from "../etl/publish/dashboard-data.ts";
import { boundsOf } from "../etl/publish/data-quality.ts";
import type { QualityReport } from "../etl/ingest/quality-report.ts";
import { evaluateStage } from "../etl/evaluation/lake/evaluate-stage.ts";
import { poissonInterval } from "../etl/evaluation/statistics/poisson-interval.ts";
import { outlineVertexKeys, scanSiteForIncidentData } from "./helpers/privacy-scan.ts";
import { ingestText, testLakeSettings } from "./helpers/test-lake.ts";
import { analyticsTables } from "../etl/lake/analytics-tables.ts";
import { releasedBacktestFolds, type BacktestCounts } from "../etl/publish/release-rules.ts";

const CITY = "Šiaulių m. sav.";
const DISTRICT = "Šiaulių r. sav.";
const PLACES = {
  centre: { lat: 55.9349, lon: 23.3137, municipality: CITY, locality: "Šiauliai" },
  north: { lat: 55.9505, lon: 23.3301, municipality: CITY, locality: "Šiauliai" },
  kursenai: { lat: 56.0046, lon: 22.9373, municipality: DISTRICT, locality: "Kuršėnai" },
  kairiai: { lat: 55.9226, lon: 23.425, municipality: DISTRICT, locality: "Kairiai" },
};
const DV_CELL = latLngToCell(PLACES.north.lat, PLACES.north.lon, 8);
const months = Array.from({ length: 24 }, (_, i) => `${2018 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`);

let dir: string;
let settings: PipelineSettings;
let outlines: Awaited<ReturnType<typeof readMunicipalities>>;

/** 24 months: thefts in the centre (8 a month), domestic violence north of it (6 a month), a few burglaries, the seed's Kuršėnai drug cases, and 4 bad rows. */
function incidentsCsv(): string {
  const lines = ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source"];
  let n = 0;
  const add = (month: string, day: number, category: string, caseType: string, place: (typeof PLACES)[keyof typeof PLACES], jitter = 0) => {
    const lat = (place.lat + jitter * 0.0007).toFixed(6);
    const lon = (place.lon - jitter * 0.0009).toFixed(6);
    lines.push(
      `T-${++n},${month}-${String(day).padStart(2, "0")}T12:00:00+02:00,X 1,${category},${caseType},${lat},${lon},${place.municipality},${place.locality},test`,
    );
  };
  for (const [t, month] of months.entries()) {
    for (let i = 0; i < 8; i++) add(month, 1 + i, "theft", "pre_trial_investigation", PLACES.centre, (i % 3) * 0.1);
    for (let i = 0; i < 6; i++) add(month, 10 + i, "domestic_violence", "pre_trial_investigation", PLACES.north);
    for (let i = 0; i < (t % 3) + 1; i++) add(month, 20 + i, "burglary", "pre_trial_investigation", PLACES.kairiai, i);
  }
  const drugs = (year: number, pre: number, adm: number) => {
    for (let i = 0; i < pre; i++) add(`${year}-03`, 5 + i, "drug_possession", "pre_trial_investigation", PLACES.kursenai);
    for (let i = 0; i < adm; i++) add(`${year}-09`, 5 + i, "drug_possession", "administrative_offence", PLACES.kursenai);
  };
  drugs(2018, 2, 1);
  drugs(2019, 5, 3);
  lines.push("B-1,2019-02-30T12:00:00+02:00,X 1,theft,pre_trial_investigation,55.9335,23.3142,Šiaulių m. sav.,Šiauliai,test");
  lines.push("B-2,2019-06-01T12:00:00+03:00,X 1,theft,pre_trial_investigation,,23.31,Šiaulių m. sav.,Šiauliai,test");
  lines.push("B-3,2019-06-01T12:00:00+03:00,X 1,theft,pre_trial_investigation,,23.32,Šiaulių m. sav.,Šiauliai,test");
  lines.push("B-4,2019-06-01T12:00:00+03:00,X 1,arson,pre_trial_investigation,55.9335,23.3142,Šiaulių m. sav.,Šiauliai,test");
  return lines.join("\n") + "\n";
}

async function publish(threshold: number, hull?: Partial<PublishOptions>): Promise<{ out: string; summary: PublishSummary }> {
  const out = join(dir, `data-${threshold}${hull ? "-hull" : ""}`);
  const summary = await publishDashboardData({
    lakeDir: settings.lakeDir,
    outDir: out,
    manifest: await readManifest(settings.lakeDir, settings.timeZone, settings.resolution),
    municipalities: outlines,
    suppressionThreshold: threshold,
    sensitiveCategories: SENSITIVE_CATEGORIES,
    k: settings.k,
    attribution: "Municipality outlines © OpenStreetMap contributors, ODbL",
    municipalitiesGeoJson: settings.municipalitiesGeoJson,
    ...hull,
  });
  return { out, summary };
}

const read = async <T>(out: string, name: string): Promise<T> => JSON.parse(await readFile(join(out, name), "utf8")) as T;
const query = (sql: string, params: Record<string, string> = {}) => withConnection(async (c) => (await c.runAndReadAll(sql, params)).getRowObjectsJS());

let five: { out: string; summary: PublishSummary };
let two: { out: string; summary: PublishSummary };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "publish-"));
  settings = testLakeSettings(dir);
  outlines = selectMunicipalities(await readMunicipalities(settings.municipalitiesGeoJson), settings.studyMunicipalities);
  await ingestText(settings, join(dir, "incidents-test.csv"), incidentsCsv());
  await contextStage(settings);
  await analyseStage(settings);
  await analyticsStage(settings);
  // Per category: thefts and (sensitive) domestic violence have their own forecast and emerging run.
  for (const category of ["theft", "domestic_violence"]) {
    await forecastStage(settings, { month: "2020-01", category, methods: ["last-month"], selection: { top: 2 } });
    await emergingStage(settings, { category });
  }
  // A forecast of an earlier month run last: the manifest's record of "all" is now of 2019-06, 20 %.
  await forecastStage(settings, { month: "2019-06", methods: ["last-month"], selection: { areaShare: 0.2 } });
  await evaluateStage(settings);
  five = await publish(5);
  two = await publish(2);
}, 240_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the site's title", () => {
  const config = (file: string) => ({ ...recordedConfig(defaultSettings({ title: { lt: "Šiaulių skydelis", en: "Šiauliai dashboard" } }), file) });
  const sources = (...ids: string[]) => Object.fromEntries(ids.map((id, i) => [`f${i}`, { source: id } as QualityReport]));
  it("is the configuration's, but not the bundled demo's over another city's exports (no --config)", () => {
    const demo = config(DEFAULT_CONFIG_FILE);
    expect(publishedTitle({ config: demo, sources: sources("siauliai-demo") }, "siauliai-demo")).toEqual({ lt: "Šiaulių skydelis", en: "Šiauliai dashboard" });
    expect(publishedTitle({ config: demo, sources: sources("siauliai-demo", "cincinnati-burglary") }, "siauliai-demo")).toBeNull();
    expect(publishedTitle({ config: demo, sources: sources("cincinnati-burglary") }, "siauliai-demo")).toBeNull();
    // A configuration of its own (--config) keeps its title whatever the exports.
    const own = { ...config(join(tmpdir(), "cincinnati.yaml")), title: "Cincinnati burglary" };
    expect(publishedTitle({ config: own, sources: sources("cincinnati-burglary") }, "siauliai-demo")).toBe("Cincinnati burglary");
    expect(publishedTitle({ sources: sources("cincinnati-burglary") }, "siauliai-demo")).toBeNull();
  });
});

describe("publish on a small lake", () => {
  it("writes every file of the contract and reports each page's data size", () => {
    expect(Object.keys(five.summary.files).sort()).toEqual(Object.values(DASHBOARD_DATA_FILES).sort());
    expect(Object.keys(five.summary.pages).sort()).toEqual(Object.keys(PAGE_DATA).sort());
    for (const [page, names] of Object.entries(PAGE_DATA)) {
      expect(five.summary.pages[page]).toBe(names.reduce((s, n) => s + five.summary.files[n]!, 0));
    }
  });

  it("suppresses monthly counts below the configured threshold, exactly", async () => {
    const truth = await query(
      `SELECT month, offence_category AS category, municipality, count(*)::INTEGER AS n FROM read_parquet($glob, hive_partitioning = true) GROUP BY ALL`,
      { glob: lakeLayout.glob(lakeLayout.incidentsDir(settings.lakeDir)) },
    );
    for (const [threshold, { out }] of [
      [5, five],
      [2, two],
    ] as const) {
      const counts = await read<MonthlyCount[]>(out, DASHBOARD_DATA_FILES.monthlyCounts);
      const lake = (row: MonthlyCount) =>
        truth
          .filter((t) => t.month === row.month && (row.category === "all" || t.category === row.category) && t.municipality === row.municipality)
          .reduce((s, t) => s + (t.n as number), 0);
      expect(counts.filter((c) => c.category !== "all" && (c.count ?? 1) > 0)).toHaveLength(truth.length);
      for (const row of counts) {
        const n = lake(row);
        // Published as in the lake; withheld only below the threshold or to protect another part.
        if (row.count !== null) expect(row.count).toBe(n);
        if (n < threshold && n > 0) expect(row.count).toBeNull();
        if (row.category !== "all" || row.count === null) continue;
        const parts = counts.filter((c) => c.month === row.month && c.municipality === row.municipality && c.category !== "all");
        const rest = row.count - parts.reduce((s, c) => s + (c.count ?? 0), 0);
        expect(rest === 0 || rest >= threshold).toBe(true);
      }
    }
    const burglary = (await read<MonthlyCount[]>(two.out, DASHBOARD_DATA_FILES.monthlyCounts)).filter((c) => c.category === "burglary");
    expect(burglary.some((c) => c.count === null)).toBe(true);
    expect(burglary.some((c) => c.count === 2 || c.count === 3)).toBe(true);
  });

  it("publishes per cell only non-sensitive categories, with counts suppressed and 'all' leaving the sensitive ones out", async () => {
    const table = await read<HotspotTable>(five.out, DASHBOARD_DATA_FILES.hotspots);
    expect(table.categories[0]).toBe("all");
    expect(table.categories).toContain("theft");
    // Each month's eight thefts lie in one cell: too few to test (issue 13), listed instead of binned.
    expect(table.untested.filter((u) => u.category === "theft").map((u) => u.month)).toEqual(months);
    expect(table.groups.some((g) => g.category === "theft")).toBe(false);
    for (const c of SENSITIVE_CATEGORIES) expect(table.categories).not.toContain(c);
    for (const g of table.groups) {
      expect(SENSITIVE_CATEGORIES.has(g.category)).toBe(false);
      for (const n of g.count) if (n !== null && n !== 0) expect(n).toBeGreaterThanOrEqual(5);
    }
    // With the normal approximation the domestic-violence cell was hot for "all" and its published
    // count had to be that of the other categories (0, suppressed). Under permutation inference
    // (issue 13) its own six are held fixed and nothing else lies in its ring, so it is no hot spot
    // and not published at all; the rule on published counts is checked on every group above.
    expect(table.cells).not.toContain(DV_CELL);
    const emerging = await read<EmergingData>(five.out, DASHBOARD_DATA_FILES.emerging);
    const patrol = await read<PatrolData>(five.out, DASHBOARD_DATA_FILES.patrol);
    expect(emerging.categories).toEqual(["all", "theft"]);
    expect(emerging.runs.map((r) => r.category)).toEqual(["all", "theft"]);
    expect(emerging.cells.length).toBeGreaterThan(0);
    expect(patrol.forecast).toMatchObject({ month: "2020-01", category: "all" });
    // The caption's share is of 2020-01 (what its ranked cells cover: at least the 5 % asked), not the later run's 20 %.
    expect(patrol.forecast!.area_share).toBeGreaterThanOrEqual(0.05);
    expect(patrol.forecast!.area_share).toBeLessThan(0.1);
    expect(patrol.forecast!.area_share).toBe(Math.max(...patrol.forecast!.cells.map((c) => c.cumulative_area_share)));
    // Every non-sensitive category the lake forecast, "all" first; domestic violence never.
    expect(patrol.categories).toEqual(["all", "theft"]);
    // The other categories' plans are in the file the page loads when one is chosen; patrol.json holds the first's only.
    expect(Object.keys(patrol).sort()).toEqual(["backtest", "categories", "forecast"]);
    const more = await read<PatrolCategoryPlan[]>(five.out, DASHBOARD_DATA_FILES.patrolCategories);
    expect(more.map((m) => m.category)).toEqual(["theft"]);
    const theft = more[0]!.forecast!;
    expect(theft).toMatchObject({ month: "2020-01", category: "theft", all_excludes: [], methods: ["last-month"] });
    // The eight thefts a month all lie in one cell: it ranks first on its count (8 ≥ 5, listed).
    expect(theft.cells.filter((c) => c.rank === 1).map((c) => c.cell)).toEqual([latLngToCell(PLACES.centre.lat, PLACES.centre.lon, 8)]);
    expect(more[0]!.backtest).toBeNull();
    // No runner-up, no margin or gain: null, not 0 (the lake has NULL).
    const { chosen } = patrol.forecast!;
    // Withheld too where a backtest month they average over is (selectionEvidenceReleased), and then said so.
    if (chosen!.runner_up === null || chosen!.withheld) expect([chosen!.margin, chosen!.gain_over_baseline]).toEqual([null, null]);
    else expect(chosen!.margin).toEqual(expect.any(Number));
    if (chosen!.runner_up === null) expect(chosen!.withheld).toBe(false);
    // Every candidate and "selected" at each share, over the months the release rules publish (releasedBacktestFolds):
    // with the month's published incidents a hit rate is a count, and on this small lake some are below 5.
    const backtestGlob = join(analyticsTables.backtestsDir(settings.lakeDir), "*", "*.parquet");
    const folds = (await query(
      `SELECT method, forecast_month AS month, area_target, cells, hits, incidents, pai, pai_max, hits_top_10 AS top10, hits_top_20 AS top20
         FROM read_parquet($glob, hive_partitioning = true)
        WHERE offence_category = 'all' AND month = (SELECT max(month) FROM read_parquet($glob, hive_partitioning = true)) AND isfinite(pai) AND isfinite(pei_star)`,
      { glob: backtestGlob },
    )) as unknown as Array<BacktestCounts & { area_target: number }>;
    expect(new Set(folds.map((f) => f.method)).size).toBe(forecastCandidates().length + 1);
    const { summarised } = releasedBacktestFolds(folds, { threshold: 5 });
    expect(summarised.size).toBeLessThan(folds.length);
    const key = (r: { method: string; area_target: number }) => `${r.method} ${r.area_target}`;
    expect(patrol.backtest!.summary.map(key).sort()).toEqual([...new Set([...summarised].map(key))].sort());
    expect(patrol.forecast!.methods).toEqual(["selected", "last-12-months", "last-month"]); // the page shows the first
    expect(patrol.forecast!.chosen).toMatchObject({ reason: expect.stringMatching(/backtest|history/) });
    const selected = patrol.backtest!.summary.find((s) => s.method === "selected" && s.area_target === 0.05)!;
    // A month whose lists caught as many incidents in as many cells as the baseline's is a tie, as the backtest counts it,
    // not won or lost by the cells' areas (the H3 cells' areas differ by a few per cent).
    const averaged = (method: string) => new Set([...summarised].filter((f) => f.method === method && f.area_target === 0.05).map((f) => f.month));
    const [bothSelected, bothBaseline] = [averaged("selected"), averaged("last-12-months")];
    const pairs = (
      await query(
        `SELECT forecast_month, s.pai > b.pai AS higher, s.pai < b.pai AS lower, (s.hits = b.hits AND s.cells = b.cells) OR s.pai = b.pai AS alike
           FROM read_parquet($glob, hive_partitioning = true) s JOIN read_parquet($glob, hive_partitioning = true) b USING (forecast_month, area_target, offence_category)
          WHERE s.method = 'selected' AND b.method = 'last-12-months' AND s.area_target = 0.05 AND s.offence_category = 'all'
            AND s.month = (SELECT max(month) FROM read_parquet($glob, hive_partitioning = true)) AND b.month = s.month AND isfinite(s.pai) AND isfinite(s.pei_star)`,
        { glob: backtestGlob },
      )
    ).filter((p) => bothSelected.has(String(p.forecast_month)) && bothBaseline.has(String(p.forecast_month)));
    // The means take in the published months; the comparison with the baseline those published of both.
    expect(selected.months).toBe(bothSelected.size);
    expect(selected.vs_baseline.wins + selected.vs_baseline.losses + selected.vs_baseline.ties).toBe(pairs.length);
    // The page says how many months the comparison rests on; the bars average the months every drawn method released.
    expect(selected.vs_baseline.months).toBe(pairs.length);
    const drawnMethods = patrol.backtest!.methods.map(averaged);
    expect(selected.shared.months).toBe([...bothSelected].filter((m) => drawnMethods.every((s) => s.has(m))).length);
    expect(pairs.length).toBeGreaterThan(0);
    expect(selected.vs_baseline).toMatchObject({
      ties: pairs.filter((p) => p.alike).length,
      wins: pairs.filter((p) => !p.alike && p.higher).length,
      losses: pairs.filter((p) => !p.alike && p.lower).length,
    });
    expect(patrol.backtest!.monthly.filter((m) => m.method === "selected").every((m) => m.chosen !== null)).toBe(true);
    const hexagons = await read<HexagonCollection>(five.out, DASHBOARD_DATA_FILES.hexagons);
    const drawn = new Map(hexagons.features.map((f) => [f.properties.cell, f.properties.municipality]));
    for (const cell of [...table.cells, ...emerging.cells.map((c) => c.cell), ...patrol.forecast!.cells.map((c) => c.cell)]) expect(drawn.has(cell)).toBe(true);
    expect(drawn.get(latLngToCell(PLACES.centre.lat, PLACES.centre.lon, 8))).toBe(CITY);
  });

  it("evaluates We Are from the lake: Kuršėnai drug possession 3 → 8, agreeing with the project's figures", async () => {
    const evaluation = await read<EvaluationData>(five.out, DASHBOARD_DATA_FILES.evaluation);
    expect(evaluation.projects.map((p) => p.id)).toContain("we-are");
    const weAre = evaluation.projects.find((p) => p.id === "we-are")!;
    expect(weAre.period).toEqual({ start: "2019-01", end: "2019-12" });
    const people = weAre.indicators.find((i) => i.id === "we-are-people-involved")!;
    expect(people.checkpoints.map((c) => c.month)).toEqual(["2019-06", "2019-12"]);
    const [ev] = weAre.evaluations;
    expect(ev).toMatchObject({
      id: "we-are-kursenai-drug-possession",
      error: null,
      area: "Kuršėnai",
      before: { first_month: "2018-01", last_month: "2018-12" },
    });
    const all = ev!.outcomes.find((o) => o.case_type === "all")!;
    expect([all.before, all.after]).toEqual([3, 8]);
    expect(all.after_ci).toEqual(poissonInterval(8).map((v) => Math.round(v * 1000) / 1000));
    expect(ev!.cross_checks.every((c) => c.agrees)).toBe(true);
    expect(ev!.exposure?.values.find((v) => v.year === 2019)?.value).toBe(5719);
    expect(evaluation.projects.find((p) => p.id === "ro-no-itinerant-crime")!.evaluations).toEqual([]);
    // The Lithuanian names and unit words of projects.json reach the page.
    expect(people.name_lt).toBe("Į projekto veiklas įtraukti bendruomenės nariai");
    expect(people.checkpoints.map((c) => c.label_lt)).toEqual(["Tarpinis vertinimas, 2019 m. birželio pabaiga", "Pasiekta per 2019 m. antrąjį pusmetį"]);
    expect(evaluation.projects.find((p) => p.id === "lt-no-domestic-violence")!.promoter_lt).toBe(
      "Policijos departamentas prie Lietuvos Respublikos vidaus reikalų ministerijos",
    );
    expect(ev!.title_lt).toBe("Užregistruotas narkotikų laikymas Kuršėnuose, 2018 → 2019");
    expect(evaluation.units?.persons?.lt).toEqual(["asmuo", "asmenys", "asmens", "asmenų"]);
  });

  it("reports each file's quarantine by reason and bounds that are the study area's, not an incident's", async () => {
    const quality = await read<DataQuality>(five.out, DASHBOARD_DATA_FILES.dataQuality);
    const [source] = quality.sources;
    expect(source).toMatchObject({
      // The export's name in the lake: the file name's slug and 12 hex digits of its identity (export-identity.ts).
      name: expect.stringMatching(/^incidents-test-[0-9a-f]{12}$/),
      file: "incidents-test.csv",
      rows_quarantined: 4,
      quarantine_reasons: { invalid_timestamp: 1, missing_coordinates: 2, unmapped_offence: 1 },
      first_month: "2018-01",
      last_month: "2019-12",
    });
    // Each side of the incidents' own box is one incident's coordinate: rounded to 0.01° it placed that incident within a kilometre.
    const [west, south, east, north] = (
      await query(`SELECT min(lon) AS w, min(lat) AS s, max(lon) AS e, max(lat) AS n FROM read_parquet($glob) WHERE lat IS NOT NULL`, {
        glob: lakeLayout.glob(lakeLayout.incidentsDir(settings.lakeDir)),
      })
    ).flatMap((r) => [r.w, r.s, r.e, r.n].map(Number));
    const extremes = [west, south, east, north].flatMap((v) => [Math.floor(v! * 100) / 100, Math.ceil(v! * 100) / 100]);
    expect(Object.values(source!.bounds!).filter((v) => extremes.includes(v))).toEqual([]);
    expect(source!.bounds).toEqual(boundsOf(outlines.features.map((f) => f.geometry.coordinates)));
    expect(quality.monthly).toHaveLength(24);
  });

  it("outlines a hull study area for the maps: every cell Gi* was computed over, no other, grid corners only", async () => {
    expect((await read<DashboardMeta>(five.out, DASHBOARD_DATA_FILES.meta)).study_area_outline).toBeNull(); // municipalities: their own outlines
    const none = { type: "FeatureCollection" as const, features: [] };
    const hull = await publish(5, { municipalities: none, hullRing: 1, attribution: null });
    const outline = (await read<DashboardMeta>(hull.out, DASHBOARD_DATA_FILES.meta)).study_area_outline;
    expect(outline).toMatchObject({ type: "Feature", properties: { resolution: 8 }, geometry: { type: "MultiPolygon" } });
    // Without municipalities, the data-quality page's box is the hull's.
    const [hullSource] = (await read<DataQuality>(hull.out, DASHBOARD_DATA_FILES.dataQuality)).sources;
    expect(hullSource!.bounds).toEqual(boundsOf(outline!.geometry.coordinates));
    const studyArea = (
      await query(`SELECT DISTINCT h3_cell FROM read_parquet($glob, hive_partitioning = true)`, {
        glob: lakeLayout.glob(lakeLayout.hotspotsDir(settings.lakeDir)),
      })
    ).map((r) => String(r.h3_cell));
    const inside = (cell: string) => booleanPointInPolygon([cellToLatLng(cell)[1], cellToLatLng(cell)[0]], outline!.geometry);
    const around = [...new Set(studyArea.flatMap((c) => gridDisk(c, 1)))].filter((c) => !studyArea.includes(c));
    expect(studyArea.length).toBeGreaterThan(100);
    expect(studyArea.filter((c) => !inside(c))).toEqual([]);
    expect(around.filter(inside)).toEqual([]);
    const findings = await scanSiteForIncidentData(hull.out, { ids: [], points: new Set(), bounds: [22.8, 55.7, 23.6, 56.2] });
    expect(findings).toEqual([]);
    // The briefing's map draws the same outline (one path per ring); with municipalities, their outlines alone, as before.
    const outlinePaths = async (out: string) =>
      [.../<g class="outline">(.*?)<\/g>/.exec(await readFile(join(out, SITE_BRIEFING_FILES.en), "utf8"))![1]!.matchAll(/<path d="M[^"]*Z"\/>/g)].length;
    const rings = (g: { type: string; coordinates: unknown[] }) => (g.type === "Polygon" ? g.coordinates : g.coordinates.flat(1)).length;
    expect(await outlinePaths(hull.out)).toBe(rings(outline!.geometry));
    expect(await outlinePaths(five.out)).toBe(outlines.features.reduce((n, f) => n + rings(f.geometry), 0));
  });

  it("holds no incident id, no time finer than a month and no raw coordinate", async () => {
    const incidents = await query(`SELECT id, printf('%.6f,%.6f', lat, lon) AS point FROM read_parquet($glob)`, {
      glob: lakeLayout.glob(lakeLayout.incidentsDir(settings.lakeDir)),
    });
    for (const { out } of [five, two]) {
      const findings = await scanSiteForIncidentData(out, {
        ids: incidents.map((r) => String(r.id)),
        points: new Set(incidents.map((r) => String(r.point))),
        bounds: [22.8, 55.7, 23.6, 56.2],
        outlineVertices: outlineVertexKeys(outlines),
        threshold: out === five.out ? 5 : 2,
        sensitiveCategories: SENSITIVE_CATEGORIES,
      });
      expect(findings).toEqual([]);
    }
  });
});
