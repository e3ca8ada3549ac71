/**
 * An adversary with the published site data alone (plus what is public anyway: the H3 grid of the
 * study area, k and the threshold) tries to recover what the release rules protect (issue 13):
 * counts below the threshold of a cell, a ring or a category, and any per-cell figure of a
 * sensitive category. Each attack is first run on a naive release of the same lake — the lake's own
 * Gi* z-scores and per-count suppression, as the dashboard published them before — to show that it
 * works, and then on the published files, where it must recover nothing.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cellToLatLng, gridDisk, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DASHBOARD_DATA_FILES,
  type DashboardMeta,
  type DataQuality,
  type EmergingData,
  type HexagonCollection,
  type HotspotTable,
  type MonthlyCount,
  type PatrolCategoryPlan,
  type PatrolData,
  type YearlyCount,
} from "../dashboard/data-contract.ts";
import { emergingHotSpots } from "../etl/analytics/emerging-hot-spots.ts";
import { emergingStage } from "../etl/analytics/emerging-lake.ts";
import { DEFAULT_EMERGING_OPTIONS } from "../etl/analytics/emerging-hot-spots.ts";
import { DEFAULT_FORECAST_METHODS, forecastStage } from "../etl/analytics/forecast-lake.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { monthRange } from "../etl/analytics/monthly-counts.ts";
import { municipalityStudyArea } from "../etl/analytics/lake-grid.ts";
import { selectMunicipalities } from "../etl/analytics/study-area.ts";
import { SENSITIVE_CATEGORIES } from "../etl/config.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { readMunicipalities } from "../etl/geo/municipalities.ts";
import { lakeLayout } from "../etl/lake/lake-layout.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { analyseStage, contextStage, ingestStage } from "../etl/pipeline.ts";
import { countRows, type CountRow } from "../etl/publish/count-tables.ts";
import { publishDashboardData } from "../etl/publish/dashboard-data.ts";
import { releaseParts } from "../etl/publish/release-rules.ts";
import { supportMonths } from "../etl/publish/patrol-data.ts";
import type { PipelineSettings } from "../etl/settings.ts";
import { ingestText, testLakeSettings } from "./helpers/test-lake.ts";

/**
 * The lake's emerging runs with the normal approximation: its over-small p-values make significant
 * bins of rings with 1 to 4 incidents (the far robbery's), which the ring rule must withhold; the
 * default conditional permutation makes none here (etl/analytics/README.md).
 */
const LAKE_EMERGING = { ...DEFAULT_EMERGING_OPTIONS, inference: { method: "normal" as const } };

const T = 5;
const CITY = "Šiaulių m. sav.";
const DISTRICT = "Šiaulių r. sav.";
const CENTRE = latLngToCell(55.9349, 23.3137, 8);
const [, N1, N2, N3, N4, N5] = gridDisk(CENTRE, 1)
  .filter((c) => c !== CENTRE)
  .sort() as [string, string, string, string, string, string];
const FAR = latLngToCell(55.905, 23.26, 8);
const KURSENAI = latLngToCell(56.0046, 22.9373, 8);
const BACKGROUND = gridDisk(latLngToCell(55.925, 23.29, 8), 3).slice(0, 12);
/** Emerging hot spots of this short lake: its months test the files' bookkeeping, not the trend test (EMERGING_MINIMUM_MONTHS). */
const SHORT_SERIES = { minimumMonths: 1, onSparse: "refuse" } as const;
const MONTHS = ["2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06"];
const NEXT = "2019-07";

/**
 * Six months: a theft and burglary cluster in the centre with a little public order and assault
 * beside it, thefts spread thinly around, one robbery in one month far away (the single-incident
 * case), a few sensitive incidents in and next to the cluster, and some district incidents.
 */
function incidents(withSensitive: boolean): string {
  const lines = ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source"];
  let id = 0;
  const add = (month: string, cell: string, category: string, count: number, municipality = CITY) => {
    const [lat, lon] = cellToLatLng(cell);
    for (let i = 0; i < count; i++) {
      lines.push(
        `R-${++id},${month}-${String(1 + (i % 27)).padStart(2, "0")}T12:00:00+02:00,X,${category},pre_trial_investigation,${lat.toFixed(6)},${lon.toFixed(6)},${municipality},x,test`,
      );
    }
  };
  for (const [m, month] of MONTHS.entries()) {
    add(month, CENTRE, "theft", 12);
    add(month, N1, "theft", 6);
    add(month, N2, "theft", 3);
    add(month, CENTRE, "burglary", 6);
    add(month, N3, "burglary", 2);
    add(month, CENTRE, "public_order", 2);
    add(month, N1, "assault", 4);
    for (const cell of BACKGROUND.slice(m, m + 8)) add(month, cell, "theft", 1);
    add(month, KURSENAI, "theft", 7, DISTRICT);
    add(month, KURSENAI, "vehicle_crime", m % 3, DISTRICT);
    if (m === 0) add(month, FAR, "robbery", 1);
    if (withSensitive) {
      add(month, N4, "domestic_violence", 3);
      add(month, CENTRE, "domestic_violence", 2);
      add(month, N5, "sexual_offence", 1);
    }
  }
  return lines.join("\n") + "\n";
}

interface Built {
  settings: PipelineSettings;
  out: string;
}

let dir: string;
let withS: Built;
let withoutS: Built;
let studyCells: readonly string[];

async function build(name: string, withSensitive: boolean): Promise<Built> {
  const settings = testLakeSettings(join(dir, name));
  await ingestText(settings, join(dir, `${name}.csv`), incidents(withSensitive));
  await contextStage(settings);
  await analyseStage(settings);
  await emergingStage(settings, {}, LAKE_EMERGING, undefined, SHORT_SERIES);
  for (const category of ["robbery", "burglary"]) await emergingStage(settings, { category }, LAKE_EMERGING, undefined, SHORT_SERIES);
  // Next month's patrol plan over 20 % of the area (so that it reaches the cells with 1 to 4 incidents).
  await forecastStage(settings, { month: NEXT, methods: DEFAULT_FORECAST_METHODS, selection: { areaShare: 0.2 } });
  // Per category: the far robbery's one incident ranks first on last-month; domestic violence is sensitive.
  for (const category of ["robbery", "burglary", ...(withSensitive ? ["domestic_violence"] : [])]) {
    await forecastStage(settings, { month: NEXT, category, methods: ["last-month", "last-12-months"], selection: { areaShare: 0.2 } });
  }
  const out = join(dir, name, "data");
  await publishDashboardData({
    lakeDir: settings.lakeDir,
    outDir: out,
    manifest: await readManifest(settings.lakeDir, settings.timeZone, settings.resolution),
    municipalities: selectMunicipalities(await readMunicipalities(settings.municipalitiesGeoJson), settings.studyMunicipalities),
    suppressionThreshold: T,
    sensitiveCategories: SENSITIVE_CATEGORIES,
    k: settings.k,
    attribution: "test",
    municipalitiesGeoJson: settings.municipalitiesGeoJson,
  });
  return { settings, out };
}

const read = async <V>(b: Built, name: string): Promise<V> => JSON.parse(await readFile(join(b.out, name), "utf8")) as V;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "reconstruct-"));
  withS = await build("with", true);
  withoutS = await build("without", false);
  studyCells = (await municipalityStudyArea(withS.settings)).cells;
}, 240_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/**
 * What the naive release published per cell: the lake's hot-spot rows significant under the normal
 * approximation (|z| ≥ 1.645, as the dashboard published them before), z to two decimals, each
 * count suppressed alone, "all" with the sensitive categories in its Gi*.
 */
interface NaiveRow {
  month: string;
  category: string;
  cell: string;
  z: number;
  bin: number;
  count: number | null;
}
async function naiveRelease(b: Built): Promise<NaiveRow[]> {
  return withConnection(
    async (c) =>
      (
        await c.runAndReadAll(
          `SELECT month, category, h3_cell AS cell, round(gi_z, 2) AS z, gi_bin::INTEGER AS bin, CASE WHEN incidents < ${T} THEN NULL ELSE incidents::INTEGER END AS count
         FROM read_parquet($glob, hive_partitioning = true) WHERE abs(gi_z) >= 1.645 AND NOT list_contains(['domestic_violence', 'sexual_offence'], category)`,
          { glob: lakeLayout.glob(lakeLayout.hotspotsDir(b.settings.lakeDir)) },
        )
      ).getRowObjectsJS() as unknown as NaiveRow[],
  );
}

/**
 * Attack 1, inverting z with the known grid: a month with N < T incidents of a category, each in
 * its own cell, gives every cell whose ring holds L of them one z; the attacker tries every N and L
 * below the threshold and keeps the z-scores that only one (N, L) explains to two decimals.
 */
function invertZ(
  rows: ReadonlyArray<{ month: string; category: string; cell: string; z?: number }>,
): Array<{ month: string; category: string; cell: string; ring: number; total: number }> {
  const weights = kRingWeights(studyCells, 1);
  const index = new Map(studyCells.map((c, i) => [c, i]));
  const n = studyCells.length;
  const found = [];
  for (const r of rows) {
    const i = index.get(r.cell);
    if (r.z === undefined || i === undefined) continue;
    const w = weights.offsets[i + 1]! - weights.offsets[i]!;
    const fits: Array<[number, number]> = [];
    for (let total = 1; total < T; total++) {
      const mean = total / n;
      const sd = Math.sqrt(total / n - mean * mean);
      for (let ring = 1; ring <= total; ring++) {
        const z = (ring - mean * w) / (sd * Math.sqrt((n * w - w * w) / (n - 1)));
        if (Math.abs(z - r.z) < 0.006) fits.push([ring, total]);
      }
    }
    if (fits.length === 1) found.push({ month: r.month, category: r.category, cell: r.cell, ring: fits[0]![0], total: fits[0]![1] });
  }
  return found;
}

/** Attack 2, differencing a cell's "all" count and its categories' counts: the rest is the sum of the categories not shown. */
function cellDifferences(
  rows: ReadonlyArray<{ month: string; category: string; cell: string; count: number | null }>,
): Array<{ month: string; cell: string; rest: number }> {
  const found = [];
  for (const all of rows.filter((r) => r.category === "all" && r.count !== null)) {
    const parts = rows.filter((r) => r.month === all.month && r.cell === all.cell && r.category !== "all");
    const rest = all.count! - parts.reduce((s, p) => s + (p.count ?? 0), 0);
    if (rest > 0 && rest < T) found.push({ month: all.month, cell: all.cell, rest });
  }
  return found;
}

/** Attack 3, differencing a published total and its published parts (any table with a total row). */
function marginDifferences<R extends { count: number | null }>(
  rows: readonly R[],
  group: (r: R) => string,
  isTotal: (r: R) => boolean,
): Array<{ group: string; rest: number }> {
  const found = [];
  for (const total of rows.filter((r) => isTotal(r) && r.count !== null)) {
    const rest = total.count! - rows.filter((r) => !isTotal(r) && group(r) === group(total)).reduce((s, r) => s + (r.count ?? 0), 0);
    if (rest > 0 && rest < T) found.push({ group: group(total), rest });
  }
  return found;
}

const published = (table: HotspotTable) =>
  table.groups.flatMap((g) =>
    g.cell.map((c, i) => ({
      month: g.month,
      category: g.category,
      cell: table.cells[c]!,
      bin: g.bin[i]!,
      count: g.count[i]!,
      z: (g as { z?: number[] }).z?.[i],
    })),
  );

describe("reconstructing protected figures from the published data", () => {
  it("inverts the naive z-scores to the one robbery of January, and finds no z to invert in the published data", async () => {
    const naive = invertZ(await naiveRelease(withS));
    expect(naive.filter((f) => f.category === "robbery" && f.month === "2019-01")).toEqual(
      expect.arrayContaining([expect.objectContaining({ cell: FAR, ring: 1, total: 1 })]),
    );
    const table = await read<HotspotTable>(withS, DASHBOARD_DATA_FILES.hotspots);
    expect(invertZ(published(table))).toEqual([]);
    expect(JSON.stringify(table)).not.toMatch(/"(z|p|gi_z|p_value)":/);
  });

  it("finds no published bin of a neighbourhood holding 1 to 4 incidents", async () => {
    const truth = await withConnection(
      async (c) =>
        (
          await c.runAndReadAll(
            `SELECT month, category, h3_cell AS cell, incidents::INTEGER AS n FROM read_parquet($glob, hive_partitioning = true) WHERE incidents > 0`,
            {
              glob: lakeLayout.glob(lakeLayout.hotspotsDir(withS.settings.lakeDir)),
            },
          )
        ).getRowObjectsJS() as unknown as Array<{ month: string; category: string; cell: string; n: number }>,
    );
    const count = (month: string, category: string, cell: string) =>
      truth
        .filter(
          (t) =>
            t.month === month &&
            t.cell === cell &&
            (category === "all" ? !SENSITIVE_CATEGORIES.has(t.category) && t.category !== "all" : t.category === category),
        )
        .reduce((s, t) => s + t.n, 0);
    const rows = published(await read<HotspotTable>(withS, DASHBOARD_DATA_FILES.hotspots));
    expect(rows.length).toBeGreaterThan(0);
    const small = rows.filter((r) => {
      const ring = gridDisk(r.cell, 1).reduce((s, c) => s + count(r.month, r.category, c), 0);
      return ring > 0 && ring < T;
    });
    expect(small).toEqual([]);
    // …while the lake has significant cells with such rings (the robbery of January among them).
    const naive = (await naiveRelease(withS)).filter((r) => {
      const ring = gridDisk(r.cell, 1).reduce((s, c) => s + count(r.month, r.category, c), 0);
      return ring > 0 && ring < T;
    });
    expect(naive.length).toBeGreaterThan(0);
  });

  it("cannot difference a cell's 'all' count against its categories", async () => {
    // The lake's "all" minus theft (12) and burglary (6) in the centre cell leaves public order's 2 and domestic violence's 2.
    expect(cellDifferences(await naiveRelease(withS))).toEqual(expect.arrayContaining([{ month: "2019-01", cell: CENTRE, rest: 4 }]));
    expect(cellDifferences(published(await read<HotspotTable>(withS, DASHBOARD_DATA_FILES.hotspots)))).toEqual([]);
  });

  it("cannot difference totals and parts: monthly per municipality, yearly, per input file", async () => {
    const monthly = await read<MonthlyCount[]>(withS, DASHBOARD_DATA_FILES.monthlyCounts);
    const yearly = await read<YearlyCount[]>(withS, DASHBOARD_DATA_FILES.yearlyCounts);
    const quality = await read<DataQuality>(withS, DASHBOARD_DATA_FILES.dataQuality);
    expect(
      marginDifferences(
        monthly,
        (r) => `${r.month} ${r.municipality}`,
        (r) => r.category === "all",
      ),
    ).toEqual([]);
    expect(
      marginDifferences(
        yearly,
        (r) => r.year,
        (r) => r.category === "all",
      ),
    ).toEqual([]);
    const files = [...quality.sources.map((s) => ({ name: s.name, month: "", count: s.rows_ingested as number | null })), ...quality.monthly];
    expect(
      marginDifferences(
        files,
        (r) => r.name,
        (r) => r.month === "",
      ),
    ).toEqual([]);
    // Suppressing each count alone, as before, lets the year's total give January's one robbery back.
    const truth = await withConnection(
      async (c) =>
        (
          await c.runAndReadAll(`SELECT offence_category AS category, count(*)::INTEGER AS n FROM read_parquet($glob, hive_partitioning = true) GROUP BY ALL`, {
            glob: lakeLayout.glob(lakeLayout.incidentsDir(withS.settings.lakeDir)),
          })
        ).getRowObjectsJS() as unknown as Array<{ category: string; n: number }>,
    );
    const naiveYearly = [...truth, { category: "all", n: truth.reduce((s, t) => s + t.n, 0) }].map((t) => ({
      year: "2019",
      category: t.category,
      count: t.n < T ? null : t.n,
    }));
    expect(
      marginDifferences(
        naiveYearly,
        (r) => r.year,
        (r) => r.category === "all",
      ),
    ).toEqual([{ group: "2019", rest: 1 }]);
    expect(yearly.find((y) => y.category === "robbery")!.count).toBeNull();
  });

  it("cannot combine pages: a municipality's month minus its published cells is never a small count", async () => {
    const monthly = await read<MonthlyCount[]>(withS, DASHBOARD_DATA_FILES.monthlyCounts);
    const table = await read<HotspotTable>(withS, DASHBOARD_DATA_FILES.hotspots);
    const hexagons = await read<HexagonCollection>(withS, DASHBOARD_DATA_FILES.hexagons);
    const municipalityOf = new Map(hexagons.features.map((f) => [f.properties.cell, f.properties.municipality]));
    const rows = published(table).filter((r) => r.category !== "all");
    const found = [];
    let checked = 0;
    for (const m of monthly.filter((m) => m.count !== null && m.category !== "all")) {
      const cells = rows.filter((r) => r.month === m.month && r.category === m.category && municipalityOf.get(r.cell) === m.municipality);
      if (cells.length === 0) continue;
      checked++;
      const rest = m.count! - cells.reduce((s, c) => s + (c.count ?? 0), 0);
      if (rest > 0 && rest < T) found.push({ ...m, rest });
    }
    expect(checked).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });

  it("publishes the same per-cell data with and without the sensitive incidents: nothing per cell depends on them", async () => {
    const a = await read<HotspotTable>(withS, DASHBOARD_DATA_FILES.hotspots);
    const b = await read<HotspotTable>(withoutS, DASHBOARD_DATA_FILES.hotspots);
    expect(a).toEqual(b);
    expect(a.all_excludes).toEqual([...SENSITIVE_CATEGORIES].sort());
    const emergingA = await read<EmergingData>(withS, DASHBOARD_DATA_FILES.emerging);
    expect(emergingA.categories).toEqual(["all", "burglary", "robbery"]);
    expect(emergingA).toEqual(await read<EmergingData>(withoutS, DASHBOARD_DATA_FILES.emerging));
    // The lake's own "all" (sensitive included) does depend on them: publishing it would tell.
    const naiveA = (await naiveRelease(withS)).filter((r) => r.category === "all");
    const naiveB = (await naiveRelease(withoutS)).filter((r) => r.category === "all");
    expect(naiveA).not.toEqual(naiveB);
    // The sensitive categories are published as municipality counts only.
    const monthly = await read<MonthlyCount[]>(withS, DASHBOARD_DATA_FILES.monthlyCounts);
    expect(monthly.some((m) => m.category === "domestic_violence" && m.count === 30 / MONTHS.length)).toBe(true);
  });
  it("reads no small count from the patrol plan of any category: no score, and no ranked cell whose method rests on 1 to 4 incidents", async () => {
    // The truth: incidents per category, cell and month.
    const truth = await withConnection(
      async (c) =>
        (
          await c.runAndReadAll(
            `SELECT offence_category AS category, h3_cell AS cell, month, count(*)::INTEGER AS n FROM read_parquet($glob, hive_partitioning = true) GROUP BY ALL`,
            { glob: lakeLayout.glob(lakeLayout.incidentsDir(withS.settings.lakeDir)) },
          )
        ).getRowObjectsJS() as unknown as Array<{ category: string; cell: string; month: string; n: number }>,
    );
    // "all" counts the non-sensitive categories only.
    const inCategory = (category: string, t: { category: string }) => (category === "all" ? !SENSITIVE_CATEGORIES.has(t.category) : t.category === category);
    const support = (cell: string, method: string, category = "all") => {
      const window = supportMonths(method);
      // The history is six months: a longer window counts from the first.
      const first = window === null ? MONTHS[0]! : MONTHS[Math.max(0, MONTHS.length - window)]!;
      return truth.filter((t) => inCategory(category, t) && t.cell === cell && t.month >= first).reduce((s, t) => s + t.n, 0);
    };
    // The lake's plans, published as they are, give last month's count of every cell they rank.
    const naive = await withConnection(
      async (c) =>
        (
          await c.runAndReadAll(
            `SELECT offence_category AS category, method, h3_cell AS cell, score FROM read_parquet($glob, hive_partitioning = true) WHERE method = 'last-month'`,
            { glob: join(withS.settings.lakeDir, "forecasts", "*", "*.parquet") },
          )
        ).getRowObjectsJS() as unknown as Array<{ category: string; method: string; cell: string; score: number }>,
    );
    const small = naive.filter((r) => r.score > 0 && r.score < T);
    expect(small.length).toBeGreaterThan(0);
    for (const r of small) expect(support(r.cell, "last-month", r.category)).toBe(r.score);
    // The robbery plan ranks the far cell of January's one robbery first on last-12-months: 1 incident.
    expect(small.some((r) => r.category === "robbery")).toBe(false); // no robbery last month…
    expect(support(FAR, "last-12-months", "robbery")).toBe(1); // …but one within the 12 months
    const patrol = await read<PatrolData>(withS, DASHBOARD_DATA_FILES.patrol);
    expect(patrol.categories).toEqual(["all", "burglary", "robbery"]);
    const more = await read<PatrolCategoryPlan[]>(withS, DASHBOARD_DATA_FILES.patrolCategories);
    const plans = [patrol.forecast!, ...more.map((m) => m.forecast!)];
    expect(plans.map((p) => p.category)).toEqual(patrol.categories);
    for (const plan of plans) {
      expect(plan.cells.filter((c) => c.score !== null)).toEqual([]);
      expect(
        plan.cells.filter((c) => {
          const n = support(c.cell, c.method, plan.category);
          return n > 0 && n < T;
        }),
      ).toEqual([]);
    }
    const robbery = plans.find((p) => p.category === "robbery")!;
    expect(robbery.cells.map((c) => c.cell)).not.toContain(FAR);
    expect(robbery.withheld["last-12-months"]).toBeGreaterThan(0);
    const cells = patrol.forecast!.cells;
    expect(cells.length).toBeGreaterThan(0);
    expect(patrol.forecast!.withheld["last-month"]).toBeGreaterThan(0);
    // Ties rank by cell id, so each run of ascending ids in last-month's ranking is one count: every run
    // but the last (the zeros, where the plan reaches them) holds cells with incidents. None of them has 1 to 4.
    const ranked = cells.filter((c) => c.method === "last-month").sort((a, b) => a.rank - b.rank);
    const runs: string[][] = [];
    for (const c of ranked) {
      const run = runs.at(-1);
      if (run && c.cell > run.at(-1)!) run.push(c.cell);
      else runs.push([c.cell]);
    }
    const positive = runs.slice(0, -1).flat();
    expect(positive.filter((cell) => support(cell, "last-month") < T)).toEqual([]);
  });

  it("publishes the same patrol plans with and without the sensitive incidents, and says that all offences leave them out", async () => {
    const a = await read<PatrolData>(withS, DASHBOARD_DATA_FILES.patrol);
    // The lake has a domestic-violence plan; the published file has none.
    expect(a.categories).not.toContain("domestic_violence");
    expect(a.forecast!.category).toBe("all");
    expect(a.forecast!.all_excludes).toEqual([...SENSITIVE_CATEGORIES].sort());
    expect(a).toEqual(await read<PatrolData>(withoutS, DASHBOARD_DATA_FILES.patrol));
    const more = await read<PatrolCategoryPlan[]>(withS, DASHBOARD_DATA_FILES.patrolCategories);
    expect(more.map((m) => m.category)).toEqual(a.categories.slice(1));
    expect(more).toEqual(await read<PatrolCategoryPlan[]>(withoutS, DASHBOARD_DATA_FILES.patrolCategories));
  });
  it("publishes no emerging pattern that rests on a significant month whose neighbourhood holds 1 to 4 incidents", async () => {
    const truth = await withConnection(
      async (c) =>
        (
          await c.runAndReadAll(
            `SELECT offence_category AS category, h3_cell AS cell, month, count(*)::INTEGER AS n FROM read_parquet($glob, hive_partitioning = true) GROUP BY ALL`,
            { glob: lakeLayout.glob(lakeLayout.incidentsDir(withS.settings.lakeDir)) },
          )
        ).getRowObjectsJS() as unknown as Array<{ category: string; cell: string; month: string; n: number }>,
    );
    const inCategory = (category: string, t: { category: string }) => (category === "all" ? !SENSITIVE_CATEGORIES.has(t.category) : t.category === category);
    // The space-time neighbourhood of the default run (time window 1): the cell's ring in the month and the month before.
    const ring = (category: string, cell: string, t: number) => {
      const months = new Set(MONTHS.slice(Math.max(0, t - 1), t + 1));
      const disk = new Set(gridDisk(cell, 1));
      return truth.filter((r) => inCategory(category, r) && months.has(r.month) && disk.has(r.cell)).reduce((s, r) => s + r.n, 0);
    };
    // Every cell's bins by an independent run of the statistic over the study area (the default settings).
    const weights = kRingWeights(studyCells, 1);
    const index = new Map(studyCells.map((c, i) => [c, i]));
    const disclosing = (category: string, cells: readonly string[]) => {
      const months = monthRange(MONTHS[0]!, MONTHS.at(-1)!);
      const grid = new Float64Array(months.length * studyCells.length);
      for (const r of truth) if (inCategory(category, r) && index.has(r.cell)) grid[months.indexOf(r.month) * studyCells.length + index.get(r.cell)!]! += r.n;
      const { bins } = emergingHotSpots({ cells: studyCells, months, counts: grid }, weights, LAKE_EMERGING);
      return cells.filter((cell) =>
        months.some((_, t) => {
          const n = ring(category, cell, t);
          return Math.abs(bins[t * studyCells.length + index.get(cell)!]!) >= 2 && n > 0 && n < T;
        }),
      );
    };
    // The lake's own patterns (as the page published them before) include such cells: the January robbery's ring among them.
    const naive = await withConnection(
      async (c) =>
        (
          await c.runAndReadAll(
            `SELECT offence_category AS category, h3_cell AS cell FROM read_parquet($glob, hive_partitioning = true)
              WHERE emerging_category <> 'no_pattern' AND offence_category <> 'all'`,
            { glob: join(withS.settings.lakeDir, "emerging", "*", "*.parquet") },
          )
        ).getRowObjectsJS() as unknown as Array<{ category: string; cell: string }>,
    );
    const naiveRobbery = disclosing(
      "robbery",
      naive.filter((r) => r.category === "robbery").map((r) => r.cell),
    );
    expect(naiveRobbery).toContain(FAR);
    const emerging = await read<EmergingData>(withS, DASHBOARD_DATA_FILES.emerging);
    expect(emerging.cells.length).toBeGreaterThan(0);
    for (const category of emerging.categories) {
      expect(
        disclosing(
          category,
          emerging.cells.filter((c) => c.category === category).map((c) => c.cell),
        ),
      ).toEqual([]);
    }
    expect(emerging.runs.find((r) => r.category === "robbery")!.withheld).toBeGreaterThan(0);
  });

  it("publishes no emerging trend statistic: the Mann-Kendall z and p stay in the lake", async () => {
    // The trend orders a cell's monthly statistics over every month, the months the ring rule does not
    // check among them (not significant): published beside the hot-spot page it would relate small rings.
    const lake = await withConnection(
      async (c) =>
        (
          await c.runAndReadAll(`SELECT count(trend_z)::INTEGER AS n FROM read_parquet($glob, hive_partitioning = true)`, {
            glob: join(withS.settings.lakeDir, "emerging", "*", "*.parquet"),
          })
        ).getRowObjectsJS() as unknown as Array<{ n: number }>,
    );
    expect(lake[0]!.n).toBeGreaterThan(0);
    const emerging = await read<EmergingData>(withS, DASHBOARD_DATA_FILES.emerging);
    expect(emerging.cells.length).toBeGreaterThan(0);
    for (const cell of emerging.cells) expect(Object.keys(cell).sort()).toEqual(["category", "cell", "cold_months", "hot_months", "pattern"]);
    expect(await readFile(join(withS.out, DASHBOARD_DATA_FILES.emerging), "utf8")).not.toMatch(/trend_[zp]/);
  });
});

/**
 * Linked tables (q2 finding 1): the count tables are linked by more sums than each release protects
 * alone — a year's category is the sum of its months over every municipality; the grand total that
 * meta.json and the data-quality page publish is the sum of the years; a month's total over the study
 * area is both the sum of its municipalities and of its exports. A lake built for these attacks: a
 * district burglary month of 4 (withheld with the district's theft beside it, while the city's
 * burglary months are published), a December of 3 robberies alone in its year, and a second export
 * whose one May holds 3 incidents.
 */
describe("reconstructing withheld counts across linked count tables", () => {
  const LINKED_MONTHS = ["2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06"];
  let linked: Built;
  let naive: { monthly: MonthlyCount[]; yearly: YearlyCount[]; bySource: Array<{ file: string; month: string; count: number | null }> };

  const csvOf = (prefix: string, rows: Array<[month: string, cell: string, category: string, count: number, municipality: string]>) => {
    const lines = ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source"];
    let id = 0;
    for (const [month, cell, category, count, municipality] of rows) {
      const [lat, lon] = cellToLatLng(cell);
      for (let i = 0; i < count; i++) {
        lines.push(
          `${prefix}-${++id},${month}-${String(1 + (i % 27)).padStart(2, "0")}T12:00:00+02:00,X,${category},pre_trial_investigation,${lat.toFixed(6)},${lon.toFixed(6)},${municipality},x,test`,
        );
      }
    }
    return lines.join("\n") + "\n";
  };

  beforeAll(async () => {
    const root = join(dir, "linked");
    const settings = testLakeSettings(root);
    const a: Array<[string, string, string, number, string]> = [["2018-12", CENTRE, "robbery", 3, CITY]];
    for (const month of LINKED_MONTHS) a.push([month, CENTRE, "burglary", 6, CITY], [month, N1, "theft", 9, CITY], [month, KURSENAI, "theft", 8, DISTRICT]);
    a.push(["2019-03", KURSENAI, "burglary", 4, DISTRICT]);
    const b: Array<[string, string, string, number, string]> = [
      ["2019-05", N2, "theft", 3, CITY],
      ["2019-06", N2, "theft", 8, CITY],
    ];
    await writeFile(join(dir, "linked-a.csv"), csvOf("A", a));
    await writeFile(join(dir, "linked-b.csv"), csvOf("B", b));
    await ingestStage([join(dir, "linked-a.csv"), join(dir, "linked-b.csv")], settings);
    await contextStage(settings);
    await analyseStage(settings);
    const out = join(root, "data");
    await publishDashboardData({
      lakeDir: settings.lakeDir,
      outDir: out,
      manifest: await readManifest(settings.lakeDir, settings.timeZone, settings.resolution),
      municipalities: selectMunicipalities(await readMunicipalities(settings.municipalitiesGeoJson), settings.studyMunicipalities),
      suppressionThreshold: T,
      sensitiveCategories: SENSITIVE_CATEGORIES,
      k: settings.k,
      attribution: "test",
      municipalitiesGeoJson: settings.municipalitiesGeoJson,
    });
    linked = { settings, out };
    naive = await withConnection(async (c) => naiveCountTables(await countRows(c, settings.lakeDir)));
  }, 240_000);

  /** The published files as the attacks read them: the naive count tables in place of the published ones where given. */
  const files = async (tables?: typeof naive) => {
    const quality = await read<DataQuality>(linked, DASHBOARD_DATA_FILES.dataQuality);
    return {
      monthly: tables?.monthly ?? (await read<MonthlyCount[]>(linked, DASHBOARD_DATA_FILES.monthlyCounts)),
      yearly: tables?.yearly ?? (await read<YearlyCount[]>(linked, DASHBOARD_DATA_FILES.yearlyCounts)),
      bySource: tables ? tables.bySource.map((s) => ({ name: s.file, month: s.month, count: s.count })) : quality.monthly,
      exports: new Map(quality.sources.map((s) => [s.name, s.rows_ingested])),
      rowsIngested: (await read<DashboardMeta>(linked, DASHBOARD_DATA_FILES.meta)).summary.rows_ingested,
    };
  };

  it("year minus its months across municipalities: gives the district's burglary of 4 back from the naive release, nothing from the published files", async () => {
    expect(yearMinusMonths(await files(naive))).toContainEqual({ cell: "2019-03 Šiaulių r. sav. burglary", value: 4 });
    expect(yearMinusMonths(await files())).toEqual([]);
  });

  it("grand total minus the years: gives December's 3 robberies back from the naive release, nothing from the published files", async () => {
    expect(grandMinusYears(await files(naive))).toEqual([{ cell: "2018", value: 3 }]);
    expect(grandMinusYears(await files())).toEqual([]);
    // The row accounting stays published, exactly.
    const published = await files();
    expect(published.rowsIngested).toBe(3 + 6 * (6 + 9 + 8) + 4 + 3 + 8);
    expect([...published.exports.values()].sort((x, y) => x - y)).toEqual([11, 3 + 6 * 23 + 4]);
  });

  it("an export's months against the month totals: gives the second export's May of 3 back from the naive release, nothing from the published files", async () => {
    expect(exportAgainstMonthTotals(await files(naive))).toEqual([expect.objectContaining({ value: 3 })]);
    expect(exportAgainstMonthTotals(await files())).toEqual([]);
  });

  it("every relation at once, solved until nothing changes, recovers no count below the threshold from the published files", async () => {
    expect(solveLinked(await files(naive)).length).toBeGreaterThan(0);
    expect(solveLinked(await files())).toEqual([]);
  });
});

type LinkedFiles = {
  monthly: readonly MonthlyCount[];
  yearly: readonly YearlyCount[];
  bySource: ReadonlyArray<{ name: string; month: string; count: number | null }>;
  exports: ReadonlyMap<string, number>;
  rowsIngested: number;
};
type Found = { cell: string; value: number };
const smallFound = (found: Found[]) => found.filter((f) => f.value > 0 && f.value < T);
/** A published total minus its published parts, where exactly one part is withheld. */
function oneMissing(total: number | null, parts: ReadonlyArray<{ cell: string; count: number | null }>): Found[] {
  const missing = parts.filter((p) => p.count === null);
  if (total === null || missing.length !== 1) return [];
  return [{ cell: missing[0]!.cell, value: total - parts.reduce((s, p) => s + (p.count ?? 0), 0) }];
}
function yearMinusMonths({ monthly, yearly }: LinkedFiles): Found[] {
  return smallFound(
    yearly.flatMap((y) =>
      oneMissing(
        y.count,
        monthly
          .filter((m) => m.month.startsWith(y.year) && m.category === y.category)
          .map((m) => ({ cell: `${m.month} ${m.municipality} ${m.category}`, count: m.count })),
      ),
    ),
  );
}
function grandMinusYears({ yearly, rowsIngested }: LinkedFiles): Found[] {
  return smallFound(
    oneMissing(
      rowsIngested,
      yearly.filter((y) => y.category === "all").map((y) => ({ cell: y.year, count: y.count })),
    ),
  );
}
/** Per month: the total over municipalities (where all are published) minus the other exports' months, and the reverse. */
function exportAgainstMonthTotals({ monthly, bySource }: LinkedFiles): Found[] {
  const months = [...new Set(bySource.map((s) => s.month))];
  return smallFound(
    months.flatMap((month) => {
      const municipalities = monthly
        .filter((m) => m.month === month && m.category === "all")
        .map((m) => ({ cell: `${month} ${m.municipality}`, count: m.count }));
      const exports = bySource.filter((s) => s.month === month).map((s) => ({ cell: `${s.name} ${month}`, count: s.count }));
      const sum = (parts: typeof exports) => (parts.every((p) => p.count !== null) ? parts.reduce((s, p) => s + p.count!, 0) : null);
      return [...oneMissing(sum(municipalities), exports), ...oneMissing(sum(exports), municipalities)];
    }),
  );
}
/** Every relation of the count tables and the row accounting, any one unknown solved, until nothing changes. */
function solveLinked({ monthly, yearly, bySource, exports, rowsIngested }: LinkedFiles): Found[] {
  const known = new Map<string, number>();
  const relations: Array<[string, string[]]> = [];
  const put = (key: string, count: number | null) => count !== null && known.set(key, count);
  for (const m of monthly) put(`m ${m.month} ${m.municipality} ${m.category}`, m.count);
  for (const y of yearly) put(`y ${y.year} ${y.category}`, y.count);
  for (const s of bySource) put(`s ${s.name} ${s.month}`, s.count);
  for (const [name, n] of exports) put(`e ${name}`, n);
  put("grand", rowsIngested);
  const group = <R>(rows: readonly R[], key: (r: R) => string) => {
    const out = new Map<string, R[]>();
    for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
    return out;
  };
  for (const [k, rows] of group(monthly, (m) => `${m.month} ${m.municipality}`)) {
    relations.push([`m ${k} all`, rows.filter((m) => m.category !== "all").map((m) => `m ${m.month} ${m.municipality} ${m.category}`)]);
  }
  for (const [year, rows] of group(yearly, (y) => y.year))
    relations.push([`y ${year} all`, rows.filter((y) => y.category !== "all").map((y) => `y ${year} ${y.category}`)]);
  for (const y of yearly)
    relations.push([
      `y ${y.year} ${y.category}`,
      monthly.filter((m) => m.month.startsWith(y.year) && m.category === y.category).map((m) => `m ${m.month} ${m.municipality} ${m.category}`),
    ]);
  for (const [month, rows] of group(bySource, (s) => s.month)) {
    relations.push([`v ${month}`, rows.map((s) => `s ${s.name} ${month}`)]);
    relations.push([`v ${month}`, monthly.filter((m) => m.month === month && m.category === "all").map((m) => `m ${month} ${m.municipality} all`)]);
  }
  for (const [year] of group(yearly, (y) => y.year))
    relations.push([`y ${year} all`, [...new Set(bySource.map((s) => s.month))].filter((m) => m.startsWith(year)).map((m) => `v ${m}`)]);
  for (const [name, rows] of group(bySource, (s) => s.name)) relations.push([`e ${name}`, rows.map((s) => `s ${name} ${s.month}`)]);
  relations.push(["grand", yearly.filter((y) => y.category === "all").map((y) => `y ${y.year} all`)]);
  const found: Found[] = [];
  for (let changed = true; changed;) {
    changed = false;
    for (const [total, parts] of relations) {
      const missing = [total, ...parts].filter((k) => !known.has(k));
      if (missing.length !== 1) continue;
      const cell = missing[0]!;
      const value =
        cell === total
          ? parts.reduce((s, p) => s + known.get(p)!, 0)
          : known.get(total)! - parts.filter((p) => p !== cell).reduce((s, p) => s + known.get(p)!, 0);
      known.set(cell, value);
      found.push({ cell, value });
      changed = true;
    }
  }
  return smallFound(found);
}

/** The count tables as the dashboard released them before linked suppression: each table's totals and parts alone (releaseParts). */
function naiveCountTables(rows: readonly CountRow[]) {
  const grouped = (key: (r: CountRow) => string, part: (r: CountRow) => string) => {
    const out = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const parts = out.get(key(r)) ?? out.set(key(r), new Map()).get(key(r))!;
      parts.set(part(r), (parts.get(part(r)) ?? 0) + r.n);
    }
    return [...out].map(([k, parts]) => {
      const released = releaseParts([...parts.values()], T, { zeroDisclosive: false });
      return { key: k, total: released.total, parts: [...parts.keys()].map((p, i) => [p, released.parts[i]!] as const) };
    });
  };
  const monthly = grouped(
    (r) => `${r.month}|${r.municipality}`,
    (r) => r.category,
  ).flatMap(({ key, total, parts }) => {
    const [month, municipality] = key.split("|") as [string, string];
    return [["all", total] as const, ...parts].map(([category, count]) => ({ month, municipality, category, count, average_12m: null }));
  });
  const yearly = grouped(
    (r) => r.month.slice(0, 4),
    (r) => r.category,
  ).flatMap(({ key, total, parts }) => [["all", total] as const, ...parts].map(([category, count]) => ({ year: key, category, count })));
  const bySource = grouped(
    (r) => r.file,
    (r) => r.month,
  ).flatMap(({ key, parts }) => parts.map(([month, count]) => ({ file: key, month, count })));
  return { monthly, yearly, bySource };
}
