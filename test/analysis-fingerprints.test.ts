/**
 * Analytics outputs carry the fingerprint of their parameters and input, and the incremental run
 * recomputes every partition whose fingerprint — or whose bytes — differ from what the manifest
 * records, including after a kill (issue 21 item 4: "a killed analyse leaves 3 months computed with
 * k=2 and 15 with k=1, and the next incremental run recomputes nothing"). The kill is simulated by
 * failing the commit's fourth hot-spot rename, as a SIGKILL between two renames would leave it.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gridDisk, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { analyseLake, type AnalyseOptions } from "../etl/analytics/analyse-lake.ts";
import { analyticsStage, type AnalyticsStageSummary } from "../etl/analytics/analytics-stage.ts";
import { backtestStage } from "../etl/analytics/backtest-lake.ts";
import { DEFAULT_EMERGING_OPTIONS } from "../etl/analytics/emerging-hot-spots.ts";
import { emergingStage } from "../etl/analytics/emerging-lake.ts";
import { forecastStage } from "../etl/analytics/forecast-lake.ts";
import { analyticsText } from "../etl/cli/analytics-text.ts";
import { checkOneHotSpotRun } from "../etl/analytics/output-resolution.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { COMMIT_JOURNAL } from "../etl/lake/lake-commit.ts";
import type { Manifest } from "../etl/lake/manifest.ts";
import { defaultSettings, type PipelineSettings } from "../etl/settings.ts";
import { canonicalSource, centralSiauliaiExport } from "./helpers/shared.ts";

/** Renames into a hot-spot partition allowed before the simulated kill (Infinity: no kill). */
const kill = vi.hoisted(() => ({ afterHotSpotRenames: Infinity, renamed: 0, failAnalytics: false, analyticsRenames: 0 }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs/promises")>();
  const rename: typeof fs.rename = async (from, to) => {
    if (/hotspots[\\/]month=[^\\/]+[\\/][^\\/]+\.parquet$/.test(String(to)) && kill.renamed++ >= kill.afterHotSpotRenames) {
      throw Object.assign(new Error("simulated kill between two renames of the commit"), { code: "EKILLED" });
    }
    // An analytics commit killed after its data file took its name, before the manifest did.
    if (kill.failAnalytics && String(to).endsWith("manifest.json") && kill.analyticsRenames++ === 0)
      throw Object.assign(new Error("simulated kill between two renames of the commit"), { code: "EKILLED" });
    return fs.rename(from, to);
  };
  return { ...fs, default: { ...fs, rename }, rename };
});

/** Emerging hot spots of this short lake: its months test the files' bookkeeping, not the trend test (EMERGING_MINIMUM_MONTHS). */
const SHORT_SERIES = { minimumMonths: 1, onSparse: "record" } as const;
const MONTHS = ["2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06"];
const HOT = latLngToCell(55.9349, 23.3137, 8);
const AREA = gridDisk(HOT, 6);
let dir: string;
let lake: string;

const analyse = (options: Partial<AnalyseOptions> = {}) =>
  analyseLake({
    lakeDir: lake,
    resolution: 8,
    timeZone: "Europe/Vilnius",
    k: 1,
    studyArea: { cells: AREA, label: "test" },
    inference: { method: "normal" },
    ...options,
  });
const manifest = async () => JSON.parse(await readFile(join(lake, "manifest.json"), "utf8")) as Manifest;

/** The k stored in each month's hot-spot rows (what readers see), month → k. */
async function storedK(): Promise<Record<string, number>> {
  const rows = await withConnection(
    async (c) =>
      (
        await c.runAndReadAll(`SELECT month, any_value(k)::INTEGER AS k FROM read_parquet($glob, hive_partitioning = true) GROUP BY month ORDER BY month`, {
          glob: join(lake, "hotspots", "*", "*.parquet"),
        })
      ).getRowObjectsJS() as Array<{ month: string; k: number }>,
  );
  return Object.fromEntries(rows.map((r) => [r.month, r.k]));
}

/** `analyse` with k = 2 killed after three of its six hot-spot partitions took their names. */
async function killedAnalyse(): Promise<void> {
  Object.assign(kill, { afterHotSpotRenames: 3, renamed: 0 });
  await expect(analyse({ k: 2, full: true })).rejects.toThrow("simulated kill");
  Object.assign(kill, { afterHotSpotRenames: Infinity, renamed: 0 });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "analysis-fingerprints-"));
  lake = join(dir, "lake");
  const file = join(dir, "incidents.csv");
  await writeFile(
    file,
    centralSiauliaiExport(MONTHS, (t) => 12 + t),
  );
  await ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: Date.UTC(2026, 0, 1), source: await canonicalSource() });
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("hot spots after a killed analyse", () => {
  it("the kill leaves three months at k = 2 on disk under a manifest of k = 1, and a journal", async () => {
    expect(await analyse()).toMatchObject({ months: 6, months_recomputed: 6 });
    await killedAnalyse();
    expect(Object.values(await storedK()).sort()).toEqual([1, 1, 1, 2, 2, 2]);
    expect((await manifest()).parameters?.hot_spots).toMatchObject({ k: 1 });
    await expect(readFile(join(lake, COMMIT_JOURNAL), "utf8")).resolves.toContain("hotspots/month=");
  });

  it("the next incremental run completes the killed commit from its journal, then recomputes every month at k = 1", async () => {
    expect(await analyse()).toMatchObject({ months: 6, months_recomputed: 6, months_kept: 0 });
    expect(await storedK()).toEqual(Object.fromEntries(MONTHS.map((m) => [m, 1])));
    expect(await analyse()).toMatchObject({ months_recomputed: 0, months_kept: 6 });
  });

  it("with the journal lost, the partitions whose bytes the manifest does not record are recomputed, and only they", async () => {
    await killedAnalyse();
    const mixed = await storedK();
    await rm(join(lake, COMMIT_JOURNAL));
    const summary = await analyse();
    expect(summary).toMatchObject({ months: 6, months_recomputed: 3, months_kept: 3 });
    expect(Object.entries(mixed).filter(([, k]) => k === 2)).toHaveLength(3);
    expect(await storedK()).toEqual(Object.fromEntries(MONTHS.map((m) => [m, 1])));
    expect(await analyse()).toMatchObject({ months_recomputed: 0, months_kept: 6 });
  });
});

describe("hot spots of two parameter sets, by an explicit month range", () => {
  it("publish refuses the mix naming the months, and the next incremental run recomputes exactly those", async () => {
    expect(await analyse({ k: 2, from: "2019-02", to: "2019-03" })).toMatchObject({ months_recomputed: 2 });
    expect(await storedK()).toMatchObject({ "2019-01": 1, "2019-02": 2, "2019-03": 2, "2019-04": 1 });
    const mixed = await manifest();
    expect(() => checkOneHotSpotRun(mixed)).toThrow(
      "the dashboard would mix hot spots computed with different parameters: 4 month(s) (2019-01, 2019-04, 2019-05, 2019-06) were not computed with those of the last analysis",
    );
    expect(await analyse()).toMatchObject({ months_recomputed: 2, months_kept: 4 });
    expect(await storedK()).toEqual(Object.fromEntries(MONTHS.map((m) => [m, 1])));
    expect(() => checkOneHotSpotRun(mixed)).toThrow();
    const settled = await manifest();
    expect(() => checkOneHotSpotRun(settled)).not.toThrow();
  });
});

describe("emerging, forecast and backtest files carry their fingerprints", () => {
  const settings = (overrides: Partial<PipelineSettings> = {}) => defaultSettings({ lakeDir: lake, timeZone: "Europe/Vilnius", hullRing: 1, ...overrides });
  /** Runs the three stages and returns the fingerprints the manifest records with each file, by table. */
  async function outputs(s: PipelineSettings, emergingOptions = DEFAULT_EMERGING_OPTIONS) {
    await emergingStage(s, { hullRing: 1 }, emergingOptions, undefined, SHORT_SERIES);
    await backtestStage(s, { hullRing: 1 }, { minHistory: 3 });
    await forecastStage(s, { month: "2019-06", hullRing: 1, methods: ["last-month"], selection: { top: 5 } });
    const m = await manifest();
    const entry = (table: string, key: string) => {
      const e = m.tables[table]![key]!;
      return { parameters: e.parameters_sha256!, input: e.input_sha256! };
    };
    return {
      emerging: entry("emerging", "emerging/month=2019-06/all.parquet"),
      backtest: entry("backtests", "backtests/month=2019-06/all.parquet"),
      forecast: entry("forecasts", "forecasts/month=2019-06/all.parquet"),
    };
  }
  let base: Awaited<ReturnType<typeof outputs>>;

  it("records both fingerprints with every file, the same on a re-run", async () => {
    base = await outputs(settings());
    for (const f of Object.values(base))
      expect(f).toEqual({ parameters: expect.stringMatching(/^[0-9a-f]{64}$/), input: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Different questions over the same history: different parameter fingerprints.
    expect(new Set(Object.values(base).map((f) => f.parameters)).size).toBe(3);
    expect(await outputs(settings())).toEqual(base);
  });

  it("k, the resolution or a method option changes the parameter fingerprint, not the input's", async () => {
    for (const changed of [await outputs(settings({ k: 2 })), await outputs(settings({ resolution: 9 }))]) {
      for (const table of ["emerging", "backtest", "forecast"] as const) {
        expect(changed[table].parameters).not.toBe(base[table].parameters);
        expect(changed[table].input).toBe(base[table].input);
      }
    }
    const window = await outputs(settings(), { ...DEFAULT_EMERGING_OPTIONS, timeWindow: 0 });
    expect(window.emerging.parameters).not.toBe(base.emerging.parameters);
    expect(window.backtest).toEqual(base.backtest);
  });

  it("a corrected month changes the input fingerprint of the files that read it; the forecast of that month reads only its history", async () => {
    const before = await manifest();
    const file = join(dir, "incidents.csv");
    const text = await readFile(file, "utf8");
    // One June theft moved elsewhere in the city; the other months' partitions stay byte-identical.
    await writeFile(file, text.replace(/^(2019-06-1,2019-06-12T12:00:00Z,X,theft,pre_trial_investigation,)[^,]+,[^,]+,/m, "$155.921000,23.280000,"));
    await ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: Date.UTC(2026, 0, 1), source: await canonicalSource() });
    const changed = Object.entries((await manifest()).tables.incidents!).filter(([key, e]) => before.tables.incidents![key]?.sha256 !== e.sha256);
    expect(changed.map(([, e]) => e.month)).toEqual(["2019-06"]);
    const after = await outputs(settings());
    expect(after.emerging.input).not.toBe(base.emerging.input);
    expect(after.backtest.input).not.toBe(base.backtest.input);
    expect(after.forecast).toEqual(base.forecast);
  });
});

describe("run's analytics stage keeps what is up to date", () => {
  const settings = (overrides: Partial<PipelineSettings> = {}) => defaultSettings({ lakeDir: lake, timeZone: "Europe/Vilnius", hullRing: 1, ...overrides });
  const FILES = ["emerging/month=2019-06/all.parquet", "backtests/month=2019-06/all.parquet", "forecasts/month=2019-07/all.parquet"];
  const kept = (s: AnalyticsStageSummary) => [s.emerging, s.backtest, s.forecast].map((o) => o !== null && "unchanged" in o);
  const bytes = async () => Promise.all(FILES.map((f) => readFile(join(lake, f), "base64")));

  it("skips emerging, backtest and forecast when their fingerprints and bytes match, and says so", async () => {
    const first = await analyticsStage(settings(), undefined, undefined, { full: true, sparse: SHORT_SERIES });
    expect(kept(first)).toEqual([false, false, false]);
    const before = await bytes();
    const again = await analyticsStage(settings(), undefined, undefined, { sparse: SHORT_SERIES });
    expect(kept(again)).toEqual([true, true, true]);
    expect(again.emerging).toMatchObject({ category: "all", first_month: "2019-01", last_month: "2019-06", file: join(lake, FILES[0]!) });
    expect(again.forecast).toMatchObject({ last_month: "2019-06", file: join(lake, FILES[2]!) });
    expect(analyticsText(again)).toEqual([
      `Emerging hot spots (all): not recomputed, its parameters and the incident partitions it read are the ones recorded with it (--full recomputes it): ${join(lake, FILES[0]!)}`,
      `Patrol priorities (all): not recomputed, its parameters and the incident partitions it read are the ones recorded with it (--full recomputes it): ${join(lake, FILES[2]!)}`,
      `Backtest (all): not recomputed, its parameters and the incident partitions it read are the ones recorded with it (--full recomputes it): ${join(lake, FILES[1]!)}`,
    ]);
    expect(await bytes()).toEqual(before);
    // --full recomputes all three, to the same bytes (the computation is deterministic).
    expect(kept(await analyticsStage(settings(), undefined, undefined, { full: true, sparse: SHORT_SERIES }))).toEqual([false, false, false]);
    expect(await bytes()).toEqual(before);
  });

  it("recomputes all three when a parameter differs (k), and then keeps them again", async () => {
    expect(kept(await analyticsStage(settings({ k: 2 }), undefined, undefined, { sparse: SHORT_SERIES }))).toEqual([false, false, false]);
    expect(kept(await analyticsStage(settings({ k: 2 }), undefined, undefined, { sparse: SHORT_SERIES }))).toEqual([true, true, true]);
    expect(kept(await analyticsStage(settings(), undefined, undefined, { sparse: SHORT_SERIES }))).toEqual([false, false, false]);
  });

  it("recomputes a file whose bytes are not the recorded ones (a killed commit renamed it, its manifest never landed), and only it", async () => {
    const before = await bytes();
    // What a kill between the emerging file's rename and the manifest's leaves with its journal lost: other bytes under the old entry.
    await writeFile(join(lake, FILES[0]!), Buffer.from(before[1]!, "base64"));
    expect(kept(await analyticsStage(settings(), undefined, undefined, { sparse: SHORT_SERIES }))).toEqual([false, true, true]);
    expect(await bytes()).toEqual(before);
  });

  it("after a kill with the journal still there, the commit is rolled forward and its files kept", async () => {
    Object.assign(kill, { afterHotSpotRenames: Infinity, renamed: 0, analyticsRenames: 0 });
    kill.failAnalytics = true;
    await expect(analyticsStage(settings({ k: 3 }), undefined, undefined, { sparse: SHORT_SERIES })).rejects.toThrow("simulated kill");
    kill.failAnalytics = false;
    const journal = await readFile(join(lake, COMMIT_JOURNAL), "utf8");
    for (const file of FILES) expect(journal).toContain(file);
    // The stage commits its three files at once (one analytics session): all three took their names, the manifest did
    // not; the journal completes the commit, and all three are up to date.
    expect(kept(await analyticsStage(settings({ k: 3 }), undefined, undefined, { sparse: SHORT_SERIES }))).toEqual([true, true, true]);
    expect(kept(await analyticsStage(settings({ k: 3 }), undefined, undefined, { sparse: SHORT_SERIES }))).toEqual([true, true, true]);
  });
});
