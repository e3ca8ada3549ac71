import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { startThread, threadModule, type ThreadModule } from "../workers/thread-module.ts";
import type { CsvChunk } from "./csv-chunks.ts";
import { NotFastCsv, readCsvChunk, type CsvLayout } from "./fast-csv.ts";
import type { IndexSettings } from "./index-record.ts";
import { BatchBuilder } from "./batch-builder.ts";
import type { RecordBatch } from "./record-batch.ts";

/** A batch and the reader that made it (each reader has its own dictionary). */
export interface ReadResult {
  batch: RecordBatch;
  reader: number;
}

/**
 * The reader thread's module: the TypeScript source beside this file, or — in the Lambda bundle, where
 * this code is part of `index.mjs` — `csv-reader-worker.mjs` beside the bundle (bundled as a second
 * entry point by infra/lib/etl-bundling.ts).
 */
const WORKER_SOURCE = new URL("./csv-reader-worker.ts", import.meta.url);
const WORKER_BUNDLED = new URL("./csv-reader-worker.mjs", import.meta.url);

/**
 * The threads that read chunks of a CSV file in parallel (parsing, validation, time and coordinate
 * checks, calendar months, H3 indexing: the CPU-bound part of an ingest). With `count` 0 — or where
 * threads cannot be started (no reader module beside this one, or TypeScript without tsx) — chunks are
 * read in this thread by the same code. Results are returned per chunk; the caller consumes them in
 * file order.
 */
export class CsvReaders {
  private static started = 0;
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (r: ReadResult) => void; reject: (e: Error) => void; reader: number }>();
  private readonly load: number[] = [];
  private local: BatchBuilder | undefined;
  private seq = 0;
  private failure: Error | undefined;
  private closing = false;

  private constructor(
    private readonly layout: CsvLayout,
    private readonly settings: IndexSettings,
  ) {}

  /** Starts up to `count` reader threads (0: read in this thread). */
  static async start(count: number, layout: CsvLayout, settings: IndexSettings): Promise<CsvReaders> {
    const readers = new CsvReaders(layout, settings);
    const module = count > 0 ? readerModule() : undefined;
    if (!module) {
      readers.local = new BatchBuilder(16_384);
      return readers;
    }
    await Promise.all(Array.from({ length: count }, (_, i) => readers.spawn(i, module)));
    return readers;
  }

  /**
   * How many reader threads pay off for `textBytes` of CSV text: one per core from 64 MiB, otherwise
   * none. Each thread compiles the reader cold (from TypeScript sources it also loads tsx first), which
   * a month's export does not repay: bundled as the Lambda runs it, the 10 M bench's next month (12 MB,
   * 83 k rows) read in two threads took 1.1 s against 0.58 s in this one, and the whole +1 month 7.8 s
   * of CPU against 6.3 (1 M lake, three runs each, twice, alternating; load 1.4-2). A thread reads about
   * 30 MiB of text a second. `HOTSPOTS_READER_THREADS_FROM_MIB` sets another size (tests, or a machine
   * of other cores).
   */
  static threadsFor(textBytes: number): number {
    if (readerModule() === undefined) return 0;
    return textBytes > readerThreadsFromBytes() ? availableParallelism() : 0;
  }

  /**
   * Reader threads this process has started so far, a diagnostic: the difference across an ingest
   * says whether it read in parallel (0: in the main thread — a small file, not plain CSV, or no
   * reader module available, as in a bundle built without it).
   */
  static get threadsStarted(): number {
    return CsvReaders.started;
  }

  /** How many chunks may be in flight before the caller waits for results. */
  get parallelism(): number {
    return Math.max(1, this.workers.length);
  }

  /** Reads one chunk; rejects with NotFastCsv where the fast reader cannot read it. */
  read(chunk: CsvChunk): Promise<ReadResult> {
    if (this.local) {
      try {
        const bytes = Buffer.from(chunk.buffer, chunk.start, chunk.end - chunk.start);
        return Promise.resolve({ batch: readCsvChunk(bytes, this.layout, this.settings, this.local, chunk.lineBase), reader: 0 });
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.seq++;
    let reader = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[reader]!) reader = i;
    this.load[reader]!++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject, reader });
      this.workers[reader]!.postMessage({ seq, buffer: chunk.buffer, start: chunk.start, end: chunk.end, lineBase: chunk.lineBase });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private spawn(index: number, module: ThreadModule): Promise<void> {
    const worker = startThread(module, { layout: this.layout, settings: this.settings }, { maxYoungGenerationSizeMb: 64 });
    this.workers[index] = worker;
    this.load[index] = 0;
    return new Promise((ready, failed) => {
      worker.on("message", (m: { ready?: true; seq: number; batch?: RecordBatch; error?: { notFast: boolean; message: string; stack?: string } }) => {
        if (m.ready) {
          CsvReaders.started++;
          return ready();
        }
        const job = this.pending.get(m.seq)!;
        this.pending.delete(m.seq);
        this.load[job.reader]!--;
        if (m.batch) job.resolve({ batch: m.batch, reader: job.reader });
        else job.reject(m.error!.notFast ? new NotFastCsv(m.error!.message) : Object.assign(new Error(m.error!.message), { stack: m.error!.stack }));
      });
      const fail = (error: Error) => {
        this.failure ??= error;
        failed(error);
        for (const job of this.pending.values()) job.reject(error);
        this.pending.clear();
      };
      worker.on("error", fail);
      worker.on("exit", (code) => {
        if (!this.closing) fail(new Error(`a CSV reader thread stopped (exit code ${code})`));
      });
    });
  }
}

/** The text size from which reader threads start (see CsvReaders.threadsFor). */
function readerThreadsFromBytes(): number {
  const given = process.env.HOTSPOTS_READER_THREADS_FROM_MIB;
  if (given === undefined || given === "") return 64 << 20;
  const mib = Number(given);
  if (!(Number.isFinite(mib) && mib >= 0)) throw new Error(`HOTSPOTS_READER_THREADS_FROM_MIB must be a number of MiB ≥ 0, got '${given}'`);
  return mib * 1024 * 1024;
}

/** The reader thread's module (undefined: read in the calling thread). */
function readerModule(): ThreadModule | undefined {
  return threadModule(WORKER_SOURCE, WORKER_BUNDLED);
}
