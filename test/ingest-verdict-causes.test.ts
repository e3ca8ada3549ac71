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

describe("the likely cause for a point read from one column (columns.point)", () => {
  const pointSource = {
    ...source,
    crs: "EPSG:4326",
    columns: { ...source.columns, x: undefined, y: undefined, point: { column: "Location", format: "lat_lon" } },
  };
  const cause = (code: string, reason: string) =>
    likelyCause(
      { rows_read: 3, quarantine_reasons: { [code]: 3 } } as unknown as QualityReport,
      new Map([[code, { line: 2, reason }]]),
      pointSource as SourceDescription,
    );

  it("names the point column and its format, not x and y", () => {
    expect(cause("missing_coordinates", "coordinates are missing (Location '')")).toMatch(/: the point column — Location \(lat_lon\) is empty/);
    expect(cause("swapped_coordinates", "(41.8, -87.6) lies in the study area only with latitude and longitude swapped")).toMatch(
      /: the axis order — columns.point's format says which number comes first \(now Location \(lat_lon\): lat_lon for "\(lat, lon\)"/,
    );
    expect(cause("invalid_coordinates", "Location 'POINT (1 2)' is not a point written as (lat, lon): latitude first")).toMatch(
      /: the point format — Location \(lat_lon\) does not read the column's text/,
    );
    expect(cause("invalid_coordinates", "(9e9, 1) is not a valid position in EPSG:4326")).toMatch(/: the CRS — /);
  });
});
