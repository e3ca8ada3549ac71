import { ALL } from "../statistics/count-table.ts";
import { caseTypeLabel, categoryLabel } from "../format.ts";
import type { OutcomeRow } from "../statistics/outcome-row.ts";
import { PALETTE, linearScale, niceTicks, round, svgDocument, text } from "./svg.ts";

const SEGMENT_COLOURS = [PALETTE.after, PALETTE.secondary, "#009E73", "#CC79A7"];

/**
 * Before and after counts of one offence category as two stacked bars, one segment per case type
 * (e.g. Kuršėnai drug possession: 2 + 1 in 2018, 5 + 3 in 2019), each labelled with its count and
 * each bar with its total — the figures themselves, not only their shapes, so it prints legibly.
 */
export function beforeAfterChart(rows: readonly OutcomeRow[], category: string, labels: { before: string; after: string; area: string }): string {
  const total = rows.find((r) => r.category === category && r.case_type === ALL);
  if (!total) throw new Error(`no outcome row for ${category}`);
  const parts = rows.filter((r) => r.category === category && r.case_type !== ALL);
  const segments = parts.length > 0 ? parts : [total];
  const [width, height] = [520, 340];
  const margin = { top: 60, right: 190, bottom: 40, left: 50 };
  const ticks = niceTicks(Math.max(total.before, total.after, 1));
  const y = linearScale(0, ticks.at(-1)!, height - margin.bottom, margin.top);
  const barWidth = 90;
  const xs = [margin.left + 40, margin.left + 40 + barWidth + 50];
  const out: string[] = [];

  for (const t of ticks) {
    out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${round(y(t))}" y2="${round(y(t))}" stroke="${PALETTE.grid}"/>`);
    out.push(text(margin.left - 6, y(t) + 4, String(t), { anchor: "end", fill: PALETTE.faint }));
  }
  (["before", "after"] as const).forEach((side, i) => {
    let base = 0;
    segments.forEach((segment, j) => {
      const value = segment[side];
      if (value > 0) {
        const [top, bottom] = [y(base + value), y(base)];
        out.push(
          `<rect x="${xs[i]}" y="${round(top)}" width="${barWidth}" height="${round(bottom - top)}" fill="${SEGMENT_COLOURS[j % SEGMENT_COLOURS.length]}" stroke="#ffffff"/>`,
        );
        if (bottom - top >= 14)
          out.push(text(xs[i]! + barWidth / 2, (top + bottom) / 2 + 4, String(value), { anchor: "middle", fill: "#ffffff", weight: "bold" }));
      }
      base += value;
    });
    out.push(text(xs[i]! + barWidth / 2, y(base) - 6, String(base), { anchor: "middle", weight: "bold" }));
    out.push(text(xs[i]! + barWidth / 2, height - margin.bottom + 18, labels[side], { anchor: "middle" }));
  });
  out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}" stroke="${PALETTE.text}"/>`);
  segments.forEach((segment, j) => {
    const ly = margin.top + 10 + j * 22;
    out.push(`<rect x="${width - margin.right + 16}" y="${ly - 10}" width="12" height="12" fill="${SEGMENT_COLOURS[j % SEGMENT_COLOURS.length]}"/>`);
    out.push(text(width - margin.right + 34, ly, caseTypeLabel(segment.case_type)));
  });
  const title = `${categoryLabel(category)} in ${labels.area}: ${total.before} → ${total.after}`;
  out.push(text(margin.left, 22, title, { weight: "bold", size: 14 }));
  const description = `Stacked bars of ${categoryLabel(category)} counts by case type, ${labels.before} ${total.before} and ${labels.after} ${total.after}.`;
  return svgDocument(width, height, title, description, out.join("\n"));
}
