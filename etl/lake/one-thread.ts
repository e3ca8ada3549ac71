import type { DuckDBConnection } from "@duckdb/node-api";

/**
 * Runs `fn` with the database of `connection` on one thread, then restores its setting (`threads`
 * is the database's, not the connection's): for queries run side by side on several connections of
 * it, one core each. With every core each they fight for the cores: on 2 cores, the 1 M bench
 * ingest's two staging databases of before took 32.5 s of CPU with two threads each, 23.0 s with
 * one (issue 19).
 */
export async function withOneThread<T>(connection: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  const reader = await connection.runAndReadAll("SELECT current_setting('threads')");
  const threads = Number(reader.getRows()[0]![0]);
  await connection.run("SET threads = 1");
  try {
    return await fn();
  } finally {
    await connection.run(`SET threads = ${threads}`);
  }
}
