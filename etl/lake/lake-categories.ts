import { withConnection } from "../duckdb/connection.ts";
import { tableFiles, tableSource } from "./table-reader.ts";
import { TABLES } from "./tables.ts";

/** The offence categories a lake's incidents hold, and its last month (null when it holds none). */
export interface LakeCategories {
  /** Sorted by name. */
  categories: string[];
  lastMonth: string | null;
}

/**
 * The lake's offence categories and last month, read from the `cell_counts` aggregate (the files the
 * manifest lists: a few rows per cell and month, never the incidents). The one reader of them: the
 * CLI's `--category` check and the run's per-category steps both ask here.
 */
export async function lakeCategories(lakeDir: string): Promise<LakeCategories> {
  if ((await tableFiles(lakeDir, TABLES.cell_counts)).length === 0) return { categories: [], lastMonth: null };
  const source = await tableSource(lakeDir, TABLES.cell_counts);
  const rows = await withConnection(async (c) =>
    (await c.runAndReadAll(`SELECT offence_category, max(month) FROM ${source} GROUP BY ALL ORDER BY 1`)).getRows(),
  );
  const months = rows.map((r) => String(r[1])).sort();
  return { categories: rows.map((r) => String(r[0])), lastMonth: months.at(-1) ?? null };
}
