/**
 * analyseLake leaves the hot-spot summary store (hot-spot-summary-store.ts) holding every partition
 * it committed, so the next run keeps its months without reading their Parquet back: checked after a
 * full analysis, after an input changes (a new month, a corrected month) and after a partial run.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gridDisk, latLngToCell } from "h3-js";
import { beforeAll, describe, expect, it } from "vitest";
import { analyseLake, type AnalyseOptions } from "../etl/analytics/analyse-lake.ts";
import { storedPartitions } from "../etl/analytics/hot-spot-freshness.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { MANIFEST_FILE, type Manifest } from "../etl/lake/manifest.ts";
import { canonicalSource } from "./helpers/shared.ts";

const HOT = latLngToCell(55.9349, 23.3137, 8);
const AREA = gridDisk(HOT, 6);
let dir: string;
let lake: string;

function rows(month: string, n: number, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      `${prefix}-${month}-T${i},${month}-10T12:00:00Z,BK 178,theft,pre_trial_investigation,${55.9349 + (i % 5) * 1e-4},${23.3137 + (i % 3) * 1e-4},Šiaulių m. sav.,Šiauliai,test`,
      `${prefix}-${month}-B${i},${month}-11T12:00:00Z,BK 180,burglary,pre_trial_investigation,${55.93 + (i % 7) * 0.004},${23.28 + (i % 4) * 0.015},Šiaulių m. sav.,Šiauliai,test`,
    );
  return out;
}

async function ingest(name: string, lines: string[], replace = false): Promise<void> {
  const file = join(dir, name);
  await writeFile(file, ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source", ...lines].join("\n"));
  await ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: Date.UTC(2026, 0, 1), source: await canonicalSource(), replace });
}

const analyse = (options: Partial<AnalyseOptions> = {}) =>
  analyseLake({ lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", k: 1, studyArea: { cells: AREA, label: "test" }, ...options });

/** The hot-spot partitions the manifest lists. */
async function listed(): Promise<Map<string, Manifest["tables"][string][string]>> {
  const manifest = JSON.parse(await readFile(join(lake, MANIFEST_FILE), "utf8")) as Manifest;
  return new Map(Object.entries(manifest.tables.hot_spots ?? {}));
}

/** The store's summaries by checksum. */
async function store(): Promise<Record<string, { inside: number; bin: Array<[number, number]>; binFdr: Array<[number, number]> }>> {
  const file = JSON.parse(await readFile(join(lake, "_hot-spot-summaries.json"), "utf8")) as { body: string };
  return (JSON.parse(file.body) as { partitions: Record<string, { inside: number; bin: Array<[number, number]>; binFdr: Array<[number, number]> }> })
    .partitions;
}

/** The store holds exactly the listed partitions, each with what its Parquet file says. */
async function expectStoreOfListed(): Promise<void> {
  const partitions = await listed();
  const held = await store();
  expect(Object.keys(held).sort()).toEqual([...partitions.values()].map((e) => e.sha256).sort());
  const read = await withConnection((c) => storedPartitions(c, lake, partitions, "all"));
  for (const [key, entry] of partitions) {
    const p = read.get(key)!;
    expect(held[entry.sha256]).toEqual({ inside: p.inside, bin: [...p.bin], binFdr: [...p.binFdr] });
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "analyse-summary-store-"));
  lake = join(dir, "lake");
  await ingest("a.csv", [...rows("2019-03", 20, "A"), ...rows("2019-05", 4, "A")]);
});

describe("analyse and the hot-spot summary store", () => {
  it("holds every partition a full analysis wrote, with what the files store", async () => {
    const summary = await analyse({ full: true });
    expect(summary.months_recomputed).toBe(3);
    await expectStoreOfListed();
  });

  it("follows a new month and a corrected month", async () => {
    const before = await store();
    await ingest("b.csv", rows("2019-06", 9, "B"));
    expect((await analyse()).months_recomputed).toBe(1);
    await expectStoreOfListed();
    expect(Object.keys(await store())).toHaveLength(Object.keys(before).length + 1);

    // March corrected (fewer incidents): its partition's bytes change, and the store with them.
    const march = [...(await listed()).values()].find((e) => e.month === "2019-03")!;
    await ingest("a.csv", [...rows("2019-03", 11, "A"), ...rows("2019-05", 4, "A")], true);
    expect((await analyse()).months_recomputed).toBeGreaterThanOrEqual(1);
    const after = [...(await listed()).values()].find((e) => e.month === "2019-03")!;
    expect(after.sha256).not.toBe(march.sha256);
    expect((await store())[march.sha256]).toBeUndefined();
    await expectStoreOfListed();
  });

  it("is left as it was by a partial run, whose other partitions it did not check", async () => {
    const before = await readFile(join(lake, "_hot-spot-summaries.json"), "utf8");
    await analyse({ from: "2019-05", to: "2019-05" });
    expect(await readFile(join(lake, "_hot-spot-summaries.json"), "utf8")).toBe(before);
    // The next incremental run keeps every month from the store, and leaves it listing them.
    expect((await analyse()).months_recomputed).toBe(0);
    await expectStoreOfListed();
  });
});
