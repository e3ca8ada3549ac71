import { createHash } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { sha256Text } from "./atomic-file.ts";

/**
 * The layouts of the root caches (root-caches.ts). Binary: a magic line naming the store, the SHA-256 of
 * everything after it, the header's length (uint32 LE), the header as JSON, then the store's payload
 * (typed arrays as they are). The checksum covers header and payload, so a damaged or half-written
 * file is a miss, never a wrong answer. JSON: sealJson / openJson, the body checksummed likewise.
 */

const DIGEST_BYTES = 32;

/** The parts of a sealed cache file, in order, for one write (writeFile of their concatenation, or writev). */
export function sealCache(magic: string, header: unknown, payload: readonly ArrayBufferView[]): Buffer[] {
  const text = Buffer.from(JSON.stringify(header), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(text.length);
  const parts = payload.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength));
  const hash = createHash("sha256").update(length).update(text);
  for (const part of parts) hash.update(part);
  return [Buffer.from(magic, "latin1"), hash.digest(), length, text, ...parts];
}

/**
 * The header (parsed JSON, for the caller to check) and the payload of a sealed cache file, or null
 * when it is another store's, short, or fails its checksum. A header that is not JSON throws, as any
 * other damage the caller's catch turns into a miss.
 */
export function openCache(bytes: Buffer, magic: string): { header: unknown; payload: Buffer } | null {
  const body = magic.length + DIGEST_BYTES;
  if (bytes.length < body + 4 || bytes.subarray(0, magic.length).toString("latin1") !== magic) return null;
  if (!createHash("sha256").update(bytes.subarray(body)).digest().equals(bytes.subarray(magic.length, body))) return null;
  const headerLength = bytes.readUInt32LE(body);
  const start = body + 4;
  if (start + headerLength > bytes.length) return null;
  return { header: JSON.parse(bytes.subarray(start, start + headerLength).toString("utf8")) as unknown, payload: bytes.subarray(start + headerLength) };
}

/** A sealed cache file opened in place (openSealedFile): its header, and its payload read on demand. */
export interface SealedFile {
  header: unknown;
  payloadBytes: number;
  /**
   * Reads the payload, in order, straight into `into` (views that together span it exactly) and
   * checks the checksum: false when the file is short or fails it (then `into` holds garbage).
   */
  readPayload(into: readonly ArrayBufferView[]): Promise<boolean>;
}

/**
 * The sealed layout of `file` (sealCache) read in place rather than whole: the header first, so the
 * caller can refuse a file of another key before reading its payload, and then the payload straight
 * into the caller's arrays — for a store of tens of megabytes, one allocation instead of the file's
 * bytes and their copies. Null when it is another store's, short, or its header is not JSON.
 */
export async function openSealedFile(file: FileHandle, magic: string): Promise<SealedFile | null> {
  const size = (await file.stat()).size;
  const lead = magic.length + DIGEST_BYTES + 4;
  const prefix = await readAt(file, Buffer.alloc(Math.min(lead, size)), 0);
  if (prefix.length < lead || prefix.subarray(0, magic.length).toString("latin1") !== magic) return null;
  const digest = prefix.subarray(magic.length, magic.length + DIGEST_BYTES);
  const length = prefix.subarray(lead - 4);
  const headerLength = length.readUInt32LE(0);
  if (lead + headerLength > size) return null;
  const text = await readAt(file, Buffer.alloc(headerLength), lead);
  let header: unknown;
  try {
    header = JSON.parse(text.toString("utf8"));
  } catch {
    return null;
  }
  const payloadBytes = size - lead - headerLength;
  return {
    header,
    payloadBytes,
    async readPayload(into) {
      if (into.reduce((sum, view) => sum + view.byteLength, 0) !== payloadBytes) return false;
      const hash = createHash("sha256").update(length).update(text);
      let at = lead + headerLength;
      for (const view of into) {
        const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
        if ((await readAt(file, bytes, at)).length !== bytes.length) return false;
        hash.update(bytes);
        at += bytes.length;
      }
      return hash.digest().equals(digest);
    },
  };
}

/** `into` filled from `file` at `position` as far as the file goes (a shorter view at its end). */
async function readAt(file: FileHandle, into: Buffer, position: number): Promise<Buffer> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await file.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return into.subarray(0, done);
}

type TypedArrayKind<T> = { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number };

/**
 * Reads typed arrays one after another from a sealed file's payload, each copied out (the file's bytes
 * need not be aligned for them). Reading past the end throws; `atEnd` says whether all was read.
 */
export function payloadReader(payload: Buffer): { take<T>(Kind: TypedArrayKind<T>, count: number): T; atEnd(): boolean } {
  let at = 0;
  return {
    take<T>(Kind: TypedArrayKind<T>, count: number): T {
      const size = count * Kind.BYTES_PER_ELEMENT;
      if (!(Number.isSafeInteger(size) && size >= 0 && at + size <= payload.length)) throw new RangeError("short file");
      const array = new Kind(payload.buffer.slice(payload.byteOffset + at, payload.byteOffset + at + size) as ArrayBuffer);
      at += size;
      return array;
    },
    atEnd: () => at === payload.length,
  };
}

/** A JSON root cache as text: `{ sha256, body }`, the body the JSON of `value` and the SHA-256 its checksum. */
export function sealJson(value: unknown): string {
  const body = JSON.stringify(value);
  return JSON.stringify({ sha256: sha256Text(body), body });
}

/** The value sealJson sealed, or undefined when the text fails its checksum; text that is not JSON throws, as other damage. */
export function openJson(text: string): unknown {
  const file = JSON.parse(text) as { sha256?: unknown; body?: unknown };
  return typeof file.body === "string" && sha256Text(file.body) === file.sha256 ? (JSON.parse(file.body) as unknown) : undefined;
}
