import type { DuckDBAppender, DuckDBConnection } from "@duckdb/node-api";
import { sqlLiteral } from "../duckdb/connection.ts";
import type { RecordBatch } from "../ingest/record-batch.ts";
import { IncidentRows } from "./incident-rows.ts";

/** Rows quarantined as repeats, counted by what the tally needs to take back (see IncidentStage.takeRepeats). */
export interface RepeatCounts {
  code: "exact_duplicate" | "repeated_id" | "id_in_other_export";
  month: number;
  precision: number;
  ambiguous: boolean;
  rows: number;
}

/**
 * The staging of one input file: its kept rows in one DuckDB table (see IncidentRows), refused rows
 * and possible repeats with their text beside them. Everything stays in DuckDB, which spills past
 * its memory limit, so a large file never sits in JavaScript memory; the month partitions are then
 * written from it, one COPY per month (see writeMonths).
 */
export class IncidentStage {
  private constructor(
    private readonly rows: IncidentRows,
    private readonly quarantine: DuckDBAppender,
    private readonly suspects: DuckDBAppender,
  ) {}

  static async create(connection: DuckDBConnection): Promise<IncidentStage> {
    await connection.run("CREATE OR REPLACE TEMP TABLE stage_quarantine (file VARCHAR, line INTEGER, code VARCHAR, reason VARCHAR, raw VARCHAR)");
    await connection.run("CREATE OR REPLACE TEMP TABLE stage_suspects (line INTEGER, id VARCHAR, ambiguous BOOLEAN, raw VARCHAR)");
    const rows = await IncidentRows.create(connection);
    return new IncidentStage(rows, await connection.createAppender("stage_quarantine"), await connection.createAppender("stage_suspects"));
  }

  private get connection(): DuckDBConnection {
    return this.rows.connection;
  }

  addQuarantined(file: string, line: number, code: string, reason: string, raw: string): void {
    const a = this.quarantine;
    a.appendVarchar(file);
    a.appendInteger(line);
    a.appendVarchar(code);
    a.appendVarchar(reason);
    a.appendVarchar(raw);
    a.endRow();
  }

  /** A kept row whose id may have been seen before: its text, in case it is quarantined as a repeat. */
  addSuspect(line: number, id: string, ambiguous: boolean, raw: string): void {
    this.suspects.appendInteger(line);
    this.suspects.appendVarchar(id);
    this.suspects.appendBoolean(ambiguous);
    this.suspects.appendVarchar(raw);
    this.suspects.endRow();
  }

  /** Appends a batch's kept rows. `codes` translates the batch's dictionary indices to the file's, `lineOffset` makes its lines absolute. */
  append(batch: RecordBatch, codes: Uint32Array, lineOffset: number): void {
    this.rows.append(batch, codes, lineOffset);
  }

  /** Ends appending (kept rows, refused rows, suspects); call once, before any query. */
  close(): void {
    this.rows.close();
    this.suspects.closeSync();
    this.quarantine.closeSync();
  }

  /**
   * The repeated-id check, exactly, over every staged row whose id a suspect has: per id, the row of
   * the first line is kept; a later row identical to an earlier one (same record hash) is an exact
   * duplicate of the first such line, any other a repeated id. Those rows leave the stage for the
   * quarantine (with the line they repeat); returned are their counts for the tally. All of it runs
   * in SQL: memory stays bounded however many rows repeat.
   */
  async takeRepeats(file: string): Promise<RepeatCounts[]> {
    const c = this.connection;
    await c.run(`CREATE OR REPLACE TEMP TABLE stage_repeats AS
      WITH candidates AS (
        SELECT id, source_line, record_hash, month, time_precision FROM stage_incidents WHERE id IN (SELECT id FROM stage_suspects)),
      grouped AS (
        SELECT *, min(source_line) OVER (PARTITION BY id) AS first_line,
                  min(source_line) OVER (PARTITION BY id, record_hash) AS first_same
          FROM candidates)
      SELECT g.source_line AS line, g.id, g.first_line, g.first_same, g.month, g.time_precision, s.ambiguous, s.raw,
             CASE WHEN g.first_same < g.source_line THEN 'exact_duplicate' ELSE 'repeated_id' END AS code
        FROM grouped g JOIN stage_suspects s ON s.line = g.source_line
       WHERE g.source_line > g.first_line`);
    await c.run(
      `INSERT INTO stage_quarantine
       SELECT $file, line, code,
              CASE WHEN code = 'exact_duplicate' THEN 'identical to line ' || first_same
                   ELSE 'id ' || id || ' was already taken from line ' || first_line || '; this row differs (kept the first)' END,
              raw
         FROM stage_repeats`,
      { file },
    );
    await this.rows.deleteLines("stage_repeats");
    return this.countsOf("stage_repeats", "code");
  }

  /**
   * The first half of the check across exports: the lines of staged rows whose id a row of
   * `files` (other exports' partitions of the same source) holds, ascending. Only partitions
   * whose ids can meet the staged ones are read: the id range is pushed into the Parquet scan, so
   * row groups outside it are skipped by their statistics. The matches wait in `stage_held` for
   * `takeHeld`, with the export, month and line that hold each id.
   */
  async findHeld(files: readonly HeldFile[]): Promise<number[]> {
    const c = this.connection;
    await c.run(
      "CREATE OR REPLACE TEMP TABLE stage_held (line INTEGER, id VARCHAR, month UINTEGER, time_precision UINTEGER, ambiguous TINYINT, held_export VARCHAR, held_month VARCHAR, held_line INTEGER)",
    );
    if (files.length === 0) return [];
    const range = (await c.runAndReadAll("SELECT min(id), max(id) FROM stage_incidents")).getRowsJS()[0]!;
    if (range[0] === null) return [];
    await c.run("CREATE OR REPLACE TEMP TABLE stage_held_files (path VARCHAR, export VARCHAR)");
    const appender = await c.createAppender("stage_held_files");
    for (const f of files) {
      appender.appendVarchar(f.path);
      appender.appendVarchar(f.export);
      appender.endRow();
    }
    appender.closeSync();
    const list = `[${files.map((f) => sqlLiteral(f.path)).join(", ")}]`;
    // One holder per staged row (the first by export, month and line), should a lake from before
    // this check hold an id in two exports.
    await c.run(
      `INSERT INTO stage_held
       SELECT s.source_line, s.id, s.month, s.time_precision, s.ambiguous, f.export, p.month::VARCHAR, p.source_line
         FROM stage_incidents s
         JOIN (SELECT id, month, source_line, filename FROM read_parquet(${list}, filename = true, hive_partitioning = true)
                WHERE id BETWEEN $low AND $high) p ON p.id = s.id
         JOIN stage_held_files f ON f.path = p.filename
       QUALIFY row_number() OVER (PARTITION BY s.source_line ORDER BY f.export, p.month, p.source_line) = 1`,
      { low: String(range[0]), high: String(range[1]) },
    );
    const lines = await c.runAndReadAll("SELECT line FROM stage_held ORDER BY line");
    return lines.getRowsJS().map(([line]) => Number(line));
  }

  /**
   * The second half: the rows `findHeld` found leave the stage for the quarantine as
   * `id_in_other_export`, with the export that holds their id and their text as read (`raws`, one
   * per line found). Returns their counts for the tally and the first row's line and reason.
   */
  async takeHeld(file: string, raws: ReadonlyMap<number, string>): Promise<{ counts: RepeatCounts[]; first?: { line: number; reason: string } }> {
    const c = this.connection;
    await c.run("CREATE OR REPLACE TEMP TABLE stage_held_raw (line INTEGER, raw VARCHAR)");
    const appender = await c.createAppender("stage_held_raw");
    for (const [line, raw] of raws) {
      appender.appendInteger(line);
      appender.appendVarchar(raw);
      appender.endRow();
    }
    appender.closeSync();
    await c.run(
      `INSERT INTO stage_quarantine
       SELECT $file, h.line, 'id_in_other_export',
              'id ' || h.id || ' is in the lake already, from export ''' || h.held_export || ''' (its line ' || h.held_line || ', month ' || h.held_month ||
              '): counted there, not again (an overlapping re-export needs nothing done; if the source gives one number to several incidents, write repeated_ids: keep)',
              r.raw
         FROM stage_held h JOIN stage_held_raw r USING (line)`,
      { file },
    );
    const taken = Number((await c.runAndReadAll("SELECT count(*) FROM stage_held h JOIN stage_held_raw r USING (line)")).getRowsJS()[0]![0]);
    const held = Number((await c.runAndReadAll("SELECT count(*) FROM stage_held")).getRowsJS()[0]![0]);
    // Every row found must reach the quarantine with its text: a row lost here would vanish from the accounting.
    if (taken !== held) throw new Error(`the check across exports found ${held} rows but ${taken} of their texts; nothing was changed`);
    await this.rows.deleteLines("stage_held");
    const first = (await c.runAndReadAll("SELECT line, reason FROM stage_quarantine WHERE code = 'id_in_other_export' ORDER BY line LIMIT 1")).getRowsJS()[0];
    return {
      counts: await this.countsOf("stage_held", "'id_in_other_export'"),
      ...(first ? { first: { line: Number(first[0]), reason: String(first[1]) } } : {}),
    };
  }

  /** Rows of `table` counted by what the tally needs to take back (see RepeatCounts); `code`: a column or a literal. */
  private async countsOf(table: string, code: string): Promise<RepeatCounts[]> {
    const counts = await this.connection.runAndReadAll(`SELECT ${code}, month, time_precision, ambiguous, count(*) FROM ${table} GROUP BY ALL ORDER BY ALL`);
    return counts.getRowsJS().map(([code, month, precision, ambiguous, rows]) => ({
      code: code as RepeatCounts["code"],
      month: Number(month),
      precision: Number(precision),
      ambiguous: Boolean(ambiguous),
      rows: Number(rows),
    }));
  }

  /** Visits the staged rows' coordinates a chunk at a time (see IncidentRows.forEachPosition). */
  async forEachPosition(visit: (lat: Float64Array, lon: Float64Array) => void): Promise<void> {
    return this.rows.forEachPosition(visit);
  }

  /** First and last instant and the coordinate bounds of all staged rows (null: none). */
  async extent(): Promise<{ first: number; last: number; west: number; east: number; south: number; north: number } | null> {
    return this.rows.extent();
  }

  /**
   * Writes month partitions — each as IncidentRows.writeMonth — shared out over `connections` (of
   * this stage's database, on one thread: see configureStaging), side by side, calling
   * `done(month, connection)` after each file is complete (on the connection that wrote it, idle
   * until its next month).
   *
   * One COPY per month, not one `PARTITION_BY (month)` COPY: that must run on one thread for its
   * bytes not to depend on thread timing (re-ingesting a file leaves the lake byte-identical), and
   * so run on the 1 M bench file's rows it took 1.9–3.2 s of CPU against 1.2–1.4 s for the 60
   * monthly COPYs (issue 19; bench/ingest-vs-floor.ts measures the whole ingest).
   */
  async writeMonths<M extends { code: number; path: string; inOrder: boolean }>(
    connections: readonly DuckDBConnection[],
    months: readonly M[],
    texts: readonly string[],
    constants: { source: string; file: string },
    done: (month: M, connection: DuckDBConnection) => Promise<void>,
  ): Promise<void> {
    await this.rows.setDictionary(texts);
    const queue = [...months];
    await Promise.all(
      connections.map(async (connection) => {
        for (let m = queue.shift(); m; m = queue.shift()) {
          await this.rows.writeMonth(connection, m.code, m.path, m.inOrder, constants);
          await done(m, connection);
        }
      }),
    );
  }

  /** Writes the quarantine of the file to `path`, a staged temporary file (empty when nothing was refused). */
  async writeQuarantine(path: string): Promise<void> {
    await this.connection.run(`COPY (SELECT * FROM stage_quarantine ORDER BY file, line) TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`);
  }
}

/** A partition of another export of the file's source: its path and the export it belongs to, as the user knows it. */
export interface HeldFile {
  path: string;
  export: string;
}

/** One quarantined row: where it came from, why it was refused, and its text as read. */
export interface QuarantineRecord {
  file: string;
  line: number;
  code: string;
  reason: string;
  raw: string;
}
