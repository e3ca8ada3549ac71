import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cellAreasKm2, sharedCellAreas } from "../etl/analytics/cell-selection.ts";
import { areasDigest, fillKey, storedStudyAreaCells } from "../etl/analytics/study-area-store.ts";
import { studyAreaCells } from "../etl/analytics/study-area.ts";
import { squareMunicipality as square } from "./helpers/shared.ts";

const storeFile = (lake: string, resolution: number) => join(lake, `_study-area.r${resolution}.json`);

describe("the study-area store", () => {
  it("gives the fill's cells, from the file for the same polygons and resolution, filled afresh when either changes", async () => {
    const lake = await mkdtemp(join(tmpdir(), "study-area-store-"));
    const first = await storedStudyAreaCells(lake, square(0.1), 8);
    expect(first).toEqual(studyAreaCells(square(0.1), 8));
    expect(existsSync(storeFile(lake, 8))).toBe(true);

    // A file of the same key is what the next process reads: plant other (checksummed) cells to see it is read.
    const stored = JSON.parse(await readFile(storeFile(lake, 8), "utf8")) as { key: string };
    const planted = ["88000000000001f", "88000000000003f"];
    const plantedAreas = [0.5, 0.25];
    const { createHash } = await import("node:crypto");
    const sha256 = createHash("sha256").update(planted.join("\n")).digest("hex");
    await writeFile(
      storeFile(lake, 8),
      JSON.stringify({ key: stored.key, sha256, cells: planted, areas: plantedAreas, areas_sha256: areasDigest(plantedAreas) }),
    );
    const read = await storedStudyAreaCells(lake, square(0.1), 8);
    expect(read).toEqual(planted);
    // Their areas come from the file too: what sharedCellAreas gives for the array returned.
    expect(Array.from(sharedCellAreas(read))).toEqual(plantedAreas);

    // Another polygon (moved by 1e-6°), and another resolution: other keys, the fill's cells.
    const moved = square(0.1, { x: 23.300001 });
    expect(fillKey(moved, 8)).not.toBe(stored.key);
    expect(await storedStudyAreaCells(lake, moved, 8)).toEqual(studyAreaCells(moved, 8));
    const grown = square(0.2);
    const cells = await storedStudyAreaCells(lake, grown, 8);
    expect(cells).toEqual(studyAreaCells(grown, 8));
    expect(cells.length).toBeGreaterThan(first.length);
    expect(await storedStudyAreaCells(lake, grown, 7)).toEqual(studyAreaCells(grown, 7));
    expect(fillKey(grown, 7)).not.toBe(fillKey(grown, 8));
  });

  it("keeps the cells' areas, read back bit for bit as cellAreasKm2 computes them", async () => {
    const lake = await mkdtemp(join(tmpdir(), "study-area-store-"));
    const area = square(0.2);
    const filled = await storedStudyAreaCells(lake, area, 8);
    const stored = JSON.parse(await readFile(storeFile(lake, 8), "utf8")) as { areas: number[] };
    expect(stored.areas).toEqual(Array.from(cellAreasKm2(filled)));
    const read = await storedStudyAreaCells(lake, area, 8);
    expect(read).not.toBe(filled); // read from the file, not the array of the fill
    expect(sharedCellAreas(read)).toEqual(cellAreasKm2(read));

    // An area changed without its checksum, or no areas: the cells still count, their areas are computed.
    const text = await readFile(storeFile(lake, 8), "utf8");
    const changed = JSON.parse(text) as { areas: number[] };
    changed.areas[0] = changed.areas[0]! * 2;
    await writeFile(storeFile(lake, 8), JSON.stringify(changed));
    const again = await storedStudyAreaCells(lake, area, 8);
    expect(again).toEqual(filled);
    expect(sharedCellAreas(again)).toEqual(cellAreasKm2(filled));
    await writeFile(storeFile(lake, 8), JSON.stringify({ ...changed, areas: undefined }));
    const bare = await storedStudyAreaCells(lake, area, 8);
    expect(bare).toEqual(filled);
    expect(sharedCellAreas(bare)).toEqual(cellAreasKm2(filled));
  });

  it("treats a damaged file as a miss, and makes no lake folder", async () => {
    const lake = await mkdtemp(join(tmpdir(), "study-area-store-"));
    const area = square(0.1);
    const cells = await storedStudyAreaCells(lake, area, 8);
    const text = await readFile(storeFile(lake, 8), "utf8");
    // One cell changed without its checksum, then a cut file: the fill's cells each time.
    await writeFile(storeFile(lake, 8), text.replace(cells[0]!, cells[1]!));
    expect(await storedStudyAreaCells(lake, area, 8)).toEqual(cells);
    await writeFile(storeFile(lake, 8), text.slice(0, text.length / 2));
    expect(await storedStudyAreaCells(lake, area, 8)).toEqual(cells);
    expect(await readFile(storeFile(lake, 8), "utf8")).toBe(text); // replaced by a good one

    const absent = join(lake, "no-lake");
    expect(await storedStudyAreaCells(absent, area, 8)).toEqual(cells);
    expect(existsSync(absent)).toBe(false);
  });
});
