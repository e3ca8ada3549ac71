import type { DuckDBConnection } from "@duckdb/node-api";
import { tableSource } from "../../lake/table-reader.ts";
import { TABLES } from "../../lake/tables.ts";
import { ALL, countsOf, tallyPeriods } from "../statistics/count-table.ts";
import type { Period } from "../statistics/evaluation-period.ts";
import type { MonthCount } from "../statistics/interrupted-time-series.ts";
import { rateRatioPlacebos, type SpacePlaceboTest } from "../statistics/space-placebos.ts";
import type { AreaDescription } from "./run-evaluation.ts";

/** The in-space placebo test of one category of an evaluation, or why there is none. */
export interface CategorySpacePlacebos {
  category: string;
  test: SpacePlaceboTest | null;
  refused: string | null;
}

/**
 * In-space placebos on the lake's localities: the evaluation's before/after rate ratio of each
 * category (all case types), computed for every other locality of the lake over the same periods
 * (the localities of the evaluation area itself left out), and the evaluation area's change ranked
 * among them (space-placebos.ts). A locality inside a comparison area the project reached
 * (`controlReached`) is marked reached; elsewhere whether the project reached it is not stated.
 * Needs an evaluation area that is a locality or a municipality, since the placebos are localities.
 */
export async function localityPlacebos(
  connection: DuckDBConnection,
  request: {
    lakeDir: string;
    timeZone: string;
    area: AreaDescription;
    control: AreaDescription | null;
    controlReached: boolean | null;
    before: Period;
    after: Period;
    categories: readonly string[];
    treated: ReadonlyMap<string, { before: number; after: number }>;
    /** The categories "all" leaves out (the evaluation's `all_excludes`), in the placebo localities as in the area. */
    allExcludes: ReadonlySet<string>;
  },
): Promise<CategorySpacePlacebos[]> {
  const categories = request.categories.length > 0 ? request.categories : [ALL];
  if (request.area.kind !== "locality" && request.area.kind !== "municipality") {
    const reason = `in-space placebos compare localities, and the evaluation area is a ${request.area.kind} area: evaluate a locality or a municipality for them`;
    return categories.map((category) => ({ category, test: null, refused: reason }));
  }
  const span = [request.before, request.after].flatMap((p) => [p.windows[0]!.first.slice(0, 7), p.windows.at(-1)!.last.slice(0, 7)]).sort();
  const [first, last] = [span[0]!, span.at(-1)!];
  // One partition either side: an incident near midnight at a month's edge may sit in the neighbouring partition.
  const reader = await connection.runAndReadAll(
    `SELECT municipality, locality, day, offence_category AS category, case_type,
            sum(incidents)::INTEGER AS count
       FROM ${await tableSource(request.lakeDir, TABLES.day_counts)}
      WHERE month BETWEEN strftime(CAST($first || '-01' AS DATE) - INTERVAL 1 MONTH, '%Y-%m')
                      AND strftime(CAST($last || '-01' AS DATE) + INTERVAL 1 MONTH, '%Y-%m')
        AND locality IS NOT NULL
      GROUP BY ALL
      ORDER BY ALL`,
    { first, last },
  );
  const byLocality = new Map<string, { municipality: string | null; daily: Array<{ day: string; category: string; case_type: string; count: number }> }>();
  for (const row of reader.getRowObjectsJS()) {
    const locality = String(row.locality);
    const entry = byLocality.get(locality) ?? { municipality: row.municipality === null ? null : String(row.municipality), daily: [] };
    entry.daily.push({ day: String(row.day), category: String(row.category), case_type: String(row.case_type), count: Number(row.count) });
    byLocality.set(locality, entry);
  }
  const inside = (area: AreaDescription, locality: string, municipality: string | null) =>
    area.kind === "locality" ? area.name === locality : area.kind === "municipality" && area.name === municipality;
  const areas = [...byLocality.entries()]
    .filter(([locality, { municipality }]) => !inside(request.area, locality, municipality))
    .map(([locality, { municipality, daily }]) => ({
      label: locality,
      table: tallyPeriods(daily, request.before, request.after, request.allExcludes),
      reached: request.control && inside(request.control, locality, municipality) ? request.controlReached : null,
    }));
  return categories.map((category) => {
    const treated = request.treated.get(category);
    if (!treated) return { category, test: null, refused: `the evaluation has no counts of ${category}` };
    if (areas.length === 0) return { category, test: null, refused: "the lake holds no other locality to compare with" };
    const placebos = areas.map((a) => ({ label: a.label, reached: a.reached, ...countsOf(a.table, category, ALL) }));
    return { category, test: rateRatioPlacebos(treated, placebos, { before: request.before.days, after: request.after.days }), refused: null };
  });
}

/**
 * Monthly counts per category (and "all") of every locality of the lake outside the evaluation area
 * (a locality, or the localities of a municipality), over exactly `months` (calendar months of
 * `timeZone`, zeros included): the donors of a synthetic control. Null when the evaluation area is
 * neither a locality nor a municipality (its localities cannot be told apart from the donors).
 */
export async function localityMonthlySeries(
  connection: DuckDBConnection,
  request: {
    lakeDir: string;
    timeZone: string;
    area: AreaDescription;
    months: readonly string[];
    categories: readonly string[];
    /** The categories "all" leaves out (the evaluation's `all_excludes`), in the donors as in the area. */
    allExcludes: ReadonlySet<string>;
  },
): Promise<Array<{ label: string; series: Map<string, MonthCount[]> }> | null> {
  if (request.area.kind !== "locality" && request.area.kind !== "municipality") return null;
  if (request.months.length === 0) return [];
  const [first, last] = [request.months[0]!, request.months.at(-1)!];
  const reader = await connection.runAndReadAll(
    `SELECT municipality, locality, substr(day, 1, 7) AS local_month, offence_category AS category, sum(incidents)::INTEGER AS count
       FROM ${await tableSource(request.lakeDir, TABLES.day_counts)}
      WHERE month BETWEEN strftime(CAST($first || '-01' AS DATE) - INTERVAL 1 MONTH, '%Y-%m')
                      AND strftime(CAST($last || '-01' AS DATE) + INTERVAL 1 MONTH, '%Y-%m')
        AND locality IS NOT NULL
      GROUP BY ALL
      ORDER BY ALL`,
    { first, last },
  );
  const categories = request.categories.length > 0 ? request.categories : [ALL];
  const donors = new Map<string, Map<string, Map<string, number>>>();
  for (const row of reader.getRowObjectsJS()) {
    const locality = String(row.locality);
    const municipality = row.municipality === null ? null : String(row.municipality);
    if (request.area.kind === "locality" ? request.area.name === locality : request.area.name === municipality) continue;
    const byCategory = donors.get(locality) ?? new Map<string, Map<string, number>>();
    donors.set(locality, byCategory);
    for (const category of request.allExcludes.has(String(row.category)) ? [String(row.category)] : [String(row.category), ALL]) {
      const counts = byCategory.get(category) ?? new Map<string, number>();
      counts.set(String(row.local_month), (counts.get(String(row.local_month)) ?? 0) + Number(row.count));
      byCategory.set(category, counts);
    }
  }
  return [...donors.entries()].map(([label, byCategory]) => ({
    label,
    series: new Map(categories.map((c) => [c, request.months.map((month) => ({ month, count: byCategory.get(c)?.get(month) ?? 0 }))])),
  }));
}
