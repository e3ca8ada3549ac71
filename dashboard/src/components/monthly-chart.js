import * as Plot from "npm:@observablehq/plot";
import {monthAxis} from "./axes.js";
import {CATEGORY_COLORS} from "./palettes.js";

/**
 * Stacked areas of incidents per month by category. `data` is the output of monthlyTotals(); the tip
 * names the counts below the threshold that the sum leaves out.
 */
export function monthlyChart(data, {width, categories, threshold, tr}) {
  const order = categories.filter((c) => c !== "all");
  return Plot.plot({
    width,
    height: 320,
    marginLeft: 56,
    x: monthAxis(tr, new Set(data.map((d) => d.month)).size),
    y: {grid: true, label: tr.common.count, tickFormat: tr.formatCount},
    color: {domain: order, range: CATEGORY_COLORS, legend: true, tickFormat: tr.categoryLabel},
    marks: [
      Plot.areaY(data, {x: "date", y: "count", fill: "category", order, fillOpacity: 0.85}),
      Plot.ruleY([0]),
      Plot.tip(
        data,
        Plot.pointerX(
          Plot.stackY({
            x: "date",
            y: "count",
            z: "category",
            order,
            channels: {
              [tr.common.month]: (d) => tr.formatMonth(d.month),
              [tr.common.category]: (d) => tr.categoryLabel(d.category),
              [tr.common.count]: (d) => tr.formatCount(d.count),
              [tr.overview.suppressedCount]: (d) => (d.suppressed ? `${d.suppressed} × < ${threshold}` : "0")
            },
            format: {x: false, y: false, z: false}
          })
        )
      )
    ]
  });
}
