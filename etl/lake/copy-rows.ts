import { DuckDBDataChunk, type DuckDBConnection, type DuckDBType } from "@duckdb/node-api";

/**
 * Streams the result of `sql` on one DuckDB database into `table` of another, a data chunk at a time
 * (JavaScript holds one chunk, whatever the number of rows). `types` are the result's column types.
 */
export async function copyRows(from: DuckDBConnection, sql: string, to: DuckDBConnection, table: string, types: readonly DuckDBType[]): Promise<void> {
  const appender = await to.createAppender(table);
  try {
    const result = await from.stream(sql);
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const copy = DuckDBDataChunk.create(types, chunk.rowCount);
      types.forEach((_, c) => copy.setColumnValues(c, chunk.getColumnValues(c)));
      appender.appendDataChunk(copy);
    }
  } finally {
    appender.closeSync();
  }
}
