import { withConnection } from "../duckdb/connection.ts";
import type { PartitionEntry } from "../lake/manifest.ts";
import { withLakeWriter } from "../lake/table-writer.ts";
import { TABLES } from "../lake/tables.ts";
import { writeHotSpotPartition, type CategoryHotSpots } from "../lake/write-hot-spots.ts";
import {
  currentPartitions,
  hotSpotParameters,
  incidentFingerprints,
  inputFingerprint,
  parametersFingerprint,
  storedBinCounts,
  type StoredPartition,
} from "./hot-spot-freshness.ts";
import { storedPartitionsKept } from "./hot-spot-summary-store.ts";
import { DEFAULT_INFERENCE, type HotSpotInference } from "./gi-star-permutation.ts";
import { GiStarWorkspace } from "./grouped-gi-star.ts";
import { groupedHotSpots } from "./hot-spots.ts";
import { kRingWeights } from "./k-ring-weights.ts";
import { readLakeCounts, readLakeCountsOf, type LakeCounts } from "./lake-counts.ts";
import { analysisStart, gapMonths, incidentsPerMonth, lakeAnalysisEnd, type MonthLeftOut } from "./lake-months.ts";
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
  /** Only these months ("YYYY-MM", inclusive), all recomputed; other partitions of the table are left as they are. */
  from?: string;
  to?: string;
  /** Recompute every month, even those whose partition is current (same inputs and parameters). */
  full?: boolean;
  /** The run's time (default: the clock): without `to`, the months after analysisEnd's at that time are left out. */
  now?: Date;
  /** How p-values are obtained (default: permutation, exact or Monte Carlo; see gi-star-permutation.ts). */
  inference?: HotSpotInference;
  /** Called after each partition written: `total` is the number of months recomputed. */
  onMonth?: (done: number, total: number) => void;
  /** Seconds spent per part of the analysis are added here (for the benchmark). */
  timings?: AnalyseTimings;
}

/** Where an analysis spent its time, in seconds: reading the monthly counts, Gi* with p-values and bins, writing the hot-spot table. */
export interface AnalyseTimings {
  monthly_counts: number;
  gi_star: number;
  hot_spot_write: number;
  /** CPU seconds of the process over the gi_star span (the bench compares them with R's on a shared machine). */
  gi_star_cpu?: number;
  /** The k-ring weights, built before the gi_star span (once per run, shared with later stages), wall and CPU seconds. */
  k_ring_weights?: number;
  k_ring_weights_cpu?: number;
}

/** What an analysis produced, for the CLI summary. */
export interface AnalyseSummary {
  /** Months of the hot-spot table this run covers (recomputed + kept), first … last. */
  months: number;
  /** Months whose Gi* was computed and whose partition was written by this run. */
  months_recomputed: number;
  /** Months whose partition was current (same incident partitions, same parameters) and was left as it was. */
  months_kept: number;
  first_month: string | null;
  last_month: string | null;
  cells: number;
  cell_months: number;
  incidents_in_study_area: number;
  incidents_outside_study_area: number;
  /** Incidents of the lake's sparse first months, left out of the analysis (analysisStart); 0 when a first month was asked for. */
  incidents_before_first_month: number;
  /** Analysed months that look like missing data: far fewer incidents than a typical month (gapMonths). */
  gap_months: string[];
  /**
   * Months with incidents after the analysed ones that analysisEnd leaves out, and why (not ended, too
   * few; one asked for with `to` is analysed). Their incidents as released (null: withheld) where analyseStage made the summary.
   */
  months_not_analysed: Array<Omit<MonthLeftOut, "incidents"> & { incidents: number | null }>;
  /**
   * Cell-months of the all-offences Gi* by confidence bin ("-3" … "3"), without and with FDR, over
   * all `months` — recomputed and kept alike (kept months' bins are read back from their partitions).
   */
  hot_spot_cell_months_by_bin: Record<string, number>;
  hot_spot_cell_months_by_bin_fdr: Record<string, number>;
  /** "permutation" or "normal", and of the category-months recomputed: how many were tested exactly, by Monte Carlo, or too few to test. */
  inference: HotSpotInference["method"];
  category_months: { exact: number; monte_carlo: number; normal: number; too_few_incidents: number };
}

/**
 * Monthly Getis-Ord Gi* hot spots for every month from the lake's first to its last (or from `from`
 * to `to`), per offence category and for all offences together, over every cell of the study area.
 * Writes the hot-spot table (one partition per month, replaced atomically) and records its
 * parameters in the manifest, and with every partition the fingerprints of its input (the month's
 * incident partitions) and of its parameters (see hot-spot-freshness.ts).
 *
 * Without `from`/`to` the run is incremental: a month whose partition exists and was computed from
 * the same incident partitions with the same parameters is kept as it is (Gi* of a month depends on
 * nothing else); every other month is recomputed, and partitions of months the lake no longer holds
 * are removed. `full` recomputes every month; `from`/`to` recompute exactly that range.
 */
export async function analyseLake(options: AnalyseOptions): Promise<AnalyseSummary> {
  const { cells, label } = options.studyArea;
  const inference = options.inference ?? DEFAULT_INFERENCE;
  const parameters = hotSpotParameters(options.resolution, options.k, options.studyArea, inference);
  const parametersSha = parametersFingerprint(parameters);

  const lake = { lakeDir: options.lakeDir, timeZone: options.timeZone, resolution: options.resolution };
  let committed: Record<string, PartitionEntry> = {};
  const summary = await withLakeWriter(lake, (writer) =>
    withConnection((connection) =>
      withConnection(async (second) => {
        const manifest = writer.manifest;
        const clock = stopwatch(options.timings);
        const partial = options.from !== undefined || options.to !== undefined;
        const inputs = incidentFingerprints(manifest);
        const previous = manifest.tables.hot_spots ?? {};
        // Partitions still current (same inputs, parameters and bytes) need no counts: only the other
        // months' aggregates are read, so one new month reads one month, not the whole history.
        const perMonth = incidentsPerMonth(manifest);
        // Without a last month asked for, the months that have not ended or its sparse last ones are left out (see analysisEnd)…
        const ending = lakeAnalysisEnd(manifest, options.timeZone, options.now);
        // …and without a first month asked for, the lake's sparse first months (see analysisStart).
        const start = options.from ?? analysisStart(perMonth, ending.current) ?? undefined;
        const stop = options.to ?? ending.end;
        const analysed = (month: string) => (start === undefined || month >= start) && stop !== null && month <= stop;
        let before = 0;
        for (const [month, rows] of perMonth) if (!analysed(month)) before += rows;
        const candidates =
          partial || options.full
            ? new Map<string, PartitionEntry>()
            : await currentPartitions(
                options.lakeDir,
                previous,
                [...new Set(Object.values(previous).map((e) => e.month))].filter(analysed),
                inputs,
                parametersSha,
              );
        const candidateMonths = new Set([...candidates.values()].map((entry) => entry.month));
        const lakeMonths = [...perMonth.keys()].filter(analysed);
        const counts =
          partial || options.full
            ? await readLakeCounts(connection, options.lakeDir, options.resolution)
            : await readLakeCountsOf(
                connection,
                options.lakeDir,
                options.resolution,
                lakeMonths.filter((month) => !candidateMonths.has(month)),
              );
        const read = monthGrids(counts, cells, analysed);
        const { byMonth } = read;
        // A kept month's study-area incidents are its stored all-offences counts; the rest of its incidents (the manifest's rows) fell outside.
        // What every candidate partition stores: its incidents now, its bins below (for the months kept); read once per file's bytes.
        // With no candidate (a partial or full run) there is nothing to look up, and the store is left as it is.
        const storedOf =
          candidates.size === 0 ? new Map<string, StoredPartition>() : await storedPartitionsKept(connection, options.lakeDir, candidates, ALL_CATEGORIES);
        const keptInside = new Map([...candidates.values()].map((entry) => [entry.month, 0]));
        for (const { month, inside } of storedOf.values()) keptInside.set(month, keptInside.get(month)! + inside);
        let inside = read.inside;
        let outside = read.outside;
        for (const entry of Object.values(manifest.tables.incidents ?? {})) {
          if (candidateMonths.has(entry.month)) outside += entry.rows;
        }
        for (const n of keptInside.values()) {
          inside += n;
          outside -= n;
        }
        clock("monthly_counts");
        // Outside the gi_star span, as spdep's peer is given its neighbour lists: kept for the run's later stages.
        const weightsCpu = process.cpuUsage();
        const weights = kRingWeights(cells, options.k);
        clock("k_ring_weights");
        if (options.timings) options.timings.k_ring_weights_cpu = (options.timings.k_ring_weights_cpu ?? 0) + cpuSecondsSince(weightsCpu);
        // The CPU of the span the gi_star wall time covers (every thread of the process).
        const giStarCpu = process.cpuUsage();
        const present = [...new Set([...byMonth.keys(), ...[...keptInside].filter(([, n]) => n > 0).map(([month]) => month)])].sort();
        const first = options.from ?? present[0];
        const last = options.to ?? present.at(-1);
        const months = first !== undefined && last !== undefined ? monthRange(first, last) : [];
        const inRange = new Set(months);
        const kept = new Map([...candidates].filter(([, entry]) => inRange.has(entry.month)));
        const keptMonths = new Set([...kept.values()].map((entry) => entry.month));
        const recompute = months.filter((month) => !keptMonths.has(month));
        manifest.tables.hot_spots = partial ? previous : Object.fromEntries(kept);
        const stored = storedBinCounts(
          [...kept.keys()].map((key) => storedOf.get(key)!),
          keptMonths.size * cells.length,
        );
        const binCounts = stored.bin;
        const binCountsFdr = stored.binFdr;
        // Gi* for every month to recompute first (pure computation: a few numbers per cell), then the partitions.
        const workspace = new GiStarWorkspace();
        const computed = recompute.map((month) => {
          // Categories with no incident this month have no hot spots (Gi* is undefined for all-zero counts).
          const byCategory = byMonth.get(month) ?? new Map<string, Float64Array>();
          const results: CategoryHotSpots[] = [...byCategory.keys()].sort().map((category) => ({
            category,
            result: groupedHotSpots(byCategory.get(category)!, weights, inference, workspace),
          }));
          return { month, results };
        });
        clock("gi_star");
        if (options.timings) options.timings.gi_star_cpu = (options.timings.gi_star_cpu ?? 0) + cpuSecondsSince(giStarCpu);
        const categoryMonths = { exact: 0, monte_carlo: 0, normal: 0, too_few_incidents: 0 };
        for (const { results } of computed) {
          for (const { result } of results) {
            categoryMonths[result.inference === "monte-carlo" ? "monte_carlo" : result.inference]++;
            if (result.status === "too_few_incidents") categoryMonths.too_few_incidents++;
          }
          const all = results.find((r) => r.category === ALL_CATEGORIES);
          for (let i = 0; i < cells.length; i++) {
            const bin = all ? all.result.bin[all.result.group[i]!]! : 0;
            const binFdr = all ? all.result.binFdr[all.result.group[i]!]! : 0;
            binCounts[bin] = (binCounts[bin] ?? 0) + 1;
            binCountsFdr[binFdr] = (binCountsFdr[binFdr] ?? 0) + 1;
          }
        }
        let written = 0;
        // Two databases write alternate months at the same time: Parquet encoding is this stage's bulk.
        await Promise.all(
          [connection, second].map(async (db, k) => {
            for (let m = k; m < computed.length; m += 2) {
              const { month, results } = computed[m]!;
              await writer.writeFile(
                TABLES.hot_spots,
                { partition: month },
                (path) => writeHotSpotPartition(db, path, cells, results, { resolution: options.resolution, k: options.k, study_area: label }),
                {
                  input_sha256: inputFingerprint(inputs, month),
                  parameters_sha256: parametersSha,
                },
              );
              options.onMonth?.(++written, computed.length);
            }
          }),
        );
        clock("hot_spot_write");
        // Partitions of months the lake no longer holds go with the commit.
        if (!partial) await writer.removeOthers(TABLES.hot_spots, (key) => months.includes(/month=([^/]+)/.exec(key)?.[1] ?? ""));
        manifest.parameters = { ...manifest.parameters, hot_spots: parameters };
        committed = partial ? {} : (manifest.tables.hot_spots ?? {});
        clock("hot_spot_write");
        return {
          months: months.length,
          months_recomputed: recompute.length,
          months_kept: keptMonths.size,
          first_month: months[0] ?? null,
          last_month: months.at(-1) ?? null,
          cells: cells.length,
          cell_months: months.length * cells.length,
          incidents_in_study_area: inside,
          incidents_outside_study_area: outside,
          incidents_before_first_month: options.from === undefined ? before : 0,
          gap_months: months.length === 0 ? [] : gapMonths(perMonth, months[0]!).filter((m) => m <= months.at(-1)!),
          // Also when a range was asked (the monthly Lambda's recent months): those after it analysisEnd leaves out.
          months_not_analysed: ending.leftOut.filter((m) => stop === null || m.month > stop),
          hot_spot_cell_months_by_bin: binCounts,
          hot_spot_cell_months_by_bin_fdr: binCountsFdr,
          inference: inference.method,
          category_months: categoryMonths,
        };
      }),
    ),
  );
  // The summaries of the partitions just committed go into the store now, so the next run (one more
  // month) finds every month it keeps there: after a full analysis, all of them, which it would
  // otherwise read back from the Parquet. Every entry was hashed above (kept) or written by this run;
  // a partial run leaves the others' entries unchecked, so it adds none. A store not filled costs the
  // next run its reading, nothing more: the commit is made.
  if (Object.keys(committed).length > 0)
    await withConnection((c) => storedPartitionsKept(c, options.lakeDir, new Map(Object.entries(committed)), ALL_CATEGORIES)).catch(() => undefined);
  return summary;
}

/**
 * The counts of every study-area cell per month (the `analysed` ones) and category, with "all"
 * summing the categories; months and categories appear only where the study area had an incident.
 * Incidents in cells outside the study area are counted, not gridded.
 */
function monthGrids(counts: LakeCounts, cells: readonly string[], analysed: (month: string) => boolean) {
  const cellIndex = new Map(cells.map((cell, i) => [cell, i]));
  const area = Int32Array.from(counts.cells, (cell) => cellIndex.get(cell) ?? -1);
  const byMonth = new Map<string, Map<string, Float64Array>>();
  let inside = 0;
  let outside = 0;
  for (let r = 0; r < counts.count.length; r++) {
    const month = counts.months[counts.month[r]!]!;
    if (!analysed(month)) continue;
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
      grid[i]! += count;
    }
  }
  return { byMonth, inside, outside };
}

/** CPU seconds of the process (every thread) since `since`. */
function cpuSecondsSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

/** Adds the seconds since its previous call to `timings[part]` (a no-op without timings). */
function stopwatch(timings: AnalyseTimings | undefined): (part: keyof AnalyseTimings) => void {
  let last = performance.now();
  return (part) => {
    const now = performance.now();
    if (timings) timings[part] = (timings[part] ?? 0) + (now - last) / 1000;
    last = now;
  };
}
