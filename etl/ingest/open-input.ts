import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { PassThrough, Transform, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import iconv from "iconv-lite";
import type { SourceDescription } from "./source-description.ts";

/**
 * The file cannot be read as a table at all (as opposed to one bad row, which is quarantined); the
 * lake is never changed. `reason` is what is wrong with the file, true wherever it is ingested;
 * `advice` what to do about it on the command line (its options, local paths and tools). The message
 * is the CLI's: file, reason and advice, laid out by `layout` (the reason's clause, then "; " and the
 * advice, unless told otherwise). The Lambda keeps the reason and gives its own advice
 * (handlers/upload-errors.ts), which is why the two are kept apart.
 */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly advice?: string,
    layout: (reason: string, advice: string) => string = (r, a) => `${r}; ${a}`,
  ) {
    super(`${file}: ${advice === undefined ? reason : layout(reason, advice)}`);
    this.name = "InputFileError";
  }
}

/**
 * Opens an input file as a stream of text: gzip is recognised by its magic bytes whatever the file
 * is called, the source's encoding is decoded (Windows-1257 is common in Lithuanian exports), and
 * invalid UTF-8 becomes U+FFFD so the rows that hold it can be quarantined while the rest are kept.
 * Files that are not text (a ZIP, an Excel workbook: see xlsx-rows.ts) are refused with what to do instead.
 */
export async function openTextInput(file: string, encoding: SourceDescription["encoding"]): Promise<Readable> {
  const bytes = await openByteInput(file);
  if (encoding === "utf-8") return bytes.setEncoding("utf8");
  const text = bytes.pipe(iconv.decodeStream(encoding)) as unknown as Readable;
  // pipe() passes no error on: a cut gzip's InputFileError would be thrown with no listener (q5 #8).
  bytes.on("error", (error) => text.destroy(error));
  text.on("close", () => bytes.destroy());
  return text;
}

/**
 * Refuses a path that is not a readable file before anything else looks at it (a directory gave
 * `EISDIR … read` with no file name), saying what to give instead.
 */
export async function checkInputFile(file: string): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputFileError(file, "does not exist", "check the path (relative paths start in the current folder)");
    throw new InputFileError(file, `cannot be read (${code ?? (error as Error).message})`, "check the path and its permissions");
  }
  if (info.isDirectory()) throw new InputFileError(file, "is a folder, not an export file", "give the files in it (e.g. FOLDER/*.csv)");
  if (!info.isFile()) throw new InputFileError(file, "is not a regular file (a pipe or device?)", "save the export to a file and give that");
}

/**
 * SHA-256 of a file's bytes (as stored: gzip compressed, if it is), taken as openByteInput reads them,
 * so that the ingest need not read the file a second time for its checksum (on the 83 k-row month of
 * the 10 M bench, 12 MB, that second read took 0.09–0.14 s of CPU; issue 19). Complete only once the
 * file was read to its end: `sha256` is undefined until then.
 */
export class FileDigest {
  private readonly hash = createHash("sha256");
  private hex: string | undefined;

  update(bytes: Buffer): void {
    this.hash.update(bytes);
  }

  end(): void {
    this.hex = this.hash.digest("hex");
  }

  /** The hex SHA-256 of every byte of the file, or undefined while it has not been read to its end. */
  get sha256(): string | undefined {
    return this.hex;
  }
}

/**
 * The file's bytes, gunzipped when they are gzip, after the same checks as openTextInput. `digest`
 * takes every byte read from the file, before gunzipping (see FileDigest).
 */
export async function openByteInput(file: string, highWaterMark?: number, digest?: FileDigest): Promise<Readable> {
  await checkInputFile(file);
  const magic = await firstBytes(file, 8);
  if (magic.length === 0) throw new InputFileError(file, "is empty (0 bytes)");
  await refuseOfficeBinary(file, magic);
  if (magic[0] === 0x50 && magic[1] === 0x4b && magic[2] === 0x03 && magic[3] === 0x04) {
    throw new InputFileError(
      file,
      "is a ZIP archive (an Excel workbook?), not text",
      "for an .xlsx workbook write format: xlsx in the source description (hotspots describe FILE proposes one); any other ZIP: unzip it first",
    );
  }
  const utf16 = utf16Order(magic);
  if (utf16) {
    throw new InputFileError(
      file,
      `is UTF-16 text (${utf16}; its header reads as letters separated by NUL bytes)`,
      `save it as UTF-8 (Excel: "CSV UTF-8"; or iconv -f ${utf16 === "little-endian" ? "UTF-16LE" : "UTF-16BE"} -t UTF-8 FILE > FILE-utf8.csv) and ingest that`,
      (reason, advice) => `${reason}; ${advice}; the lake was not changed`,
    );
  }
  const read = createReadStream(file, { highWaterMark });
  const raw = digest ? digested(read, digest) : read;
  return magic[0] === 0x1f && magic[1] === 0x8b ? gunzipped(file, raw, highWaterMark) : raw;
}

// An OLE2 compound file: an Excel 97–2003 workbook (.xls), or an .xlsx encrypted with a password.
const COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
// The stream an encrypted OOXML file keeps the workbook in, named in the compound file's directory (UTF-16LE).
const ENCRYPTED_PACKAGE = Buffer.from("EncryptedPackage", "utf16le");

/**
 * Refuses an old binary Excel workbook (.xls) or a password-encrypted one, whatever the source's
 * format, saying how to save it so it can be read: neither is a format this reader knows (an encrypted
 * workbook is a compound file whose directory names its EncryptedPackage stream).
 */
export async function refuseOfficeBinary(file: string, magic: Buffer): Promise<void> {
  if (!COMPOUND_FILE.every((b, i) => magic[i] === b)) return;
  if (await holdsBytes(file, ENCRYPTED_PACKAGE)) {
    throw new InputFileError(
      file,
      "is a password-protected (encrypted) Excel workbook, which cannot be read without its password",
      "open it in Excel, remove the password (File › Info › Protect Workbook › Encrypt with Password: clear it) and save it as .xlsx",
      (reason, advice) => `${reason}; ${advice}; the lake was not changed`,
    );
  }
  throw new InputFileError(
    file,
    "is an Excel 97–2003 workbook (.xls, a binary format this reader does not read)",
    'open it in Excel or LibreOffice and save it as "Excel Workbook (.xlsx)" (format: xlsx) or "CSV UTF-8"',
    (reason, advice) => `${reason}; ${advice}; the lake was not changed`,
  );
}

/** Whether `needle` occurs anywhere in the file (read in chunks, overlapping by the needle's length). */
async function holdsBytes(file: string, needle: Buffer): Promise<boolean> {
  let tail = Buffer.alloc(0);
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    const window = Buffer.concat([tail, chunk]);
    if (window.includes(needle)) return true;
    tail = window.subarray(Math.max(0, window.length - needle.length + 1));
  }
  return false;
}

/** `raw`'s bytes, unchanged, each also given to `digest`; the digest ends when `raw` does. */
function digested(raw: Readable, digest: FileDigest): Readable {
  const tap = new Transform({
    transform(bytes: Buffer, _encoding, done) {
      digest.update(bytes);
      done(null, bytes);
    },
    flush(done) {
      digest.end();
      done();
    },
  });
  raw.on("error", (error) => tap.destroy(error));
  tap.on("close", () => raw.destroy());
  return raw.pipe(tap);
}

/**
 * UTF-16 text by its byte-order mark or, without one, by the NUL byte every ASCII character of the
 * header carries (`i\0d\0` or `\0i\0d`); undefined for anything else.
 */
function utf16Order(magic: Buffer): "little-endian" | "big-endian" | undefined {
  if (magic.length < 2) return undefined;
  if (magic[0] === 0xff && magic[1] === 0xfe) return "little-endian";
  if (magic[0] === 0xfe && magic[1] === 0xff) return "big-endian";
  if (magic.length < 4) return undefined;
  if (magic[0] !== 0 && magic[1] === 0 && magic[2] !== 0 && magic[3] === 0) return "little-endian";
  if (magic[0] === 0 && magic[1] !== 0 && magic[2] === 0 && magic[3] !== 0) return "big-endian";
  return undefined;
}

/**
 * The gunzipped bytes of a gzip file; a damaged or cut gzip stream fails with the file's name and what
 * to do, instead of zlib's bare "unexpected end of file".
 */
function gunzipped(file: string, raw: Readable, highWaterMark?: number): Readable {
  const gunzip = createGunzip();
  const out = new PassThrough(highWaterMark ? { highWaterMark } : {});
  raw.on("error", (error) => out.destroy(error));
  gunzip.on("error", (error) =>
    out.destroy(
      new InputFileError(
        file,
        `is damaged gzip (${error.message}): the download was cut or the file corrupted`,
        "download or compress it again (gzip -t FILE tests it)",
        (reason, advice) => `${reason}; ${advice}; the lake was not changed`,
      ),
    ),
  );
  out.on("close", () => {
    raw.destroy();
    gunzip.destroy();
  });
  return raw.pipe(gunzip).pipe(out);
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
