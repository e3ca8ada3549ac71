import chardet from "chardet";
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { firstBytes, openByteInput } from "./open-input.ts";
import { isEmptyRow } from "./csv-records.ts";
import { readRecords, rowText } from "./read-records.ts";
import type { SourceDescription } from "./source-description.ts";
import { isZipFile, sheetRows } from "./xlsx-rows.ts";

/** What `hotspots describe` reads from the head of a file before proposing a mapping. */
export interface SniffedTable {
  /** CSV, an Excel workbook's sheet, or JSON Lines / GeoJSON read as a table of their objects' (features' properties') fields. */
  format: SourceDescription["format"];
  compression: "gzip" | "none";
  encoding: SourceDescription["encoding"];
  /** The encoding is chardet's pick of a single-byte code page (not given, not valid UTF-8, not a tie). */
  encodingGuessed: boolean;
  delimiter: SourceDescription["delimiter"];
  header: string[];
  /** Data rows of the sample, as text fields. */
  rows: string[][];
  /** The sample's raw (decompressed, undecoded) bytes: the header and the rows above, whole lines. */
  sampleBytes: Buffer;
  /** Whether the file goes on after the sample. */
  truncated: boolean;
  /** What could not be decided, each saying what to do. */
  undecided: string[];
  /** An Excel workbook's sheet that was read, and all its sheets in tab order. */
  sheet?: string;
  sheets?: string[];
}

const DELIMITERS = [",", ";", "\t", "|"] as const;

/**
 * Reads up to `maxBytes` of an export (gunzipped) and, for CSV, decides its encoding (as given; else valid
 * UTF-8, else the supported single-byte code page chardet rates highest), delimiter (the candidate found the same
 * non-zero number of times on most of the first lines) and header (a first line of distinct,
 * non-numeric names). JSON Lines and GeoJSON are read as tables of their records (see jsonTable).
 */
export async function sniffTable(
  file: string,
  options: { maxBytes?: number; encoding?: SourceDescription["encoding"]; sheet?: string } = {},
): Promise<SniffedTable> {
  if (await isZipFile(file)) return workbookTable(file, options.sheet);
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const magic = await firstBytes(file, 2);
  const compression = magic[0] === 0x1f && magic[1] === 0x8b ? "gzip" : "none";
  const { bytes, truncated } = await headBytes(file, maxBytes);
  // Whole lines only: the last line of a cut sample may be cut too.
  const end = truncated ? bytes.lastIndexOf(0x0a) + 1 : bytes.length;
  const sampleBytes = bytes.subarray(0, end);
  const undecided: string[] = [];
  const encoding = encodingOf(sampleBytes, undecided, options.encoding);
  // A tie is left to the user (undecided); a clear but possibly wrong pick may be corrected by the place.
  const encodingGuessed = options.encoding === undefined && encoding !== "utf-8" && undecided.length === 0;
  const text = encoding === "utf-8" ? sampleBytes.toString("utf8") : iconv.decode(sampleBytes, encoding);
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    const end = trimmed.indexOf("\n");
    const format = isJsonLine(end < 0 ? trimmed : trimmed.slice(0, end)) ? "jsonl" : "geojson";
    return jsonTable(file, format, { compression, encoding, encodingGuessed: false, delimiter: ",", sampleBytes, truncated, undecided });
  }
  // Excel's "sep=;" first line names the delimiter, and the header follows it; the ingest reads the
  // first line as the header, so the line must go from the file (it has no option to skip it).
  const excel = /^sep=(.)\r?\n/i.exec(trimmed);
  const table = excel ? trimmed.slice(excel[0].length) : trimmed;
  if (excel)
    undecided.push(
      `the first line "sep=${excel[1]}" is Excel's delimiter hint, not the header: delete that line from the file (ingest reads the first line as the header), then describe it again`,
    );
  const hinted = DELIMITERS.find((d) => d === excel?.[1]);
  const delimiter = hinted ?? delimiterOf(table, undecided);
  const records = parse(table, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, bom: true }) as string[][];
  const [first = [], ...dataRecords] = records;
  // A spreadsheet's blank row (`;;;;`) is skipped by the ingest's readers, so the sample leaves it out too.
  const rows = dataRecords.filter((fields) => !isEmptyRow(fields));
  const header = first.map((name) => name.trim());
  // A line ending in the delimiter (a trailing ";" on every line, as spreadsheet exports write) has an
  // empty last name: a column of nothing that no description reads, not a header problem.
  const named = header.slice(0, header.length - trailingEmpty(header));
  if (named.length === 0 || named.some((h) => h === "" || /^[+-]?\d+([.,]\d+)?$/.test(h)) || new Set(named).size !== named.length) {
    undecided.push(
      `the first line (${JSON.stringify(first.slice(0, 6).join(delimiter))}…) is not a header of distinct column names: source descriptions name columns by their header, so add one as the first line`,
    );
  }
  return { format: "csv", compression, encoding, encodingGuessed, delimiter, header, rows, sampleBytes, truncated, undecided };
}

/** A first line that is a whole JSON object and no FeatureCollection starts JSON Lines (a one-line GeoJSON is not). */
function isJsonLine(line: string): boolean {
  try {
    const value = JSON.parse(line) as unknown;
    return (
      typeof value === "object" &&
      value !== null &&
      !Array.isArray(value) &&
      !("features" in value) &&
      (value as { type?: unknown }).type !== "FeatureCollection"
    );
  } catch {
    return false;
  }
}

/** Objects read from a JSON file for the proposal: enough to decide, few enough to be quick. */
const JSON_SAMPLE_RECORDS = 20_000;

/**
 * A JSON Lines or GeoJSON file as a table: its records as the ingest reads them (readRecords: a
 * feature's properties, and its point as the columns geometry.x and geometry.y), the columns the
 * union of their field names in order of appearance.
 */
async function jsonTable(file: string, format: "jsonl" | "geojson", head: Omit<SniffedTable, "format" | "header" | "rows">): Promise<SniffedTable> {
  const description = { format, encoding: head.encoding } as SourceDescription;
  const records: Array<Record<string, string>> = [];
  let more = false;
  for await (const record of readRecords(file, description, [])) {
    if (records.length === JSON_SAMPLE_RECORDS) {
      more = true;
      break;
    }
    if ("fields" in record) records.push(record.fields);
  }
  const header = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const rows = records.map((r) => header.map((h) => r[h] ?? ""));
  return { ...head, format, header, rows, truncated: head.truncated || more };
}

/**
 * A sheet of an Excel workbook as a table: its rows as the ingest reads them (sheetRows), the first
 * row with a value the header, up to JSON_SAMPLE_RECORDS rows after it. Its sample is those rows
 * written as CSV (comma, UTF-8): the texts the ingest maps, for describe's trial ingest.
 */
async function workbookTable(file: string, sheet: string | undefined): Promise<SniffedTable> {
  const info: { sheet?: string; sheets?: string[] } = {};
  let header: string[] | undefined;
  const rows: string[][] = [];
  let truncated = false;
  for await (const { cells } of sheetRows(file, sheet, info)) {
    if (!header) header = cells;
    else if (rows.length === JSON_SAMPLE_RECORDS) {
      truncated = true;
      break;
    } else rows.push(cells);
  }
  header ??= [];
  const undecided: string[] = [];
  const named = header.filter((h) => h !== "");
  if (named.length === 0 || named.some((h) => /^[+-]?\d+([.,]\d+)?$/.test(h)) || new Set(named).size !== named.length) {
    undecided.push(
      `the first row with a value (${JSON.stringify(header.slice(0, 6).join(", "))}…) is not a header of distinct column names: source descriptions name columns by their header, so make it the sheet's first row`,
    );
  }
  // A sheet row ends at its last cell with a value, and the ingest reads the blanks after it as empty;
  // a CSV line that short would be a malformed record in the trial, so the sample writes them.
  const width = header.length;
  const full = (cells: string[]) => (cells.length < width ? [...cells, ...Array<string>(width - cells.length).fill("")] : cells);
  const sampleBytes = Buffer.from([header, ...rows.map(full)].map((cells) => `${rowText(cells)}\n`).join(""), "utf8");
  return {
    format: "xlsx",
    compression: "none",
    encoding: "utf-8",
    encodingGuessed: false,
    delimiter: ",",
    header,
    rows,
    sampleBytes,
    truncated,
    undecided,
    ...(info.sheet === undefined ? {} : { sheet: info.sheet }),
    ...(info.sheets === undefined ? {} : { sheets: info.sheets }),
  };
}

async function headBytes(file: string, maxBytes: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  const stream = await openByteInput(file);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= maxBytes) {
      stream.destroy();
      return { bytes: Buffer.concat(chunks).subarray(0, maxBytes), truncated: true };
    }
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}

/**
 * UTF-8 when the bytes are valid UTF-8; otherwise the supported code page chardet rates highest.
 * A tie (few non-ASCII bytes tell Baltic from Western European letters apart) is left undecided.
 */
function encodingOf(bytes: Buffer, undecided: string[], given?: SourceDescription["encoding"]): SourceDescription["encoding"] {
  if (given) return given;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return "utf-8";
  } catch {
    const supported: Record<string, SourceDescription["encoding"]> = {
      "windows-1257": "windows-1257",
      "iso-8859-13": "iso-8859-13",
      // Central European letters (ą, ł, ś, ž, ő): Polish, Czech, Slovak, Hungarian exports.
      "windows-1250": "windows-1250",
      "iso-8859-2": "windows-1250",
      "windows-1252": "windows-1252",
      "iso-8859-1": "windows-1252",
    };
    const rated = chardet.analyse(bytes).filter((m) => supported[m.name.toLowerCase()] !== undefined);
    const best = rated[0];
    const tied = [...new Set(rated.filter((m) => best && m.confidence === best.confidence).map((m) => supported[m.name.toLowerCase()]!))];
    if (!best || tied.length > 1) {
      undecided.push(
        `the encoding: the file is not UTF-8, and ${tied.length > 1 ? `${tied.join(" and ")} fit it equally well` : "no supported code page fits it"}; give --encoding windows-1257 (Baltic letters such as ė, š, ž), --encoding windows-1250 (Central European such as ą, ł, ő) or --encoding windows-1252 (Western European such as é, ñ) and describe again`,
      );
      return tied[0] ?? "windows-1252";
    }
    return supported[best.name.toLowerCase()]!;
  }
}

/**
 * The delimiter found the same non-zero number of times on most of the first 50 lines, counted
 * outside double quotes: Socrata exports (Chicago, Boston) quote a "(lat, lon)" column on every row,
 * and a count that included it made no candidate split the lines alike. Counted per record, not per
 * line: Dallas's Location1 holds an address and "(lat, lon)" on three lines inside its quotes.
 */
function delimiterOf(text: string, undecided: string[]): SourceDescription["delimiter"] {
  const lines = firstRecords(text, 50).filter((l) => l.trim() !== "");
  const scored = DELIMITERS.map((d) => {
    const counts = lines.map((l) => unquotedCount(l, d));
    const head = counts[0] ?? 0;
    const same = counts.filter((c) => c === head).length / Math.max(1, counts.length);
    return { d, head, same };
  }).filter((s) => s.head > 0 && s.same >= 0.9);
  scored.sort((a, b) => b.head - a.head);
  if (scored.length === 0) {
    undecided.push(
      'the delimiter: no candidate (, ; tab |) splits the first lines alike; "," was assumed — write delimiter: ";" (or "\\t", "|") if the columns are split otherwise',
    );
    return ",";
  }
  return scored[0]!.d;
}

/** The first `n` records of CSV text: split at line breaks outside double quotes. */
function firstRecords(text: string, n: number): string[] {
  const records: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length && records.length < n; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === "\n" && !quoted) {
      records.push(text.slice(start, i).replace(/\r$/, ""));
      start = i + 1;
    }
  }
  if (records.length < n && start < text.length) records.push(text.slice(start));
  return records;
}

/** How often `d` occurs in `line` outside double-quoted text (a `""` inside quotes toggles twice: no change). */
export function unquotedCount(line: string, d: string): number {
  let count = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === d && !quoted) count++;
  }
  return count;
}

/** How many names at the end of the header are empty. */
function trailingEmpty(header: readonly string[]): number {
  let n = 0;
  while (n < header.length && header[header.length - 1 - n] === "") n++;
  return n;
}
