/**
 * What `describe` must not propose, found by reviewing its unseen-city heuristics: a description that
 * would place every incident in the wrong country or the wrong month while looking complete. Each case
 * is a small table handed to proposeSource / proposeTime, as sniffTable gives it.
 */
import { describe, expect, it } from "vitest";
import { fromWgs84, toWgs84 } from "../etl/ingest/coordinates.ts";
import { proposeSource } from "../etl/ingest/propose-source.ts";
import { sourceDescriptionSchema } from "../etl/ingest/source-description.ts";
import { proposeTime } from "../etl/ingest/propose-time.ts";
import { sniffedCsv } from "./helpers/shared.ts";

const table = sniffedCsv;
const offences = ["theft", "burglary", "robbery"];

describe("the CRS of projected metres", () => {
  it("is not Web Mercator because one placeholder (-1, -1) lies outside every UTM easting", () => {
    // Vancouver-like UTM 10N eastings and northings, and one unknown place written as (-1, -1).
    const rows = Array.from({ length: 300 }, (_, i) => [String(i), "2023-01-05T10:00:00", offences[i % 3]!, String(490000 + i * 10), String(5455000 + i * 7)]);
    rows.push(["300", "2023-01-05T10:00:00", "theft", "-1", "-1"]);
    const proposal = proposeSource(table(["id", "occurred", "offence", "X", "Y"], rows), "vancouver");
    expect(proposal.description.crs).toBeUndefined();
    expect(proposal.undecided.join("\n")).toMatch(/the CRS of X\/Y/);
  });

  it("is not Web Mercator for LKS94 in the geodetic order (X the northing), whose points would lie at sea", () => {
    const rows = Array.from({ length: 300 }, (_, i) => [String(i), "2023-01-05T10:00:00", offences[i % 3]!, String(6200000 + i * 11), String(455000 + i * 13)]);
    const proposal = proposeSource(table(["id", "occurred", "offence", "X", "Y"], rows), "lks94-geodetic");
    expect(proposal.description.crs).toBeUndefined();
    expect(proposal.description.timezone).toBeUndefined();
    expect(proposal.undecided.length).toBeGreaterThan(0);
  });

  it("is not Web Mercator for a US State Plane in feet, whose positive eastings it would put in Poland (Dallas) or Africa (Chicago)", () => {
    for (const [name, x0, y0] of [
      ["dallas", 2490000, 6970000],
      ["chicago", 1160000, 1890000],
    ] as const) {
      const rows = Array.from({ length: 300 }, (_, i) => [String(i), "2023-01-05T10:00:00", offences[i % 3]!, String(x0 + i * 97), String(y0 + i * 89)]);
      const proposal = proposeSource(table(["id", "occurred", "offence", "X Coordinate", "Y Cordinate"], rows), name);
      expect(proposal.description.crs, name).toBeUndefined();
      expect(proposal.description.timezone, name).toBeUndefined();
      // Dallas spells it Cordinate; the undecided CRS names both columns and how to give a State Plane.
      expect(proposal.undecided.join("\n"), name).toMatch(/the CRS of X Coordinate\/Y Cordinate: .*State Plane/);
    }
  });

  it("is Web Mercator where nearly every easting is negative and the northings are not TM eastings (Toronto)", () => {
    const rows = Array.from({ length: 300 }, (_, i) => [
      String(i),
      "2023-01-05T10:00:00",
      offences[i % 3]!,
      String(-8838000 + i * 30),
      String(5410000 + i * 20),
    ]);
    rows.push(["300", "2023-01-05T10:00:00", "theft", "-1", "-1"]);
    const proposal = proposeSource(table(["id", "occurred", "offence", "X", "Y"], rows), "toronto");
    expect(proposal.description.crs).toBe("EPSG:3857");
    expect(proposal.description.timezone).toBe("America/Toronto");
  });
});

describe("the time column", () => {
  it("reads ISO values that are all midnight, spaced or with an hours-only offset, as calendar days", () => {
    for (const text of ["2023-04-01 00:00:00+00", "2023-04-01T00:00:00+00", "2023-04-01 00:00:00Z", "2023-04-01T00:00:00.000Z"]) {
      const rows = Array.from({ length: 50 }, (_, i) => [text.replace("04-01", `04-0${1 + (i % 9)}`)]);
      expect(proposeTime(["occurred"], rows)?.spec, text).toEqual({ format: "date", column: "occurred" });
    }
  });

  it("proposes no instant for Unix milliseconds that are all midnight UTC (ArcGIS date-only fields)", () => {
    const rows = Array.from({ length: 60 }, (_, i) => [String(Date.UTC(2023, 0, 1 + i))]);
    const proposal = proposeTime(["REPORTED_DATE"], rows);
    expect(proposal?.undecided).toMatch(/all midnight UTC/);
  });

  it("takes Unix milliseconds from a column named as a time, not a case number of as many digits", () => {
    const rows = Array.from({ length: 60 }, (_, i) => [String(2023000000000 + i), String(Date.UTC(2023, 0, 1 + i, 13, 32))]);
    const proposal = proposeTime(["CASE_NUMBER", "Reported"], rows);
    expect(proposal).toBeNull(); // "Reported" is not named as a date or time either: nothing is guessed
    const named = proposeTime(["CASE_NUMBER", "REPORTED_DATE"], rows);
    expect(named?.spec).toEqual({ format: "epoch", column: "REPORTED_DATE", unit: "ms" });
    expect(named?.undecided).toBeUndefined();
  });
});

describe("the clock column of a day column", () => {
  const header = ["DATE OCC", "Response Time", "TIME OCC"];
  const rows = Array.from({ length: 40 }, (_, i) => [
    `2023-03-${String(1 + (i % 28)).padStart(2, "0")}`,
    String(30 + (i % 20)),
    String(100 * (i % 24) + (i % 60)),
  ]);

  it("is the one named as the day's partner when another column also looks like clock times (a duration)", () => {
    expect(proposeTime(header, rows)?.spec).toEqual({ format: "date", column: "DATE OCC", time_of_day: "TIME OCC" });
  });

  it("is none when several look like clock times and none is the day's partner: the day stands alone", () => {
    const renamed = ["DATE OCC", "Response Time", "Clock time"];
    expect(proposeTime(renamed, rows)?.spec).toEqual({ format: "date", column: "DATE OCC" });
  });
});

describe("a date column exported from a spreadsheet as day numbers (44197,5)", () => {
  const rows = (ids: (i: number) => string) =>
    Array.from({ length: 200 }, (_, i) => [ids(i), `${44197 + (i % 90)},${i % 10}`, offences[i % 3]!, String(23.3 + i / 1000), String(55.9 + i / 1000)]);

  it("is left undecided, naming the column and saying to format it as a date in the spreadsheet", () => {
    const proposal = proposeSource(table(["id", "Data", "offence", "X", "Y"], rows(String)), "serials");
    expect(proposal.description.columns.time).toBeUndefined();
    expect(proposal.undecided.join("\n")).toMatch(
      /the time column: .*; Data holds spreadsheet day numbers such as 44197,0 \(days since 1899-12-30.*format the column as a date/,
    );
  });

  it("is not said of five-digit ids, which are not named as a date", () => {
    const proposal = proposeSource(
      table(
        ["case", "Data", "offence", "X", "Y"],
        rows((i) => String(40000 + i)),
      ),
      "serials",
    );
    const note = proposal.undecided.find((u) => u.startsWith("the time column"))!;
    expect(note).toMatch(/Data holds spreadsheet day numbers/);
    expect(note).not.toMatch(/case(, Data)? holds? spreadsheet/);
  });
});

describe("any UTM zone, given with --crs (q6: German and Norwegian registers write ETRS89 / UTM 32N and 33N)", () => {
  it("reads UTM northings as the meridian arc scaled by 0.9996 (WGS84/GRS80 tables: 5,540,847 m at 50°, 1,105,855 m at 10°)", () => {
    // On the zone's central meridian the easting is 500 km and the northing the scaled arc (plus 10,000 km south).
    expect(toWgs84("EPSG:25832", 500_000, 0.9996 * 5_540_847.04)).toEqual([expect.closeTo(9, 6), expect.closeTo(50, 5)]);
    expect(toWgs84("EPSG:32633", 500_000, 0.9996 * 5_540_847.04)).toEqual([expect.closeTo(15, 6), expect.closeTo(50, 5)]);
    expect(toWgs84("EPSG:32733", 500_000, 10_000_000 - 0.9996 * 1_105_854.83)).toEqual([expect.closeTo(15, 6), expect.closeTo(-10, 5)]);
    const [x, y] = fromWgs84("EPSG:25832", 6.9583, 50.9413); // Cologne
    expect(toWgs84("EPSG:25832", x, y)).toEqual([expect.closeTo(6.9583, 9), expect.closeTo(50.9413, 9)]);
  });

  it("is proposed as given where the points fall in its zone, and refused by name where they do not", () => {
    const rows = Array.from({ length: 300 }, (_, i) => {
      const [x, y] = fromWgs84("EPSG:25832", 6.9 + (i % 17) * 0.01, 50.9 + (i % 13) * 0.01);
      return [String(i), "2023-01-05T10:00:00", offences[i % 3]!, x.toFixed(1), y.toFixed(1)];
    });
    const proposal = proposeSource(table(["id", "occurred", "offence", "X", "Y"], rows), "nrw", { crs: "EPSG:25832" });
    expect(proposal.description.crs).toBe("EPSG:25832");
    expect(proposal.notes.crs).toMatch(
      /^EPSG:25832, as given with --crs: the points lie around 50\.\d+° N, 6\.\d+° E \(Europe\/Berlin\), within Europe near 9° E \(UTM zone 32N\)/,
    );
    // Without --crs the zone cannot be told from the values: the advice names the way to give it.
    expect(proposeSource(table(["id", "occurred", "offence", "X", "Y"], rows), "nrw").undecided.join("\n")).toMatch(/EPSG:25832 for western Germany/);
    expect(() => sourceDescriptionSchema.shape.crs.parse("EPSG:25840")).toThrow(/EPSG:258NN \(ETRS89, 28–38\)/);
    expect(sourceDescriptionSchema.shape.crs.parse("EPSG:32733")).toBe("EPSG:32733");
  });
});
