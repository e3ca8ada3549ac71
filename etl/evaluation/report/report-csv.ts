import { guardCell } from "../../csv/formula-guard.js";
import type { TableColumns, TableRow } from "../../lake/write-table.ts";

/**
 * Renders rows as CSV (RFC 4180 quoting, LF line ends, header row) with a UTF-8 byte-order mark, so
 * spreadsheet programs show Lithuanian letters correctly. Numbers keep full precision; null is an
 * empty field; text that starts like a formula gets a leading apostrophe (guardCell). The columns are the lake table's, so a CSV and its lake table read the same.
 */
export function toCsv(columns: TableColumns | readonly string[], rows: readonly TableRow[]): string {
  const names = Array.isArray(columns) ? [...(columns as readonly string[])] : Object.keys(columns);
  const lines = [names.map(field).join(","), ...rows.map((row) => names.map((name) => field(row[name])).join(","))];
  return `\uFEFF${lines.join("\n")}\n`;
}

function field(value: TableRow[string]): string {
  if (value === null || value === undefined || (typeof value === "number" && !Number.isFinite(value))) return "";
  const text = guardCell(String(value));
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
