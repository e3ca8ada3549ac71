import type { DuckDBConnection } from "@duckdb/node-api";
import type { HotSpotResult } from "../analytics/hot-spots.ts";
import { sqlLiteral } from "../duckdb/connection.ts";
import { replaceAtomically } from "./atomic-file.ts";

/** The hot spots of one category in one month, with the cells they refer to. */
export interface CategoryHotSpots {
  category: string;
  result: HotSpotResult;
}

/** Parameters written into every row, so a hot-spot table says what made it. */
export interface HotSpotParameters {
  resolution: number;
  k: number;
  study_area: string;
}

/**
 * Writes one month of the hot-spot table atomically: one row per study-area cell and category, with
 * its count (zeros included), Gi* z, p, and the confidence bins without and with FDR control.
 */
export async function writeHotSpotPartition(
  connection: DuckDBConnection,
  path: string,
  cells: readonly string[],
  categories: readonly CategoryHotSpots[],
  parameters: HotSpotParameters,
): Promise<number> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_hot_spots (
    category VARCHAR, h3_cell VARCHAR, incidents INTEGER, gi_z DOUBLE, p_value DOUBLE,
    gi_bin TINYINT, gi_bin_fdr TINYINT, h3_resolution TINYINT, k TINYINT, study_area VARCHAR)`);
  const appender = await connection.createAppender("stage_hot_spots");
  let rows = 0;
  for (const { category, result } of categories) {
    for (let i = 0; i < cells.length; i++) {
      appender.appendVarchar(category);
      appender.appendVarchar(cells[i]!);
      appender.appendInteger(result.counts[i]!);
      if (Number.isNaN(result.z[i]!)) {
        appender.appendNull();
        appender.appendNull();
      } else {
        appender.appendDouble(result.z[i]!);
        appender.appendDouble(result.p[i]!);
      }
      appender.appendTinyInt(result.bin[i]!);
      appender.appendTinyInt(result.binFdr[i]!);
      appender.appendTinyInt(parameters.resolution);
      appender.appendTinyInt(parameters.k);
      appender.appendVarchar(parameters.study_area);
      appender.endRow();
      rows++;
    }
  }
  appender.closeSync();
  await replaceAtomically(path, (temporary) =>
    connection.run(`COPY (SELECT * FROM stage_hot_spots ORDER BY category, h3_cell) TO ${sqlLiteral(temporary)} (FORMAT parquet, COMPRESSION zstd)`),
  );
  return rows;
}
