import type { DuckDBConnection } from "@duckdb/node-api";
import { getResolution } from "h3-js";
import { readVector } from "../lake/duckdb-columns.ts";
import { sqlLiteral } from "../duckdb/connection.ts";
import { tableFiles, tableSource } from "../lake/table-reader.ts";
import { TABLES, type LakeTable } from "../lake/tables.ts";
import { join } from "node:path";
import { readManifestText, type Manifest } from "../lake/manifest.ts";
import { cellsOfPoints, checkCoordinatePrecision, coordinateSpacingMetres, decimalPlacesArray, spacingOfDecimalPlaces } from "./coordinate-cells.ts";
import { storedLakeCounts, type LakeCounts } from "./lake-counts-store.ts";

export type { LakeCounts } from "./lake-counts-store.ts";

/**
 * Reads the counts of the lake's incident partitions in cells of H3 `resolution`, with the
 * aggregation in DuckDB and only numbers crossing into JavaScript. At the resolution the lake was
 * indexed at, the aggregate `cell_counts` is summed (no incident row is read: see lake/aggregates.ts);
 * at any other, every incident's stored coordinates are indexed afresh (see cellsOfPoints), after a
 * check that they are precise enough for cells that size (checkCoordinatePrecision) — so one ingest
 * serves every resolution, and only an analysis at another resolution than the stored one reads
 * `incidents/`.
 * The counts are reused while the manifest lists the same incident and aggregate partitions and the
 * resolution is the same: through `memo` (see LakeCountsMemo) or, without one, through the process's
 * last read — the stages of one `run` (the analytics, then publish's emerging and patrol figures) read
 * the lake's counts once, not once each. Callers treat the arrays as read-only.
 */
export async function readLakeCounts(connection: DuckDBConnection, lakeDir: string, resolution: number, memo?: LakeCountsMemo): Promise<LakeCounts> {
  return (memo ?? lastRead).read(connection, lakeDir, resolution);
}

/**
 * readLakeCounts of the given months only: the partitions of other months are not read at all, so
 * an analysis that recomputes one month of a long history reads that month's aggregates, not the
 * lake's. A month with no partition has no rows.
 */
export async function readLakeCountsOf(connection: DuckDBConnection, lakeDir: string, resolution: number, months: readonly string[]): Promise<LakeCounts> {
  // The process's read of the whole lake, where it is of the lake as it is now (`run`'s analyse reads it for the study-area
  // check just before): those months' rows of it, not the same partitions queried again.
  // At the lake's own resolution only: at another, the query indexes and checks those months' points itself.
  const whole = await lastRead.current(lakeDir, resolution);
  if (whole === undefined || (await storedResolution(lakeDir)) !== resolution) return queryCounts(connection, lakeDir, resolution, new Set(months));
  // The check the query makes of stored cells.
  await checkStoredPrecision(lakeDir, resolution);
  return countsOfMonths(whole, new Set(months));
}

/**
 * The rows of `counts` of the given months, with the dictionaries a read of those months alone gives:
 * the distinct values of the rows kept, in the order of `counts`' (sorted as readLakeCounts sorts them).
 */
export function countsOfMonths(counts: LakeCounts, months: ReadonlySet<string>): LakeCounts {
  const keepMonth = Uint8Array.from(counts.months, (m) => (months.has(m) ? 1 : 0));
  const usedCategory = new Uint8Array(counts.categories.length);
  const usedCell = new Uint8Array(counts.cells.length);
  let rows = 0;
  for (let r = 0; r < counts.count.length; r++) {
    if (keepMonth[counts.month[r]!] === 0) continue;
    usedCategory[counts.category[r]!] = 1;
    usedCell[counts.cell[r]!] = 1;
    rows++;
  }
  // Each old index's place among the values kept (a prefix count): dictionaries stay in order.
  const renumber = (used: Uint8Array) => {
    const to = new Uint32Array(used.length);
    let next = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) to[i] = next++;
    return to;
  };
  const [toMonth, toCategory, toCell] = [renumber(keepMonth), renumber(usedCategory), renumber(usedCell)];
  const out: LakeCounts = {
    months: counts.months.filter((_, i) => keepMonth[i] === 1),
    categories: counts.categories.filter((_, i) => usedCategory[i] === 1),
    cells: counts.cells.filter((_, i) => usedCell[i] === 1),
    month: new Uint32Array(rows),
    category: new Uint32Array(rows),
    cell: new Uint32Array(rows),
    count: new Float64Array(rows),
  };
  let w = 0;
  for (let r = 0; r < counts.count.length; r++) {
    if (keepMonth[counts.month[r]!] === 0) continue;
    out.month[w] = toMonth[counts.month[r]!]!;
    out.category[w] = toCategory[counts.category[r]!]!;
    out.cell[w] = toCell[counts.cell[r]!]!;
    out.count[w] = counts.count[r]!;
    w++;
  }
  return out;
}

/**
 * The last counts read, kept by the caller that reads them several times — the analytics stages of
 * one run share one, so the incidents are read once. They are reused only for the same lake while
 * its manifest lists the same incident and cell_counts partitions (same checksums: an old lake's
 * aggregates built afresh change them); a lake without a manifest is read every time.
 */
export class LakeCountsMemo {
  private last: { key: string; counts: LakeCounts } | undefined;
  /** The manifest text last parsed and the partitions it lists: a run asks some 40 times, mostly of an unchanged manifest. */
  private parsed: { text: string; partitions: string } | undefined;

  async read(connection: DuckDBConnection, lakeDir: string, resolution: number): Promise<LakeCounts> {
    const key = await this.keyNow(lakeDir, resolution);
    if (key !== null && this.last?.key === key) return this.last.counts;
    // Another memo's miss may be the process's hit (a run's analytics, then its publish).
    // The process's own miss reads the months the on-disk store does not hold (see storedLakeCounts).
    const counts =
      this === lastRead
        ? await storedLakeCounts(lakeDir, resolution, (months) => queryCounts(connection, lakeDir, resolution, months))
        : await lastRead.read(connection, lakeDir, resolution);
    this.last = key === null ? undefined : { key, counts };
    return counts;
  }

  /** The counts last read, where they are of the lake as its manifest lists it now (else undefined): nothing is read. */
  async current(lakeDir: string, resolution: number): Promise<LakeCounts | undefined> {
    if (this.last === undefined) return undefined;
    const key = await this.keyNow(lakeDir, resolution);
    return key !== null && this.last.key === key ? this.last.counts : undefined;
  }

  /** What the counts of `lakeDir` at `resolution` depend on: its manifest's incident and cell_counts partitions (null: no manifest). */
  private async keyNow(lakeDir: string, resolution: number): Promise<string | null> {
    const partitions = await readManifestText(lakeDir)
      .then((text) => {
        if (text === null) return null;
        if (this.parsed?.text === text) return this.parsed.partitions;
        const tables = (JSON.parse(text) as Manifest).tables;
        const listed = JSON.stringify([tables.incidents ?? {}, tables[TABLES.cell_counts.manifest ?? ""] ?? {}]);
        this.parsed = { text, partitions: listed };
        return listed;
      })
      .catch(() => null);
    return partitions === null ? null : `${lakeDir}\n${resolution}\n${partitions}`;
  }
}

/** The counts of the last readLakeCounts without a memo of its own (see there). */
const lastRead = new LakeCountsMemo();

async function queryCounts(connection: DuckDBConnection, lakeDir: string, resolution: number, only?: ReadonlySet<string>): Promise<LakeCounts> {
  // The files the manifest lists, not whatever the folder holds (a crashed writer's leftovers).
  const source = await sourceOf(lakeDir, TABLES.cell_counts, only);
  if (source === null) return emptyCounts();
  // Cells are grouped and joined as the 64-bit H3 index their hexadecimal string spells: cheaper than strings.
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE lake_counts AS
       SELECT month, offence_category AS category, ('0x' || h3_cell)::UBIGINT AS cell, sum(incidents)::DOUBLE AS n FROM ${source}
        GROUP BY ALL`,
  );
  const months = await dictionary(connection, "month");
  const categories = await dictionary(connection, "category");
  const cells = await dictionary(connection, "cell");
  if (cells.every((cell) => getResolution(cell) === resolution)) {
    await checkStoredPrecision(lakeDir, resolution);
    const columns = await readColumns(
      connection,
      `SELECT m.ix, k.ix, c.ix, n FROM lake_counts JOIN lake_month_ix m USING (month) JOIN lake_category_ix k USING (category) JOIN lake_cell_ix c USING (cell)`,
      [Uint32Array, Uint32Array, Uint32Array, Float64Array],
    );
    return { months, categories, cells, month: columns[0], category: columns[1], cell: columns[2], count: columns[3] };
  }
  // Another resolution than the stored cells': the counts per distinct position, indexed here.
  const incidents = await sourceOf(lakeDir, TABLES.incidents, only);
  if (incidents === null) return emptyCounts();
  const columns = await readColumns(
    connection,
    `SELECT m.ix, k.ix, p.lat, p.lon, p.n
       FROM (SELECT month, offence_category AS category, lat, lon, count(*)::DOUBLE AS n FROM ${incidents} GROUP BY ALL) p
       JOIN lake_month_ix m USING (month) JOIN lake_category_ix k USING (category)`,
    [Uint32Array, Uint32Array, Float64Array, Float64Array, Float64Array],
  );
  const [month, category, lat, lon, n] = columns;
  checkCoordinatePrecision(coordinateSpacingMetres(lat, lon, n), resolution);
  const points = cellsOfPoints(lat, lon, resolution);
  return { months, categories, ...merged(month, category, points.index, n, points.cells, categories.length) };
}

/**
 * The check of the re-indexing path (checkCoordinatePrecision) for the cells the ingests made: on the
 * rows by decimal places their reports keep (`coordinate_decimals`; exports ingested before it are
 * left out), so no incident row is read. 2-decimal coordinates (a grid of 1.1 km) in resolution 8
 * cells (edges of 531 m) are refused here as at resolution 9.
 */
async function checkStoredPrecision(lakeDir: string, resolution: number): Promise<void> {
  const text = await readManifestText(lakeDir);
  if (text === null) return;
  const reports = Object.values((JSON.parse(text) as Manifest).sources ?? {}).flatMap((r) => (r.coordinate_decimals ? [r.coordinate_decimals] : []));
  checkCoordinatePrecision(spacingOfDecimalPlaces(decimalPlacesArray(...reports)), resolution);
}

/** The resolution the lake's cells are stored at (its manifest's; null without a manifest). */
async function storedResolution(lakeDir: string): Promise<number | null> {
  const text = await readManifestText(lakeDir);
  return text === null ? null : (JSON.parse(text) as Manifest).h3_resolution;
}

/** `read_parquet` over the table's files (see tableSource), only those of `months` when given (null: none of them has a file). */
async function sourceOf(lakeDir: string, table: LakeTable, months: ReadonlySet<string> | undefined): Promise<string | null> {
  if (months === undefined) return tableSource(lakeDir, table);
  const files = (await tableFiles(lakeDir, table)).filter((key) => months.has(monthOfKey(key)));
  if (files.length === 0) return null;
  return `read_parquet([${files.map((key) => sqlLiteral(join(lakeDir, ...key.split("/")))).join(", ")}], hive_partitioning = true)`;
}

/** The month of a partition file's key ("cell_counts/month=2019-06/x.parquet" → "2019-06"). */
function monthOfKey(key: string): string {
  return /(?:^|\/)month=([^/]+)\//.exec(key)?.[1] ?? "";
}

function emptyCounts(): LakeCounts {
  return {
    months: [],
    categories: [],
    cells: [],
    month: new Uint32Array(0),
    category: new Uint32Array(0),
    cell: new Uint32Array(0),
    count: new Float64Array(0),
  };
}

/** The sorted distinct values of a column of lake_counts, and a temp table giving each its index. */
async function dictionary(connection: DuckDBConnection, column: "month" | "category" | "cell"): Promise<string[]> {
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE lake_${column}_ix AS SELECT ${column}, (row_number() OVER (ORDER BY ${column}) - 1)::UINTEGER AS ix FROM (SELECT DISTINCT ${column} FROM lake_counts)`,
  );
  const rows = (await connection.runAndReadAll(`SELECT ${column} FROM lake_${column}_ix ORDER BY ix`)).getRows();
  // An H3 index as h3-js writes it (lower-case hexadecimal, 15 digits): what the lake stores.
  return rows.map((r) => (typeof r[0] === "bigint" ? r[0].toString(16) : String(r[0])));
}

type ColumnKinds = ReadonlyArray<typeof Uint32Array | typeof Float64Array>;
type Columns<K extends ColumnKinds> = { [I in keyof K]: K[I] extends typeof Uint32Array ? Uint32Array : Float64Array };

/** The numeric result of `sql` in typed arrays, one per column, read chunk by chunk. */
async function readColumns<const K extends ColumnKinds>(connection: DuckDBConnection, sql: string, kinds: K): Promise<Columns<K>> {
  const parts: Array<Array<Uint32Array | Float64Array>> = [];
  let size = 0;
  const result = await connection.run(sql);
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const n = chunk.rowCount;
    parts.push(
      kinds.map((Kind, c) => {
        const into = new Kind(n);
        readVector(chunk.getColumnVector(c), into, 0, n);
        return into;
      }),
    );
    size += n;
  }
  const columns = kinds.map((Kind, c) => {
    const out = new Kind(size);
    let at = 0;
    for (const part of parts) {
      out.set(part[c]!, at);
      at += part[c]!.length;
    }
    return out;
  });
  return columns as unknown as Columns<K>;
}

/** Rows (month, category, cell, count) with the repeated triples summed: several positions fall in one cell. */
function merged(month: Uint32Array, category: Uint32Array, cell: Uint32Array, n: Float64Array, cells: string[], categoryCount: number) {
  const at = new Map<number, number>();
  const out = { month: new Uint32Array(n.length), category: new Uint32Array(n.length), cell: new Uint32Array(n.length), count: new Float64Array(n.length) };
  let size = 0;
  for (let r = 0; r < n.length; r++) {
    const key = (month[r]! * categoryCount + category[r]!) * cells.length + cell[r]!;
    let row = at.get(key);
    if (row === undefined) {
      at.set(key, (row = size++));
      out.month[row] = month[r]!;
      out.category[row] = category[r]!;
      out.cell[row] = cell[r]!;
    }
    out.count[row]! += n[r]!;
  }
  return { cells, month: out.month.slice(0, size), category: out.category.slice(0, size), cell: out.cell.slice(0, size), count: out.count.slice(0, size) };
}
