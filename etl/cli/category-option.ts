import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { lakeCategories } from "../lake/lake-categories.ts";

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
  checkCategory(category, (await lakeCategories(lakeDir)).categories);
}
