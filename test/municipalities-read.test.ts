import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../etl/config.ts";
import { readMunicipalities } from "../etl/geo/municipalities.ts";

describe("readMunicipalities", () => {
  it("decodes a file once per content in a process, and again when the file changes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "municipalities-"));
    const path = join(dir, "boundaries.topojson");
    copyFileSync(DEFAULTS.municipalitiesGeoJson, path);
    const first = await readMunicipalities(path);
    expect(first.features.length).toBeGreaterThan(50);
    expect(await readMunicipalities(path)).toBe(first);

    const square = [
      [23, 55],
      [23.1, 55],
      [23.1, 55.1],
      [23, 55.1],
      [23, 55],
    ];
    writeFileSync(
      path,
      JSON.stringify({
        type: "FeatureCollection",
        features: [{ type: "Feature", properties: { name: "Square" }, geometry: { type: "Polygon", coordinates: [square] } }],
      }),
    );
    const changed = await readMunicipalities(path);
    expect(changed).not.toBe(first);
    expect(changed.features.map((f) => f.properties.name)).toEqual(["Square"]);
  });
});
