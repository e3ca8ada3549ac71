/** The likely cause `ingest` names for a file that was mostly quarantined: what to change in the source description. */
import { describe, expect, it } from "vitest";
import { likelyCause } from "../etl/ingest/ingest-verdict.ts";
import type { QualityReport } from "../etl/ingest/quality-report.ts";
import type { SourceDescription } from "../etl/ingest/source-description.ts";

const source = {
  delimiter: ";",
  decimal: ".",
  crs: "EPSG:3346",
  bounds: [20, 53, 27, 57],
  timezone: "Europe/Vilnius",
  columns: { x: "X", y: "Y", time: { format: "date", column: "Data" } },
} as unknown as SourceDescription;
const report = { rows_read: 3, quarantine_reasons: { invalid_coordinates: 3 } } as unknown as QualityReport;

describe("the likely cause of invalid coordinates", () => {
  it("is the decimal separator when the first such row holds decimal commas", () => {
    const examples = new Map([["invalid_coordinates", { line: 2, reason: "coordinates are not decimal numbers (x '456837,30', y '6199539,09')" }]]);
    expect(likelyCause(report, examples, source)).toMatch(/^3 of 3 rows are invalid_coordinates: the decimal separator — .*write decimal: ","/);
  });

  it("is the CRS otherwise", () => {
    const examples = new Map([["invalid_coordinates", { line: 2, reason: "(9e9, 1) is not a valid position in EPSG:3346" }]]);
    expect(likelyCause(report, examples, source)).toMatch(/: the CRS — coordinates are read as EPSG:3346/);
  });
});
