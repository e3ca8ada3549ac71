/**
 * Whether the briefing fits one printed A4 page, estimated without a browser: the site's pages are
 * printed by the reader's own browser (Print), so the page must fit as written. The print sizes are
 * set here once; briefing-html.ts's stylesheet is written from them. Text is wrapped word by word at
 * DejaVu Sans' glyph widths, rounded up (the stylesheet's first font, and wider than its fallbacks),
 * so the estimate errs long; test/e2e/briefing-one-page.test.ts
 * prints pages in Chromium and checks that each estimated to fit is one page.
 */

const PX_PER_MM = 96 / 25.4;
const PX_PER_PT = 96 / 72;

/** The page and the stylesheet's sizes (points, as CSS prints them; line heights as multiples). */
export const PRINT = {
  page: { widthMm: 210, heightMm: 297, marginTopMm: 10, marginSideMm: 12 },
  bodyPt: 9,
  notePt: 8,
  h1Pt: 14,
  h2Pt: 10,
  tablePt: 7.5,
  lineHeight: 1.3,
  headingLineHeight: 1.2,
  tableLineHeight: 1.25,
  /** Vertical margins: paragraphs (top and bottom each), headings (above, below), the figure. */
  paragraphMarginPt: 3,
  h2MarginPt: [6, 2] as const,
  figureMarginPt: 4,
  /** Table cell padding (vertical, horizontal). */
  cellPaddingPt: [1, 2] as const,
} as const;

/** The printable box in CSS pixels (96 per inch). */
export const CONTENT_WIDTH_PX = (PRINT.page.widthMm - 2 * PRINT.page.marginSideMm) * PX_PER_MM;
const CONTENT_HEIGHT_PX = (PRINT.page.heightMm - 2 * PRINT.page.marginTopMm) * PX_PER_MM;
/** Kept free at the page's foot for what the estimate cannot see (font fallbacks, rounding). */
const SAFETY = 0.01;

/** One block of the page, top to bottom. */
export type PageBlock =
  | { kind: "h1" | "h2" | "body" | "note"; text: string }
  /** A drawing of a known height (the map), with its margins. */
  | { kind: "fixed"; heightPx: number }
  /** A fixed-layout table: column widths as shares of the page's width; the header row and body rows' cells. */
  | { kind: "table"; widths: readonly number[]; header: readonly string[]; rows: ReadonlyArray<readonly string[]> };

export function fitsOnePage(blocks: readonly PageBlock[]): boolean {
  return pageHeight(blocks) <= CONTENT_HEIGHT_PX * (1 - SAFETY);
}

/** The blocks' estimated printed height in CSS pixels (vertical margins collapse between neighbours, as CSS does). */
export function pageHeight(blocks: readonly PageBlock[]): number {
  let height = 0;
  let previousMargin = 0;
  for (const block of blocks) {
    const { top, content, bottom } = blockBox(block);
    height += Math.max(previousMargin, top) + content;
    previousMargin = bottom;
  }
  return height + previousMargin;
}

function blockBox(block: PageBlock): { top: number; content: number; bottom: number } {
  const pt = PX_PER_PT;
  switch (block.kind) {
    case "fixed":
      return { top: 0, content: block.heightPx, bottom: 0 };
    case "h1":
      return { top: 0, content: textLines(block.text, CONTENT_WIDTH_PX, PRINT.h1Pt * pt, true) * PRINT.h1Pt * pt * PRINT.headingLineHeight, bottom: 2 * pt };
    case "h2":
      return {
        top: PRINT.h2MarginPt[0] * pt,
        content: textLines(block.text, CONTENT_WIDTH_PX, PRINT.h2Pt * pt, true) * PRINT.h2Pt * pt * PRINT.headingLineHeight,
        bottom: PRINT.h2MarginPt[1] * pt,
      };
    case "body":
    case "note": {
      const size = (block.kind === "body" ? PRINT.bodyPt : PRINT.notePt) * pt;
      const margin = PRINT.paragraphMarginPt * pt;
      return { top: margin, content: textLines(block.text, CONTENT_WIDTH_PX, size) * size * PRINT.lineHeight, bottom: margin };
    }
    case "table": {
      const size = PRINT.tablePt * pt;
      const [padY, padX] = PRINT.cellPaddingPt.map((p) => p * pt) as [number, number];
      // Each row: its tallest cell, the padding and the rule under it (1.5 px under the header).
      const row = (cells: readonly string[], bold: (i: number) => boolean) =>
        Math.max(...cells.map((text, i) => textLines(text, block.widths[i]! * CONTENT_WIDTH_PX - 2 * padX, size, bold(i)))) * size * PRINT.tableLineHeight +
        2 * padY +
        2;
      // The area's name is its row's header, in bold.
      return { top: 0, content: row(block.header, () => true) + block.rows.reduce((sum, cells) => sum + row(cells, (i) => i === 1), 0), bottom: 0 };
    }
  }
}

/** Lines that `text` wraps into at `widthPx`, word by word; a word longer than a line breaks (overflow-wrap). */
export function textLines(text: string, widthPx: number, fontPx: number, bold = false): number {
  const space = 0.32 * fontPx * (bold ? BOLD : 1);
  let lines = 1;
  let used = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let width = wordWidth(word, fontPx, bold);
    if (used > 0 && used + space + width <= widthPx) {
      used += space + width;
      continue;
    }
    if (used > 0) lines++;
    // A word wider than the line fills lines of its own.
    while (width > widthPx) {
      width -= widthPx;
      lines++;
    }
    used = width;
  }
  return lines;
}

function wordWidth(word: string, fontPx: number, bold: boolean): number {
  let em = 0;
  for (const ch of word) em += glyphEm(ch);
  return em * fontPx * (bold ? BOLD : 1);
}

/** DejaVu Sans Bold is this much wider than the regular face. */
const BOLD = 1.12;

/**
 * A glyph's advance in DejaVu Sans, in ems, by class (each a little over its class's widest member
 * but m and w): its widths are i 0.28, f 0.35, r 0.41, s 0.52, a–y 0.55–0.64, digits 0.64, capitals
 * 0.63–0.77; CJK and other wide scripts a full em.
 */
function glyphEm(ch: string): number {
  if (/[ijl'.,:;!|]/.test(ch)) return 0.3;
  if (/[ftr()[\]\-/]/.test(ch)) return 0.42;
  if (/[mw]/.test(ch)) return 0.98;
  if (/[MW%—]/.test(ch)) return 1;
  if (/\p{Lu}/u.test(ch)) return 0.78;
  if (/[\p{Ll}\p{N}]/u.test(ch) && ch < "\u2e80") return 0.64;
  if (ch < "\u2e80") return 0.64;
  return 1;
}
