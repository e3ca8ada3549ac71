import type { PipelineSettings } from "../settings.ts";
import { backtestStage, type BacktestStageSummary } from "./backtest-lake.ts";
import { ALL_OFFENCES } from "./cell-month-grid.ts";
import { emergingStage, type EmergingSummary } from "./emerging-lake.ts";
import { DEFAULT_FORECAST_METHODS, forecastStage, type ForecastSummary } from "./forecast-lake.ts";
import { LakeMemo } from "./lake-grid.ts";
import { addMonths } from "./monthly-counts.ts";

/** What the hot-spot analytics beyond monthly Gi* produced in a pipeline run. */
export interface AnalyticsStageSummary {
  emerging: EmergingSummary;
  forecast: ForecastSummary | null;
  backtest: BacktestStageSummary;
}

/**
 * The analytics a pipeline run adds after the monthly Gi* (for `run`, wired by the pipeline's owner):
 * emerging hot spots over the whole history, patrol priorities for the month after the last one
 * (the method the nested backtest selects and both baselines, 5 % of the study area), and the
 * rolling-origin backtest of every method — for `category` (default all offences), with the default parameters.
 */
export async function analyticsStage(settings: PipelineSettings, category: string = ALL_OFFENCES, timings?: AnalyticsTimings): Promise<AnalyticsStageSummary> {
  const started = performance.now();
  // The three stages read the same counts over the same study area: once, through one memo.
  const memo = new LakeMemo();
  const hullRing = settings.hullRing ?? null;
  const emerging = await emergingStage(settings, { category, memo, hullRing });
  const emerged = performance.now();
  const last = emerging.last_month;
  const next = last === null ? null : addMonths(last, 1);
  // The backtest ends with the last month, over the same study area: its choice for the month after
  // is the forecast's, so the selection backtest is not run twice.
  const backtest = await backtestStage(settings, { category, memo, hullRing });
  const chosen = backtest.last_month === last && backtest.next ? backtest.next : undefined;
  const forecast =
    next === null
      ? null
      : await forecastStage(settings, {
          month: next,
          category,
          methods: DEFAULT_FORECAST_METHODS,
          selection: { areaShare: 0.05 },
          memo,
          hullRing,
          ...(chosen ? { chosen } : {}),
        });
  if (timings) {
    timings.emerging += (emerged - started) / 1000;
    timings.forecast_backtest += (performance.now() - emerged) / 1000;
  }
  return { emerging, forecast, backtest };
}

/** Seconds spent on emerging hot spots and on forecast plus backtest (for the benchmark). */
export interface AnalyticsTimings {
  emerging: number;
  forecast_backtest: number;
}
