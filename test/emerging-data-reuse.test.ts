/**
 * Publish's emerging data take a category's patterns from the stored run where that run is of the
 * lake's incidents now, and compute only the bins the ring rule needs (emergingBins); the result is
 * what classifying every category again gives, and a changed input (another export of a month the run
 * read) makes publish classify again.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gridDisk, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emergingHotSpots, type EmergingOptions } from "../etl/analytics/emerging-hot-spots.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { DEFAULT_CONFIG_FILE, loadProjectConfig } from "../etl/config.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { ingestStage } from "../etl/pipeline.ts";
import { emergingBins, emergingData, storedRunCurrent } from "../etl/publish/emerging-data.ts";
import { patrolData } from "../etl/publish/patrol-data.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";
import { recordedConfig, settingsFromConfig, type PipelineSettings } from "../etl/settings.ts";
import { runStages } from "../etl/stages.ts";
import { CANONICAL_HEADER, threeCategoryRows } from "./helpers/shared.ts";

describe("emergingBins", () => {
  const cells = gridDisk(latLngToCell(55.93, 23.31, 8), 3).sort();
  const months = Array.from({ length: 14 }, (_, t) => `2020-${String(t + 1).padStart(2, "0")}`).map((m, t) => (t < 12 ? m : `2021-0${t - 11}`));
  let seed = 11;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  // A cluster that grows at the centre over sparse noise: significant bins of both signs.
  const counts = Float64Array.from({ length: cells.length * months.length }, (_, u) => {
    const [t, i] = [Math.floor(u / cells.length), u % cells.length];
    return (i < 4 ? Math.floor(t / 2) : 0) + (random() < 0.3 ? Math.floor(random() * 4) : 0);
  });
  const options: EmergingOptions[] = [
    // emergingBins serves where no grouped cube can be made, where emergingHotSpots' space-time bins
    // rest on the normal approximation too; with whole-number counts those are the permutation test's.
    { timeWindow: 1, fdr: true, minBin: 2, trendAlpha: 0.05, inference: { method: "normal" } },
    { timeWindow: 0, fdr: false, minBin: 1, trendAlpha: 0.05, inference: { method: "normal" } },
    { timeWindow: 3, fdr: false, minBin: 3, trendAlpha: 0.1, inference: { method: "normal" } },
    { timeWindow: null, fdr: true, minBin: 2, trendAlpha: 0.05 },
    { timeWindow: null, fdr: false, minBin: 2, trendAlpha: 0.05 },
  ];

  it.each(options)("are emergingHotSpots' bins (%o)", (o) => {
    const spatial = kRingWeights(cells, 1);
    const expected = emergingHotSpots({ cells, months, counts }, spatial, o).bins;
    expect(expected.some((b) => b !== 0)).toBe(true);
    expect(emergingBins(counts, spatial, months.length, o)).toEqual(expected);
  });
});

describe("emerging data from the stored runs", () => {
  const MONTHS = Array.from({ length: 12 }, (_, t) => `2019-${String(t + 1).padStart(2, "0")}`);
  let dir: string;
  let settings: PipelineSettings;
  const rowsOf = threeCategoryRows;
  const ingest = async (name: string, rows: string[]) => {
    const file = join(dir, name);
    await writeFile(file, `${[CANONICAL_HEADER, ...rows].join("\n")}\n`);
    await ingestStage([file], settings);
  };
  const publish = async (reuse: boolean) => {
    const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
    return withConnection((c) => emergingData(c, settings.lakeDir, releaseRules(settings), settings.k, reuse ? manifest : { parameters: manifest.parameters }));
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "emerging-reuse-"));
    const config = loadProjectConfig(DEFAULT_CONFIG_FILE);
    settings = { ...settingsFromConfig(config, join(dir, "lake"), "Europe/Vilnius"), hullRing: 1 };
    settings.config = recordedConfig(settings, config.file);
    // Thefts and burglaries in every month, growing; a few domestic violence incidents (sensitive).
    await ingest(
      "incidents.csv",
      rowsOf("R", MONTHS, (t) => 24 + 3 * t),
    );
    await runStages(["analytics"], settings);
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("takes the patterns of a category's current run, never of all offences, and gives what classifying again gives", async () => {
    const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
    const run = (category: string) => ({ category, first_month: MONTHS[0]!, last_month: MONTHS.at(-1)! });
    expect(storedRunCurrent(manifest, run("theft"))).toBe(true);
    expect(storedRunCurrent(manifest, run("all"))).toBe(false);
    expect(storedRunCurrent({}, run("theft"))).toBe(false);
    const reused = await publish(true);
    expect(reused.categories).toEqual(["all", "burglary", "theft"]);
    expect(reused.cells.length).toBeGreaterThan(0);
    expect(reused).toEqual(await publish(false));
  }, 60_000);

  it("another export of a month the run read: the run is no longer current, and publish classifies again", async () => {
    await ingest(
      "late.csv",
      rowsOf("L", [MONTHS[5]!], () => 12),
    );
    const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
    const run = { category: "theft", first_month: MONTHS[0]!, last_month: MONTHS.at(-1)! };
    expect(storedRunCurrent(manifest, run)).toBe(false);
    expect(await publish(true)).toEqual(await publish(false));
  }, 60_000);

  it("reads each category's last run from the files the manifest lists, and every file where the folder holds one it does not list", async () => {
    await ingest(
      "next.csv",
      rowsOf("N", ["2020-01"], () => 60),
    );
    await runStages(["analytics"], settings);
    const emergingDir = join(settings.lakeDir, "emerging");
    expect((await readdir(emergingDir)).sort()).toEqual(["month=2019-12", "month=2020-01"]);
    const listed = await publish(true);
    expect(listed.runs.map((r) => r.last_month)).toEqual(["2020-01", "2020-01", "2020-01"]);
    expect(listed).toEqual(await publish(false));
    // A file the manifest does not list (a copy left in a later month's folder): the glob reads it, and so must publish.
    await mkdir(join(emergingDir, "month=2020-06"));
    await copyFile(join(emergingDir, "month=2020-01", "theft.parquet"), join(emergingDir, "month=2020-06", "theft.parquet"));
    const stray = await publish(true);
    expect(stray.runs.find((r) => r.category === "theft")?.last_month).toBe("2020-06");
    expect(stray).toEqual(await publish(false));
  }, 120_000);

  it("patrol data: each category's last forecast up to the month after the data, from the manifest's files or, where the folder holds one it does not list, every file", async () => {
    const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
    const patrol = (tables: typeof manifest.tables) => withConnection((c) => patrolData(c, settings.lakeDir, { ...manifest, tables }, releaseRules(settings)));
    // The incident partitions alone: the forecasts are read from their files.
    const fromFiles = () => patrol({ incidents: manifest.tables.incidents! });
    const listed = await patrol(manifest.tables);
    expect(listed.patrol.forecast?.month).toBe("2020-02");
    expect(listed).toEqual(await fromFiles());
    // A copy in a later month's folder: a forecast past the month after the data (2020-01), named, not shown.
    const forecasts = join(settings.lakeDir, "forecasts");
    await mkdir(join(forecasts, "month=2020-07"));
    await copyFile(join(forecasts, "month=2020-02", "all.parquet"), join(forecasts, "month=2020-07", "all.parquet"));
    const stray = await patrol(manifest.tables);
    expect(stray.patrol.forecast?.month).toBe("2020-02");
    expect(stray.patrol.beyond_data).toEqual({ last_month: "2020-01", months: ["2020-07"] });
    expect(stray).toEqual(await fromFiles());
  }, 60_000);
});
