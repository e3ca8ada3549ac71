import * as Plot from "npm:@observablehq/plot";
import { labelRoom, monthAxis } from "./axes.js";
import type { ChartElement } from "./downloads.js";
import { SERIES_COLORS } from "./palettes.js";
import { splitNotAnalysed, type MonthlyTotal, type NotAnalysedMonth } from "./aggregate.js";
import type { Strings } from "./strings.js";

/** The strings of the monthly chart. */
export type MonthlyChartStrings = Pick<Strings, "formatAxisMonth" | "formatCount" | "formatWithheld" | "formatMonth" | "categoryLabel"> & {
  common: { month: string; category: string; count: string };
  overview: { suppressedCount: string; notAnalysedMark: (reason: NotAnalysedMonth["reason"]) => string };
};

/**
 * Incidents per month, one small panel per category, each named beside it. Small multiples instead
 * of stacked areas in eleven colours: no colour has to be told apart (the stack's hues were
 * indistinguishable under deuteranopia) and each category's own trend is readable. Panels share
 * both axes, so their heights compare directly. `data`
 * is the output of monthlyTotals(); the tip says how many withheld counts a sum leaves out, and a month
 * with nothing but withheld counts (count null) is a gap in the line, never a 0. A month the analyses
 * leave out (`notAnalysed`: meta.not_analysed) is not joined to the line: a hollow dot on a dashed
 * rule, labelled why, so that a month not ended never reads as a collapse (splitNotAnalysed).
 */
export function monthlyChart(
  data: MonthlyTotal[],
  {
    width,
    categories,
    notAnalysed = [],
    tr,
  }: { width: number; categories: readonly string[]; threshold: number; notAnalysed?: readonly NotAnalysedMonth[]; tr: MonthlyChartStrings },
): ChartElement {
  const order = categories.filter((c) => c !== "all" && data.some((d) => d.category === c));
  const { analysed, left } = splitNotAnalysed(data, notAnalysed);
  const reasonOf = new Map(notAnalysed.map((m) => [m.month, m.reason]));
  const monthText = (d: MonthlyTotal) => {
    const reason = reasonOf.get(d.month);
    return reason === undefined ? tr.formatMonth(d.month) : `${tr.formatMonth(d.month)} (${tr.overview.notAnalysedMark(reason)})`;
  };
  const panel = 58;
  // The category names beside the panels: as wide as the longest needs (Lithuanian names run long), wrapped past a third of the width.
  const names = labelRoom(
    order.map((c) => tr.categoryLabel(c)),
    width,
  );
  return Plot.plot({
    width,
    height: order.length * panel + 40,
    marginLeft: 56,
    marginRight: names.margin,
    x: monthAxis(tr, new Set(data.map((d) => d.month)).size),
    y: { label: null, ticks: 2, tickFormat: tr.formatCount, axis: "left" },
    fy: { domain: order, label: null, axis: null, padding: 0.18 },
    facet: { data, y: "category" },
    marks: [
      Plot.axisFy({ anchor: "right", label: null, tickFormat: tr.categoryLabel, lineWidth: names.lineWidth }),
      Plot.areaY(analysed, { x: "date", y: "count", fy: "category", fill: SERIES_COLORS[0], fillOpacity: 0.25 }),
      Plot.lineY(analysed, { x: "date", y: "count", fy: "category", stroke: SERIES_COLORS[0], strokeWidth: 1.25 }),
      // A month between two gaps (withheld months) is a dot: a line of one point draws nothing.
      Plot.dot(isolated(analysed), { x: "date", y: "count", fy: "category", fill: SERIES_COLORS[0], r: 1.5 }),
      // The months not analysed: a dashed rule in every panel, a hollow dot for the count, and why, once at the top.
      Plot.ruleX(
        [...new Set(left.map((d) => d.month))].map((m) => left.find((d) => d.month === m)!),
        { x: "date", stroke: "#8a8f98", strokeDasharray: "2,3" },
      ),
      Plot.dot(
        left.filter((d) => d.count !== null),
        { x: "date", y: "count", fy: "category", stroke: SERIES_COLORS[0], fill: "white", r: 2.5 },
      ),
      Plot.text(
        left.filter((d) => d.category === order[0]),
        {
          x: "date",
          fy: "category",
          text: (d: MonthlyTotal & { reason: NotAnalysedMonth["reason"] }) => tr.overview.notAnalysedMark(d.reason),
          frameAnchor: "top",
          textAnchor: "end",
          dx: -4,
          fill: "#5f6368",
        },
      ),
      Plot.ruleY([0], { stroke: "#8a8f98" }),
      Plot.tip(
        data,
        Plot.pointerX({
          x: "date",
          // A withheld month's tip sits on the baseline and says "withheld".
          y: (d: MonthlyTotal) => d.count ?? 0,
          fy: "category",
          channels: {
            [tr.common.month]: monthText,
            [tr.common.category]: (d: MonthlyTotal) => tr.categoryLabel(d.category),
            [tr.common.count]: (d: MonthlyTotal) => tr.formatWithheld(d.count),
            [tr.overview.suppressedCount]: (d: MonthlyTotal) => String(d.suppressed),
          },
          format: { x: false, y: false, fy: false },
        }),
      ),
    ],
  });
}

/** The months whose count is published but whose neighbours in the category's series are gaps. */
function isolated(data: readonly MonthlyTotal[]): MonthlyTotal[] {
  const series = new Map<string, MonthlyTotal[]>();
  for (const d of data) series.set(d.category, [...(series.get(d.category) ?? []), d]);
  return [...series.values()].flatMap((rows) => rows.filter((d, i) => d.count !== null && rows[i - 1]?.count == null && rows[i + 1]?.count == null));
}
