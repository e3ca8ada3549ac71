// CSV for the table downloads. Imports only the formula guard (no imports either), so the tests run it in Node.
import { guardCell } from "./formula-guard.js";

/**
 * How CSV is written for a language, as spreadsheet programs of its locale open it: English with
 * commas and decimal points; Lithuanian (like most of continental Europe) with semicolons between
 * fields and decimal commas, which Lithuanian-locale Excel splits into columns on opening.
 */
export const CSV_DIALECTS: Record<"en" | "lt", CsvDialect> = {
  en: { delimiter: ",", decimal: "." },
  lt: { delimiter: ";", decimal: "," },
};

/** How one language's CSV separates fields and writes decimals. */
export interface CsvDialect {
  delimiter: string;
  decimal: string;
}

/** One CSV column: its heading and the value a row gives (numbers written plainly, null as an empty field). */
export interface CsvColumn<R> {
  label: string;
  value: (row: R) => unknown;
}

/**
 * RFC 4180 CSV of `rows` (with the language's delimiter): a header of the column labels, then one
 * line per row. `columns` are `{label, value: (row) => value}`; numbers are written plainly (no digit
 * grouping, the language's decimal mark) so that a spreadsheet of that locale reads them as numbers,
 * null and undefined as empty fields. A text that starts like a formula gets a leading apostrophe
 * (guardCell, the product's one formula guard). Starts with a byte-order mark so that spreadsheet
 * programs read the Lithuanian letters as UTF-8; lines end in CRLF.
 */
export function csvText<R>(rows: readonly R[], columns: ReadonlyArray<CsvColumn<R>>, { lang = "en" }: { lang?: string } = {}): string {
  const dialect = CSV_DIALECTS[lang as "en" | "lt"] ?? CSV_DIALECTS.en;
  const field = (value: unknown) => csvField(value, dialect);
  const lines = [columns.map((c) => field(c.label)), ...rows.map((row) => columns.map((c) => field(c.value(row))))];
  return "\uFEFF" + lines.map((cells) => cells.join(dialect.delimiter)).join("\r\n") + "\r\n";
}

function csvField(value: unknown, { delimiter, decimal }: CsvDialect): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value).replace(".", decimal) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = guardCell(String(value));
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A file name from a title: lower-case ASCII letters, digits and hyphens. */
export function fileName(title: string, extension: string): string {
  const base = String(title)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return `${base || "download"}.${extension}`;
}
