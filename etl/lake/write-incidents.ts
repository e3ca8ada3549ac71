import { INTEGER, UBIGINT, UINTEGER, VARCHAR, type DuckDBAppender, type DuckDBConnection } from "@duckdb/node-api";
import { sqlLiteral } from "../duckdb/connection.ts";
import type { RecordBatch } from "../ingest/record-batch.ts";
import { copyRows } from "./copy-rows.ts";
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
 * The staging of one input file: its kept rows split over two DuckDB databases by calendar month
 * (odd and even months), so that the two halves' partitions are written at the same time on two
 * cores; refused rows and possible repeats with their text are staged beside them. Everything stays
 * in DuckDB, which spills past its memory limit, so a large file never sits in JavaScript memory.
 */
export class IncidentStage {
  private constructor(
    private readonly halves: readonly [IncidentRows, IncidentRows],
    private readonly quarantine: DuckDBAppender,
    private readonly suspects: DuckDBAppender,
  ) {}

  static async create(first: DuckDBConnection, second: DuckDBConnection): Promise<IncidentStage> {
    await first.run("CREATE OR REPLACE TEMP TABLE stage_quarantine (file VARCHAR, line INTEGER, code VARCHAR, reason VARCHAR, raw VARCHAR)");
    await first.run("CREATE OR REPLACE TEMP TABLE stage_suspects (line INTEGER, id VARCHAR, ambiguous BOOLEAN, raw VARCHAR)");
    const halves = [await IncidentRows.create(first), await IncidentRows.create(second)] as const;
    return new IncidentStage(halves, await first.createAppender("stage_quarantine"), await first.createAppender("stage_suspects"));
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

  /**
   * Appends a batch's kept rows, each to the half of its month (`half(monthCode)` is 0 or 1). `codes`
   * translates the batch's dictionary indices to the file's, `lineOffset` makes its lines absolute.
   */
  append(batch: RecordBatch, codes: Uint32Array, lineOffset: number, monthOf: (i: number) => number, half: (month: number) => number): void {
    const idStarts = new Int32Array(batch.kept);
    const sides = new Uint8Array(batch.kept);
    let odd = 0;
    for (let i = 0, at = 0; i < batch.kept; i++) {
      idStarts[i] = at;
      at += batch.idLengths[i]!;
      odd += sides[i] = half(monthOf(i));
    }
    const rows = [new Int32Array(batch.kept - odd), new Int32Array(odd)];
    const next = [0, 0];
    for (let i = 0; i < batch.kept; i++) rows[sides[i]!]![next[sides[i]!]!++] = i;
    this.halves.forEach((h, k) => rows[k]!.length > 0 && h.append(batch, rows[k]!, codes, lineOffset, idStarts));
  }

  /** Ends appending (kept rows, refused rows, suspects); call once, before any query. */
  close(): void {
    for (const h of this.halves) h.close();
    this.suspects.closeSync();
    this.quarantine.closeSync();
  }

  /**
   * The repeated-id check, exactly, over every staged row whose id a suspect has: per id, the row of
   * the first line is kept; a later row identical to an earlier one (same record hash) is an exact
   * duplicate of the first such line, any other a repeated id. Those rows leave the stage for the
   * quarantine (with the line they repeat); returned are their counts for the tally. The rows of both
   * halves meet in the first database, and all of it runs in SQL: memory stays bounded however many
   * rows repeat.
   */
  async takeRepeats(file: string): Promise<RepeatCounts[]> {
    const [a, b] = this.halves;
    const sql = "SELECT id, source_line, record_hash, month, time_precision FROM stage_incidents WHERE id IN (SELECT id FROM stage_candidates)";
    await a.connection.run("CREATE OR REPLACE TEMP TABLE stage_candidates AS SELECT DISTINCT id FROM stage_suspects");
    await b.connection.run("CREATE OR REPLACE TEMP TABLE stage_candidates (id VARCHAR)");
    await copyRows(a.connection, "SELECT id FROM stage_candidates", b.connection, "stage_candidates", [VARCHAR]);
    await a.connection.run(`CREATE OR REPLACE TEMP TABLE stage_candidate_rows AS ${sql}`);
    await copyRows(b.connection, sql, a.connection, "stage_candidate_rows", [VARCHAR, INTEGER, UBIGINT, UINTEGER, UINTEGER]);
    await a.connection.run(`CREATE OR REPLACE TEMP TABLE stage_repeats AS
      WITH grouped AS (
        SELECT *, min(source_line) OVER (PARTITION BY id) AS first_line,
                  min(source_line) OVER (PARTITION BY id, record_hash) AS first_same
          FROM stage_candidate_rows)
      SELECT g.source_line AS line, g.id, g.first_line, g.first_same, g.month, g.time_precision, s.ambiguous, s.raw,
             CASE WHEN g.first_same < g.source_line THEN 'exact_duplicate' ELSE 'repeated_id' END AS code
        FROM grouped g JOIN stage_suspects s ON s.line = g.source_line
       WHERE g.source_line > g.first_line`);
    await a.connection.run(
      `INSERT INTO stage_quarantine
       SELECT $file, line, code,
              CASE WHEN code = 'exact_duplicate' THEN 'identical to line ' || first_same
                   ELSE 'id ' || id || ' was already taken from line ' || first_line || '; this row differs (kept the first)' END,
              raw
         FROM stage_repeats`,
      { file },
    );
    for (const h of this.halves) await h.connection.run("CREATE OR REPLACE TEMP TABLE stage_repeat_lines (line INTEGER)");
    await a.connection.run("INSERT INTO stage_repeat_lines SELECT line FROM stage_repeats");
    await copyRows(a.connection, "SELECT line FROM stage_repeats", b.connection, "stage_repeat_lines", [INTEGER]);
    for (const h of this.halves) await h.deleteRepeats();
    const counts = await a.connection.runAndReadAll("SELECT code, month, time_precision, ambiguous, count(*) FROM stage_repeats GROUP BY ALL ORDER BY ALL");
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
    const [a, b] = await Promise.all(this.halves.map((h) => h.extent()));
    if (!a || !b) return a ?? b ?? null;
    return {
      first: Math.min(a.first, b.first),
      last: Math.max(a.last, b.last),
      west: Math.min(a.west, b.west),
      east: Math.max(a.east, b.east),
      south: Math.min(a.south, b.south),
      north: Math.max(a.north, b.north),
    };
  }

  /**
   * Writes month partitions — each as IncidentRows.writeMonth, the two halves' at the same time —
   * calling `done` after each file is complete.
   */
  async writeMonths(
    months: ReadonlyArray<{ code: number; half: number; path: string; inOrder: boolean }>,
    texts: readonly string[],
    constants: { source: string; file: string },
    done: (path: string) => Promise<void>,
  ): Promise<void> {
    await Promise.all(
      this.halves.map(async (h, k) => {
        await h.setDictionary(texts);
        for (const m of months) {
          if (m.half !== k) continue;
          await h.writeMonth(m.code, m.path, m.inOrder, constants);
          await done(m.path);
        }
      }),
    );
  }

  /** Writes the quarantine of the file to `path`, a staged temporary file (empty when nothing was refused). */
  async writeQuarantine(path: string): Promise<void> {
    await this.halves[0].connection.run(`COPY (SELECT * FROM stage_quarantine ORDER BY file, line) TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`);
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
