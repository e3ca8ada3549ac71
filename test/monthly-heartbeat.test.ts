/**
 * The missed-monthly-run alarm's metric (etl/handlers/monthly-heartbeat.ts) against a local S3
 * server: the daily run reports the days since the monthly run completed, as one embedded-metric
 * JSON line; a new deployment starts counting from its first daily run.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handlerConfig } from "../etl/handlers/handler-config.ts";
import { handleEtlEvent } from "../etl/handlers/index.ts";
import { emitMonthlyRunAge, MONTHLY_RUN_MARKER, MONTHLY_RUN_METRIC, recordMonthlyRun } from "../etl/handlers/monthly-heartbeat.ts";
import { startLocalS3, type LocalS3 } from "./helpers/local-s3.ts";

let s3: LocalS3;
const config = () => handlerConfig({ LAKE_URL: "s3://beat-lake/lake", RAW_URL: "s3://beat-raw/raw" });
const DAY = 86_400_000;
const t0 = Date.parse("2026-11-02T02:00:00Z");

beforeAll(async () => {
  s3 = await startLocalS3();
  await s3.createBucket("beat-lake");
  await s3.createBucket("beat-raw");
});
afterAll(() => s3?.close());

describe("days since the monthly run", () => {
  it("counts from the first daily run of a new deployment, then from each completed monthly run", async () => {
    const lines: string[] = [];
    const write = (line: string) => {
      lines.push(line);
      return true;
    };
    expect(await emitMonthlyRunAge(s3.client, config(), t0, write)).toBe(0);
    expect(JSON.parse((await s3.get("beat-lake", `lake/${MONTHLY_RUN_MARKER}`))!.toString("utf8"))).toEqual({
      completed_at: null,
      watching_since: new Date(t0).toISOString(),
    });
    expect(await emitMonthlyRunAge(s3.client, config(), t0 + 40 * DAY, write)).toBe(40);
    await recordMonthlyRun(s3.client, config(), t0 + 41 * DAY);
    expect(await emitMonthlyRunAge(s3.client, config(), t0 + 41.5 * DAY, write)).toBe(0.5);
    const metric = JSON.parse(lines.at(-1)!) as Record<string, any>;
    expect(metric._aws.CloudWatchMetrics).toEqual([
      { Namespace: MONTHLY_RUN_METRIC.namespace, Dimensions: [["FunctionName"]], Metrics: [{ Name: "DaysSinceMonthlyRun", Unit: "None" }] },
    ]);
    expect(metric).toMatchObject({ FunctionName: "local", DaysSinceMonthlyRun: 0.5 });
    expect(lines.every((line) => line.endsWith("\n") && !line.slice(0, -1).includes("\n"))).toBe(true);
  });

  it("the daily schedule reports it before sweeping; a monthly run that had nothing to analyse fails and is not recorded", async () => {
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      await handleEtlEvent({ task: "ingest-sweep" }, { client: s3.client, config });
      expect(out.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('"DaysSinceMonthlyRun"'))).toHaveLength(1);
      const before = (await s3.get("beat-lake", `lake/${MONTHLY_RUN_MARKER}`))!.toString("utf8");
      // No incidents yet: the run fails, so the missed-run alarm keeps counting (a successful run's record:
      // handlers-publish-state.test.ts).
      await expect(handleEtlEvent({ task: "analyse-publish" }, { client: s3.client, config })).rejects.toThrow(/nothing to analyse/);
      expect((await s3.get("beat-lake", `lake/${MONTHLY_RUN_MARKER}`))!.toString("utf8")).toBe(before);
    } finally {
      out.mockRestore();
      vi.restoreAllMocks();
    }
  });
});
