import { join } from "node:path";

/**
 * Where the tables of hot-spot analytics beyond the monthly Gi* live. Like the incidents table, each
 * is Hive-partitioned by month with one file per offence category inside (`<category>.parquet`, the
 * category is also a column), so re-running one category replaces only its file:
 *
 * - `emerging/month=<last month>/`: emerging hot-spot category of every cell over the months up to it;
 * - `forecasts/month=<forecast month>/`: ranked patrol-priority cells for that month, per method;
 * - `backtests/month=<last forecast month>/`: per-month PAI, PEI* and hit rate of each method.
 */
export const analyticsTables = {
  emergingDir: (lake: string) => join(lake, "emerging"),
  forecastsDir: (lake: string) => join(lake, "forecasts"),
  backtestsDir: (lake: string) => join(lake, "backtests"),
  file: (tableDir: string, month: string, category: string) => join(tableDir, `month=${month}`, `${safeName(category)}.parquet`),
};

/** A category as a file name: letters, digits, '_' and '-' only. */
export function safeName(category: string): string {
  if (!/^[\p{L}\p{N}_-]+$/u.test(category)) throw new Error(`'${category}' cannot be used as a file name in the lake`);
  return category;
}
