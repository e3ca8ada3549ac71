import type { Block, ReportDocument } from "./report-document.ts";

/**
 * Renders a report as CommonMark/GFM Markdown: numbered sections, pipe tables with right-aligned
 * figures, and charts as images pointing at their SVG files beside the Markdown file.
 */
export function renderMarkdown(document: ReportDocument): string {
  const out: string[] = [`# ${inline(document.title)}`, "", inline(document.subtitle), ""];
  document.sections.forEach((section, i) => {
    out.push(`## ${i + 1}. ${inline(section.title)}`, "");
    for (const block of section.blocks) out.push(...renderBlock(block));
  });
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

function renderBlock(block: Block): string[] {
  switch (block.kind) {
    case "heading":
      return [`### ${inline(block.text)}`, ""];
    case "paragraph":
      return [inline(block.text), ""];
    case "list":
      return block.items.length === 0 ? [] : [...block.items.map((item) => `- ${inline(item)}`), ""];
    case "table": {
      const align = block.header.map((_, i) => (block.numeric?.[i] ? "---:" : "---"));
      const row = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
      return [`*${inline(block.caption)}*`, "", row(block.header), `| ${align.join(" | ")} |`, ...block.rows.map(row), ""];
    }
    case "chart":
      return [`![${inline(block.caption)}](${block.file})`, "", `*${inline(block.caption)}*`, ""];
  }
}

// Plain text into Markdown: characters that would start markup are escaped.
function inline(text: string): string {
  return text.replace(/([\\`*_[\]<>#])/g, "\\$1");
}

function cell(text: string): string {
  return inline(text).replaceAll("|", "\\|").replace(/\n/g, " ");
}
