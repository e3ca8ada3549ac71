/**
 * The ingest's municipality check reuses decoded boundaries by their content: the same file gives the
 * same rings, and a file rewritten in place (same path) gives its new rings, not the old ones.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { municipalityCheck } from "../etl/ingest/municipality-check.ts";
import { canonicalSource } from "./helpers/shared.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "municipality-check-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A GeoJSON of one square municipality `name`, [west, south] to [west + 1, south + 1]. */
const square = (name: string, west: number, south: number) =>
  JSON.stringify({
    type: "FeatureCollection",
    features: [
      {
        type: "Feature",
        properties: { name },
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [west, south],
              [west + 1, south],
              [west + 1, south + 1],
              [west, south + 1],
              [west, south],
            ],
          ],
        },
      },
    ],
  });

describe("municipalityCheck", () => {
  it("follows the boundaries file's content, not its path", async () => {
    const source = await canonicalSource();
    const path = join(dir, "boundaries.geojson");
    await writeFile(path, square("Šiaulių m. sav.", 23, 55.5));
    const first = await municipalityCheck(source, path);
    expect(first.rings?.bounds).toEqual([23, 55.5, 24, 56.5]);
    expect((await municipalityCheck(source, path)).rings).toBe(first.rings);
    await writeFile(path, square("Šiaulių r. sav.", 22.5, 55.8));
    const second = await municipalityCheck(source, path);
    expect(second.rings?.bounds).toEqual([22.5, 55.8, 23.5, 56.8]);
    expect(Object.keys(second.rings!.rings)).toEqual(["Šiaulių r. sav."]);
  });
});
