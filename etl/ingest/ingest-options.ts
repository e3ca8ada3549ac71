import type { RecordedConfig } from "../settings.ts";
import type { SourceDescription } from "./source-description.ts";

export interface IngestOptions {
  lakeDir: string;
  resolution: number;
  timeZone: string;
  /** How the file is laid out (data/sources/*.yaml). */
  source: SourceDescription;
  /** The export's id within its source (default: the file's path relative to the lake; see ExportIdentity). */
  exportId?: string;
  /**
   * The folder an export's path is taken relative to (default: the lake folder). A remote lake's
   * local mirror is a new temporary folder each run, so its commands give the working folder instead.
   */
  exportBase?: string;
  /**
   * Brings lake files the manifest lists but `lakeDir` lacks (lake paths, e.g.
   * `incidents/month=2021-06/x.parquet`) into `lakeDir`. A remote lake's mirror for ingest holds only
   * the manifest; the repeated-id check across exports reads the source's other exports through this.
   */
  fetchLakeFiles?: (files: readonly string[]) => Promise<void>;
  /**
   * Lets this file replace what the lake holds of its export even when none of its rows was
   * ingested, and supersede an export the lake cannot tell from it (see ingestFile); default false.
   */
  replace?: boolean;
  /**
   * Municipality boundaries (GeoJSON or TopoJSON polygons with a `name`) that a row's municipality is
   * checked against: a point outside the municipality it names is quarantined as
   * `outside_municipality`. Default: the product's Lithuanian boundaries
   * (data/geo/lt-municipalities.topojson); null: no check. The check is skipped, and the report says
   * why, for a source that gives no municipality or whose bounds lie outside the boundaries.
   */
  boundaries?: string | null;
  /** The project configuration to record in the lake's manifest (left as it is when absent). */
  config?: RecordedConfig;
  /** Upper bound for timestamps; injectable for tests. */
  now?: number;
  /** Called every few thousand rows with the number read so far. */
  onProgress?: (rowsRead: number) => void;
  /**
   * Reader threads for CSV (default: one per core where the file is big enough for threads to pay
   * off, see CsvReaders.threadsFor; none for smaller ones); 0 reads in this thread. Results are the same.
   */
  readers?: number;
  /** Bytes per chunk handed to a reader thread (default 4 MiB). */
  chunkBytes?: number;
  /** Read plain CSV (no quotes, no carriage returns) with the fast reader (default true); false always uses csv-parse. */
  fastCsv?: boolean;
  /** Seconds spent per part of the ingest are added here (for the benchmark). */
  timings?: IngestTimings;
}

/**
 * Where an ingest's time went, in seconds of wall time: reading, parsing and validating (with staging
 * into DuckDB), H3 indexing, and writing the month partitions (repeats resolved, Parquet written and
 * hashed, committed). Reading and indexing run at the same time in the reader threads; their wall time
 * is split in proportion to the CPU time each took there.
 */
export interface IngestTimings {
  read_validate: number;
  h3_index: number;
  parquet_write: number;
}
