import type { Block, ReportDocument } from "./report-document.ts";
import { escapeXml } from "./svg.ts";

// Print-first styling: A4 margins, tables that do not split rows across pages, charts that shrink to fit.
const STYLE = `
  body { font-family: Helvetica, Arial, sans-serif; color: #222; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
  h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; margin-top: 2rem; } h3 { font-size: 1.05rem; }
  .subtitle { color: #555; margin-top: 0; }
  table { border-collapse: collapse; margin: 0.5rem 0 1.2rem; font-size: 0.85rem; width: 100%; }
  caption { text-align: left; font-style: italic; padding-bottom: 0.3rem; }
  th, td { border: 1px solid #ccc; padding: 0.25rem 0.4rem; vertical-align: top; } th { background: #f2f2f2; text-align: left; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; } figcaption { font-size: 0.85rem; color: #555; }
  @page { size: A4; margin: 15mm; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr, figure { break-inside: avoid; } }
`;

/**
 * Renders a report as one self-contained, printable HTML page: the charts are inlined as SVG, the
 * styling is embedded, and nothing is fetched — it opens and prints offline.
 */
export function renderHtml(document: ReportDocument): string {
  const body: string[] = [`<h1>${escapeXml(document.title)}</h1>`, `<p class="subtitle">${escapeXml(document.subtitle)}</p>`];
  document.sections.forEach((section, i) => {
    body.push(`<section>`, `<h2>${i + 1}. ${escapeXml(section.title)}</h2>`);
    for (const block of section.blocks) body.push(renderBlock(block));
    body.push(`</section>`);
  });
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(document.title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case "heading":
      return `<h3>${escapeXml(block.text)}</h3>`;
    case "paragraph":
      return `<p>${escapeXml(block.text)}</p>`;
    case "list":
      return block.items.length === 0 ? "" : `<ul>\n${block.items.map((item) => `<li>${escapeXml(item)}</li>`).join("\n")}\n</ul>`;
    case "table": {
      const head = `<tr>${block.header.map((h) => `<th>${escapeXml(h)}</th>`).join("")}</tr>`;
      const rows = block.rows.map((r) => `<tr>${r.map((c, i) => `<td${block.numeric?.[i] ? ' class="num"' : ""}>${escapeXml(c)}</td>`).join("")}</tr>`);
      return `<table>\n<caption>${escapeXml(block.caption)}</caption>\n<thead>${head}</thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>`;
    }
    case "chart":
      return `<figure>\n${block.svg.trim()}\n<figcaption>${escapeXml(block.caption)}</figcaption>\n</figure>`;
  }
}
