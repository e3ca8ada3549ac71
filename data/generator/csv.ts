import { INCIDENT_COLUMNS, type IncidentColumn } from "../../etl/ingest/incident-schema.ts";

/** One output row: every canonical column as the text written to the file. */
export type CsvRecord = Readonly<Record<IncidentColumn, string>>;

/**
 * Serialises rows as RFC 4180 CSV: UTF-8 without a byte-order mark, comma-separated, a header row
 * in the canonical column order, LF line endings. Fields are quoted only when they need it, which
 * none of the generated values do today; the quoting is there so that a future locality name with a
 * comma cannot silently shift columns.
 */
export function toCsv(rows: readonly CsvRecord[]): string {
  const lines = [INCIDENT_COLUMNS.join(",")];
  for (const row of rows) lines.push(INCIDENT_COLUMNS.map((column) => quote(row[column])).join(","));
  return `${lines.join("\n")}\n`;
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}
