/**
 * Several resolutions from one ingest (issue 18 item 3): a lake indexed at H3 resolution 8 is
 * analysed at 7, 8 and 9 with no re-ingest, and its counts per cell equal an independent
 * latLngToCell of the raw CSV rows at each resolution. A resolution finer than the coordinates'
 * rounding is refused, naming the finest one they support.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cellToParent, getResolution, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyseLake } from "../etl/analytics/analyse-lake.ts";
import { coordinateSpacingMetres, decimalPlaces } from "../etl/analytics/coordinate-cells.ts";
import { countsInCells } from "../etl/analytics/counts-in-cells.ts";
import { checkPublishedResolution } from "../etl/analytics/output-resolution.ts";
import { hullStudyArea } from "../etl/analytics/hull-study-area.ts";
import { readLakeCounts, type LakeCounts } from "../etl/analytics/lake-counts.ts";
import { lakeGrid, LakeMemo } from "../etl/analytics/lake-grid.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import type { Manifest } from "../etl/lake/manifest.ts";
import { defaultSettings } from "../etl/settings.ts";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";
import { canonicalSource } from "./helpers/shared.ts";

const MONTHS = ["2019-01", "2019-02", "2019-03", "2019-04"];
const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";

interface Point {
  month: string;
  category: string;
  lat: string;
  lon: string;
}

/** 2,000 thefts and burglaries over about 9 × 7 km of Šiauliai, their coordinates written with `decimals` places. */
function points(decimals: number): Point[] {
  const next = mulberry32(18);
  return Array.from({ length: 2000 }, (_, i) => ({
    month: MONTHS[i % MONTHS.length]!,
    category: i % 3 === 0 ? "burglary" : "theft",
    lat: (55.89 + 0.08 * next()).toFixed(decimals),
    lon: (23.25 + 0.11 * next()).toFixed(decimals),
  }));
}

async function ingestLake(name: string, rows: Point[]): Promise<string> {
  const file = join(dir, `${name}.csv`);
  const lines = rows.map(
    (p, i) => `${name}-${i},${p.month}-15T12:00:00Z,X,${p.category},pre_trial_investigation,${p.lat},${p.lon},Šiaulių m. sav.,Šiauliai,test`,
  );
  await writeFile(file, [HEADER, ...lines].join("\n"));
  const lake = join(dir, name);
  // Random points labelled with one municipality: the municipality check is not what this tests.
  await ingestFile(file, {
    lakeDir: lake,
    resolution: 8,
    timeZone: "Europe/Vilnius",
    now: Date.UTC(2026, 0, 1),
    source: await canonicalSource(),
    boundaries: null,
  });
  return lake;
}

/** "month category cell" → incidents, from the raw rows with latLngToCell at `resolution` (the independent count). */
function direct(rows: Point[], resolution: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of rows) {
    const key = `${p.month} ${p.category} ${latLngToCell(Number(p.lat), Number(p.lon), resolution)}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** The same keys from counts in columns. */
function keyed(counts: LakeCounts): Map<string, number> {
  const out = new Map<string, number>();
  for (let r = 0; r < counts.count.length; r++) {
    const key = `${counts.months[counts.month[r]!]} ${counts.categories[counts.category[r]!]} ${counts.cells[counts.cell[r]!]}`;
    out.set(key, (out.get(key) ?? 0) + counts.count[r]!);
  }
  return out;
}

let dir: string;
let lake: string;
const rows = points(6);
const manifestOf = async (at: string) => JSON.parse(await readFile(join(at, "manifest.json"), "utf8")) as Manifest;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lake-resolutions-"));
  lake = await ingestLake("fine", rows);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("one ingest at resolution 8, counts at any resolution", () => {
  it.each([7, 8, 9])("at resolution %i the counts per month, category and cell equal latLngToCell of the raw rows", async (resolution) => {
    const counts = await withConnection((c) => readLakeCounts(c, lake, resolution));
    expect(counts.cells.every((cell) => getResolution(cell) === resolution)).toBe(true);
    // Each (month, category, cell) once, and exactly the independent count.
    expect(keyed(counts).size).toBe(counts.count.length);
    expect(keyed(counts)).toEqual(direct(rows, resolution));
    expect(counts.count.reduce((s, n) => s + n, 0)).toBe(rows.length);
  });

  it("is not cellToParent of the stored cell: that moves points near hexagon edges into a neighbouring parent", async () => {
    const moved = rows.filter((p) => cellToParent(latLngToCell(Number(p.lat), Number(p.lon), 8), 7) !== latLngToCell(Number(p.lat), Number(p.lon), 7));
    expect(moved.length).toBeGreaterThan(0);
    const counts = keyed(await withConnection((c) => readLakeCounts(c, lake, 7)));
    const p = moved[0]!;
    expect(counts.has(`${p.month} ${p.category} ${latLngToCell(Number(p.lat), Number(p.lon), 7)}`)).toBe(true);
  });

  it("analyses at 9 and 7 without re-ingesting: hot spots at that resolution, incidents as ingested", async () => {
    const before = await manifestOf(lake);
    for (const resolution of [9, 7]) {
      const cells = hullStudyArea(
        [...direct(rows, resolution).keys()].map((k) => k.split(" ")[2]!),
        1,
      );
      const summary = await analyseLake({
        lakeDir: lake,
        resolution,
        timeZone: "Europe/Vilnius",
        k: 1,
        studyArea: { cells, label: "hull" },
        inference: { method: "normal" },
      });
      expect(summary).toMatchObject({ months: 4, cells: cells.length, incidents_in_study_area: rows.length, incidents_outside_study_area: 0 });
      const stored = await withConnection(async (c) =>
        (
          await c.runAndReadAll(
            `SELECT DISTINCT h3_resolution, h3_cell FROM read_parquet($glob, hive_partitioning = true) WHERE category = 'all' AND incidents > 0`,
            { glob: join(lake, "hotspots", "*", "*.parquet") },
          )
        ).getRowObjectsJS(),
      );
      expect(new Set(stored.map((r) => r.h3_resolution))).toEqual(new Set([resolution]));
      expect(stored.every((r) => getResolution(String(r.h3_cell)) === resolution)).toBe(true);
      const manifest = await manifestOf(lake);
      expect(manifest.parameters?.hot_spots).toMatchObject({ resolution });
      expect(manifest.h3_resolution).toBe(8);
      expect(manifest.tables.incidents).toEqual(before.tables.incidents);
    }
  }, 60_000);

  it("one run's memo keeps the counts of each resolution apart", async () => {
    const memo = new LakeMemo();
    const settings = (resolution: number) => defaultSettings({ lakeDir: lake, resolution });
    const at = await withConnection(async (c) => {
      const eight = await lakeGrid(c, settings(8), { hullRing: 0, memo });
      const nine = await lakeGrid(c, settings(9), { hullRing: 0, memo });
      return { eight, nine };
    });
    expect(at.eight.grid.cells.every((cell) => getResolution(cell) === 8)).toBe(true);
    expect(at.nine.grid.cells.every((cell) => getResolution(cell) === 9)).toBe(true);
    expect(at.nine.accounting.incidents_in_grid).toBe(rows.length);
  });
});

describe("published figures at the resolution of the cells they describe", () => {
  it("countsInCells counts res-9 cells of a res-8 lake as latLngToCell of the raw rows, per category or all but the excluded", async () => {
    const expected = direct(rows, 9);
    const cells = [...new Set([...expected.keys()].map((k) => k.split(" ")[2]!))].slice(0, 40);
    const q = { cells, from: "2019-02", to: "2019-03" };
    const sum = (category: (c: string) => boolean) => {
      const out = new Map<string, number>();
      for (const [key, n] of expected) {
        const [month, cat, cell] = key.split(" ") as [string, string, string];
        if (month < q.from || month > q.to || !cells.includes(cell) || !category(cat)) continue;
        out.set(`${cell} ${month}`, (out.get(`${cell} ${month}`) ?? 0) + n);
      }
      return out;
    };
    const got = async (category: string, exclude?: string[]) => {
      const found = await withConnection((c) => countsInCells(c, lake, { ...q, category, ...(exclude ? { exclude } : {}) }));
      return new Map(found.map((r) => [`${r.cell} ${r.month}`, r.n]));
    };
    expect(await got("theft")).toEqual(sum((c) => c === "theft"));
    expect(await got("all", ["burglary"])).toEqual(sum((c) => c !== "burglary"));
    expect(await got("all")).toEqual(sum(() => true));
    expect([...(await got("all")).values()].reduce((s, n) => s + n, 0)).toBeGreaterThan(0);
  });

  it("publish refuses a map of mixed resolutions, saying what to run, and takes any one resolution", () => {
    const manifest = {
      h3_resolution: 8,
      parameters: { hot_spots: { resolution: 8 }, "emerging/all": { h3_resolution: 9 }, "forecasts/all": { h3_resolution: 8 } },
    };
    expect(() => checkPublishedResolution(manifest, 8)).toThrow(
      "the dashboard would mix H3 resolutions: it is published at 8, but emerging/all was computed at 9; recompute them at 8",
    );
    expect(() => checkPublishedResolution({ ...manifest, parameters: { hot_spots: { resolution: 8 } } }, 8)).not.toThrow();
    // Any one resolution, whatever the lake stores its cells at (its counts are then counted in the outputs' cells).
    expect(() => checkPublishedResolution({ h3_resolution: 8, parameters: { hot_spots: { resolution: 9 } } }, 9)).not.toThrow();
  });
});

describe("coordinate precision", () => {
  it("reads decimal places as stored, and the spacing of most points", () => {
    expect([decimalPlaces(55.93), decimalPlaces(23), decimalPlaces(-75.569854), decimalPlaces(1e-7)]).toEqual([2, 0, 6, 17]);
    // Three points at 3 decimals outweigh one at 6: the grid of most points is 10^-3 degree.
    const spacing = coordinateSpacingMetres(Float64Array.of(55.931, 55.932, 55.123456), Float64Array.of(23.311, 23.312, 23.123456), Float64Array.of(1, 2, 2.5));
    expect(spacing).toBeCloseTo(111.32, 6);
  });

  it("refuses a resolution whose cells are smaller than the coordinates' rounding, naming the finest supported", async () => {
    const rounded = await ingestLake("rounded", points(3));
    // 3 decimals: a grid of about 111 m; resolution 10 cells have 76 m edges, resolution 9 cells 201 m.
    await expect(withConnection((c) => readLakeCounts(c, rounded, 10))).rejects.toThrow(
      "H3 resolution 10 is finer than the incidents' coordinates: most are rounded to a grid of about 111 m, but resolution 10 cells have edges of 76 m",
    );
    await expect(withConnection((c) => readLakeCounts(c, rounded, 10))).rejects.toThrow("Use --resolution 9 or coarser");
    const nine = await withConnection((c) => readLakeCounts(c, rounded, 9));
    expect(keyed(nine)).toEqual(direct(points(3), 9));
  }, 60_000);

  it("refuses the lake's own resolution too when the coordinates are coarser than its cells, and the ingest warns", async () => {
    // 2 decimals: a grid of about 1,113 m, coarser than resolution 8's 531 m edges (q5 #6: 951 incidents on 101 points passed).
    const coarse = await ingestLake("coarse", points(2));
    const refusal =
      "H3 resolution 8 is finer than the incidents' coordinates: most are rounded to a grid of about 1113 m, but resolution 8 cells have edges of 531 m";
    const manifest = JSON.parse(await readFile(join(coarse, "manifest.json"), "utf8")) as Manifest;
    const [report] = Object.values(manifest.sources);
    // Both coordinates ending in 0 read with one place (55.90 is stored as 55.9).
    const decimals = report!.coordinate_decimals!;
    expect(Object.keys(decimals).sort()).toEqual(["1", "2"]);
    expect(decimals["1"]! + decimals["2"]!).toBe(2000);
    expect(report!.notes).toEqual([expect.stringContaining(refusal)]);
    expect(report!.notes![0]).toContain("Use --resolution 7 or coarser");
    await expect(withConnection((c) => readLakeCounts(c, coarse, 8))).rejects.toThrow(refusal);
    const seven = await withConnection((c) => readLakeCounts(c, coarse, 7));
    expect(keyed(seven)).toEqual(direct(points(2), 7));
    // 3 decimals (111 m) in resolution 8 cells: no warning, and the stored cells are read.
    const fine = JSON.parse(await readFile(join(await ingestLake("fine", points(3)), "manifest.json"), "utf8")) as Manifest;
    expect(Object.values(fine.sources)[0]!.notes).toBeUndefined();
  }, 60_000);
});
