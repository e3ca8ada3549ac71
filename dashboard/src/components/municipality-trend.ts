import * as Plot from "npm:@observablehq/plot";
import { monthAxis } from "./axes.js";
import { SERIES_COLORS } from "./palettes.js";
import { splitNotAnalysed, type MunicipalityPoint, type NotAnalysedMonth } from "./aggregate.js";
import type { ChartElement } from "./downloads.js";
import type { Strings } from "./strings.js";

/** The strings of the trend chart. */
export type TrendStrings = Pick<Strings, "formatAxisMonth" | "formatCount" | "formatMonth"> & {
  common: { count: string; municipality: string; month: string };
  overview: { notAnalysedMark: (reason: NotAnalysedMonth["reason"]) => string };
};

/**
 * Monthly counts of one category per municipality (dots) with their 12-month moving average (lines).
 * `data` is municipalitySeries(); suppressed months (null) get no dot. The average is the published
 * one, computed upstream from the full counts (suppressed months included), never from the dots. A
 * month the analyses leave out (`notAnalysed`: meta.not_analysed) gets a hollow dot on a dashed rule,
 * labelled why, and no average: its part of a month would pull the line down (splitNotAnalysed).
 */
export function municipalityTrend(
  data: MunicipalityPoint[],
  { width, notAnalysed = [], tr }: { width: number; notAnalysed?: readonly NotAnalysedMonth[]; tr: TrendStrings },
): ChartElement {
  const municipalities = [...new Set(data.map((d) => d.municipality))];
  // A hull study area has one series with no municipality (""): nothing to tell apart or name.
  const named = municipalities.some((m) => m !== "");
  const { analysed, left } = splitNotAnalysed(data, notAnalysed);
  const shown = data.filter((d) => d.count !== null);
  const reasonOf = new Map(notAnalysed.map((m) => [m.month, m.reason]));
  const firstOfMonth = [...new Set(left.map((d) => d.month))].map((m) => left.find((d) => d.month === m)!);
  return Plot.plot({
    width,
    height: 280,
    marginLeft: 56,
    x: monthAxis(tr, new Set(data.map((d) => d.month)).size),
    y: { grid: true, label: tr.common.count, tickFormat: tr.formatCount, zero: true },
    color: { domain: municipalities, range: SERIES_COLORS, legend: named },
    marks: [
      Plot.dot(
        analysed.filter((d) => d.count !== null),
        { x: "date", y: "count", fill: "municipality", r: 2.6, fillOpacity: 0.55 },
      ),
      Plot.lineY(analysed, { x: "date", y: "average", stroke: "municipality", strokeWidth: 2 }),
      Plot.ruleX(firstOfMonth, { x: "date", stroke: "#8a8f98", strokeDasharray: "2,3" }),
      Plot.dot(
        left.filter((d) => d.count !== null),
        { x: "date", y: "count", stroke: "municipality", fill: "white", r: 2.6 },
      ),
      Plot.text(firstOfMonth, {
        x: "date",
        text: (d: MunicipalityPoint & { reason: NotAnalysedMonth["reason"] }) => tr.overview.notAnalysedMark(d.reason),
        frameAnchor: "top",
        textAnchor: "end",
        dx: -4,
        fill: "#5f6368",
      }),
      Plot.ruleY([0]),
      Plot.tip(
        shown,
        Plot.pointer({
          x: "date",
          y: "count",
          channels: {
            ...(named ? { [tr.common.municipality]: "municipality" } : {}),
            [tr.common.month]: (d: MunicipalityPoint) => {
              const reason = reasonOf.get(d.month);
              return reason === undefined ? tr.formatMonth(d.month) : `${tr.formatMonth(d.month)} (${tr.overview.notAnalysedMark(reason)})`;
            },
            [tr.common.count]: (d: MunicipalityPoint) => tr.formatCount(d.count),
          },
          format: { x: false, y: false },
        }),
      ),
    ],
  });
}
