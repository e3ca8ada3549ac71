import { join } from "node:path";
import { safeName, tableDir } from "./table-paths.ts";
import { TABLES } from "./tables.ts";

export { safeName } from "./table-paths.ts";

/**
 * Folders of the hot-spot analytics tables beyond the monthly Gi* (see `tables.ts`), for the modules
 * that place files by these names. Each is Hive-partitioned by month with one file per offence
 * category inside (`<category>.parquet`, the category is also a column):
 *
 * - `emerging`: emerging hot-spot category of every cell over the months up to the partition's;
 * - `forecasts`: ranked patrol-priority cells for the partition's month, per method;
 * - `backtests`: per-month PAI, PEI* and hit rate of each method up to the partition's month.
 */
export const analyticsTables = {
  emergingDir: (lake: string) => tableDir(lake, TABLES.emerging),
  forecastsDir: (lake: string) => tableDir(lake, TABLES.forecasts),
  backtestsDir: (lake: string) => tableDir(lake, TABLES.backtests),
  file: (dir: string, month: string, category: string) => join(dir, `month=${month}`, `${safeName(category)}.parquet`),
};
