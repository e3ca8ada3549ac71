import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { addMonths } from "../analytics/monthly-counts.ts";
import { StudyAreaCoverageError } from "../analytics/study-area-coverage.ts";
import { contextFilesFor } from "../context/bundled-context.ts";
import { loadProjects } from "../context/project-indicators.ts";
import { lakeAnalysisEnd } from "../analytics/lake-months.ts";
import { MANIFEST_FILE, type Manifest } from "../lake/manifest.ts";
import { MONTHLY_STAGES, runStages, stagesReadIncidents, stagesScope, type StageResults } from "../stages.ts";
import { cloudFrontInvalidator } from "../storage/cloudfront-invalidation.ts";
import { withS3Lake, type PushSummary } from "../storage/s3-lake.ts";
import { restorePublishState, savePublishState, type PublishStateSummary } from "../storage/s3-publish-state.ts";
import { readObjectText } from "../storage/s3-objects.ts";
import { keyOf, parseS3Url } from "../storage/s3-url.ts";
import type { HandlerConfig } from "./handler-config.ts";
import { WORK_FOLDER_PREFIXES } from "./work-folders.ts";
import { publishSite, type SitePublishSummary } from "./publish-site.ts";

/** What the monthly run did: each stage's summary, what changed in the lake and on the site. */
export type AnalysePublishOutcome = {
  status: "done";
  lake: PushSummary;
  site: SitePublishSummary | null;
  state: PublishStateSummary | null;
} & Partial<StageResults>;

/**
 * The monthly run found nothing to analyse. It fails rather than succeeding empty: a success is
 * recorded as the month's run (monthly-heartbeat.ts), which would silence the missed-run alarm.
 */
export class NothingToAnalyseError extends Error {
  constructor(lakeUrl: string) {
    super(
      `the monthly run has nothing to analyse: the lake at ${lakeUrl} holds no incidents yet; nothing was computed or published, ` +
        "and the run is not recorded as done. Upload an export under raw/<source-id>/ (infra/README.md, step 3), then run the monthly task again",
    );
    this.name = "NothingToAnalyseError";
  }
}

/**
 * The monthly run: every stage after ingest (MONTHLY_STAGES: the context tables from the deployment's
 * files, or the demo's on a lake of the demo's data, Gi* hot spots of the months whose incidents or parameters changed, emerging hot spots,
 * patrol priorities and their backtest, and the dashboard's aggregate data, no site build) on a local
 * mirror of the part of the lake those stages read and write; what changed is pushed to the lake,
 * then the dashboard data is published to the site bucket (see publishSite). A lake with no
 * incidents yet fails (NothingToAnalyseError). The mirror holds the manifest and the aggregates, not the incident rows,
 * except for a lake whose aggregates lag, an analysis at another H3 resolution than the stored one,
 * and a polygon evaluation area (stagesReadIncidents); test/handlers-s3.test.ts lists what it reads.
 * With `recentMonths` (or the configured ANALYSE_RECENT_MONTHS) exactly the latest months analysed
 * (up to analysisEnd's: none not ended at the invocation) are recomputed instead, whether or not they changed; 0 means the default. With PUBLISH_STATE_URL the
 * previous publish's caches are restored into the fresh data folder first and saved after a
 * successful run (storage/s3-publish-state.ts), so a new month's publish computes what it changed.
 */
export async function analyseAndPublish(
  client: S3Client,
  config: HandlerConfig,
  recentMonths: number | null = config.analyseRecentMonths,
): Promise<AnalysePublishOutcome> {
  const lake = parseS3Url(config.lakeUrl);
  const text = await readObjectText(client, lake.bucket, keyOf(lake, MANIFEST_FILE));
  const manifest = text === null ? null : (JSON.parse(text) as Manifest);
  const months = Object.values(manifest?.tables.incidents ?? {})
    .map((entry) => entry.month)
    .sort();
  if (manifest === null || months.length === 0) throw new NothingToAnalyseError(config.lakeUrl);
  // The latest month analysed is the last one ended at this invocation in the lake's time zone (analysisEnd):
  // the schedule runs on the 2nd, when an upload may already hold incidents of the 1st.
  const now = config.settings.now ?? new Date();
  const { end } = lakeAnalysisEnd(manifest, config.settings.timeZone, now);
  // The stages read the aggregates only; the incidents are mirrored just where stagesReadIncidents says
  // (a lake written before the aggregates, another resolution, a polygon evaluation area).
  const context = contextFilesFor(manifest, config, config.demoContext);
  const withIncidents = stagesReadIncidents(MONTHLY_STAGES, {
    manifest,
    resolution: config.settings.resolution,
    evaluations: context.projectsJson === null ? [] : loadProjects(context.projectsJson).outcome_evaluations,
  });
  const dashboardDir = await mkdtemp(join(config.workDir, WORK_FOLDER_PREFIXES.dashboard));
  const dataDir = join(dashboardDir, "src", "data");
  try {
    // The data folder is fresh each run: the previous publish's caches come back from their private
    // prefix, and go back there only once the lake and the site are written (a failed run saves nothing).
    const state = config.publishStateUrl ? await restorePublishState(client, config.publishStateUrl, dataDir) : null;
    const { result, pushed } = await withS3Lake(
      client,
      config.lakeUrl,
      stagesScope(MONTHLY_STAGES, { withIncidents }),
      async (lakeDir) => {
        const { lake: _local, ...stages } = await runStages(
          MONTHLY_STAGES,
          { ...config.settings, lakeDir, dashboardDir, now },
          {
            exposureCsv: context.exposureCsv,
            projectsJson: context.projectsJson,
            analyse: recentMonths && end !== null ? { from: addMonths(end, 1 - recentMonths), to: end } : {},
          },
        ).catch((error: unknown) => {
          // The CLI's flags mean nothing to a scheduled run: its study area is the deployment's context.
          if (error instanceof StudyAreaCoverageError)
            throw new Error(
              `${error.finding}. In AWS the study area is the deployment's: redeploy with -c studyHull=1 (the incidents' hull plus one ring of cells) ` +
                'or -c projectConfig=<this place\'s project configuration> (infra/README.md, "Another city"); nothing was written or published',
              { cause: error },
            );
          throw error;
        });
        return stages;
      },
      config.workDir,
      // The lake folder is fresh each invocation: the root caches (study area, counts, hot-spot
      // summaries, kernels) come with it, so one more month reads that month, not the whole lake.
      { rootCaches: true },
    );
    const invalidate = config.siteDistributionId ? cloudFrontInvalidator(config.siteDistributionId, client.config.credentials) : undefined;
    const site = config.siteUrl ? await publishSite(client, config.siteUrl, dataDir, invalidate) : null;
    const saved = state ? await savePublishState(client, state, dataDir) : null;
    return { status: "done", ...result, lake: pushed, site, state: saved };
  } finally {
    await rm(dashboardDir, { recursive: true, force: true });
  }
}
