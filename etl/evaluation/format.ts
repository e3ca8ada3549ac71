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

/** A p-value to three significant digits, "< 0.001" below that. */
export function formatP(p: number): string {
  if (p < 0.001) return "< 0.001";
  return p >= 0.1 ? p.toFixed(3) : p.toPrecision(2);
}

/** A ratio to three significant digits ("2.67", "15.6", "0.640"); "∞" when unbounded. */
export function formatRatio(value: number | null | undefined): string {
  if (value === null || value === undefined) return "∞";
  if (Number.isNaN(value)) return "–";
  if (!Number.isFinite(value)) return "∞";
  return value === 0 ? "0" : value.toPrecision(3);
}

/** "95 %" for 0.95. */
export function formatLevel(confidenceLevel: number): string {
  return `${formatNumber(confidenceLevel * 100, 1)} %`;
}
