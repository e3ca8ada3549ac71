/**
 * What one run's analytics share (issue 19): the grids of every category built from one read of the
 * counts, the study area's weights and the space-time cube built once, one DuckDB connection and
 * one lake commit. Each reuse is keyed so that it cannot serve what another input would give: the
 * grids against the row-by-row cellMonthGrid on every category, range and study area, the weights
 * against building them afresh, and the session's commit against the lake's bytes.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gridDisk, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withAnalyticsSession } from "../etl/analytics/analytics-session.ts";
import { analyticsStage } from "../etl/analytics/analytics-stage.ts";
import { cellMonthGrid, cellMonthGridOf, type GridOptions } from "../etl/analytics/cell-month-grid.ts";
import { cellAreasKm2 } from "../etl/analytics/cell-selection.ts";
import type { LakeCounts } from "../etl/analytics/lake-counts.ts";
import { LakeMemo } from "../etl/analytics/lake-grid.ts";
import type { CellMonthCount } from "../etl/analytics/monthly-counts.ts";
import { spaceTimeWeights } from "../etl/analytics/space-time-weights.ts";
import { fromLists } from "../etl/analytics/spatial-weights.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { MANIFEST_FILE } from "../etl/lake/manifest.ts";
import { defaultSettings } from "../etl/settings.ts";
import { canonicalSource, centralSiauliaiExport } from "./helpers/shared.ts";

/** Rows of three categories over five months in six cells, one of them outside the study areas below. */
const CELLS = [0, 1, 2, 3, 4, 5].map((i) => latLngToCell(55.93 + i * 0.01, 23.31, 8));
const ROWS: CellMonthCount[] = ["2019-01", "2019-02", "2019-04", "2019-05"].flatMap((month, t) =>
  ["theft", "burglary", "fraud"].flatMap((category, c) =>
    CELLS.filter((_, i) => (i + t + c) % 3 !== 0 && !(category === "fraud" && t === 0)).map((cell, i) => ({
      month,
      category,
      cell,
      count: 1 + ((i * 7 + t * 3 + c) % 5),
    })),
  ),
);

/** ROWS in the columns readLakeCounts returns (dictionaries sorted, rows in no particular order: here reversed). */
function columns(rows: readonly CellMonthCount[]): LakeCounts {
  const months = [...new Set(rows.map((r) => r.month))].sort();
  const categories = [...new Set(rows.map((r) => r.category))].sort();
  const cells = [...new Set(rows.map((r) => r.cell))].sort();
  const reversed = [...rows].reverse();
  return {
    months,
    categories,
    cells,
    month: Uint32Array.from(reversed, (r) => months.indexOf(r.month)),
    category: Uint32Array.from(reversed, (r) => categories.indexOf(r.category)),
    cell: Uint32Array.from(reversed, (r) => cells.indexOf(r.cell)),
    count: Float64Array.from(reversed, (r) => r.count),
  };
}

describe("the grids of one run's categories", () => {
  it("are cellMonthGrid's, row by row, for every category, range, exclusion and study area of the same counts", () => {
    const counts = columns(ROWS);
    const areas = [CELLS.slice(0, 5), CELLS.slice(1, 6).reverse(), [CELLS[2]!]];
    const requests = [
      {},
      { category: "theft" },
      { category: "fraud" },
      { category: "burglary", from: "2019-02", to: "2019-06" },
      { category: "robbery" },
      { exclude: ["fraud"] },
      { exclude: ["theft", "burglary"], to: "2019-04" },
    ];
    // Every request twice on every area: the second is served from the indexes the first built.
    for (const cells of areas) {
      for (const request of [...requests, ...requests]) {
        const expected = cellMonthGrid(
          ROWS.filter((r) => !(request.exclude ?? []).includes(r.category) || request.category !== undefined),
          cells,
          request,
        );
        const got = cellMonthGridOf(counts, cells, request);
        expect(got.grid.months, JSON.stringify(request)).toEqual(expected.grid.months);
        expect(got.grid.cells).toBe(cells);
        expect([...got.grid.counts], JSON.stringify(request)).toEqual([...expected.grid.counts]);
        expect(got.accounting).toEqual(expected.accounting);
      }
    }
  });

  it("of other counts (a month added) are those counts' grids, not the first counts' indexes", () => {
    const cells = CELLS.slice(0, 5);
    const before = cellMonthGridOf(columns(ROWS), cells, { category: "theft" });
    const added = [...ROWS, { month: "2019-06", category: "theft", cell: CELLS[0]!, count: 9 }];
    const after = cellMonthGridOf(columns(added), cells, { category: "theft" });
    expect(after.grid.months).toEqual([...before.grid.months, "2019-06"]);
    expect([...after.grid.counts]).toEqual([...cellMonthGrid(added, cells, { category: "theft" }).grid.counts]);
    expect(after.accounting.incidents_in_grid).toBe(before.accounting.incidents_in_grid + 9);
  });
});

describe("LakeMemo's grid", () => {
  /** Asks `memo` for the grid of each request in turn: each must be cellMonthGridOf's; returns which were served from the grid before. */
  function served(memo: LakeMemo, steps: ReadonlyArray<{ counts: LakeCounts; cells: readonly string[]; request: GridOptions; take?: boolean }>): boolean[] {
    return steps.map(({ counts, cells, request, take }) => {
      if (take) memo.scratch.float64("grid", 3);
      const before = memo.scratch.taken("grid");
      const got = memo.grid(counts, cells, request);
      const expected = cellMonthGridOf(counts, cells, request);
      expect(got.grid.months, JSON.stringify(request)).toEqual(expected.grid.months);
      expect(got.grid.cells).toBe(cells);
      expect([...got.grid.counts], JSON.stringify(request)).toEqual([...expected.grid.counts]);
      expect(got.accounting, JSON.stringify(request)).toEqual(expected.accounting);
      return memo.scratch.taken("grid") === before;
    });
  }

  it("is the previous grid where the same rows are asked for up to one month later, and built afresh for any other input", () => {
    const counts = columns(ROWS);
    const cells = CELLS.slice(0, 5);
    const theft = { category: "theft" };
    const next = { category: "theft", to: "2019-06" };
    // The emerging grid, then the forecast's (one month more), then the emerging grid again: one build.
    expect(
      served(new LakeMemo(), [
        { counts, cells, request: theft },
        { counts, cells, request: next },
        { counts, cells, request: theft },
      ]),
    ).toEqual([false, true, true]);
    // All offences less a category, up to the last month and then the month after (the backtest, then the forecast).
    const excluded = { exclude: ["fraud"] };
    expect(
      served(new LakeMemo(), [
        { counts, cells, request: excluded },
        { counts, cells, request: { ...excluded, to: "2019-06" } },
      ]),
    ).toEqual([false, true]);
    // Every other input is another grid.
    const others: GridOptions[] = [
      { category: "burglary" },
      { category: "burglary", to: "2019-06" },
      { category: "theft", to: "2019-07" }, // two months more: more than the room kept
      { category: "theft", to: "2019-04" }, // leaves rows out
      { category: "theft", from: "2019-02" }, // another first month, rows out
      { category: "theft", from: "2018-12" }, // another first month, every row in
      { exclude: ["theft", "burglary"] },
      {},
    ];
    for (const other of others)
      expect(
        served(new LakeMemo(), [
          { counts, cells, request: theft },
          { counts, cells, request: other },
        ]),
        JSON.stringify(other),
      ).toEqual([false, false]);
    // Other counts (a month added), another study-area array of the same cells, or the slot taken in between.
    const added = columns([...ROWS, { month: "2019-06", category: "theft", cell: CELLS[0]!, count: 9 }]);
    expect(
      served(new LakeMemo(), [
        { counts, cells, request: theft },
        { counts: added, cells, request: next },
      ]),
    ).toEqual([false, false]);
    expect(
      served(new LakeMemo(), [
        { counts, cells, request: theft },
        { counts, cells: [...cells], request: next },
      ]),
    ).toEqual([false, false]);
    expect(
      served(new LakeMemo(), [
        { counts, cells, request: theft },
        { counts, cells, request: next, take: true },
      ]),
    ).toEqual([false, false]);
    // A grid whose range left rows out is not kept for the next request.
    const cut = { category: "theft", to: "2019-04" };
    expect(
      served(new LakeMemo(), [
        { counts, cells, request: cut },
        { counts, cells, request: cut },
      ]),
    ).toEqual([false, false]);
  });
});

/** k-ring weights built here from h3-js alone, not through kRingWeights and its shared builds. */
const ringOf = (area: readonly string[], k: number) =>
  fromLists(
    area.map((cell) => gridDisk(cell, k).flatMap((other) => (area.includes(other) ? [area.indexOf(other)] : []))),
    true,
  );

describe("LakeMemo's weights", () => {
  it("are built once per study area and k, and afresh for another area, k or number of months", () => {
    const memo = new LakeMemo();
    const area = CELLS.slice(0, 5);
    const ring = memo.weights(area, 1);
    expect(memo.weights(area, 1)).toBe(ring);
    expect(ring).toEqual(ringOf(area, 1));
    // Another array of the same cells: equal weights (kRingWeights itself shares a build per content, a27f76d).
    const copy = [...area];
    expect(memo.weights(copy, 1)).toEqual(ring);
    // Other cells are another study area.
    expect(memo.weights(CELLS.slice(1, 6), 1)).toEqual(ringOf(CELLS.slice(1, 6), 1));
    expect(memo.weights(area, 2)).toEqual(ringOf(area, 2));
    expect(memo.weights(area, 2)).not.toEqual(ring);
    const cube = memo.spaceTime(ring, 4, 1);
    expect(memo.spaceTime(ring, 4, 1)).toBe(cube);
    expect(cube).toEqual(spaceTimeWeights(ring, 4, 1));
    expect(memo.spaceTime(ring, 5, 1)).toEqual(spaceTimeWeights(ring, 5, 1));
    expect(memo.spaceTime(ring, 5, 0)).toEqual(spaceTimeWeights(ring, 5, 0));
    expect(memo.spaceTime(memo.weights(area, 2), 5, 0)).toEqual(spaceTimeWeights(ringOf(area, 2), 5, 0));
    // Cell areas: once per study area, each area's own.
    const areas = memo.areas(area);
    expect(memo.areas(area)).toBe(areas);
    expect(areas).toEqual(cellAreasKm2(area));
    expect(memo.areas(CELLS.slice(1, 6))).toEqual(cellAreasKm2(CELLS.slice(1, 6)));
  });
});

describe("LakeMemo's hull study areas", () => {
  it("are computed once per counts and key, and afresh for other counts or another key", async () => {
    const memo = new LakeMemo();
    const counts = columns(ROWS);
    let computed = 0;
    const area = (label: string) => () => ({ cells: [label], label: String(++computed) });
    const first = await memo.hull(counts, [1, null, []], area("a"));
    expect(await memo.hull(counts, [1, null, []], area("b"))).toBe(first);
    expect((await memo.hull(counts, [1, "2019-04", []], area("c"))).cells).toEqual(["c"]);
    expect((await memo.hull(counts, [2, null, []], area("d"))).cells).toEqual(["d"]);
    // New counts (a month added): the hull is built from them, not taken from the first counts.
    expect((await memo.hull(columns([...ROWS]), [1, null, []], area("e"))).cells).toEqual(["e"]);
    expect(computed).toBe(4);
  });
});

/** Emerging hot spots of this short lake: its months test the files' bookkeeping, not the trend test (EMERGING_MINIMUM_MONTHS). */
const SHORT_SERIES = { minimumMonths: 1, onSparse: "record" } as const;
describe("an analytics session", () => {
  let dir: string;
  let lake: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "analytics-session-"));
    lake = join(dir, "lake");
    const months = ["2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06"];
    const file = join(dir, "incidents.csv");
    await writeFile(
      file,
      centralSiauliaiExport(months, (t) => 10 + t),
    );
    await ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: Date.UTC(2026, 0, 1), source: await canonicalSource() });
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const settings = () => defaultSettings({ lakeDir: lake, timeZone: "Europe/Vilnius", hullRing: 1 });

  it("commits what its stages wrote at once, and nothing (not even the manifest) when they kept every file", async () => {
    await analyticsStage(settings(), undefined, undefined, { sparse: SHORT_SERIES });
    const manifest = join(lake, MANIFEST_FILE);
    const [text, modified] = [await readFile(manifest, "utf8"), (await stat(manifest)).mtimeMs];
    const again = await analyticsStage(settings(), undefined, undefined, { sparse: SHORT_SERIES });
    expect([again.emerging, again.backtest, again.forecast].every((o) => o !== null && "unchanged" in o)).toBe(true);
    expect(await readFile(manifest, "utf8")).toBe(text);
    expect((await stat(manifest)).mtimeMs).toBe(modified);
  }, 60_000);

  it("leaves the lake as it was when a stage throws", async () => {
    const manifest = join(lake, MANIFEST_FILE);
    const text = await readFile(manifest, "utf8");
    await expect(
      withAnalyticsSession(settings(), async (memo) => {
        // Another k: every file recomputed, and the manifest would record it.
        await analyticsStage({ ...settings(), k: 2 }, undefined, undefined, { full: true, memo, sparse: SHORT_SERIES });
        expect(memo.written).toBe(true);
        throw new Error("a later stage failed");
      }),
    ).rejects.toThrow("a later stage failed");
    expect(await readFile(manifest, "utf8")).toBe(text);
  }, 60_000);
});
