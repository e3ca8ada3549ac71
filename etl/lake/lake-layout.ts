import { join } from "node:path";

/**
 * Where each lake table lives. Tables are Hive-partitioned by month (`month=2019-06/`), so DuckDB,
 * Athena and Glue partition projection read them without a catalogue. The month is not stored inside
 * the files: it is the partition key.
 */
export const lakeLayout = {
  incidentsDir: (lake: string) => join(lake, "incidents"),
  incidentPartition: (lake: string, month: string, source: string) => join(lake, "incidents", `month=${month}`, `${source}.parquet`),
  quarantineFile: (lake: string, source: string) => join(lake, "quarantine", `${source}.parquet`),
  hotspotsDir: (lake: string) => join(lake, "hotspots"),
  hotspotPartition: (lake: string, month: string) => join(lake, "hotspots", `month=${month}`, "hotspots.parquet"),
  /** Glob over every Parquet file of a table, for read_parquet(..., hive_partitioning = true). */
  glob: (tableDir: string) => join(tableDir, "*", "*.parquet"),
};

/** Path of `file` relative to the lake root, with forward slashes (manifest keys, S3 keys). */
export function lakeKey(lake: string, file: string): string {
  return file.slice(lake.length + 1).split("\\").join("/");
}
