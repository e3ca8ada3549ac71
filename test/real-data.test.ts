/**
 * Every real file in ../shared/data/real ingests with the description shipped in data/sources/,
 * with exact accounting: rows in the lake + rows in quarantine = data rows in the file.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import type { QualityReport } from "../etl/ingest/quality-report.ts";
import { loadSourceDescription } from "../etl/ingest/source-description.ts";
import { lakeLayout } from "../etl/lake/lake-layout.ts";
import { projectRoot, sharedPath } from "./helpers/shared.ts";

// Expected per file: data rows (the publisher's count in SOURCES.md), month range, quarantine reasons.
const CASES = [
  {
    source: "cincinnati-burglary",
    file: "cincinnati_burglary.csv.gz",
    rows: 8723,
    months: ["2016-01", "2018-12"],
    reasons: { missing_coordinates: 426, repeated_id: 1637 },
  },
  { source: "vancouver-thefts", file: "vancouver_thefts.csv.gz", rows: 21918, months: ["2020-01", "2020-12"], reasons: { nonexistent_local_time: 2 } },
  { source: "nottingham-burglary", file: "nottingham_burglary.csv.gz", rows: 1795, months: ["2022-01", "2022-12"], reasons: {} },
  { source: "nottingham-robbery", file: "nottingham_robbery.csv.gz", rows: 555, months: ["2022-01", "2022-12"], reasons: {} },
  { source: "tempe-opioid-calls", file: "tempe_opioid_calls.csv", rows: 3379, months: ["2017-01", "2024-09"], reasons: { outside_study_area: 1 } },
  { source: "nyc-shootings", file: "nyc_shootings.csv", rows: 967, months: ["2019-01", "2019-12"], reasons: { exact_duplicate: 165, repeated_id: 25 } },
  { source: "san-francisco-robbery", file: "san_francisco_robbery.csv", rows: 951, months: ["2019-01", "2019-12"], reasons: {} },
  // Decimal commas and ";"; one homicide of 2010-01-01 before 05:00 UTC falls in December 2009 in Bogotá; 81 rows have "NA" coordinates.
  { source: "medellin-homicides", file: "medellin_homicides.csv", rows: 9360, months: ["2009-12", "2019-12"], reasons: { missing_coordinates: 81 } },
] as const;

let dir: string;
const reports = new Map<string, { report: QualityReport; lake: string }>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "real-"));
  for (const c of CASES) {
    const source = await loadSourceDescription(join(projectRoot, "data", "sources", `${c.source}.yaml`));
    const lake = join(dir, c.source);
    // Each city's lake cuts months in its own time zone.
    const report = await ingestFile(sharedPath("data", "real", c.file), { lakeDir: lake, resolution: 8, timeZone: source.timezone, source });
    reports.set(c.source, { report, lake });
  }
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Data rows of a file counted independently of the CSV reader: lines minus the header (none of these files quotes newlines). */
function dataLines(file: string): number {
  const bytes = readFileSync(sharedPath("data", "real", file));
  const text = (file.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
  return text.split("\n").filter((line) => line.trim() !== "").length - 1;
}

describe.each(CASES)("$file", (c) => {
  it("rows in the lake + rows in quarantine = rows in the file", async () => {
    const { report, lake } = reports.get(c.source)!;
    expect(dataLines(c.file)).toBe(c.rows);
    const counts = await withConnection(async (conn) => {
      const inLake = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet($glob)`, {
        glob: lakeLayout.glob(lakeLayout.incidentsDir(lake)),
      });
      const quarantined = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet($file)`, {
        // The city's own lake: its one export's quarantine.
        file: join(lake, "quarantine", "*.parquet"),
      });
      return { lake: Number(inLake.getRows()[0]![0]), quarantine: Number(quarantined.getRows()[0]![0]) };
    });
    expect(counts.lake + counts.quarantine).toBe(c.rows);
    expect(report).toMatchObject({ rows_read: c.rows, rows_ingested: counts.lake, rows_quarantined: counts.quarantine });
  });

  it("covers the expected months and quarantines for the expected reasons only", () => {
    const { report } = reports.get(c.source)!;
    expect([report.months[0], report.months.at(-1)]).toEqual(c.months);
    expect(report.quarantine_reasons).toEqual(c.reasons);
    expect(report.share_without_coordinates).toBeCloseTo(((c.reasons as Record<string, number>).missing_coordinates ?? 0) / c.rows, 12);
  });
});

describe("what the real data taught", () => {
  it("Cincinnati: an incident number is counted once; its other rows stay in quarantine with the line they repeat", async () => {
    const { lake } = reports.get("cincinnati-burglary")!;
    const rows = await withConnection(async (conn) =>
      (
        await conn.runAndReadAll(`SELECT reason FROM read_parquet($file) WHERE code = 'repeated_id' LIMIT 1`, {
          file: join(lake, "quarantine", "*.parquet"),
        })
      ).getRowObjectsJS(),
    );
    expect(String(rows[0]!.reason)).toMatch(/^id \d+ was already taken from line \d+; this row differs \(kept the first\)$/);
  });

  it("Vancouver: UTM 10N coordinates land in Vancouver and the two times in the 2020 spring DST gap are refused", async () => {
    const { report } = reports.get("vancouver-thefts")!;
    const b = report.coordinate_bounds!;
    expect(b.west).toBeGreaterThan(-123.3);
    expect(b.east).toBeLessThan(-122.95);
    expect(b.south).toBeGreaterThan(49.15);
    expect(b.north).toBeLessThan(49.35);
    expect(report.warnings).toEqual({ ambiguous_local_time: 1 });
  });

  it("police.uk: month-only dates are recorded as month precision, not as midnight on the 1st", () => {
    expect(reports.get("nottingham-burglary")!.report.time_precision).toEqual({ month: 1795 });
  });
});

describe("hotspots ingest --json", () => {
  it("prints the data-quality report of each file", async () => {
    const { spawnSync } = await import("node:child_process");
    const run = spawnSync(
      process.execPath,
      [
        join(projectRoot, "bin", "hotspots.js"),
        "--lake",
        join(dir, "cli-lake"),
        "--timezone",
        "America/New_York",
        "--json",
        "ingest",
        "--source",
        join(projectRoot, "data", "sources", "nyc-shootings.yaml"),
        sharedPath("data", "real", "nyc_shootings.csv"),
      ],
      { encoding: "utf8" },
    );
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout).ingest.files[0];
    expect(report).toMatchObject({
      source: "nyc-shootings",
      rows_read: 967,
      rows_ingested: 777,
      rows_quarantined: 190,
      quarantine_reasons: { exact_duplicate: 165, repeated_id: 25 },
      time_precision: { day: 777 },
      share_without_coordinates: 0,
    });
    expect(report.time_range.first.slice(0, 10)).toBe("2019-01-01");
    expect(report.coordinate_bounds.west).toBeGreaterThan(-74.3);
  });
});
