/**
 * One more month, run the way the monthly run does it (ingest the month, then analyse, the analytics
 * and publish on the lake and dashboard folder of the history), gives exactly what computing every
 * stage on a fresh lake from all the months gives: the same hot-spot partitions, emerging, forecast
 * and backtest rows and dashboard data files (byte for byte, the build time aside). And the published
 * hot spots of the history's months are taken from the previous publish, not computed again, and so are
 * the count tables' sums of the months whose cell_counts did not change.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyticsStage, type AnalyticsStageSummary } from "../etl/analytics/analytics-stage.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { analyseStage, publishStage } from "../etl/pipeline.ts";
import { hotSpotsReusing, lakeInference, type HotSpotState } from "../etl/publish/hotspot-table.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";
import { cachedCountRows, countRows, type CountRow } from "../etl/publish/count-tables.ts";
import type { HotspotTable } from "../dashboard/data-contract.ts";
import { defaultSettings } from "../etl/settings.ts";
import type { PipelineSettings } from "../etl/settings.ts";
import { canonicalSource } from "./helpers/shared.ts";

const HISTORY = [
  "2018-01",
  "2018-02",
  "2018-03",
  "2018-04",
  "2018-05",
  "2018-06",
  "2018-07",
  "2018-08",
  "2018-09",
  "2018-10",
  "2018-11",
  "2018-12",
  "2019-01",
  "2019-02",
];
const NEXT = "2019-03";

/**
 * Canonical CSV rows of `month`: a theft cluster in central Šiauliai that grows month by month,
 * burglaries scattered over the city, a few sensitive offences (published only per municipality) and
 * thefts in Kuršėnai (the district).
 */
function rows(month: string, t: number): string[] {
  const out: string[] = [];
  const add = (kind: string, i: number, code: string, category: string, lat: number, lon: number, municipality: string, locality: string) =>
    out.push(
      `${kind}-${month}-${i},${month}-${String(1 + (i % 27)).padStart(2, "0")}T12:00:00Z,${code},${category},pre_trial_investigation,${lat},${lon},${municipality},${locality},test`,
    );
  for (let i = 0; i < 20 + 2 * t; i++) add("T", i, "BK 178", "theft", 55.9349 + (i % 5) * 3e-4, 23.3137 + (i % 3) * 3e-4, "Šiaulių m. sav.", "Šiauliai");
  for (let i = 0; i < 15; i++)
    add("B", i, "BK 180", "burglary", 55.915 + ((i * 7 + t) % 9) * 0.004, 23.27 + ((i * 5 + t) % 6) * 0.012, "Šiaulių m. sav.", "Šiauliai");
  for (let i = 0; i < 3 + (t % 3); i++) add("D", i, "BK 140", "domestic_violence", 55.93 + i * 0.002, 23.3 + i * 0.003, "Šiaulių m. sav.", "Šiauliai");
  for (let i = 0; i < 6; i++) add("K", i, "BK 178", "theft", 55.9877 + (i % 2) * 2e-3, 22.9366 + (i % 3) * 2e-3, "Šiaulių r. sav.", "Kuršėnai");
  return out;
}

let dir: string;

async function ingest(lakeDir: string, name: string, months: readonly string[]): Promise<void> {
  const file = join(dir, name);
  const lines = months.flatMap((month) => rows(month, [...HISTORY, NEXT].indexOf(month)));
  await writeFile(file, ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source", ...lines].join("\n"));
  await ingestFile(file, { lakeDir, resolution: 8, timeZone: "Europe/Vilnius", now: Date.UTC(2026, 0, 1), source: await canonicalSource() });
}

/** The stages after ingest, as `run` and the monthly run call them; the analytics' summary. */
async function stages(settings: PipelineSettings): Promise<AnalyticsStageSummary> {
  await analyseStage(settings);
  const analytics = await analyticsStage(settings);
  await publishStage(settings);
  return analytics;
}

/** Every Parquet file of the lake's output tables (path → its rows as JSON), and every dashboard data file (build time left out). */
async function outputs(settings: PipelineSettings): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await withConnection(async (connection) => {
    for (const folder of ["hotspots", "emerging", "forecasts", "backtests"]) {
      for (const file of (await readdir(join(settings.lakeDir, folder), { recursive: true })).filter((f) => f.endsWith(".parquet")).sort()) {
        const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${join(settings.lakeDir, folder, file)}')`);
        out[`${folder}/${file}`] = JSON.stringify(reader.getRowsJS(), (_, v: unknown) => (typeof v === "bigint" ? String(v) : v));
      }
    }
  });
  const data = join(settings.dashboardDir, "src", "data");
  for (const name of (await readdir(data)).filter((f) => f.endsWith(".json")).sort()) {
    const text = await readFile(join(data, name), "utf8");
    out[`data/${name}`] = name === "meta.json" ? JSON.stringify({ ...(JSON.parse(text) as object), generated_at: null }) : text;
  }
  return out;
}

// The city alone (its district's Kuršėnai thefts fall outside): a small grid keeps the backtest of every method quick.
const settingsIn = (folder: string) =>
  defaultSettings({ lakeDir: join(dir, folder, "lake"), dashboardDir: join(dir, folder, "dashboard"), studyMunicipalities: ["Šiaulių m. sav."] });
const incremental = () => settingsIn("incremental");
const full = () => settingsIn("full");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "one-more-month-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("one more month", () => {
  it("history then the month gives the outputs of all the months computed afresh", async () => {
    // The history, its stages, then the month and its stages on the same lake and dashboard folder.
    await ingest(incremental().lakeDir, "history.csv", HISTORY);
    await stages(incremental());
    const history = await outputs(incremental());
    const state = JSON.parse(await readFile(join(incremental().dashboardDir, "src", "data", ".state", "hotspots-state.json"), "utf8")) as HotSpotState;
    expect(state.partitions.map((p) => p.month)).toEqual(HISTORY);
    await ingest(incremental().lakeDir, "next.csv", [NEXT]);
    const added = await stages(incremental());
    // The backtest took the history's folds from its file and computed only the new month's.
    expect("reused" in added.backtest && added.backtest.reused).toMatchObject({ through: HISTORY.at(-1) });
    // The same files, in the same order of ingest, on a fresh lake, each stage computing everything.
    await ingest(full().lakeDir, "history.csv", HISTORY);
    await ingest(full().lakeDir, "next.csv", [NEXT]);
    await stages(full());
    const [after, fresh] = [await outputs(incremental()), await outputs(full())];
    // The incremental lake also keeps the history's own emerging, forecast and backtest files (of earlier months).
    expect(Object.keys(after)).toEqual(expect.arrayContaining(Object.keys(fresh)));
    // Except the briefing: it says what changed since the previous month's plan, which only the lake run month by month holds.
    for (const key of Object.keys(fresh).filter((k) => k !== "data/briefing.json")) expect(after[key], key).toBe(fresh[key]);
    // The month changed the published figures (the comparison is not of two unchanged files).
    expect(after["data/hotspots.json"]).not.toBe(history["data/hotspots.json"]);
    expect(JSON.parse(after["data/meta.json"]!).months).toContain(NEXT);
  }, 180_000);

  it("the next publish computes only the partitions after the previous publish's unchanged months", async () => {
    const settings = incremental();
    const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
    const data = join(settings.dashboardDir, "src", "data");
    const state = JSON.parse(await readFile(join(data, ".state", "hotspots-state.json"), "utf8")) as HotSpotState;
    const table = JSON.parse(await readFile(join(data, "hotspots.json"), "utf8")) as HotspotTable;
    const parameters = manifest.parameters?.hot_spots as Record<string, unknown>;
    const rules = releaseRules(settings);
    const reuse = (previous: { state: HotSpotState; table: HotspotTable }) => ({
      previous,
      partitions: manifest.tables.hot_spots ?? {},
      parameters,
      counts: manifest.tables.cell_counts ?? {},
    });
    // The state of the publish before the last month, and a marker in its table: what is kept is taken from it, as it is.
    const before = { ...state, partitions: state.partitions.filter((p) => p.month !== NEXT) };
    const marked = { ...table, untested: [...table.untested, { month: HISTORY[0]!, category: "marker" }] };
    const again = await withConnection((c) =>
      hotSpotsReusing(c, settings.lakeDir, rules, settings.k, lakeInference(parameters), reuse({ state: before, table: marked })),
    );
    expect(again.table.untested).toContainEqual({ month: HISTORY[0]!, category: "marker" });
    const unmarked = {
      ...again.table,
      untested: again.table.untested.filter((u) => u.category !== "marker"),
      categories: again.table.categories.filter((c) => c !== "marker"),
    };
    expect(unmarked).toEqual(table);
    // Another threshold: nothing is reused (the marker is gone), every month computed.
    const other = releaseRules({ ...settings, suppressionThreshold: 3 });
    const recomputed = await withConnection((c) =>
      hotSpotsReusing(c, settings.lakeDir, other, settings.k, lakeInference(parameters), reuse({ state: before, table: marked })),
    );
    expect(recomputed.table.untested).not.toContainEqual({ month: HISTORY[0]!, category: "marker" });
    // A month whose cell counts changed alone (a late export without coordinates leaves its hot-spot partition as it was):
    // its cells are released with its municipalities' counts, so it is computed again.
    const counts = Object.fromEntries(
      Object.entries(manifest.tables.cell_counts ?? {}).map(([key, e]) => [key, e.month === HISTORY[0] ? { ...e, sha256: "0".repeat(64) } : e]),
    );
    const changed = await withConnection((c) =>
      hotSpotsReusing(c, settings.lakeDir, rules, settings.k, lakeInference(parameters), { ...reuse({ state: before, table: marked }), counts }),
    );
    expect(changed.table.untested).not.toContainEqual({ month: HISTORY[0]!, category: "marker" });
  }, 60_000);

  it("publish's count tables read only the months whose cell_counts changed since the previous publish", async () => {
    const settings = incremental();
    // The publish after the month left its rows per month beside the data: a publish now reads nothing.
    const cache = join(settings.dashboardDir, "src", "data", ".state", "count-rows.json");
    const all = await withConnection((c) => countRows(c, settings.lakeDir));
    const again = await withConnection((c) => cachedCountRows(c, settings.lakeDir, cache));
    expect(again).toEqual({ rows: all, read: [] });
    // What the file holds for an unchanged month is taken as it is (a marker comes out); a month whose partitions' fingerprint differs is read again.
    const state = JSON.parse(await readFile(cache, "utf8")) as { months: Record<string, { partitions_sha256: string; rows: CountRow[] }> };
    const marker: CountRow = { month: HISTORY[0]!, category: "marker", municipality: "", file: "x", n: 1 };
    state.months[HISTORY[0]!]!.rows.push(marker);
    state.months[HISTORY[1]!]!.partitions_sha256 = "another export";
    state.months[HISTORY[1]!]!.rows = [];
    await writeFile(cache, JSON.stringify(state));
    const marked = await withConnection((c) => cachedCountRows(c, settings.lakeDir, cache));
    expect(marked.read).toEqual([HISTORY[1]]);
    expect(marked.rows.filter((r) => r.category !== "marker")).toEqual(all);
    expect(marked.rows).toContainEqual(marker);
    // No file: every month is read.
    expect((await withConnection((c) => cachedCountRows(c, settings.lakeDir, join(dir, "none", "count-rows.json")))).read).toEqual([...HISTORY, NEXT]);
  }, 60_000);

  it("a late export of a month the stored backtest read: its folds are not reused, the backtest is computed in full", async () => {
    const settings = incremental();
    // More incidents of the history's last backtest month, in an export of their own.
    const late = join(dir, "late.csv");
    const lines = rows(HISTORY[12]!, 12).map((line) => line.replace(/^(\w)-/, "L$1-"));
    await writeFile(late, ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source", ...lines].join("\n"));
    await ingestFile(late, {
      lakeDir: settings.lakeDir,
      resolution: 8,
      timeZone: "Europe/Vilnius",
      now: Date.UTC(2026, 0, 1),
      source: await canonicalSource(),
    });
    await analyseStage(settings);
    const again = await analyticsStage(settings);
    expect("reused" in again.backtest && again.backtest.reused).toBeNull();
    expect("summary" in again.backtest && again.backtest.last_month).toBe(NEXT);
  }, 120_000);
});
