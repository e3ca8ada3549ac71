import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

/**
 * The process's one in-memory DuckDB instance for withConnection, created at first use. Opening and
 * closing an instance costs some 50 ms of CPU, and a run opened about ten (each stage, each commit,
 * publish): connections from one instance cost well under a millisecond. Sharing is safe because
 * what callers create through withConnection is connection-local (TEMP tables, prepared statements)
 * and none changes a database-wide setting; work that does (the ingest's staging: threads, memory
 * limit, its own tables) takes an instance of its own through withConnections.
 */
let shared: Promise<DuckDBInstance> | null = null;

/** A new in-memory instance, with the settings every instance of the project takes (Lambda's read-only home). */
function createInstance(): Promise<DuckDBInstance> {
  const options: Record<string, string> = {};
  if (process.env.DUCKDB_HOME) options.home_directory = process.env.DUCKDB_HOME;
  return DuckDBInstance.create(":memory:", options);
}

/**
 * Runs `fn` with a new connection to the process's shared in-memory DuckDB instance and always
 * closes the connection, even when `fn` throws. DuckDB is the lake's query engine; every module that
 * needs SQL goes through here so settings such as the home directory (Lambda's read-only file
 * system) live in one place. What `fn` creates must be connection-local (TEMP tables): other
 * connections of the same instance may be open at the same time.
 */
export async function withConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await (shared ??= createInstance().catch((error: unknown) => {
    shared = null; // a failed creation is tried again by the next caller, not remembered
    throw error;
  }));
  const connection = await instance.connect();
  try {
    return await fn(connection);
  } catch (error) {
    // A fatal error invalidates the whole database: the next caller gets a new instance.
    if (/invalidated/i.test((error as Error).message ?? "")) shared = null;
    throw error;
  } finally {
    connection.closeSync();
  }
}

/**
 * Closes the process's shared instance, giving its memory and file caches back; the next
 * withConnection creates a new one. For a process that outlives its work (a warm Lambda container
 * between invocations), called when no withConnection is running.
 */
export async function closeSharedInstance(): Promise<void> {
  const current = shared;
  shared = null;
  const instance = await current?.catch(() => null);
  instance?.closeSync();
}

/**
 * `count` connections to one in-memory database of their own: they see the same (non-temporary)
 * tables, and each runs its own query at the same time as the others. A new instance, closed
 * afterwards, so its settings (threads, memory limit) and tables touch no other work.
 */
export async function withConnections<T>(count: number, fn: (connections: DuckDBConnection[]) => Promise<T>): Promise<T> {
  const instance = await createInstance();
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
