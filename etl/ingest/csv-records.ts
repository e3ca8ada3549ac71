import type { Readable } from "node:stream";
import { parse } from "csv-parse/sync";

/** Longest record accepted, in characters; a longer one is quarantined. */
export const MAX_RECORD_CHARS = 1_000_000;

/** True for a line that is skipped as empty: nothing but ASCII spaces, tabs, vertical tabs and form feeds. */
export function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isAsciiSpace(text.charCodeAt(i))) return false;
  return true;
}

export const isAsciiSpace = (c: number) => c === 32 || c === 9 || c === 11 || c === 12;

/**
 * True for a record whose every field is empty (trimmed): a spreadsheet's blank row saved as CSV
 * (`;;;;;;;`), skipped as a blank line is, whatever its number of fields — it holds no incident.
 */
export function isEmptyRow(fields: readonly string[]): boolean {
  for (const field of fields) if (field !== "") return false;
  return true;
}

/**
 * One CSV record as read: its fields, or why it is not a record; `line` is its first physical line
 * (1-based) and `raw` its text with the line break that ends it, as csv-parse reports it.
 */
export type CsvRecord = { line: number; fields: string[]; raw: string } | { line: number; error: string; raw: string };

export interface CsvRecordOptions {
  delimiter: string;
  /** A quoted record may span lines up to this many characters; past it the quote counts as never closed. */
  maxRecordChars: number;
  /** A single line longer than this makes the whole file unreadable (`onTooLong` is thrown). */
  maxLineChars: number;
  onTooLong: (line: number) => Error;
}

// csv-parse's reading, minus its record splitting (done here by lines and quotes).
const PARSE = { relax_column_count: true, trim: true, record_delimiter: "\n" } as const;
const BATCH_RECORDS = 2_000;

/**
 * The records of a CSV text, with the records split here rather than by csv-parse: a record is a
 * run of physical lines whose quotes balance (a quoted field may hold newlines). After a malformed
 * record csv-parse cannot tell where the next one starts and reads on to the next quote, taking
 * valid rows with it; here a record that fails to parse is the only thing refused — when it spans
 * several lines, only its first line is, and reading resumes at the line after it. So a stray quote
 * costs its own line and never a valid row. Blank lines (spaces, tabs, form feeds) are skipped and counted.
 * Records parse in batches; a batch that fails is parsed record by record to find the bad ones.
 *
 * When a record may span lines (the rule, see also data/sources/README.md): a quote left open at the
 * end of a line continues the record on the next line, and the record is taken as one only when
 *  1. it parses to exactly as many fields as the header has, and
 *  2. none of its lines after the first, read alone (a quote that does not pair on that line read as
 *     a plain character, see `fieldsAlone`), has as many fields as the header.
 * A line that fails 2. is a row of its own that a stray quote on an earlier line would swallow (`b,…,"Šiau`
 * then `c,…,liai",…`: read as one record, row c would vanish into b's locality). Then the first line is
 * quarantined and reading resumes at the line after it, so that row is read on its own. Text after a
 * quoted line break that holds as many delimiters as a whole row (rare: the break in the first column,
 * or a table of two or three columns) is taken the same way: its record is refused, visibly, rather
 * than a row being lost silently. Every physical line thus lies in exactly one record or is blank.
 */
export async function* csvRecords(text: Readable, options: CsvRecordOptions): AsyncGenerator<CsvRecord> {
  const parseOne = (record: string): string[][] => parse(record, { ...PARSE, delimiter: options.delimiter }) as string[][];
  // Lines taken back after a failed record, last first (a stack: re-reading is linear however many).
  const pending: Line[] = [];
  const takeBack = (lines: readonly Line[]) => {
    for (let i = lines.length - 1; i >= 1; i--) pending.push(lines[i]!);
  };
  const source = physicalLines(text, options);
  let batch: Array<{ line: number; text: string; raw: string }> = [];
  let batchChars = 0;
  // Fields of the first record (the header): a record spanning lines must have as many, or its first
  // line is taken for a broken one (a stray quote that pairs with a quote lines later).
  let width: number | undefined;

  async function* flush(): AsyncGenerator<CsvRecord> {
    const records = batch;
    batch = [];
    batchChars = 0;
    if (records.length === 0) return;
    if (width === undefined) {
      // The header alone, first: the width is known before any later record is split.
      const header = records.shift()!;
      try {
        const [fields = []] = parseOne(header.text);
        width = fields.length;
        yield { line: header.line, fields, raw: header.raw };
      } catch (error) {
        yield { line: header.line, error: reasonOf(error), raw: header.raw };
      }
      batch = records;
      yield* flush();
      return;
    }
    let parsed: string[][] | undefined;
    try {
      parsed = parseOne(records.map((r) => r.text).join("\n"));
    } catch {
      parsed = undefined;
    }
    if (parsed?.length === records.length) {
      for (let i = 0; i < records.length; i++) yield { line: records[i]!.line, fields: parsed[i]!, raw: records[i]!.raw };
      return;
    }
    for (const record of records) {
      try {
        for (const fields of parseOne(record.text)) yield { line: record.line, fields, raw: record.raw };
      } catch (error) {
        yield { line: record.line, error: reasonOf(error), raw: record.raw };
      }
    }
  }

  const next = async (): Promise<Line | undefined> => pending.pop() ?? (await source.next()).value ?? undefined;
  for (let first = await next(); first !== undefined; first = await next()) {
    if (isBlank(first.text, 0, first.text.length)) continue;
    // A record: this line and, while its quotes are open, the following ones.
    const lines = [first];
    let quotes = countQuotes(first.text);
    let chars = first.text.length;
    let row: Line | undefined;
    while (quotes % 2 === 1 && chars <= options.maxRecordChars) {
      const more = await next();
      if (more === undefined) break;
      lines.push(more);
      if (width !== undefined && fieldsAlone(more.text, options.delimiter) === width) {
        row = more;
        break;
      }
      quotes += countQuotes(more.text);
      chars += more.text.length + 1;
    }
    if (row !== undefined) {
      // The quote would swallow a line that is a row of its own (rule 2 above).
      yield* flush();
      const reason = `a quote opened here would close only on line ${row.line} or later, but line ${row.line} reads as a row of its own; this line is refused and the next ones are read on their own (an unescaped quote? write "" inside a quoted field)`;
      yield { line: first.line, error: reason, raw: first.text + first.end };
      takeBack(lines);
      continue;
    }
    if (lines.length === 1 || quotes % 2 === 0) {
      // Line breaks inside a quoted field are data and stay as they were.
      const body = lines.map((l, i) => (i < lines.length - 1 ? l.text + l.end : l.text)).join("");
      const record = { line: first.line, text: body, raw: body + lines.at(-1)!.end };
      if (lines.length > 1 && !parsesAs(parseOne, record.text, width)) {
        // A multi-line record that does not parse: its first line is the culprit; re-read the rest.
        yield* flush();
        const error = failure(parseOne, record.text);
        const reason =
          error === undefined ? `${QUOTE_NOT_CLOSED} (read to its closing quote, the record would have the wrong number of fields)` : reasonOf(error);
        yield { line: first.line, error: reason, raw: first.text + first.end };
        takeBack(lines);
        continue;
      }
      batch.push(record);
      batchChars += record.text.length;
      if (width === undefined || batch.length >= BATCH_RECORDS || batchChars >= options.maxRecordChars) yield* flush();
      continue;
    }
    // The quote opened on the first line never closes (end of file, or longer than any record may be).
    yield* flush();
    const reason =
      chars > options.maxRecordChars ? `a quote opened here is not closed within ${options.maxRecordChars} characters (an unclosed quote?)` : QUOTE_NOT_CLOSED;
    yield { line: first.line, error: reason, raw: first.text + first.end };
    takeBack(lines);
  }
  yield* flush();
}

const QUOTE_NOT_CLOSED = "a quote opened here is never closed";

/** A physical line: its text without the line break, and the break ("\n", "\r\n", a bare "\r", or "" at the end of the file). */
interface Line {
  line: number;
  text: string;
  end: string;
}

/**
 * The physical lines of a text, numbered from 1: a line ends at \n, at \r\n, or at a bare \r (old
 * Mac exports; never part of a line's text, so two rows around it are two lines). A BOM is dropped.
 */
async function* physicalLines(text: Readable, options: CsvRecordOptions): AsyncGenerator<Line> {
  // The start of a line not ended yet, in pieces: joined once its end arrives (no rescans of a long line).
  let parts: string[] = [];
  let partChars = 0;
  let line = 0;
  // A line ended by \r at the very end of a piece: its break is \r\n if the next piece starts with \n.
  let held: Line | undefined;
  const take = (tail: string, end: string): Line => {
    const whole = parts.length > 0 ? parts.join("") + tail : tail;
    parts = [];
    partChars = 0;
    return { line: ++line, text: whole, end };
  };
  const breaks = /\r\n|\r|\n/g;
  for await (const chunk of text as AsyncIterable<string>) {
    let piece = line === 0 && parts.length === 0 && held === undefined ? chunk.replace(/^\uFEFF/, "") : chunk;
    if (held !== undefined) {
      if (piece.startsWith("\n")) {
        held.end = "\r\n";
        piece = piece.slice(1);
      }
      yield held;
      held = undefined;
    }
    let start = 0;
    breaks.lastIndex = 0;
    for (let found = breaks.exec(piece); found !== null; found = breaks.exec(piece)) {
      const end = found.index;
      const next = end + found[0].length;
      const ended = take(piece.slice(start, end), found[0]);
      start = next;
      if (found[0] === "\r" && next === piece.length) held = ended;
      else yield ended;
    }
    if (start < piece.length) {
      parts.push(piece.slice(start));
      partChars += piece.length - start;
      if (partChars > options.maxLineChars) throw options.onTooLong(line + 1);
    }
  }
  if (held !== undefined) yield held;
  if (parts.length > 0) yield take("", "");
}

/**
 * How many fields a line has read alone, as the start of a record: split at delimiters outside
 * quoted fields, where a quote opens a field only at its start (after spaces) and only if it closes
 * on this line; any other quote is a plain character.
 */
export function fieldsAlone(text: string, delimiter: string): number {
  let fields = 1;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === delimiter) {
      fields++;
      fieldStart = true;
    } else if (c === '"' && fieldStart) {
      fieldStart = false;
      const close = closingQuote(text, i + 1);
      if (close >= 0) i = close;
    } else if (c !== " " && c !== "\t") fieldStart = false;
  }
  return fields;
}

/** The index of the quote closing a quoted field whose text starts at `from` ("" is an escaped quote), or −1. */
function closingQuote(text: string, from: number): number {
  for (let i = text.indexOf('"', from); i >= 0; i = text.indexOf('"', i + 2)) {
    if (text[i + 1] !== '"') return i;
  }
  return -1;
}

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
  return n;
}

/** True when `text` parses as one record of `width` fields (any width while it is unknown). */
function parsesAs(parseOne: (text: string) => string[][], text: string, width: number | undefined): boolean {
  try {
    const records = parseOne(text);
    return records.length === 1 && (width === undefined || records[0]!.length === width);
  } catch {
    return false;
  }
}

function failure(parseOne: (text: string) => string[][], text: string): unknown {
  try {
    parseOne(text);
    return undefined;
  } catch (error) {
    return error;
  }
}

function reasonOf(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code === "CSV_QUOTE_NOT_CLOSED") return QUOTE_NOT_CLOSED;
  if (code === "CSV_INVALID_CLOSING_QUOTE") return "a quote closes in the middle of a field (unescaped quote inside a quoted field?)";
  if (code === "CSV_INVALID_OPENING_QUOTE") return "a quote inside a field that does not start with one (unescaped quote?)";
  return `malformed CSV (${code ?? "error"}): ${message ?? ""}`;
}
