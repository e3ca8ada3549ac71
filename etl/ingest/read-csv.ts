import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";

/** One data row of a CSV file: its fields by header name, or the raw fields when the count is wrong. */
export interface CsvRow {
  /** 1-based line number in the (decompressed) file where the row ends. */
  line: number;
  /** Fields keyed by header; undefined when the row has a different number of fields than the header. */
  record: Record<string, string> | undefined;
  /** The row's fields as read, kept for the quarantine. */
  raw: string[];
}

/** The file cannot be read as a table at all (as opposed to one bad row, which is quarantined). */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "InputFileError";
  }
}

/**
 * Streams the rows of a comma-separated UTF-8 file (gzip-compressed or not, with or without a
 * byte-order mark). Checks that the header holds every required column and fails with the names of
 * the missing ones otherwise. Memory stays bounded by one row.
 */
export async function* readCsvRows(file: string, requiredColumns: readonly string[]): AsyncGenerator<CsvRow, void, undefined> {
  const source = createReadStream(file);
  const input = (await isGzip(file)) ? source.pipe(createGunzip()) : source;
  const parser = input.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }),
  );
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record;
        const missing = requiredColumns.filter((c) => !header!.includes(c));
        if (missing.length > 0) {
          throw new InputFileError(file, `missing required column(s) ${missing.join(", ")}; the header has ${header.join(", ")}`);
        }
        continue;
      }
      const fields = header;
      const keyed = record.length === fields.length ? Object.fromEntries(fields.map((name, i) => [name, record[i]!])) : undefined;
      yield { line: info.lines, record: keyed, raw: record };
    }
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(file, `cannot be parsed as CSV: ${(error as Error).message}`);
  } finally {
    source.destroy();
  }
  if (!header) throw new InputFileError(file, "is empty: no header row");
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
