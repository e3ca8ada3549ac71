import type { DuckDBAppender, DuckDBConnection } from "@duckdb/node-api";
import { sqlLiteral } from "../duckdb/connection.ts";
import type { RecordBatch } from "../ingest/record-batch.ts";
import { IncidentRows } from "./incident-rows.ts";

/** Rows quarantined as repeats, counted by what the tally needs to take back (see IncidentStage.takeRepeats). */
export interface RepeatCounts {
  code: "exact_duplicate" | "repeated_id";
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
    await c.run("CREATE OR REPLACE TEMP TABLE stage_repeat_lines AS SELECT line FROM stage_repeats");
    await this.rows.deleteRepeats();
    const counts = await c.runAndReadAll("SELECT code, month, time_precision, ambiguous, count(*) FROM stage_repeats GROUP BY ALL ORDER BY ALL");
    return counts.getRowsJS().map(([code, month, precision, ambiguous, rows]) => ({
      code: code as RepeatCounts["code"],
      month: Number(month),
      precision: Number(precision),
      ambiguous: Boolean(ambiguous),
      rows: Number(rows),
    }));
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

/** One quarantined row: where it came from, why it was refused, and its text as read. */
export interface QuarantineRecord {
  file: string;
  line: number;
  code: string;
  reason: string;
  raw: string;
}
