import { hashStrings, type Hash64 } from "./content-hash.ts";
import { finishBatch, indexRecord, type IndexSettings } from "./index-record.ts";
import { BatchBuilder } from "./batch-builder.ts";
import type { RecordBatch } from "./record-batch.ts";
import { isAsciiSpace, isBlank, isEmptyRow, MAX_RECORD_CHARS } from "./csv-records.ts";

/**
 * The fast CSV reader's view of a file: its header and delimiter. It reads only text without quote
 * characters or carriage returns — where a record is a line and a field the text between delimiters —
 * and gives exactly what `readRecords` (csv-parse on records split by csv-records.ts) gives there: fields trimmed,
 * blank lines skipped (counted, but no part of the next record's line or text; see csv-records.ts), records
 * with the wrong number of fields and text with U+FFFD refused with the same wording. Anything it
 * does not reproduce exactly (a trimmed non-ASCII space at a field's start, a record over
 * MAX_RECORD_CHARS, an unusual header) makes it give up with a reason, and the caller reads the whole
 * file again with csv-parse.
 */
export interface CsvLayout {
  header: string[];
  delimiter: string;
}

/** Why the fast reader cannot read some text; the file is then read by csv-parse instead. */
export class NotFastCsv extends Error {}

/** The field texts of one line, trimmed as csv-parse trims them (throws NotFastCsv where it cannot). */
export function splitLine(text: string, start: number, end: number, delimiter: number): string[] {
  const fields: string[] = [];
  const separator = String.fromCharCode(delimiter);
  for (let from = start; ;) {
    let stop = text.indexOf(separator, from);
    if (stop < 0 || stop > end) stop = end;
    let a = from;
    while (a < stop && isAsciiSpace(text.charCodeAt(a))) a++;
    if (a < stop && isOtherSpace(text.charCodeAt(a))) throw new NotFastCsv("a field starts with a non-ASCII space");
    // trimEnd only where the field ends in a space of some kind (most fields end in a letter or digit).
    const last = text.charCodeAt(stop - 1);
    fields.push(a < stop && (last <= 32 || last >= 0x80) ? text.slice(a, stop).trimEnd() : text.slice(a, stop));
    if (stop === end) return fields;
    from = stop + 1;
  }
}

/**
 * Bytes of a chunk decoded at a time (cut after a line break, so no character and no line is split).
 * A string of more than about 128 KiB is allocated in fresh memory of its own, and text with a
 * non-ASCII letter takes two bytes a character: decoding the 12 MB month of the 10 M bench in 1 MiB
 * pieces took 140–175 ms, in 64 KiB pieces 25–32 ms (issue 19; the difference is page faults). 32 KiB
 * stays clear of that limit; the decoded text is the same, since UTF-8 never splits at a line break.
 */
export const TEXT_PIECE_BYTES = 32 << 10;

/**
 * Reads the records of one chunk of a file (whole lines, starting where a record may start) into a
 * batch: `bytes` are the chunk's bytes, decoded as UTF-8 `pieceBytes` at a time (see
 * TEXT_PIECE_BYTES). Lines in the batch are relative (the chunk's first line is 1); kept records are
 * located by byte offsets into `bytes`. `lineBase` (lines of the file before the chunk) makes ids of
 * sources without an id column from the file's own line number, `<source>-<line>`; −1 where the
 * source has ids.
 */
export function readCsvChunk(
  bytes: Buffer,
  layout: CsvLayout,
  settings: IndexSettings,
  builder: BatchBuilder,
  lineBase = -1,
  pieceBytes = TEXT_PIECE_BYTES,
): RecordBatch {
  if (lineBase < 0 && settings.source.columns.id === undefined) throw new Error("readCsvChunk: a source without ids needs the chunk's line base");
  const idLineBase = Math.max(lineBase, 0);
  const started = performance.now();
  const delimiter = layout.delimiter.charCodeAt(0);
  const width = layout.header.length;
  // A column's value is that of its last occurrence in the header, as in an object built field by field.
  const index = new Map<string, number>();
  layout.header.forEach((name, i) => index.set(name, i));
  const hashed = [...new Set(index.values())].sort((a, b) => a - b);
  let values: string[] = [];
  const get = (column: string) => {
    const i = index.get(column);
    return i === undefined ? "" : values[i]!;
  };
  const hashInput = new Array<string>(hashed.length);
  const content: Hash64 = { high: 0, low: 0 };
  let line = 0;
  let rawStart = 0;
  let rawLine = 1;
  let rawEnd = 0;
  let byteStart = 0;
  let rawStartByte = 0;
  let text = "";
  const raw = () => clip(text.slice(rawStart, rawEnd));
  for (let piece = 0; piece < bytes.length; piece = byteStart) {
    text = bytes.toString("utf8", piece, pieceEnd(bytes, piece, pieceBytes));
    rawStart = 0;
    // Text with no U+FFFD anywhere needs no check per record.
    const replaced = text.includes("\uFFFD");
    for (let start = 0; start < text.length;) {
      let end = text.indexOf("\n", start);
      if (end < 0) end = text.length;
      const next = end + 1;
      let byteEnd = bytes.indexOf(10, byteStart);
      if (byteEnd < 0) byteEnd = bytes.length;
      const byteNext = byteEnd + 1;
      line++;
      // A blank line, or a spreadsheet's blank row (every field empty) within the record limit, is
      // skipped as read-records.ts skips it.
      const blank = isBlank(text, start, end);
      if (!blank) {
        rawEnd = Math.min(next, text.length);
        if (rawEnd - rawStart > MAX_RECORD_CHARS) throw new NotFastCsv("a record is longer than the quarantine limit");
        values = splitLine(text, start, end, delimiter);
      }
      if (blank || isEmptyRow(values)) {
        start = rawStart = next;
        byteStart = rawStartByte = byteNext;
        rawLine = line + 1;
        continue;
      }
      if (values.length !== width) {
        builder.recordRead();
        builder.reject(
          rawLine,
          "malformed_record",
          `the row has ${values.length} fields where the header has ${width} (a stray delimiter, or a truncated line?)`,
          raw(),
        );
      } else if (replaced && raw().includes("\uFFFD")) {
        builder.recordRead();
        builder.reject(
          rawLine,
          "invalid_encoding",
          "bytes that are not valid UTF-8 (a Windows-1257 export? set encoding: windows-1257 in the source description)",
          raw(),
        );
      } else {
        for (let k = 0; k < hashed.length; k++) hashInput[k] = values[hashed[k]!]!;
        indexRecord(
          builder,
          settings,
          get,
          rawLine,
          raw,
          hashStrings(hashInput, content),
          rawStartByte,
          Math.min(byteNext, bytes.length),
          rawLine + idLineBase,
        );
      }
      start = next;
      rawStart = next;
      byteStart = byteNext;
      rawStartByte = byteNext;
      rawLine = line + 1;
    }
  }
  return finishBatch(builder, settings, line, started);
}

/** Where the piece of `bytes` from `start` ends: after the last line break within `size` bytes, or the first one past them. */
function pieceEnd(bytes: Buffer, start: number, size: number): number {
  if (bytes.length - start <= size) return bytes.length;
  const within = bytes.lastIndexOf(10, start + size - 1);
  if (within >= start) return within + 1;
  const past = bytes.indexOf(10, start + size);
  return past < 0 ? bytes.length : past + 1;
}

// Characters csv-parse trims (String.prototype.trim's set) that are one byte in UTF-8: space, tab,
// vertical tab, form feed (LF and CR never occur inside a line here).

// The others: csv-parse trims them at a field's start byte by byte, which is not reproduced here.
const isOtherSpace = (c: number) =>
  c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

const RAW_KEPT = 2_000;
const clip = (text: string) => (text.length > RAW_KEPT ? `${text.slice(0, RAW_KEPT)}… (${text.length} characters)` : text);
