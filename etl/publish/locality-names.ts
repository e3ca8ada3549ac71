/**
 * Cells named by the export's own localities (the canonical `locality` column: a neighbourhood,
 * borough or "On or near …" street of the source), where the places data names nothing: a city with
 * no places file (`places: null`), or a cell no place of it is near. So an analyst anywhere can find
 * a hot spot or a patrol area on the map. The places data keeps priority where it names a cell.
 *
 * The rule (LOCALITY_NAME_RULE), over the incidents of a cell (or of a patrol area's cells, summed)
 * in every month of the lake, counting only those of non-sensitive categories whose locality is not
 * blank, localities ranked by count (ties by name), n₁ ≥ n₂ ≥ n₃ their counts (0 where there is none):
 *
 * - the first alone, where n₁ ≥ k and n₁ ≥ 2·n₂: a clear plurality, at least twice the runner-up;
 * - "first / second", where n₂ ≥ k and n₂ ≥ 2·n₃ (and n₁ < 2·n₂): two localities share the cell
 *   clearly — it lies on their boundary, and an analyst looks for it under either name. A tie of two
 *   is such a cell (its names in order of name), not a reason to name nothing;
 * - no name otherwise: no locality, or no pair, leads clearly, or the leaders hold fewer than k.
 *
 * A locality is counted as `localityText` gives it: police.uk's "On or near " prefix left out.
 *
 * k is the release rules' suppression threshold. Privacy: each name published stands for at least k
 * non-sensitive incidents of the cell that report it — what a published per-cell count of k or more
 * already says of the cell, with the export's own words for where it is. A locality reported by
 * fewer than k incidents of a cell is never published for it, and the sensitive categories are not
 * counted, so a cell's name is the same with or without them (as every per-cell figure is, see
 * release-rules.ts). The name is the export's text, the same in both languages.
 */
import { latLngToCell } from "h3-js";
import type { DuckDBConnection } from "@duckdb/node-api";
import { listValue } from "@duckdb/node-api";
import { z } from "zod";
import { tableFiles, tableSource } from "../lake/table-reader.ts";
import { TABLES } from "../lake/tables.ts";
import type { CellPlaceName } from "./cell-place-names.ts";
import { queryRows } from "./lake-query.ts";
import type { ReleaseRules } from "./release-rules.ts";

/** How much the leading locality (or pair) must lead the next one by: at least this many times its count. */
export const LOCALITY_LEAD = 2;

/** Incidents of one cell, category and locality (any months) as the lake counts them. */
export interface LocalityCount {
  cell: string;
  locality: string | null;
  category: string;
  incidents: number;
}

/**
 * police.uk (every force of England, Wales and Northern Ireland) writes each crime's anonymised map
 * point as "On or near <street or place>" ("On or near Parking Area"), and "On or near" alone where
 * it has none: the name is the street or place, and a bare prefix names nothing.
 */
const POLICE_UK_PREFIX = /^on or near(?:\s+|$)/i;

/** The locality as a name: trimmed, police.uk's prefix left out; null where nothing is left. */
export function localityText(locality: string | null): string | null {
  const text = locality?.trim().replace(POLICE_UK_PREFIX, "").trim();
  return text ? text : null;
}

/** The name of one cell (or area) from its non-sensitive incidents per locality (see the rule above), or null. */
export function localityName(counts: ReadonlyMap<string, number>, threshold: number): string | null {
  const ranked = [...counts].filter(([, n]) => n > 0).sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0));
  const [first, second, third] = [0, 1, 2].map((i) => ranked[i]?.[1] ?? 0) as [number, number, number];
  if (first >= threshold && first >= LOCALITY_LEAD * second) return ranked[0]![0];
  if (second >= threshold && second >= LOCALITY_LEAD * third) return `${ranked[0]![0]} / ${ranked[1]![0]}`;
  return null;
}

/**
 * The locality names of groups of cells (`groupOf`: a cell's group, e.g. its patrol area; undefined
 * leaves the cell out; by default each cell is its own group) from the lake's counts: sensitive
 * categories and blank localities are not counted, and a group without a name is not in the map.
 */
export function localityNames<G = string>(
  rows: Iterable<LocalityCount>,
  rules: Pick<ReleaseRules, "threshold" | "sensitive">,
  groupOf: (cell: string) => G | undefined = (cell) => cell as G,
): Map<G, string> {
  const counts = new Map<G, Map<string, number>>();
  for (const row of rows) {
    const locality = localityText(row.locality);
    if (!locality || rules.sensitive.has(row.category) || row.incidents <= 0) continue;
    const group = groupOf(row.cell);
    if (group === undefined) continue;
    let byLocality = counts.get(group);
    if (!byLocality) counts.set(group, (byLocality = new Map()));
    byLocality.set(locality, (byLocality.get(locality) ?? 0) + row.incidents);
  }
  const names = new Map<G, string>();
  for (const [group, byLocality] of counts) {
    const name = localityName(byLocality, rules.threshold);
    if (name !== null) names.set(group, name);
  }
  return names;
}

/**
 * Each cell's names: the places data's where it names the cell (`places`: null for none), else its
 * locality name in both languages, else none. `locality` is the locality where it names the cell
 * (null where the places do), kept as it is when the names are told apart (distinctCellNames), so
 * that a map can label each locality once.
 */
export function withLocalityNames(
  cells: Iterable<string>,
  places: ReadonlyMap<string, CellPlaceName> | null,
  localities: ReadonlyMap<string, string>,
): Map<string, CellPlaceName & { locality: string | null }> {
  const names = new Map<string, CellPlaceName & { locality: string | null }>();
  for (const cell of cells) {
    const place = places?.get(cell);
    const locality = localities.get(cell) ?? null;
    const byLocality = (place?.lt ?? place?.en ?? null) === null ? locality : null;
    names.set(cell, { lt: place?.lt ?? locality, en: place?.en ?? locality, locality: byLocality });
  }
  return names;
}

/**
 * The lake's incidents of `cells` (one resolution) per cell, category and locality, every month. At
 * the resolution the lake stores its cells at (`storedResolution`; null: a lake without a manifest,
 * read as stored), from the aggregate day_counts; at another, each incident's stored coordinates are
 * indexed at the cells' resolution (the cell an ingest at it would give, as the briefing's counts do:
 * issue 18), which reads the incidents. Only rows with a locality are returned.
 */
export async function readLocalityCounts(
  connection: DuckDBConnection,
  lakeDir: string,
  cells: readonly string[],
  resolution: number,
  storedResolution: number | null,
): Promise<LocalityCount[]> {
  if (cells.length === 0) return [];
  const shape = { locality: z.string(), category: z.string(), n: z.number() };
  if (storedResolution === null || storedResolution === resolution) {
    if ((await tableFiles(lakeDir, TABLES.day_counts)).length === 0) return [];
    const rows = await queryRows(
      connection,
      `SELECT h3_cell, locality, offence_category AS category, sum(incidents)::INTEGER AS n
         FROM ${await tableSource(lakeDir, TABLES.day_counts)}
        WHERE locality IS NOT NULL AND h3_cell IN (SELECT unnest($cells))
        GROUP BY ALL`,
      { h3_cell: z.string(), ...shape },
      { cells: listValue([...cells]) },
    );
    return rows.map((r) => ({ cell: r.h3_cell, locality: r.locality, category: r.category, incidents: r.n }));
  }
  if ((await tableFiles(lakeDir, TABLES.incidents)).length === 0) return [];
  const rows = await queryRows(
    connection,
    `SELECT lat, lon, locality, offence_category AS category, count(*)::INTEGER AS n
       FROM ${await tableSource(lakeDir, TABLES.incidents)}
      WHERE locality IS NOT NULL AND lat IS NOT NULL AND lon IS NOT NULL
      GROUP BY ALL`,
    { lat: z.number(), lon: z.number(), ...shape },
  );
  const wanted = new Set(cells);
  return rows.flatMap((r) => {
    const cell = latLngToCell(r.lat, r.lon, resolution);
    return wanted.has(cell) ? [{ cell, locality: r.locality, category: r.category, incidents: r.n }] : [];
  });
}
