import { DuckDBTimestampTZValue, type DuckDBConnection } from "@duckdb/node-api";
import type { IndexedIncident } from "../ingest/incident-schema.ts";
import { sqlLiteral } from "../duckdb/connection.ts";
import { replaceAtomically } from "./atomic-file.ts";

const INCIDENT_TABLE_DDL = `CREATE OR REPLACE TEMP TABLE stage_incidents (
  id VARCHAR NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
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
  source_line INTEGER NOT NULL
)`;

/**
 * Writes one month-partition file of the incidents table atomically, rows ordered by id so that
 * the same rows always give the same bytes.
 */
export async function writeIncidentPartition(
  connection: DuckDBConnection,
  path: string,
  incidents: readonly IndexedIncident[],
): Promise<void> {
  await connection.run(INCIDENT_TABLE_DDL);
  const appender = await connection.createAppender("stage_incidents");
  for (const r of incidents) {
    appender.appendVarchar(r.id);
    appender.appendTimestampTZ(new DuckDBTimestampTZValue(BigInt(r.occurredAt) * 1000n));
    appender.appendVarchar(r.offenceCode);
    appender.appendVarchar(r.offenceCategory);
    appender.appendVarchar(r.caseType);
    appender.appendDouble(r.lat);
    appender.appendDouble(r.lon);
    appender.appendVarchar(r.municipality);
    appender.appendVarchar(r.locality);
    appender.appendVarchar(r.source);
    appender.appendVarchar(r.h3Cell);
    appender.appendVarchar(r.sourceFile);
    appender.appendInteger(r.sourceLine);
    appender.endRow();
  }
  appender.closeSync();
  await replaceAtomically(path, (temporary) =>
    connection.run(`COPY (SELECT * FROM stage_incidents ORDER BY id, source_line) TO ${sqlLiteral(temporary)} (FORMAT parquet, COMPRESSION zstd)`),
  );
}

/** One quarantined row: where it came from, why it was refused, and its fields as read. */
export interface QuarantineRecord {
  file: string;
  line: number;
  code: string;
  reason: string;
  raw: string;
}

/** Writes the quarantine of one source file atomically (an empty file when nothing was refused). */
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
  await replaceAtomically(path, (temporary) =>
    connection.run(`COPY (SELECT * FROM stage_quarantine ORDER BY file, line) TO ${sqlLiteral(temporary)} (FORMAT parquet, COMPRESSION zstd)`),
  );
}
