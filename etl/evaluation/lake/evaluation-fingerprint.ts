import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { z } from "zod";
import { sqlLiteral } from "../../duckdb/connection.ts";
import type { OutcomeEvaluationSpec } from "../../context/project-indicators.ts";
import { sha256File, sha256Text } from "../../lake/atomic-file.ts";
import type { Manifest } from "../../lake/manifest.ts";
import type { EntryExtras } from "../../lake/table-writer.ts";
import { TABLES } from "../../lake/tables.ts";
import { releaseRules } from "../../publish/release-rules.ts";
import { parametersFingerprint } from "../../analytics/hot-spot-freshness.ts";
import { addMonths } from "../../analytics/monthly-counts.ts";
import { parsePeriod, periodMonths } from "../statistics/evaluation-period.ts";
import { EXACT_TEST_RULE } from "../statistics/rate-ratio-test.ts";
import { MIN_SERIES_CASES } from "../statistics/interrupted-time-series.ts";

/** The lake-wide values an evaluation checks its specification against (categories), selects by (localities) and states caveats from (sources). */
export interface LakeValueSets {
  categories: string[];
  localities: string[];
  sources: string[];
}

/**
 * The distinct offence categories, localities and sources of the lake's day_counts (what lakeValues
 * gives for each). `recorded` is what an earlier evaluate stage found (see LakeValuesRecord): when the
 * partitions of the months it covered are still exactly those, only the other months' files are read
 * and their values added — distinct values of a union of files are the union of theirs — so a month
 * added reads one month, not the lake. Otherwise every file is read, in one scan.
 */
export async function lakeValueSets(
  connection: DuckDBConnection,
  lakeDir: string,
  manifest: Manifest,
  recorded?: unknown,
): Promise<{ values: LakeValueSets; record: LakeValuesRecord }> {
  const byMonth = dayCountFiles(manifest);
  const months = [...byMonth.keys()].sort();
  const record = (values: LakeValueSets): LakeValuesRecord => ({ months, partitions_sha256: partitionsHash(byMonth, months), ...values });
  const earlier = LakeValuesRecordSchema.safeParse(recorded);
  const still =
    earlier.success && earlier.data.months.every((m) => byMonth.has(m)) && partitionsHash(byMonth, earlier.data.months) === earlier.data.partitions_sha256;
  const known = still ? new Set(earlier.data.months) : new Set<string>();
  const files = months.filter((m) => !known.has(m)).flatMap((m) => byMonth.get(m)!.map(([key]) => key));
  const read = files.length > 0 ? await distinctValues(connection, lakeDir, files) : { categories: [], localities: [], sources: [] };
  const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();
  const base = still ? earlier.data : { categories: [], localities: [], sources: [] };
  const values = {
    categories: union(base.categories, read.categories),
    localities: union(base.localities, read.localities),
    sources: union(base.sources, read.sources),
  };
  return { values, record: record(values) };
}

/** What the evaluate stage records in the manifest (parameters, LAKE_VALUES_KEY): the lake's values and the day_counts partitions they were read from. */
const LakeValuesRecordSchema = z.object({
  months: z.array(z.string()),
  partitions_sha256: z.string(),
  categories: z.array(z.string()),
  localities: z.array(z.string()),
  sources: z.array(z.string()),
});
export type LakeValuesRecord = z.infer<typeof LakeValuesRecordSchema>;
export const LAKE_VALUES_KEY = "evaluations/lake_values";

/** The day_counts files of each month the manifest lists (lake key and SHA-256). */
function dayCountFiles(manifest: Manifest): Map<string, Array<[string, string]>> {
  const out = new Map<string, Array<[string, string]>>();
  for (const [key, entry] of Object.entries(manifest.tables[TABLES.day_counts.manifest ?? ""] ?? {})) {
    const month = entry.month ?? "";
    out.set(month, [...(out.get(month) ?? []), [key, entry.sha256 ?? ""]]);
  }
  return out;
}

function partitionsHash(byMonth: ReadonlyMap<string, ReadonlyArray<[string, string]>>, months: readonly string[]): string {
  return sha256Text(
    months
      .flatMap((m) => (byMonth.get(m) ?? []).map(([key, sha]) => `${key} ${sha}\n`))
      .sort()
      .join(""),
  );
}

async function distinctValues(connection: DuckDBConnection, lakeDir: string, files: readonly string[]): Promise<LakeValueSets> {
  const source = `read_parquet([${files.map((key) => sqlLiteral(join(lakeDir, ...key.split("/")))).join(", ")}], hive_partitioning = true)`;
  const reader = await connection.runAndReadAll(
    `SELECT list(DISTINCT offence_category) FILTER (WHERE offence_category IS NOT NULL),
            list(DISTINCT locality) FILTER (WHERE locality IS NOT NULL),
            list(DISTINCT source) FILTER (WHERE source IS NOT NULL)
       FROM ${source}`,
  );
  const [categories, localities, sources] = (reader.getRowsJS()[0] ?? []).map((v) => (Array.isArray(v) ? v.map(String).sort() : []));
  return { categories: categories ?? [], localities: localities ?? [], sources: sources ?? [] };
}

/**
 * The fingerprints the evaluate stage records with every file it writes (parameters_sha256 and
 * input_sha256, as the analytics outputs carry theirs: output-fingerprint.ts), so that a run whose
 * evaluations would read exactly what the last one read keeps the evaluation tables as they are —
 * most months, a new month lies after every project's periods. What the evaluations read (see
 * runEvaluation, evaluationTimeSeries, localityPlacebos, localityMonthlySeries, readAreaHistory):
 * - parameters: the context tables' files (projects, indicators, checkpoints, exposure, outcome
 *   specifications), the boundary file's bytes, the time zone and the lake's stored H3 resolution;
 *   the sensitive categories (the outcomes' `sensitive` column, "all" and the caveat notes follow
 *   them); the exact test's rule for a change (EXACT_TEST_RULE: the rows' `significant` and verdicts
 *   follow it); the fewest cases a monthly series is modelled on (MIN_SERIES_CASES); the evaluation
 *   tables' columns;
 * - input, per evaluation: the incident and day_counts partitions of every month from the month
 *   before its first (the earlier of its before period and its history's first year) to the month
 *   after its last (the later of its after period and its history's last year) — which of those
 *   months the lake holds decides the periods' check, the time series' months and the complete
 *   history years; where a month its periods need is missing, also the lake's first and last month
 *   (the error names them); and for all, the lake's categories, localities and sources.
 * Null when an evaluation's area or control is read from a file (a GeoJSON polygon, a list of cells
 * after `@`): the stage then always recomputes.
 */
export async function evaluationFingerprints(
  manifest: Manifest,
  settings: { timeZone: string; municipalitiesGeoJson: string; sensitiveCategories?: readonly string[] },
  specs: readonly OutcomeEvaluationSpec[],
  values: LakeValueSets,
): Promise<Required<EntryExtras> | null> {
  if (specs.some((s) => [s.area, s.control ?? ""].some((area) => /geojson|\.json|@/i.test(area)))) return null;
  const partitions = new Map<string, string[]>();
  for (const table of [TABLES.incidents, TABLES.day_counts]) {
    for (const [key, entry] of Object.entries(manifest.tables[table.manifest ?? ""] ?? {})) {
      const month = entry.month ?? "";
      partitions.set(month, [...(partitions.get(month) ?? []), `${key} ${entry.sha256 ?? ""}`]);
    }
  }
  const held = [...new Set(Object.values(manifest.tables[TABLES.day_counts.manifest ?? ""] ?? {}).map((e) => e.month ?? ""))].sort();
  const inputs = specs.map((spec) => {
    const span = monthsRead(spec);
    if (span === null) return { id: spec.id, span: null };
    const months = held.filter((m) => m >= span.first && m <= span.last);
    const missing = neededMonths(spec).some((m) => !held.includes(m));
    return {
      id: spec.id,
      span,
      partitions: months.map((m) => [m, [...(partitions.get(m) ?? [])].sort()]),
      ...(missing ? { lake_months: [held[0] ?? null, held.at(-1) ?? null] } : {}),
    };
  });
  return {
    parameters_sha256: parametersFingerprint(await evaluationParameters(manifest, settings)),
    input_sha256: sha256Text(JSON.stringify({ values, inputs })),
  };
}

/**
 * The parameters every evaluation of the lake depends on (see evaluationFingerprints), and the rule
 * that calls a change significant (a lake evaluated under an earlier rule is evaluated again).
 */
export async function evaluationParameters(
  manifest: Manifest,
  settings: { timeZone: string; municipalitiesGeoJson: string; sensitiveCategories?: readonly string[] },
): Promise<Record<string, unknown>> {
  return {
    time_zone: settings.timeZone,
    lake_time_zone: manifest.timezone,
    stored_resolution: manifest.h3_resolution,
    boundaries_sha256: await sha256File(settings.municipalitiesGeoJson).catch(() => "unreadable"),
    context: Object.entries(manifest.tables[TABLES.projects.manifest ?? ""] ?? {})
      .map(([key, entry]) => `${key} ${entry.sha256 ?? ""}`)
      .sort(),
    sensitive: [...releaseRules(settings).sensitive].sort(),
    exact_test: EXACT_TEST_RULE,
    // The fewest cases a monthly series is modelled on (time series and synthetic control refuse below it).
    series_floor: MIN_SERIES_CASES,
    // The design rating's rule for a comparison area the project reached: a lake rated under the earlier rule is rated again.
    design_reached: "a comparison area the project also reached rates the design SMS level 2",
    // What the tables hold: a column added (e.g. the runs' all_excludes) evaluates a lake written without it again.
    columns: Object.values(TABLES)
      .filter((t) => t.folder.startsWith("evaluations/"))
      .map((t) => [t.name, Object.keys(t.columns)]),
  };
}

/** The months an evaluation may read, a month either side (an incident near midnight sits in the neighbouring partition); null when its periods do not parse (it fails before reading the lake). */
function monthsRead(spec: OutcomeEvaluationSpec): { first: string; last: string } | null {
  const months = neededMonths(spec);
  if (months.length === 0) return null;
  const first = [months[0]!, `${spec.history.first}-01`].sort()[0]!;
  const last = [months.at(-1)!, `${spec.history.last}-12`].sort().at(-1)!;
  return { first: addMonths(first, -1), last: addMonths(last, 1) };
}

/** Every month of the before and after periods, as runEvaluation checks the lake holds them; none when they do not parse. */
function neededMonths(spec: OutcomeEvaluationSpec): string[] {
  try {
    return [...periodMonths(parsePeriod(spec.before)), ...periodMonths(parsePeriod(spec.after))].sort();
  } catch {
    return [];
  }
}
