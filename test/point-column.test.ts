/**
 * Exports whose point is written in one text column (columns.point): Chicago's Location "(lat, lon)"
 * when an extract keeps no Latitude/Longitude, San Francisco's WKT Point "POINT (lon lat)", an ArcGIS
 * CSV's SHAPE in a projected grid, and GeoJSON text in a JSON export. Each goes describe → ingest
 * as a new user's would; the files are small synthetic ones with the portals' header names.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { fromWgs84, placePoint, placePointText } from "../etl/ingest/coordinates.ts";
import { describeFile } from "../etl/ingest/describe-file.ts";
import { fileExtent } from "../etl/ingest/file-extent.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import type { IngestOptions } from "../etl/ingest/ingest-options.ts";
import { pointTexts } from "../etl/ingest/point-text.ts";
import { parseSourceDescription, requiredColumns, type SourceDescription } from "../etl/ingest/source-description.ts";
import { lakeSnapshot } from "./helpers/lake-snapshot.ts";

const NOW = Date.UTC(2026, 0, 1);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "point-column-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A point of a cluster around (lon, lat), spread over about ±`km` (deterministic). */
const near = (lon: number, lat: number, km: number, i: number): [number, number] => [
  Number((lon + ((((i * 37) % 101) / 100 - 0.5) * km) / 75).toFixed(5)),
  Number((lat + ((((i * 61) % 103) / 102 - 0.5) * km) / 111).toFixed(5)),
];

const OFFENCES = ["Vagystė", "Plėšimas", "Įsibrovimas į būstą", "Sukčiavimas"];

/**
 * An export of `count` incidents clustered within about ±`km` of `centre` (lon, lat): `header` (null for
 * JSON Lines), then a line per incident written by `row` from its index, point and offence; `points`
 * maps each line number to its point.
 */
function clusterExport(
  header: string | null,
  centre: [number, number],
  row: (i: number, lon: number, lat: number, offence: string) => string,
  { count = 40, km = 8 } = {},
) {
  const points = new Map<number, [number, number]>();
  const lines = header === null ? [] : [header];
  for (let i = 0; i < count; i++) {
    const [lon, lat] = near(...centre, km, i);
    lines.push(row(i, lon, lat, OFFENCES[i % 4]!));
    points.set(lines.length, [lon, lat]);
  }
  return { lines, points };
}

let lakes = 0;
/** Ingests `file` into a lake of its own; the report, the kept rows by line and the quarantined ones. */
async function ingested(file: string, source: SourceDescription, options: Partial<IngestOptions> = {}) {
  const lakeDir = join(dir, `lake-${lakes++}`);
  const report = await ingestFile(file, { lakeDir, resolution: 8, timeZone: source.timezone, now: NOW, source, ...options });
  const [kept, quarantined] = await withConnection(async (c) => [
    (await c.runAndReadAll(`SELECT source_line AS line, lat, lon, h3_cell FROM read_parquet('${lakeDir}/incidents/*/*.parquet')`)).getRowObjectsJson(),
    (await c.runAndReadAll(`SELECT line, code, reason FROM read_parquet('${lakeDir}/quarantine/*.parquet') ORDER BY line`)).getRowObjectsJson(),
  ]);
  const byLine = new Map(kept.map((r) => [Number(r.line), { lat: Number(r.lat), lon: Number(r.lon), cell: String(r.h3_cell) }]));
  return { report, byLine, quarantined: quarantined.map((q) => ({ line: Number(q.line), code: String(q.code), reason: String(q.reason) })), lakeDir };
}

/** The general CSV reader and the threaded fast one write the lake `lakeDir` holds (the fast reader's, in one thread). */
async function expectSameLakeFromEveryReader(file: string, source: SourceDescription, lakeDir: string) {
  const snapshot = await lakeSnapshot(lakeDir);
  expect(await lakeSnapshot((await ingested(file, source, { fastCsv: false })).lakeDir)).toEqual(snapshot);
  expect(await lakeSnapshot((await ingested(file, source, { readers: 2, chunkBytes: 2048 })).lakeDir)).toEqual(snapshot);
}

/** Every kept line lies where the export put it, in the cell h3-js gives that point. */
function expectPlaced(byLine: Map<number, { lat: number; lon: number; cell: string }>, points: Map<number, [number, number]>, tolerance = 1e-9) {
  expect(byLine.size).toBe(points.size);
  for (const [line, [lon, lat]] of points) {
    const row = byLine.get(line)!;
    expect(Math.abs(row.lon - lon)).toBeLessThan(tolerance);
    expect(Math.abs(row.lat - lat)).toBeLessThan(tolerance);
    expect(row.cell).toBe(latLngToCell(row.lat, row.lon, 8));
  }
}

const TYPES = ["THEFT", "BATTERY", "BURGLARY", "ROBBERY", "CRIMINAL DAMAGE"];

describe('Chicago, an extract that keeps only Location "(lat, lon)"', () => {
  const header =
    "ID,Case Number,Date,Block,IUCR,Primary Type,Description,Location Description,Arrest,Domestic,Beat,District,Ward,Community Area,FBI Code,Year,Updated On,Location";
  const { lines, points } = clusterExport(
    header,
    [-87.68, 41.86],
    (i, lon, lat) => {
      const month = String(1 + (i % 12)).padStart(2, "0");
      const day = String(1 + (i % 27)).padStart(2, "0");
      return `${12900000 + i},JG${100000 + i},${month}/${day}/2023 0${1 + (i % 9)}:15:00 PM,024XX W MADISON ST,0820,${TYPES[i % TYPES.length]},SIMPLE,STREET,false,false,1834,018,42,8,06,2023,01/08/2024 03:45:40 PM,"(${lat.toFixed(5)}, ${lon.toFixed(5)})"`;
    },
    { count: 60, km: 12 },
  );
  // A row without a location (Socrata leaves Location empty), the (0, 0) placeholder, and text that is no point.
  const bad = ["", '"(0.0, 0.0)"', "(unknown)"];
  for (const [k, location] of bad.entries())
    lines.push(
      `${12990000 + k},JH${k},06/01/2023 10:00:00 AM,001XX N STATE ST,0820,THEFT,SIMPLE,STREET,false,false,111,001,42,32,06,2023,01/08/2024 03:45:40 PM,${location}`,
    );

  it("describe proposes columns.point with the Socrata order and says so; ingest places each row and quarantines the three bad points with their reasons", async () => {
    const file = join(dir, "chicago-location-only.csv");
    await writeFile(file, `${lines.join("\n")}\n`);
    const result = await describeFile(file);
    expect(result.proposal.undecided).toEqual([]);
    const source = parseSourceDescription(result.proposal.description, file);
    expect(source).toMatchObject({ crs: "EPSG:4326", timezone: "America/Chicago" });
    expect(source.columns).toMatchObject({ id: "ID", point: { column: "Location", format: "lat_lon" } });
    expect(source.columns.x).toBeUndefined();
    expect(source.columns.locality).toBeUndefined();
    expect(result.yaml).toContain("  point: { column: Location, format: lat_lon }");
    expect(result.proposal.notes.point).toMatch(/one column.*\(lat, lon\).*no pair of longitude\/latitude/);
    expect(result.sample).toMatchObject({ rows: 63, ingested: 60, quarantined: { missing_coordinates: 1, invalid_coordinates: 2 } });

    const { report, byLine, quarantined } = await ingested(file, source);
    expect([report.rows_read, report.rows_ingested]).toEqual([63, 60]);
    expect(report.quarantine_reasons).toEqual({ missing_coordinates: 1, invalid_coordinates: 2 });
    expectPlaced(byLine, points);
    expect(quarantined.map((q) => q.code)).toEqual(["missing_coordinates", "invalid_coordinates", "invalid_coordinates"]);
    expect(quarantined[0]!.reason).toBe("coordinates are missing (Location '')");
    // The placeholder's reason is the two-column path's own.
    expect(quarantined[1]).toMatchObject({ reason: (placePoint("0.0", "0.0", source) as { reason: string }).reason });
    expect(quarantined[2]!.reason).toMatch(/^Location '\(unknown\)' is not a point written as \(lat, lon\)/);
  });
});

describe('San Francisco\'s WKT Point "POINT (lon lat)"', () => {
  const header =
    "Incident Datetime,Incident Date,Incident Time,Incident Year,Incident Day of Week,Report Datetime,Row ID,Incident ID,Incident Number,Incident Category,Incident Description,Police District,Analysis Neighborhood,Point";
  const categories = ["Larceny Theft", "Burglary", "Robbery", "Assault", "Motor Vehicle Theft"];
  const { lines, points } = clusterExport(
    header,
    [-122.43, 37.76],
    (i, lon, lat) => {
      const date = `2023-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 27)).padStart(2, "0")}`;
      const clock = `${String(i % 24).padStart(2, "0")}:${String((i * 7) % 60).padStart(2, "0")}`;
      return `${date}T${clock}:00,${date.replace(/-/g, "/")},${clock},2023,Monday,${date}T23:59:00,${120000000000 + i},${1200000 + i},${230000000 + i},${categories[i % 5]},OTHER,Mission,Mission,POINT (${lon} ${lat})`;
    },
    { count: 50 },
  );
  // No quotes anywhere: the fast reader (and its threads) reads this file, and must read it as csv-parse does.
  lines.push(
    "2023-06-01T10:00:00,2023/06/01,10:00,2023,Thursday,2023-06-01T23:59:00,129999999990,1299990,239999990,Burglary,OTHER,Mission,Mission,POINT EMPTY",
    "2023-06-01T10:00:00,2023/06/01,10:00,2023,Thursday,2023-06-01T23:59:00,129999999991,1299991,239999991,Burglary,OTHER,Mission,Mission,POINT (-122.41)",
    `2023-06-01T10:00:00,2023/06/01,10:00,2023,Thursday,2023-06-01T23:59:00,129999999992,1299992,239999992,Burglary,OTHER,Mission,Mission,POINT (${[...points.values()][0]![1]} ${[...points.values()][0]![0]})`,
  );

  it("describe proposes format wkt; ingest places the points the same in the fast reader, its threads and csv-parse", async () => {
    const file = join(dir, "sf-point.csv");
    await writeFile(file, `${lines.join("\n")}\n`);
    const result = await describeFile(file);
    expect(result.proposal.undecided).toEqual([]);
    const source = parseSourceDescription(result.proposal.description, file);
    expect(source).toMatchObject({ crs: "EPSG:4326", timezone: "America/Los_Angeles" });
    expect(source.columns.point).toEqual({ column: "Point", format: "wkt" });
    expect(result.sample).toMatchObject({ rows: 53, ingested: 50, quarantined: { missing_coordinates: 1, invalid_coordinates: 1, swapped_coordinates: 1 } });

    const fast = await ingested(file, source, { readers: 0, chunkBytes: 1024 });
    expect(fast.report.quarantine_reasons).toEqual({ missing_coordinates: 1, invalid_coordinates: 1, swapped_coordinates: 1 });
    expectPlaced(fast.byLine, points);
    expect(fast.quarantined.map((q) => q.reason)).toEqual([
      "coordinates are missing (Point 'POINT EMPTY')",
      expect.stringMatching(/^Point 'POINT \(-122\.41\)' is not a point written as POINT \(x y\)/),
      expect.stringMatching(/lies in the study area only with latitude and longitude swapped/),
    ]);
    await expectSameLakeFromEveryReader(file, source, fast.lakeDir);
  }, 60_000);
});

describe("an ArcGIS CSV whose SHAPE is a WKT point in a projected grid (LKS94)", () => {
  it("describe decides the grid from the WKT's metres as for two columns; ingest projects each point back where it was", async () => {
    const { lines, points } = clusterExport("OBJECTID,INCIDENT_NO,DATE_OCC,OFFENCE,SHAPE", [23.31, 55.93], (i, lon, lat, offence) => {
      const [x, y] = fromWgs84("EPSG:3346", lon, lat);
      return `${i + 1},IN-${1000 + i},2023-0${1 + (i % 9)}-1${i % 10}T12:00:00,${offence},POINT (${x.toFixed(2)} ${y.toFixed(2)})`;
    });
    lines.push("41,IN-2000,2023-05-05T12:00:00,Vagystė,POINT (0 0)");
    const file = join(dir, "arcgis-shape.csv");
    await writeFile(file, `${lines.join("\n")}\n`);
    // Metres that several grids read on land, as with two columns: describe names them, and the user gives --crs.
    const unsure = await describeFile(file);
    expect(unsure.proposal.undecided).toEqual([
      expect.stringMatching(/^the CRS of SHAPE \(x\)\/SHAPE \(y\): .*--crs EPSG:3346 puts the points around 55\.9\d° N, 23\.3\d° E/),
    ]);
    const result = await describeFile(file, { crs: "EPSG:3346" });
    expect(result.proposal.undecided).toEqual([]);
    const source = parseSourceDescription(result.proposal.description, file);
    expect(source).toMatchObject({ crs: "EPSG:3346", timezone: "Europe/Vilnius" });
    expect(source.columns.point).toEqual({ column: "SHAPE", format: "wkt" });
    expect(result.proposal.notes.point).toMatch(/POINT \(x y\)/);

    const { report, byLine, quarantined } = await ingested(file, source);
    expect(report.quarantine_reasons).toEqual({ invalid_coordinates: 1 });
    expect(quarantined[0]!.reason).toBe("the point (0, 0) is a missing-location placeholder");
    // Two decimals of a metre, projected and back: well under a millionth of a degree.
    expectPlaced(byLine, points, 1e-6);
  }, 60_000);
});

describe("GeoJSON text in a JSON export (Socrata's geocoded_column)", () => {
  it("describe proposes format geojson; ingest reads the object's coordinates and treats an empty one as missing", async () => {
    const { lines: records, points } = clusterExport(
      null,
      [-87.68, 41.86],
      (i, lon, lat) =>
        JSON.stringify({
          case_number: `JG${i}`,
          date: `2023-0${1 + (i % 9)}-1${i % 10}T10:00:00`,
          primary_type: TYPES[i % 5],
          geocoded_column: { type: "Point", coordinates: [lon, lat] },
        }),
      { count: 30, km: 10 },
    );
    records.push(
      JSON.stringify({ case_number: "JX1", date: "2023-05-05T10:00:00", primary_type: "THEFT", geocoded_column: { type: "Point", coordinates: [] } }),
    );
    const file = join(dir, "socrata-geocoded.jsonl");
    await writeFile(file, `${records.join("\n")}\n`);
    const result = await describeFile(file);
    expect(result.proposal.undecided).toEqual([]);
    const source = parseSourceDescription(result.proposal.description, file);
    expect(source.columns.point).toEqual({ column: "geocoded_column", format: "geojson" });
    const { report, byLine } = await ingested(file, source);
    expect(report.quarantine_reasons).toEqual({ missing_coordinates: 1 });
    expectPlaced(byLine, points);
  }, 60_000);
});

describe("a pair written longitude first (Portland, beyond ±90°)", () => {
  it("describe turns the format round from the values (|first| > 90), as it does two columns", async () => {
    const lines = ["ID,CrimeDateTime,Description,GeoLocation"];
    for (let i = 0; i < 30; i++) {
      const [lon, lat] = near(-122.65, 45.52, 8, i);
      lines.push(`${i},2023/0${1 + (i % 9)}/1${i % 10} 10:00:00+00,${TYPES[i % 5]},"(${lon},${lat})"`);
    }
    const file = join(dir, "baltimore-lonlat.csv");
    await writeFile(file, `${lines.join("\n")}\n`);
    const result = await describeFile(file);
    expect(result.proposal.description.columns.point).toEqual({ column: "GeoLocation", format: "lon_lat" });
    expect(result.proposal.description.timezone).toBe("America/Los_Angeles");
    expect(result.sample).toMatchObject({ rows: 30, ingested: 30 });
  }, 60_000);
});

describe("the whole file's bounds (describe reads past its 8 MiB sample)", () => {
  it("are drawn around the points of the point column as around the same points in two columns", async () => {
    const rows = Array.from({ length: 20 }, (_, i) => [41.8 + i * 0.005, -87.7 + i * 0.004]);
    const one = ["id,when,what,Location", ...rows.map(([lat, lon], i) => `${i},2023-01-01,THEFT,"(${lat}, ${lon})"`)];
    one.push('20,2023-01-01,THEFT,"(0.0, 0.0)"', "21,2023-01-01,THEFT,", "22,2023-01-01,THEFT,(unknown)");
    const two = ["id,when,what,lat,lon", ...rows.map(([lat, lon], i) => `${i},2023-01-01,THEFT,${lat},${lon}`)];
    await writeFile(join(dir, "extent-one.csv"), `${one.join("\n")}\n`);
    await writeFile(join(dir, "extent-two.csv"), `${two.join("\n")}\n`);
    const layout = { format: "csv", encoding: "utf-8", delimiter: ",", crs: "EPSG:4326" } as const;
    const centre = [-87.66, 41.85] as const;
    const fromPoint = await fileExtent(join(dir, "extent-one.csv"), { ...layout, point: { column: "Location", format: "lat_lon" } }, centre);
    const fromPair = await fileExtent(join(dir, "extent-two.csv"), { ...layout, x: "lon", y: "lat" }, centre);
    expect([fromPoint.records, fromPoint.extent.placed, fromPoint.extent.far]).toEqual([23, 20, 0]);
    expect(fromPoint.extent.bounds()).toEqual(fromPair.extent.bounds());
  });
});

describe("a point text read as two columns are", () => {
  const chicago = { crs: "EPSG:4326" as const, bounds: [-88, 41.6, -87.5, 42.1] as [number, number, number, number] };
  const location = { column: "Location", format: "lat_lon" as const };

  it("splits each format into x (longitude) and y", () => {
    expect(pointTexts("(41.8763, -87.62975)", "lat_lon")).toEqual({ kind: "xy", x: "-87.62975", y: "41.8763" });
    expect(pointTexts("(39.29,-76.61)", "lat_lon")).toEqual({ kind: "xy", x: "-76.61", y: "39.29" });
    expect(pointTexts("(-76.61, 39.29)", "lon_lat")).toEqual({ kind: "xy", x: "-76.61", y: "39.29" });
    expect(pointTexts("POINT (-122.4194 37.7749)", "wkt")).toEqual({ kind: "xy", x: "-122.4194", y: "37.7749" });
    expect(pointTexts("point(482345.1 4623210.9)", "wkt")).toEqual({ kind: "xy", x: "482345.1", y: "4623210.9" });
    expect(pointTexts('{"type":"Point","coordinates":[-87.62,41.87]}', "geojson")).toEqual({ kind: "xy", x: "-87.62", y: "41.87" });
    expect(pointTexts("(54,68; 25,28)", "lat_lon", ",")).toEqual({ kind: "xy", x: "25,28", y: "54,68" });
  });

  it("treats no-values and zeros exactly as the two-column path does", () => {
    for (const missing of ["", "  ", "(null)", "NA", "POINT EMPTY"])
      expect(placePointText(missing, { column: "Location", format: missing === "POINT EMPTY" ? "wkt" : "lat_lon" }, chicago)).toMatchObject({
        ok: false,
        code: (placePoint("", "", chicago) as { code: string }).code,
      });
    expect(placePointText("(null, null)", location, chicago)).toEqual(placePoint("null", "null", chicago));
    expect(placePointText("(0.0, 0.0)", location, chicago)).toEqual(placePoint("0.0", "0.0", chicago));
    expect(placePointText("POINT (0 0)", { column: "Point", format: "wkt" }, chicago)).toEqual(placePoint("0", "0", chicago));
    expect(placePointText("(-87.62, 41.87)", location, chicago)).toEqual(placePoint("41.87", "-87.62", chicago));
  });

  it("quarantines text that is no point naming the column, clipped as other reasons quote", () => {
    const long = `POINT (${"9".repeat(200)})`;
    const placed = placePointText(long, { column: "the_geom", format: "wkt" }, chicago);
    expect(placed).toMatchObject({ ok: false, code: "invalid_coordinates" });
    const reason = placed.ok ? "" : placed.reason;
    expect(reason).toMatch(/^the_geom 'POINT \(9{73}…' is not a point written as POINT \(x y\)/);
    expect(reason.length).toBeLessThan(300);
    expect(placePointText("41.87 -87.62 12", location, chicago)).toMatchObject({ ok: false, code: "invalid_coordinates" });
    expect(placePointText('{"type":"LineString","coordinates":[[1,2],[3,4]]}', { column: "geom", format: "geojson" }, chicago)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^geom '\{"type":"LineString".*is not a point written as \{"type":"Point"/),
    });
  });
});

describe("columns.point in the source description", () => {
  const base = {
    id: "points",
    title: "Points",
    timezone: "America/Chicago",
    bounds: [-88, 41.6, -87.5, 42.1],
    categories: { THEFT: "theft" },
  };
  const parse =
    (columns: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    () =>
      parseSourceDescription(
        { ...base, ...extra, columns: { time: { format: "iso", column: "Date" }, offence: { column: "Type" }, ...columns } },
        "points.yaml",
      );

  it("is read as an alternative to x and y, and its column is required in the header", () => {
    const source = parse({ point: { column: "Location", format: "lat_lon" } })();
    expect(source.columns.point).toEqual({ column: "Location", format: "lat_lon" });
    expect(requiredColumns(source)).toContain("Location");
  });

  it("refuses wrong forms with what to write", () => {
    expect(parse({ point: "Location" })).toThrow(/columns\.point: write \{ column: Location, format: FORMAT \}.*wkt .*lat_lon .*lon_lat .*geojson/);
    expect(parse({ point: { column: "Location", format: "latlon" } })).toThrow(/columns\.point\.format: "latlon" is not a point format; write wkt/);
    expect(parse({ point: { column: "Location" } })).toThrow(/columns\.point\.format: format is missing; write wkt/);
    expect(parse({ point: { format: "wkt" } })).toThrow(/columns\.point\.column: column is missing/);
    expect(parse({ point: { column: "Location", format: "wkt" }, x: "Longitude", y: "Latitude" })).toThrow(
      /columns\.point: the point is read from one column or from two, not both/,
    );
    expect(parse({ point: { column: "Location", format: "wkt" } }, { format: "geojson" })).toThrow(/columns\.point: a GeoJSON feature's point is its geometry/);
    expect(parse({})).toThrow(/columns\.x and columns\.y are required for csv sources, or columns\.point where one column holds the point/);
  });
});

describe("a PostGIS export's EWKT points (SRID=3346;POINT (x y))", () => {
  it("describe takes the grid from the SRID; ingest refuses a point of another SRID naming it, the same in every CSV reader", async () => {
    const { lines, points } = clusterExport("gid,incident_no,occurred,offence,geom", [23.31, 55.93], (i, lon, lat, offence) => {
      const [x, y] = fromWgs84("EPSG:3346", lon, lat);
      return `${i + 1},IN-${1000 + i},2023-0${1 + (i % 9)}-1${i % 10}T12:00:00,${offence},SRID=3346;POINT(${x.toFixed(2)} ${y.toFixed(2)})`;
    });
    // A row another tool wrote in Web Mercator, and PostGIS's empty point.
    const [mx, my] = fromWgs84("EPSG:3857", 23.31, 55.93);
    lines.push(
      `41,IN-2000,2023-05-05T12:00:00,Vagystė,SRID=3857;POINT(${mx.toFixed(2)} ${my.toFixed(2)})`,
      "42,IN-2001,2023-05-05T12:00:00,Vagystė,SRID=3346;POINT EMPTY",
    );
    const file = join(dir, "postgis-ewkt.csv");
    await writeFile(file, `${lines.join("\n")}\n`);
    // The same metres without an SRID are undecided (the ArcGIS test above): here the SRID decides.
    const result = await describeFile(file);
    expect(result.proposal.undecided).toEqual([]);
    const source = parseSourceDescription(result.proposal.description, file);
    expect(source).toMatchObject({ crs: "EPSG:3346", timezone: "Europe/Vilnius" });
    expect(source.columns.point).toEqual({ column: "geom", format: "wkt" });
    expect(result.proposal.notes.crs).toMatch(/^EPSG:3346, as the points' SRID says: the points lie around 55\.9/);

    const fast = await ingested(file, source, { readers: 0, chunkBytes: 1024 });
    expect(fast.report.quarantine_reasons).toEqual({ invalid_coordinates: 1, missing_coordinates: 1 });
    expectPlaced(fast.byLine, points, 1e-6);
    expect(fast.quarantined.map((q) => q.reason)).toEqual([
      `geom 'SRID=3857;POINT(${mx.toFixed(2)} ${my.toFixed(2)})' is written in EPSG:3857 (its SRID), not in the source description's crs EPSG:3346; if the file is in EPSG:3857, write crs: EPSG:3857 in the source description`,
      "coordinates are missing (geom 'SRID=3346;POINT EMPTY')",
    ]);
    await expectSameLakeFromEveryReader(file, source, fast.lakeDir);
  }, 60_000);

  it("reads the SRID beside the point, compares it with the crs's EPSG code only, and names an SRID the reader does not know", () => {
    expect(pointTexts("SRID=4326;POINT(-122.41 37.77)", "wkt")).toEqual({ kind: "xy", x: "-122.41", y: "37.77", srid: 4326 });
    expect(pointTexts("srid=4326; POINT Z (-122.41 37.77 12)", "wkt")).toEqual({ kind: "xy", x: "-122.41", y: "37.77", srid: 4326 });
    expect(pointTexts("SRID=4326;LINESTRING(1 2, 3 4)", "wkt")).toEqual({ kind: "invalid" });
    const sf = { crs: "EPSG:4326" as const, bounds: [-122.6, 37.6, -122.3, 37.9] as [number, number, number, number] };
    const column = { column: "geom", format: "wkt" as const };
    expect(placePointText("SRID=4326;POINT(-122.41 37.77)", column, sf)).toEqual(placePoint("-122.41", "37.77", sf));
    // SRID=0 is PostGIS's "unknown"; a PROJ-string crs has no code to compare: both read as the crs says.
    expect(placePointText("SRID=0;POINT(-122.41 37.77)", column, sf)).toEqual(placePoint("-122.41", "37.77", sf));
    const mtm = { ...sf, crs: "+proj=tmerc +lat_0=0 +lon_0=-73.5 +k=0.9999 +x_0=304800 +y_0=0 +datum=NAD83 +units=m +no_defs" };
    expect(placePointText("SRID=32188;POINT(1 2)", column, mtm)).toEqual(placePoint("1", "2", mtm));
    expect(placePointText("SRID=2227;POINT(6010000 2110000)", column, sf)).toMatchObject({
      ok: false,
      code: "invalid_coordinates",
      reason: expect.stringMatching(
        /is written in EPSG:2227 \(its SRID\), not in the source description's crs EPSG:4326; the reader does not know EPSG:2227: write crs: as its PROJ string/,
      ),
    });
  });
});

describe("Socrata's location object (a Location column in JSON, its text in a CSV cell)", () => {
  const location = (lat: number, lon: number) => ({
    latitude: lat.toFixed(6),
    longitude: lon.toFixed(6),
    human_address: JSON.stringify({ address: "001XX N STATE ST", city: "Chicago", state: "IL", zip: "" }),
    needs_recoding: false,
  });

  it("describe proposes format socrata for JSON Lines; ingest places each row and calls an address-only object missing", async () => {
    const { lines: records, points } = clusterExport(
      null,
      [-87.68, 41.86],
      (i, lon, lat) =>
        JSON.stringify({ case_number: `JG${i}`, date: `2023-0${1 + (i % 9)}-1${i % 10}T10:00:00`, primary_type: TYPES[i % 5], location: location(lat, lon) }),
      { count: 30, km: 10 },
    );
    // Socrata could not geocode the address: the object holds the address alone.
    records.push(
      JSON.stringify({
        case_number: "JX1",
        date: "2023-05-05T10:00:00",
        primary_type: "THEFT",
        location: { human_address: '{"address": "UNKNOWN"}', needs_recoding: true },
      }),
      JSON.stringify({ case_number: "JX2", date: "2023-05-05T10:00:00", primary_type: "THEFT", location: { type: "Point", coordinates: [-87.6, 41.8] } }),
    );
    const file = join(dir, "socrata-location.jsonl");
    await writeFile(file, `${records.join("\n")}\n`);
    const result = await describeFile(file);
    expect(result.proposal.undecided).toEqual([]);
    const source = parseSourceDescription(result.proposal.description, file);
    expect(source.columns.point).toEqual({ column: "location", format: "socrata" });
    expect(result.yaml).toContain("  point: { column: location, format: socrata }");
    expect(result.proposal.notes.point).toMatch(/Socrata's location object/);
    const { report, byLine, quarantined } = await ingested(file, source);
    expect(report.quarantine_reasons).toEqual({ missing_coordinates: 1, invalid_coordinates: 1 });
    expectPlaced(byLine, points);
    expect(quarantined[1]!.reason).toMatch(/^location '\{"type":"Point".*' is not a point written as \{"latitude": "lat", "longitude": "lon"\}/);
  }, 60_000);

  it("reads the object's text in a CSV cell as from JSON, numbers or strings, and one coordinate alone as missing", async () => {
    const rows = Array.from({ length: 25 }, (_, i) => near(-87.68, 41.86, 10, i));
    const cell = (o: unknown) => `"${JSON.stringify(o).replace(/"/g, '""')}"`;
    const lines = [
      "ID,Date,Primary Type,Location",
      ...rows.map(([lon, lat], i) => `${i},2023-0${1 + (i % 9)}-11T10:00:00,${TYPES[i % 5]},${cell(location(lat, lon))}`),
    ];
    lines.push(`90,2023-05-05T10:00:00,THEFT,${cell({ latitude: 41.87, longitude: -87.62 })}`, `91,2023-05-05T10:00:00,THEFT,${cell({ latitude: "41.87" })}`);
    const file = join(dir, "socrata-location.csv");
    await writeFile(file, `${lines.join("\n")}\n`);
    const result = await describeFile(file);
    const source = parseSourceDescription(result.proposal.description, file);
    expect(source.columns.point).toEqual({ column: "Location", format: "socrata" });
    const { report, byLine, quarantined } = await ingested(file, source);
    expect(report.quarantine_reasons).toEqual({ missing_coordinates: 1 });
    expect(byLine.get(lines.length - 1)).toMatchObject({ lat: 41.87, lon: -87.62 });
    expect(quarantined[0]!.reason).toBe(`coordinates are missing (x '', y '41.87')`);
  }, 60_000);
});

describe("points written with decimal commas (European exports)", () => {
  const vilnius = { crs: "EPSG:4326" as const, bounds: [25, 54.5, 25.5, 54.9] as [number, number, number, number], decimal: "," as const };
  const location = { column: "Vieta", format: "lat_lon" as const };

  it("reads a pair that splits into two numbers one way only, and refuses one that splits two ways with both readings", () => {
    for (const text of ["(54,6872; 25,2797)", "(54,6872 25,2797)", "(54,6872, 25,2797)", "(54,6872,25,2797)", "54,6872;25,2797"])
      expect(pointTexts(text, "lat_lon", ",")).toEqual({ kind: "xy", x: "25,2797", y: "54,6872" });
    expect(pointTexts("POINT (25,2797 54,6872)", "wkt", ",")).toEqual({ kind: "xy", x: "25,2797", y: "54,6872" });
    expect(placePointText("POINT (25,2797 54,6872)", { column: "Vieta", format: "wkt" }, vilnius)).toEqual(placePoint("25,2797", "54,6872", vilnius));
    expect(placePointText("(54,6872; 25,2797)", location, vilnius)).toEqual(placePoint("25,2797", "54,6872", vilnius));
    expect(placePointText("(54,68,25)", location, vilnius)).toEqual({
      ok: false,
      code: "invalid_coordinates",
      reason:
        "Vieta '(54,68,25)' is not a point written as (lat, lon): latitude first, as Socrata writes (columns.point's format lat_lon): with decimal commas it reads 2 ways (54 and 68,25, or 54,68 and 25); the export must separate the two numbers by \";\" or a space",
    });
    // Under decimal "." the same text says what to write.
    expect(placePointText("(54,6872; 25,2797)", location, { ...vilnius, decimal: "." })).toMatchObject({
      code: "invalid_coordinates",
      reason: expect.stringMatching(/its numbers are written with decimal commas \(54,6872 and 25,2797\); write decimal: "," in the source description$/),
    });
  });

  it('describe proposes decimal "," from the point column; ingest places the rows the same in every CSV reader', async () => {
    const comma = (v: number) => v.toFixed(5).replace(".", ",");
    const { lines, points } = clusterExport(
      "Nr;Data;Nusikaltimas;Vieta",
      [25.28, 54.69],
      (i, lon, lat, offence) => `${i};2023-0${1 + (i % 9)}-1${i % 10} 12:00:00;${offence};(${comma(lat)} ${comma(lon)})`,
    );
    lines.push("90;2023-05-05 12:00:00;Vagystė;(54,68,25)");
    const file = join(dir, "vilnius-decimal-comma.csv");
    await writeFile(file, `${lines.join("\n")}\n`);
    const result = await describeFile(file);
    expect(result.proposal.undecided).toEqual([]);
    const source = parseSourceDescription(result.proposal.description, file);
    expect(source).toMatchObject({ decimal: ",", delimiter: ";", crs: "EPSG:4326", timezone: "Europe/Vilnius" });
    expect(source.columns.point).toEqual({ column: "Vieta", format: "lat_lon" });

    const fast = await ingested(file, source, { readers: 0, chunkBytes: 1024 });
    expect(fast.report.quarantine_reasons).toEqual({ invalid_coordinates: 1 });
    expect(fast.quarantined[0]!.reason).toMatch(/with decimal commas it reads 2 ways/);
    expectPlaced(fast.byLine, points);
    await expectSameLakeFromEveryReader(file, source, fast.lakeDir);
  }, 60_000);

  it("describe finds decimal commas in a quoted pair of a comma-delimited CSV too", async () => {
    const lines = ["id,when,what,Location"];
    for (let i = 0; i < 25; i++) {
      const [lon, lat] = near(25.28, 54.69, 8, i);
      lines.push(`${i},2023-01-0${1 + (i % 9)}T10:00:00,Vagystė,"(${lat.toFixed(5).replace(".", ",")}; ${lon.toFixed(5).replace(".", ",")})"`);
    }
    const file = join(dir, "quoted-decimal-comma.csv");
    await writeFile(file, `${lines.join("\n")}\n`);
    const result = await describeFile(file);
    expect(result.proposal.description).toMatchObject({ decimal: ",", delimiter: ",", columns: { point: { column: "Location", format: "lat_lon" } } });
    expect(result.sample).toMatchObject({ rows: 25, ingested: 25 });
  }, 60_000);
});
