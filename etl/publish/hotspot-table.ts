import { listValue, type DuckDBConnection } from "@duckdb/node-api";
import type { GiBin, HotspotGroup, HotspotTable } from "../../dashboard/data-contract.ts";
import { ALL_CATEGORIES } from "../analytics/analyse-lake.ts";
import { lakeLayout } from "../lake/lake-layout.ts";
import { hasParquet, queryRows, suppressed } from "./lake-query.ts";

/**
 * The significant Gi* cells of every month and non-sensitive category, as compact parallel columns
 * (see HotspotGroup): z to two decimals, the bins with and without FDR, and the cell-month count,
 * suppressed below `threshold`. The count published for "all" sums the non-sensitive categories
 * only; otherwise "all" minus the published categories would give a sensitive cell-month count.
 */
export async function hotspotTable(connection: DuckDBConnection, lakeDir: string, threshold: number, sensitive: ReadonlySet<string>): Promise<HotspotTable> {
  if (!(await hasParquet(lakeLayout.hotspotsDir(lakeDir)))) return { cells: [], categories: [], groups: [], untested: [] };
  // Gathered once into a temporary table, then read as numeric columns plus two small dictionaries:
  // strings repeated on hundreds of thousands of rows are what costs most on the way into JavaScript.
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE published_hot_spots AS
     WITH h AS NOT MATERIALIZED (SELECT month, category, h3_cell, incidents, gi_z, gi_bin, gi_bin_fdr FROM read_parquet($glob, hive_partitioning = true)),
          open AS (SELECT month, h3_cell, sum(incidents)::INTEGER AS n FROM h
                    WHERE category <> $all AND NOT list_contains($sensitive, category) GROUP BY ALL),
          significant AS (SELECT * FROM h WHERE gi_bin <> 0 AND NOT list_contains($sensitive, category))
     SELECT s.month, s.category, s.h3_cell AS cell,
            (dense_rank() OVER (ORDER BY s.month, s.category) - 1)::INTEGER AS group_index,
            (dense_rank() OVER (ORDER BY s.h3_cell) - 1)::INTEGER AS cell_index,
            round(s.gi_z, 2) AS z, s.gi_bin::INTEGER AS bin, s.gi_bin_fdr::INTEGER AS bin_fdr,
            (CASE WHEN s.category = $all THEN coalesce(open.n, 0) ELSE s.incidents END)::INTEGER AS n
       -- An equi-join only: a constant condition in ON (category = 'all') makes DuckDB fall back to a nested-loop join.
       FROM significant s LEFT JOIN open ON open.month = s.month AND open.h3_cell = s.h3_cell`,
    { glob: lakeLayout.glob(lakeLayout.hotspotsDir(lakeDir)), sensitive: listValue([...sensitive]), all: ALL_CATEGORIES },
  );
  const cells = (await queryRows<{ cell: string }>(connection, "SELECT DISTINCT cell_index, cell FROM published_hot_spots ORDER BY cell_index")).map((r) => r.cell);
  const groups: HotspotGroup[] = (await queryRows<{ month: string; category: string }>(connection, "SELECT DISTINCT group_index, month, category FROM published_hot_spots ORDER BY group_index")).map(
    ({ month, category }) => ({ month, category, cell: [], z: [], bin: [], bin_fdr: [], count: [] }),
  );
  const columns = (await connection.runAndReadAll("SELECT group_index, cell_index, z, bin, bin_fdr, n FROM published_hot_spots ORDER BY group_index, cell_index")).getColumnsObjectJS() as unknown as {
    group_index: number[];
    cell_index: number[];
    z: number[];
    bin: GiBin[];
    bin_fdr: Array<GiBin | 0>;
    n: Array<number | null>;
  };
  for (let r = 0; r < columns.group_index.length; r++) {
    const g = groups[columns.group_index[r]!]!;
    g.cell.push(columns.cell_index[r]!);
    g.z.push(columns.z[r]!);
    g.bin.push(columns.bin[r]!);
    g.bin_fdr.push(columns.bin_fdr[r]!);
    g.count.push(suppressed(columns.n[r] ?? 0, threshold));
  }
  await connection.run("DROP TABLE published_hot_spots");
  // Partitions written before issue 13 have no status column (union_by_name reads it as NULL).
  const untested = await queryRows<{ month: string; category: string }>(
    connection,
    `SELECT DISTINCT month, category FROM read_parquet($glob, hive_partitioning = true, union_by_name = true)
      WHERE status = 'too_few_incidents' AND NOT list_contains($sensitive, category) ORDER BY month, category`,
    { glob: lakeLayout.glob(lakeLayout.hotspotsDir(lakeDir)), sensitive: listValue([...sensitive]) },
  );
  const present = new Set([...groups, ...untested].map((g) => g.category));
  const categories = [ALL_CATEGORIES, ...[...present].filter((c) => c !== ALL_CATEGORIES).sort()].filter((c) => present.has(c));
  return { cells, categories, groups, untested: untested.map(({ month, category }) => ({ month: String(month), category: String(category) })) };
}
