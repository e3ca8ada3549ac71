import type { DuckDBConnection } from "@duckdb/node-api";
import { withConnection } from "../duckdb/connection.ts";
import { sha256File } from "../lake/atomic-file.ts";
import { LakeTransaction, recoverLake } from "../lake/lake-commit.ts";
import { MANIFEST_FILE, manifestText, readManifest } from "../lake/manifest.ts";
import { writeRecordTable, type TableColumns, type TableRow } from "../lake/write-table.ts";
import { writeFile } from "node:fs/promises";
import { loadExposureRows } from "./immigration.ts";
import { loadProjects } from "./project-indicators.ts";

/** Where the context tables live in the lake (not month-partitioned: they are small and yearly). */
export const CONTEXT_TABLES = {
  exposure: "context/exposure.parquet",
  projects: "context/projects.parquet",
  indicators: "context/project_indicators.parquet",
  checkpoints: "context/project_checkpoints.parquet",
  outcome_evaluations: "context/project_outcome_evaluations.parquet",
} as const;

const EXPOSURE: TableColumns = { area_code: "VARCHAR", area_name: "VARCHAR", indicator: "VARCHAR", year: "INTEGER", value: "DOUBLE", unit: "VARCHAR", source: "VARCHAR" };
const PROJECTS: TableColumns = {
  id: "VARCHAR", title: "VARCHAR", title_in_seed: "BOOLEAN", country: "VARCHAR", promoter: "VARCHAR", programme: "VARCHAR",
  funding_amount: "DOUBLE", funding_currency: "VARCHAR", period_start: "VARCHAR", period_end: "VARCHAR", source_document: "VARCHAR",
};
const INDICATORS: TableColumns = {
  id: "VARCHAR", project_id: "VARCHAR", name: "VARCHAR", kind: "VARCHAR", unit: "VARCHAR", baseline: "DOUBLE", baseline_period: "VARCHAR",
  target: "DOUBLE", achieved: "DOUBLE", achieved_qualifier: "VARCHAR", period: "VARCHAR",
  desired_direction: "VARCHAR", source_document: "VARCHAR", note: "VARCHAR",
};
const CHECKPOINTS: TableColumns = { indicator_id: "VARCHAR", project_id: "VARCHAR", label: "VARCHAR", date: "VARCHAR", value: "DOUBLE", basis: "VARCHAR", qualifier: "VARCHAR" };
/** An outcome evaluation's specification is nested (categories, indicator map): kept whole as JSON, validated again when read. */
const OUTCOME_EVALUATIONS: TableColumns = { id: "VARCHAR", project_id: "VARCHAR", spec: "VARCHAR" };

/** Row counts of the context tables written. */
export type ContextSummary = Record<keyof typeof CONTEXT_TABLES, number>;

/**
 * Validates the context files — exposure statistics in the Official Statistics Portal's long shape
 * and the projects' indicators as the seeds state them — and writes them as lake tables in one
 * commit (evaluation results, such as % of target, are the evaluation's own tables). Invalid files are
 * refused whole with every problem named (see their loaders); the lake is then left unchanged.
 */
export async function ingestContext(options: { lakeDir: string; timeZone: string; resolution: number; exposureCsv: string; projectsJson: string }): Promise<ContextSummary> {
  const exposure = loadExposureRows(options.exposureCsv);
  const { projects, indicators, outcome_evaluations } = loadProjects(options.projectsJson);
  const tables: Record<keyof typeof CONTEXT_TABLES, { columns: TableColumns; rows: TableRow[] }> = {
    exposure: { columns: EXPOSURE, rows: exposure },
    projects: {
      columns: PROJECTS,
      rows: projects.map((p) => ({
        ...pick(p, PROJECTS),
        funding_amount: p.funding?.amount,
        funding_currency: p.funding?.currency,
        period_start: p.period.start,
        period_end: p.period.end,
      })),
    },
    indicators: {
      columns: INDICATORS,
      rows: indicators.map((i) => pick(i, INDICATORS)),
    },
    checkpoints: {
      columns: CHECKPOINTS,
      rows: indicators.flatMap((i) => i.checkpoints.map((c) => ({ ...pick(c, CHECKPOINTS), indicator_id: i.id, project_id: i.project_id }))),
    },
    outcome_evaluations: {
      columns: OUTCOME_EVALUATIONS,
      rows: outcome_evaluations.map((e) => ({ id: e.id, project_id: e.project_id, spec: JSON.stringify(e) })),
    },
  };
  await recoverLake(options.lakeDir);
  const manifest = await readManifest(options.lakeDir, options.timeZone, options.resolution);
  const table = (manifest.tables.context = {});
  const transaction = new LakeTransaction(options.lakeDir);
  const summary = {} as ContextSummary;
  await withConnection(async (connection: DuckDBConnection) => {
    try {
      for (const [name, { columns, rows }] of Object.entries(tables) as [keyof typeof CONTEXT_TABLES, (typeof tables)[keyof typeof tables]][]) {
        const staged = await transaction.stage(CONTEXT_TABLES[name]);
        summary[name] = await writeRecordTable(connection, staged, columns, rows);
        (table as Record<string, { month: string; rows: number; sha256: string }>)[CONTEXT_TABLES[name]] = { month: "", rows: rows.length, sha256: await sha256File(staged) };
      }
      await writeFile(await transaction.stage(MANIFEST_FILE), manifestText(manifest));
    } catch (error) {
      await transaction.abandon();
      throw error;
    }
  });
  await transaction.commitChanges();
  return summary;
}

/** The scalar fields of `record` that the table has columns for. */
function pick(record: object, columns: TableColumns): TableRow {
  const row: Record<string, TableRow[string]> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key in columns && (value === null || ["string", "number", "boolean"].includes(typeof value))) row[key] = value as TableRow[string];
  }
  return row;
}
