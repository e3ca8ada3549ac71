import { DuckDBTimestampTZValue, type DuckDBAppender, type DuckDBConnection } from "@duckdb/node-api";
import type { IndexedIncident } from "../ingest/incident-schema.ts";
import { sqlLiteral } from "../duckdb/connection.ts";

const STAGE = "stage_incidents";

/**
 * A staging table in DuckDB that validated incidents stream into (so a large file never sits in
 * JavaScript memory), and from which each month partition is written.
 */
export class IncidentStage {
  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly appender: DuckDBAppender,
  ) {}

  static async create(connection: DuckDBConnection): Promise<IncidentStage> {
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${STAGE} (
      id VARCHAR NOT NULL,
      occurred_at TIMESTAMPTZ NOT NULL,
      time_precision VARCHAR NOT NULL,
      offence_code VARCHAR,
      offence_category VARCHAR NOT NULL,
      case_type VARCHAR NOT NULL,
      lat DOUBLE NOT NULL,
      lon DOUBLE NOT NULL,
      municipality VARCHAR,
      locality VARCHAR,
      source VARCHAR NOT NULL,
      h3_cell VARCHAR NOT NULL,
      source_file VARCHAR NOT NULL,
      source_line INTEGER NOT NULL,
      month VARCHAR NOT NULL
    )`);
    return new IncidentStage(connection, await connection.createAppender(STAGE));
  }

  append(r: IndexedIncident & { timePrecision: string }): void {
    const a = this.appender;
    a.appendVarchar(r.id);
    a.appendTimestampTZ(new DuckDBTimestampTZValue(BigInt(r.occurredAt) * 1000n));
    a.appendVarchar(r.timePrecision);
    a.appendVarchar(r.offenceCode);
    a.appendVarchar(r.offenceCategory);
    a.appendVarchar(r.caseType);
    a.appendDouble(r.lat);
    a.appendDouble(r.lon);
    a.appendVarchar(r.municipality);
    a.appendVarchar(r.locality);
    a.appendVarchar(r.source);
    a.appendVarchar(r.h3Cell);
    a.appendVarchar(r.sourceFile);
    a.appendInteger(r.sourceLine);
    a.appendVarchar(r.month);
    a.endRow();
  }

  /** Ends appending; call once before writing partitions. */
  close(): void {
    this.appender.closeSync();
  }

  /**
   * Writes one month's rows to `path` (a staged temporary file: see LakeTransaction), ordered by id
   * so that the same rows always give the same bytes. The month is the Hive partition key, so it is
   * not stored in the file.
   */
  async writeMonth(month: string, path: string): Promise<void> {
    await this.connection.run(
      `COPY (SELECT * EXCLUDE (month) FROM ${STAGE} WHERE month = $month ORDER BY id, source_line)
         TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`,
      { month },
    );
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

/** Writes the quarantine of one input file to `path`, a staged temporary file (empty when nothing was refused). */
export async function writeQuarantine(connection: DuckDBConnection, path: string, records: readonly QuarantineRecord[]): Promise<void> {
  await connection.run(
    "CREATE OR REPLACE TEMP TABLE stage_quarantine (file VARCHAR, line INTEGER, code VARCHAR, reason VARCHAR, raw VARCHAR)",
  );
  const appender = await connection.createAppender("stage_quarantine");
  for (const q of records) {
    appender.appendVarchar(q.file);
    appender.appendInteger(q.line);
    appender.appendVarchar(q.code);
    appender.appendVarchar(q.reason);
    appender.appendVarchar(q.raw);
    appender.endRow();
  }
  appender.closeSync();
  await connection.run(`COPY (SELECT * FROM stage_quarantine ORDER BY file, line) TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`);
}
