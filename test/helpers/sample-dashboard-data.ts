/**
 * Writes small, deterministic, contract-conformant dashboard data (see `dashboard/data-contract.ts`)
 * into a folder, for developing and testing the dashboard without the real pipeline: six months across
 * a year boundary, three mapped categories plus one sensitive category (municipality counts only), both
 * Šiauliai municipalities, real H3 resolution-8 cells around Šiauliai (55.93 N, 23.31 E), the real
 * municipality outlines from `shared/data/geo`, emerging patterns, a patrol forecast with its backtest,
 * two projects (one evaluated before/after) and two input files with quarantined rows.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { cellArea, cellToLatLng, greatCircleDistance, gridDisk, latLngToCell } from "h3-js";
import {
  DASHBOARD_DATA_FILES,
  type DashboardMeta,
  type DataQuality,
  type EmergingData,
  type EvaluationData,
  type GiBin,
  type HexagonCollection,
  type HotspotGroup,
  type HotspotTable,
  type MapPlace,
  type MonthlyCount,
  type MunicipalityCollection,
  type PatrolBacktest,
  type PatrolCategoryPlan,
  type PatrolData,
  type PatrolForecast,
  type PolygonFeature,
  type YearlyCount,
} from "../../dashboard/data-contract.js";
import { DEFAULTS } from "../../etl/config.ts";
import { placeIndex } from "../../etl/geo/place-names.ts";
import { readPlaces } from "../../etl/geo/places.ts";
import { hexagonOutlines } from "../../etl/publish/cell-geometry.ts";
import { mapPlaces } from "../../etl/publish/places-data.ts";
import { SHARED_BOUNDARIES } from "./shared.ts";
import { poissonInterval } from "../../etl/evaluation/statistics/poisson-interval.ts";
import { writeUnavailableBriefing } from "../../etl/briefing/site-briefing.ts";

export const SAMPLE_MONTHS = ["2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02"];
/** Categories mapped per cell. */
export const SAMPLE_CATEGORIES = ["theft", "burglary", "assault"];
/** A sensitive category: in the municipality counts only. */
export const SAMPLE_SENSITIVE = "domestic_violence";
export const SAMPLE_MUNICIPALITIES = ["Šiaulių m. sav.", "Šiaulių r. sav."];
const CENTRE = { lat: 55.93, lng: 23.31 };
const RESOLUTION = 8;
const THRESHOLD = 5;

/** Park–Miller minimal standard generator: deterministic numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed % 2147483647 || 1;
  return () => {
    state = (state * 16807) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

/** Gi* confidence bin for a z-score, as ArcGIS reports it (0 = not significant). */
export function giBin(z: number): GiBin | 0 {
  const a = Math.abs(z);
  const level = a >= 2.576 ? 3 : a >= 1.96 ? 2 : a >= 1.645 ? 1 : 0;
  return (Math.sign(z) * level) as GiBin | 0;
}

function monthlyCounts(random: () => number): MonthlyCount[] {
  const rows: MonthlyCount[] = [];
  const base: Record<string, number> = { theft: 60, burglary: 14, assault: 6, [SAMPLE_SENSITIVE]: 9 };
  for (const month of SAMPLE_MONTHS) {
    for (const category of [...SAMPLE_CATEGORIES, SAMPLE_SENSITIVE].sort()) {
      for (const municipality of SAMPLE_MUNICIPALITIES) {
        const scale = municipality.startsWith("Šiaulių m.") ? 1 : 0.35;
        const n = Math.round((base[category] ?? 10) * scale * (0.6 + 0.8 * random()));
        rows.push({ month, category, municipality, count: n < THRESHOLD ? null : n, average_12m: null });
      }
    }
    for (const municipality of SAMPLE_MUNICIPALITIES) {
      const parts = rows.filter((r) => r.month === month && r.municipality === municipality);
      rows.push({ month, category: "all", municipality, count: parts.reduce((s, r) => s + (r.count ?? 2), 0), average_12m: null });
    }
  }
  return rows;
}

/** Yearly counts per category and in total, from the monthly ones (a suppressed month counts as 2). */
function yearlyCounts(monthly: MonthlyCount[]): YearlyCount[] {
  const sums = new Map<string, number>();
  for (const { month, category, count } of monthly) {
    if (category === "all") continue;
    for (const key of [`${month.slice(0, 4)}|${category}`, `${month.slice(0, 4)}|all`]) sums.set(key, (sums.get(key) ?? 0) + (count ?? 2));
  }
  return [...sums.entries()].sort().map(([key, n]) => {
    const [year, category] = key.split("|") as [string, string];
    return { year, category, count: n < THRESHOLD ? null : n };
  });
}

const km = (cell: string, p: { lat: number; lng: number }) => greatCircleDistance(cellToLatLng(cell), [p.lat, p.lng], "km");
const HOT = (m: number) => ({ lat: CENTRE.lat + 0.004, lng: CENTRE.lng - 0.03 + 0.012 * m });
const COLD = { lat: CENTRE.lat - 0.02, lng: CENTRE.lng - 0.025 };

/**
 * z-scores that form a hot blob drifting east month by month and a cold blob in the south-west, so
 * that every month has a different set of significant cells; the FDR bin is the bin of 0.8 z (never
 * stronger), the count grows with z and is suppressed below the threshold.
 */
function hotspotTable(cells: string[], random: () => number): HotspotTable {
  const groups: HotspotGroup[] = [];
  const used = new Set<string>();
  const rows: Array<{ g: HotspotGroup; cell: string; z: number; bin: GiBin; n: number }> = [];
  for (const [m, month] of SAMPLE_MONTHS.entries()) {
    for (const [c, category] of ["all", ...SAMPLE_CATEGORIES].entries()) {
      const g: HotspotGroup = { month, category, cell: [], bin: [], bin_fdr: [], count: [], withheld: 0, withheld_fdr: 0 };
      groups.push(g);
      for (const cell of cells) {
        const z = (3.8 - c * 0.3) * Math.exp(-km(cell, HOT(m)) / 1.8) - 3.5 * Math.exp(-km(cell, COLD) / 1.7) + 0.6 * (random() - 0.5);
        const bin = giBin(z);
        if (bin === 0) continue;
        used.add(cell);
        rows.push({ g, cell, z: Math.round(z * 100) / 100, bin, n: Math.max(0, Math.round(z * 3 + random() * 3)) });
      }
    }
  }
  const sorted = [...used].sort();
  const index = new Map(sorted.map((c, i) => [c, i]));
  for (const r of rows) {
    r.g.cell.push(index.get(r.cell)!);
    r.g.bin.push(r.bin);
    r.g.bin_fdr.push(giBin(r.z * 0.8));
    r.g.count.push(r.n < THRESHOLD ? null : r.n);
  }
  // Every category tested exactly, but for one by Monte Carlo in odd months (the page names each month's methods).
  const tested = 1 + SAMPLE_CATEGORIES.length;
  const inference = SAMPLE_MONTHS.map((month, m) => ({ month, exact: tested - (m % 2), monte_carlo: m % 2, normal: 0 }));
  return {
    cells: sorted,
    categories: ["all", ...SAMPLE_CATEGORIES],
    all_excludes: ["domestic_violence", "sexual_offence"],
    groups,
    untested: [],
    inference,
    permutations: 9999,
  };
}

/** Patterns by distance from the last month's hot centre and from the cold blob. */
function emerging(cells: string[]): EmergingData {
  const hot = HOT(SAMPLE_MONTHS.length - 1);
  const out: EmergingData["cells"] = [];
  const patterns: Record<string, number> = {};
  for (const cell of cells) {
    const dHot = km(cell, hot);
    const dCold = km(cell, COLD);
    const dStart = km(cell, HOT(0));
    const pattern =
      dHot < 0.6
        ? "intensifying_hot_spot"
        : dHot < 1.1
          ? "persistent_hot_spot"
          : dHot < 1.6
            ? "new_hot_spot"
            : dStart < 0.9
              ? "historical_hot_spot"
              : dCold < 0.8
                ? "persistent_cold_spot"
                : dCold < 1.4
                  ? "diminishing_cold_spot"
                  : dHot < 2.2
                    ? "sporadic_hot_spot"
                    : "no_pattern";
    patterns[pattern] = (patterns[pattern] ?? 0) + 1;
    if (pattern === "no_pattern") continue;
    const hotMonths = pattern.endsWith("hot_spot") ? (pattern === "new_hot_spot" ? 1 : pattern === "sporadic_hot_spot" ? 3 : 6) : 0;
    out.push({
      category: "all",
      cell,
      pattern,
      hot_months: hotMonths,
      cold_months: pattern.endsWith("cold_spot") ? 6 : 0,
    });
  }
  return {
    categories: ["all"],
    runs: [
      {
        category: "all",
        first_month: SAMPLE_MONTHS[0]!,
        last_month: SAMPLE_MONTHS.at(-1)!,
        months: SAMPLE_MONTHS.length,
        fdr: true,
        min_bin: 2,
        trend_alpha: 0.05,
        time_window: 1,
        patterns,
        // The release rules withheld these cells' patterns (the page says so, never "no pattern").
        withheld: 3,
      },
    ],
    cells: out,
    // Assaults: too sparse for the method in the sample's months (the page names them with the rule).
    skipped: [{ category: "assault", reason: "few_months", months: SAMPLE_MONTHS.length, minimum_months: 10 }],
  };
}

/** Two methods' rankings for the month after the sample (near the hot centre first) and a 6-month backtest. */
function patrol(cells: string[]): { patrol: PatrolData; more: PatrolCategoryPlan[] } {
  const studyArea = 1900;
  const hot = HOT(SAMPLE_MONTHS.length - 1);
  const methods = ["selected", "last-12-months"];
  const forecastCells: PatrolForecast["cells"] = [];
  for (const [i, method] of methods.entries()) {
    const ranked = [...cells].sort((a, b) => km(a, hot) + i * 0.3 * km(a, HOT(3)) - (km(b, hot) + i * 0.3 * km(b, HOT(3))) || a.localeCompare(b)).slice(0, 16);
    let area = 0;
    ranked.forEach((cell, r) => {
      const a = cellArea(cell, "km2");
      area += a;
      // Rank 10 of the baseline is withheld by the release rules: the page's list stops at rank 9.
      if (method === "last-12-months" && r + 1 === 10) return;
      forecastCells.push({
        method,
        rank: r + 1,
        cell,
        score: Math.round((40 - r * 2.1 - i * 0.7) * 100) / 100,
        area_km2: Math.round(a * 1000) / 1000,
        cumulative_area_share: Math.round((area / studyArea) * 1e4) / 1e4,
      });
    });
  }
  const all = [...methods, "last-month"];
  const shares = [0.01, 0.05, 0.1];
  const monthly: PatrolBacktest["monthly"] = [];
  const summary: PatrolBacktest["summary"] = [];
  for (const [i, method] of all.entries()) {
    for (const [j, share] of shares.entries()) {
      const rows = SAMPLE_MONTHS.map((month, m) => {
        const hit = Math.min(0.98, [0.3, 0.55, 0.7][j]! - i * 0.04 + ((m % 3) - 1) * 0.02);
        const pei = Math.min(1, 0.85 - i * 0.07 + ((m % 2) - 0.5) * 0.04 + j * 0.03);
        // One month of the 5 % lists (the page's default share) withheld, as a month whose lists caught fewer than the threshold is.
        // And one 10 % month of the baseline's alone: the methods' means cover different months, their bars the shared ones.
        const withheld = (j === 1 && m === 2) || (j === 2 && i === 1 && m === 4);
        return {
          method,
          area_target: share,
          month,
          hit_rate: withheld ? null : round(hit, 4),
          pai: withheld ? null : round(hit / share, 2),
          pei_star: withheld ? null : round(pei, 4),
          chosen: method === "selected" ? "ewma(h=12)" : null,
        };
      });
      monthly.push(...rows);
      const shown = rows.filter((r) => r.hit_rate !== null);
      const mean = (k: "hit_rate" | "pai" | "pei_star", of = shown) => of.reduce((s, r) => s + r[k]!, 0) / of.length;
      // The months every method released at the share (no month withheld of any of them at it).
      const baseline = method === "last-12-months";
      const common = shown.filter((r) => (j !== 1 || r.month !== SAMPLE_MONTHS[2]) && (j !== 2 || r.month !== SAMPLE_MONTHS[4]));
      const paired = baseline ? shown.length : common.length;
      const difference = round(mean("pai") - (0.3 + [0, 0.25, 0.4][j]!) / share, 2);
      summary.push({
        method,
        area_target: share,
        months: shown.length,
        area_share: share,
        hit_rate: round(mean("hit_rate"), 4),
        pai: round(mean("pai"), 2),
        pei_star: round(mean("pei_star"), 4),
        hits_top_10: 20 - i,
        hits_top_20: 31 - i,
        recent_pai: round(mean("pai"), 2),
        shared: {
          months: common.length,
          hit_rate: round(mean("hit_rate", common), 4),
          pai: round(mean("pai", common), 2),
          pei_star: round(mean("pei_star", common), 4),
        },
        vs_baseline: {
          months: paired,
          mean_difference: difference,
          ci_low: round(difference - 0.4, 2),
          ci_high: round(difference + 0.4, 2),
          // The baseline against itself ties every month.
          wins: baseline ? 0 : Math.max(0, paired - 2 - i),
          losses: baseline ? 0 : Math.min(paired, 2 + i),
          ties: baseline ? paired : 0,
        },
      });
    }
  }
  const forecast: PatrolForecast = {
    month: "2025-03",
    category: "all",
    all_excludes: ["domestic_violence", "sexual_offence"],
    history_from: SAMPLE_MONTHS[0]!,
    history_to: SAMPLE_MONTHS.at(-1)!,
    area_share: 0.05,
    methods,
    chosen: { method: "ewma(h=12)", reason: "best in backtest", margin: 0.021, gain_over_baseline: 0.073, runner_up: "ewma(h=24)", months: 24 },
    cells: forecastCells,
    withheld: { selected: 0, "last-12-months": 1 },
  };
  // Thefts: a forecast whose choice had no runner-up (null margin and gain, "no runner-up" on the page), no backtest.
  const theft: PatrolForecast = {
    ...forecast,
    category: "theft",
    all_excludes: [],
    area_share: 0.01,
    chosen: { method: "last-12-months", reason: "baseline best in backtest", margin: null, gain_over_baseline: null, runner_up: null, months: 8 },
    cells: forecastCells.filter((c) => c.rank <= 6),
  };
  // The thefts' plan is in patrol-categories.json, which the page loads when thefts are chosen.
  const more: PatrolCategoryPlan[] = [{ category: "theft", forecast: theft, backtest: null }];
  const patrol: PatrolData = {
    categories: ["all", "theft"],
    forecast,
    backtest: {
      category: "all",
      all_excludes: [],
      first_month: SAMPLE_MONTHS[0]!,
      last_month: SAMPLE_MONTHS.at(-1)!,
      min_history_months: 12,
      methods: all,
      summary,
      monthly,
    },
  };
  return { patrol, more };
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** An evaluated project (counts as in the We Are entry) and a project with indicators only. */
function evaluation(): EvaluationData {
  const outcome = (caseType: string, before: number, after: number, control: [number, number]) => ({
    category: "drug_possession",
    case_type: caseType,
    desired_direction: "increase" as const,
    before,
    after,
    before_scaled: before,
    before_ci: poissonInterval(before).map((v) => round(v, 3)) as [number, number],
    after_ci: poissonInterval(after).map((v) => round(v, 3)) as [number, number],
    change: after - before,
    percent_change: round(((after - before) * 100) / before, 1),
    rate_ratio: round(after / before, 4),
    ci_low: round((after / before) * 0.25, 4),
    ci_high: round((after / before) * 5.8, 4),
    exact_p: 0.2266,
    e_test_p: 0.1407,
    significant: false,
    direction_met: true,
    too_small_to_show_change: true,
    exposure: { before_rate: round((before / 4021) * 1e4, 3), after_rate: round((after / 5719) * 1e4, 3), rate_ratio: 1.87, p_value: 0.54, per: 10000 },
    control: { before: control[0], after: control[1], wdd: after - before + control[0] - control[1], ci_low: -2.8, ci_high: 16.8, p_value: 0.16 },
  });
  const indicator = (
    id: string,
    name: string,
    kind: "process" | "outcome",
    unit: string,
    figures: { baseline?: number; target?: number; achieved?: number },
  ) => ({
    id,
    name,
    kind,
    unit,
    baseline: figures.baseline ?? null,
    baseline_period: figures.baseline === undefined ? null : "2018",
    target: figures.target ?? null,
    achieved: figures.achieved ?? null,
    achieved_qualifier: figures.achieved === undefined ? null : ("exact" as const),
    period: "2019",
    desired_direction: "increase" as const,
    percent_of_target: figures.target && figures.achieved !== undefined ? round((figures.achieved * 100) / figures.target, 1) : null,
    target_met: figures.target && figures.achieved !== undefined ? figures.achieved >= figures.target : null,
    change_from_baseline: figures.baseline !== undefined && figures.achieved !== undefined ? figures.achieved - figures.baseline : null,
    percent_change_from_baseline:
      figures.baseline !== undefined && figures.achieved !== undefined ? round(((figures.achieved - figures.baseline) * 100) / figures.baseline, 1) : null,
    direction_met: figures.baseline !== undefined && figures.achieved !== undefined ? figures.achieved > figures.baseline : null,
    checkpoints: [] as EvaluationData["projects"][number]["indicators"][number]["checkpoints"],
    note: null,
  });
  const people = indicator("people", "Community members involved in project activities", "process", "persons", { target: 10000 });
  people.checkpoints = [
    {
      label: "Mid-term evaluation",
      month: "2019-06",
      value: 3000,
      basis: "cumulative",
      qualifier: "approximate",
      cumulative: 3000,
      cumulative_qualifier: "approximate",
      percent_of_target: 30,
    },
    {
      label: "Second half of 2019",
      month: "2019-12",
      value: 8000,
      basis: "in_period",
      qualifier: "more_than",
      cumulative: 11000,
      cumulative_qualifier: "more_than",
      percent_of_target: 110,
    },
  ];
  const years = [2015, 2016, 2017, 2018, 2019, 2020, 2021];
  return {
    projects: [
      {
        id: "sample-project",
        title: "Sample project (We Are)",
        country: "LT",
        promoter: "Šiauliai police community group",
        programme: null,
        funding: { amount: 3000, currency: "EUR" },
        period: { start: "2019-01", end: "2019-12" },
        note: null,
        indicators: [
          people,
          indicator("business", "Meetings with businesses", "outcome", "meetings", { baseline: 2, achieved: 25 }),
          indicator("pretrial", "Pre-trial investigations into drug possession, Kuršėnai", "outcome", "cases", { baseline: 2, achieved: 5 }),
          indicator("courses", "Training courses", "process", "courses", { achieved: 8 }),
        ],
        evaluations: [
          {
            id: "sample-kursenai",
            title: "Drug possession registered in Kuršėnai, 2018 → 2019",
            area: "Kuršėnai",
            control: "Šiaulių r. sav. excluding Kuršėnai",
            control_note: "The comparison area is the rest of the district.",
            before: { label: "2018", first_month: "2018-01", last_month: "2018-12", days: 365 },
            after: { label: "2019", first_month: "2019-01", last_month: "2019-12", days: 365 },
            confidence_level: 0.95,
            outcomes: [outcome("all", 3, 8, [8, 6]), outcome("pre_trial_investigation", 2, 5, [4, 3]), outcome("administrative_offence", 1, 3, [4, 3])],
            history: years.map((year, i) => ({ category: "drug_possession", year, area: [3, 3, 3, 3, 8, 6, 6][i]!, control: [10, 7, 17, 8, 6, 10, 6][i]! })),
            exposure: {
              indicator: "immigrants_registered",
              area_name: "Šiaulių apskritis",
              unit: "persons",
              source: "osp.stat.gov.lt",
              source_lt: "osp.stat.gov.lt (Oficialiosios statistikos portalas)",
              values: years.slice(0, 5).map((year, i) => ({ year, value: [2836, 2562, 3390, 4021, 5719][i]! })),
            },
            cross_checks: [{ case_type: "pre_trial_investigation", seed_before: 2, seed_after: 5, lake_before: 2, lake_after: 5, agrees: true }],
            caveats: ["Regression to the mean: a year picked because its count was unusual tends to move back with no intervention at all."],
            caveats_lt: ["Regresija į vidurkį: metai, pasirinkti dėl neįprasto atvejų skaičiaus, ir be jokios intervencijos linkę grįžti prie įprasto lygio."],
            error: null,
          },
        ],
      },
      {
        id: "sample-indicators-only",
        title: "Police cooperation (indicators only)",
        country: "RO",
        promoter: null,
        programme: "Norway Grants",
        funding: null,
        period: { start: null, end: null },
        note: null,
        indicators: [indicator("participants", "Police officers in workshops", "outcome", "persons", { target: 300, achieved: 538 })],
        evaluations: [],
      },
    ],
  };
}

/** Two input files: one with quarantined rows and warnings, one clean. */
function dataQuality(monthly: MonthlyCount[]): DataQuality {
  const total = (month: string) => monthly.filter((r) => r.month === month).reduce((s, r) => s + (r.count ?? 2), 0);
  const file = (name: string, months: string[], quarantine: Record<string, number>, warnings: Record<string, number | null>) => {
    const ingested = months.reduce((s, m) => s + total(m), 0);
    const quarantined = Object.values(quarantine).reduce((s, n) => s + n, 0);
    return {
      name,
      file: `${name}.csv`,
      source: "siauliai-demo",
      sha256: "0123456789ab",
      rows_read: ingested + quarantined,
      rows_ingested: ingested,
      rows_quarantined: quarantined,
      quarantine_reasons: quarantine,
      warnings,
      first_month: months[0]!,
      last_month: months.at(-1)!,
      months: months.length,
      time_precision: { minute: ingested },
      share_without_coordinates: round((quarantine.missing_coordinates ?? 0) / (ingested + quarantined), 4),
      bounds: { west: 23.15, south: 55.86, east: 23.45, north: 56.0 },
    };
  };
  const first = SAMPLE_MONTHS.slice(0, 4);
  const second = SAMPLE_MONTHS.slice(4);
  return {
    sources: [
      file("siauliai-2024", first, { exact_duplicate: 1, invalid_timestamp: 2, missing_coordinates: 3, unmapped_offence: 1 }, { ambiguous_local_time: null }),
      file("siauliai-2025", second, {}, {}),
    ],
    monthly: [
      ...first.map((month) => ({ name: "siauliai-2024", month, count: total(month) })),
      ...second.map((month) => ({ name: "siauliai-2025", month, count: total(month) })),
    ],
  };
}

interface SourceFeature {
  properties: { name: string };
  geometry: PolygonFeature<unknown>["geometry"];
}

async function municipalities(): Promise<MunicipalityCollection> {
  const source = JSON.parse(await readFile(SHARED_BOUNDARIES, "utf8")) as { features: SourceFeature[] };
  const features = source.features
    .filter((f) => SAMPLE_MUNICIPALITIES.includes(f.properties.name))
    .map((f): PolygonFeature<{ name: string }> => ({ type: "Feature", properties: { name: f.properties.name }, geometry: f.geometry }));
  if (features.length !== SAMPLE_MUNICIPALITIES.length) throw new Error(`outlines missing in ${SHARED_BOUNDARIES}`);
  return { type: "FeatureCollection", features };
}

/** The sample data set, in memory. */
export async function makeSampleDashboardData(): Promise<{
  meta: DashboardMeta;
  monthlyCounts: MonthlyCount[];
  yearlyCounts: YearlyCount[];
  hotspots: HotspotTable;
  hexagons: HexagonCollection;
  municipalities: MunicipalityCollection;
  emerging: EmergingData;
  patrol: PatrolData;
  patrolCategories: PatrolCategoryPlan[];
  evaluation: EvaluationData;
  dataQuality: DataQuality;
  places: MapPlace[];
}> {
  const random = seededRandom(20240901);
  const grid = gridDisk(latLngToCell(CENTRE.lat, CENTRE.lng, RESOLUTION), 6).sort();
  const counts = monthlyCounts(random);
  const hotspots = hotspotTable(grid, random);
  const emergingData = emerging(grid);
  const { patrol: patrolData, more: patrolCategories } = patrol(grid);
  const outlines = await municipalities();
  const mapped = [...hotspots.cells, ...emergingData.cells.map((c) => c.cell), ...patrolData.forecast!.cells.map((c) => c.cell)];
  const quality = dataQuality(counts);
  const ingested = quality.sources.reduce((s, f) => s + f.rows_ingested, 0);
  const quarantined = quality.sources.reduce((s, f) => s + f.rows_quarantined, 0);
  const meta: DashboardMeta = {
    title: { lt: "Šiaulių nusikalstamumo prevencijos skydelis (pavyzdiniai duomenys)", en: "Šiauliai crime-prevention dashboard (sample data)" },
    generated_at: "2025-03-01T06:00:00.000Z",
    attribution: "Municipality outlines © OpenStreetMap contributors, ODbL",
    suppression_threshold: THRESHOLD,
    sensitive_categories: ["domestic_violence", "sexual_offence"],
    resolution: RESOLUTION,
    k: 1,
    timezone: "Europe/Vilnius",
    study_area: SAMPLE_MUNICIPALITIES.join(" + "),
    hull_ring: null,
    study_area_outline: null,
    months: SAMPLE_MONTHS,
    before_analysis: null,
    not_analysed: [],
    categories: ["all", ...[...SAMPLE_CATEGORIES, SAMPLE_SENSITIVE].sort()],
    summary: { rows_read: ingested + quarantined, rows_ingested: ingested, rows_quarantined: quarantined },
  };
  const places = await readPlaces(DEFAULTS.placesCsv);
  return {
    meta,
    monthlyCounts: counts,
    yearlyCounts: yearlyCounts(counts),
    hotspots,
    hexagons: hexagonOutlines(mapped, outlines as Parameters<typeof hexagonOutlines>[1], placeIndex(places)),
    municipalities: outlines,
    emerging: emergingData,
    patrol: patrolData,
    patrolCategories,
    evaluation: evaluation(),
    dataQuality: quality,
    places: mapPlaces(places, outlines as Parameters<typeof mapPlaces>[1], mapped),
  };
}

/** Writes the contract files of the sample data set into `dir` (created if missing). */
export async function writeSampleDashboardData(dir: string): Promise<void> {
  const data = await makeSampleDashboardData();
  await mkdir(dir, { recursive: true });
  const files: Array<[string, unknown]> = [
    [DASHBOARD_DATA_FILES.meta, data.meta],
    [DASHBOARD_DATA_FILES.monthlyCounts, data.monthlyCounts],
    [DASHBOARD_DATA_FILES.yearlyCounts, data.yearlyCounts],
    [DASHBOARD_DATA_FILES.hotspots, data.hotspots],
    [DASHBOARD_DATA_FILES.hexagons, data.hexagons],
    [DASHBOARD_DATA_FILES.municipalities, data.municipalities],
    [DASHBOARD_DATA_FILES.emerging, data.emerging],
    [DASHBOARD_DATA_FILES.patrol, data.patrol],
    [DASHBOARD_DATA_FILES.patrolCategories, data.patrolCategories],
    [DASHBOARD_DATA_FILES.evaluation, data.evaluation],
    [DASHBOARD_DATA_FILES.dataQuality, data.dataQuality],
    [DASHBOARD_DATA_FILES.places, data.places],
  ];
  for (const [name, value] of files) await writeFile(join(dir, name), JSON.stringify(value) + "\n");
  await writeUnavailableBriefing(dir, { month: null, areas: 0, unavailable: "no_incidents" }); // the files the patrol page's briefing link names
}
