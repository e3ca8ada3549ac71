import type { PipelineSettings } from "../settings.ts";
import { withAnalyticsSession } from "./analytics-session.ts";
import { backtestStage, type BacktestStageSummary } from "./backtest-lake.ts";
import { ALL_OFFENCES } from "./cell-month-grid.ts";
import { DEFAULT_EMERGING_OPTIONS } from "./emerging-hot-spots.ts";
import { emergingStage, RECORD_SPARSE, type EmergingSummary, type SparseGuard } from "./emerging-lake.ts";
import { DEFAULT_FORECAST_METHODS, forecastStage, type ForecastRequest, type ForecastSummary } from "./forecast-lake.ts";
import { LakeMemo } from "./lake-grid.ts";
import { addMonths } from "./monthly-counts.ts";
import type { KeepUnchanged, UnchangedOutput } from "./output-fingerprint.ts";

/**
 * What the hot-spot analytics beyond monthly Gi* produced in a pipeline run: each stage's summary,
 * or `UnchangedOutput` where its file was already up to date and was kept.
 */
export interface AnalyticsStageSummary {
  emerging: EmergingSummary | UnchangedOutput;
  forecast: ForecastSummary | UnchangedOutput | null;
  backtest: BacktestStageSummary | UnchangedOutput;
}

/**
 * The analytics a pipeline run adds after the monthly Gi* (for `run`, wired by the pipeline's owner):
 * emerging hot spots over the whole history, patrol priorities for the month after the last one
 * (the method the nested backtest selects and both baselines, 5 % of the study area), and the
 * rolling-origin backtest of every method — for `category` (default all offences), with the default
 * parameters, over the settings' study area (municipalities or hull). A file whose parameter and
 * input fingerprints and bytes are those the manifest records is kept, not recomputed (issue 21:
 * most runs add nothing these files read); `full` recomputes all three. The three stages run in one
 * analytics session (one connection, one commit: see withAnalyticsSession), `memo`'s when given.
 * Emerging hot spots of a series too sparse for them are skipped with the reason (`sparse`, default
 * RECORD_SPARSE); the forecast and backtest still run.
 */
export async function analyticsStage(
  settings: PipelineSettings,
  category: string = ALL_OFFENCES,
  timings?: AnalyticsTimings,
  options: { full?: boolean; memo?: LakeMemo; sparse?: SparseGuard } = {},
): Promise<AnalyticsStageSummary> {
  const given = options.memo;
  if (!given) return withAnalyticsSession(settings, (memo) => analyticsStage(settings, category, timings, { ...options, memo }));
  return analyticsIn(settings, category, timings, options.full === true, given, options.sparse ?? RECORD_SPARSE);
}

async function analyticsIn(
  settings: PipelineSettings,
  category: string,
  timings: AnalyticsTimings | undefined,
  full: boolean,
  memo: LakeMemo,
  sparse: SparseGuard,
): Promise<AnalyticsStageSummary> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const keep: KeepUnchanged | undefined = full ? undefined : { keepUnchanged: true };
  // The three stages read the same counts over the same study area: once, through one memo.
  const hullRing = settings.hullRing ?? null;
  const scope = { category, memo, hullRing };
  // All offences too sparse for emerging hot spots is skipped with the reason, as a category is; the forecast and backtest go on.
  const emerging = await emergingStage(settings, scope, DEFAULT_EMERGING_OPTIONS, keep, sparse);
  const emerged = performance.now();
  const cpuEmerged = process.cpuUsage();
  const last = emerging.last_month;
  const next = last === null ? null : addMonths(last, 1);
  // The backtest ends with the last month, over the same study area: its choice for the month after
  // is the forecast's, so the selection backtest is not run twice (a kept backtest has no choice to
  // give: a forecast that is not kept too then makes its own).
  const backtest = keep ? await backtestStage(settings, scope, {}, keep) : await backtestStage(settings, scope);
  const chosen = "next" in backtest && backtest.last_month === last && backtest.next ? backtest.next : undefined;
  const request: ForecastRequest | null =
    next === null
      ? null
      : { month: next, category, methods: DEFAULT_FORECAST_METHODS, selection: { areaShare: 0.05 }, memo, hullRing, ...(chosen ? { chosen } : {}) };
  const forecast = request === null ? null : keep ? await forecastStage(settings, request, keep) : await forecastStage(settings, request);
  if (timings) {
    timings.emerging += (emerged - started) / 1000;
    timings.forecast_backtest += (performance.now() - emerged) / 1000;
    if (timings.cpu) {
      const seconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
      timings.cpu.emerging += seconds(process.cpuUsage(cpuStarted)) - seconds(process.cpuUsage(cpuEmerged));
      timings.cpu.forecast_backtest += seconds(process.cpuUsage(cpuEmerged));
    }
  }
  return { emerging, forecast, backtest };
}

/** Seconds spent on emerging hot spots and on forecast plus backtest (for the benchmark). */
export interface AnalyticsTimings {
  emerging: number;
  forecast_backtest: number;
  /** The same parts in CPU seconds of the process (every thread): under load, wall seconds mostly measure the others' work. */
  cpu?: { emerging: number; forecast_backtest: number };
}
