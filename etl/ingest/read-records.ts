import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import { InputFileError, openTextInput } from "./open-input.ts";
import type { SourceDescription } from "./source-description.ts";

/** One record of an input file: its fields by name, or why it could not be read as a record. */
export type InputRecord =
  | { line: number; fields: Record<string, string>; raw: string }
  | { line: number; error: { code: "malformed_record" | "invalid_encoding"; reason: string }; raw: string };

/** Longest record accepted, in characters; a longer one is quarantined. */
export const MAX_RECORD_CHARS = 1_000_000;
/**
 * Longest record the CSV reader will hold at all. Past it csv-parse cannot resynchronise and would
 * drop the rest of the file, so the whole file is refused instead: memory stays bounded and no row
 * is lost silently.
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
  const skipped: InputRecord[] = [];
  let lastSkippedLine = -1;
  let fatal: InputFileError | undefined;
  const parser = text.pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      raw: true,
      max_record_size: HARD_RECORD_CHARS,
      skip_records_with_error: true,
      on_skip: (error, raw) => {
        const line = Number((error as { lines?: number } | undefined)?.lines ?? 0);
        if (error?.code === "CSV_MAX_RECORD_SIZE") {
          fatal ??= new InputFileError(file, `the record ending near line ${line} is longer than ${HARD_RECORD_CHARS} characters (an unclosed quote?); the file was refused and the lake not changed`);
          return undefined;
        }
        // A runaway field raises one error per buffer refill: report the record once.
        if (skipped.at(-1)?.line === line || lastSkippedLine === line) return undefined;
        lastSkippedLine = line;
        skipped.push({
          line,
          error: { code: "malformed_record", reason: csvErrorReason(error?.code, error?.message) },
          raw: clip(raw ?? ""),
        });
        return undefined;
      },
    }),
  );
  let header: string[] | undefined;
  for await (const { record, raw, info } of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number } }>) {
    if (fatal) throw fatal;
    yield* skipped.splice(0);
    const line = info.lines - (raw.replace(/\r?\n$/, "").match(/\n/g)?.length ?? 0);
    if (!header) {
      header = record;
      checkHeader(file, header, required, delimiter);
      continue;
    }
    if (raw.length > MAX_RECORD_CHARS) {
      yield { line, error: { code: "malformed_record", reason: `the record is longer than ${MAX_RECORD_CHARS} characters (a runaway field?)` }, raw: clip(raw) };
      continue;
    }
    if (record.length !== header.length) {
      yield {
        line,
        error: { code: "malformed_record", reason: `the row has ${record.length} fields where the header has ${header.length} (a stray delimiter, or a truncated line?)` },
        raw: clip(raw),
      };
      continue;
    }
    const fields: Record<string, string> = {};
    header.forEach((name, i) => (fields[name] = record[i]!));
    yield withEncodingCheck({ line, fields, raw: clip(raw) });
  }
  if (fatal) throw fatal;
  yield* skipped.splice(0);
  if (!header) throw new InputFileError(file, "holds no header row (is it empty?)");
}

/** Refuses a header that repeats a column name or lacks a required column, saying what to do. */
export function checkHeader(file: string, header: string[], required: readonly string[], delimiter: string): void {
  const repeated = header.find((name, i) => name !== "" && header.indexOf(name) !== i);
  if (repeated !== undefined) throw new InputFileError(file, `column '${repeated}' appears twice in the header; rename one of them`);
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length === 0) return;
  const hint = header.length === 1 && /[,;\t|]/.test(header[0]!) ? ` — the header is one field: is the delimiter not '${delimiter === "\t" ? "\\t" : delimiter}'?` : "";
  const advice = hint || "; if the file is laid out differently, describe it (data/sources/README.md) and pass --source";
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
    const fields = { ...stringFields((feature.properties as Record<string, unknown>) ?? {}), "geometry.x": String(x ?? ""), "geometry.y": String(y ?? "") };
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

function stringFields(object: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(object)) fields[k] = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v).trim();
  return fields;
}

function csvErrorReason(code: string | undefined, message: string | undefined): string {
  if (code === "CSV_QUOTE_NOT_CLOSED") return "a quote opened here is never closed; everything after it was read as one field";
  if (code === "CSV_INVALID_CLOSING_QUOTE") return "a quote closes in the middle of a field (unescaped quote inside a quoted field?)";
  return `malformed CSV (${code ?? "error"}): ${message ?? ""}`;
}

const clip = (text: string, max = RAW_KEPT) => (text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);
