import { join } from "node:path";
import type { Command } from "commander";
import { contextFilesFor } from "../context/bundled-context.ts";
import { loadProjects } from "../context/project-indicators.ts";
import { withConnection } from "../duckdb/connection.ts";
import { readLakeProjects } from "../evaluation/lake/lake-projects.ts";
import type { IngestOptions } from "../ingest/ingest-options.ts";
import { MANIFEST_FILE, parseManifest, readManifestText, type Manifest } from "../lake/manifest.ts";
import { TABLES } from "../lake/tables.ts";
import type { PipelineSettings } from "../settings.ts";
import { stagesReadIncidents, type StageName } from "../stages.ts";

/**
 * An S3 lake's mirror holds no incident rows for the stages after ingest (etl/storage/s3-cli.ts):
 * a command running `names` fetches them here where one reads them (stagesReadIncidents), once its
 * settings are known, so it computes what it would on a local lake. A local lake (no fetchLakeFiles)
 * has them all.
 */
export async function fetchIncidentsIfRead(program: Command, settings: PipelineSettings, names: readonly StageName[]): Promise<void> {
  const { fetchLakeFiles } = program.opts() as Pick<IngestOptions, "fetchLakeFiles">;
  const text = fetchLakeFiles && (await readManifestText(settings.lakeDir));
  if (!fetchLakeFiles || !text) return;
  const manifest = parseManifest(text, join(settings.lakeDir, MANIFEST_FILE));
  const evaluations = names.includes("evaluate") ? await heldEvaluations(manifest, settings.lakeDir) : [];
  if (stagesReadIncidents(names, { manifest, resolution: settings.resolution, evaluations }))
    await fetchLakeFiles(Object.keys(manifest.tables[TABLES.incidents.manifest!] ?? {}));
}

/** The outcome evaluations the context stage leaves a lake with when given no file: the bundled ones on a lake of the demo's data, else those it holds (contextStage). */
async function heldEvaluations(manifest: Manifest, lakeDir: string) {
  const projects = contextFilesFor(manifest).projectsJson;
  if (projects !== null) return loadProjects(projects).outcome_evaluations;
  return (await withConnection((connection) => readLakeProjects(connection, lakeDir))).outcomeEvaluations;
}
