import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { withConnection } from "../duckdb/connection.ts";
import { sha256File } from "../lake/atomic-file.ts";
import { lakeKey, lakeLayout } from "../lake/lake-layout.ts";
import { readManifest, writeManifest, type Manifest } from "../lake/manifest.ts";
import { writeHotSpotPartition, type CategoryHotSpots } from "../lake/write-hot-spots.ts";
import { hotSpots } from "./hot-spots.ts";
import { kRingWeights } from "./k-ring-weights.ts";
import { monthRange, readCellMonthCounts } from "./monthly-counts.ts";

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
  const cellIndex = new Map(cells.map((cell, i) => [cell, i]));
  const weights = kRingWeights(cells, options.k);
  const manifest = await readManifest(options.lakeDir, options.timeZone, options.resolution);

  return withConnection(async (connection) => {
    const counts = await readCellMonthCounts(connection, options.lakeDir);
    // month → category → cell → count, with "all" summing the categories.
    const grid = new Map<string, Map<string, Map<string, number>>>();
    let inside = 0;
    let outside = 0;
    for (const { month, category, cell, count } of counts) {
      if ((options.from !== undefined && month < options.from) || (options.to !== undefined && month > options.to)) continue;
      if (!cellIndex.has(cell)) {
        outside += count;
        continue;
      }
      inside += count;
      const byCategory = grid.get(month) ?? new Map<string, Map<string, number>>();
      grid.set(month, byCategory);
      for (const key of [category, ALL_CATEGORIES]) {
        const byCell = byCategory.get(key) ?? new Map<string, number>();
        byCategory.set(key, byCell);
        byCell.set(cell, (byCell.get(cell) ?? 0) + count);
      }
    }
    const present = [...grid.keys()].sort();
    const partial = options.from !== undefined || options.to !== undefined;
    const first = options.from ?? present[0];
    const last = options.to ?? present.at(-1);
    const months = first !== undefined && last !== undefined ? monthRange(first, last) : [];
    const binCounts: Record<string, number> = {};
    const binCountsFdr: Record<string, number> = {};
    const table: Manifest["tables"][string] = (manifest.tables.hot_spots = partial ? (manifest.tables.hot_spots ?? {}) : {});
    let cellMonths = 0;

    for (const [done, month] of months.entries()) {
      // Categories with no incident this month have no hot spots (Gi* is undefined for all-zero counts).
      const byCategory = grid.get(month) ?? new Map<string, Map<string, number>>();
      const results: CategoryHotSpots[] = [...byCategory.keys()].sort().map((category) => ({
        category,
        result: hotSpots(byCategory.get(category)!, cellIndex, weights),
      }));
      const all = results.find((r) => r.category === ALL_CATEGORIES);
      for (let i = 0; i < cells.length; i++) {
        const bin = all ? all.result.bin[i]! : 0;
        const binFdr = all ? all.result.binFdr[i]! : 0;
        binCounts[bin] = (binCounts[bin] ?? 0) + 1;
        binCountsFdr[binFdr] = (binCountsFdr[binFdr] ?? 0) + 1;
      }
      cellMonths += cells.length;
      const path = lakeLayout.hotspotPartition(options.lakeDir, month);
      const rows = await writeHotSpotPartition(connection, path, cells, results, {
        resolution: options.resolution,
        k: options.k,
        study_area: label,
      });
      table[lakeKey(options.lakeDir, path)] = { month, rows, sha256: await sha256File(path) };
      options.onMonth?.(done + 1, months.length);
    }
    if (!partial) await removeStalePartitions(options.lakeDir, new Set(months));
    manifest.parameters = { ...manifest.parameters, hot_spots: { k: options.k, study_area: label, statistic: "Getis-Ord Gi* (binary k-ring weights, self included)", fdr: "Benjamini-Hochberg per confidence level" } };
    await writeManifest(options.lakeDir, manifest);
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
  });
}

async function removeStalePartitions(lakeDir: string, keep: ReadonlySet<string>): Promise<void> {
  const dir = lakeLayout.hotspotsDir(lakeDir);
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    const month = entry.replace(/^month=/, "");
    if (!keep.has(month)) await rm(join(dir, entry), { recursive: true, force: true });
  }
}
