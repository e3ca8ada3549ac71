/**
 * The lake's store of the last backtest file's folds (backtest-folds-store.ts), which the next month's
 * backtest takes its earlier folds from instead of reading the file: it gives exactly what readFolds
 * reads from the file whose SHA-256 it is keyed by, and nothing for another file or a damaged store;
 * on a lake, one more month's backtest uses it, and a changed earlier month or parameter is not
 * answered from it (the scores follow the change, as a fresh lake computes them).
 */
import { readFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asRead, cachedFolds, storeFolds } from "../etl/analytics/backtest-folds-store.ts";
import { backtestStage, readFolds, writeFolds, type BacktestStageSummary } from "../etl/analytics/backtest-lake.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import type { UnchangedOutput } from "../etl/analytics/output-fingerprint.ts";
import { rollingBacktest, type BacktestFold } from "../etl/analytics/rolling-backtest.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { sha256File } from "../etl/lake/atomic-file.ts";
import { rootCacheFile } from "../etl/lake/root-caches.ts";
import { defaultSettings, type PipelineSettings } from "../etl/settings.ts";
import { diskCells, monthLabels, poissonCity } from "./helpers/poisson-city.ts";
import { canonicalSource } from "./helpers/shared.ts";

const key = (f: BacktestFold) => `${f.method}\n${f.areaTarget}\n${f.month}`;
const sorted = (folds: readonly BacktestFold[]) => [...folds].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
const STORE = rootCacheFile("backtestFolds");

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "backtest-folds-store-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the backtest folds store", () => {
  it("gives readFolds' folds of the file it is keyed by, and nothing for another file or a damaged store", async () => {
    const cells = diskCells(3);
    const grid = poissonCity(cells, monthLabels(2016, 20), (i) => (i % 5 === 0 ? 0.5 : 0.05), 3);
    const { folds } = rollingBacktest(grid, kRingWeights(cells, 1), { methods: ["last-12-months", "ewma", "stacked"], areaShares: [0.05, 0.1] });
    // Edge cases: a non-finite measure and selection margin, and a null choice.
    const edged = [...folds, { ...folds[0]!, month: "2099-01", pai: Number.POSITIVE_INFINITY, margin: Number.NaN, gainOverBaseline: Number.NEGATIVE_INFINITY }];
    const lake = join(dir, "unit");
    const file = join(dir, "folds.parquet");
    await withConnection(async (connection) => {
      await writeFolds(connection, file, "all", edged, {
        h3_resolution: 8,
        k: 1,
        window_months: 12,
        half_life_months: 3,
        ring_weight: 0.5,
        min_history_months: 12,
        selection_window_months: 36,
        study_area: "test",
      });
      const sha = await sha256File(file);
      // No lake folder: nothing written, nothing read.
      await storeFolds(lake, sha, edged);
      expect(existsSync(lake)).toBe(false);
      expect(await cachedFolds(lake, sha)).toBeNull();

      await (await import("node:fs/promises")).mkdir(lake);
      await storeFolds(lake, sha, edged);
      const read = sorted(await readFolds(connection, file));
      const cached = await cachedFolds(lake, sha);
      expect(sorted(cached!)).toEqual(read);
      expect(sorted(edged.map(asRead))).toEqual(read);
      expect(cached!.at(-1)).toMatchObject({ pai: Number.NaN, margin: null, gainOverBaseline: null });

      // Another file's SHA-256: a miss. A flipped byte: a miss.
      expect(
        await cachedFolds(
          lake,
          sha.replace(/^./, (c) => (c === "0" ? "1" : "0")),
        ),
      ).toBeNull();
      const bytes = await readFile(join(lake, STORE));
      bytes[bytes.length - 3]! ^= 1;
      await writeFile(join(lake, STORE), bytes);
      expect(await cachedFolds(lake, sha)).toBeNull();
      await writeFile(join(lake, STORE), bytes.subarray(0, 100));
      expect(await cachedFolds(lake, sha)).toBeNull();
    });
  });
});

const MONTHS = monthLabels(2018, 16);

function rows(month: string, t: number, extra = 0): string[] {
  const out: string[] = [];
  const add = (kind: string, i: number, lat: number, lon: number) =>
    out.push(
      `${kind}-${month}-${i},${month}-${String(1 + (i % 27)).padStart(2, "0")}T12:00:00Z,BK 178,theft,pre_trial_investigation,${lat},${lon},Šiaulių m. sav.,Šiauliai,test`,
    );
  for (let i = 0; i < 12 + t + extra; i++) add("T", i, 55.9349 + (i % 5) * 3e-4, 23.3137 + (i % 3) * 3e-4);
  for (let i = 0; i < 15; i++) add("B", i, 55.915 + ((i * 7 + t) % 9) * 0.004, 23.27 + ((i * 5 + t) % 6) * 0.012);
  return out;
}

async function ingest(lakeDir: string, name: string, lines: string[]): Promise<void> {
  const file = join(dir, name);
  await writeFile(file, ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source", ...lines].join("\n"));
  await ingestFile(file, { lakeDir, resolution: 8, timeZone: "Europe/Vilnius", now: Date.UTC(2026, 0, 1), source: await canonicalSource() });
}

const monthRows = (months: readonly string[]) => months.flatMap((m) => rows(m, MONTHS.indexOf(m)));
const run = (settings: PipelineSettings, options = {}) => backtestStage(settings, {}, options, { keepUnchanged: true });
const computed = (result: BacktestStageSummary | UnchangedOutput): BacktestStageSummary => {
  if (!("summary" in result)) throw new Error("the backtest file was kept, not computed");
  return result;
};
const fileFolds = (settings: PipelineSettings, month: string) =>
  withConnection(async (connection) => sorted(await readFolds(connection, join(settings.lakeDir, "backtests", `month=${month}`, "all.parquet"))));

describe("one more month's backtest from the store", () => {
  it("reuses the stored folds, and follows a changed earlier month and a changed parameter", async () => {
    const settings = defaultSettings({ lakeDir: join(dir, "lake"), dashboardDir: join(dir, "dash") });
    const last = MONTHS.at(-1)!;
    const before = MONTHS.at(-2)!;
    await ingest(settings.lakeDir, "history.csv", monthRows(MONTHS.slice(0, -1)));
    computed(await run(settings));
    await ingest(settings.lakeDir, "next.csv", monthRows([last]));
    // The store is what the next month reads: plant a marked fold of an early month under the same key.
    const earlier = join(settings.lakeDir, "backtests", `month=${before}`, "all.parquet");
    const sha = await sha256File(earlier);
    const stored = (await cachedFolds(settings.lakeDir, sha))!;
    expect(stored).not.toBeNull();
    const mark = stored.findIndex((f) => f.month === MONTHS[12] && f.method === "last-month");
    await storeFolds(
      settings.lakeDir,
      sha,
      stored.map((f, i) => (i === mark ? { ...f, hitsTop20: -7 } : f)),
    );
    const extended = computed(await run(settings));
    expect(extended.reused?.through).toBe(before);
    const withMark = await fileFolds(settings, last);
    expect(withMark.some((f) => f.hitsTop20 === -7)).toBe(true);

    // A fresh lake of every month computes every fold: equal to the extension but for the mark.
    const fresh = defaultSettings({ lakeDir: join(dir, "fresh"), dashboardDir: join(dir, "dash-fresh") });
    await ingest(fresh.lakeDir, "all.csv", monthRows(MONTHS));
    computed(await run(fresh));
    const all = await fileFolds(fresh, last);
    expect(withMark.map((f) => (f.hitsTop20 === -7 ? { ...f, hitsTop20: all.find((g) => key(g) === key(f))!.hitsTop20 } : f))).toEqual(all);

    // A late export of an earlier month: the earlier file no longer answers, every fold is computed, as a fresh lake does.
    const late = rows(MONTHS[13]!, 13, 9).map((line) => line.replace(/^(\w)-/, "L$1-"));
    await ingest(settings.lakeDir, "late.csv", late);
    await ingest(fresh.lakeDir, "late.csv", late);
    const followed = computed(await run(settings));
    expect(followed.reused).toBeNull();
    computed(await run(fresh, {}));
    const changed = await fileFolds(settings, last);
    expect(changed).toEqual(await fileFolds(fresh, last));
    expect(changed).not.toEqual(all);

    // Another parameter (the ring weight): not answered from the folds of the earlier parameter either.
    const options = { parameters: { window: 12, halfLife: 3, ringWeight: 0.25 } };
    const other = computed(await run(settings, options));
    expect(other.reused).toBeNull();
    const reweighted = await fileFolds(settings, last);
    expect(reweighted.filter((f) => f.method === "ewma-ring")).not.toEqual(changed.filter((f) => f.method === "ewma-ring"));
    computed(await run(fresh, options));
    expect(reweighted).toEqual(await fileFolds(fresh, last));
  }, 180_000);
});
