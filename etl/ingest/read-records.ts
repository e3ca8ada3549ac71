import { createInterface } from "node:readline";
import { JSONParser } from "@streamparser/json";
import type { Readable } from "node:stream";
import { MAX_RECORD_CHARS, isEmptyRow, csvRecords as splitCsvRecords } from "./csv-records.ts";
import { InputFileError, openTextInput } from "./open-input.ts";
import type { SourceDescription } from "./source-description.ts";
import { sheetRows } from "./xlsx-rows.ts";

/** One record of an input file: its fields by name, or why it could not be read as a record. */
export type InputRecord =
  | { line: number; fields: Record<string, string>; raw: string }
  | { line: number; error: { code: "malformed_record" | "invalid_encoding"; reason: string }; raw: string };

/**
 * Longest line the CSV reader will hold at all (a file without line breaks, say): past it the whole
 * file is refused, so memory stays bounded and no row is lost silently.
 */
export const HARD_RECORD_CHARS = 64 * 1024 * 1024;
/** Raw text kept per quarantined record: enough to find and fix it. */
const RAW_KEPT = 2_000;

/**
 * Streams the records of an input file as its source describes it: CSV (any of the allowed
 * delimiters, quoted newlines), JSON Lines, a GeoJSON FeatureCollection of points, or a sheet of an
 * Excel workbook. Fails for the
 * whole file only when it cannot be a table: empty, no header, or required columns missing.
 */
export async function* readRecords(file: string, source: SourceDescription, required: readonly string[]): AsyncGenerator<InputRecord> {
  if (source.format === "xlsx") {
    yield* workbookRecords(file, source.sheet, required);
    return;
  }
  const text = await openTextInput(file, source.encoding);
  try {
    if (source.format === "csv") yield* csvRecords(file, text, source.delimiter, required);
    else if (source.format === "jsonl") yield* jsonLineRecords(text);
    else yield* geoJsonRecords(file, text);
  } finally {
    text.destroy();
  }
}

async function* csvRecords(file: string, text: Readable, delimiter: string, required: readonly string[]): AsyncGenerator<InputRecord> {
  let header: string[] | undefined;
  const records = splitCsvRecords(text, {
    delimiter,
    maxRecordChars: MAX_RECORD_CHARS,
    maxLineChars: HARD_RECORD_CHARS,
    onTooLong: (line) => new InputFileError(file, `line ${line} is longer than ${HARD_RECORD_CHARS} characters; the file was refused and the lake not changed`),
  });
  for await (const record of records) {
    const { line, raw } = record;
    if ("error" in record) {
      if (!header) throw new InputFileError(file, `its header (line ${line}) is not readable CSV: ${record.error}`);
      yield { line, error: { code: "malformed_record", reason: record.error }, raw: clip(raw) };
      continue;
    }
    if (!header) {
      header = record.fields;
      checkHeader(file, header, required, delimiter);
      continue;
    }
    if (raw.length > MAX_RECORD_CHARS) {
      yield {
        line,
        error: { code: "malformed_record", reason: `the record is longer than ${MAX_RECORD_CHARS} characters (a runaway field?)` },
        raw: clip(raw),
      };
      continue;
    }
    // A spreadsheet's blank row (`;;;;;;;`) is a blank line, not a row without an id.
    if (isEmptyRow(record.fields)) continue;
    if (record.fields.length !== header.length) {
      yield {
        line,
        error: {
          code: "malformed_record",
          reason: `the row has ${record.fields.length} fields where the header has ${header.length} (a stray delimiter, or a truncated line?)`,
        },
        raw: clip(raw),
      };
      continue;
    }
    const fields = fieldRecord();
    header.forEach((name, i) => (fields[name] = record.fields[i]!));
    yield withEncodingCheck({ line, fields, raw: clip(raw) });
  }
  if (!header) throw new InputFileError(file, "holds no header row (is it empty?)");
}

/**
 * The records of a workbook's sheet, read as a CSV export of it would be: the first row with a value
 * is the header, a row's `line` its row number in the sheet (what the user sees in Excel), a blank
 * row skipped; a row with a value right of the header's last column is malformed, as a CSV row with
 * a field too many is. There is no encoding to get wrong: the workbook's text is Unicode.
 */
async function* workbookRecords(file: string, sheet: string | undefined, required: readonly string[]): AsyncGenerator<InputRecord> {
  let header: string[] | undefined;
  for await (const { line, cells } of sheetRows(file, sheet)) {
    const raw = clip(rowText(cells));
    if (!header) {
      header = cells;
      checkHeader(file, header, required, null);
      continue;
    }
    if (raw.length > MAX_RECORD_CHARS) {
      yield { line, error: { code: "malformed_record", reason: `the row is longer than ${MAX_RECORD_CHARS} characters` }, raw };
      continue;
    }
    if (cells.length > header.length) {
      const reason = `the row has a value in column ${columnLetters(cells.length)}, right of the header's last column ${columnLetters(header.length)} (name that column in the header row, or clear the cell)`;
      yield { line, error: { code: "malformed_record", reason }, raw };
      continue;
    }
    const fields = fieldRecord();
    header.forEach((name, i) => (fields[name] = cells[i] ?? ""));
    yield { line, fields, raw };
  }
}

/** Column `n` (1-based) as Excel names it: 1 → A, 27 → AA. */
function columnLetters(n: number): string {
  let name = "";
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) name = String.fromCharCode(65 + ((k - 1) % 26)) + name;
  return name;
}

/** A row's cells as one line of CSV, for the quarantine's text of the row. */
export function rowText(cells: readonly string[]): string {
  return cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(",");
}

/**
 * Refuses a header that repeats a column name or lacks a required column, saying what to do.
 * `delimiter`: the CSV's, or null for a workbook's sheet (its columns are cells).
 */
export function checkHeader(file: string, header: string[], required: readonly string[], delimiter: string | null): void {
  const repeated = header.find((name, i) => name !== "" && header.indexOf(name) !== i);
  if (repeated !== undefined) throw new InputFileError(file, `column '${repeated}' appears twice in the header`, "rename one of them");
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length === 0) return;
  const name = (d: string) => (d === "\t" ? "tab" : `"${d}"`);
  const found = [",", ";", "\t", "|"].find((d) => d !== delimiter && header.length === 1 && header[0]!.includes(d));
  // A header misread: one field split by another delimiter, or bytes that are not UTF-8 decoded to
  // U+FFFD (the column names cannot match until the encoding is right); the advice says what to write.
  const misread = found
    ? delimiter === null
      ? {
          // A CSV opened in a spreadsheet that splits by another list separator, saved as a workbook.
          why: ` — the header is one cell holding names split by ${name(found)}: the sheet holds CSV text, one row to a cell`,
          advice: `ingest the CSV export itself (format: csv, delimiter: ${found === "\t" ? "tab" : name(found)}), or split the column in the spreadsheet (Excel: Data › Text to Columns) and save the workbook again`,
          join: ": ",
        }
      : {
          why: ` — the header is one field split by ${name(found)}, not by the described delimiter ${name(delimiter)}`,
          advice: `write delimiter: ${found === "\t" ? "tab" : name(found)} in the source description`,
          join: ": ",
        }
    : header.some((name) => name.includes("\uFFFD"))
      ? {
          why: " — the header holds bytes that are not valid UTF-8 (shown as \uFFFD): the file is in another encoding",
          advice: "write encoding: windows-1257 (Lithuanian exports) or windows-1252 in the source description",
          join: "; ",
        }
      : {
          why: "",
          advice:
            "if the file is laid out differently, describe it (hotspots describe FILE writes a description to review; data/sources/README.md) and pass --source",
          join: "; ",
        };
  throw new InputFileError(
    file,
    `missing required column(s) ${missing.join(", ")}; the header has ${clip(header.join(", "), 300)}${misread.why}`,
    misread.advice,
    (reason, advice) => `${reason}${misread.join}${advice}`,
  );
}

async function* jsonLineRecords(text: Readable): AsyncGenerator<InputRecord> {
  let line = 0;
  for await (const rawLine of createInterface({ input: text, crlfDelay: Infinity })) {
    line++;
    const content = (line === 1 ? rawLine.replace(/^\uFEFF/, "") : rawLine).trim();
    if (content === "") continue;
    if (content.length > MAX_RECORD_CHARS) {
      yield { line, error: { code: "malformed_record", reason: `the line is longer than ${MAX_RECORD_CHARS} characters` }, raw: clip(content) };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      yield { line, error: { code: "malformed_record", reason: `not valid JSON: ${(error as Error).message}` }, raw: clip(content) };
      continue;
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      yield { line, error: { code: "malformed_record", reason: "the line is not a JSON object" }, raw: clip(content) };
      continue;
    }
    yield withEncodingCheck({ line, fields: stringFields(value as Record<string, unknown>), raw: clip(content) });
  }
}

/**
 * The features of a GeoJSON FeatureCollection, streamed: the file is parsed as it is read and each
 * feature is handed on as soon as it is complete, so a file of any size is read in bounded memory (a
 * 758 MB file failed with "Invalid string length" when read whole; issue 21). `type` may come before
 * or after `features`; a file that turns out not to be a FeatureCollection is refused as a whole.
 */
async function* geoJsonRecords(file: string, text: Readable): AsyncGenerator<InputRecord> {
  // keepStack false: a feature, once handed on, is not kept in the parser's copy of the array.
  const parser = new JSONParser({ paths: ["$.type", "$.features.*"], keepStack: false });
  const features: unknown[] = [];
  let type: unknown;
  let notArray = false;
  parser.onValue = ({ value, key, parent, stack }) => {
    if (stack.length === 1 && key === "type") type = value;
    else if (stack.length === 2) {
      if (Array.isArray(parent)) features.push(value);
      else notArray = true;
    }
  };
  const parse = (write: () => void) => {
    try {
      write();
    } catch (error) {
      throw new InputFileError(file, `is not valid GeoJSON: ${(error as Error).message}`);
    }
  };
  const notCollection = () =>
    new InputFileError(
      file,
      `is not a GeoJSON FeatureCollection (its type is ${JSON.stringify(type)}${notArray ? ", and its features are not an array" : ""})`,
    );
  let index = 0;
  let first = true;
  for await (const chunk of text) {
    const piece = first ? (chunk as string).replace(/^\uFEFF/, "") : (chunk as string);
    first = false;
    parse(() => parser.write(piece));
    if ((type !== undefined && type !== "FeatureCollection") || notArray) throw notCollection();
    for (const feature of features.splice(0)) yield geoJsonRecord(feature, ++index);
  }
  // The parser ends by itself when the top-level value closes; end() finds a cut file.
  if (!parser.isEnded) parse(() => parser.end());
  if (type !== "FeatureCollection" || notArray) throw notCollection();
  for (const feature of features.splice(0)) yield geoJsonRecord(feature, ++index);
}

/** Feature `n` (1-based; its "line") as a record: its properties, and its point as geometry.x/y. */
function geoJsonRecord(value: unknown, n: number): InputRecord {
  const feature = (value ?? {}) as Record<string, unknown>;
  const raw = clip(JSON.stringify(value));
  const geometry = feature.geometry as { type?: string; coordinates?: unknown } | null | undefined;
  // A null geometry is GeoJSON's unlocated feature (RFC 7946 §3.2): the row's coordinates are
  // missing, as an empty latitude is in a CSV file, and it is quarantined for that reason.
  const unlocated = geometry === null;
  if (!unlocated && (geometry?.type !== "Point" || !Array.isArray(geometry.coordinates))) {
    return { line: n, error: { code: "malformed_record", reason: `feature ${n} has geometry ${geometry?.type ?? "null"}; a Point is needed` }, raw };
  }
  const [x, y] = unlocated ? [] : (geometry!.coordinates as unknown[]);
  const fields = stringFields((feature.properties as Record<string, unknown>) ?? {});
  fields["geometry.x"] = String(x ?? "");
  fields["geometry.y"] = String(y ?? "");
  return withEncodingCheck({ line: n, fields, raw });
}

/** A record holding U+FFFD came from bytes that are not valid in the declared encoding. */
function withEncodingCheck(record: { line: number; fields: Record<string, string>; raw: string }): InputRecord {
  if (!record.raw.includes("\uFFFD")) return record;
  return {
    line: record.line,
    error: { code: "invalid_encoding", reason: "bytes that are not valid UTF-8 (a Windows-1257 export? set encoding: windows-1257 in the source description)" },
    raw: record.raw,
  };
}

/**
 * An empty record of fields by column name, with no prototype: column names are data, and `__proto__`,
 * `constructor` or `toString` must be columns like any other (set and read as own properties).
 */
export function fieldRecord(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

function stringFields(object: Record<string, unknown>): Record<string, string> {
  const fields = fieldRecord();
  for (const [k, v] of Object.entries(object)) fields[k] = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v).trim();
  return fields;
}

const clip = (text: string, max = RAW_KEPT) => (text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);
