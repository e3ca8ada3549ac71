import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStudyArea } from "../data/generator/boundaries.ts";
import { CITY, DISTRICT } from "../data/generator/places.ts";
import { writeSyntheticCsv } from "../bench/synthetic/generate.ts";
import { DEFAULTS } from "../etl/config.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { canonicalSource } from "./helpers/shared.ts";

/**
 * The benchmark's synthetic file is clean where it claims to be: every point lies in the municipality
 * it names — checked here with Turf's point-in-polygon (a second implementation beside the ingest's
 * banded ray casting) — so the ingest quarantines exactly the flaws the generator writes on purpose.
 */
const ROWS = 20_000;
let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "synthetic-bench-"));
  file = join(dir, "synthetic.csv");
  await writeSyntheticCsv(
    { seed: "test", firstMonth: "2020-01", timelineMonths: 12, fromMonth: 0, months: 12, incidents: ROWS, idPrefix: "T" },
    file,
    DEFAULTS.municipalitiesGeoJson,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the synthetic benchmark file", () => {
  it("names, for every point, the municipality polygon it lies in (Turf)", async () => {
    const area = loadStudyArea(DEFAULTS.municipalitiesGeoJson);
    const [header, ...lines] = (await readFile(file, "utf8")).trimEnd().split("\n");
    const column = (name: string) => header!.split(",").indexOf(name);
    const [lat, lon, municipality] = [column("lat"), column("lon"), column("municipality")];
    let checked = 0;
    const wrong: string[] = [];
    for (const line of lines) {
      const f = line.split(",");
      if (f[lat] === "") continue; // a deliberate flaw: no coordinates
      const name = f[municipality]!;
      if ((name !== CITY && name !== DISTRICT) || !area.contains(name, Number(f[lat]), Number(f[lon]))) wrong.push(line);
      checked++;
    }
    expect(lines).toHaveLength(ROWS);
    expect(checked).toBeGreaterThan(ROWS * 0.99);
    expect(wrong).toEqual([]);
  });

  it("is ingested with only the deliberate flaws quarantined, each counted from the file's text", async () => {
    const text = await readFile(file, "utf8");
    const lines = text.trimEnd().split("\n").slice(1);
    const noCoordinates = lines.filter((l) => l.includes(",,")).length;
    const impossibleDate = lines.filter((l) => /,\d{4}-02-30T/.test(l)).length;
    const report = await ingestFile(file, { lakeDir: join(dir, "lake"), resolution: 8, timeZone: "Europe/Vilnius", source: await canonicalSource() });
    expect(report.rows_read).toBe(ROWS);
    expect(report.rows_ingested + report.rows_quarantined).toBe(ROWS);
    expect(report.quarantine_reasons.outside_municipality).toBeUndefined();
    expect(report.quarantine_reasons.missing_coordinates).toBe(noCoordinates);
    expect(report.quarantine_reasons.invalid_timestamp).toBe(impossibleDate);
    // The generator's FLAWS, and nothing else.
    for (const code of Object.keys(report.quarantine_reasons))
      expect(["exact_duplicate", "invalid_timestamp", "missing_coordinates", "repeated_id"]).toContain(code);
  });
});
