import type { Readable } from "node:stream";
import { HARD_RECORD_CHARS } from "./read-records.ts";
import { NotFastCsv } from "./fast-csv.ts";

/** Bytes [start, end) of a buffer shared with the reader threads: whole lines of the file. */
export interface CsvChunk {
  buffer: SharedArrayBuffer;
  start: number;
  end: number;
  /** Lines of the file before the chunk's first line, or −1 where they were not counted. */
  lineBase: number;
}

/**
 * Buffers for chunks, reused once their chunk is consumed (`release`): allocating and zeroing a
 * fresh buffer per chunk costs more than reading it.
 */
export class ChunkBuffers {
  private readonly free: SharedArrayBuffer[] = [];

  constructor(readonly size: number) {}

  /** A buffer of at least `bytes`. */
  take(bytes: number): Buffer {
    const reuse = this.free.findIndex((b) => b.byteLength >= bytes);
    return Buffer.from(reuse >= 0 ? this.free.splice(reuse, 1)[0]! : new SharedArrayBuffer(Math.max(bytes, 2 * this.size)));
  }

  /** Gives back the buffer of a consumed chunk. */
  release(chunk: CsvChunk): void {
    if (this.free.length < 16) this.free.push(chunk.buffer);
  }
}

/**
 * Cuts a CSV byte stream into chunks of about `size` bytes for the fast reader, each ending after a
 * line that is not blank (blank lines belong to the next record, so they travel with it). The UTF-8
 * byte-order mark is dropped, as csv-parse drops it. Memory stays at a few chunks whatever the file's
 * size. Throws NotFastCsv at the first quote character or carriage return (the fast reader does not
 * read those) and at a line longer than csv-parse would hold. With `countLines`, each chunk says how
 * many lines of the file come before it (for ids made from the file's line numbers); counting costs a
 * pass over the bytes in this thread, so it is asked for only where needed.
 */
export async function* csvChunks(bytes: Readable, buffers: ChunkBuffers, countLines = false): AsyncGenerator<CsvChunk> {
  const size = buffers.size;
  let lines = 0;
  const chunk = (buffer: Buffer, start: number, end: number): CsvChunk => {
    const lineBase = countLines ? lines : -1;
    if (countLines) lines += newlines(buffer, start, end);
    return { buffer: buffer.buffer as SharedArrayBuffer, start, end, lineBase };
  };
  let buffer = buffers.take(2 * size);
  let start = 0;
  let length = 0;
  let first = true;
  for await (const piece of bytes as AsyncIterable<Buffer>) {
    if (piece.indexOf(0x22) >= 0) throw new NotFastCsv("the file has quote characters");
    if (piece.indexOf(0x0d) >= 0) throw new NotFastCsv("the file has carriage returns");
    if (length + piece.length > buffer.length) {
      if (length - start + piece.length > HARD_RECORD_CHARS + size) throw new NotFastCsv("a line is longer than csv-parse holds");
      const next = buffers.take(2 * (length - start + piece.length));
      buffer.copy(next, 0, start, length);
      length -= start;
      start = 0;
      buffer = next;
    }
    piece.copy(buffer, length);
    length += piece.length;
    if (first && length >= 3) {
      if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) start = 3;
      first = false;
    }
    if (length - start < size) continue;
    const cut = cutAfterRecord(buffer, start, length);
    if (cut < 0) continue;
    yield chunk(buffer, start, cut);
    // The rest moves to another buffer: the reader threads may still be reading this one.
    const next = buffers.take(2 * (length - cut));
    buffer.copy(next, 0, cut, length);
    length -= cut;
    start = 0;
    buffer = next;
  }
  if (first && length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) start = 3;
  if (length > start) yield chunk(buffer, start, length);
}

/** The line feeds in buffer[start, end). */
function newlines(buffer: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = buffer.indexOf(0x0a, start); i >= 0 && i < end; i = buffer.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** The offset just after the last line in [start, end) that ends with a newline and is not blank, or −1. */
function cutAfterRecord(buffer: Buffer, start: number, end: number): number {
  let newline = buffer.lastIndexOf(0x0a, end - 1);
  while (newline >= start) {
    const previous = newline > start ? buffer.lastIndexOf(0x0a, newline - 1) : -1;
    const lineStart = Math.max(previous + 1, start);
    for (let i = lineStart; i < newline; i++) {
      const c = buffer[i]!;
      if (c !== 0x20 && c !== 0x09 && c !== 0x0b && c !== 0x0c) return newline + 1;
    }
    if (previous < start) return -1;
    newline = previous;
  }
  return -1;
}
