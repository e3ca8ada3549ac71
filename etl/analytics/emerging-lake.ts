import { readManifest, type Manifest } from "../lake/manifest.ts";
import { tablePath } from "../lake/table-paths.ts";
import { TABLES } from "../lake/tables.ts";
import { writeTableRows } from "../lake/write-table.ts";
import type { PipelineSettings } from "../settings.ts";
import { sessionConnection, sessionWriter } from "./analytics-session.ts";
import type { GridAccounting } from "./cell-month-grid.ts";
import { DEFAULT_EMERGING_OPTIONS, emergingWithCube, type EmergingOptions } from "./emerging-hot-spots.ts";
import { EXACT_UNITS_PER_DRAW } from "./gi-star-permutation.ts";
import { emergingStateFile, emergingStateKeys, ringMinima } from "./emerging-state-store.ts";
import type { EntryExtras } from "../lake/table-writer.ts";
import type { BinaryWeights } from "./spatial-weights.ts";
import { EMERGING_MINIMUM_MONTHS, emergingSparsity, emergingSparsityText, type EmergingSparsity } from "./emerging-sparsity.ts";
import { kRingWeights } from "./k-ring-weights.ts";
import { lakeGrid, type GridRequest, type LakeMemo } from "./lake-grid.ts";
import { spaceTimeWeights } from "./space-time-weights.ts";
import { TREND_TEST } from "./emerging-categories.ts";
import { keptOutput, outputFingerprints, type KeepUnchanged, type UnchangedOutput } from "./output-fingerprint.ts";

export interface EmergingSummary {
  category: string;
  first_month: string | null;
  last_month: string | null;
  months: number;
  cells: number;
  parameters: Record<string, unknown>;
  accounting: GridAccounting;
  /** Cells per emerging category (categories with no cell omitted). */
  cells_by_category: Record<string, number>;
  /** Hot-spot cells of the final month's patterns, strongest trend first (at most 20). */
  hot_cells: Array<{ h3_cell: string; emerging_category: string; hot_months: number; trend_z: number }>;
  file: string | null;
  /** Set when the category was too sparse to analyse (no file written; see emergingSparsity). */
  skipped?: EmergingSparsity;
}

/**
 * What emergingStage does with a grid that has incidents in fewer months than `minimumMonths` (see
 * emergingSparsity): "refuse" throws, saying why (a command asked for that series); "record" writes
 * no file and records why in the manifest, for the dashboard to show (a run, which goes on to the
 * next category).
 */
export interface SparseGuard {
  minimumMonths: number;
  onSparse: "refuse" | "record";
}

/** The guard of a command: refuse a series too sparse for the method. */
export const REFUSE_SPARSE: SparseGuard = { minimumMonths: EMERGING_MINIMUM_MONTHS, onSparse: "refuse" };
/** The guard of a run: skip a category too sparse for the method and record why. */
export const RECORD_SPARSE: SparseGuard = { minimumMonths: EMERGING_MINIMUM_MONTHS, onSparse: "record" };

/**
 * Emerging hot spots of one offence category (or all offences) over a month range of the lake:
 * classifies every study-area cell, writes `emerging/month=<last>/<category>.parquet` with the
 * parameters in every row and in the manifest, and returns a summary. With `keep`, a file whose
 * fingerprints and bytes are the manifest's is kept and not recomputed (see keptOutput). A series
 * too sparse for the method (emergingSparsity, `sparse.minimumMonths`) is refused, or with
 * RECORD_SPARSE writes no file and the manifest's `emerging/<category>` says why (`skipped`), for the
 * dashboard to show: a pattern from a few months is decided by one or two incidents.
 */
export async function emergingStage(settings: PipelineSettings, request: GridRequest, options?: EmergingOptions): Promise<EmergingSummary>;
export async function emergingStage(
  settings: PipelineSettings,
  request: GridRequest,
  options: EmergingOptions,
  keep: KeepUnchanged | undefined,
  sparse?: SparseGuard,
): Promise<EmergingSummary | UnchangedOutput>;
export async function emergingStage(
  settings: PipelineSettings,
  request: GridRequest,
  options: EmergingOptions = DEFAULT_EMERGING_OPTIONS,
  keep?: KeepUnchanged,
  sparse: SparseGuard = REFUSE_SPARSE,
): Promise<EmergingSummary | UnchangedOutput> {
  const memo = request.memo;
  return sessionConnection(memo, async (connection) => {
    // The grid and its cube in the run's scratch arrays: dropped when this category is written, before the next one's.
    const { grid, accounting, area, category } = await lakeGrid(connection, settings, { ...request, ...(memo ? { arrays: memo.scratch } : {}) });
    const first = grid.months[0] ?? null;
    const last = grid.months.at(-1) ?? null;
    const at = { partition: last ?? "", name: category };
    const parameters = {
      h3_resolution: settings.resolution,
      k: settings.k,
      time_window: options.timeWindow,
      fdr: options.fdr,
      min_bin: options.minBin,
      trend_alpha: options.trendAlpha,
      study_area: area.label,
    };
    // The file carries the fingerprints of what made it (see outputFingerprints), the trend test's variant
    // and the floor refinement's exact-or-draw rule included: a file written under another is recomputed.
    const fingerprintsOf = (manifest: Manifest) =>
      outputFingerprints(
        manifest,
        { ...parameters, ...options, trend_test: TREND_TEST, exact_units_per_draw: EXACT_UNITS_PER_DRAW },
        { category, cells: grid.cells, months: grid.months },
      );
    const summary = { category, first_month: first, last_month: last, months: grid.months.length, cells: grid.cells.length, parameters, accounting };
    const skipped = emergingSparsity(grid, sparse.minimumMonths);
    if (skipped && sparse.onSparse === "refuse") throw new Error(emergingSparsityText(category, first, last, skipped));
    if (skipped) {
      await recordSkipped(settings, memo, `emerging/${category}`, { ...parameters, first_month: first, last_month: last, skipped });
      return { ...summary, cells_by_category: {}, hot_cells: [], file: null, skipped };
    }
    if (keep && last !== null) {
      const kept = await keptOutput(settings, TABLES.emerging, at, grid.months, fingerprintsOf, memo?.writer?.manifest);
      if (kept) return kept;
    }
    // Within a run the categories share the study area's weights and, over the same months, the space-time cube.
    const weights = memo ? memo.weights(grid.cells, settings.k) : kRingWeights(grid.cells, settings.k);
    // The state the last run of this category left (emerging-state-store.ts): its trend tails where its grid is this one's first months.
    const { state, shared } = emergingStateFile(settings.lakeDir, memo);
    const kept = (await state.read()).get(category);
    const inputs = { counts: grid.counts, cells: grid.cells, months: grid.months, k: settings.k, ...options };
    const keys = emergingStateKeys(inputs, kept?.months);
    const previous = kept?.tail && keys.prefix === kept.key ? { months: kept.months, tail: kept.tail } : null;
    const spaceTime = memo ? (w: BinaryWeights, steps: number, window: number) => memo.spaceTime(w, steps, window) : spaceTimeWeights;
    const { result, grouped, tails } = emergingWithCube(grid, weights, options, spaceTime, previous, memo?.scratch);
    // What publish's ring rule will check of these bins (taken now: the cube is in the run's scratch arrays).
    const minima = grouped && last !== null ? ringMinima(grouped.lags, result.bins, grid.cells.length, options.minBin) : null;
    const byCategory: Record<string, number> = {};
    for (const c of result.category) byCategory[c] = (byCategory[c] ?? 0) + 1;
    const hot = grid.cells
      .map((cell, i) => ({ h3_cell: cell, emerging_category: result.category[i]!, hot_months: result.hotSteps[i]!, trend_z: result.trendZ[i]! }))
      .filter((r) => r.emerging_category.endsWith("_hot_spot"))
      .sort((a, b) => b.hot_months - a.hot_months || b.trend_z - a.trend_z);
    let file: string | null = null;
    // The fingerprints the file is written with: the state entry carries them, so publish can trust its minima by them.
    let recorded = null as Required<EntryExtras> | null;
    if (last !== null) {
      file = tablePath(settings.lakeDir, TABLES.emerging, at);
      const rows = grid.cells.map((cell, i) => ({
        offence_category: category,
        h3_cell: cell,
        emerging_category: result.category[i]!,
        hot_months: result.hotSteps[i]!,
        cold_months: result.coldSteps[i]!,
        trend_z: result.trendZ[i]!,
        trend_p: result.trendP[i]!,
        final_gi_z: result.finalZ[i]!,
        final_gi_bin: result.finalBin[i]!,
        first_month: first,
        months: grid.months.length,
        ...parameters,
      }));
      await sessionWriter(memo, settings, async (writer) => {
        // The category, months and parameters are the same in every row: written as literals, not appended per row.
        const write = (path: string) => writeTableRows(connection, path, TABLES.emerging, rows, ["h3_cell"], EMERGING_CONSTANTS);
        recorded = fingerprintsOf(writer.manifest);
        await writer.writeFile(TABLES.emerging, at, write, recorded);
        writer.manifest.parameters = {
          ...writer.manifest.parameters,
          [`emerging/${category}`]: {
            ...parameters,
            first_month: first,
            last_month: last,
            statistic: options.timeWindow === null ? "monthly Getis-Ord Gi*" : "space-time Getis-Ord Gi* over the cube",
            trend: "Mann-Kendall (tie-corrected, continuity-corrected)",
          },
        };
      });
    }
    // The ring minima and the tails for the next month, with the fingerprints of the file written.
    if (minima && recorded) {
      const output = { ...recorded, k: settings.k };
      await state.set(category, { key: keys.key, months: grid.months.length, minima, tail: tails?.tail ?? null, output });
      if (!shared) await state.write();
    }
    return { ...summary, cells_by_category: byCategory, hot_cells: hot.slice(0, 20), file };
  });
}

/** The emerging table's columns that hold one value per file (see emergingStage's rows). */
const EMERGING_CONSTANTS = [
  "offence_category",
  "first_month",
  "months",
  "h3_resolution",
  "k",
  "time_window",
  "fdr",
  "min_bin",
  "trend_alpha",
  "study_area",
] as const;

/** Records a skipped category's parameters with the reason in the manifest, unless they are there already (a run that changes nothing writes nothing). */
async function recordSkipped(settings: PipelineSettings, memo: LakeMemo | undefined, key: string, entry: Record<string, unknown>): Promise<void> {
  const manifest = memo?.writer?.manifest ?? (await readManifest(settings.lakeDir, settings.timeZone, settings.resolution));
  const recorded = manifest.parameters?.[key];
  if (recorded !== undefined && JSON.stringify(recorded) === JSON.stringify(entry)) return;
  await sessionWriter(memo, settings, async (writer) => {
    writer.manifest.parameters = { ...writer.manifest.parameters, [key]: entry };
  });
}
