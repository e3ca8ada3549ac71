import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { withConnection } from "../duckdb/connection.ts";
import { sha256File } from "../lake/atomic-file.ts";
import { lakeKey, lakeLayout } from "../lake/lake-layout.ts";
import { readManifest, writeManifest, type Manifest } from "../lake/manifest.ts";
import { writeHotSpotPartition, type CategoryHotSpots } from "../lake/write-hot-spots.ts";
import { groupedHotSpots } from "./hot-spots.ts";
import { kRingWeights } from "./k-ring-weights.ts";
import { readLakeCounts, type LakeCounts } from "./lake-counts.ts";
import { monthRange } from "./monthly-counts.ts";

/** The category that sums every offence category. */
export const ALL_CATEGORIES = "all";

export interface AnalyseOptions {
  lakeDir: string;
  resolution: number;
  timeZone: string;
  k: number;
  /** H3 cells of the study area (see study-area.ts) and a label for it recorded with the results. */
  studyArea: { cells: readonly string[]; label: string };
  /** Only these months ("YYYY-MM", inclusive); other partitions of the table are left as they are. */
  from?: string;
  to?: string;
  onMonth?: (done: number, total: number) => void;
  /** Seconds spent per part of the analysis are added here (for the benchmark). */
  timings?: AnalyseTimings;
}

/** Where an analysis spent its time, in seconds: reading the monthly counts, Gi* with p-values and bins, writing the hot-spot table. */
export interface AnalyseTimings {
  monthly_counts: number;
  gi_star: number;
  hot_spot_write: number;
}

/** What an analysis produced, for the CLI summary. */
export interface AnalyseSummary {
  months: number;
  first_month: string | null;
  last_month: string | null;
  cells: number;
  cell_months: number;
  incidents_in_study_area: number;
  incidents_outside_study_area: number;
  /** Cell-months of the all-offences Gi* by confidence bin ("-3" … "3"), without and with FDR. */
  hot_spot_cell_months_by_bin: Record<string, number>;
  hot_spot_cell_months_by_bin_fdr: Record<string, number>;
}

/**
 * Monthly Getis-Ord Gi* hot spots for every month from the lake's first to its last (or from `from`
 * to `to`), per offence category and for all offences together, over every cell of the study area.
 * Writes the hot-spot table (one partition per month, replaced atomically) and records its
 * parameters in the manifest; a full run also removes partitions of months the lake no longer holds.
 */
export async function analyseLake(options: AnalyseOptions): Promise<AnalyseSummary> {
  const { cells, label } = options.studyArea;
  const weights = kRingWeights(cells, options.k);
  const manifest = await readManifest(options.lakeDir, options.timeZone, options.resolution);

  return withConnection((connection) => withConnection(async (second) => {
    const clock = stopwatch(options.timings);
    const counts = await readLakeCounts(connection, options.lakeDir);
    const { byMonth, inside, outside } = monthGrids(counts, cells, options.from, options.to);
    clock("monthly_counts");
    const present = [...byMonth.keys()].sort();
    const partial = options.from !== undefined || options.to !== undefined;
    const first = options.from ?? present[0];
    const last = options.to ?? present.at(-1);
    const months = first !== undefined && last !== undefined ? monthRange(first, last) : [];
    const binCounts: Record<string, number> = {};
    const binCountsFdr: Record<string, number> = {};
    const table: Manifest["tables"][string] = (manifest.tables.hot_spots = partial ? (manifest.tables.hot_spots ?? {}) : {});
    let cellMonths = 0;
    // Gi* for every month first (pure computation: a few numbers per cell), then the partitions.
    const computed = months.map((month) => {
      // Categories with no incident this month have no hot spots (Gi* is undefined for all-zero counts).
      const byCategory = byMonth.get(month) ?? new Map<string, Float64Array>();
      const results: CategoryHotSpots[] = [...byCategory.keys()].sort().map((category) => ({
        category,
        result: groupedHotSpots(byCategory.get(category)!, weights),
      }));
      return { month, results };
    });
    clock("gi_star");
    for (const { results } of computed) {
      const all = results.find((r) => r.category === ALL_CATEGORIES);
      for (let i = 0; i < cells.length; i++) {
        const bin = all ? all.result.bin[all.result.group[i]!]! : 0;
        const binFdr = all ? all.result.binFdr[all.result.group[i]!]! : 0;
        binCounts[bin] = (binCounts[bin] ?? 0) + 1;
        binCountsFdr[binFdr] = (binCountsFdr[binFdr] ?? 0) + 1;
      }
      cellMonths += cells.length;
    }
    let written = 0;
    // Two databases write alternate months at the same time: Parquet encoding is this stage's bulk.
    await Promise.all(
      [connection, second].map(async (writer, k) => {
        for (let m = k; m < computed.length; m += 2) {
          const { month, results } = computed[m]!;
          const path = lakeLayout.hotspotPartition(options.lakeDir, month);
          const rows = await writeHotSpotPartition(writer, path, cells, results, { resolution: options.resolution, k: options.k, study_area: label });
          table[lakeKey(options.lakeDir, path)] = { month, rows, sha256: await sha256File(path) };
          options.onMonth?.(++written, months.length);
        }
      }),
    );
    clock("hot_spot_write");
    if (!partial) await removeStalePartitions(options.lakeDir, new Set(months));
    manifest.parameters = { ...manifest.parameters, hot_spots: { k: options.k, study_area: label, statistic: "Getis-Ord Gi* (binary k-ring weights, self included)", fdr: "Benjamini-Hochberg per confidence level" } };
    await writeManifest(options.lakeDir, manifest);
    clock("hot_spot_write");
    return {
      months: months.length,
      first_month: months[0] ?? null,
      last_month: months.at(-1) ?? null,
      cells: cells.length,
      cell_months: cellMonths,
      incidents_in_study_area: inside,
      incidents_outside_study_area: outside,
      hot_spot_cell_months_by_bin: binCounts,
      hot_spot_cell_months_by_bin_fdr: binCountsFdr,
    };
  }));
}

/**
 * The counts of every study-area cell per month (within `from`…`to`) and category, with "all"
 * summing the categories; months and categories appear only where the study area had an incident.
 * Incidents in cells outside the study area are counted, not gridded.
 */
function monthGrids(counts: LakeCounts, cells: readonly string[], from?: string, to?: string) {
  const cellIndex = new Map(cells.map((cell, i) => [cell, i]));
  const area = Int32Array.from(counts.cells, (cell) => cellIndex.get(cell) ?? -1);
  const byMonth = new Map<string, Map<string, Float64Array>>();
  let inside = 0;
  let outside = 0;
  for (let r = 0; r < counts.count.length; r++) {
    const month = counts.months[counts.month[r]!]!;
    if ((from !== undefined && month < from) || (to !== undefined && month > to)) continue;
    const count = counts.count[r]!;
    const i = area[counts.cell[r]!]!;
    if (i < 0) {
      outside += count;
      continue;
    }
    inside += count;
    let byCategory = byMonth.get(month);
    if (!byCategory) byMonth.set(month, (byCategory = new Map()));
    for (const key of [counts.categories[counts.category[r]!]!, ALL_CATEGORIES]) {
      let grid = byCategory.get(key);
      if (!grid) byCategory.set(key, (grid = new Float64Array(cells.length)));
      grid[i] += count;
    }
  }
  return { byMonth, inside, outside };
}

/** Adds the seconds since its previous call to `timings[part]` (a no-op without timings). */
function stopwatch(timings: AnalyseTimings | undefined): (part: keyof AnalyseTimings) => void {
  let last = performance.now();
  return (part) => {
    const now = performance.now();
    if (timings) timings[part] += (now - last) / 1000;
    last = now;
  };
}

async function removeStalePartitions(lakeDir: string, keep: ReadonlySet<string>): Promise<void> {
  const dir = lakeLayout.hotspotsDir(lakeDir);
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    const month = entry.replace(/^month=/, "");
    if (!keep.has(month)) await rm(join(dir, entry), { recursive: true, force: true });
  }
}
