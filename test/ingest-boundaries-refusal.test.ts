/**
 * The boundaries a row's municipality is checked against are decoded while the staging database
 * starts: a file it cannot read still refuses the ingest with its reason, and the lake gets nothing.
 */
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { canonicalSource } from "./helpers/shared.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "boundaries-refusal-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("an ingest whose boundaries cannot be read", () => {
  it("is refused with the boundaries' reason and writes nothing", async () => {
    const file = join(dir, "export.csv");
    await writeFile(
      file,
      "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source\n" +
        "A-1,2019-06-14T21:35:00+03:00,BK 178,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,x\n",
    );
    const lakeDir = join(dir, "lake");
    const options = { lakeDir, resolution: 8, timeZone: "Europe/Vilnius", source: await canonicalSource() };
    await expect(ingestFile(file, { ...options, boundaries: join(dir, "missing.geojson") })).rejects.toThrow(/cannot read the municipality boundaries/);
    await writeFile(join(dir, "not-boundaries.json"), '{"type":"Feature"}');
    await expect(ingestFile(file, { ...options, boundaries: join(dir, "not-boundaries.json") })).rejects.toThrow(
      /neither a GeoJSON FeatureCollection nor a TopoJSON/,
    );
    expect(await readdir(lakeDir).catch(() => [])).not.toContain("manifest.json");
    // The same file with readable boundaries is ingested.
    expect((await ingestFile(file, options)).rows_ingested).toBe(1);
  });
});
