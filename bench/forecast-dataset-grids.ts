/**
 * The data sets of issue 14 that the forecast benches share: the bundled Šiauliai data and every real
 * data set in ../shared/data/real with at least 24 months, with the study area a user of that data
 * would have (the municipalities for the bundled data, the hull of the incidents before the first
 * forecast month elsewhere, as `backtest --hull` builds it). Lakes are ingested once into
 * $BENCH_DIR/forecast-datasets (default: the system temporary folder) and reused; ../shared is found
 * as in the tests (SHARED_DIR overrides).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { CellMonthGrid } from "../etl/analytics/cell-month-grid.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { firstLakeMonth, lakeGrid } from "../etl/analytics/lake-grid.ts";
import { addMonths, monthRange } from "../etl/analytics/monthly-counts.ts";
import { readLakeCounts } from "../etl/analytics/lake-counts.ts";
import { lakeMonthSpan } from "../etl/analytics/lake-months.ts";
import { DEFAULTS, PROJECT_ROOT } from "../etl/config.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { ensureAggregates } from "../etl/lake/aggregates.ts";
import { loadSourceDescription } from "../etl/ingest/source-description.ts";
import { defaultSettings, type PipelineSettings } from "../etl/settings.ts";

const real = (file: string) => resolve(process.env.SHARED_DIR ?? resolve(PROJECT_ROOT, "..", "shared"), "data", "real", file);
const sources = (name: string) => join(PROJECT_ROOT, "data", "sources", `${name}.yaml`);

/** The data sets of the issue with ≥ 24 months; `hull` where the product has no boundaries for the city. */
export const DATASETS = [
  { name: "siauliai-bundled", file: DEFAULTS.incidentFiles[0], source: DEFAULTS.sourceDescription, hull: false },
  { name: "cincinnati-burglary", file: real("cincinnati_burglary.csv.gz"), source: sources("cincinnati-burglary"), hull: true },
  { name: "tempe-opioid-calls", file: real("tempe_opioid_calls.csv"), source: sources("tempe-opioid-calls"), hull: true },
  { name: "medellin-homicides", file: real("medellin_homicides.csv"), source: sources("medellin-homicides"), hull: true },
] as const;
/** A data set: its export, source description, and whether its study area is the incidents' hull. */
export interface Dataset {
  name: string;
  file: string;
  source: string;
  hull: boolean;
}

/**
 * Held-out data sets for a sweep (`forecast-datasets.ts --sweep`): subsets of the Medellín export that
 * a city with only those records would have — one mechanism (firearm, knife, blunt), one sex, the last five years — written
 * once beside the lakes. Not part of the figures; they show how the selection behaves on
 * histories it was not designed on (sparser, shorter, of another level).
 */
export function sweepDatasets(): Dataset[] {
  const medellin = DATASETS[3];
  const subset = (name: string, keep: (row: Record<string, string>) => boolean): Dataset => {
    const dir = join(benchDir(), "derived");
    const file = join(dir, `${name}.csv`);
    if (!existsSync(file)) {
      const [header, ...rows] = readFileSync(medellin.file, "utf8")
        .split(/\r?\n/)
        .filter((line) => line !== "");
      const columns = header!.split(";");
      const kept = rows.filter((line) => keep(Object.fromEntries(line.split(";").map((v, i) => [columns[i]!, v]))));
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, [header, ...kept].join("\n") + "\n");
    }
    return { name, file, source: medellin.source, hull: true };
  };
  return [
    subset("medellin-firearm", (r) => r.modalidad === "Arma de fuego"),
    subset("medellin-knife", (r) => r.modalidad === "Cortopunzante"),
    // About two a month: the baseline's 1 % list catches nothing for years at resolution 9.
    subset("medellin-blunt", (r) => r.modalidad === "Contundente"),
    subset("medellin-women", (r) => r.sexo === "Mujer"),
    subset("medellin-last5y", (r) => r.fecha_hecho! >= "2015-01-01T05:00:00Z"),
  ];
}

const benchDir = () => join(process.env.BENCH_DIR ?? join(tmpdir(), "hotspots-bench"), "forecast-datasets");

/** Months of history before the first forecast month (and the hull's cut-off). */
export const MIN_HISTORY = 12;

/** The data set's lake at `resolution`, ingested on first use (with its aggregates). */
export async function datasetLake(data: Dataset, resolution: number): Promise<PipelineSettings> {
  const source = await loadSourceDescription(data.source);
  const dir = benchDir();
  const settings = defaultSettings({ lakeDir: join(dir, `${data.name}-r${resolution}`), resolution, timeZone: source.timezone });
  if (!existsSync(join(settings.lakeDir, "manifest.json")))
    await ingestFile(data.file, { lakeDir: settings.lakeDir, resolution, timeZone: source.timezone, source });
  // A bench lake ingested before the lake kept per-month aggregates gets them once, as `run` gives them.
  await ensureAggregates(settings.lakeDir);
  return settings;
}

/**
 * The cell × month grid of `category` in the data set's study area (hull of the incidents before the
 * first forecast month); with `months`, only the first that many months from the first with incidents
 * — the history an export ending there would give (the hull is of the first MIN_HISTORY months either way).
 */
export async function datasetGrid(data: Dataset, settings: PipelineSettings, category: string, months?: number): Promise<CellMonthGrid> {
  const { grid } = await withConnection(async (connection) => {
    const first = await firstLakeMonth(connection, settings, category);
    // Months past the export's last would enter the grid as months without incidents, not a shorter export.
    const last = lakeMonthSpan((await readLakeCounts(connection, settings.lakeDir, settings.resolution)).months)?.last;
    if (months !== undefined && first !== null && last !== undefined && addMonths(first, months - 1) > last)
      throw new Error(`${data.name} holds ${monthRange(first, last).length} months (${first} … ${last}): give --months of at most that`);
    return lakeGrid(connection, settings, {
      category,
      hullRing: data.hull ? 1 : null,
      hullBefore: first === null ? undefined : addMonths(first, MIN_HISTORY),
      ...(months !== undefined && first !== null ? { from: first, to: addMonths(first, months - 1) } : {}),
    });
  });
  return grid;
}
