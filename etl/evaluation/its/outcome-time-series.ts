import { formatNumber, formatP, formatRatio, categoryLabel, formatLevel } from "../format.ts";
import type { EvaluationResult } from "../lake/run-evaluation.ts";
import { caveatText, type Caveat, type PreTrend } from "../statistics/caveats.ts";
import { ALL } from "../statistics/count-table.ts";
import type { OutcomeRow } from "../statistics/outcome-row.ts";
import { inTimePlacebos, interruptedTimeSeries, type ItsResult, type MonthCount, type PlaceboResult } from "../statistics/interrupted-time-series.ts";
import { readMonthlySeries, type MonthlySeriesRequest } from "./monthly-series.ts";

/** The interrupted time series of one category of an evaluation, with its in-time placebos. */
export interface CategoryTimeSeries {
  category: string;
  first_month: string | null;
  last_month: string | null;
  intervention_month: string;
  /** The monthly counts the model was fitted to. */
  series: MonthCount[];
  its: ItsResult;
  in_time_placebos: { placebos: PlaceboResult[]; share_as_large: number | null } | null;
}

/**
 * Fits the interrupted time series of each category of an evaluation over the lake's monthly history:
 * from January of `firstYear` to the end of the after period, the intervention at the after period's
 * first month (months after the after period are left out: the project may have changed by then).
 */
export async function evaluationTimeSeries(
  lake: Omit<MonthlySeriesRequest, "area" | "categories" | "firstMonth" | "lastMonth" | "allExcludes">,
  spec: { area: string; categories: readonly string[]; firstYear: number },
  result: Pick<EvaluationResult, "after" | "confidence_level" | "all_excludes">,
): Promise<CategoryTimeSeries[]> {
  const intervention = result.after.windows[0]!.first.slice(0, 7);
  const lastMonth = result.after.windows.at(-1)!.last.slice(0, 7);
  const series = await readMonthlySeries({
    ...lake,
    area: spec.area,
    categories: spec.categories,
    firstMonth: `${spec.firstYear}-01`,
    lastMonth,
    allExcludes: new Set(result.all_excludes),
  });
  return [...series.entries()].map(([category, months]) => {
    const its = interruptedTimeSeries(months, intervention, result.confidence_level);
    const model = its.refused ? null : its.preferred === "negative_binomial" && its.negative_binomial ? its.negative_binomial : its.poisson;
    return {
      category,
      first_month: months[0]?.month ?? null,
      last_month: months.at(-1)?.month ?? null,
      intervention_month: intervention,
      series: months,
      its,
      in_time_placebos: model ? inTimePlacebos(months, intervention, model.level_change.ratio) : null,
    };
  });
}

/** A category's time series for people: the estimates of the preferred model, or why it was refused. */
export function timeSeriesText(ts: CategoryTimeSeries, confidenceLevel: number): string {
  const span = ts.first_month ? `${ts.first_month} … ${ts.last_month}` : "no months";
  const head = `Interrupted time series of ${categoryLabel(ts.category)} (${span}, intervention ${ts.intervention_month})`;
  const its = ts.its;
  if (its.refused) return `${head}: refused — ${its.reason}.`;
  const m = its.preferred === "negative_binomial" && its.negative_binomial ? its.negative_binomial : its.poisson;
  const level = formatLevel(confidenceLevel);
  const est = (r: { ratio: number; ci_low: number; ci_high: number; p_value: number }) =>
    `×${formatRatio(r.ratio)} (${level} CI ${formatRatio(r.ci_low)} to ${formatRatio(r.ci_high)}, p = ${formatP(r.p_value, 1 - confidenceLevel)})`;
  const family =
    m.family === "negative_binomial"
      ? `negative binomial (θ = ${formatNumber(m.theta, 2)}), preferred to Poisson by the likelihood-ratio test`
      : `Poisson (Pearson dispersion ${formatNumber(its.poisson.dispersion, 2)}; no over-dispersion the negative binomial would need)`;
  const placebo = inTimePlaceboText(ts);
  return (
    `${head}: ${its.pre_months} months before, ${its.post_months} from the intervention on, ${formatNumber(its.total, 0)} cases; ${its.seasonality ? "with" : "without"} month-of-year effects; model ${family}. ` +
    `Level change ${est(m.level_change)}, change of the monthly trend ${est(m.slope_change)}, pre-trend ${est(m.pre_trend)} a month.${placebo ? ` ${placebo}` : ""}`
  );
}

/** The in-time placebos of a category's time series for people ("" when no time series was fitted). */
export function inTimePlaceboText(ts: CategoryTimeSeries): string {
  return ts.in_time_placebos && ts.in_time_placebos.share_as_large !== null
    ? `In-time placebos: ${ts.in_time_placebos.placebos.filter((p) => p.level_change !== null).length} false intervention months in the pre-period; ${formatNumber(ts.in_time_placebos.share_as_large * 100, 0)} % of them show a level change at least as large.`
    : ts.in_time_placebos
      ? `In-time placebos: none of the ${ts.in_time_placebos.placebos.length} false intervention months in the pre-period could be fitted${ts.in_time_placebos.placebos[0]?.refused ? ` (${ts.in_time_placebos.placebos[0].refused.split(";")[0]})` : ""}, so the level change cannot be compared with chance steps of the pre-period.`
      : "";
}

/** What preTrendCaveats reads of an evaluation: each category's change and the confidence level. */
type TrendedResult = { outcomes: ReadonlyArray<Pick<OutcomeRow, "category" | "case_type" | "change">>; confidence_level: number };

/**
 * A category whose count was already falling (or rising) before the intervention, by the preferred
 * model's pre-trend interval, and that changed the same way between the before and after periods:
 * the before/after comparison assumes a flat level, so it credits the trend's continuation to the
 * project. Categories whose series was refused, or moved against their pre-trend, get none.
 */
export function preTrendCaveats(timeSeries: readonly CategoryTimeSeries[], result: TrendedResult): Caveat[] {
  return timeSeries.flatMap((ts): Caveat[] => {
    if (ts.its.refused) return [];
    const m = ts.its.preferred === "negative_binomial" && ts.its.negative_binomial ? ts.its.negative_binomial : ts.its.poisson;
    const trend: PreTrend["trend"] | null = m.pre_trend.ci_high < 1 ? "falling" : m.pre_trend.ci_low > 1 ? "rising" : null;
    const row = result.outcomes.find((r) => r.category === ts.category && r.case_type === ALL);
    if (!trend || !row || Math.sign(row.change) !== (trend === "falling" ? -1 : 1)) return [];
    const { ratio, ci_low, ci_high } = m.pre_trend;
    const params = { category: ts.category, trend, intervention_month: ts.intervention_month, ratio, ci_low, ci_high };
    return [
      {
        code: "pre_trend",
        params: { ...params, confidence_level: result.confidence_level, level_ratio: m.level_change.ratio, level_p: m.level_change.p_value },
      },
    ];
  });
}

/** The evaluation with its time series' caveats (preTrendCaveats) added, in both languages. */
export function withTimeSeriesCaveats<
  R extends TrendedResult & Pick<EvaluationResult, "caveats" | "caveats_lt"> & Partial<Pick<EvaluationResult, "caveat_codes">>,
>(result: R, timeSeries: readonly CategoryTimeSeries[]): R {
  const caveats = preTrendCaveats(timeSeries, result);
  if (caveats.length === 0) return result;
  return {
    ...result,
    caveats: [...result.caveats, ...caveats.map((c) => caveatText("en", c))],
    caveats_lt: [...result.caveats_lt, ...caveats.map((c) => caveatText("lt", c))],
    ...(result.caveat_codes ? { caveat_codes: [...result.caveat_codes, ...caveats] } : {}),
  };
}
