/**
 * A reader thread of the fast CSV path: reads the chunks it is sent (see readCsvChunk) with its own
 * dictionary, and posts each batch back without copying its arrays. Started by CsvReaders: from this
 * source under tsx, or, in the Lambda asset, bundled on its own as `csv-reader-worker.mjs` beside the
 * handler's `index.mjs` (infra/lib/etl-bundling.ts).
 */
import { parentPort, workerData } from "node:worker_threads";
import { NotFastCsv, readCsvChunk, type CsvLayout } from "./fast-csv.ts";
import type { IndexSettings } from "./index-record.ts";
import { BatchBuilder } from "./batch-builder.ts";
import { batchBuffers } from "./record-batch.ts";

const { layout, settings } = workerData as { layout: CsvLayout; settings: IndexSettings };
const builder = new BatchBuilder(16_384);

parentPort!.on("message", (message: { seq: number; buffer: SharedArrayBuffer; start: number; end: number; lineBase: number }) => {
  try {
    const bytes = Buffer.from(message.buffer, message.start, message.end - message.start);
    const batch = readCsvChunk(bytes, layout, settings, builder, message.lineBase);
    parentPort!.postMessage({ seq: message.seq, batch }, batchBuffers(batch));
  } catch (error) {
    const e = error as Error;
    parentPort!.postMessage({ seq: message.seq, error: { notFast: e instanceof NotFastCsv, message: e.message, stack: e.stack } });
  }
});
parentPort!.postMessage({ ready: true });
