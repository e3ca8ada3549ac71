import { DOUBLE, DuckDBDataChunk, INTEGER, TINYINT, UBIGINT, UINTEGER, type DuckDBConnection } from "@duckdb/node-api";
import type { GroupedHotSpots } from "../analytics/grouped-gi-star.ts";
import { sqlLiteral } from "../duckdb/connection.ts";
import { fillVector } from "./duckdb-columns.ts";

/** The hot spots of one category in one month, with the cells they refer to. */
export interface CategoryHotSpots {
  category: string;
  result: GroupedHotSpots;
}

/** Parameters written into every row, so a hot-spot table says what made it. */
export interface HotSpotParameters {
  resolution: number;
  k: number;
  study_area: string;
}

const CHUNK_ROWS = 2048;
const TYPES = [UINTEGER, UBIGINT, INTEGER, DOUBLE, DOUBLE, TINYINT, TINYINT];

/**
 * Writes one month of the hot-spot table to `path` (a file staged by the commit: see LakeWriter): one row per study-area cell and category, with
 * its count (zeros included), Gi* z, p, the confidence bins without and with FDR control, the
 * category-month's `status` ("tested", or "too_few_incidents" with bins 0) and the `inference` that
 * gave p ("exact" or "monte-carlo" permutation distribution, or "normal" approximation). Rows
 * are ordered by category and cell; they are staged in that order when the categories and cells come
 * sorted (as the analysis passes them), so DuckDB writes them as they are instead of sorting again.
 * Columns cross into DuckDB whole: cells as their 64-bit H3 index, texts as small dictionary codes.
 */
export async function writeHotSpotPartition(
  connection: DuckDBConnection,
  path: string,
  cells: readonly string[],
  categories: readonly CategoryHotSpots[],
  parameters: HotSpotParameters,
): Promise<number> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE stage_hot_spots (
    category UINTEGER, h3_cell UBIGINT, incidents INTEGER, gi_z DOUBLE, p_value DOUBLE, gi_bin TINYINT, gi_bin_fdr TINYINT)`);
  const appender = await connection.createAppender("stage_hot_spots");
  const index = cellIndexes(cells);
  const columns = {
    code: new Uint32Array(CHUNK_ROWS),
    incidents: new Int32Array(CHUNK_ROWS),
    z: new Float64Array(CHUNK_ROWS),
    p: new Float64Array(CHUNK_ROWS),
    bin: new Int8Array(CHUNK_ROWS),
    binFdr: new Int8Array(CHUNK_ROWS),
  };
  let rows = 0;
  categories.forEach(({ result }, c) => {
    columns.code.fill(c);
    for (let base = 0; base < cells.length; base += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, cells.length - base);
      // Values go from their group straight into the chunk's columns.
      for (let r = 0; r < n; r++) {
        const g = result.group[base + r]!;
        columns.incidents[r] = result.counts[base + r]!;
        columns.z[r] = result.z[g]!;
        columns.p[r] = result.p[g]!;
        columns.bin[r] = result.bin[g]!;
        columns.binFdr[r] = result.binFdr[g]!;
      }
      const chunk = DuckDBDataChunk.create(TYPES, n);
      [columns.code, index.subarray(base, base + n), columns.incidents, columns.z, columns.p, columns.bin, columns.binFdr].forEach((column, k) =>
        fillVector(chunk.getColumnVector(k), column, n),
      );
      appender.appendDataChunk(chunk);
    }
    rows += cells.length;
  });
  appender.closeSync();
  const list = (values: string[]) => `([${values.map(sqlLiteral).join(", ")}]::VARCHAR[])`;
  const names = list(categories.map((c) => c.category));
  const statuses = list(categories.map((c) => c.result.status));
  const inferences = list(categories.map((c) => c.result.inference));
  const ordered = isSorted(categories.map((c) => c.category)) && isSorted(cells);
  await connection.run(
    `COPY (SELECT ${names}[category + 1] AS category, format('{:x}', h3_cell) AS h3_cell, incidents,
                  nullif(gi_z, 'NaN'::DOUBLE) AS gi_z, nullif(p_value, 'NaN'::DOUBLE) AS p_value, gi_bin, gi_bin_fdr,
                  ${statuses}[category + 1] AS status, ${inferences}[category + 1] AS inference, $resolution::TINYINT AS h3_resolution, $k::TINYINT AS k, $label::VARCHAR AS study_area
             FROM stage_hot_spots${ordered ? "" : " ORDER BY 1, 2"})
       TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`,
    { resolution: parameters.resolution, k: parameters.k, label: parameters.study_area },
  );
  return rows;
}

const indexes = new WeakMap<readonly string[], BigUint64Array>();

/** The 64-bit H3 indexes of cells (hex strings), computed once per cells array. */
function cellIndexes(cells: readonly string[]): BigUint64Array {
  let index = indexes.get(cells);
  if (!index) {
    index = BigUint64Array.from(cells, (cell) => BigInt(`0x${cell}`));
    indexes.set(cells, index);
  }
  return index;
}

const isSorted = (values: readonly string[]) => values.every((v, i) => i === 0 || values[i - 1]! < v);
