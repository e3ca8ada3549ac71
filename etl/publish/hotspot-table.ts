import type { DuckDBConnection } from "@duckdb/node-api";
import type { HotspotGroup, HotspotTable } from "../../dashboard/data-contract.ts";
import { ALL_CATEGORIES } from "../analytics/analyse-lake.ts";
import { DEFAULT_INFERENCE, type HotSpotInference } from "../analytics/gi-star-permutation.ts";
import { expandHotSpots, groupedHotSpots } from "../analytics/hot-spots.ts";
import { kRingWeights } from "../analytics/k-ring-weights.ts";
import { lakeLayout } from "../lake/lake-layout.ts";
import { z } from "zod";
import { hasParquet, queryColumns, queryRows } from "./lake-query.ts";
import { releaseHotSpotMonth, type CategoryMonth } from "./hotspot-release.ts";
import { sensitiveList, type ReleaseRules } from "./release-rules.ts";

/**
 * The published Gi* hot spots of every month: per non-sensitive category the lake's bins, and for
 * "all" a Gi* over the non-sensitive categories only, computed here from the lake's per-category
 * counts with the lake's inference (the lake's own "all" includes the sensitive categories, so its
 * bins could differ from this one only because of them). Released cell by cell under the release
 * rules (see releaseHotSpotMonth): bins where the neighbourhood count is 0 or at least the
 * threshold, counts with complementary suppression, no z or p.
 */
export async function hotspotTable(
  connection: DuckDBConnection,
  lakeDir: string,
  rules: ReleaseRules,
  k: number,
  inference: HotSpotInference = DEFAULT_INFERENCE,
): Promise<HotspotTable> {
  const empty: HotspotTable = { cells: [], categories: [], all_excludes: [...rules.sensitive].sort(), groups: [], untested: [] };
  if (!(await hasParquet(lakeLayout.hotspotsDir(lakeDir)))) return empty;
  const params = { glob: lakeLayout.glob(lakeLayout.hotspotsDir(lakeDir)), sensitive: sensitiveList(rules.sensitive), all: ALL_CATEGORIES };
  // Cells and categories as small dictionaries, rows as numeric columns: strings repeated on many rows
  // are what costs most on the way into JavaScript. Only cells with an incident or a bin are read.
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE publish_hot_spots AS
     WITH h AS (SELECT month, category, h3_cell, incidents, gi_bin, gi_bin_fdr, status FROM read_parquet($glob, hive_partitioning = true, union_by_name = true)
                 WHERE category <> $all AND NOT list_contains($sensitive, category)),
          cells AS (SELECT h3_cell, (row_number() OVER (ORDER BY h3_cell) - 1)::INTEGER AS cell_index FROM (SELECT DISTINCT h3_cell FROM read_parquet($glob, hive_partitioning = true)))
     SELECT h.month, h.category, cells.cell_index, h.incidents::INTEGER AS n, h.gi_bin::TINYINT AS bin, h.gi_bin_fdr::TINYINT AS bin_fdr, h.status
       FROM h JOIN cells USING (h3_cell)`,
    params,
  );
  const cells = (
    await queryRows(
      connection,
      "SELECT DISTINCT h3_cell FROM read_parquet($glob, hive_partitioning = true) ORDER BY h3_cell",
      { h3_cell: z.string() },
      { glob: params.glob },
    )
  ).map((r) => r.h3_cell);
  const categoryMonths = await queryRows(
    connection,
    "SELECT month, category, any_value(status) AS status FROM publish_hot_spots GROUP BY ALL ORDER BY month, category",
    { month: z.string(), category: z.string(), status: z.string().nullable() },
  );
  const columns = await queryColumns(
    connection,
    "SELECT month, category, cell_index, n, bin, bin_fdr FROM publish_hot_spots WHERE n > 0 OR bin <> 0 ORDER BY month, category",
    { month: z.string(), category: z.string(), cell_index: z.number(), n: z.number(), bin: z.number(), bin_fdr: z.number() },
  );
  await connection.run("DROP TABLE publish_hot_spots");

  const weights = kRingWeights(cells, k);
  const n = cells.length;
  const untested = categoryMonths.filter((c) => c.status === "too_few_incidents").map(({ month, category }) => ({ month, category }));
  const groups: HotspotGroup[] = [];
  const published = new Map<number, number>();
  const publishedCells: string[] = [];
  let r = 0;
  const months = [...new Set(categoryMonths.map((c) => c.month))];
  for (const month of months) {
    const byCategory = new Map<string, CategoryMonth>();
    for (const c of categoryMonths)
      if (c.month === month) byCategory.set(c.category, { category: c.category, counts: new Float64Array(n), bin: new Int8Array(n), binFdr: new Int8Array(n) });
    for (; r < columns.month.length && columns.month[r] === month; r++) {
      const c = byCategory.get(columns.category[r]!)!;
      const i = columns.cell_index[r]!;
      c.counts[i] = columns.n[r]!;
      c.bin[i] = columns.bin[r]!;
      c.binFdr[i] = columns.bin_fdr[r]!;
    }
    const parts = [...byCategory.values()];
    const allCounts = new Float64Array(n);
    for (const c of parts) for (let i = 0; i < n; i++) allCounts[i]! += c.counts[i]!;
    let all: CategoryMonth | null = null;
    if (allCounts.some((x) => x > 0)) {
      const result = expandHotSpots(groupedHotSpots(allCounts, weights, inference));
      if (result.status === "too_few_incidents") untested.push({ month, category: ALL_CATEGORIES });
      all = { category: ALL_CATEGORIES, counts: allCounts, bin: result.bin, binFdr: result.binFdr };
    }
    for (const g of releaseHotSpotMonth(all, parts, weights, rules)) {
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
  return { ...empty, cells: publishedCells, categories, groups, untested };
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
    ...(exactBudget ? { exactBudget } : {}),
  } as HotSpotInference;
}
