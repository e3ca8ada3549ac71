import { DOUBLE, DuckDBDataChunk, INTEGER, TINYINT, UBIGINT, UINTEGER, VARCHAR, type DuckDBAppender, type DuckDBConnection } from "@duckdb/node-api";
import { sqlLiteral } from "../duckdb/connection.ts";
import { TEXT_COUNT, type RecordBatch } from "../ingest/record-batch.ts";
import { fillVector, readVector } from "./duckdb-columns.ts";

const TABLE = "stage_incidents";
// id, occurred_ms, the TEXT_FIELDS codes, h3 cell, lat, lon, source_line, record hash, ambiguous (1: the autumn overlap).
const TYPES = [VARCHAR, DOUBLE, UINTEGER, UINTEGER, UINTEGER, UINTEGER, UINTEGER, UINTEGER, UINTEGER, UBIGINT, DOUBLE, DOUBLE, INTEGER, UBIGINT, TINYINT];
const CHUNK_ROWS = 2048;
/** Appends of one reused chunk (see chunkOf): its string heap stays at a few hundred KiB. */
const CHUNK_REUSES = 32;

/**
 * Kept incidents staged in one DuckDB database, in columns: texts as codes of the file's dictionary,
 * the time as epoch milliseconds, the H3 cell as its 64-bit index, and the record hash the
 * repeated-id check uses. DuckDB holds them (spilling past its memory limit), never JavaScript.
 */
export class IncidentRows {
  private readonly scratch = {
    text: Array.from({ length: TEXT_COUNT }, () => new Uint32Array(CHUNK_ROWS)),
    line: new Int32Array(CHUNK_ROWS),
    occurredAt: new Float64Array(CHUNK_ROWS),
    lat: new Float64Array(CHUNK_ROWS),
    lon: new Float64Array(CHUNK_ROWS),
    cell: new BigUint64Array(CHUNK_ROWS),
    hash: new BigUint64Array(CHUNK_ROWS),
    ambiguous: new Int8Array(CHUNK_ROWS),
    ids: new Array<string>(CHUNK_ROWS),
  };
  /** Rows of `scratch` filled and not yet appended. */
  private filled = 0;

  private constructor(
    readonly connection: DuckDBConnection,
    private readonly appender: DuckDBAppender,
  ) {}

  static async create(connection: DuckDBConnection): Promise<IncidentRows> {
    // No constraints: every value is set, and checking NOT NULL costs a third of appending.
    // A table, not a temporary one: the partition writers' other connections read it too.
    await connection.run(`CREATE OR REPLACE TABLE ${TABLE} (
      id VARCHAR, occurred_ms DOUBLE,
      time_precision UINTEGER, offence_code UINTEGER, offence_category UINTEGER, case_type UINTEGER,
      municipality UINTEGER, locality UINTEGER, month UINTEGER, h3_cell UBIGINT,
      lat DOUBLE, lon DOUBLE, source_line INTEGER, record_hash UBIGINT, ambiguous TINYINT)`);
    return new IncidentRows(connection, await connection.createAppender(TABLE));
  }

  /**
   * Appends the kept rows of a batch. `codes` translates the batch's dictionary indices to the
   * file's, `lineOffset` makes its lines absolute. Rows go to DuckDB in full chunks, across batches
   * (see chunkOf); `close` appends the last, partial one.
   */
  append(batch: RecordBatch, codes: Uint32Array, lineOffset: number): void {
    const s = this.scratch;
    const cells = new BigUint64Array(batch.cell.buffer, batch.cell.byteOffset, batch.kept);
    const hashes = new BigUint64Array(batch.contentHash.buffer, batch.contentHash.byteOffset, batch.kept);
    for (let i = 0, at = 0; i < batch.kept; i++) {
      const r = this.filled++;
      const t = i * TEXT_COUNT;
      for (let k = 0; k < TEXT_COUNT; k++) s.text[k]![r] = codes[batch.text[t + k]!]!;
      s.line[r] = batch.line[i]! + lineOffset;
      s.occurredAt[r] = batch.occurredAt[i]!;
      s.lat[r] = batch.lat[i]!;
      s.lon[r] = batch.lon[i]!;
      s.cell[r] = cells[i]!;
      s.hash[r] = hashes[i]!;
      s.ambiguous[r] = batch.ambiguous[i]!;
      s.ids[r] = batch.ids.slice(at, (at += batch.idLengths[i]!));
      if (this.filled === CHUNK_ROWS) this.appendFilled();
    }
  }

  /** Appends the rows filled so far as one chunk. */
  private appendFilled(): void {
    const n = this.filled;
    if (n === 0) return;
    const s = this.scratch;
    const chunk = this.chunkOf(n);
    const ids = chunk.getColumnVector(0);
    for (let r = 0; r < n; r++) ids.setItem(r, s.ids[r]!);
    ids.flush();
    [s.occurredAt, ...s.text, s.cell, s.lat, s.lon, s.line, s.hash, s.ambiguous].forEach((v, c) => fillVector(chunk.getColumnVector(c + 1), v, n));
    this.appender.appendDataChunk(chunk);
    this.filled = 0;
  }

  private full: { chunk: DuckDBDataChunk; uses: number } | undefined;

  /**
   * A data chunk of `n` rows to fill. A full one is reused (the appender copies what it appends):
   * making a chunk's column vectors costs about 0.1 ms each, some 70 ms for the 83 k rows of the
   * 10 M bench's month when every batch made its own chunks (issue 19). Every value of a reused
   * chunk is set again before it is appended; it is replaced now and then, since each id set adds
   * to its string heap.
   */
  private chunkOf(n: number): DuckDBDataChunk {
    if (n < CHUNK_ROWS) return DuckDBDataChunk.create(TYPES, n);
    if (!this.full || this.full.uses === CHUNK_REUSES) this.full = { chunk: DuckDBDataChunk.create(TYPES, CHUNK_ROWS), uses: 0 };
    this.full.uses++;
    return this.full.chunk;
  }

  /** Ends appending; call before any query. */
  close(): void {
    this.appendFilled();
    this.appender.closeSync();
  }

  /** Removes the rows whose lines are in column `line` of `table` (rows moved to the quarantine). */
  async deleteLines(table: string): Promise<void> {
    await this.connection.run(`DELETE FROM ${TABLE} WHERE source_line IN (SELECT line FROM ${table})`);
  }

  /** Visits the staged rows' coordinates, a chunk at a time (an ingest judges their precision on them). */
  async forEachPosition(visit: (lat: Float64Array, lon: Float64Array) => void): Promise<void> {
    const result = await this.connection.run(`SELECT lat, lon FROM ${TABLE}`);
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const [lat, lon] = [0, 1].map((c) => {
        const into = new Float64Array(chunk.rowCount);
        readVector(chunk.getColumnVector(c), into, 0, chunk.rowCount);
        return into;
      }) as [Float64Array, Float64Array];
      visit(lat, lon);
    }
  }

  /** First and last instant and the coordinate bounds of the staged rows (null: none). */
  async extent(): Promise<{ first: number; last: number; west: number; east: number; south: number; north: number } | null> {
    const reader = await this.connection.runAndReadAll(`SELECT min(occurred_ms), max(occurred_ms), min(lon), max(lon), min(lat), max(lat) FROM ${TABLE}`);
    const row = reader.getRowsJS()[0]!;
    if (row[0] === null) return null;
    const [first, last, west, east, south, north] = row.map(Number) as [number, number, number, number, number, number];
    return { first, last, west, east, south, north };
  }

  /** The connections whose `stage_strings` variable holds the current dictionary (see writeMonth). */
  private dictionaryOn = new WeakSet<DuckDBConnection>();

  /** Makes the file's dictionary (code → text) available to `writeMonth`, on every connection. */
  async setDictionary(texts: readonly string[]): Promise<void> {
    this.dictionaryOn = new WeakSet();
    await this.connection.run("CREATE OR REPLACE TABLE stage_strings (ix UINTEGER, text VARCHAR)");
    const appender = await this.connection.createAppender("stage_strings");
    texts.forEach((text, i) => {
      appender.appendUInteger(i);
      appender.appendVarchar(text);
      appender.endRow();
    });
    appender.closeSync();
  }

  /**
   * Writes one month's rows to `path` (a staged temporary file: see LakeTransaction) on
   * `connection` (this database's, any), ordered by id and line so that the same rows always give
   * the same bytes. `inOrder` says the rows were appended in that order already, so the scan's
   * order is used instead of a sort (same rows, same bytes). The month is the Hive partition key, so
   * it is not stored in the file.
   */
  async writeMonth(connection: DuckDBConnection, month: number, path: string, inOrder: boolean, constants: { source: string; file: string }): Promise<void> {
    // A variable is the connection's: each writer's connection reads the one dictionary table, once
    // per dictionary, not once per month (1.2-1.6 ms of CPU a time: 0.15 s for 120 months).
    if (!this.dictionaryOn.has(connection)) {
      await connection.run("SET VARIABLE stage_strings = (SELECT coalesce(list(text ORDER BY ix), []::VARCHAR[]) FROM stage_strings)");
      this.dictionaryOn.add(connection);
    }
    const text = (column: string) => `getvariable('stage_strings')[${column} + 1] AS ${column}`;
    await connection.run(
      `COPY (SELECT id, timezone('UTC', epoch_ms(occurred_ms::BIGINT)) AS occurred_at,
                    ${text("time_precision")}, ${text("offence_code")}, ${text("offence_category")}, ${text("case_type")},
                    lat, lon, ${text("municipality")}, ${text("locality")},
                    $source AS source, format('{:x}', h3_cell) AS h3_cell, $file AS source_file, source_line
               FROM ${TABLE} WHERE month = $month${inOrder ? "" : " ORDER BY id, source_line"})
         TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`,
      { month, ...constants },
    );
  }
}
