import type { DuckDBConnection } from "@duckdb/node-api";
import { readVector } from "../lake/duckdb-columns.ts";
import { tableSource } from "../lake/table-reader.ts";
import { TABLES } from "../lake/tables.ts";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { MANIFEST_FILE, type Manifest } from "../lake/manifest.ts";

/**
 * The lake's incident counts per month, offence category and H3 cell, in columns: row r counts
 * `count[r]` incidents of category `categories[category[r]]` in cell `cells[cell[r]]` in month
 * `months[month[r]]`. Dictionaries are sorted; rows are in no particular order.
 */
export interface LakeCounts {
  months: string[];
  categories: string[];
  cells: string[];
  month: Uint32Array;
  category: Uint32Array;
  cell: Uint32Array;
  count: Float64Array;
}

/**
 * Reads the counts of the lake's incident partitions (only the three columns needed are read from
 * Parquet) with the aggregation in DuckDB and only integers crossing into JavaScript. With a `memo`
 * (see LakeCountsMemo) the counts it holds are reused while the manifest lists the same incident
 * partitions.
 */
export async function readLakeCounts(connection: DuckDBConnection, lakeDir: string, memo?: LakeCountsMemo): Promise<LakeCounts> {
  return memo ? memo.read(connection, lakeDir) : queryCounts(connection, lakeDir);
}

/**
 * The last counts read, kept by the caller that reads them several times — the analytics stages of
 * one run share one, so the incidents are read once. They are reused only for the same lake while
 * its manifest lists the same incident partitions (same checksums); a lake without a manifest is
 * read every time.
 */
export class LakeCountsMemo {
  private last: { key: string; counts: LakeCounts } | undefined;

  async read(connection: DuckDBConnection, lakeDir: string): Promise<LakeCounts> {
    const partitions = await readFile(join(lakeDir, MANIFEST_FILE), "utf8")
      .then((text) => JSON.stringify((JSON.parse(text) as Manifest).tables.incidents ?? {}))
      .catch(() => null);
    const key = `${lakeDir}\n${partitions}`;
    if (partitions !== null && this.last?.key === key) return this.last.counts;
    const counts = await queryCounts(connection, lakeDir);
    this.last = partitions === null ? undefined : { key, counts };
    return counts;
  }
}

async function queryCounts(connection: DuckDBConnection, lakeDir: string): Promise<LakeCounts> {
  // The partitions the manifest lists, not whatever the folder holds (a crashed writer's leftovers).
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE lake_counts AS
       SELECT month, offence_category AS category, h3_cell AS cell, count(*)::DOUBLE AS n
         FROM ${await tableSource(lakeDir, TABLES.incidents)}
        GROUP BY month, offence_category, h3_cell`,
  );
  const dictionary = async (column: "month" | "category" | "cell") => {
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE lake_${column}_ix AS SELECT ${column}, (row_number() OVER (ORDER BY ${column}) - 1)::UINTEGER AS ix FROM (SELECT DISTINCT ${column} FROM lake_counts)`,
    );
    const rows = (await connection.runAndReadAll(`SELECT ${column} FROM lake_${column}_ix ORDER BY ix`)).getRows();
    return rows.map((r) => String(r[0]));
  };
  const months = await dictionary("month");
  const categories = await dictionary("category");
  const cells = await dictionary("cell");
  const result = await connection.run(
    `SELECT m.ix, k.ix, c.ix, n FROM lake_counts
       JOIN lake_month_ix m USING (month) JOIN lake_category_ix k USING (category) JOIN lake_cell_ix c USING (cell)`,
  );
  const size = Number((await connection.runAndReadAll("SELECT count(*) FROM lake_counts")).getRows()[0]![0]);
  const out: LakeCounts = {
    months,
    categories,
    cells,
    month: new Uint32Array(size),
    category: new Uint32Array(size),
    cell: new Uint32Array(size),
    count: new Float64Array(size),
  };
  const columns = [out.month, out.category, out.cell, out.count];
  let at = 0;
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const n = chunk.rowCount;
    columns.forEach((column, c) => readVector(chunk.getColumnVector(c), column, at, n));
    at += n;
  }
  return out;
}
