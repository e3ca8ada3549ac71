import { caseTypeLabel, categoryLabel, formatLevel, formatNumber, formatRatio } from "../format.ts";
import type { OutcomeRow } from "../statistics/outcome-row.ts";
import { PALETTE, logScale, round, svgDocument, text } from "./svg.ts";

/** One line of the forest plot. */
interface RatioLine {
  label: string;
  ratio: number;
  low: number;
  high: number | null;
  colour: string;
}

const TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * Rate ratios after/before with their exact confidence intervals on a log scale (a "forest plot"),
 * one line per case type, and per exposure when there is one. The vertical line at 1 is "no change";
 * an interval crossing it is compatible with no change at all, which is what small counts look like.
 * The desired side is marked, so a reader sees direction and uncertainty together.
 */
export function rateRatioChart(rows: readonly OutcomeRow[], area: string): string {
  const lines: RatioLine[] = [];
  for (const r of rows) {
    if (r.rate_ratio === null) continue;
    lines.push({
      label: `${categoryLabel(r.category)}, ${caseTypeLabel(r.case_type)}`,
      ratio: r.rate_ratio,
      low: r.exact_test.ci_low,
      high: r.exact_test.ci_high,
      colour: PALETTE.after,
    });
    if (r.exposure)
      lines.push({
        label: `per ${formatNumber(r.exposure.per, 0)} ${r.exposure.indicator.replaceAll("_", " ")}`,
        ratio: r.exposure.rate_ratio,
        low: r.exposure.ci_low,
        high: r.exposure.ci_high,
        colour: PALETTE.secondary,
      });
  }
  const level = rows[0] ? formatLevel(rows[0].exact_test.confidence_level) : "95 %";
  const [width, rowHeight] = [720, 30];
  const margin = { top: 56, right: 140, bottom: 44, left: 250 };
  const height = margin.top + margin.bottom + Math.max(1, lines.length) * rowHeight;
  const finiteValues = lines.flatMap((l) => [l.low, l.high ?? l.ratio, l.ratio]).filter((v) => v > 0 && Number.isFinite(v));
  const lo = TICKS.findLast((t) => t <= Math.min(0.5, ...finiteValues)) ?? TICKS[0]!;
  const hi = TICKS.find((t) => t >= Math.max(2, ...finiteValues)) ?? TICKS.at(-1)!;
  const x = logScale(lo, hi, margin.left, width - margin.right);
  const clamp = (v: number) => Math.min(Math.max(v, lo), hi);
  const out: string[] = [];
  const bottom = height - margin.bottom;

  for (const t of TICKS.filter((t) => t >= lo && t <= hi)) {
    out.push(
      `<line x1="${round(x(t))}" x2="${round(x(t))}" y1="${margin.top - 6}" y2="${bottom}" stroke="${t === 1 ? PALETTE.text : PALETTE.grid}"${t === 1 ? ' stroke-dasharray="4 3"' : ""}/>`,
    );
    out.push(text(x(t), bottom + 16, String(t), { anchor: "middle", fill: PALETTE.faint }));
  }
  lines.forEach((line, i) => {
    const cy = margin.top + i * rowHeight + rowHeight / 2;
    const [x0, x1] = [x(clamp(Math.max(line.low, lo))), x(clamp(line.high ?? hi))];
    out.push(text(margin.left - 10, cy + 4, line.label, { anchor: "end" }));
    out.push(`<line x1="${round(x0)}" x2="${round(x1)}" y1="${round(cy)}" y2="${round(cy)}" stroke="${line.colour}" stroke-width="2"/>`);
    if (line.high === null || line.high > hi) out.push(`<path d="M${round(x1)},${round(cy)} l-7,-4 v8 z" fill="${line.colour}"/>`);
    out.push(`<circle cx="${round(x(clamp(line.ratio)))}" cy="${round(cy)}" r="5" fill="${line.colour}"/>`);
    out.push(
      text(width - margin.right + 12, cy + 4, `${formatRatio(line.ratio)} [${formatRatio(line.low)}, ${formatRatio(line.high)}]`, {
        size: 11,
        fill: PALETTE.faint,
      }),
    );
  });
  out.push(text(x(1) - 6, margin.top - 12, "← fewer after", { anchor: "end", size: 11, fill: PALETTE.faint }));
  out.push(text(x(1) + 6, margin.top - 12, "more after →", { size: 11, fill: PALETTE.faint }));
  out.push(text(margin.left, bottom + 34, `rate ratio after/before (log scale), ${level} exact confidence interval`, { fill: PALETTE.faint }));
  const title = `Rate ratio after/before in ${area}`;
  out.push(text(16, 22, title, { weight: "bold", size: 14 }));
  const description = lines.map((l) => `${l.label.trim()}: ${formatRatio(l.ratio)} (${formatRatio(l.low)} to ${formatRatio(l.high)})`).join("; ");
  return svgDocument(width, height, title, description, out.join("\n"));
}
