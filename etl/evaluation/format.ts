/**
 * Number and label formatting shared by the evaluation's text, Markdown, HTML and chart output, so a
 * figure reads the same everywhere (en-GB digits, thin rounding rules stated once).
 */

const CASE_TYPE_LABELS: Record<string, string> = {
  all: "all case types",
  pre_trial_investigation: "pre-trial investigations",
  administrative_offence: "administrative offences",
};

/** "pre-trial investigations" for pre_trial_investigation; unknown codes pass through with spaces. */
export function caseTypeLabel(caseType: string): string {
  return CASE_TYPE_LABELS[caseType] ?? caseType.replaceAll("_", " ");
}

/** "drug possession" for drug_possession, "all offences" for all. */
export function categoryLabel(category: string): string {
  return category === "all" ? "all offences" : category.replaceAll("_", " ");
}

/** A count or other figure with thousands separators and at most `digits` decimals. */
export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  return value.toLocaleString("en-GB", { maximumFractionDigits: digits }).replace(/^-/, "−");
}

/** A signed change: "+5", "−2.5". */
export function formatSigned(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  const text = formatNumber(Math.abs(value), digits);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : "0";
}

/** A percentage change: "+166.7 %", or "–" when undefined (nothing before). */
export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : `${formatSigned(value, 1)} %`;
}

/**
 * `render(0)`, or with more significant digits (`render(1)`, …) while the rounded figure falls on the
 * other side of `reference` than the value, or on it when the value is not: a p of 0.0498 printed
 * "0.050" beside "significant at 5 %", or a CI bound of 1.0004 printed "1.00", reads as a contradiction.
 */
function onSameSide(value: number, reference: number, render: (extra: number) => string): string {
  const side = Math.sign(value - reference);
  for (let extra = 0; extra < 8; extra++) {
    const text = render(extra);
    if (Math.sign(Number(text) - reference) === side) return text;
  }
  return String(value);
}

/**
 * A p-value to two significant digits (three from 0.1), "< 0.001" below that, with more digits where
 * rounding would carry it to the other side of the significance level `alpha` (0.0498, not 0.050).
 */
export function formatP(p: number, alpha = 0.05): string {
  if (p < 0.001) return "< 0.001";
  // 1 − 0.95 is 0.050000000000000044 in floating point: compare with the level as written.
  const level = Number(alpha.toPrecision(12));
  return onSameSide(p, level, (extra) => (extra === 0 && p >= 0.1 ? p.toFixed(3) : p.toPrecision((p >= 0.1 ? 3 : 2) + extra)));
}

/**
 * A ratio to three significant digits ("2.67", "15.6", "0.640"); "∞" when unbounded. A ratio close
 * to 1 gets the digits that keep it on its side of 1 (a CI bound of 1.0004, not 1.00), since whether an
 * interval holds 1 is what it is read for.
 */
export function formatRatio(value: number | null | undefined): string {
  if (value === null || value === undefined) return "∞";
  if (Number.isNaN(value)) return "–";
  if (!Number.isFinite(value)) return "∞";
  return value === 0 ? "0" : onSameSide(value, 1, (extra) => value.toPrecision(3 + extra));
}

/** "95 %" for 0.95. */
export function formatLevel(confidenceLevel: number): string {
  return `${formatNumber(confidenceLevel * 100, 1)} %`;
}
