import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";

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
