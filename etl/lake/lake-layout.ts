import { join } from "node:path";
import { tableDir, tablePath } from "./table-paths.ts";
import { TABLES } from "./tables.ts";

/**
 * Paths of the ingest's and the analysis' tables in a lake, derived from the registry (`tables.ts`)
 * for the modules that place files by these names. New code uses `tablePath`/`tableGlob` directly.
 */
export const lakeLayout = {
  incidentsDir: (lake: string) => tableDir(lake, TABLES.incidents),
  /** `name`: the export's (see etl/ingest/export-identity.ts). */
  incidentPartition: (lake: string, month: string, name: string) => tablePath(lake, TABLES.incidents, { partition: month, name }),
  quarantineFile: (lake: string, name: string) => tablePath(lake, TABLES.quarantine, { name }),
  hotspotsDir: (lake: string) => tableDir(lake, TABLES.hot_spots),
  hotspotPartition: (lake: string, month: string) => tablePath(lake, TABLES.hot_spots, { partition: month }),
  /** Glob over every Parquet file of a month-partitioned table, for read_parquet(..., hive_partitioning = true). */
  glob: (tableDir: string) => join(tableDir, "*", "*.parquet"),
};

/** Path of `file` relative to the lake root, with forward slashes (manifest keys, S3 keys). */
export function lakeKey(lake: string, file: string): string {
  return file
    .slice(lake.length + 1)
    .split("\\")
    .join("/");
}
