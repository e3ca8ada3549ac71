import { readFile } from "node:fs/promises";
import type { DuckDBConnection } from "@duckdb/node-api";
import { join } from "node:path";
import { filesKept } from "../../analytics/output-fingerprint.ts";
import { exposureSeries } from "../../context/immigration.ts";
import { withConnection } from "../../duckdb/connection.ts";
import { recoverForWrite } from "../../lake/lake-commit.ts";
import { MANIFEST_FILE, parseManifest, type Manifest } from "../../lake/manifest.ts";
import { tableKey, tablePath } from "../../lake/table-paths.ts";
import { TABLES } from "../../lake/tables.ts";
import type { PipelineSettings } from "../../settings.ts";
import { releaseRules } from "../../publish/release-rules.ts";
import { evaluationFingerprints, LAKE_VALUES_KEY, lakeValueSets } from "./evaluation-fingerprint.ts";
import { EVALUATION_PARTS, projectEvaluationFiles, saveProjectEvaluations, type SavedEvaluations } from "./evaluation-tables.ts";
import { readLakeProjects } from "./lake-projects.ts";
import { buildProjectReport, type ProjectReport } from "./project-report.ts";

/** What the evaluate stage wrote: per evaluation whether it ran and its outcome rows; `unchanged` says why nothing was recomputed. */
export type EvaluateSummary = SavedEvaluations & { unchanged?: string };

/**
 * The evaluate stage: every project of the lake's context tables evaluated as `hotspots report` does
 * (indicator progress, each outcome evaluation with its design rating, power, interrupted time
 * series and placebos), written to the `evaluations/` tables in one commit that replaces what an
 * earlier run wrote. Publish reads these tables; it computes no statistic itself. A lake without
 * context tables has no projects, and the stage writes nothing but empty tables.
 *
 * Every file carries the fingerprints of what the evaluations read (evaluationFingerprints). When
 * the tables the stage would write are exactly those the manifest lists with the fingerprints of
 * now, their bytes unchanged and no other file of the stage's beside them, they are kept as they
 * are (a month added after every project's periods changes nothing they read); `full` recomputes.
 */
export async function evaluateStage(settings: PipelineSettings, options: { full?: boolean } = {}): Promise<EvaluateSummary> {
  const manifest = await lakeManifest(settings.lakeDir);
  // One connection for what deciding needs: the context tables, the lake's values and, when kept, the runs' errors.
  const { lake, read, fingerprints, kept } = await withConnection(async (connection) => {
    const lake = await readLakeProjects(connection, settings.lakeDir);
    const read = manifest ? await lakeValueSets(connection, settings.lakeDir, manifest, manifest.parameters?.[LAKE_VALUES_KEY]) : null;
    const fingerprints = manifest && read ? await evaluationFingerprints(manifest, settings, lake.outcomeEvaluations, read.values) : null;
    const files = projectEvaluationFiles(lake.projects, lake.outcomeEvaluations);
    const keep = fingerprints && manifest && !options.full && onlyThese(manifest, files) && (await filesKept(settings.lakeDir, manifest, files, fingerprints));
    return { lake, read, fingerprints, kept: keep && manifest ? await keptSummary(connection, settings.lakeDir, manifest, lake) : null };
  });
  if (kept) return kept;
  const reports: ProjectReport[] = [];
  for (const project of lake.projects) {
    reports.push(
      await buildProjectReport(
        project,
        lake.indicators,
        lake.outcomeEvaluations.filter((e) => e.project_id === project.id),
        { settings, exposure: (indicator) => exposureSeries(lake.exposure, indicator) },
      ),
    );
  }
  // The lake's values are recorded with the tables, so that the next run reads only the months added since.
  return saveProjectEvaluations(settings.lakeDir, reports, {
    replace: true,
    sensitive: releaseRules(settings).sensitive,
    ...(fingerprints ? { fingerprints } : {}),
    ...(read ? { parameters: { [LAKE_VALUES_KEY]: read.record } } : {}),
  });
}

/** The lake's manifest after any interrupted commit is rolled forward; null for a folder without one (a fixture laid out by hand). */
async function lakeManifest(lakeDir: string): Promise<Manifest | null> {
  await recoverForWrite(lakeDir);
  const path = join(lakeDir, MANIFEST_FILE);
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  return text === null ? null : parseManifest(text, path);
}

/** Whether the manifest lists no file of the stage's tables beside `files` (a replacing run would remove it); ad-hoc outcome partitions (no run beside them) are not the stage's. */
function onlyThese(manifest: Manifest, files: ReturnType<typeof projectEvaluationFiles>): boolean {
  const expected = new Set(files.map((f) => tableKey(f.table, f.at)));
  const runs = new Set(files.filter((f) => f.table === TABLES.evaluation_runs).map((f) => f.at.partition));
  return [TABLES.evaluation_indicators, TABLES.evaluation_checkpoints, ...EVALUATION_PARTS, TABLES.evaluation_outcomes].every((table) =>
    Object.keys(manifest.tables[table.manifest ?? ""] ?? {})
      .filter((key) => key.startsWith(`${table.folder}/`))
      .every((key) => expected.has(key) || (table === TABLES.evaluation_outcomes && !hasRun(manifest, key, runs))),
  );
}

/** Whether an outcome partition has a run file beside it in the manifest (then it is the stage's), or is one of this run's. */
function hasRun(manifest: Manifest, outcomeKey: string, runs: ReadonlySet<string | undefined>): boolean {
  const id = /\/evaluation=([^/]+)\//.exec(outcomeKey)?.[1];
  if (runs.has(id)) return true;
  return id !== undefined && tableKey(TABLES.evaluation_runs, { partition: id }) in (manifest.tables[TABLES.evaluation_runs.manifest ?? ""] ?? {});
}

/** The summary of the kept tables: each evaluation's error from its run file, its outcome rows from the manifest. */
async function keptSummary(
  connection: DuckDBConnection,
  lakeDir: string,
  manifest: Manifest,
  lake: Awaited<ReturnType<typeof readLakeProjects>>,
): Promise<EvaluateSummary> {
  const errors = new Map<string, string | null>();
  for (const spec of lake.outcomeEvaluations) {
    const path = tablePath(lakeDir, TABLES.evaluation_runs, { partition: spec.id });
    const row = (await connection.runAndReadAll(`SELECT error FROM read_parquet($path)`, { path })).getRowsJS()[0];
    errors.set(spec.id, row?.[0] == null ? null : String(row[0]));
  }
  const outcomes = manifest.tables[TABLES.evaluation_outcomes.manifest ?? ""] ?? {};
  return {
    projects: lake.projects.length,
    evaluations: lake.projects.flatMap((p) =>
      lake.outcomeEvaluations
        .filter((e) => e.project_id === p.id)
        .map((e) => {
          const error = errors.get(e.id) ?? null;
          return {
            id: e.id,
            project_id: p.id,
            ok: error === null,
            error,
            lake_rows: outcomes[tableKey(TABLES.evaluation_outcomes, { partition: e.id })]?.rows ?? 0,
          };
        }),
    ),
    unchanged: "the context tables, the boundaries and the lake partitions and values the evaluations read are the ones recorded with them",
  };
}

/** The stage's summary for people: one line per evaluation. */
export function evaluateText(summary: EvaluateSummary): string {
  const lines = [
    `Evaluations: ${summary.projects} projects, ${summary.evaluations.length} outcome evaluations${summary.unchanged ? ` (not recomputed: ${summary.unchanged})` : ""}`,
  ];
  for (const e of summary.evaluations) lines.push(`  ${e.id}: ${e.ok ? `${e.lake_rows} outcome rows` : `FAILED: ${e.error}`}`);
  return lines.join("\n");
}
