// Axis options shared by the charts. No imports but types, so the tests run them in Node.
import type { Strings } from "./strings.js";

/** Plot's options for a UTC time axis, as monthAxis makes them. */
export interface MonthAxis {
  type: "utc";
  label: null;
  ticks: "month" | "3 months" | "year";
  tickFormat: (date: Date) => string;
}

/**
 * A UTC time axis over `count` calendar months, ticked on whole months (up to a year), quarters (up
 * to three years) or years, labelled by `tr.formatAxisMonth` (the year on January, else the month).
 */
export function monthAxis(tr: Pick<Strings, "formatAxisMonth">, count: number): MonthAxis {
  return { type: "utc", label: null, ticks: count <= 12 ? "month" : count <= 36 ? "3 months" : "year", tickFormat: tr.formatAxisMonth };
}

/** Tick values for a count axis: every whole number up to a small maximum, else Plot's own ticks. */
export function countTicks(max: number): number[] | undefined {
  return max <= 8 ? Array.from({ length: Math.max(1, Math.ceil(max)) + 1 }, (_, i) => i) : undefined;
}

/** Log-axis ticks for ratios (1-2-5 steps and quarters) within [min, max]. */
export function ratioTicks(min: number, max: number): number[] {
  return [0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, 20, 50, 100, 200, 500, 1000].filter((t) => t >= min && t <= max);
}

/** Plot's tick labels: 10 px sans-serif. A character is taken as 0.6 em, wider than most, so a label sized by it fits. */
const LABEL_CHAR_PX = 6;

/**
 * Room for axis labels beside a chart `width` wide: the longest label's estimated width, at most
 * `share` of the width. `lineWidth` (ems, Plot's text option) wraps a label that does not fit there.
 */
export function labelRoom(labels: readonly string[], width: number, share = 1 / 3): { margin: number; lineWidth: number } {
  const longest = Math.max(0, ...labels.map((l) => l.length)) * LABEL_CHAR_PX;
  const room = Math.max(40, Math.min(longest, Math.round(width * share)));
  return { margin: room + 10, lineWidth: room / 10 };
}

/** "all case types" → "All case types": a label that starts a line. */
export function capitalize(text: string): string {
  return text ? text.charAt(0).toLocaleUpperCase() + text.slice(1) : text;
}
