import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { municipalityStudyArea } from "../etl/analytics/lake-grid.ts";
import { studyAreaCells } from "../etl/analytics/study-area.ts";
import { defaultSettings } from "../etl/settings.ts";
import { squareMunicipality } from "./helpers/shared.ts";

/** One square municipality `name`, `size` degrees wide, as a boundary file's text. */
const square = (name: string, size: number) => JSON.stringify(squareMunicipality(size, { name }));

describe("municipalityStudyArea's reuse", () => {
  it("gives the kept area only for the same boundary content, municipalities and resolution", async () => {
    const dir = await mkdtemp(join(tmpdir(), "study-area-"));
    const file = join(dir, "boundaries.geojson");
    await writeFile(file, square("A", 0.1));
    const settings = { ...defaultSettings({ lakeDir: dir, dashboardDir: dir }), municipalitiesGeoJson: file, studyMunicipalities: ["A"], resolution: 8 };
    const first = await municipalityStudyArea(settings);
    expect(await municipalityStudyArea(settings)).toBe(first); // reused, not filled again
    expect(Object.isFrozen(first.cells)).toBe(true);
    const fill = (text: string, resolution: number) => studyAreaCells(JSON.parse(text) as Parameters<typeof studyAreaCells>[0], resolution);
    expect(first.cells).toEqual(fill(square("A", 0.1), 8));

    // The same file rewritten with another polygon (same path, same name): the new cells.
    await writeFile(file, square("A", 0.2));
    const grown = await municipalityStudyArea(settings);
    expect(grown.cells).toEqual(fill(square("A", 0.2), 8));
    expect(grown.cells.length).toBeGreaterThan(first.cells.length);

    // Another resolution, and other municipalities, are other areas.
    const coarser = await municipalityStudyArea({ ...settings, resolution: 7 });
    expect(coarser.cells).toEqual(fill(square("A", 0.2), 7));
    await expect(municipalityStudyArea({ ...settings, studyMunicipalities: ["B"] })).rejects.toThrow(/B/);
    // The refusal is not remembered, and the file's area is still right afterwards.
    expect((await municipalityStudyArea(settings)).cells).toEqual(grown.cells);
  });
});
