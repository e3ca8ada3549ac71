import { existsSync } from "node:fs";
/**
 * The lake's counts kept on disk between processes (storedLakeCounts): always the counts a full read
 * of the lake gives (readLakeCountsOf over every month, the reference), reading only the months whose
 * partitions are not the ones the file was made from — none when nothing changed, the new month after
 * one more is ingested, the corrected months after a corrected export — and everything when the file
 * is damaged, truncated, foreign or of another resolution.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countsStorePath, storedLakeCounts } from "../etl/analytics/lake-counts-store.ts";
import { readLakeCountsOf, type LakeCounts } from "../etl/analytics/lake-counts.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { MANIFEST_FILE, type Manifest } from "../etl/lake/manifest.ts";
import { bundledMonthsCsv, canonicalSource } from "./helpers/shared.ts";

const dir = await mkdtemp(join(tmpdir(), "counts-store-"));
afterAll(() => rm(dir, { recursive: true, force: true }));
const lake = join(dir, "lake");

async function ingest(name: string, months: readonly string[], extra: readonly string[] = []): Promise<void> {
  const file = join(dir, `${name}.csv`);
  await writeFile(file, bundledMonthsCsv(months, extra));
  await ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: Date.UTC(2026, 0, 1), source: await canonicalSource() });
}

/** The months the manifest lists incident partitions for. */
async function lakeMonths(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(lake, MANIFEST_FILE), "utf8")) as Manifest;
  return [...new Set(Object.values(manifest.tables.incidents ?? {}).map((e) => e.month))].sort();
}

/** storedLakeCounts at `resolution` with the lake's own query, and which months each query asked for ("all": every month). */
async function stored(resolution = 8): Promise<{ counts: LakeCounts; asked: string[][] }> {
  const asked: string[][] = [];
  const all = await lakeMonths();
  const counts = await withConnection((c) =>
    storedLakeCounts(lake, resolution, (months) => {
      asked.push(months ? [...months].sort() : ["all"]);
      return readLakeCountsOf(c, lake, resolution, months ? [...months] : all);
    }),
  );
  return { counts, asked };
}

/** The reference: a full read of every month. */
async function fullRead(resolution = 8): Promise<LakeCounts> {
  const all = await lakeMonths();
  return withConnection((c) => readLakeCountsOf(c, lake, resolution, all));
}

/** Counts as comparable values: the sorted dictionaries and the rows as sorted (month, category, cell, count) lines. */
function canonical(counts: LakeCounts) {
  const rows = Array.from(
    counts.count,
    (n, r) => `${counts.months[counts.month[r]!]} ${counts.categories[counts.category[r]!]} ${counts.cells[counts.cell[r]!]} ${n}`,
  ).sort();
  return { months: counts.months, categories: counts.categories, cells: counts.cells, rows };
}

describe("lake counts kept between processes", () => {
  it("first read: everything, kept; next read: nothing, the same counts", async () => {
    await ingest("history", ["2019-01", "2019-02", "2019-03", "2019-04"]);
    const first = await stored();
    expect(first.asked).toEqual([["all"]]);
    const reference = canonical(await fullRead());
    expect(reference.rows.length).toBeGreaterThan(50);
    expect(canonical(first.counts)).toEqual(reference);
    const again = await stored();
    expect(again.asked).toEqual([]);
    expect(canonical(again.counts)).toEqual(reference);
  });

  it("one more month: only that month is read, and the counts are the full read's", async () => {
    await ingest("next", ["2019-05"]);
    const next = await stored();
    expect(next.asked).toEqual([["2019-05"]]);
    expect(canonical(next.counts)).toEqual(canonical(await fullRead()));
    expect((await stored()).asked).toEqual([]);
  });

  it("a corrected export: the months it changed are read again", async () => {
    // The same file name with one more (valid) incident in March: that export's months are replaced.
    const extra = "CORR-1,2019-03-15T10:00:00Z,BK 178,theft,pre_trial_investigation,55.9349,23.3137,Šiaulių m. sav.,Šiauliai,test";
    const before = canonical((await stored()).counts);
    await ingest("history", ["2019-01", "2019-02", "2019-03", "2019-04"], [extra]);
    const corrected = await stored();
    expect(corrected.asked.length).toBe(1);
    expect(corrected.asked[0]).toContain("2019-03");
    expect(corrected.asked[0]).not.toContain("2019-05");
    const reference = canonical(await fullRead());
    expect(canonical(corrected.counts)).toEqual(reference);
    expect(reference.rows).not.toEqual(before.rows);
  });

  it("a damaged, truncated or foreign file is a miss: everything is read, and the file made again", async () => {
    const path = countsStorePath(lake, 8);
    const reference = canonical(await fullRead());
    const damage: Array<(good: Buffer) => Buffer> = [
      // A count's bits: only the checksum can tell.
      (good) => {
        const bytes = Buffer.from(good);
        bytes[bytes.length - 3]! ^= 0x40;
        return bytes;
      },
      // A cell's name in the header, still valid JSON: only a checksum over the header can tell.
      (good) => {
        const bytes = Buffer.from(good);
        const at = bytes.indexOf('"cells":["8') + '"cells":["8'.length + 5;
        bytes[at] = bytes[at] === 0x30 ? 0x31 : 0x30;
        return bytes;
      },
      (good) => good.subarray(0, good.length - 8),
      () => Buffer.from("not a counts file"),
      () => Buffer.alloc(0),
    ];
    for (const make of damage) {
      await writeFile(path, make(await readFile(path)));
      const read = await stored();
      expect(read.asked).toEqual([["all"]]);
      expect(canonical(read.counts)).toEqual(reference);
      const next = await stored();
      expect(next.asked).toEqual([]);
      expect(canonical(next.counts)).toEqual(reference);
    }
  });

  it("keeps counts only at the lake's resolution: another is read in full each time (its precision check needs every month)", async () => {
    const at7 = await stored(7);
    expect(at7.asked).toEqual([["all"]]);
    expect(canonical(at7.counts)).toEqual(canonical(await fullRead(7)));
    expect((await stored(7)).asked).toEqual([["all"]]);
    expect(existsSync(countsStorePath(lake, 7))).toBe(false);
    expect((await stored(8)).asked).toEqual([]);
    // Resolution 8's file under resolution 7's name is not taken either.
    await writeFile(countsStorePath(lake, 7), await readFile(countsStorePath(lake, 8)));
    expect((await stored(7)).asked).toEqual([["all"]]);
  });

  it("a month that brings a cell and a category sorting first, and a month dropped with the only row of a cell: the dictionaries a full read gives", async () => {
    // A lake of its own: a manifest listing months by fingerprint, and the counts of each month as its query gives them.
    const own = join(dir, "dictionaries");
    await mkdir(own, { recursive: true });
    const cell = (i: number) => (0x88000000000000n + BigInt(i) * 4096n).toString(16);
    const byMonth: Record<string, Array<[string, string, number]>> = {
      "2020-01": [
        ["theft", cell(5), 2],
        ["burglary", cell(7), 1],
        ["theft", cell(9), 4],
      ],
      "2020-02": [
        ["theft", cell(7), 1],
        ["burglary", cell(6), 3],
      ],
      // One more month: a cell and a category that sort before every stored one.
      "2020-03": [
        ["arson", cell(1), 1],
        ["theft", cell(6), 2],
      ],
    };
    const countsOf = (months: readonly string[]): LakeCounts => {
      const rows = months.flatMap((m) => byMonth[m]!.map(([k, c, n]) => ({ m, k, c, n })));
      const sorted = (values: string[], order?: (a: string, b: string) => number) => [...new Set(values)].sort(order);
      const ms = sorted(rows.map((r) => r.m));
      const ks = sorted(rows.map((r) => r.k));
      const cs = sorted(rows.map((r) => r.c));
      return {
        months: ms,
        categories: ks,
        cells: cs,
        month: Uint32Array.from(rows, (r) => ms.indexOf(r.m)),
        category: Uint32Array.from(rows, (r) => ks.indexOf(r.k)),
        cell: Uint32Array.from(rows, (r) => cs.indexOf(r.c)),
        count: Float64Array.from(rows, (r) => r.n),
      };
    };
    const list = async (months: readonly string[]) => {
      const entries = Object.fromEntries(months.map((m) => [`incidents/month=${m}/x.parquet`, { month: m, rows: 1, sha256: `sha of ${m}` }]));
      await writeFile(
        join(own, MANIFEST_FILE),
        JSON.stringify({ format: 1, timezone: "Europe/Vilnius", h3_resolution: 8, sources: {}, tables: { incidents: entries } }),
      );
    };
    const read = async (months: readonly string[]) => {
      const asked: string[][] = [];
      const counts = await storedLakeCounts(
        own,
        8,
        (only) => (asked.push(only ? [...only].sort() : ["all"]), Promise.resolve(countsOf(only ? [...only].sort() : months))),
      );
      return { asked, counts };
    };
    await list(["2020-01", "2020-02"]);
    expect((await read(["2020-01", "2020-02"])).asked).toEqual([["all"]]);
    await list(["2020-01", "2020-02", "2020-03"]);
    const more = await read(["2020-01", "2020-02", "2020-03"]);
    expect(more.asked).toEqual([["2020-03"]]);
    expect(canonical(more.counts)).toEqual(canonical(countsOf(["2020-01", "2020-02", "2020-03"])));
    expect(more.counts.categories).toEqual(["arson", "burglary", "theft"]);
    // January leaves the lake: cells 5 and 9 had rows in it alone, so they leave the dictionary.
    await list(["2020-02", "2020-03"]);
    const dropped = await read(["2020-02", "2020-03"]);
    expect(dropped.asked).toEqual([]);
    expect(canonical(dropped.counts)).toEqual(canonical(countsOf(["2020-02", "2020-03"])));
    expect(dropped.counts.cells).toEqual([cell(1), cell(6), cell(7)]);
    expect((await read(["2020-02", "2020-03"])).asked).toEqual([]);
  });

  it("a lake without a manifest is read every time, and nothing is kept", async () => {
    const bare = join(dir, "bare");
    const asked: number[] = [];
    const empty: LakeCounts = {
      months: [],
      categories: [],
      cells: [],
      month: new Uint32Array(),
      category: new Uint32Array(),
      cell: new Uint32Array(),
      count: new Float64Array(),
    };
    for (let i = 0; i < 2; i++) await storedLakeCounts(bare, 8, () => (asked.push(i), Promise.resolve(empty)));
    expect(asked).toEqual([0, 1]);
    await expect(readFile(countsStorePath(bare, 8))).rejects.toThrow();
  });
});
