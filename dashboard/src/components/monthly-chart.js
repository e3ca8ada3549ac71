import * as Plot from "npm:@observablehq/plot";
import {categoryLabel, formatCount, formatMonth, t} from "./strings.js";

// Tableau 10 plus two, so that up to twelve categories get distinct colours (Plot's schemes stop at 10).
const CATEGORY_COLOURS = [
  "#4e79a7", "#f28e2c", "#e15759", "#76b7b2", "#59a14f", "#edc949",
  "#af7aa1", "#ff9da7", "#9c755f", "#bab0ab", "#8cd17d", "#2f4b7c"
];

/**
 * Stacked areas of incidents per month by category, summed over municipalities. `data` is the
 * output of monthlyTotals(); the tip names the counts below the threshold that the sum leaves out.
 */
export function monthlyChart(data, {width, categories, threshold}) {
  const order = categories.filter((c) => c !== "all");
  return Plot.plot({
    width,
    height: 320,
    marginLeft: 50,
    x: {type: "utc", label: null},
    y: {grid: true, label: t.overview.count, tickFormat: formatCount},
    color: {domain: order, range: CATEGORY_COLOURS, legend: true, tickFormat: categoryLabel},
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
              [t.overview.month]: (d) => formatMonth(d.month),
              [t.overview.category]: (d) => categoryLabel(d.category),
              [t.overview.count]: (d) => formatCount(d.count),
              [t.overview.suppressedCount]: (d) => (d.suppressed ? `${d.suppressed} × < ${threshold}` : "0")
            },
            format: {x: false, y: false, z: false}
          })
        )
      )
    ]
  });
}
