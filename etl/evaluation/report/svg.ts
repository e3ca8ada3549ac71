/**
 * The few SVG pieces the report charts are drawn from: escaping, a document wrapper with a title and
 * description (read by screen readers and shown as a tooltip), scales and "nice" ticks. Charts are
 * static SVG strings made here on the server, so reports need no browser, no script and no network.
 */

/** Escapes text for SVG/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Colours of the charts (colour-blind-safe Okabe–Ito hues, print-friendly greys). */
export const PALETTE = {
  before: "#999999",
  after: "#0072B2",
  secondary: "#E69F00",
  target: "#D55E00",
  grid: "#dddddd",
  text: "#222222",
  faint: "#666666",
} as const;

/** A complete standalone SVG document. */
export function svgDocument(width: number, height: number, title: string, description: string, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<desc>${escapeXml(description)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    body,
    "</svg>",
    "",
  ].join("\n");
}

/** A text element; `anchor` is start, middle or end. */
export function text(
  x: number,
  y: number,
  content: string,
  options: { anchor?: "start" | "middle" | "end"; size?: number; fill?: string; weight?: string } = {},
): string {
  const attributes = [
    `x="${round(x)}"`,
    `y="${round(y)}"`,
    options.anchor && options.anchor !== "start" ? `text-anchor="${options.anchor}"` : "",
    options.size ? `font-size="${options.size}"` : "",
    `fill="${options.fill ?? PALETTE.text}"`,
    options.weight ? `font-weight="${options.weight}"` : "",
  ].filter(Boolean);
  return `<text ${attributes.join(" ")}>${escapeXml(content)}</text>`;
}

/** A linear map of [d0, d1] onto [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  const span = d1 - d0 || 1;
  return (x) => r0 + ((x - d0) / span) * (r1 - r0);
}

/** A base-10 logarithmic map of [d0, d1] (both > 0) onto [r0, r1]. */
export function logScale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  const linear = linearScale(Math.log10(d0), Math.log10(d1), r0, r1);
  return (x) => linear(Math.log10(x));
}

/**
 * About `count` round tick values covering [0, max]: steps of 1, 2 or 5 × 10^k, as d3's ticks. The
 * last tick is at or above max, so it can serve as the axis end.
 */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Coordinates rounded to 0.1 px keep the SVG small and stable. */
export function round(x: number): number {
  return Math.round(x * 10) / 10;
}
