import type { SyntheticSpec } from "./synthetic/generate.ts";

/** One benchmark size: the synthetic history and, optionally, the month that follows it. */
export interface BenchSize {
  name: string;
  incidents: number;
  months: number;
  history: SyntheticSpec;
  /** The next month alone, for the incremental run (ingest it into the finished lake, analyse it). */
  nextMonth?: SyntheticSpec;
  /** Run without `--sizes` (the others only when named). */
  byDefault: boolean;
}

const SEED = "hotspots-bench/v1";

function size(name: string, incidents: number, firstMonth: string, months: number, incremental: boolean, byDefault = true): BenchSize {
  const history: SyntheticSpec = { seed: SEED, firstMonth, timelineMonths: months, fromMonth: 0, months, incidents, idPrefix: "SYN" };
  const perMonth = Math.round(incidents / months);
  return {
    name,
    incidents,
    months,
    history,
    byDefault,
    ...(incremental ? { nextMonth: { ...history, fromMonth: months, months: 1, incidents: perMonth, idPrefix: "NXT" } } : {}),
  };
}

/**
 * The sizes of issue 8: 1 M incidents over 60 months and 10 M over 120, each with the incremental month;
 * and, only with `--sizes 40m`, 40 M over 120 months — a CSV of about 5 GB, to show that memory is
 * bounded by the chunking, not by the size of the input.
 */
export const BENCH_SIZES: readonly BenchSize[] = [
  size("1m", 1_000_000, "2020-01", 60, true),
  size("10m", 10_000_000, "2015-01", 120, true),
  size("40m", 40_000_000, "2015-01", 120, false, false),
];
