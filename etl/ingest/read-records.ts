import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { MAX_RECORD_CHARS, csvRecords as splitCsvRecords } from "./csv-records.ts";
import { InputFileError, openTextInput } from "./open-input.ts";
import type { SourceDescription } from "./source-description.ts";

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
 * delimiters, quoted newlines), JSON Lines, or a GeoJSON FeatureCollection of points. Fails for the
 * whole file only when it cannot be a table: empty, no header, or required columns missing.
 */
export async function* readRecords(file: string, source: SourceDescription, required: readonly string[]): AsyncGenerator<InputRecord> {
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

/** Refuses a header that repeats a column name or lacks a required column, saying what to do. */
export function checkHeader(file: string, header: string[], required: readonly string[], delimiter: string): void {
  const repeated = header.find((name, i) => name !== "" && header.indexOf(name) !== i);
  if (repeated !== undefined) throw new InputFileError(file, `column '${repeated}' appears twice in the header; rename one of them`);
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length === 0) return;
  const name = (d: string) => (d === "\t" ? "tab" : `"${d}"`);
  const found = [",", ";", "\t", "|"].find((d) => d !== delimiter && header.length === 1 && header[0]!.includes(d));
  const hint = found
    ? ` — the header is one field split by ${name(found)}, not by the described delimiter ${name(delimiter)}: write delimiter: ${found === "\t" ? "tab" : name(found)} in the source description`
    : "";
  const advice =
    hint ||
    "; if the file is laid out differently, describe it (hotspots describe FILE writes a description to review; data/sources/README.md) and pass --source";
  throw new InputFileError(file, `missing required column(s) ${missing.join(", ")}; the header has ${clip(header.join(", "), 300)}${advice}`);
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

async function* geoJsonRecords(file: string, text: Readable): AsyncGenerator<InputRecord> {
  let content = "";
  for await (const chunk of text) content += chunk as string;
  let collection: { type?: unknown; features?: unknown };
  try {
    collection = JSON.parse(content.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new InputFileError(file, `is not valid GeoJSON: ${(error as Error).message}`);
  }
  if (collection?.type !== "FeatureCollection" || !Array.isArray(collection.features)) {
    throw new InputFileError(file, "is not a GeoJSON FeatureCollection");
  }
  for (const [i, feature] of (collection.features as Array<Record<string, unknown>>).entries()) {
    const raw = clip(JSON.stringify(feature));
    const geometry = feature?.geometry as { type?: string; coordinates?: unknown } | null | undefined;
    if (geometry?.type !== "Point" || !Array.isArray(geometry.coordinates)) {
      yield { line: i + 1, error: { code: "malformed_record", reason: `feature ${i + 1} has geometry ${geometry?.type ?? "null"}; a Point is needed` }, raw };
      continue;
    }
    const [x, y] = geometry.coordinates as unknown[];
    const fields = stringFields((feature.properties as Record<string, unknown>) ?? {});
    fields["geometry.x"] = String(x ?? "");
    fields["geometry.y"] = String(y ?? "");
    yield withEncodingCheck({ line: i + 1, fields, raw });
  }
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
