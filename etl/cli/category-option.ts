import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { withConnection } from "../duckdb/connection.ts";
import { tableFiles, tableSource } from "../lake/table-reader.ts";
import { TABLES } from "../lake/tables.ts";

/**
 * Refuses a `--category` the lake does not hold, listing the ones it does (issue 21: an unknown
 * category exited 0 with an empty report, indistinguishable from a category with no hot spots).
 * `held`: the offence categories of the lake's incidents.
 */
export function checkCategory(category: string | undefined, held: Iterable<string>): void {
  if (category === undefined || category === ALL_OFFENCES) return;
  const categories = [...new Set(held)].sort();
  if (categories.includes(category)) return;
  throw new Error(
    `unknown --category '${category}': this lake's incidents have ${categories.length > 0 ? categories.join(", ") : "no category (the lake holds no incidents; ingest a file first)"}; ` +
      `write one of them, or leave --category out for all offences together`,
  );
}

/**
 * checkCategory against the lake at `lakeDir`, for the commands that do not read the counts
 * themselves before their work (emerging, forecast, backtest): the categories come from the
 * `cell_counts` aggregate (the files the manifest lists), a few rows per cell and month. Nothing
 * is read when no category is asked for.
 */
export async function checkLakeCategory(category: string | undefined, lakeDir: string): Promise<void> {
  if (category === undefined || category === ALL_OFFENCES) return;
  checkCategory(category, await lakeCategories(lakeDir));
}

/** The offence categories of the lake's incidents, from its cell counts; none for a lake with no incidents. */
async function lakeCategories(lakeDir: string): Promise<string[]> {
  if ((await tableFiles(lakeDir, TABLES.cell_counts)).length === 0) return [];
  const source = await tableSource(lakeDir, TABLES.cell_counts);
  return withConnection(async (c) => {
    const rows = (await c.runAndReadAll(`SELECT DISTINCT offence_category FROM ${source}`)).getRows();
    return rows.map((r) => String(r[0]));
  });
}
