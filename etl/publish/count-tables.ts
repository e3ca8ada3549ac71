import type { DuckDBConnection } from "@duckdb/node-api";
import type { MonthlyCount, YearlyCount } from "../../dashboard/data-contract.ts";
import { ALL_CATEGORIES } from "../analytics/analyse-lake.ts";
import { analysisStart, type LakeAnalysisEnd, type MonthLeftOut } from "../analytics/lake-months.ts";
import { monthRange } from "../analytics/monthly-counts.ts";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { sqlLiteral } from "../duckdb/connection.ts";
import { MANIFEST_FILE, parseManifest, type Manifest } from "../lake/manifest.ts";
import { tableFiles, tableSource } from "../lake/table-reader.ts";
import { TABLES } from "../lake/tables.ts";
import { z } from "zod";
import { queryRows } from "./lake-query.ts";
import { monthFingerprints, readState, writeState } from "./publish-state.ts";
import { suppressLinked, type CellRole, type LinkedCell, type Relation } from "./linked-suppression.ts";
import type { ReleaseRules } from "./release-rules.ts";

/** The dashboard's count tables. */
export interface CountTables {
  monthly: MonthlyCount[];
  yearly: YearlyCount[];
  /** `file`: the export's key in the manifest's sources (see etl/ingest/export-identity.ts, exportName). */
  bySource: Array<{ file: string; month: string; count: number | null }>;
  /** Every category the cell_counts files hold (sensitive ones too), sorted: the briefing names the sensitive ones it leaves out. */
  categories: string[];
  /**
   * The incidents dated before the analysed months (analysisStart: late reports, mistyped years),
   * which monthly and yearly leave out: `start`, the first analysed month; `count` their number,
   * released with the tables (null where withheld). null where no incident precedes `start`.
   */
  before: { start: string; count: number | null } | null;
  /**
   * The months after the analysed ones (the lake's analysisEnd: not ended, or too few incidents),
   * each with its incidents over every municipality, released with the tables (null where withheld).
   * The monthly tables keep them: they are the lake's counts, only not analysed.
   */
  notAnalysed: Array<Omit<MonthLeftOut, "incidents"> & { count: number | null }>;
}

/** Months in the trailing moving average of the overview's trend lines. */
export const MOVING_AVERAGE_MONTHS = 12;

/**
 * The count tables from one scan of the aggregate cell_counts (lake/aggregates.ts; its files are
 * named by export like the incident partitions they count), every figure computed from the full counts
 * and only then released, all tables together (releaseCounts: linked-table suppression, so that no
 * withheld count comes back by difference through another table or the row accounting):
 * - monthly: per month and municipality the total over every category ("all"; this is municipality
 *   level, so the sensitive categories are in it) and its categories; each series (municipality ×
 *   category, "all" included) with its trailing 12-month average where every month of the window is
 *   published (see movingAverages);
 * - yearly: per year the total ("all") and its categories over the study area;
 * - bySource: per export (its key in the manifest, which names its partition files: not the bare file
 *   name in `source_file`, which two exports from different folders share) and month.
 * With `cache` (a file the publish keeps for the next one, see cachedCountRows), only the months whose
 * cell_counts partitions changed since are read: a new month reads that month's files, not the lake's.
 */
export async function countTables(
  connection: DuckDBConnection,
  lakeDir: string,
  rules: ReleaseRules,
  cache?: { file: string; manifest?: Pick<Manifest, "tables"> },
  ending?: Pick<LakeAnalysisEnd, "leftOut" | "current">,
): Promise<CountTables> {
  const { rows } = cache ? await cachedCountRows(connection, lakeDir, cache.file, cache.manifest) : { rows: await countRows(connection, lakeDir) };
  return countTablesOf(rows, rules, ending);
}

/**
 * countTables from the rows read (countRows). The monthly and yearly tables cover the analysed
 * months only, from analysisStart to the last month: the months before it (a row of 1999 in an
 * export of 2016–2018) would stretch the overview's charts over years of empty months. Their
 * incidents stay in the row accounting and the per-export months (data-quality.json), so their
 * number is a part of the grand total beside the years, released with the tables (`before`): left
 * out unaccounted, the grand total minus the years would give it back. `ending` is the lake's
 * analysed end (lakeAnalysisEnd, as the analyses cut it), whose left-out months the overview notes.
 */
export function countTablesOf(rows: readonly CountRow[], rules: ReleaseRules, ending?: Pick<LakeAnalysisEnd, "leftOut" | "current">): CountTables {
  const perMonth = new Map<string, number>();
  for (const r of rows) perMonth.set(r.month, (perMonth.get(r.month) ?? 0) + r.n);
  const start = analysisStart(perMonth, ending?.current);
  const analysed = start === null ? rows : rows.filter((r) => r.month >= start);
  // Without the lake's end, none is left out at the end (a caller that publishes no note of it).
  const leftOut = (ending?.leftOut ?? []).filter((m) => start === null || m.month >= start);
  const sums = countSums(rows, analysed);
  const released = releaseCounts(
    sums,
    rules.threshold,
    leftOut.map((m) => m.month),
  );
  const months =
    analysed.length > 0
      ? monthRange(
          analysed[0]!.month,
          analysed.reduce((m, r) => (r.month > m ? r.month : m), analysed[0]!.month),
        )
      : [];
  const published = new Map<string, Map<string, number | null>>(); // series (municipality, category) → month → released count
  const monthly: MonthlyCount[] = [];
  for (const [k, parts] of sums.monthly) {
    const [month, municipality] = k.split(SEP) as [string, string];
    for (const [category] of [[ALL_CATEGORIES], ...parts]) {
      const count = released.get(monthlyKey(month, municipality, category)) ?? null;
      monthly.push({ month, category, municipality, count, average_12m: null });
      const series = `${municipality}${SEP}${category}`;
      if (!published.has(series)) published.set(series, new Map());
      published.get(series)!.set(month, count);
    }
  }
  // Moving averages of each series over the months of the lake, from the released counts (a month without a row is 0), rows added where a month had none.
  const at = new Map(monthly.map((m) => [`${m.municipality}${SEP}${m.category}${SEP}${m.month}`, m]));
  for (const [series, counts] of published) {
    const [municipality, category] = series.split(SEP) as [string, string];
    const averages = movingAverages(
      months.map((m) => (counts.has(m) ? counts.get(m)! : 0)),
      MOVING_AVERAGE_MONTHS,
    );
    months.forEach((month, t) => {
      const average = averages[t]!;
      if (average === undefined) return;
      const row = at.get(`${series}${SEP}${month}`);
      if (row) row.average_12m = average;
      else if (average !== null && average > 0) monthly.push({ month, category, municipality, count: 0, average_12m: average });
    });
  }
  monthly.sort((a, b) => a.month.localeCompare(b.month) || a.category.localeCompare(b.category) || a.municipality.localeCompare(b.municipality));

  const yearly: YearlyCount[] = [...sums.yearly]
    .flatMap(([year, parts]) =>
      [...parts, [ALL_CATEGORIES, 0] as const].map(([category]) => ({ year, category, count: released.get(yearlyKey(year, category)) ?? null })),
    )
    .sort((a, b) => a.year.localeCompare(b.year) || a.category.localeCompare(b.category));
  const bySource: CountTables["bySource"] = [...sums.bySource]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([file, parts]) => parts.map(([month]) => ({ file, month, count: released.get(sourceKey(file, month)) ?? null })));
  const before = start !== null && analysed.length < rows.length ? { start, count: released.get(BEFORE_KEY) ?? null } : null;
  const notAnalysed = leftOut.map(({ month, reason }) => ({ month, reason, count: released.get(`month${SEP}${month}`) ?? null }));
  return { monthly, yearly, bySource, categories: [...new Set(rows.map((r) => r.category))].sort(), before, notAnalysed };
}

const SEP = "\u0000";
const sum = (parts: ReadonlyArray<readonly [string, number]>) => parts.reduce((s, [, n]) => s + n, 0);

/** The full counts the tables publish, each a total and its parts: [part, count] pairs in order of the rows. */
export interface CountSums {
  /** (month, municipality) → its categories, of the analysed months. */
  monthly: Map<string, Array<[string, number]>>;
  /** year → its categories over the study area, of the analysed months. */
  yearly: Map<string, Array<[string, number]>>;
  /** export → its months, every one (the months before the analysed ones too). */
  bySource: Map<string, Array<[string, number]>>;
}

/** The sums of `analysed` (the rows of the analysed months) per month and year, and of every row per export. */
function countSums(rows: readonly CountRow[], analysed: readonly CountRow[] = rows): CountSums {
  const group = (key: (r: CountRow) => string, part: (r: CountRow) => string, of = analysed) => {
    const out = new Map<string, Map<string, number>>();
    for (const r of of) {
      const parts = out.get(key(r)) ?? out.set(key(r), new Map()).get(key(r))!;
      parts.set(part(r), (parts.get(part(r)) ?? 0) + r.n);
    }
    return new Map([...out].map(([k, parts]) => [k, [...parts]]));
  };
  return {
    monthly: group(
      (r) => `${r.month}${SEP}${r.municipality}`,
      (r) => r.category,
    ),
    yearly: group(
      (r) => r.month.slice(0, 4),
      (r) => r.category,
    ),
    bySource: group(
      (r) => r.file,
      (r) => r.month,
      rows,
    ),
  };
}

const monthlyKey = (month: string, municipality: string, category: string) => `monthly${SEP}${month}${SEP}${municipality}${SEP}${category}`;
const yearlyKey = (year: string, category: string) => `yearly${SEP}${year}${SEP}${category}`;
const sourceKey = (file: string, month: string) => `source${SEP}${file}${SEP}${month}`;
/** The incidents of the months before the analysed ones (CountTables.before). */
const BEFORE_KEY = "before";

/**
 * The count tables released together (linked-suppression.ts), keyed by monthlyKey, yearlyKey and
 * sourceKey (and BEFORE_KEY where months precede the analysed ones): null where withheld. The
 * relations are every sum the published files let an adversary form — a municipality's month and its
 * categories; a year and its categories; a year's category (and "all") and the months ×
 * municipalities of it; the month's total over the study area (virtual, never published) and both
 * its municipalities and its exports (a month before the analysed ones: its exports only); a year
 * and its months' totals; the months before the analysed ones and their totals; an export's total
 * and its months; the grand total and the years with the months before them, and the exports. The export totals
 * and the grand total are the row accounting that meta.json and data-quality.json publish (rows
 * ingested: every incident has its cell_counts row, with or without a cell), so they stay published
 * (`fixed`); an export of fewer rows than the threshold is the one relation left unprotected, and its
 * total was published anyway. The totals of the `published` months over the study area are published
 * too (the months the overview says are not analysed, with their incidents), so they are candidates, not virtual.
 */
export function releaseCounts(sums: CountSums, threshold: number, published: readonly string[] = []): Map<string, number | null> {
  const cells: LinkedCell[] = [];
  const index = new Map<string, number>();
  const cell = (key: string, value: number, role: CellRole = "candidate") => {
    if (!index.has(key)) index.set(key, cells.push({ value, role }) - 1);
    return index.get(key)!;
  };
  const relations: Relation[] = [];
  const relate = (total: number, parts: number[]) => relations.push({ total, parts });
  const byYear = new Map<string, Map<string, number[]>>(); // year → category ("all" too) → monthly cells
  const monthTotals = new Map<string, number[]>(); // month → its municipalities' "all" cells
  for (const [k, parts] of sums.monthly) {
    const [month, municipality] = k.split(SEP) as [string, string];
    const total = cell(monthlyKey(month, municipality, ALL_CATEGORIES), sum(parts));
    relate(
      total,
      parts.map(([category, n]) => cell(monthlyKey(month, municipality, category), n)),
    );
    const year = byYear.get(month.slice(0, 4)) ?? byYear.set(month.slice(0, 4), new Map()).get(month.slice(0, 4))!;
    for (const [category] of [[ALL_CATEGORIES], ...parts]) {
      year.set(category, [...(year.get(category) ?? []), index.get(monthlyKey(month, municipality, category))!]);
    }
    monthTotals.set(month, [...(monthTotals.get(month) ?? []), total]);
  }
  const studyArea = new Map(
    [...monthTotals].map(([month, parts]) => [
      month,
      cell(
        `month${SEP}${month}`,
        parts.reduce((s, i) => s + cells[i]!.value, 0),
        published.includes(month) ? "candidate" : "virtual",
      ),
    ]),
  );
  for (const [month, parts] of monthTotals) relate(studyArea.get(month)!, parts);
  const years: number[] = [];
  for (const [year, parts] of sums.yearly) {
    const total = cell(yearlyKey(year, ALL_CATEGORIES), sum(parts));
    years.push(total);
    relate(
      total,
      parts.map(([category, n]) => cell(yearlyKey(year, category), n)),
    );
    for (const [category, monthlyCells] of byYear.get(year)!) relate(index.get(yearlyKey(year, category))!, monthlyCells);
    relate(
      total,
      [...studyArea].filter(([month]) => month.startsWith(year)).map(([, i]) => i),
    );
  }
  const exports: number[] = [];
  const bySourceMonth = new Map<string, number[]>();
  for (const [file, parts] of sums.bySource) {
    const months = parts.map(([month, n]) => {
      const i = cell(sourceKey(file, month), n);
      bySourceMonth.set(month, [...(bySourceMonth.get(month) ?? []), i]);
      return i;
    });
    exports.push(cell(`export${SEP}${file}`, sum(parts), "fixed"));
    relate(exports.at(-1)!, months);
  }
  // A month before the analysed ones has its exports' counts only; their sum is the part of the grand total beside the years.
  const before: number[] = [];
  for (const [month, parts] of bySourceMonth) {
    let total = studyArea.get(month);
    if (total === undefined) {
      total = cell(
        `month${SEP}${month}`,
        parts.reduce((s, i) => s + cells[i]!.value, 0),
        "virtual",
      );
      before.push(total);
    }
    relate(total, parts);
  }
  if (before.length > 0) {
    const total = cell(
      BEFORE_KEY,
      before.reduce((s, i) => s + cells[i]!.value, 0),
    );
    relate(total, before);
    years.push(total);
  }
  const grand = cell(
    "grand total",
    years.reduce((s, i) => s + cells[i]!.value, 0),
    "fixed",
  );
  relate(grand, years);
  relate(grand, exports);
  const { withheld } = suppressLinked(cells, relations, threshold);
  return new Map([...index].map(([key, i]) => [key, withheld[i] ? null : cells[i]!.value]));
}

/**
 * Trailing moving averages of a monthly series of released counts (null: withheld): undefined for the
 * first window − 1 months (a shorter window would be a single month's count), null where a month of
 * the window is withheld, otherwise the mean rounded to a whole number. Only windows of published
 * months: a mean gives its window's sum to within `window` values, and such sums, with the published
 * months, the municipality totals and the years, narrowed withheld counts (sensitive ones too) to one
 * or two values; a mean of published months adds nothing to what they publish. Rounded because
 * the chart draws whole incidents.
 */
export function movingAverages(counts: ReadonlyArray<number | null>, window: number): Array<number | null | undefined> {
  const out: Array<number | null | undefined> = [];
  let sum = 0;
  let withheld = 0; // withheld months in the window
  for (let t = 0; t < counts.length; t++) {
    const entering = counts[t]!;
    if (entering === null) withheld++;
    else sum += entering;
    if (t >= window) {
      const leaving = counts[t - window]!;
      if (leaving === null) withheld--;
      else sum -= leaving;
    }
    if (t < window - 1) out.push(undefined);
    else out.push(withheld > 0 ? null : Math.round(sum / window));
  }
  return out;
}

/** The sums countTables starts from: per month, category, municipality ('' for none) and export file (its partition files' name). */
export interface CountRow {
  month: string;
  category: string;
  municipality: string;
  file: string;
  n: number;
}

const COUNT_ROW = { month: z.string(), category: z.string(), municipality: z.string(), file: z.string(), n: z.number() };

/** The sums of the cell_counts files the manifest lists (of `keys` only, when given), ordered by month, category, municipality and file. */
export async function countRows(connection: DuckDBConnection, lakeDir: string, keys?: readonly string[]): Promise<CountRow[]> {
  if (keys?.length === 0) return [];
  const source = keys
    ? `read_parquet([${keys.map((key) => sqlLiteral(join(lakeDir, ...key.split("/")))).join(", ")}], hive_partitioning = true, filename = true)`
    : await tableSource(lakeDir, TABLES.cell_counts, { filename: true });
  return queryRows(
    connection,
    `SELECT month, offence_category AS category, coalesce(municipality, '') AS municipality, parse_filename(filename, true) AS file, sum(incidents)::INTEGER AS n
       FROM ${source}
      GROUP BY ALL ORDER BY ALL`,
    COUNT_ROW,
  );
}

/** What the cache file holds: per month the fingerprint of its cell_counts partitions and its rows. */
interface CountRowsCache {
  months: Record<string, { partitions_sha256: string; rows: CountRow[] }>;
}

/**
 * countRows, read only for the months whose cell_counts partitions (their manifest keys and SHA-256s,
 * see monthFingerprints) are not those recorded in `file` by the previous call; the other months' rows
 * are taken from it. The rows of a month depend on its partitions' bytes alone, so the result is
 * countRows' whatever the file holds for other fingerprints; a missing or unreadable file, or a lake
 * without a manifest (no checksums), reads every month. `manifest`: the lake's where the caller has
 * read it (publish; else it is read and checked here). Writes the file afresh. Returns the months
 * read. The file holds the sums before any suppression: keep it where nothing publishes it (publish
 * keeps it in the data folder's `.state/`, see publish-state.ts).
 */
export async function cachedCountRows(
  connection: DuckDBConnection,
  lakeDir: string,
  file: string,
  manifest?: Pick<Manifest, "tables">,
): Promise<{ rows: CountRow[]; read: string[] }> {
  const keys = await tableFiles(lakeDir, TABLES.cell_counts); // refuses aggregates that lag their incidents
  const tables = manifest ? manifest.tables : (await lakeManifest(lakeDir))?.tables;
  const entries = tables?.[TABLES.cell_counts.manifest ?? ""];
  if (!entries) {
    const rows = await countRows(connection, lakeDir);
    return { rows, read: [...new Set(rows.map((r) => r.month))] };
  }
  const byMonth = monthFingerprints(entries, keys);
  const previous = (await readState<CountRowsCache>(file))?.months ?? {};
  const next: CountRowsCache = { months: {} };
  const stale: string[] = [];
  for (const [month, { sha256: partitions }] of byMonth) {
    const kept = previous[month];
    if (kept && kept.partitions_sha256 === partitions && Array.isArray(kept.rows)) next.months[month] = kept;
    else {
      stale.push(month);
      next.months[month] = { partitions_sha256: partitions, rows: [] };
    }
  }
  for (const row of await countRows(
    connection,
    lakeDir,
    stale.flatMap((month) => byMonth.get(month)!.keys),
  ))
    next.months[row.month]?.rows.push(row);
  await writeState(file, next);
  const rows = [...byMonth.keys()].sort().flatMap((month) => next.months[month]!.rows);
  return { rows, read: stale.sort() };
}

/** The lake's manifest, checked, or null where it has none. */
async function lakeManifest(lakeDir: string): Promise<Manifest | null> {
  const path = join(lakeDir, MANIFEST_FILE);
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  return text === null ? null : parseManifest(text, path);
}
