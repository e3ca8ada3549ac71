/**
 * Emerging hot spots of a series too short to test (q2 finding 4): the rule of emergingSparsity holds
 * for every caller. A command that asks for such a series is refused with the reason; a run skips all
 * offences as it skips a category, records why, and publish says so instead of showing patterns.
 */
import { readdir, readFile, rm, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emergingStage } from "../etl/analytics/emerging-lake.ts";
import { DEFAULT_CONFIG_FILE, loadProjectConfig } from "../etl/config.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { MANIFEST_FILE, type Manifest } from "../etl/lake/manifest.ts";
import { ingestStage } from "../etl/pipeline.ts";
import { emergingData } from "../etl/publish/emerging-data.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";
import { settingsFromConfig, type PipelineSettings } from "../etl/settings.ts";
import { runStages } from "../etl/stages.ts";
import { hotspotsInProcess } from "./helpers/hotspots-cli.ts";
import { projectRoot } from "./helpers/shared.ts";

describe("a lake of two months (2019-05 and 2019-06)", () => {
  let dir: string;
  let settings: PipelineSettings;
  const manifest = async () => JSON.parse(await readFile(join(settings.lakeDir, MANIFEST_FILE), "utf8")) as Manifest;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "emerging-short-"));
    settings = { ...settingsFromConfig(loadProjectConfig(DEFAULT_CONFIG_FILE), join(dir, "lake"), "Europe/Vilnius"), dashboardDir: join(dir, "dashboard") };
    await ingestStage([join(projectRoot, "test", "fixtures", "incidents-small.csv")], settings);
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("the emerging stage refuses all offences with the rule, and writes nothing", async () => {
    await expect(emergingStage(settings, {})).rejects.toThrow(
      /no emerging hot spots of all over 2019-05 … 2019-06 \(2 months\): the trend test needs incidents in at least 10 months/,
    );
    expect((await manifest()).tables.emerging ?? {}).toEqual({});
  });

  it("the emerging command refuses a range of two months and exits non-zero", async () => {
    await expect(hotspotsInProcess(["--lake", settings.lakeDir, "emerging", "--from", "2019-05", "--to", "2019-06"])).rejects.toThrow(
      /no emerging hot spots of all over 2019-05 … 2019-06.*Give a longer range/,
    );
  });

  it("a run skips all offences with the reason, and publish says why instead of showing patterns", async () => {
    const { analytics } = await runStages(["analytics"], settings);
    const all = analytics!.emerging;
    expect("skipped" in all && all.skipped).toEqual({ reason: "few_months", months: 2, minimum_months: 10 });
    const written = await manifest();
    expect(written.parameters?.["emerging/all"]?.skipped).toEqual({ reason: "few_months", months: 2, minimum_months: 10 });
    await expect(readdir(join(settings.lakeDir, "emerging"))).rejects.toThrow();
    // The forecast and backtest of all offences still run.
    expect(analytics!.forecast && "month" in analytics!.forecast && analytics!.forecast.month).toBe("2019-07");
    const published = await withConnection((c) => emergingData(c, settings.lakeDir, releaseRules(settings), settings.k, written));
    expect(published.runs).toEqual([]);
    expect(published.skipped?.map((s) => s.category)).toContain("all");
  });
});
