import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { LakeCountsMemo, readLakeCounts, readLakeCountsOf, type LakeCounts } from "../etl/analytics/lake-counts.ts";
import { countsStorePath } from "../etl/analytics/lake-counts-store.ts";
import { existsSync } from "node:fs";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { MANIFEST_FILE } from "../etl/lake/manifest.ts";
import { canonicalSource, centralSiauliaiExport } from "./helpers/shared.ts";

const dir = await mkdtemp(join(tmpdir(), "counts-memo-"));
afterAll(() => rm(dir, { recursive: true, force: true }));
const lake = join(dir, "lake");

async function ingest(name: string, months: string[], perMonth: number, lakeDir = lake): Promise<void> {
  const file = join(dir, `${name}.csv`);
  await writeFile(
    file,
    centralSiauliaiExport(months, () => perMonth),
  );
  await ingestFile(file, { lakeDir, resolution: 8, timeZone: "Europe/Vilnius", now: Date.UTC(2026, 0, 1), source: await canonicalSource() });
}
const total = (counts: { count: Float64Array }) => counts.count.reduce((s, n) => s + n, 0);

describe("LakeCountsMemo", () => {
  it("reuses the counts while the manifest lists the same partitions, and reads them again when a partition changes", async () => {
    await ingest("a", ["2024-01", "2024-02"], 6);
    const memo = new LakeCountsMemo();
    const first = await withConnection((c) => memo.read(c, lake, 8));
    expect(total(first)).toBe(12);
    // The process's read keeps the counts on disk for the next process (lake-counts-store.ts).
    expect(existsSync(countsStorePath(lake, 8))).toBe(true);
    expect(await withConnection((c) => memo.read(c, lake, 8))).toBe(first);

    // A manifest changed elsewhere (another stage's parameters) lists the same partitions: still the same counts.
    const manifest = JSON.parse(await readFile(join(lake, MANIFEST_FILE), "utf8")) as Record<string, unknown>;
    await writeFile(join(lake, MANIFEST_FILE), JSON.stringify({ ...manifest, parameters: { note: "another stage's" } }));
    expect(await withConnection((c) => memo.read(c, lake, 8))).toBe(first);

    // Another month ingested: new counts, with it.
    await ingest("b", ["2024-03"], 4);
    const second = await withConnection((c) => memo.read(c, lake, 8));
    expect(second).not.toBe(first);
    expect(second.months).toEqual(["2024-01", "2024-02", "2024-03"]);
    expect(total(second)).toBe(16);
    // Another resolution is other counts.
    const coarser = await withConnection((c) => memo.read(c, lake, 7));
    expect(coarser).not.toBe(second);
    expect(total(coarser)).toBe(16);
    // Only at the lake's own resolution (see storedLakeCounts).
    expect(existsSync(countsStorePath(lake, 7))).toBe(false);
    expect(coarser.cells.length).toBeLessThanOrEqual(second.cells.length);
  }, 60_000);

  it("reads some months' counts from the process's read of the whole lake, when it is of the lake now: the rows a query of them gives", async () => {
    const other = join(dir, "other-lake");
    await ingest("c", ["2024-01", "2024-02", "2024-03"], 5, other);
    await ingest("d", ["2024-03", "2024-04"], 3, other);
    const rows = (counts: LakeCounts) =>
      Array.from(
        counts.count,
        (n, r) => `${counts.months[counts.month[r]!]} ${counts.categories[counts.category[r]!]} ${counts.cells[counts.cell[r]!]} ${n}`,
      ).sort();
    await withConnection(async (c) => {
      // Nothing read of this lake yet: the months are queried.
      const queried = await readLakeCountsOf(c, other, 8, ["2024-02", "2024-03"]);
      expect(queried.months).toEqual(["2024-02", "2024-03"]);
      await readLakeCounts(c, other, 8);
      const run = vi.spyOn(c, "run");
      const taken = await readLakeCountsOf(c, other, 8, ["2024-02", "2024-03"]);
      // Taken from the whole lake's counts (no query), with the same dictionaries and rows.
      expect(run).not.toHaveBeenCalled();
      expect({ months: taken.months, categories: taken.categories, cells: taken.cells }).toEqual({
        months: queried.months,
        categories: queried.categories,
        cells: queried.cells,
      });
      expect(rows(taken)).toEqual(rows(queried));
      expect(total(taken)).toBeGreaterThan(0);
      // A month ingested since: the whole lake's counts are not of the lake now, and the months are queried again.
      await ingest("e", ["2024-05"], 2, other);
      await readLakeCountsOf(c, other, 8, ["2024-03"]);
      expect(run).toHaveBeenCalled();
      run.mockRestore();
    });
  }, 60_000);
});
