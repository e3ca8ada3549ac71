/**
 * The caches a run keeps at a lake's root, in one list: no lake data (no commit covers them, `check`
 * does not count them), each keyed by every input its content depends on and checksummed, so a
 * missing, stale or damaged file is a miss that costs only its recomputation. Written through
 * writeLakeCache (atomic-file.ts). The S3 mirror carries them between sessions (../storage/s3-lake.ts).
 * `<r>` in a name stands for the analysis resolution.
 */
const ROOT_CACHES = {
  /** Counts per month, category and cell (../analytics/lake-counts-store.ts). */
  lakeCounts: "_lake-counts.r<r>.bin",
  /** A municipal study area's cells (../analytics/study-area-store.ts). */
  studyArea: "_study-area.r<r>.json",
  /** Each kept hot-spot partition's summary (../analytics/hot-spot-summary-store.ts). */
  hotSpotSummaries: "_hot-spot-summaries.json",
  /** The study area's kde kernels (../analytics/grid-kernel-store.ts). */
  gridKernels: "_grid-kernels.bin",
  /** The last backtest file's folds, keyed by its SHA-256 (../analytics/backtest-folds-store.ts). */
  backtestFolds: "_backtest-folds.bin",
  /** Per category, what the next emerging run and publish reuse (../analytics/emerging-state-store.ts). */
  emergingState: "_emerging-state.json",
} as const;

export type RootCache = keyof typeof ROOT_CACHES;

/** The file name (at the lake's root) of `cache`; `resolution` for the caches kept per resolution. */
export function rootCacheFile(cache: RootCache, resolution?: number): string {
  const name: string = ROOT_CACHES[cache];
  if (!name.includes("<r>")) return name;
  if (resolution === undefined || !Number.isInteger(resolution)) throw new Error(`the ${cache} cache is kept per resolution: give an integer resolution`);
  return name.replace("<r>", String(resolution));
}

const PATTERN = new RegExp(
  `^(?:${Object.values(ROOT_CACHES)
    .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace("<r>", "\\d+"))
    .join("|")})$`,
);

/** Whether `file` (a lake path, forward slashes) is one of the root caches. */
export function isRootCache(file: string): boolean {
  return PATTERN.test(file);
}
