import { join } from "node:path";
import { analyseLake, type AnalyseSummary, type AnalyseTimings } from "./analytics/analyse-lake.ts";
import type { HotSpotInference } from "./analytics/gi-star-permutation.ts";
import { defaultContextFiles, type ContextFiles } from "./context/bundled-context.ts";
import { heldContext, ingestContext, type ContextSummary } from "./context/context-lake.ts";
import { analysedHullMonths, municipalityStudyArea, studyAreaOf, type StudyArea } from "./analytics/lake-grid.ts";
import { readCellMonthCounts } from "./analytics/monthly-counts.ts";
import { checkLakeStudyArea } from "./analytics/study-area-coverage.ts";
import { withConnection } from "./duckdb/connection.ts";
import { checkPublishedResolution } from "./analytics/output-resolution.ts";
import { selectMunicipalities } from "./analytics/study-area.ts";
import { readMunicipalities } from "./geo/municipalities.ts";
import { DEFAULTS, SENSITIVE_CATEGORIES } from "./config.ts";
import type { PipelineSettings } from "./settings.ts";
import { ingestFile } from "./ingest/ingest-file.ts";
import type { IngestOptions, IngestTimings } from "./ingest/ingest-options.ts";
import type { QualityReport } from "./ingest/quality-report.ts";
import { loadSourceDescription } from "./ingest/source-description.ts";
import { MANIFEST_FILE, parseManifest, readManifest, readManifestText, storedCellResolution } from "./lake/manifest.ts";
import { publishDashboardData, type PublishSummary } from "./publish/dashboard-data.ts";
import { releasedCount, releaseRules } from "./publish/release-rules.ts";

/** Row accounting over several ingested files, with each file's data-quality report. */
export interface IngestStageSummary {
  files: QualityReport[];
  rows_read: number;
  rows_ingested: number;
  rows_quarantined: number;
}

/**
 * Stage 1: ingest incident files into the lake, one after another, each read as the source
 * description at `sourcePath` says (default: the canonical layout of the bundled data). `timings`
 * collects where the time went (see IngestTimings); `exports` says which export a file is and
 * whether it may replace one (see IngestOptions: an export id names one file).
 */
export async function ingestStage(
  files: readonly string[],
  settings: PipelineSettings,
  onProgress?: (file: string, rowsRead: number) => void,
  sourcePath: string = DEFAULTS.sourceDescription,
  timings?: IngestTimings,
  exports: Pick<IngestOptions, "exportId" | "exportBase" | "replace" | "fetchLakeFiles"> = {},
): Promise<IngestStageSummary> {
  if (exports.exportId !== undefined && files.length !== 1)
    throw new Error(`an export id names one export, but ${files.length} files were given: ingest them one at a time`);
  const source = await loadSourceDescription(sourcePath);
  // An existing lake's cells stay at the resolution it was indexed at; analyses at another resolution
  // index the stored coordinates afresh (readLakeCounts), so no file needs re-ingesting for it.
  const resolution = (await storedCellResolution(settings.lakeDir)) ?? settings.resolution;
  const summaries: QualityReport[] = [];
  for (const file of files) {
    summaries.push(
      await ingestFile(file, {
        lakeDir: settings.lakeDir,
        resolution,
        timeZone: settings.timeZone,
        source,
        // Rows' municipalities are checked against the project's boundaries (skipped where they do not apply).
        boundaries: settings.municipalitiesGeoJson,
        ...(settings.config ? { config: settings.config } : {}),
        // The run's time: rows after it are in the future, and its month is the current one, not a partial one (ingest-notes.ts).
        ...(settings.now ? { now: settings.now.getTime() } : {}),
        onProgress: (rows) => onProgress?.(file, rows),
        timings,
        ...exports,
      }),
    );
  }
  return {
    files: summaries,
    rows_read: summaries.reduce((s, f) => s + f.rows_read, 0),
    rows_ingested: summaries.reduce((s, f) => s + f.rows_ingested, 0),
    rows_quarantined: summaries.reduce((s, f) => s + f.rows_quarantined, 0),
  };
}

/**
 * Stage 1b: the context tables (exposure statistics, project indicators), validated. A file not
 * given is the bundled one on a lake of the bundled data and none on any other (bundled-context.ts).
 */
export async function contextStage(settings: PipelineSettings, files: Partial<ContextFiles> = {}): Promise<ContextSummary> {
  // Only when a file is left out: the defaults read the bundled source description from the
  // repository, which the Lambda asset (given both files) does not have.
  const defaults =
    files.exposureCsv === undefined || files.projectsJson === undefined
      ? await defaultContextFiles(settings.lakeDir)
      : { exposureCsv: null, projectsJson: null };
  // No file named and none bundled for this lake (another city's): keep the context its user loaded
  // (`hotspots context --projects FILE`) rather than replace it with empty tables on every run.
  if (files.exposureCsv === undefined && files.projectsJson === undefined && defaults.exposureCsv === null && defaults.projectsJson === null) {
    const text = await readManifestText(settings.lakeDir);
    const held = text === null ? null : heldContext(parseManifest(text, join(settings.lakeDir, MANIFEST_FILE)));
    if (held) return held;
  }
  return ingestContext({
    lakeDir: settings.lakeDir,
    timeZone: settings.timeZone,
    resolution: settings.resolution,
    exposureCsv: files.exposureCsv === undefined ? defaults.exposureCsv : files.exposureCsv,
    projectsJson: files.projectsJson === undefined ? defaults.projectsJson : files.projectsJson,
  });
}

/**
 * Stage 2: monthly Gi* hot spots over the study-area municipalities. By default only the months whose
 * incident partitions or analysis parameters changed since their hot spots were computed (a new
 * month, a corrected re-export; everything after a change of k or study area) — the other months'
 * partitions stay as they are; `full` recomputes every month, `from`…`to` exactly that range.
 * The study area is the municipalities', or with `settings.hullRing` the incidents' hull; one that
 * holds fewer than half of the lake's incidents is refused (checkStudyAreaCoverage).
 */
export async function analyseStage(
  settings: PipelineSettings,
  onMonth?: (done: number, total: number) => void,
  options: { from?: string; to?: string; full?: boolean; timings?: AnalyseTimings; inference?: HotSpotInference } = {},
): Promise<AnalyseSummary> {
  const studyArea = await settingsStudyArea(settings);
  await checkLakeCoverage(settings, studyArea);
  const summary = await analyseLake({
    lakeDir: settings.lakeDir,
    resolution: settings.resolution,
    timeZone: settings.timeZone,
    k: settings.k,
    studyArea,
    onMonth,
    ...(settings.now ? { now: settings.now } : {}),
    ...options,
  });
  // The incidents of a month left out are a count the summary publishes: released like any other.
  const rules = releaseRules(settings);
  return {
    ...summary,
    months_not_analysed: summary.months_not_analysed.map((m) => ({ ...m, incidents: m.incidents === null ? null : releasedCount(m.incidents, rules) })),
  };
}

/** The settings' study area: the municipalities' cells, or with `hullRing` the hull of the lake's incident cells plus that many rings. */
async function settingsStudyArea(settings: PipelineSettings): Promise<StudyArea> {
  const ring = settings.hullRing;
  if (ring == null) return municipalityStudyArea(settings);
  const months = await analysedHullMonths(settings);
  return withConnection(async (c) => studyAreaOf(settings, await readCellMonthCounts(c, settings.lakeDir, settings.resolution), ring, months));
}

/** Refuses a study area that is not the place the lake's incidents are of (see checkLakeStudyArea). */
async function checkLakeCoverage(settings: PipelineSettings, area: StudyArea): Promise<void> {
  await withConnection((c) => checkLakeStudyArea(c, settings, area, settings.hullRing));
}

/**
 * Stage 3: the dashboard's aggregate data files (the CLI builds the static site from them). A
 * municipality study area holding fewer than half of the lake's incidents is refused, as analyse
 * refuses it: its outlines and title would be another place's.
 */
export async function publishStage(settings: PipelineSettings): Promise<PublishSummary> {
  // A hull study area has no municipality outlines to draw: the maps fit the cells.
  const hullRing = settings.hullRing ?? null;
  const area =
    hullRing !== null
      ? { type: "FeatureCollection" as const, features: [] }
      : selectMunicipalities(await readMunicipalities(settings.municipalitiesGeoJson), settings.studyMunicipalities);
  if (hullRing === null) await checkLakeCoverage(settings, await municipalityStudyArea(settings));
  const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
  // One map, one resolution: every output drawn must have been computed at the one published.
  checkPublishedResolution(manifest, settings.resolution);
  return publishDashboardData({
    lakeDir: settings.lakeDir,
    outDir: join(settings.dashboardDir, "src", "data"),
    manifest,
    municipalities: area,
    hullRing,
    municipalitiesGeoJson: settings.municipalitiesGeoJson,
    suppressionThreshold: settings.suppressionThreshold,
    sensitiveCategories: new Set(settings.sensitiveCategories ?? SENSITIVE_CATEGORIES),
    k: settings.k,
    ...(settings.now ? { now: settings.now } : {}),
    // Credited only where the outlines are drawn.
    attribution: hullRing !== null ? null : "Municipality outlines © OpenStreetMap contributors, ODbL",
    // The configured place file names the cells (null: none; the pages show cell ids).
    ...(settings.placesCsv !== undefined ? { placesCsv: settings.placesCsv } : {}),
  });
}
