import type { DuckDBConnection } from "@duckdb/node-api";
import type { z } from "zod";
import { ExposureRowSchema, type ExposureRow } from "../../context/immigration.ts";
import {
  CheckpointSchema,
  IndicatorSchema,
  OutcomeEvaluationSchema,
  ProjectSchema,
  UnitNamesSchema,
  type Indicator,
  type OutcomeEvaluationSpec,
  type Project,
  type UnitNames,
} from "../../context/project-indicators.ts";
import { join } from "node:path";
import { readTable, tableFiles } from "../../lake/table-reader.ts";
import { TABLES, type LakeTable } from "../../lake/tables.ts";

/** The projects, their indicators and outcome evaluations, and the exposure statistics as the lake's context tables hold them. */
export interface LakeProjects {
  projects: Project[];
  indicators: Indicator[];
  outcomeEvaluations: OutcomeEvaluationSpec[];
  exposure: ExposureRow[];
  /** The words of the indicators' units by language (projects.json `units`), merged over the projects. */
  units: Record<string, UnitNames>;
}

// The fields each context table keeps, validated by the same schemas as data/projects/projects.json.
const ProjectRowSchema = ProjectSchema.pick({
  id: true,
  title: true,
  title_lt: true,
  title_in_seed: true,
  country: true,
  promoter: true,
  promoter_lt: true,
  programme: true,
  programme_lt: true,
  source_document: true,
});
const IndicatorRowSchema = IndicatorSchema.omit({ checkpoints: true, source_quote: true });

/**
 * Reads the context tables (written by the `context` stage) back into the shapes the evaluation
 * module takes, each row validated by the schema of the projects file (so the shape is written
 * once: there). Fields the tables do not keep (partners, quotes, the funder) come back empty; the
 * publish step does not show them. A lake without context tables gives no projects.
 */
export async function readLakeProjects(connection: DuckDBConnection, lakeDir: string): Promise<LakeProjects> {
  const projectRows = await readTable(connection, lakeDir, TABLES.projects, { orderBy: ["id"] });
  const indicatorRows = await readTable(connection, lakeDir, TABLES.project_indicators, { orderBy: ["project_id", "id"] });
  const checkpointRows = await readTable(connection, lakeDir, TABLES.project_checkpoints, { orderBy: ["indicator_id", "date", "label"] });
  const exposure = (await readTable(connection, lakeDir, await exposureTable(connection, lakeDir), { orderBy: ["indicator", "area_code", "year"] })).map(
    (row, i) => parsed(TABLES.exposure, i, ExposureRowSchema, row),
  );
  const outcomeEvaluations = (await readTable(connection, lakeDir, TABLES.project_outcome_evaluations, { orderBy: ["project_id", "id"] })).map((row, i) =>
    parsed(TABLES.project_outcome_evaluations, i, OutcomeEvaluationSchema, JSON.parse(row.spec ?? "null")),
  );

  const projects: Project[] = projectRows.map((row, i) => {
    const p = parsed(TABLES.projects, i, ProjectRowSchema, pickColumns(row, ProjectRowSchema));
    return {
      ...p,
      partner_countries: [],
      partners: [],
      funding: row.funding_amount === null || row.funding_currency === null ? null : { funder: "", amount: row.funding_amount, currency: row.funding_currency },
      period: { start: row.period_start, end: row.period_end },
      note: null,
    };
  });
  const indicators: Indicator[] = indicatorRows.map((row, i) => ({
    ...parsed(TABLES.project_indicators, i, IndicatorRowSchema, row),
    source_quote: "",
    checkpoints: checkpointRows
      .filter((c) => c.indicator_id === row.id)
      .map((c, j) =>
        parsed(TABLES.project_checkpoints, j, CheckpointSchema, {
          label: c.label,
          label_lt: c.label_lt,
          date: c.date,
          value: c.value,
          basis: c.basis,
          qualifier: c.qualifier,
        }),
      ),
  }));
  // Each project row carries its own indicators' unit words (JSON); together they are the file's units.
  const units: Record<string, UnitNames> = {};
  projectRows.forEach((row, i) => {
    const names: unknown = JSON.parse(row.unit_names ?? "{}");
    for (const [unit, words] of Object.entries(names as Record<string, unknown>)) units[unit] = parsed(TABLES.projects, i, UnitNamesSchema, words);
  });
  return { projects, indicators, outcomeEvaluations, exposure, units };
}

/** The fields of `row` the schema has (a strict schema refuses the others). */
function pickColumns(row: Record<string, unknown>, schema: { shape: Record<string, unknown> }): Record<string, unknown> {
  return Object.fromEntries(Object.keys(schema.shape).map((key) => [key, row[key]]));
}

/** `value` validated by `schema`, or an error naming the table and row and what to do. */
function parsed<S extends z.ZodType>(table: LakeTable, row: number, schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new Error(`lake table ${table.name}, row ${row + 1} does not match the projects schema (${result.error.message}): run the context stage again`);
  return result.data;
}

/**
 * The exposure table as the lake holds it: a lake whose context was written before the `covers`
 * column is read without it (each area then names only itself), so that publishing it still works;
 * the next `run` writes the context again with the column.
 */
async function exposureTable(connection: DuckDBConnection, lakeDir: string): Promise<LakeTable> {
  const [file] = await tableFiles(lakeDir, TABLES.exposure);
  if (file === undefined) return TABLES.exposure;
  const names = (await connection.runAndReadAll(`SELECT name FROM parquet_schema($file)`, { file: join(lakeDir, ...file.split("/")) }))
    .getRowsJS()
    .map((r) => r[0]);
  if (names.includes("covers")) return TABLES.exposure;
  const { covers: _covers, ...columns } = TABLES.exposure.columns;
  return { ...TABLES.exposure, columns };
}
