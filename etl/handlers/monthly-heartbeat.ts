import type { S3Client } from "@aws-sdk/client-s3";
import { readObjectText, uploadObject } from "../storage/s3-objects.ts";
import { keyOf, parseS3Url } from "../storage/s3-url.ts";
import type { HandlerConfig } from "./handler-config.ts";

/** Beside the manifest: when the monthly run last completed (or, before the first, when watching began). */
export const MONTHLY_RUN_MARKER = "_monthly-run.json";

/** The custom metric the missed-monthly-run alarm watches (infra/lib/etl-alarms.ts). */
export const MONTHLY_RUN_METRIC = { namespace: "Hotspots/ETL", name: "DaysSinceMonthlyRun", dimension: "FunctionName" } as const;

interface MarkerBody {
  completed_at: string | null;
  /** Set when the daily run found no marker: a schedule that never fires is noticed from here. */
  watching_since?: string;
}

/** Records in the lake that the monthly run completed now (after its commit and the site's publication). */
export async function recordMonthlyRun(client: S3Client, config: HandlerConfig, now = Date.now()): Promise<void> {
  const lake = parseS3Url(config.lakeUrl);
  const body: MarkerBody = { completed_at: new Date(now).toISOString() };
  await uploadObject(client, lake.bucket, keyOf(lake, MONTHLY_RUN_MARKER), Buffer.from(JSON.stringify(body)));
}

/**
 * Run by the daily schedule: writes the days since the monthly run last completed as a CloudWatch
 * metric, in the embedded metric format (one JSON line on stdout; Lambda turns it into the metric,
 * no PutMetricData permission needed; written past `console`, which Lambda's JSON log format wraps).
 * Without a marker (a new deployment) it starts one, so a monthly schedule that never fires still
 * raises the alarm once a month has gone by. Returns the days.
 */
export async function emitMonthlyRunAge(
  client: S3Client,
  config: HandlerConfig,
  now = Date.now(),
  write: (line: string) => unknown = (line) => process.stdout.write(line),
): Promise<number> {
  const lake = parseS3Url(config.lakeUrl);
  const key = keyOf(lake, MONTHLY_RUN_MARKER);
  const text = await readObjectText(client, lake.bucket, key);
  let marker: MarkerBody;
  if (text === null) {
    marker = { completed_at: null, watching_since: new Date(now).toISOString() };
    await uploadObject(client, lake.bucket, key, Buffer.from(JSON.stringify(marker)));
  } else {
    marker = JSON.parse(text) as MarkerBody;
  }
  const since = Date.parse(marker.completed_at ?? marker.watching_since ?? new Date(now).toISOString());
  const days = Math.max(0, (now - since) / 86_400_000);
  const m = MONTHLY_RUN_METRIC;
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? "local";
  write(
    `${JSON.stringify({
      _aws: { Timestamp: now, CloudWatchMetrics: [{ Namespace: m.namespace, Dimensions: [[m.dimension]], Metrics: [{ Name: m.name, Unit: "None" }] }] },
      [m.dimension]: functionName,
      [m.name]: Math.round(days * 100) / 100,
    })}\n`,
  );
  return days;
}
