/**
 * Writes small, deterministic, contract-conformant dashboard data (see `dashboard/data-contract.ts`)
 * into a folder, for developing and testing the dashboard without the real pipeline: six months across
 * a year boundary, three categories, both Šiauliai municipalities, real H3 resolution-8 cells around
 * Šiauliai (55.93 N, 23.31 E) and the real municipality outlines from `shared/data/geo`.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cellToBoundary, cellToLatLng, greatCircleDistance, gridDisk, latLngToCell } from "h3-js";
import {
  DASHBOARD_DATA_FILES,
  type DashboardMeta,
  type GiBin,
  type HexagonCollection,
  type HotspotRow,
  type MonthlyCount,
  type YearlyCount,
  type MunicipalityCollection,
  type PolygonFeature,
  type Ring,
} from "../../dashboard/data-contract.js";

export const SAMPLE_MONTHS = ["2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02"];
export const SAMPLE_CATEGORIES = ["theft", "burglary", "assault"];
export const SAMPLE_MUNICIPALITIES = ["Šiaulių m. sav.", "Šiaulių r. sav."];
const CENTRE = { lat: 55.93, lng: 23.31 };
const RESOLUTION = 8;
const THRESHOLD = 5;

/** Where the shared municipality outlines live (`../shared` beside the project root). */
export const MUNICIPALITIES_GEOJSON = fileURLToPath(
  new URL("../../../shared/data/geo/lt-municipalities.geojson", import.meta.url),
);

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
  const base: Record<string, number> = { theft: 60, burglary: 14, assault: 6 };
  for (const month of SAMPLE_MONTHS) {
    for (const category of SAMPLE_CATEGORIES) {
      for (const municipality of SAMPLE_MUNICIPALITIES) {
        const scale = municipality.startsWith("Šiaulių m.") ? 1 : 0.35;
        const n = Math.round((base[category] ?? 10) * scale * (0.6 + 0.8 * random()));
        rows.push({ month, category, municipality, count: n < THRESHOLD ? null : n });
      }
    }
  }
  return rows;
}

/** Yearly counts per category and in total, from the monthly ones (a suppressed month counts as 2). */
function yearlyCounts(monthly: MonthlyCount[]): YearlyCount[] {
  const sums = new Map<string, number>();
  for (const { month, category, count } of monthly) {
    for (const key of [`${month.slice(0, 4)}|${category}`, `${month.slice(0, 4)}|all`]) sums.set(key, (sums.get(key) ?? 0) + (count ?? 2));
  }
  return [...sums.entries()].sort().map(([key, n]) => {
    const [year, category] = key.split("|") as [string, string];
    return { year, category, count: n < THRESHOLD ? null : n };
  });
}

/**
 * z-scores that form a hot blob drifting east month by month and a cold blob in the south-west, so
 * that every month has a different set of significant cells.
 */
function hotspotRows(cells: string[], random: () => number): HotspotRow[] {
  const rows: HotspotRow[] = [];
  for (const [m, month] of SAMPLE_MONTHS.entries()) {
    const hot = { lat: CENTRE.lat + 0.004, lng: CENTRE.lng - 0.03 + 0.012 * m };
    const cold = { lat: CENTRE.lat - 0.02, lng: CENTRE.lng - 0.025 };
    for (const [c, category] of ["all", ...SAMPLE_CATEGORIES].entries()) {
      for (const cell of cells) {
        const [lat, lng] = cellToLatLng(cell);
        const dHot = greatCircleDistance([lat, lng], [hot.lat, hot.lng], "km");
        const dCold = greatCircleDistance([lat, lng], [cold.lat, cold.lng], "km");
        const z = (3.8 - c * 0.3) * Math.exp(-dHot / 1.8) - 3.5 * Math.exp(-dCold / 1.7) + 0.6 * (random() - 0.5);
        const bin = giBin(z);
        if (bin !== 0) rows.push({ month, category, cell, z: Math.round(z * 1000) / 1000, bin });
      }
    }
  }
  return rows;
}

function hexagons(cells: string[]): HexagonCollection {
  return {
    type: "FeatureCollection",
    features: cells.map((cell) => ({
      type: "Feature",
      properties: { cell },
      geometry: { type: "Polygon", coordinates: [cellToBoundary(cell, true) as Ring] },
    })),
  };
}

interface SourceFeature {
  properties: { name: string };
  geometry: PolygonFeature<unknown>["geometry"];
}

async function municipalities(): Promise<MunicipalityCollection> {
  const source = JSON.parse(await readFile(MUNICIPALITIES_GEOJSON, "utf8")) as { features: SourceFeature[] };
  const features = source.features
    .filter((f) => SAMPLE_MUNICIPALITIES.includes(f.properties.name))
    .map((f): PolygonFeature<{ name: string }> => ({
      type: "Feature",
      properties: { name: f.properties.name },
      geometry: f.geometry,
    }));
  if (features.length !== SAMPLE_MUNICIPALITIES.length) throw new Error(`outlines missing in ${MUNICIPALITIES_GEOJSON}`);
  return { type: "FeatureCollection", features };
}

/** The sample data set, in memory. */
export async function makeSampleDashboardData(): Promise<{
  meta: DashboardMeta;
  monthlyCounts: MonthlyCount[];
  yearlyCounts: YearlyCount[];
  hotspots: HotspotRow[];
  hexagons: HexagonCollection;
  municipalities: MunicipalityCollection;
}> {
  const random = seededRandom(20240901);
  const grid = gridDisk(latLngToCell(CENTRE.lat, CENTRE.lng, RESOLUTION), 6).sort();
  const counts = monthlyCounts(random);
  const hotspots = hotspotRows(grid, random);
  const used = [...new Set(hotspots.map((r) => r.cell))].sort();
  const ingested = counts.reduce((sum, r) => sum + (r.count ?? 2), 0);
  const meta: DashboardMeta = {
    generated_at: "2025-03-01T06:00:00.000Z",
    attribution: "Municipality outlines © OpenStreetMap contributors, ODbL",
    suppression_threshold: THRESHOLD,
    resolution: RESOLUTION,
    k: 1,
    timezone: "Europe/Vilnius",
    months: SAMPLE_MONTHS,
    categories: ["all", ...SAMPLE_CATEGORIES],
    summary: { rows_read: ingested + 7, rows_ingested: ingested, rows_quarantined: 7 },
  };
  return { meta, monthlyCounts: counts, yearlyCounts: yearlyCounts(counts), hotspots, hexagons: hexagons(used), municipalities: await municipalities() };
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
  ];
  for (const [name, value] of files) await writeFile(join(dir, name), JSON.stringify(value) + "\n");
}
