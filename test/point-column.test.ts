/**
 * Exports whose point is written in one text column (columns.point): Socrata's "(lat, lon)", WKT
 * "POINT (x y)" and GeoJSON text, split into x and y and then placed exactly as two columns are.
 */
import { describe, expect, it } from "vitest";
import { placePoint, placePointText } from "../etl/ingest/coordinates.ts";
import { pointTexts } from "../etl/ingest/point-text.ts";
import { parseSourceDescription, requiredColumns } from "../etl/ingest/source-description.ts";

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
