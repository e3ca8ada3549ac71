import { open, stat } from "node:fs/promises";
import { tmpdir, totalmem } from "node:os";
import { basename, join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlLiteral } from "../duckdb/connection.ts";
import type { MunicipalityRings } from "../geo/municipality-index.ts";
import { IncidentStage } from "../lake/write-incidents.ts";
import { hashString } from "./content-hash.ts";
import { ChunkBuffers, csvChunks, type CsvChunk } from "./csv-chunks.ts";
import { CsvReaders, type ReadResult } from "./csv-readers.ts";
import { isBlank } from "./csv-records.ts";
import { NotFastCsv, splitLine, type CsvLayout } from "./fast-csv.ts";
import { finishBatch, indexRecord, type IndexSettings } from "./index-record.ts";
import type { IngestOptions } from "./ingest-options.ts";
import { IngestSink } from "./ingest-sink.ts";
import { FileDigest, openByteInput } from "./open-input.ts";
import { QualityTally } from "./quality-report.ts";
import { BatchBuilder } from "./batch-builder.ts";
import { checkHeader, readRecords } from "./read-records.ts";
import { requiredColumns } from "./source-description.ts";

/** A file's rows in DuckDB, with their accounting, ready for the repeated-id check and the partitions. */
export interface Staged {
  stage: IncidentStage;
  tally: QualityTally;
  sink: IngestSink;
  /** SHA-256 of the file's bytes where the read took it on the way (the fast CSV path), else undefined. */
  sha256?: string;
}

/**
 * The share of the process's memory the staging database may hold before it spills to disk. The rest
 * is Node's own: its heap (the quarantine list, the partitions' aggregates), the CSV reader threads'
 * chunks and DuckDB's overhead past its limit. A 10 M-row history peaked at about 2.5 GB with the
 * database capped at 1,500 MB (infra/README.md, "Sizing"), so about 1 GB was the rest's: 45 % of the
 * default 2,048 MB function (921 MiB) leaves it 1.1 GB.
 */
const STAGING_MEMORY_SHARE = 0.45;

/**
 * Outside a Lambda function, the staging database holds at most this much before it spills: a
 * workstation shares its memory with the analyst's other programs, and a history of any size should
 * run in a bounded footprint (issue 19: the 40 M-row bench under 4 GiB; at 45 % of a 24 GiB machine,
 * 10.8 GB, it peaked at over 6.5 GB). Spilling costs disk writes, not correctness. A function's
 * memory is sized for its work by whoever deploys it, so there the share alone applies.
 */
const WORKSTATION_STAGING_MIB = 2048;

/**
 * DuckDB's staging memory limit: HOTSPOTS_DUCKDB_MEMORY when set, else STAGING_MEMORY_SHARE of the
 * memory the process may use — a Lambda function's configured memory (AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
 * MB), else `availableMiB` (the cgroup's limit, else the machine's) up to WORKSTATION_STAGING_MIB. A fixed default larger than the
 * function (3,000 MB in 2,048 MB) got the process killed before DuckDB spilled.
 */
export function stagingMemoryLimit(env: NodeJS.ProcessEnv, availableMiB: number): string {
  if (env.HOTSPOTS_DUCKDB_MEMORY) return env.HOTSPOTS_DUCKDB_MEMORY;
  const lambda = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  const inLambda = Number.isFinite(lambda) && lambda > 0;
  const share = (inLambda ? lambda : availableMiB) * STAGING_MEMORY_SHARE;
  return `${Math.max(64, Math.floor(inLambda ? share : Math.min(share, WORKSTATION_STAGING_MIB)))}MiB`;
}

/** The memory this process may use, in MiB: the cgroup's limit where there is one (a container), else the machine's. */
function availableMemoryMiB(): number {
  const total = totalmem();
  // 0 or undefined (Node 20) when unconstrained; some kernels report an "unlimited" far above the machine.
  const limit = process.constrainedMemory?.() ?? 0;
  return (limit > 0 && limit < total ? limit : total) / 2 ** 20;
}

/** DuckDB's spill folder, `<tmpdir>/hotspots-duckdb-<pid>`: removed by the Lambda handler when a killed invocation left one. */
export const SPILL_FOLDER_PREFIX = "hotspots-duckdb-";

/**
 * DuckDB settings for staging: one thread, and a memory limit past which the staged rows spill to
 * a temporary folder, so a file far larger than memory can be ingested (stagingMemoryLimit).
 *
 * One thread: the stage's queries are appends, and the month partitions are written by one
 * connection per core side by side (IncidentStage.writeMonths). A database on every core
 * costs CPU for nothing here: on the 1 M bench file (issue 19) the ingest took 20.0–20.6 s of CPU
 * with 2 threads, 17.8–17.9 s with 1 (the two databases of before: 17.4–18.6 s).
 */
export async function configureStaging(connection: DuckDBConnection): Promise<void> {
  await connection.run("SET threads = 1");
  await connection.run(`SET memory_limit = ${sqlLiteral(stagingMemoryLimit(process.env, availableMemoryMiB()))}`);
  await connection.run(`SET temp_directory = ${sqlLiteral(join(tmpdir(), `${SPILL_FOLDER_PREFIX}${process.pid}`))}`);
}

/**
 * Reads, validates and indexes every record of a file into a new stage. CSV in UTF-8 is read by the
 * fast reader, in chunks, in parallel threads; if the file turns out to hold anything that reader
 * does not read exactly like csv-parse (a quote, a carriage return…), the stage is dropped and the
 * file read again from the start by `readRecords`, as is every other file. Either way the rows,
 * their lines and their reasons are the same. `municipalities`: boundaries each row's municipality
 * is checked against (see IndexSettings).
 */
export async function stageFile(connection: DuckDBConnection, file: string, options: IngestOptions, municipalities?: MunicipalityRings): Promise<Staged> {
  const settings: IndexSettings = {
    source: options.source,
    now: options.now ?? Date.now(),
    timeZone: options.timeZone,
    resolution: options.resolution,
    ...(municipalities ? { municipalities } : {}),
  };
  const { source } = options;
  const size = (await stat(file)).size;
  if (options.fastCsv !== false && source.format === "csv" && source.encoding === "utf-8" && source.delimiter !== "\t") {
    const staged = await newStage(connection, file, options, size);
    try {
      const digest = new FileDigest();
      await stageCsvChunks(staged, file, options, settings, size, digest);
      return digest.sha256 === undefined ? staged : { ...staged, sha256: digest.sha256 };
    } catch (error) {
      staged.stage.close();
      if (!(error instanceof NotFastCsv)) throw error;
    }
  }
  const staged = await newStage(connection, file, options, size);
  try {
    await stageRecords(staged, file, options, settings);
  } catch (error) {
    staged.stage.close();
    throw error;
  }
  return staged;
}

async function newStage(connection: DuckDBConnection, file: string, options: IngestOptions, size: number): Promise<Staged> {
  const stage = await IncidentStage.create(connection);
  const tally = new QualityTally();
  const checkIds = options.source.columns.id !== undefined && options.source.repeated_ids === "quarantine";
  return { stage, tally, sink: new IngestSink(stage, tally, basename(file), checkIds, size / 100) };
}

/** The general path: records from readRecords (csv-parse, JSON Lines, GeoJSON), in this thread. */
async function stageRecords({ sink, tally }: Staged, file: string, options: IngestOptions, settings: IndexSettings): Promise<void> {
  const builder = new BatchBuilder(4096);
  const content = { high: 0, low: 0 };
  let started = performance.now();
  for await (const record of readRecords(file, options.source, requiredColumns(options.source))) {
    if ("error" in record) {
      builder.recordRead();
      builder.reject(record.line, record.error.code, record.error.reason, record.raw);
    } else {
      const { fields } = record;
      indexRecord(
        builder,
        settings,
        (column) => fields[column] ?? "",
        record.line,
        () => record.raw,
        hashString(JSON.stringify(fields), content),
      );
    }
    if (builder.pending >= 4096) {
      sink.consume(finishBatch(builder, settings, 0, started), 0);
      options.onProgress?.(tally.rowsRead);
      started = performance.now();
    }
  }
  sink.consume(finishBatch(builder, settings, 0, started), 0);
}

/** The fast path: chunks of whole lines read by CsvReaders, consumed in file order. */
async function stageCsvChunks(
  { sink, tally }: Staged,
  file: string,
  options: IngestOptions,
  settings: IndexSettings,
  size: number,
  digest: FileDigest,
): Promise<void> {
  const threads = options.readers ?? CsvReaders.threadsFor((await isGzip(file)) ? size * 8 : size);
  // 4 MiB chunks keep the reader threads' messages few. Read in this thread (a month's file), chunks of
  // one read of the file (1 MiB) touch far less fresh memory — each chunk's text is a new string, each
  // chunk a buffer — and fresh pages are dear: on the 12 MB month of the 10 M bench this read made
  // 17-19 k page faults instead of 25-27 k, about 0.1 s of CPU at some 18 µs a fault (issue 19).
  const buffers = new ChunkBuffers(options.chunkBytes ?? (threads > 0 ? 4 << 20 : 1 << 20));
  // Ids made from line numbers (no id column) need each chunk's place in the file.
  const chunks = csvChunks(await openByteInput(file, 1 << 20, digest), buffers, options.source.columns.id === undefined);
  const first = await chunks.next();
  if (first.done) throw new NotFastCsv("the file has no text");
  const { layout, lines, rest } = takeHeader(first.value, file, options);
  sink.skipLines(lines);
  const readers = await CsvReaders.start(threads, layout, settings);
  const inflight: Array<{ result: Promise<ReadResult>; chunk: CsvChunk }> = [];
  const send = (chunk: CsvChunk) => {
    const result = readers.read(chunk);
    result.catch(() => undefined); // awaited in order below; this keeps an early failure from counting as unhandled
    inflight.push({ result, chunk });
  };
  const consumeOne = async () => {
    const { result, chunk } = inflight.shift()!;
    const { batch, reader } = await result;
    sink.consume(batch, reader, Buffer.from(chunk.buffer, chunk.start, chunk.end - chunk.start));
    buffers.release(chunk);
    options.onProgress?.(tally.rowsRead);
  };
  try {
    if (rest.end > rest.start) send(rest);
    for await (const chunk of chunks) {
      send(chunk);
      while (inflight.length >= 2 * readers.parallelism) await consumeOne();
    }
    while (inflight.length > 0) await consumeOne();
  } finally {
    await readers.close();
  }
}

/**
 * The header of a CSV read in chunks: the first line that is not blank, split and checked as
 * csv-parse and readRecords would (same refusals). Returns the rest of the chunk after it and the
 * number of lines it took.
 */
function takeHeader(chunk: CsvChunk, file: string, options: IngestOptions): { layout: CsvLayout; lines: number; rest: CsvChunk } {
  const bytes = Buffer.from(chunk.buffer, chunk.start, chunk.end - chunk.start);
  let lineStart = 0;
  for (let line = 1; lineStart < bytes.length; line++) {
    let end = bytes.indexOf(0x0a, lineStart);
    if (end < 0) end = bytes.length;
    const text = bytes.toString("utf8", lineStart, end);
    if (!isBlank(text, 0, text.length)) {
      const header = splitLine(text, 0, text.length, options.source.delimiter.charCodeAt(0));
      checkHeader(file, header, requiredColumns(options.source), options.source.delimiter);
      const next = Math.min(end + 1, bytes.length);
      const rest = { buffer: chunk.buffer, start: chunk.start + next, end: chunk.end, lineBase: chunk.lineBase < 0 ? -1 : chunk.lineBase + line };
      return { layout: { header, delimiter: options.source.delimiter }, lines: line, rest };
    }
    lineStart = end + 1;
  }
  throw new NotFastCsv("no header in the first chunk");
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const { buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
