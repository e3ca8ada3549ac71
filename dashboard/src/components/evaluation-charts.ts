import * as Plot from "npm:@observablehq/plot";
import type { EvaluationIndicator, EvaluationOutcome, ProjectEvaluation } from "../../data-contract.js";
import type { TargetProgress } from "./aggregate.js";
import { capitalize, countTicks, ratioTicks } from "./axes.js";
import type { ChartElement } from "./downloads.js";
import { SERIES_COLORS } from "./palettes.js";
import type { Strings } from "./strings.js";

/** The strings the evaluation charts read. */
export type EvaluationChartStrings = Pick<
  Strings,
  "formatShare" | "formatCount" | "formatNumber" | "formatQualified" | "formatP" | "caseTypeLabel" | "categoryLabel"
> & {
  common: { count: string };
  evaluation: Pick<
    Strings["evaluation"],
    "percentOfTarget" | "baseline" | "achieved" | "interval" | "rateRatio" | "exactP" | "area" | "comparison" | "exposures"
  >;
};
/** One bar of the before/after chart: a case type's count in one period with its interval. */
interface BeforeAfterRow {
  caseType: string;
  period: string;
  value: number;
  low: number;
  high: number;
}
/** A before or after period on a yearly axis. */
export interface PeriodSpan {
  label: string;
  first: number;
  last: number;
}

const BEFORE = "#9aa5b1";
const AFTER = "#4e79a7";
const PERIOD_FILL = "#eef1f5";
const shorten = (text: string, n = 48) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** Share of the target reached per indicator (targetProgress()), with a rule at 100 %. */
export function targetChart(progress: TargetProgress[], { width, tr }: { width: number; tr: EvaluationChartStrings }): ChartElement {
  const max = Math.max(1.2, ...progress.map((p) => p.share)) * 1.1;
  return Plot.plot({
    width,
    height: 50 + 60 * progress.length,
    marginLeft: 12,
    marginRight: 24,
    x: { label: tr.evaluation.percentOfTarget, tickFormat: (v: number) => tr.formatShare(v), grid: true, domain: [0, max] },
    y: { axis: null, domain: progress.map((p) => p.name), paddingInner: 0.6, paddingOuter: 0.5 },
    marks: [
      Plot.barX(progress, {
        y: "name",
        x: "share",
        fill: (d: TargetProgress) => (d.share >= 1 ? "#59a14f" : AFTER),
        fillOpacity: (d: TargetProgress) => (d.fromCheckpoints ? 0.55 : 0.9),
      }),
      Plot.ruleX([1], { stroke: "#333", strokeDasharray: "4,3" }),
      Plot.text(progress, {
        y: "name",
        x: 0,
        dy: -17,
        textAnchor: "start",
        fontSize: 11,
        text: (d: TargetProgress) => shorten(d.name, Math.round(width / 6.5)),
      }),
      Plot.text(progress, {
        y: "name",
        x: 0,
        dy: 18,
        textAnchor: "start",
        fontSize: 11,
        fill: "#555",
        text: (d: TargetProgress) => `${tr.formatQualified(d.value, d.qualifier)} / ${tr.formatCount(d.target)} (${tr.formatShare(d.share)})`,
      }),
      Plot.ruleX([0]),
    ],
  });
}

/** Baseline → result per indicator that states both (a dumbbell), on one count axis. */
export function baselineChart(indicators: EvaluationIndicator[], { width, tr }: { width: number; tr: EvaluationChartStrings }): ChartElement {
  type Row = EvaluationIndicator & { baseline: number; achieved: number };
  const rows = indicators.filter((i): i is Row => i.baseline !== null && i.achieved !== null);
  const max = Math.max(...rows.map((r) => Math.max(r.baseline, r.achieved)));
  return Plot.plot({
    width,
    height: 50 + 52 * rows.length,
    marginLeft: 12,
    marginRight: 70,
    x: { label: `${tr.evaluation.baseline} → ${tr.evaluation.achieved}`, grid: true, zero: true, tickFormat: tr.formatCount, ticks: countTicks(max) },
    y: { axis: null, domain: rows.map((r) => r.name), paddingInner: 0.55, paddingOuter: 0.5 },
    marks: [
      Plot.text(rows, { y: "name", x: 0, dy: -17, textAnchor: "start", fontSize: 11, text: (d: Row) => shorten(d.name, Math.round(width / 6.5)) }),
      Plot.link(rows, { y1: "name", y2: "name", x1: "baseline", x2: "achieved", stroke: "#bbb", strokeWidth: 3, markerEnd: "arrow" }),
      Plot.dot(rows, {
        y: "name",
        x: "baseline",
        fill: BEFORE,
        r: 5,
        tip: {
          channels: { [tr.evaluation.baseline]: (d: Row) => `${tr.formatCount(d.baseline)} (${d.baseline_period ?? ""})` },
          format: { x: false, y: false },
        },
      }),
      Plot.dot(rows, { y: "name", x: "achieved", fill: AFTER, r: 5 }),
      Plot.text(rows, {
        y: "name",
        x: "achieved",
        dx: 10,
        textAnchor: "start",
        fontSize: 11,
        text: (d: Row) => `${tr.formatCount(d.baseline)} → ${tr.formatQualified(d.achieved, d.achieved_qualifier)}`,
      }),
    ],
  });
}

/** Before (scaled) and after counts per case type as bars with their exact Poisson intervals. */
export function beforeAfterChart(
  outcomes: EvaluationOutcome[],
  { width, tr, before, after, level }: { width: number; tr: EvaluationChartStrings; before: string; after: string; level: string },
): ChartElement {
  const label = (o: EvaluationOutcome) => capitalize(tr.caseTypeLabel(o.case_type));
  const rows: BeforeAfterRow[] = outcomes.flatMap((o) => [
    { caseType: label(o), period: before, value: o.before_scaled, low: o.before_ci[0], high: o.before_ci[1] },
    { caseType: label(o), period: after, value: o.after, low: o.after_ci[0], high: o.after_ci[1] },
  ]);
  return Plot.plot({
    width,
    height: 300,
    marginLeft: 48,
    fx: { label: null, domain: outcomes.map(label) },
    x: { domain: [before, after], label: null, axis: null },
    y: { grid: true, label: tr.common.count, zero: true, tickFormat: tr.formatCount },
    color: { domain: [before, after], range: [BEFORE, AFTER], legend: true },
    marks: [
      Plot.barY(rows, { fx: "caseType", x: "period", y: "value", fill: "period", insetLeft: 8, insetRight: 8 }),
      Plot.ruleX(rows, { fx: "caseType", x: "period", y1: "low", y2: "high", stroke: "#222", strokeWidth: 1.5 }),
      Plot.tickY(rows, { fx: "caseType", x: "period", y: "low", stroke: "#222", inset: 14 }),
      Plot.tickY(rows, { fx: "caseType", x: "period", y: "high", stroke: "#222", inset: 14 }),
      Plot.text(rows, {
        fx: "caseType",
        x: "period",
        y: "value",
        text: (d: BeforeAfterRow) => tr.formatNumber(d.value, Number.isInteger(d.value) ? 0 : 1),
        dy: 10,
        fill: "white",
        fontWeight: 600,
      }),
      Plot.ruleY([0]),
      Plot.tip(
        rows,
        Plot.pointer({
          fx: "caseType",
          x: "period",
          y: "value",
          channels: { [tr.evaluation.interval(level)]: (d: BeforeAfterRow) => `${tr.formatNumber(d.low, 2)} – ${tr.formatNumber(d.high, 2)}` },
          format: { fx: false, x: true, y: (v: number) => tr.formatNumber(v, Number.isInteger(v) ? 0 : 1) },
        }),
      ),
    ],
  });
}

/** The after/before rate ratio per case type with its confidence interval, on a log axis, and the line of no change. */
export function rateRatioChart(
  outcomes: EvaluationOutcome[],
  { width, tr, level }: { width: number; tr: EvaluationChartStrings; level: string },
): ChartElement {
  type RatioRow = EvaluationOutcome & { rate_ratio: number; label: string; low: number; high: number };
  const rows: RatioRow[] = outcomes
    .filter((o): o is EvaluationOutcome & { rate_ratio: number } => o.rate_ratio !== null)
    .map((o) => ({ ...o, label: capitalize(tr.caseTypeLabel(o.case_type)), low: Math.max(o.ci_low, 0.02), high: o.ci_high ?? 1000 }));
  const max = Math.max(4, ...rows.map((r) => r.high)) * 1.2;
  const min = Math.min(0.25, ...rows.map((r) => r.low)) / 1.2;
  return Plot.plot({
    width,
    height: 60 + 44 * rows.length,
    marginLeft: 170,
    marginRight: 30,
    x: {
      type: "log",
      domain: [min, max],
      label: tr.evaluation.rateRatio,
      grid: true,
      tickFormat: (v: number) => tr.formatNumber(v, v < 1 ? 2 : 0),
      ticks: ratioTicks(min, max),
    },
    y: { label: null, domain: rows.map((r) => r.label) },
    marks: [
      Plot.ruleX([1], { stroke: "#333", strokeDasharray: "4,3" }),
      Plot.ruleY(rows, { y: "label", x1: "low", x2: "high", stroke: AFTER, strokeWidth: 2 }),
      Plot.dot(rows, {
        y: "label",
        x: "rate_ratio",
        fill: AFTER,
        r: 5,
        tip: {
          channels: {
            [tr.evaluation.interval(level)]: (d: RatioRow) => `${tr.formatNumber(d.ci_low, 2)} – ${d.ci_high === null ? "∞" : tr.formatNumber(d.ci_high, 2)}`,
            [tr.evaluation.exactP]: (d: RatioRow) => tr.formatP(d.exact_p),
          },
          format: { x: (v: number) => tr.formatNumber(v, 2), y: false },
        },
      }),
      Plot.text(rows, { y: "label", x: "rate_ratio", text: (d: RatioRow) => tr.formatNumber(d.rate_ratio, 2), dy: -12, fontSize: 11 }),
    ],
  });
}

/** Yearly counts of the evaluation area and its comparison area, the before and after years shaded. */
export function historyChart(
  history: ProjectEvaluation["history"],
  { width, tr, periods }: { width: number; tr: EvaluationChartStrings; periods: PeriodSpan[] },
): ChartElement {
  const rows = history.flatMap((h) => [
    { year: h.year, series: tr.evaluation.area, value: h.area, category: h.category },
    ...(h.control === null ? [] : [{ year: h.year, series: tr.evaluation.comparison, value: h.control, category: h.category }]),
  ]);
  const series = [...new Set(rows.map((r) => r.series))];
  const categories = [...new Set(rows.map((r) => r.category))];
  return Plot.plot({
    width,
    height: categories.length > 1 ? 160 * categories.length : 260,
    marginLeft: 48,
    x: { label: null, tickFormat: (y: number) => String(y), ticks: [...new Set(rows.map((r) => r.year))] },
    y: { grid: true, label: tr.common.count, zero: true, tickFormat: tr.formatCount },
    fy: categories.length > 1 ? { label: null, tickFormat: tr.categoryLabel } : undefined,
    color: { domain: series, range: [AFTER, "#e15759"], legend: true },
    marks: [
      ...periodShades(periods),
      Plot.lineY(rows, { x: "year", y: "value", stroke: "series", fy: categories.length > 1 ? "category" : undefined, strokeWidth: 2 }),
      Plot.dot(rows, {
        x: "year",
        y: "value",
        fill: "series",
        fy: categories.length > 1 ? "category" : undefined,
        r: 3.5,
        tip: { format: { x: (y: number) => String(y), fill: false } },
      }),
      Plot.ruleY([0]),
    ],
  });
}

/** An exposure series (e.g. immigrants registered per year) with the before and after years shaded. */
export function exposureChart(
  exposure: NonNullable<ProjectEvaluation["exposure"]>,
  { width, tr, periods }: { width: number; tr: EvaluationChartStrings; periods: PeriodSpan[] },
): ChartElement {
  return Plot.plot({
    width,
    height: 240,
    marginLeft: 56,
    x: { label: null, tickFormat: (y: number) => String(y), ticks: exposure.values.map((v) => v.year) },
    y: {
      grid: true,
      label: (tr.evaluation.exposures as Record<string, string | undefined>)[exposure.indicator] ?? exposure.indicator,
      zero: true,
      tickFormat: tr.formatCount,
    },
    marks: [
      ...periodShades(periods),
      Plot.lineY(exposure.values, { x: "year", y: "value", stroke: SERIES_COLORS[2], strokeWidth: 2 }),
      Plot.dot(exposure.values, { x: "year", y: "value", fill: SERIES_COLORS[2], r: 3.5, tip: { format: { x: (y: number) => String(y), y: tr.formatCount } } }),
      Plot.ruleY([0]),
    ],
  });
}

/** Shaded spans for the before and after periods: `periods` is [{label, first, last}] in years. */
function periodShades(periods: PeriodSpan[]): Plot.Markish[] {
  return [
    Plot.rectX(periods, { x1: (d: PeriodSpan) => d.first - 0.4, x2: (d: PeriodSpan) => d.last + 0.4, fill: PERIOD_FILL }),
    Plot.text(periods, { x: (d: PeriodSpan) => (d.first + d.last) / 2, text: "label", frameAnchor: "top", dy: 4, fill: "#6b7280", fontSize: 10 }),
  ];
}
