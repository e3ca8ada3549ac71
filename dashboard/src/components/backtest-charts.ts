import * as Plot from "npm:@observablehq/plot";
import { monthAxis } from "./axes.js";
import { SERIES_COLORS } from "./palettes.js";
import type { PatrolData } from "../../data-contract.js";
import type { ChartElement } from "./downloads.js";
import type { Strings } from "./strings.js";

/** An accuracy measure of the backtest. */
export type Measure = "hit_rate" | "pai" | "pei_star";

/** The strings of the backtest charts. */
export type BacktestStrings = Pick<Strings, "formatAxisMonth" | "formatShare" | "formatNumber" | "formatMonth" | "methodLabel" | "monthDate"> & {
  patrol: { areaShare: string; method: string; months: string; measures: Record<Measure, { label: string }>; noBacktestChart: string };
  common: { month: string };
};

type Backtest = NonNullable<PatrolData["backtest"]>;
type SummaryRow = Backtest["summary"][number];
type MonthlyRow = Backtest["monthly"][number];
interface ChartOptions {
  width: number;
  measure: Measure;
  methods: readonly string[];
  tr: BacktestStrings;
}

/**
 * Grouped bars of one accuracy measure (`measure`: "hit_rate", "pai" or "pei_star") by target share
 * of the area (groups) and method (bars). `data` is patrol.json's backtest.summary; a bar is the mean
 * over the months every drawn method published at the share (`shared`), so the bars compare like with like.
 */
export function backtestBars(summary: SummaryRow[], { width, measure, methods, tr }: ChartOptions): ChartElement {
  const data = summary.filter((d) => d.shared.months > 0).map((d) => ({ ...d, [measure]: d.shared[measure], months: d.shared.months }));
  if (data.length === 0) return emptyChart(width, tr.patrol.noBacktestChart);
  const shares = [...new Set(data.map((d) => d.area_target))].sort((a, b) => a - b);
  const format = measureFormat(measure, tr);
  return Plot.plot({
    width,
    height: 300,
    marginLeft: 56,
    marginBottom: 40,
    fx: { domain: shares, label: tr.patrol.areaShare, tickFormat: (s: number) => tr.formatShare(s) },
    x: { domain: methods, axis: null, paddingInner: 0.1 },
    y: { grid: true, label: tr.patrol.measures[measure].label, tickFormat: format, zero: true, domain: measure === "pai" ? undefined : [0, 1] },
    color: { domain: methods, range: SERIES_COLORS, legend: true, tickFormat: tr.methodLabel },
    marks: [
      Plot.barY(data, {
        fx: "area_target",
        x: "method",
        y: measure,
        fill: "method",
        tip: {
          channels: {
            [tr.patrol.method]: (d: SummaryRow) => tr.methodLabel(d.method),
            [tr.patrol.areaShare]: (d: SummaryRow) => tr.formatShare(d.area_target),
            [tr.patrol.months]: "months",
          },
          format: { fx: false, x: false, fill: false, y: format },
        },
      }),
      Plot.text(data, { fx: "area_target", x: "method", y: measure, text: (d: SummaryRow) => format(d[measure]), dy: -6, fontSize: 10 }),
      Plot.ruleY([0]),
    ],
  });
}

/** One accuracy measure month by month, a line per method, at one target share of the area. */
export function backtestLines(data: MonthlyRow[], { width, measure, methods, tr }: ChartOptions): ChartElement {
  if (data.length === 0) return emptyChart(width, tr.patrol.noBacktestChart);
  const format = measureFormat(measure, tr);
  const rows = data.map((d) => ({ ...d, date: tr.monthDate(d.month) }));
  return Plot.plot({
    width,
    height: 260,
    marginLeft: 56,
    x: monthAxis(tr, new Set(rows.map((d) => d.month)).size),
    y: { grid: true, label: tr.patrol.measures[measure].label, tickFormat: format, zero: true },
    color: { domain: methods, range: SERIES_COLORS, legend: true, tickFormat: tr.methodLabel },
    marks: [
      Plot.lineY(rows, { x: "date", y: measure, stroke: "method", strokeWidth: 1.5 }),
      Plot.ruleY([0]),
      Plot.tip(
        rows,
        Plot.pointer({
          x: "date",
          y: measure,
          channels: { [tr.patrol.method]: (d: MonthlyRow) => tr.methodLabel(d.method), [tr.common.month]: (d: MonthlyRow) => tr.formatMonth(d.month) },
          format: { x: false, y: format, stroke: false },
        }),
      ),
    ],
  });
}

/** A chart with no backtest month to draw (the page says why): the message in a small frame, not empty axes. */
function emptyChart(width: number, message: string): ChartElement {
  return Plot.plot({
    width,
    height: 60,
    x: { axis: null },
    y: { axis: null },
    marks: [Plot.text([message], { frameAnchor: "middle", fontSize: 13, fill: "#555" })],
  });
}

/** How a measure is written: hit rate and PEI* as percentages, PAI as a number. */
export function measureFormat(measure: Measure, tr: Pick<Strings, "formatNumber" | "formatShare">): (value: number) => string {
  return measure === "pai" ? (v) => tr.formatNumber(v, 1) : (v) => tr.formatShare(v, 0);
}
