import * as Plot from "npm:@observablehq/plot";
import { countTicks, monthAxis } from "./axes.js";
import { SERIES_COLORS } from "./palettes.js";
import type { DataQuality } from "../../data-contract.js";
import type { ChartElement } from "./downloads.js";
import type { Strings } from "./strings.js";

/** The strings of the data-quality charts. */
export type QualityStrings = Pick<Strings, "formatAxisMonth" | "formatCount" | "formatMonth" | "reasonLabel" | "monthDate"> & {
  quality: { quarantined: string; reason: string; ingested: string; file: string };
  common: { month: string };
};

/** Records set aside for one reason in one input file. */
export interface ReasonCount {
  file: string;
  reason: string;
  count: number;
}

type MonthlyIngest = DataQuality["monthly"][number];

/** Records set aside per reason (bars), stacked by input file. `rows` are {file, reason, count}. */
export function reasonsChart(rows: ReasonCount[], { width, tr }: { width: number; tr: QualityStrings }): ChartElement {
  const files = [...new Set(rows.map((r) => r.file))];
  const reasons = [...new Set(rows.map((r) => r.reason))].sort((a, b) => total(rows, b) - total(rows, a));
  return Plot.plot({
    width,
    height: 50 + 30 * reasons.length,
    marginLeft: Math.min(300, width * 0.4),
    x: { grid: true, label: tr.quality.quarantined, tickFormat: tr.formatCount, ticks: countTicks(Math.max(...reasons.map((r) => total(rows, r)))) },
    y: { label: null, domain: reasons, tickFormat: tr.reasonLabel },
    color: { domain: files, range: SERIES_COLORS, legend: files.length > 1 },
    marks: [
      Plot.barX(rows, {
        y: "reason",
        x: "count",
        fill: "file",
        tip: { channels: { [tr.quality.reason]: (d: ReasonCount) => tr.reasonLabel(d.reason) }, format: { y: false, x: tr.formatCount } },
      }),
      Plot.ruleX([0]),
    ],
  });
}

/** Records used per month, a line per input file. `rows` are data-quality.json's monthly rows. */
export function ingestChart(rows: MonthlyIngest[], { width, tr }: { width: number; tr: QualityStrings }): ChartElement {
  const data = rows.filter((r) => r.count !== null).map((r) => ({ ...r, date: tr.monthDate(r.month) }));
  const files = [...new Set(rows.map((r) => r.name))];
  return Plot.plot({
    width,
    height: 260,
    marginLeft: 56,
    x: monthAxis(tr, new Set(rows.map((d) => d.month)).size),
    y: { grid: true, label: tr.quality.ingested, zero: true, tickFormat: tr.formatCount },
    color: { domain: files, range: SERIES_COLORS, legend: true },
    marks: [
      Plot.lineY(data, { x: "date", y: "count", stroke: "name", strokeWidth: 1.5 }),
      Plot.dot(data, { x: "date", y: "count", fill: "name", r: 2 }),
      Plot.ruleY([0]),
      Plot.tip(
        data,
        Plot.pointer({
          x: "date",
          y: "count",
          channels: { [tr.quality.file]: "name", [tr.common.month]: (d: MonthlyIngest) => tr.formatMonth(d.month) },
          format: { x: false, y: tr.formatCount, stroke: false },
        }),
      ),
    ],
  });
}

const total = (rows: readonly ReasonCount[], reason: string) => rows.filter((r) => r.reason === reason).reduce((s, r) => s + r.count, 0);
