/**
 * GeoJSON is streamed (issue 21: a 758 MB file failed with "Invalid string length" when read
 * whole): features are handed on as they are parsed, whatever the chunking, with `type` before or
 * after `features`. The size itself is the benchmark's to measure; here a file read in many small
 * chunks gives every feature once, in order, and the first one before the file is read to its end.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRecords } from "../etl/ingest/read-records.ts";
import type { SourceDescription } from "../etl/ingest/source-description.ts";
import { canonicalSource } from "./helpers/shared.ts";

let dir: string;
let source: SourceDescription;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "geojson-stream-"));
  const canonical = await canonicalSource();
  const { x: _x, y: _y, ...columns } = canonical.columns;
  source = { ...canonical, format: "geojson", columns };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const feature = (i: number) => ({
  type: "Feature",
  properties: { id: `f-${i}`, locality: `Šiauliai ${"x".repeat(i % 7)}` },
  geometry: { type: "Point", coordinates: [23.3 + i * 1e-6, 55.9] },
});

describe("GeoJSON read as a stream", () => {
  it("gives all 20,000 features of a 2 MB file once and in order, type written after features", async () => {
    const features = Array.from({ length: 20_000 }, (_, i) => feature(i));
    const file = join(dir, "late-type.geojson");
    await writeFile(file, `\uFEFF{"features":${JSON.stringify(features)},"type":"FeatureCollection"}`);
    const ids: string[] = [];
    for await (const record of readRecords(file, source, [])) {
      if ("error" in record) throw new Error(record.error.reason);
      expect(record.line).toBe(ids.length + 1);
      ids.push(record.fields.id!);
    }
    expect(ids).toEqual(features.map((f) => f.properties.id));
  });

  it("hands the first feature on before the file has been read to its end", async () => {
    const file = join(dir, "early.geojson");
    // Far more than one read (64 KiB): a reader that parsed the whole text first could not answer yet.
    await writeFile(file, JSON.stringify({ type: "FeatureCollection", features: Array.from({ length: 20_000 }, (_, i) => feature(i)) }));
    const records = readRecords(file, source, []);
    const first = await records.next();
    expect(first.done).toBe(false);
    expect(first.value && "fields" in first.value && first.value.fields["geometry.x"]).toBe("23.3");
    await records.return(undefined);
  });

  it("refuses a Feature that is not a collection, and names the file", async () => {
    const file = join(dir, "one.geojson");
    await writeFile(file, JSON.stringify(feature(1)));
    await expect(async () => {
      for await (const _ of readRecords(file, source, [])) void _;
    }).rejects.toThrow(`${file}: is not a GeoJSON FeatureCollection (its type is "Feature")`);
  });

  it("refuses features that are not an array", async () => {
    const file = join(dir, "object.geojson");
    await writeFile(file, JSON.stringify({ type: "FeatureCollection", features: { a: feature(1) } }));
    await expect(async () => {
      for await (const _ of readRecords(file, source, [])) void _;
    }).rejects.toThrow("and its features are not an array");
  });
});
