import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import iconv from "iconv-lite";
import type { SourceDescription } from "./source-description.ts";

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
 * Opens an input file as a stream of text: gzip is recognised by its magic bytes whatever the file
 * is called, the source's encoding is decoded (Windows-1257 is common in Lithuanian exports), and
 * invalid UTF-8 becomes U+FFFD so the rows that hold it can be quarantined while the rest are kept.
 * Archives that are not a text table (ZIP, an Excel workbook) are refused with what to do instead.
 */
export async function openTextInput(file: string, encoding: SourceDescription["encoding"]): Promise<Readable> {
  const bytes = await openByteInput(file);
  if (encoding === "utf-8") return bytes.setEncoding("utf8");
  return bytes.pipe(iconv.decodeStream(encoding)) as unknown as Readable;
}

/** The file's bytes, gunzipped when they are gzip, after the same checks as openTextInput. */
export async function openByteInput(file: string, highWaterMark?: number): Promise<Readable> {
  const magic = await firstBytes(file, 4);
  if (magic.length === 0) throw new InputFileError(file, "is empty (0 bytes)");
  if (magic[0] === 0x50 && magic[1] === 0x4b && magic[2] === 0x03 && magic[3] === 0x04) {
    throw new InputFileError(file, "is a ZIP archive (an Excel workbook?); export the sheet as CSV or unzip it first");
  }
  const raw = createReadStream(file, { highWaterMark });
  return magic[0] === 0x1f && magic[1] === 0x8b ? raw.pipe(createGunzip()) : raw;
}

/** The first `n` bytes of a file (fewer when it is shorter), for its magic number. */
export async function firstBytes(file: string, n: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(n), 0, n, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
