import * as Plot from "npm:@observablehq/plot";
import { monthAxis } from "./axes.js";
import type { ChartElement } from "./downloads.js";
import { SERIES_COLORS } from "./palettes.js";
import type { MonthlyTotal } from "./aggregate.js";
import type { Strings } from "./strings.js";

/** The strings of the monthly chart. */
export type MonthlyChartStrings = Pick<Strings, "formatAxisMonth" | "formatCount" | "formatMonth" | "categoryLabel"> & {
  common: { month: string; category: string; count: string };
  overview: { suppressedCount: string };
};

/**
 * Incidents per month, one small panel per category, each named beside it. Small multiples instead
 * of stacked areas in eleven colours: no colour has to be told apart (the stack's hues were
 * indistinguishable under deuteranopia) and each category's own trend is readable. Panels share
 * both axes, so their heights compare directly. `data`
 * is the output of monthlyTotals(); the tip says how many withheld counts a sum leaves out.
 */
export function monthlyChart(
  data: MonthlyTotal[],
  { width, categories, tr }: { width: number; categories: readonly string[]; threshold: number; tr: MonthlyChartStrings },
): ChartElement {
  const order = categories.filter((c) => c !== "all" && data.some((d) => d.category === c));
  const panel = 58;
  return Plot.plot({
    width,
    height: order.length * panel + 40,
    marginLeft: 56,
    marginRight: Math.min(220, Math.round(width * 0.28)),
    x: monthAxis(tr, new Set(data.map((d) => d.month)).size),
    y: { label: null, ticks: 2, tickFormat: tr.formatCount, axis: "left" },
    fy: { domain: order, label: null, tickFormat: tr.categoryLabel, axis: "right", padding: 0.18 },
    facet: { data, y: "category" },
    marks: [
      Plot.areaY(data, { x: "date", y: "count", fy: "category", fill: SERIES_COLORS[0], fillOpacity: 0.25 }),
      Plot.lineY(data, { x: "date", y: "count", fy: "category", stroke: SERIES_COLORS[0], strokeWidth: 1.25 }),
      Plot.ruleY([0], { stroke: "#8a8f98" }),
      Plot.tip(
        data,
        Plot.pointerX({
          x: "date",
          y: "count",
          fy: "category",
          channels: {
            [tr.common.month]: (d: MonthlyTotal) => tr.formatMonth(d.month),
            [tr.common.category]: (d: MonthlyTotal) => tr.categoryLabel(d.category),
            [tr.common.count]: (d: MonthlyTotal) => tr.formatCount(d.count),
            [tr.overview.suppressedCount]: (d: MonthlyTotal) => String(d.suppressed),
          },
          format: { x: false, y: false, fy: false },
        }),
      ),
    ],
  });
}
