import type { DuckDBConnection } from "@duckdb/node-api";
import { withConnection } from "../duckdb/connection.ts";
import { withLakeWriter, type LakeWriter } from "../lake/table-writer.ts";
import { flushEmergingState } from "./emerging-state-store.ts";
import { LakeMemo } from "./lake-grid.ts";

/**
 * Runs `fn` as one analytics session: a LakeMemo carrying one DuckDB connection and one open lake
 * commit, which every emerging, forecast and backtest stage given that memo uses instead of opening
 * its own (a DuckDB instance costs some 50 ms of CPU to open and close, a commit a scan of the whole
 * lake for debris, and the manifest read and written again). Everything the stages write becomes
 * visible at once when `fn` returns; when it throws, nothing does. A session whose stages kept
 * every file writes nothing, not even the manifest.
 */
export async function withAnalyticsSession<T>(lake: { lakeDir: string; timeZone: string; resolution: number }, fn: (memo: LakeMemo) => Promise<T>): Promise<T> {
  return withConnection((connection) => {
    const memo = new LakeMemo();
    // Committed when a stage wrote (a file recomputed to the bytes recorded, replacing damaged ones, leaves the manifest as it was).
    return withLakeWriter(
      lake,
      async (writer) => {
        memo.connection = connection;
        memo.writer = writer;
        try {
          const result = await fn(memo);
          // The emerging stages' state for the next run and publish (a root cache: outside the commit).
          await flushEmergingState(memo);
          return result;
        } finally {
          memo.connection = null;
          memo.writer = null;
        }
      },
      () => memo.written,
    );
  });
}

/** `fn` with the session's connection when `memo` belongs to one, else with a connection of its own. */
export function sessionConnection<T>(memo: LakeMemo | undefined, fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  return memo?.connection ? fn(memo.connection) : withConnection(fn);
}

/** `fn` with the session's open commit when `memo` belongs to one (committed when the session ends), else in a commit of its own. */
export function sessionWriter<T>(
  memo: LakeMemo | undefined,
  lake: { lakeDir: string; timeZone: string; resolution: number },
  fn: (writer: LakeWriter) => Promise<T>,
): Promise<T> {
  if (!memo?.writer) return withLakeWriter(lake, fn);
  memo.written = true;
  return fn(memo.writer);
}
