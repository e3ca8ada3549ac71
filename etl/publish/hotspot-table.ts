import { listValue, type DuckDBConnection } from "@duckdb/node-api";
import type { GiBin, HotspotGroup, HotspotTable } from "../../dashboard/data-contract.ts";
import { ALL_CATEGORIES } from "../analytics/analyse-lake.ts";
import { lakeLayout } from "../lake/lake-layout.ts";
import { hasParquet, queryRows, suppressed } from "./lake-query.ts";

interface Row {
  month: string;
  category: string;
  cell: string;
  z: number;
  bin: GiBin;
  bin_fdr: GiBin | 0;
  n: number | null;
}

/**
 * The significant Gi* cells of every month and non-sensitive category, as compact parallel columns
 * (see HotspotGroup): z to two decimals, the bins with and without FDR, and the cell-month count,
 * suppressed below `threshold`. The count published for "all" sums the non-sensitive categories
 * only; otherwise "all" minus the published categories would give a sensitive cell-month count.
 */
export async function hotspotTable(connection: DuckDBConnection, lakeDir: string, threshold: number, sensitive: ReadonlySet<string>): Promise<HotspotTable> {
  if (!(await hasParquet(lakeLayout.hotspotsDir(lakeDir)))) return { cells: [], categories: [], groups: [] };
  const rows = await queryRows<Row>(
    connection,
    `WITH h AS (SELECT month, category, h3_cell, incidents, gi_z, gi_bin, gi_bin_fdr FROM read_parquet($glob, hive_partitioning = true)),
          open AS (SELECT month, h3_cell, sum(incidents)::INTEGER AS n FROM h
                    WHERE category <> $all AND NOT list_contains($sensitive, category) GROUP BY ALL),
          significant AS (SELECT * FROM h WHERE gi_bin <> 0 AND NOT list_contains($sensitive, category))
     SELECT s.month, s.category, s.h3_cell AS cell, round(s.gi_z, 2) AS z, s.gi_bin::INTEGER AS bin, s.gi_bin_fdr::INTEGER AS bin_fdr,
            (CASE WHEN s.category = $all THEN coalesce(open.n, 0) ELSE s.incidents END)::INTEGER AS n
       -- An equi-join only: a constant condition in ON (category = 'all') makes DuckDB fall back to a nested-loop join.
       FROM significant s LEFT JOIN open ON open.month = s.month AND open.h3_cell = s.h3_cell
      ORDER BY s.month, s.category, s.h3_cell`,
    { glob: lakeLayout.glob(lakeLayout.hotspotsDir(lakeDir)), sensitive: listValue([...sensitive]), all: ALL_CATEGORIES },
  );
  const cells = [...new Set(rows.map((r) => r.cell))].sort();
  const index = new Map(cells.map((c, i) => [c, i]));
  const groups = new Map<string, HotspotGroup>();
  for (const r of rows) {
    const key = `${r.month}|${r.category}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { month: r.month, category: r.category, cell: [], z: [], bin: [], bin_fdr: [], count: [] }));
    g.cell.push(index.get(r.cell)!);
    g.z.push(r.z);
    g.bin.push(r.bin);
    g.bin_fdr.push(r.bin_fdr);
    g.count.push(suppressed(r.n ?? 0, threshold));
  }
  const present = new Set(rows.map((r) => r.category));
  const categories = [ALL_CATEGORIES, ...[...present].filter((c) => c !== ALL_CATEGORIES).sort()].filter((c) => present.has(c));
  return { cells, categories, groups: [...groups.values()] };
}
