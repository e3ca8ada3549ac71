import { withConnection } from "../duckdb/connection.ts";
import { tableKey } from "../lake/table-paths.ts";
import type { Manifest } from "../lake/manifest.ts";
import { withLakeWriter } from "../lake/table-writer.ts";
import { TABLES, type LakeTable, type RowToWrite, type TableColumns } from "../lake/tables.ts";
import { loadExposureRows } from "./immigration.ts";
import { loadProjects } from "./project-indicators.ts";

/** The context tables by the names the context stage's summary uses (see ../lake/tables.ts). */
const CONTEXT = {
  exposure: TABLES.exposure,
  projects: TABLES.projects,
  indicators: TABLES.project_indicators,
  checkpoints: TABLES.project_checkpoints,
  outcome_evaluations: TABLES.project_outcome_evaluations,
} as const;

/** Where the context tables live in the lake (not month-partitioned: they are small and yearly), as lake paths. */
export const CONTEXT_TABLES = Object.fromEntries(Object.entries(CONTEXT).map(([name, table]) => [name, tableKey(table)])) as Record<
  keyof typeof CONTEXT,
  string
>;

/** Row counts of the context tables written. */
export type ContextSummary = Record<keyof typeof CONTEXT, number>;

/** The row counts of the context tables the lake's manifest lists, or null when they hold no row (or none is listed). */
export function heldContext(manifest: Pick<Manifest, "tables">): ContextSummary | null {
  const held = Object.fromEntries(
    (Object.keys(CONTEXT) as Array<keyof typeof CONTEXT>).map((name) => [name, manifest.tables.context?.[CONTEXT_TABLES[name]]?.rows ?? 0]),
  ) as ContextSummary;
  return Object.values(held).some((rows) => rows > 0) ? held : null;
}

/**
 * Validates the context files — exposure statistics in the Official Statistics Portal's long shape
 * and the projects' indicators as the seeds state them — and writes them as lake tables in one
 * commit (evaluation results, such as % of target, are the evaluation's own tables); files of the
 * context tables this commit does not write (an older layout's) are removed with it. Invalid files
 * are refused whole with every problem named (see their loaders); the lake is then left unchanged.
 * A null file writes its tables empty: a lake with no projects of its own (see bundled-context.ts).
 */
export async function ingestContext(options: {
  lakeDir: string;
  timeZone: string;
  resolution: number;
  exposureCsv: string | null;
  projectsJson: string | null;
}): Promise<ContextSummary> {
  const exposure = options.exposureCsv === null ? [] : loadExposureRows(options.exposureCsv);
  const { projects, indicators, outcome_evaluations, units } =
    options.projectsJson === null ? { projects: [], indicators: [], outcome_evaluations: [], units: undefined } : loadProjects(options.projectsJson);
  // Each project row carries the words of its own indicators' units, so that a reader needs no other table.
  const unitNames = (projectId: string) => {
    if (!units) return null;
    const used = new Set(indicators.filter((i) => i.project_id === projectId).map((i) => i.unit));
    return JSON.stringify(Object.fromEntries(Object.entries(units).filter(([unit]) => used.has(unit))));
  };
  const rows: { [N in keyof typeof CONTEXT]: Array<RowToWrite<(typeof CONTEXT)[N]["columns"]>> } = {
    exposure,
    projects: projects.map((p) => ({
      ...pick(p, CONTEXT.projects),
      funding_amount: p.funding?.amount,
      funding_currency: p.funding?.currency,
      period_start: p.period.start,
      period_end: p.period.end,
      unit_names: unitNames(p.id),
    })),
    indicators: indicators.map((i) => pick(i, CONTEXT.indicators)),
    checkpoints: indicators.flatMap((i) => i.checkpoints.map((c) => ({ ...pick(c, CONTEXT.checkpoints), indicator_id: i.id, project_id: i.project_id }))),
    outcome_evaluations: outcome_evaluations.map((e) => ({ id: e.id, project_id: e.project_id, spec: JSON.stringify(e) })),
  };
  return withLakeWriter(options, (writer) =>
    withConnection(async (connection) => {
      // The context is replaced whole: the manifest lists exactly the files written now, and files it
      // listed before that are not among them (an older layout's) go with the commit.
      const previous = Object.keys(writer.manifest.tables.context ?? {});
      writer.manifest.tables.context = {};
      const summary = {} as ContextSummary;
      for (const name of Object.keys(CONTEXT) as Array<keyof typeof CONTEXT>) {
        summary[name] = (await writer.write(connection, CONTEXT[name] as LakeTable, {}, rows[name])).rows;
      }
      for (const key of previous) if (!(key in writer.manifest.tables.context)) writer.remove(key);
      return summary;
    }),
  );
}

/** The scalar fields of `record` that the table has columns for. */
function pick<C extends TableColumns>(record: object, table: LakeTable<C>): RowToWrite<C> {
  const row: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key in table.columns && (value === null || ["string", "number", "boolean"].includes(typeof value)))
      row[key] = value as string | number | boolean | null;
  }
  return row as RowToWrite<C>;
}
