// CSV for the table downloads. Imports only the formula guard (no imports either), so the tests run it in Node.
import {guardCell} from "./formula-guard.js";

/**
 * RFC 4180 CSV of `rows`: a header of the column labels, then one line per row. `columns` are
 * `{label, value: (row) => value}`; numbers are written plainly (decimal point, no grouping) so that
 * any program reads them, null and undefined as empty fields. A text that starts like a formula gets
 * a leading apostrophe (guardCell, the product's one formula guard). Starts with a byte-order
 * mark so that spreadsheet programs read the Lithuanian letters as UTF-8; lines end in CRLF.
 */
export function csvText(rows, columns) {
  const lines = [columns.map((c) => field(c.label)), ...rows.map((row) => columns.map((c) => field(c.value(row))))];
  return "\uFEFF" + lines.map((cells) => cells.join(",")).join("\r\n") + "\r\n";
}

function field(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = guardCell(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A file name from a title: lower-case ASCII letters, digits and hyphens. */
export function fileName(title, extension) {
  const base = String(title)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return `${base || "download"}.${extension}`;
}
