import type { HistoryRow } from "../lake/area-history.ts";
import { categoryLabel } from "../format.ts";
import { PALETTE, linearScale, niceTicks, round, svgDocument, text } from "./svg.ts";

/**
 * Yearly counts of one category in the evaluation area as bars — before-period years grey,
 * after-period years blue, other years pale — with the control area as a dashed line when there is
 * one. It shows what a two-number comparison hides: whether the before year was typical, and whether
 * the change continued, reversed or was already under way.
 */
export function historyChart(
  rows: readonly HistoryRow[],
  category: string,
  options: { area: string; control: string | null; beforeYears: number[]; afterYears: number[] },
): string {
  const series = rows.filter((r) => r.category === category).sort((a, b) => a.year - b.year);
  const [width, height] = [640, 320];
  const margin = { top: 48, right: 24, bottom: 56, left: 50 };
  const max = Math.max(1, ...series.map((r) => Math.max(r.area, r.control ?? 0)));
  const ticks = niceTicks(max);
  const y = linearScale(0, ticks.at(-1)!, height - margin.bottom, margin.top);
  const band = (width - margin.left - margin.right) / Math.max(1, series.length);
  const out: string[] = [];
  for (const t of ticks) {
    out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${round(y(t))}" y2="${round(y(t))}" stroke="${PALETTE.grid}"/>`);
    out.push(text(margin.left - 6, y(t) + 4, String(t), { anchor: "end", fill: PALETTE.faint }));
  }
  const fill = (year: number) => (options.afterYears.includes(year) ? PALETTE.after : options.beforeYears.includes(year) ? PALETTE.before : "#cfe3f1");
  series.forEach((r, i) => {
    const x0 = margin.left + i * band + band * 0.2;
    out.push(`<rect x="${round(x0)}" y="${round(y(r.area))}" width="${round(band * 0.6)}" height="${round(y(0) - y(r.area))}" fill="${fill(r.year)}"/>`);
    out.push(text(x0 + band * 0.3, y(r.area) - 5, String(r.area), { anchor: "middle", size: 11 }));
    out.push(text(x0 + band * 0.3, height - margin.bottom + 16, String(r.year), { anchor: "middle", fill: PALETTE.faint }));
  });
  if (options.control && series.some((r) => r.control !== null)) {
    const points = series.map((r, i) => `${round(margin.left + (i + 0.5) * band)},${round(y(r.control ?? 0))}`);
    out.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${PALETTE.secondary}" stroke-width="2" stroke-dasharray="6 4"/>`);
    for (const p of points) out.push(`<circle cx="${p.split(",")[0]}" cy="${p.split(",")[1]}" r="3" fill="${PALETTE.secondary}"/>`);
  }
  out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${round(y(0))}" y2="${round(y(0))}" stroke="${PALETTE.text}"/>`);
  const legend: Array<[string, string]> = [
    [PALETTE.before, "before"],
    [PALETTE.after, "after"],
    ["#cfe3f1", "other years"],
  ];
  if (options.control) legend.push([PALETTE.secondary, `comparison: ${options.control}`]);
  let lx = margin.left;
  for (const [colour, label] of legend) {
    out.push(`<rect x="${lx}" y="${height - 22}" width="12" height="12" fill="${colour}"/>`);
    out.push(text(lx + 16, height - 12, label, { size: 11 }));
    lx += 28 + label.length * 6.2;
  }
  const title = `${categoryLabel(category)} per year in ${options.area}`;
  out.push(text(margin.left, 24, title, { weight: "bold", size: 14 }));
  const description = series.map((r) => `${r.year}: ${r.area}${r.control === null ? "" : ` (comparison ${r.control})`}`).join("; ");
  return svgDocument(width, height, title, description, out.join("\n"));
}
