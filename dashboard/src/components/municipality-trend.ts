import * as Plot from "npm:@observablehq/plot";
import { monthAxis } from "./axes.js";
import { SERIES_COLORS } from "./palettes.js";
import type { MunicipalityPoint } from "./aggregate.js";
import type { ChartElement } from "./downloads.js";
import type { Strings } from "./strings.js";

/** The strings of the trend chart. */
export type TrendStrings = Pick<Strings, "formatAxisMonth" | "formatCount" | "formatMonth"> & {
  common: { count: string; municipality: string; month: string };
};

/**
 * Monthly counts of one category per municipality (dots) with their 12-month moving average (lines).
 * `data` is municipalitySeries(); suppressed months (null) get no dot. The average is the published
 * one, computed upstream from the full counts (suppressed months included), never from the dots.
 */
export function municipalityTrend(data: MunicipalityPoint[], { width, tr }: { width: number; tr: TrendStrings }): ChartElement {
  const municipalities = [...new Set(data.map((d) => d.municipality))];
  // A hull study area has one series with no municipality (""): nothing to tell apart or name.
  const named = municipalities.some((m) => m !== "");
  const shown = data.filter((d) => d.count !== null);
  return Plot.plot({
    width,
    height: 280,
    marginLeft: 56,
    x: monthAxis(tr, new Set(data.map((d) => d.month)).size),
    y: { grid: true, label: tr.common.count, tickFormat: tr.formatCount, zero: true },
    color: { domain: municipalities, range: SERIES_COLORS, legend: named },
    marks: [
      Plot.dot(shown, { x: "date", y: "count", fill: "municipality", r: 2.6, fillOpacity: 0.55 }),
      Plot.lineY(data, { x: "date", y: "average", stroke: "municipality", strokeWidth: 2 }),
      Plot.ruleY([0]),
      Plot.tip(
        shown,
        Plot.pointer({
          x: "date",
          y: "count",
          channels: {
            ...(named ? { [tr.common.municipality]: "municipality" } : {}),
            [tr.common.month]: (d: MunicipalityPoint) => tr.formatMonth(d.month),
            [tr.common.count]: (d: MunicipalityPoint) => tr.formatCount(d.count),
          },
          format: { x: false, y: false },
        }),
      ),
    ],
  });
}
