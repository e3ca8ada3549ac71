import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { ExposureRow } from "../context/immigration.ts";
import { CONTEXT_TABLES } from "../context/context-lake.ts";
import { OutcomeEvaluationSchema, type Checkpoint, type Indicator, type OutcomeEvaluationSpec, type Project } from "../context/project-indicators.ts";
import { queryRows } from "./lake-query.ts";

/** The projects, their indicators and outcome evaluations, and the exposure statistics as the lake's context tables hold them. */
export interface LakeProjects {
  projects: Project[];
  indicators: Indicator[];
  outcomeEvaluations: OutcomeEvaluationSpec[];
  exposure: ExposureRow[];
}

/**
 * Reads the context tables (written by the `context` stage) back into the shapes the evaluation
 * module takes. Fields the tables do not keep (partners, quotes, the funder) come back empty; the
 * publish step does not show them. A lake without context tables gives no projects.
 */
export async function readLakeProjects(connection: DuckDBConnection, lakeDir: string): Promise<LakeProjects> {
  const path = (table: keyof typeof CONTEXT_TABLES) => join(lakeDir, CONTEXT_TABLES[table]);
  const read = async <T>(table: keyof typeof CONTEXT_TABLES, order: string): Promise<T[]> =>
    existsSync(path(table)) ? queryRows<T>(connection, `SELECT * FROM read_parquet($path) ORDER BY ${order}`, { path: path(table) }) : [];

  const projectRows = await read<ProjectRow>("projects", "id");
  const indicatorRows = await read<Omit<Indicator, "checkpoints" | "source_quote">>("indicators", "project_id, id");
  const checkpointRows = await read<Checkpoint & { indicator_id: string }>("checkpoints", "indicator_id, date, label");
  const exposure = await read<ExposureRow>("exposure", "indicator, area_code, year");
  const outcomeEvaluations = (await read<{ id: string; spec: string }>("outcome_evaluations", "project_id, id")).map((row) => {
    const parsed = OutcomeEvaluationSchema.safeParse(JSON.parse(row.spec));
    if (!parsed.success) throw new Error(`${path("outcome_evaluations")}: evaluation "${row.id}" does not match the schema (${parsed.error.message}): run the context stage again`);
    return parsed.data;
  });

  const projects: Project[] = projectRows.map((p) => ({
    id: p.id,
    title: p.title,
    title_in_seed: p.title_in_seed,
    country: p.country,
    partner_countries: [],
    promoter: p.promoter,
    partners: [],
    programme: p.programme,
    funding: p.funding_amount === null || p.funding_currency === null ? null : { funder: "", amount: p.funding_amount, currency: p.funding_currency },
    period: { start: p.period_start, end: p.period_end },
    source_document: p.source_document,
    note: null,
  }));
  const indicators: Indicator[] = indicatorRows.map((i) => ({
    ...i,
    source_quote: "",
    checkpoints: checkpointRows
      .filter((c) => c.indicator_id === i.id)
      .map((c) => ({ label: c.label, date: c.date, value: c.value, basis: c.basis, qualifier: c.qualifier })),
  }));
  return { projects, indicators, outcomeEvaluations, exposure };
}

interface ProjectRow {
  id: string;
  title: string;
  title_in_seed: boolean;
  country: string;
  promoter: string | null;
  programme: string | null;
  funding_amount: number | null;
  funding_currency: string | null;
  period_start: string | null;
  period_end: string | null;
  source_document: string;
}
