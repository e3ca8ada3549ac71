import { html } from "npm:htl";
import { csvText, fileName } from "./csv.js";
import type { Strings } from "./strings.js";

// Downloads made in the browser from what is on screen: a table's rows as CSV, a chart as SVG or PNG.
// Nothing is fetched; the file is built in memory and handed to the browser as a blob URL.

/** The strings of the download buttons. */
export type DownloadStrings = Pick<Strings, "lang"> & {
  common: {
    downloadCsv: string;
    downloadCsvTitle: string;
    downloadSvg: string;
    downloadSvgTitle: string;
    downloadPng: string;
    downloadPngTitle: string;
  };
};

/** What a chart function returns (Plot's svg, or a figure around it when it has a legend). */
export type ChartElement = HTMLElement | SVGSVGElement;

/** A CSV column: its header and how a row gives its value. */
export interface CsvColumn<R> {
  label: string;
  value: (row: R) => unknown;
}

/** Offers `blob` as a file download named `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = html`<a href=${url} download=${name} hidden></a>`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A "CSV" button that downloads `rows` (see csvText for `columns`) as `<name>.csv`, in the page language's CSV dialect. */
export function csvButton<R>(rows: R[], columns: Array<CsvColumn<R>>, { name, tr }: { name: string; tr: DownloadStrings }): HTMLElement {
  const button = html`<button type="button" class="dash-download" title=${tr.common.downloadCsvTitle}>${tr.common.downloadCsv}</button>`;
  button.onclick = () => saveBlob(new Blob([csvText(rows, columns, { lang: tr.lang })], { type: "text/csv;charset=utf-8" }), fileName(name, "csv"));
  return button;
}

/**
 * Marks `chart` (Plot's svg or figure) as downloadable, with the title and note (e.g. the map
 * attribution) that the downloaded file carries above and below the drawing. With a `summary`
 * (chart-summary.ts; "" for the title alone), a chart rather than a map: one image named by its
 * title and summary (see describeChart). Returns the chart.
 */
export function exportable<C extends ChartElement>(chart: C, { title, note = "", summary }: { title: string; note?: string; summary?: string }): C {
  if (summary !== undefined) describeChart(chart, summary ? `${title}. ${summary}` : title);
  else giveLabelsRoles(chart);
  chart.dataset.chart = "";
  chart.dataset.title = title;
  chart.dataset.note = note;
  return chart;
}

/**
 * Plot labels marks with `aria-label` on elements that have no role, where ARIA does not allow a
 * label (axe: aria-prohibited-attr) and screen readers may ignore it. A labelled group of marks
 * becomes a group; a labelled single shape an image.
 */
export function giveLabelsRoles(root: ParentNode): void {
  for (const element of root.querySelectorAll("[aria-label]:not([role])")) {
    if (element.tagName.toLowerCase() === "svg") continue;
    element.setAttribute("role", element.tagName.toLowerCase() === "g" ? "group" : "img");
  }
}

/**
 * Makes a chart one image for screen readers, named `label` in the page's language: Plot's drawing
 * becomes role="img" and its inner groups, labelled by Plot in English ("x-axis tick", "dot"), are
 * hidden; a legend's svg too (the label and the page's text say what it shows). An HTML legend
 * (swatches) stays readable. A map is not described so: its cells are focusable, each with a name.
 */
export function describeChart(chart: ChartElement, label: string): void {
  const svgs = chart.tagName.toLowerCase() === "svg" ? [chart] : [...chart.querySelectorAll("svg")];
  const main = svgs.at(-1);
  for (const svg of svgs) {
    if (svg !== main) {
      svg.setAttribute("aria-hidden", "true");
      continue;
    }
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
    for (const child of svg.children) if (child.tagName.toLowerCase() !== "title") child.setAttribute("aria-hidden", "true");
  }
}

/** "SVG" and "PNG" buttons that download the exportable chart in the same card (`.card`). */
export function chartButtons({ name, tr }: { name: string; tr: DownloadStrings }): HTMLElement {
  const find = (button: Element) => button.closest(".card")?.querySelector<ChartElement>("[data-chart]");
  const svg = html`<button type="button" class="dash-download" title=${tr.common.downloadSvgTitle}>${tr.common.downloadSvg}</button>`;
  const png = html`<button type="button" class="dash-download" title=${tr.common.downloadPngTitle}>${tr.common.downloadPng}</button>`;
  svg.onclick = () => {
    const chart = find(svg);
    if (chart) saveBlob(new Blob([standaloneSvg(chart).text], { type: "image/svg+xml" }), fileName(name, "svg"));
  };
  png.onclick = async () => {
    const chart = find(png);
    if (chart) saveBlob(await pngBlob(standaloneSvg(chart)), fileName(name, "png"));
  };
  return html`<span class="dash-downloads">${svg}${png}</span>`;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const XML_ESCAPES: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" };
const escapeXml = (s: unknown) => String(s).replace(/[<>&"]/g, (c) => XML_ESCAPES[c] ?? c);

/** An SVG document as text, with the size it is drawn at. */
export interface StandaloneSvg {
  text: string;
  width: number;
  height: number;
}

/**
 * One self-contained SVG of an exportable chart: its title, the legend swatches (Plot draws them in
 * HTML), any ramp legends, the plot, and the note; CSS variables resolved to their current values.
 */
export function standaloneSvg(chart: ChartElement): StandaloneSvg {
  const svgs = chart instanceof SVGSVGElement ? [chart] : [...chart.querySelectorAll<SVGSVGElement>(":scope > svg")];
  const main = svgs.at(-1);
  if (!main) throw new Error("standaloneSvg: the chart holds no <svg> to export (pass Plot's svg or its figure)");
  const width = Math.ceil(main.getBoundingClientRect().width || Number(main.getAttribute("width")) || 640);
  const parts: string[] = [];
  let y = 8;
  for (const line of wrap(chart.dataset.title ?? "", Math.floor((width - 16) / 8))) {
    parts.push(`<text x="8" y="${y + 14}" font-size="14" font-weight="600">${escapeXml(line)}</text>`);
    y += 20;
  }
  if (chart.dataset.title) y += 4;
  let x = 8;
  const swatches = [...chart.querySelectorAll(":scope > div [class$='-swatch']")];
  for (const swatch of swatches) {
    const label = (swatch.textContent ?? "").trim();
    const shape = swatch.querySelector("svg");
    const fill = shape?.getAttribute("fill") ?? "#888";
    // A map's swatches carry the cells' edge (hex-map.ts): kept, so a pale swatch shows in the file too.
    const stroke = shape?.querySelector("rect")?.getAttribute("stroke");
    const edge = stroke ? ` stroke="${stroke}"` : "";
    const w = 22 + label.length * 6.5;
    if (x + w > width - 8) {
      x = 8;
      y += 18;
    }
    parts.push(
      `<rect x="${x}" y="${y + 2}" width="12" height="12" fill="${fill}"${edge}/><text x="${x + 16}" y="${y + 12}" font-size="11">${escapeXml(label)}</text>`,
    );
    x += w + 10;
  }
  if (swatches.length) y += 24;
  for (const svg of svgs) {
    const h = Math.ceil(svg.getBoundingClientRect().height || Number(svg.getAttribute("height")) || 0);
    // cloneNode is typed as returning a Node; a clone of an element is an element of the same kind.
    const clone = svg.cloneNode(true) as SVGSVGElement;
    clone.setAttribute("x", svg === main ? "0" : "8");
    clone.setAttribute("y", String(y));
    parts.push(new XMLSerializer().serializeToString(clone));
    y += h + 4;
  }
  if (chart.dataset.note) {
    parts.push(`<text x="8" y="${y + 12}" font-size="10" fill="#666">${escapeXml(chart.dataset.note)}</text>`);
    y += 20;
  }
  const height = y + 4;
  const body = parts.join("\n");
  const text =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" style="color:#1b1e23">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n${resolveVariables(body)}\n</svg>\n`;
  return { text, width, height };
}

/** Splits a text into lines of at most `max` characters at spaces. */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Replaces `var(--name[, fallback])` with the variable's value on the page; unknown ones stay (the SVG's own style may set them). */
function resolveVariables(text: string): string {
  const style = getComputedStyle(document.documentElement);
  return text.replace(
    /var\((--[\w-]+)\s*(?:,\s*([^()]*))?\)/g,
    (match: string, name: string, fallback: string | undefined) => style.getPropertyValue(name).trim() || fallback?.trim() || match,
  );
}

/** The SVG drawn at twice its size onto a canvas, as a PNG blob. */
async function pngBlob({ text, width, height }: StandaloneSvg): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = width * 2;
    canvas.height = height * 2;
    const context = canvas.getContext("2d");
    if (!context) throw new Error("PNG download: this browser gives no 2D canvas to draw the chart on (download the SVG instead)");
    context.scale(2, 2);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("PNG download: the canvas gave no image (download the SVG instead)"))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
