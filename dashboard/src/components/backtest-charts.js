import * as Plot from "npm:@observablehq/plot";
import {monthAxis} from "./axes.js";
import {SERIES_COLORS} from "./palettes.js";

/**
 * Grouped bars of one accuracy measure (`measure`: "hit_rate", "pai" or "pei_star") by target share
 * of the area (groups) and method (bars). `data` is patrol.json's backtest.summary.
 */
export function backtestBars(data, {width, measure, methods, tr}) {
  const shares = [...new Set(data.map((d) => d.area_target))].sort((a, b) => a - b);
  const format = measureFormat(measure, tr);
  return Plot.plot({
    width,
    height: 300,
    marginLeft: 56,
    marginBottom: 40,
    fx: {domain: shares, label: tr.patrol.areaShare, tickFormat: (s) => tr.formatShare(s)},
    x: {domain: methods, axis: null, paddingInner: 0.1},
    y: {grid: true, label: tr.patrol.measures[measure].label, tickFormat: format, zero: true, domain: measure === "pai" ? undefined : [0, 1]},
    color: {domain: methods, range: SERIES_COLORS, legend: true, tickFormat: tr.methodLabel},
    marks: [
      Plot.barY(data, {
        fx: "area_target",
        x: "method",
        y: measure,
        fill: "method",
        tip: {
          channels: {
            [tr.patrol.method]: (d) => tr.methodLabel(d.method),
            [tr.patrol.areaShare]: (d) => tr.formatShare(d.area_target),
            [tr.patrol.months]: "months"
          },
          format: {fx: false, x: false, fill: false, y: format}
        }
      }),
      Plot.text(data, {fx: "area_target", x: "method", y: measure, text: (d) => format(d[measure]), dy: -6, fontSize: 10}),
      Plot.ruleY([0])
    ]
  });
}

/** One accuracy measure month by month, a line per method, at one target share of the area. */
export function backtestLines(data, {width, measure, methods, tr}) {
  const format = measureFormat(measure, tr);
  const rows = data.map((d) => ({...d, date: tr.monthDate(d.month)}));
  return Plot.plot({
    width,
    height: 260,
    marginLeft: 56,
    x: monthAxis(tr, new Set(rows.map((d) => d.month)).size),
    y: {grid: true, label: tr.patrol.measures[measure].label, tickFormat: format, zero: true},
    color: {domain: methods, range: SERIES_COLORS, legend: true, tickFormat: tr.methodLabel},
    marks: [
      Plot.lineY(rows, {x: "date", y: measure, stroke: "method", strokeWidth: 1.5}),
      Plot.ruleY([0]),
      Plot.tip(
        rows,
        Plot.pointer({
          x: "date",
          y: measure,
          channels: {[tr.patrol.method]: (d) => tr.methodLabel(d.method), [tr.common.month]: (d) => tr.formatMonth(d.month)},
          format: {x: false, y: format, stroke: false}
        })
      )
    ]
  });
}

/** How a measure is written: hit rate and PEI* as percentages, PAI as a number. */
export function measureFormat(measure, tr) {
  return measure === "pai" ? (v) => tr.formatNumber(v, 1) : (v) => tr.formatShare(v, 0);
}
