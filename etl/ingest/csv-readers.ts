import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
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

const WORKER = new URL("./csv-reader-worker.ts", import.meta.url);

// Runs the reader module in a worker thread; from TypeScript sources the thread first registers tsx,
// as bin/hotspots.js does for the main thread (worker threads do not inherit loader hooks).
const BOOTSTRAP = `const { workerData } = require("node:worker_threads");
(async () => { if (workerData.tsx) (await import(workerData.tsx)).register(); await import(workerData.module); })();`;

/**
 * The threads that read chunks of a CSV file in parallel (parsing, validation, time and coordinate
 * checks, calendar months, H3 indexing: the CPU-bound part of an ingest). With `count` 0 — or where
 * threads cannot be started, e.g. in a bundle without the worker module — chunks are read in this
 * thread by the same code. Results are returned per chunk; the caller consumes them in file order.
 */
export class CsvReaders {
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
    const tsx = count > 0 ? tsxLoader() : null;
    if (count === 0 || tsx === undefined || !existsSync(fileURLToPath(WORKER))) {
      readers.local = new BatchBuilder(16_384);
      return readers;
    }
    await Promise.all(Array.from({ length: count }, (_, i) => readers.spawn(i, tsx)));
    return readers;
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
        return Promise.resolve({ batch: readCsvChunk(bytes, bytes.toString("utf8"), this.layout, this.settings, this.local), reader: 0 });
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
      this.workers[reader]!.postMessage({ seq, buffer: chunk.buffer, start: chunk.start, end: chunk.end });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private spawn(index: number, tsx: string | null): Promise<void> {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { tsx, module: WORKER.href, layout: this.layout, settings: this.settings }, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    this.workers[index] = worker;
    this.load[index] = 0;
    return new Promise((ready, failed) => {
      worker.on("message", (m: { ready?: true; seq: number; batch?: RecordBatch; error?: { notFast: boolean; message: string; stack?: string } }) => {
        if (m.ready) return ready();
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

/** The tsx loader to register in reader threads: null when running compiled JavaScript, undefined when unavailable. */
function tsxLoader(): string | null | undefined {
  if (!WORKER.pathname.endsWith(".ts")) return null;
  try {
    const api = createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs");
    return existsSync(api) ? pathToFileURL(api).href : undefined;
  } catch {
    return undefined;
  }
}
