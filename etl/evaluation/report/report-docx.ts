import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import type { Block, ReportDocument } from "./report-document.ts";

/**
 * A report as a Word document (DOCX, with the `docx` library) that an evaluator can edit: the same
 * tree as the Markdown and HTML, headings as Word headings so the navigation pane shows the
 * sections, tables as Word tables. Charts are referred to by their SVG file (Word cannot show SVG
 * without a raster fallback).
 */
export async function renderDocx(document: ReportDocument): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [
    new Paragraph({ text: document.title, heading: HeadingLevel.TITLE }),
    new Paragraph({ children: [new TextRun({ text: document.subtitle, italics: true })] }),
  ];
  document.sections.forEach((section, i) => {
    children.push(new Paragraph({ text: `${i + 1}. ${section.title}`, heading: HeadingLevel.HEADING_1 }));
    for (const block of section.blocks) children.push(...renderBlock(block));
  });
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

function renderBlock(block: Block): Array<Paragraph | Table> {
  switch (block.kind) {
    case "heading":
      return [new Paragraph({ text: block.text, heading: HeadingLevel.HEADING_2 })];
    case "paragraph":
      return [new Paragraph(block.text)];
    case "list":
      return block.items.map((item) => new Paragraph({ text: item, bullet: { level: 0 } }));
    case "chart":
      return [new Paragraph({ children: [new TextRun({ text: `${block.caption} (chart: ${block.file})`, italics: true })] })];
    case "table": {
      const cell = (text: string, column: number, bold = false) =>
        new TableCell({
          children: [new Paragraph({ alignment: block.numeric?.[column] ? AlignmentType.RIGHT : AlignmentType.LEFT, children: [new TextRun({ text, bold })] })],
        });
      return [
        new Paragraph({ children: [new TextRun({ text: block.caption, bold: true })] }),
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: [
            new TableRow({ tableHeader: true, children: block.header.map((h, j) => cell(h, j, true)) }),
            ...block.rows.map((row) => new TableRow({ children: row.map((v, j) => cell(v, j)) })),
          ],
        }),
      ];
    }
  }
}
