import type { S3Client } from "@aws-sdk/client-s3";
import { closeSharedInstance } from "../duckdb/connection.ts";
import { createS3Client } from "../storage/s3-client.ts";
import { analyseAndPublish, type AnalysePublishOutcome } from "./analyse-publish.ts";
import { parseEtlEvent } from "./etl-event.ts";
import { handlerConfig, type HandlerConfig } from "./handler-config.ts";
import type { LakeRepair } from "../storage/s3-orphans.ts";
import { ingestRawObject, sweepRawObjects, type IngestOutcome } from "./ingest-raw.ts";
import { removeStaleWorkFolders } from "./work-folders.ts";
import { emitMonthlyRunAge, recordMonthlyRun } from "./monthly-heartbeat.ts";

/** What an invocation did (also written to the log as one JSON line). */
export type EtlResult =
  | { kind: "ingest"; outcomes: IngestOutcome[]; repaired?: LakeRepair }
  | { kind: "analyse-publish"; outcome: AnalysePublishOutcome }
  | { kind: "ignored"; reason: string };

let defaultClient: S3Client | undefined;

/**
 * The ETL Lambda function: a thin adapter from invocations to the pipeline's stages on the S3 lake.
 * An S3 object-created notification ingests each new raw export; the daily schedule
 * (`{"task":"ingest-sweep"}`) ingests exports whose notification was missed; the monthly schedule
 * (`{"task":"analyse-publish"}`) computes the hot spots and publishes the dashboard data. A
 * malformed event or a failed export throws, so Lambda retries it and finally sends it to the
 * dead-letter queue.
 */
export async function handler(event: unknown): Promise<EtlResult> {
  defaultClient ??= createS3Client();
  const config = handlerConfig();
  // Before anything is made in /tmp: an invocation killed by a timeout or out of memory left its folders there.
  const removed = await removeStaleWorkFolders(config.workDir);
  if (removed.length > 0) console.log(JSON.stringify({ message: "removed the work folders of an earlier invocation", folders: removed }));
  try {
    return await handleEtlEvent(event, { client: defaultClient, config: () => config });
  } finally {
    // A warm container keeps the process between invocations: give the DuckDB instance's memory back.
    await closeSharedInstance();
  }
}

/** What the handler works with; tests pass their own client and configuration. */
export interface HandlerDependencies {
  client: S3Client;
  config: () => HandlerConfig;
}

/** {@link handler} with its S3 client and configuration given. */
export async function handleEtlEvent(event: unknown, { client, config: readConfig }: HandlerDependencies): Promise<EtlResult> {
  const parsed = parseEtlEvent(event);
  const config = readConfig();
  let result: EtlResult;
  switch (parsed.kind) {
    case "s3-test-event":
      result = { kind: "ignored", reason: "S3 test event" };
      break;
    case "objects-created": {
      const outcomes: IngestOutcome[] = [];
      const failures: string[] = [];
      for (const object of parsed.objects) {
        try {
          outcomes.push(await ingestRawObject(client, config, object));
        } catch (error) {
          failures.push(`s3://${object.bucket}/${object.key}: ${(error as Error).message}`);
        }
      }
      if (failures.length > 0) throw new Error(`ingest failed for ${failures.length} of ${parsed.objects.length} objects:\n${failures.join("\n")}`);
      result = { kind: "ingest", outcomes };
      break;
    }
    case "scheduled":
      if (parsed.task === "ingest-sweep") {
        // First, so that a failing sweep still reports whether the monthly run is overdue.
        await emitMonthlyRunAge(client, config);
        result = { kind: "ingest", ...(await sweepRawObjects(client, config, parsed.lookbackHours ?? config.sweepLookbackHours)) };
      } else {
        result = { kind: "analyse-publish", outcome: await analyseAndPublish(client, config, parsed.recentMonths ?? config.analyseRecentMonths) };
        await recordMonthlyRun(client, config);
      }
      break;
  }
  console.log(JSON.stringify({ message: "etl done", ...summaryOf(result) }));
  return result;
}

/** A log line without per-file detail. */
function summaryOf(result: EtlResult): Record<string, unknown> {
  if (result.kind === "ingest") {
    const objects = result.outcomes.map((o) =>
      o.status === "ingested"
        ? {
            key: o.key,
            rows_read: o.report.rows_read,
            rows_quarantined: o.report.rows_quarantined,
            reader_threads: o.readerThreads,
            pending_deletes: o.pushed.pending.length,
          }
        : { key: o.key, skipped: o.reason },
    );
    return { kind: result.kind, objects, ...(result.repaired ? { repaired: result.repaired } : {}) };
  }
  if (result.kind === "analyse-publish" && result.outcome.status === "done") {
    return {
      kind: result.kind,
      months: result.outcome.analyse?.months ?? 0,
      uploaded: result.outcome.lake.uploaded.length,
      pages: result.outcome.site?.pages ?? [],
      ...(result.outcome.site?.invalidation ? { invalidation: result.outcome.site.invalidation.status } : {}),
    };
  }
  return { ...result };
}
