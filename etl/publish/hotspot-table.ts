import { filesBelow } from "../lake/lake-files.ts";
import { join, relative } from "node:path";
import { listValue, type DuckDBConnection } from "@duckdb/node-api";
import type { HotspotGroup, HotspotInference, HotspotTable } from "../../dashboard/data-contract.ts";
import { ALL_CATEGORIES } from "../analytics/analyse-lake.ts";
import { DEFAULT_INFERENCE, type HotSpotInference, type InferenceUsed } from "../analytics/gi-star-permutation.ts";
import { parametersFingerprint } from "../analytics/hot-spot-freshness.ts";
import { expandHotSpots, groupedHotSpots } from "../analytics/hot-spots.ts";
import { kRingWeights } from "../analytics/k-ring-weights.ts";
import { lakeLayout } from "../lake/lake-layout.ts";
import type { PartitionEntry } from "../lake/manifest.ts";
import { z } from "zod";
import { hasParquet, queryColumns, queryRows } from "./lake-query.ts";
import { releaseHotSpotMonth, type CategoryMonth, type MunicipalityCounts } from "./hotspot-release.ts";
import { getResolution, latLngToCell } from "h3-js";
import { tableFiles, tableSource } from "../lake/table-reader.ts";
import { TABLES } from "../lake/tables.ts";
import { monthFingerprints } from "./publish-state.ts";
import { sha256Text } from "../lake/atomic-file.ts";
import { sensitiveList, type ReleaseRules } from "./release-rules.ts";

/**
 * What a publish may reuse of the previous one's hot spots (see HotSpotReuse): the months it can
 * keep are those of a prefix of unchanged partitions, since each month's groups depend on that
 * month's partition alone and its cells are numbered in order of first appearance.
 */
export interface HotSpotState {
  /** Release rules, k, inference and the hot-spot parameters the partitions were computed with: any change and nothing is reused. */
  key: string;
  /** The study-area cells the partitions hold (every partition holds every cell of each category it has), sorted. */
  cells: string[];
  /** Each partition's month and fingerprint (its manifest key and SHA-256: monthFingerprints), by month. */
  partitions: Array<{ month: string; sha256: string }>;
  /** SHA-256 of the hotspots.json written from these partitions. */
  table_sha256: string;
}

/** The previous publish's hot spots and their state, and the lake's partitions now (manifest keys → entries). */
export interface HotSpotReuse {
  previous: { state: HotSpotState; table: HotspotTable } | null;
  partitions: Record<string, PartitionEntry>;
  /** The hot-spot parameters recorded in the manifest (their fingerprint is every entry's parameters_sha256). */
  parameters: Record<string, unknown> | undefined;
  /** The lake's cell_counts partitions now (manifest keys → entries): a month's cell counts are released with its municipalities' counts. */
  counts?: Record<string, PartitionEntry>;
}

/**
 * The published Gi* hot spots of every month: per non-sensitive category the lake's bins, and for
 * "all" a Gi* over the non-sensitive categories only, computed here from the lake's per-category
 * counts with the lake's inference (the lake's own "all" includes the sensitive categories, so its
 * bins could differ from this one only because of them). Released cell by cell under the release
 * rules (see releaseHotSpotMonth): bins where the neighbourhood count is 0 or at least the
 * threshold, counts with complementary suppression, no z or p.
 *
 * With `reuse`, the months of the previous publish whose partitions (and every earlier month's) are
 * unchanged are taken from it as they are, and only the later ones are read and computed: a new month
 * reads one partition. The result is the same as computing every month (each month's groups depend on
 * its partition alone); `state` is what the next publish needs to do the same (null: nothing to reuse).
 */
export async function hotspotTable(
  connection: DuckDBConnection,
  lakeDir: string,
  rules: ReleaseRules,
  k: number,
  inference: HotSpotInference = DEFAULT_INFERENCE,
): Promise<HotspotTable> {
  return (await hotSpotsReusing(connection, lakeDir, rules, k, inference)).table;
}

/** hotspotTable reusing the previous publish's months where their partitions are unchanged (see HotSpotReuse), with the state for the next. */
export async function hotSpotsReusing(
  connection: DuckDBConnection,
  lakeDir: string,
  rules: ReleaseRules,
  k: number,
  inference: HotSpotInference,
  reuse?: HotSpotReuse,
): Promise<{ table: HotspotTable; state: Omit<HotSpotState, "table_sha256"> | null }> {
  const empty: HotspotTable = {
    cells: [],
    categories: [],
    all_excludes: [...rules.sensitive].sort(),
    groups: [],
    untested: [],
    inference: [],
    permutations: inference.method === "permutation" ? inference.permutations : null,
  };
  if (!(await hasParquet(lakeLayout.hotspotsDir(lakeDir)))) return { table: empty, state: null };
  const glob = lakeLayout.glob(lakeLayout.hotspotsDir(lakeDir));
  const plan = reuse ? await reusePlan(lakeDir, rules, k, inference, reuse) : null;
  const cells =
    plan?.cells ??
    (
      await queryRows(
        connection,
        "SELECT DISTINCT h3_cell FROM read_parquet($glob, hive_partitioning = true) ORDER BY h3_cell",
        { h3_cell: z.string() },
        { glob },
      )
    ).map((r) => r.h3_cell);
  const source = plan ? plan.files : [glob];
  const params = { files: listValue(source), sensitive: sensitiveList(rules.sensitive), all: ALL_CATEGORIES, cells: listValue(cells) };
  // Cells and category-months as small dictionaries, rows as numeric columns: strings repeated on
  // many rows (1.2 M at 10 M incidents) are what costs most on the way into JavaScript, and sorting
  // by them in DuckDB. Only cells with an incident or a bin are read.
  const months: string[] = [];
  let categoryMonths: Array<{ month: string; category: string; status: string | null; inference: string | null }> = [];
  let columns: { category_month: number[]; cell_index: number[]; n: number[]; bin: number[]; bin_fdr: number[] } = {
    category_month: [],
    cell_index: [],
    n: [],
    bin: [],
    bin_fdr: [],
  };
  if (source.length > 0) {
    const read = `SELECT month, category, h3_cell, incidents, gi_bin, gi_bin_fdr, status, inference FROM read_parquet($files, hive_partitioning = true, union_by_name = true)
                   WHERE category <> $all AND NOT list_contains($sensitive, category)`;
    categoryMonths = await queryRows(
      connection,
      `SELECT month, category, any_value(status) AS status, any_value(inference) AS inference FROM (${read})
        WHERE h3_cell IN (SELECT unnest($cells)) GROUP BY ALL ORDER BY month, category`,
      { month: z.string(), category: z.string(), status: z.string().nullable(), inference: z.string().nullable() },
      params,
    );
    // category_month: the row's position in categoryMonths. None (every category sensitive, or no cell read): no rows,
    // and no query — DuckDB cannot type an empty list parameter.
    if (categoryMonths.length > 0)
      columns = await queryColumns(
        connection,
        `WITH h AS (${read}),
            cells AS (SELECT unnest($cells) AS h3_cell, (generate_subscripts($cells, 1) - 1)::INTEGER AS cell_index),
            category_months AS (SELECT unnest($months) AS month, unnest($categories) AS category, (generate_subscripts($months, 1) - 1)::INTEGER AS category_month)
       SELECT category_month, cell_index, incidents::INTEGER AS n, gi_bin::TINYINT AS bin, gi_bin_fdr::TINYINT AS bin_fdr
         FROM h JOIN cells USING (h3_cell) JOIN category_months USING (month, category)
        WHERE incidents > 0 OR gi_bin <> 0 ORDER BY category_month`,
        { category_month: z.number(), cell_index: z.number(), n: z.number(), bin: z.number(), bin_fdr: z.number() },
        { ...params, months: listValue(categoryMonths.map((c) => c.month)), categories: listValue(categoryMonths.map((c) => c.category)) },
      );
    months.push(...new Set(categoryMonths.map((c) => c.month)));
  }

  const weights = kRingWeights(cells, k);
  const n = cells.length;
  // The municipalities' monthly counts and their cells': a cell count is released with the overview's totals it is a part of.
  const municipalities = await municipalityCounts(connection, lakeDir, months, cells, rules);
  const kept = plan?.kept ?? { groups: [], untested: [], cells: [], inference: [] };
  const inferenceByMonth: HotspotInference[] = [...kept.inference];
  const untested = [...kept.untested, ...categoryMonths.filter((c) => c.status === "too_few_incidents").map(({ month, category }) => ({ month, category }))];
  const groups: HotspotGroup[] = [...kept.groups];
  const publishedCells: string[] = [...kept.cells];
  const cellIndex = new Map(cells.map((cell, i) => [cell, i]));
  const published = new Map<number, number>(publishedCells.map((cell, p) => [cellIndex.get(cell)!, p]));
  let r = 0;
  for (const month of months) {
    const byCategory = new Map<string, CategoryMonth>();
    for (const c of categoryMonths)
      if (c.month === month) byCategory.set(c.category, { category: c.category, counts: new Float64Array(n), bin: new Int8Array(n), binFdr: new Int8Array(n) });
    for (; r < columns.category_month.length && categoryMonths[columns.category_month[r]!]!.month === month; r++) {
      const c = byCategory.get(categoryMonths[columns.category_month[r]!]!.category)!;
      const i = columns.cell_index[r]!;
      c.counts[i] = columns.n[r]!;
      c.bin[i] = columns.bin[r]!;
      c.binFdr[i] = columns.bin_fdr[r]!;
    }
    const parts = [...byCategory.values()];
    const allCounts = new Float64Array(n);
    for (const c of parts) for (let i = 0; i < n; i++) allCounts[i]! += c.counts[i]!;
    let all: CategoryMonth | null = null;
    // The methods of the category-months the page can show bins of: the lake's for each category, this Gi*'s for "all".
    const methods: string[] = categoryMonths.filter((c) => c.month === month && c.status !== "too_few_incidents").map((c) => c.inference ?? "normal");
    if (allCounts.some((x) => x > 0)) {
      const result = expandHotSpots(groupedHotSpots(allCounts, weights, inference));
      if (result.status === "too_few_incidents") untested.push({ month, category: ALL_CATEGORIES });
      else methods.push(result.inference);
      all = { category: ALL_CATEGORIES, counts: allCounts, bin: result.bin, binFdr: result.binFdr };
    }
    if (methods.length > 0) inferenceByMonth.push(inferenceTally(month, methods));
    checkMunicipalityCounts(month, parts, municipalities.get(month), cells);
    for (const g of releaseHotSpotMonth(all, parts, weights, rules, municipalities.get(month))) {
      groups.push({
        month,
        category: g.category,
        bin: g.bin,
        bin_fdr: g.bin_fdr,
        count: g.count,
        withheld: g.withheld,
        withheld_fdr: g.withheld_fdr,
        cell: g.cell.map((i) => {
          let p = published.get(i);
          if (p === undefined) published.set(i, (p = publishedCells.push(cells[i]!) - 1));
          return p;
        }),
      });
    }
  }
  untested.sort((a, b) => a.month.localeCompare(b.month) || a.category.localeCompare(b.category));
  const present = new Set([...groups, ...untested].map((g) => g.category));
  const categories = [ALL_CATEGORIES, ...[...present].filter((c) => c !== ALL_CATEGORIES).sort()].filter((c) => present.has(c));
  const table = { ...empty, cells: publishedCells, categories, groups, untested, inference: inferenceByMonth };
  return { table, state: reuse ? stateNow(rules, k, inference, reuse, cells) : null };
}

/**
 * Per month and non-sensitive category, each municipality's count (the overview's monthly table's,
 * from the same cell_counts) and its incidents in each study-area cell (position in `cells`), for the
 * months given. Cells at another resolution than the lake's stored one are counted from the
 * incidents' coordinates (as the hot spots were). A study-area cell whose count here is not the hot
 * spots' is refused later (releaseCellCounts): the hot spots would be older than the counts.
 */
async function municipalityCounts(
  connection: DuckDBConnection,
  lakeDir: string,
  months: readonly string[],
  cells: readonly string[],
  rules: ReleaseRules,
): Promise<Map<string, Map<string, MunicipalityCounts>>> {
  const out = new Map<string, Map<string, MunicipalityCounts>>();
  if (months.length === 0 || cells.length === 0 || (await tableFiles(lakeDir, TABLES.cell_counts)).length === 0) return out;
  const resolution = getResolution(cells[0]!);
  const params = { months: listValue([...months]), sensitive: sensitiveList(rules.sensitive) };
  const byMunicipality = (month: string, category: string, municipality: string): { total: number; cells: Map<number, number> } => {
    const byCategory = out.get(month) ?? out.set(month, new Map()).get(month)!;
    const byName = byCategory.get(category) ?? byCategory.set(category, new Map()).get(category)!;
    return byName.get(municipality) ?? byName.set(municipality, { total: 0, cells: new Map() }).get(municipality)!;
  };
  const source = await tableSource(lakeDir, TABLES.cell_counts);
  const stored = await queryRows(connection, `SELECT h3_cell FROM ${source} WHERE h3_cell IS NOT NULL LIMIT 1`, { h3_cell: z.string() });
  if (stored.length === 0 || getResolution(stored[0]!.h3_cell) === resolution) {
    // One row per month, category and municipality, its study-area cells' positions and counts as
    // lists: millions of (month, category, municipality, cell) rows cost seconds as JavaScript objects.
    const rows = await queryRows(
      connection,
      `WITH c AS (SELECT month, offence_category AS category, coalesce(municipality, '') AS municipality, h3_cell, sum(incidents)::INTEGER AS n
                    FROM ${source}
                   WHERE list_contains($months, month) AND NOT list_contains($sensitive, offence_category)
                   GROUP BY ALL),
            cells AS (SELECT unnest($cells) AS h3_cell, (generate_subscripts($cells, 1) - 1)::INTEGER AS cell_index)
       SELECT month, category, municipality, sum(n)::INTEGER AS total,
              coalesce(list(cell_index ORDER BY cell_index) FILTER (WHERE cell_index IS NOT NULL), []) AS cell_index,
              coalesce(list(n ORDER BY cell_index) FILTER (WHERE cell_index IS NOT NULL), []) AS cell_n
         FROM c LEFT JOIN cells USING (h3_cell)
        GROUP BY ALL`,
      { month: z.string(), category: z.string(), municipality: z.string(), total: z.number(), cell_index: z.array(z.number()), cell_n: z.array(z.number()) },
      { ...params, cells: listValue([...cells]) },
    );
    for (const r of rows) {
      const m = byMunicipality(r.month, r.category, r.municipality);
      m.total += r.total;
      r.cell_index.forEach((i, k) => m.cells.set(i, (m.cells.get(i) ?? 0) + r.cell_n[k]!));
    }
    return out;
  }
  // Cells at another resolution than the lake's stored one: counted from the incidents' coordinates (as the hot spots were).
  const rows = await queryRows(
    connection,
    `SELECT month, offence_category AS category, coalesce(municipality, '') AS municipality, lat, lon, count(*)::INTEGER AS n
       FROM ${await tableSource(lakeDir, TABLES.incidents)}
      WHERE list_contains($months, month) AND NOT list_contains($sensitive, offence_category)
      GROUP BY ALL`,
    { month: z.string(), category: z.string(), municipality: z.string(), lat: z.number().nullable(), lon: z.number().nullable(), n: z.number() },
    params,
  );
  const position = new Map(cells.map((cell, i) => [cell, i]));
  for (const r of rows) {
    const m = byMunicipality(r.month, r.category, r.municipality);
    m.total += r.n;
    const i = r.lat === null || r.lon === null ? undefined : position.get(latLngToCell(r.lat, r.lon, resolution));
    if (i !== undefined) m.cells.set(i, (m.cells.get(i) ?? 0) + r.n);
  }
  return out;
}

/** Refuses hot spots whose cell counts are not the lake's cell counts of the month (hot spots older than a late export), naming the cell and what to run. */
function checkMunicipalityCounts(
  month: string,
  parts: readonly CategoryMonth[],
  counts: Map<string, MunicipalityCounts> | undefined,
  cells: readonly string[],
): void {
  if (counts === undefined) return; // no cell counts read (a lake without them): the cells' release alone
  for (const c of parts) {
    const inCells = new Float64Array(cells.length);
    for (const m of counts?.get(c.category)?.values() ?? []) for (const [i, n] of m.cells) inCells[i]! += n;
    const i = inCells.findIndex((n, i) => n !== c.counts[i]);
    if (i >= 0) {
      throw new Error(
        `hot spots of ${month}, ${c.category}: cell ${cells[i]} holds ${c.counts[i]} incidents, the lake's cell counts ${inCells[i]}; ` +
          `the hot spots are older than the lake's incidents: run hotspots run --no-ingest, then publish`,
      );
    }
  }
}

/** How many of a month's tested category-months had their p-values from each method (a method the lake does not name counts as it records it: normal). */
function inferenceTally(month: string, methods: readonly string[]): HotspotInference {
  const count = (m: InferenceUsed) => methods.filter((x) => x === m).length;
  return { month, exact: count("exact"), monte_carlo: count("monte-carlo"), normal: methods.length - count("exact") - count("monte-carlo") };
}

/**
 * The key of everything besides the partitions that the published hot spots depend on (version: of the
 * release, 2 since a cell's counts are released whichever are significant, 3 since each month's inference is published,
 * 4 since they are released with their municipalities' monthly counts).
 */
function stateKey(rules: ReleaseRules, k: number, inference: HotSpotInference, parameters: Record<string, unknown> | undefined): string {
  return JSON.stringify({ version: 4, threshold: rules.threshold, sensitive: [...rules.sensitive].sort(), k, inference, parameters: parameters ?? null });
}

/**
 * The partitions now, by month (one file per month) with each month's fingerprint (its key and
 * SHA-256, see monthFingerprints), or null where they cannot be reused from (several files of a
 * month, or mixed parameters).
 */
function partitionsNow(reuse: HotSpotReuse): Array<{ month: string; sha256: string }> | null {
  const entries = Object.values(reuse.partitions);
  const parameters = reuse.parameters ? parametersFingerprint(reuse.parameters) : null;
  const sameParameters = entries.every((e) => e.parameters_sha256 === parameters);
  if (!sameParameters || new Set(entries.map((e) => e.month)).size !== entries.length) return null;
  // A month's release reads its cell counts too (the municipalities' totals): a late export without coordinates changes them alone.
  const counts = monthFingerprints(reuse.counts ?? {});
  return [...monthFingerprints(reuse.partitions)]
    .map(([month, { sha256 }]) => ({ month, sha256: counts.has(month) ? sha256Text(`${sha256} ${counts.get(month)!.sha256}`) : sha256 }))
    .sort((a, b) => a.month.localeCompare(b.month));
}

function stateNow(
  rules: ReleaseRules,
  k: number,
  inference: HotSpotInference,
  reuse: HotSpotReuse,
  cells: string[],
): Omit<HotSpotState, "table_sha256"> | null {
  const partitions = partitionsNow(reuse);
  return partitions ? { key: stateKey(rules, k, inference, reuse.parameters), cells, partitions } : null;
}

/**
 * Which months of the previous publish can be kept: the longest prefix of months whose partitions are
 * byte for byte those it was made from, when the key (rules, k, inference, parameters) is the same and
 * the partition folder holds exactly the files the manifest lists. Null: compute every month.
 */
async function reusePlan(lakeDir: string, rules: ReleaseRules, k: number, inference: HotSpotInference, reuse: HotSpotReuse) {
  const previous = reuse.previous;
  const now = partitionsNow(reuse);
  if (!previous || !now || previous.state.key !== stateKey(rules, k, inference, reuse.parameters)) return null;
  // The full computation reads the folder: reuse only where it holds just the listed files.
  const onDisk = (filesBelow(lakeLayout.hotspotsDir(lakeDir)) ?? []).filter((f) => f.endsWith(".parquet")).sort();
  const listed = Object.keys(reuse.partitions)
    .map((key) => relative(lakeLayout.hotspotsDir(lakeDir), join(lakeDir, key)))
    .sort();
  if (JSON.stringify(onDisk) !== JSON.stringify(listed)) return null;
  let same = 0;
  while (
    same < now.length &&
    same < previous.state.partitions.length &&
    now[same]!.month === previous.state.partitions[same]!.month &&
    now[same]!.sha256 === previous.state.partitions[same]!.sha256
  )
    same++;
  const keptMonths = new Set(now.slice(0, same).map((p) => p.month));
  const groups = previous.table.groups.filter((g) => keptMonths.has(g.month));
  // Cells are numbered in order of first appearance, so the kept months' cells are a prefix of the list.
  const used = groups.reduce((m, g) => g.cell.reduce((x, c) => Math.max(x, c + 1), m), 0);
  const byMonth = new Map(Object.entries(reuse.partitions).map(([key, entry]) => [entry.month, join(lakeDir, key)]));
  return {
    cells: previous.state.cells,
    files: now.slice(same).map((p) => byMonth.get(p.month)!),
    kept: {
      groups,
      untested: previous.table.untested.filter((u) => keptMonths.has(u.month)),
      cells: previous.table.cells.slice(0, used),
      inference: (previous.table.inference ?? []).filter((i) => keptMonths.has(i.month)),
    },
  };
}

/** The inference the lake's hot spots were computed with (its manifest parameters), for the published "all". */
export function lakeInference(parameters: Record<string, unknown> | undefined): HotSpotInference {
  if (!parameters) return DEFAULT_INFERENCE;
  if (parameters.inference === "normal approximation of z") return { method: "normal" };
  const permutations = typeof parameters.permutations === "number" ? parameters.permutations : undefined;
  const seed = typeof parameters.seed === "number" ? parameters.seed : undefined;
  const exactBudget = typeof parameters.exact_budget === "number" ? parameters.exact_budget : undefined;
  return {
    ...DEFAULT_INFERENCE,
    method: "permutation",
    ...(permutations ? { permutations } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(exactBudget !== undefined ? { exactBudget } : {}),
  } as HotSpotInference;
}
