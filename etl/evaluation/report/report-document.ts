/**
 * A report as a small document tree — sections of paragraphs, lists, tables and charts — built once
 * and rendered twice, to Markdown and to printable HTML, so both exports always say the same thing.
 * Text is plain (renderers escape it); a chart carries its SVG and the file it is saved as.
 */

/** A block of a section. */
export type Block =
  | { kind: "heading"; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "table"; caption: string; header: string[]; rows: string[][]; numeric?: boolean[] }
  | { kind: "chart"; file: string; svg: string; caption: string };

/** A numbered section of the report, e.g. "Process evaluation (ECPA question 11)". */
export interface Section {
  title: string;
  blocks: Block[];
}

/** A whole report. */
export interface ReportDocument {
  title: string;
  subtitle: string;
  sections: Section[];
}

/** A table block; `numeric` right-aligns the columns that hold figures. */
export function table(caption: string, header: string[], rows: string[][], numeric?: boolean[]): Block {
  return { kind: "table", caption, header, rows, numeric };
}

/** A paragraph block. */
export function paragraph(text: string): Block {
  return { kind: "paragraph", text };
}

/** A bulleted list block (omitted by renderers when empty). */
export function list(items: string[]): Block {
  return { kind: "list", items };
}

/** A sub-heading block. */
export function heading(text: string): Block {
  return { kind: "heading", text };
}

/** Every chart of a document, in order, for writing the SVG files. */
export function chartsOf(document: ReportDocument): Array<{ file: string; svg: string }> {
  return document.sections.flatMap((s) => s.blocks.filter((b) => b.kind === "chart").map((b) => ({ file: b.file, svg: b.svg })));
}
