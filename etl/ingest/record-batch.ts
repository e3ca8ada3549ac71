import type { KeptExtent } from "./quality-report.ts";

/** A refused record: its line (relative to the batch, see RecordBatch), reason code, sentence and text. */
export interface BatchRejection {
  line: number;
  code: string;
  reason: string;
  raw: string;
}

/**
 * Records after mapping, validation and indexing, in columns, as a reader thread hands them over:
 * typed arrays for the numbers, one joined string for the ids, and small integers for every other
 * text, indexing a dictionary whose new entries travel with the batch (`strings`, in index order).
 * Lines are relative to the batch's first line; the consumer, which sees batches in file order, adds
 * the offset. `rawStart`/`rawEnd` locate each kept record's text in the chunk it came from (fast CSV
 * reader; other readers keep the text in `raws`), so that the rare row quarantined later as a repeat
 * can be quoted.
 */
export interface RecordBatch {
  /** Records read (kept + refused), for the row accounting. */
  records: number;
  /** Lines (records and blank lines) the batch's text spans; the next batch starts after them. */
  lines: number;
  kept: number;
  line: Int32Array;
  occurredAt: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
  /** Dictionary indices of the texts (TEXT_FIELDS, row by row). */
  text: Uint32Array;
  /** H3 cell of each record as its 64-bit index: low and high halves, i.e. a little-endian BigUint64Array's bytes. */
  cell: Uint32Array;
  ambiguous: Uint8Array;
  /** 64-bit hash of the id (high, low) and of the whole record (low, high: little-endian 64-bit). */
  idHash: Uint32Array;
  contentHash: Uint32Array;
  /** Where each kept record's text (blank lines before it included) starts and ends, in bytes of its chunk. */
  rawStart: Int32Array;
  rawEnd: Int32Array;
  ids: string;
  idLengths: Uint32Array;
  /** Text of each kept record, when the reader has it as a string anyway (csv-parse, JSON): else empty. */
  raws: string[];
  strings: string[];
  rejections: BatchRejection[];
  /** Seconds spent indexing (H3) and on everything else, in the thread that made the batch. */
  h3Seconds: number;
  readSeconds: number;
  /** What the kept records add to the row accounting, summed in the reader thread. */
  summary: BatchSummary;
}

/**
 * A batch's kept records summarised: time range, coordinate bounds, ambiguous times, counts per time
 * precision and per month (dictionary codes), and per month whether its records came ordered by
 * (id, line), with the first and last of them — so that the consumer need not look at every record.
 */
export interface BatchSummary extends KeptExtent {
  precision: Array<[code: number, count: number]>;
  months: Array<{ code: number; count: number; inOrder: boolean; firstId: string; firstLine: number; lastId: string; lastLine: number }>;
}

/** Texts per kept record in `RecordBatch.text`, in this order. */
export const TEXT_FIELDS = ["time_precision", "offence_code", "offence_category", "case_type", "municipality", "locality", "month"] as const;
export const TEXT_COUNT = TEXT_FIELDS.length;

/** The transferable buffers of a batch (posted between threads without copying). */
export function batchBuffers(b: RecordBatch): ArrayBuffer[] {
  return [b.line, b.occurredAt, b.lat, b.lon, b.text, b.cell, b.ambiguous, b.idHash, b.contentHash, b.rawStart, b.rawEnd, b.idLengths].map(
    (a) => a.buffer as ArrayBuffer,
  );
}
