import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

/**
 * Runs `fn` with a fresh in-memory DuckDB connection and always closes it, even when `fn` throws.
 * DuckDB is the lake's query engine; every module that needs SQL goes through here so settings such
 * as the home directory (Lambda's read-only file system) live in one place.
 */
export async function withConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  return withConnections(1, ([connection]) => fn(connection!));
}

/**
 * Like withConnection with `count` connections to one in-memory database: they see the same
 * (non-temporary) tables, and each runs its own query at the same time as the others.
 */
export async function withConnections<T>(count: number, fn: (connections: DuckDBConnection[]) => Promise<T>): Promise<T> {
  const options: Record<string, string> = {};
  if (process.env.DUCKDB_HOME) options.home_directory = process.env.DUCKDB_HOME;
  const instance = await DuckDBInstance.create(":memory:", options);
  const connections: DuckDBConnection[] = [];
  try {
    for (let i = 0; i < count; i++) connections.push(await instance.connect());
    return await fn(connections);
  } finally {
    for (const connection of connections) connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Quotes a string as an SQL literal. Only for what DuckDB cannot take as a bound parameter
 * (file paths in COPY ... TO); values always go in as parameters.
 */
export function sqlLiteral(value: string): string {
  if (value.includes("\0")) throw new Error("a NUL character cannot appear in an SQL literal");
  return `'${value.replaceAll("'", "''")}'`;
}
