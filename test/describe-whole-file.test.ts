/**
 * `describe` on an export longer than the part it samples (8 MiB): what it proposes must hold for the
 * whole file, not for its head — an export sorted by district holds its last districts past the sample.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeFile } from "../etl/ingest/describe-file.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "describe-whole-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the bounds of an export sorted by district", () => {
  it("are drawn around every point of the file, and say so", async () => {
    // 170,000 rows (about 9.4 MiB) around Šiauliai, then 20,000 in Kuršėnai, 20 km west: past the sample.
    const line = (i: number, lon: number, lat: number) =>
      `SIA-${String(i).padStart(7, "0")},2021-0${1 + (i % 9)}-1${i % 10}T1${i % 10}:${String(i % 60).padStart(2, "0")}:00+02:00,theft,${(lat + (i % 97) / 10000).toFixed(6)},${(lon + (i % 89) / 10000).toFixed(6)}\n`;
    const rows = [
      ...Array.from({ length: 170_000 }, (_, i) => line(i, 23.3, 55.93)),
      ...Array.from({ length: 20_000 }, (_, i) => line(170_000 + i, 22.9, 56.0)),
    ];
    const file = join(dir, "sorted.csv");
    await writeFile(file, `id,occurred_at,offence,lat,lon\n${rows.join("")}`);

    const described = await describeFile(file);
    const [west, , , north] = described.proposal.description.bounds!;
    expect(west).toBeLessThan(22.9);
    expect(north).toBeGreaterThan(56.0);
    expect(described.proposal.notes.bounds).toMatch(/^around all 190000 points of the whole file \(190,000 records read; the sample was its start only\)/);
  }, 120_000);
});

describe("the bounds of an export sorted by district whose point is one WKT column", () => {
  it("are drawn around every point of the file, read through columns.point", async () => {
    // As above, with the point written as San Francisco writes it: POINT (lon lat).
    const line = (i: number, lon: number, lat: number) =>
      `SIA-${String(i).padStart(7, "0")},2021-0${1 + (i % 9)}-1${i % 10}T1${i % 10}:${String(i % 60).padStart(2, "0")}:00+02:00,theft,POINT (${(lon + (i % 89) / 10000).toFixed(6)} ${(lat + (i % 97) / 10000).toFixed(6)})\n`;
    const rows = [
      ...Array.from({ length: 170_000 }, (_, i) => line(i, 23.3, 55.93)),
      ...Array.from({ length: 20_000 }, (_, i) => line(170_000 + i, 22.9, 56.0)),
    ];
    const file = join(dir, "sorted-wkt.csv");
    await writeFile(file, `id,occurred_at,offence,Point\n${rows.join("")}`);

    const described = await describeFile(file);
    expect(described.proposal.description.columns.point).toEqual({ column: "Point", format: "wkt" });
    const [west, , , north] = described.proposal.description.bounds!;
    expect(west).toBeLessThan(22.9);
    expect(north).toBeGreaterThan(56.0);
    expect(described.proposal.notes.bounds).toMatch(/^around all 190000 points of the whole file/);
  }, 120_000);
});
