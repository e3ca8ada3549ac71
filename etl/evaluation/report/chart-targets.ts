import { formatNumber } from "../format.ts";
import { qualified, type IndicatorProgress } from "../statistics/process-indicators.ts";
import { PALETTE, linearScale, round, svgDocument, text } from "./svg.ts";

const SEGMENT_COLOURS = [PALETTE.after, "#56B4E9", "#009E73", "#CC79A7"];

/**
 * Indicators with a target as horizontal bars of their share of the target, with the 100 % line.
 * A stated result is one bar; an indicator known only through checkpoints is a stack of the
 * checkpoints' increments (e.g. about 3,000 by mid-year, then over 8,000 more against 10,000), so
 * the mid-term reading is visible too. Null when no indicator has a target.
 */
export function targetsChart(progress: readonly IndicatorProgress[], title: string): string | null {
  const rows = progress.filter((p) => p.indicator.target !== null && p.indicator.target > 0);
  if (rows.length === 0) return null;
  const [width, rowHeight] = [760, 46];
  const margin = { top: 48, right: 250, bottom: 40, left: 250 };
  const height = margin.top + margin.bottom + rows.length * rowHeight;
  const shares = rows.map((p) => p.percent_of_target ?? p.checkpoints.at(-1)?.percent_of_target ?? 0);
  const max = Math.max(100, ...shares) * 1.05;
  const x = linearScale(0, max, margin.left, width - margin.right);
  const out: string[] = [];
  const step = max > 150 ? 50 : 25;
  for (let t = 0; t <= max; t += step) {
    if (t !== 100) out.push(`<line x1="${round(x(t))}" x2="${round(x(t))}" y1="${margin.top - 4}" y2="${height - margin.bottom}" stroke="${PALETTE.grid}"/>`);
    out.push(text(x(t), height - margin.bottom + 16, `${t} %`, { anchor: "middle", fill: t === 100 ? PALETTE.target : PALETTE.faint, size: 11 }));
  }
  rows.forEach((p, i) => {
    const top = margin.top + i * rowHeight + 8;
    const barHeight = rowHeight - 20;
    const target = p.indicator.target!;
    out.push(text(margin.left - 10, top + barHeight / 2 + 4, truncate(p.indicator.name, 38), { anchor: "end" }));
    let label: string;
    if (p.percent_of_target !== null) {
      out.push(`<rect x="${margin.left}" y="${top}" width="${round(x(p.percent_of_target) - margin.left)}" height="${barHeight}" fill="${PALETTE.after}"/>`);
      label = `${qualified(p.indicator.achieved, p.indicator.achieved_qualifier)} of ${formatNumber(target)} (${formatNumber(p.percent_of_target, 0)} %)`;
    } else if (p.checkpoints.length > 0) {
      let previous = 0;
      p.checkpoints.forEach((c, j) => {
        const [x0, x1] = [x((previous / target) * 100), x((c.cumulative / target) * 100)];
        out.push(
          `<rect x="${round(x0)}" y="${top}" width="${round(x1 - x0)}" height="${barHeight}" fill="${SEGMENT_COLOURS[j % SEGMENT_COLOURS.length]}" stroke="#ffffff"/>`,
        );
        if (x1 - x0 > 60)
          out.push(text((x0 + x1) / 2, top + barHeight / 2 + 4, qualified(c.value, c.qualifier), { anchor: "middle", fill: "#ffffff", size: 11 }));
        previous = c.cumulative;
      });
      const last = p.checkpoints.at(-1)!;
      label = `${qualified(last.cumulative, last.cumulative_qualifier)} of ${formatNumber(target)} (checkpoints)`;
    } else {
      label = `no result stated (target ${formatNumber(target)})`;
    }
    out.push(text(width - margin.right + 8, top + barHeight / 2 + 4, label, { size: 11 }));
  });
  // The target line goes over the bars, so a bar that passes it still shows where 100 % is.
  out.push(
    `<line x1="${round(x(100))}" x2="${round(x(100))}" y1="${margin.top - 4}" y2="${height - margin.bottom}" stroke="${PALETTE.target}" stroke-width="2"/>`,
  );
  out.push(text(16, 24, title, { weight: "bold", size: 14 }));
  const description = rows.map((p, i) => `${p.indicator.name}: ${formatNumber(shares[i], 0)} % of target ${formatNumber(p.indicator.target)}`).join("; ");
  return svgDocument(width, height, title, description, out.join("\n"));
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
