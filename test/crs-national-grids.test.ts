/**
 * The national grids of Lithuania's neighbours and of European police exports (crs.ts), each checked
 * against a published point pair; PROJ strings for any other grid; and describe's proposal of a grid
 * from the values where only one reading fits.
 */
import proj4 from "proj4";
import { describe, expect, it } from "vitest";
import { fromWgs84, placePoint, toWgs84 } from "../etl/ingest/coordinates.ts";
import { crsProblem, definition, withinAreaOfUse } from "../etl/ingest/crs.ts";
import { proposeSource } from "../etl/ingest/propose-source.ts";
import { parseSourceDescription } from "../etl/ingest/source-description.ts";
import { sniffedCsv } from "./helpers/shared.ts";

const dms = (d: number, m: number, s: number) => d + m / 60 + s / 3600;
/** The grid's own geographic CRS (its ellipsoid and datum): projection-only examples are given in it. */
const ownGeographic = (crs: string) =>
  definition(crs)
    .replace(/\+proj=\S+/, "+proj=longlat")
    .replace(/ \+(lat_[012]|lon_0|k|x_0|y_0|units)=\S+/g, "");

describe("each national grid's definition reproduces a published point", () => {
  // WGS84 (lon, lat) → (easting, northing) as the EPSG registry's site (epsg.io) gives the centre of each grid's area, to the centimetre.
  const centres: [string, [number, number], [number, number]][] = [
    ["EPSG:2180", [19.145, 52.465], [509847.9, 511024.24]],
    ["EPSG:3059", [23.65, 56.88], [478669.96, 304082.69]],
    ["EPSG:3301", [24.285, 58.76], [516493.16, 6513417.97]],
    ["EPSG:2154", [0.26, 46.355], [489353.59, 6587552.2]],
    ["EPSG:27700", [-3.45, 55.365], [308188.48, 608846.16]],
    ["EPSG:31467", [9.855, 51.18], [3559859.45, 5672018.98]],
  ];
  it.each(centres)("%s", (crs, [lon, lat], [e, n]) => {
    const [x, y] = fromWgs84(crs, lon, lat);
    expect(Math.abs(x - e)).toBeLessThan(0.1);
    expect(Math.abs(y - n)).toBeLessThan(0.1);
    const [lon2, lat2] = toWgs84(crs, e, n);
    expect([Math.abs(lon2 - lon), Math.abs(lat2 - lat)].every((d) => d < 2e-6)).toBe(true);
  });

  it("L-EST97 and Lambert-93 put their published false origins where the national agencies say", () => {
    // Maa-amet: B0 = 57°31'03.19415" N, L0 = 24° E → x 6,375,000, y 500,000; IGN: 46°30' N, 3° E → 700,000, 6,600,000.
    const est = fromWgs84("EPSG:3301", 24, dms(57, 31, 3.19415));
    const fr = fromWgs84("EPSG:2154", 3, 46.5);
    expect([...est, ...fr].map((v) => Math.round(v * 1000) / 1000)).toEqual([500000, 6375000, 700000, 6600000]);
  });

  it("the British National Grid and RD New match EPSG Guidance Note 7-2's worked examples on their own datums", () => {
    // GN 7-2, Transverse Mercator: OSGB 1936 50°30' N, 0°30' E → E 577,274.99, N 69,740.49.
    const [e, n] = proj4(ownGeographic("EPSG:27700"), definition("EPSG:27700"), [0.5, 50.5]) as [number, number];
    expect([Math.abs(e - 577274.99), Math.abs(n - 69740.49)].every((d) => d < 0.01)).toBe(true);
    // GN 7-2, Oblique Stereographic: Amersfoort 53° N, 6° E → x 196,105.283, y 557,057.739.
    const [x, y] = proj4(ownGeographic("EPSG:28992"), definition("EPSG:28992"), [6, 53]) as [number, number];
    expect([Math.abs(x - 196105.283), Math.abs(y - 557057.739)].every((d) => d < 0.01)).toBe(true);
  });

  it("RD New's datum shift puts the Amersfoort tower, the grid's origin, within a metre of its ETRS89 position", () => {
    // RDNAPTRANS: RD (155,000, 463,000) is the Onze Lieve Vrouwetoren, ETRS89 52.15517440° N, 5.38720621° E.
    // Read with EPSG's rotations as written (coordinate frame, microradians), the point lands 150 m east.
    const [lon, lat] = toWgs84("EPSG:28992", 155000, 463000);
    expect(Math.abs(lat - 52.1551744) * 111_000).toBeLessThan(1);
    expect(Math.abs(lon - 5.38720621) * 68_000).toBeLessThan(1);
  });

  it("TM35FIN and SWEREF99 TM write the numbers of UTM 35N and 33N on ETRS89", () => {
    for (const [grid, utm, lon, lat] of [
      ["EPSG:3067", "EPSG:25835", 24.94, 60.17],
      ["EPSG:3006", "EPSG:25833", 18.07, 59.33],
    ] as const) {
      const [a, b] = [fromWgs84(grid, lon, lat), fromWgs84(utm, lon, lat)];
      expect(Math.hypot(a[0] - b[0], a[1] - b[1])).toBeLessThan(0.001);
    }
  });

  it("each grid's area of use is EPSG's: Vilnius is in LKS-94's, not in LKS-92's", () => {
    expect(withinAreaOfUse("EPSG:3346", 25.28, 54.69)).toBe(true);
    expect(withinAreaOfUse("EPSG:3059", 25.28, 54.69)).toBe(false);
    expect(withinAreaOfUse("EPSG:3059", 24.11, 56.95)).toBe(true);
  });
});

describe("a grid given as a PROJ string", () => {
  // Montreal's X/Y: NAD83 / MTM zone 8 (EPSG:32188).
  const mtm8 = "+proj=tmerc +lat_0=0 +lon_0=-73.5 +k=0.9999 +x_0=304800 +y_0=0 +datum=NAD83 +units=m +no_defs";
  const description = (crs: string) => ({
    id: "montreal",
    title: "Montreal",
    timezone: "America/Toronto",
    crs,
    bounds: [-74.0, 45.4, -73.4, 45.75],
    columns: { time: { column: "DATE", format: "date" }, x: "X", y: "Y", offence: { column: "CATEGORIE" } },
    categories: { Vol: "theft" },
  });
  const refusal = (crs: string) => {
    try {
      parseSourceDescription(description(crs), "montreal.yaml");
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error("expected a refusal");
  };

  it("is read: a point of Montreal in MTM zone 8 lands in Montreal", () => {
    expect(parseSourceDescription(description(mtm8), "montreal.yaml").crs).toBe(mtm8);
    const point = placePoint("299450.5", "5043120.0", { crs: mtm8, bounds: [-74.0, 45.4, -73.4, 45.75] });
    expect(point.ok && [point.lon.toFixed(2), point.lat.toFixed(2)]).toEqual(["-73.57", "45.53"]);
  });

  it("that proj4 cannot read is refused, saying so", () => {
    expect(refusal("+proj=nosuch +lon_0=3")).toContain('crs: proj4 cannot read the PROJ string "+proj=nosuch +lon_0=3"');
    expect(refusal("EPSG:32188")).toContain("crs: unknown CRS EPSG:32188: give one of EPSG:4326");
    expect(refusal("EPSG:32188")).toContain('or any other grid as a PROJ string ("+proj=lcc');
  });

  it("that gives no position (a missing parameter, a grid file the reader cannot load) is refused, saying why", () => {
    expect(refusal("+proj=lcc +lon_0=3")).toContain("gives no position for its own origin");
    expect(crsProblem("+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +nadgrids=OSTN15.gsb +units=m")).toContain(
      "names a grid file (+nadgrids)",
    );
  });

  it("whose points fall outside the source's bounds quarantines them with both readings", () => {
    // The same numbers read as MTM zone 7 (-70.5°) land 230 km east of the bounds.
    const zone7 = mtm8.replace("-73.5", "-70.5");
    const point = placePoint("299450.5", "5043120.0", { crs: zone7, bounds: [-74.0, 45.4, -73.4, 45.75] });
    expect(point).toMatchObject({ ok: false, code: "outside_study_area" });
    expect(!point.ok && point.reason).toMatch(/^\(299450.5, 5043120.0\) in \+proj=tmerc .* \(lat 45.5\d+, lon -70.5\d+\) is outside the source's bounds/);
  });
});

describe("describe proposes a national grid from the values", () => {
  /** A city's points around (lon, lat), written in `crs`. */
  const city = (crs: string, lon: number, lat: number) =>
    Array.from({ length: 120 }, (_, i) => {
      const [x, y] = fromWgs84(crs, lon + (((i * 37) % 101) / 100 - 0.5) * 0.1, lat + (((i * 61) % 103) / 102 - 0.5) * 0.06);
      return [String(i), "2024-03-01", "theft", x.toFixed(1), y.toFixed(1)];
    });
  const header = ["id", "date", "offence", "X", "Y"];

  it("where only one country's grid reads them in that country: Gauss-Krüger zone 4 for Munich", () => {
    const munich = proposeSource(sniffedCsv(header, city("EPSG:31468", 11.58, 48.14)), "munich");
    expect(munich.description).toMatchObject({ crs: "EPSG:31468", timezone: "Europe/Berlin" });
    expect(munich.undecided).toEqual([]);
  });

  it("calls it a guess, naming where the banded grids would put the points, when a UTM zone reads them too (LKS-94 in Vilnius)", () => {
    const vilnius = proposeSource(sniffedCsv(header, city("EPSG:3346", 25.28, 54.69)), "vilnius");
    expect(vilnius.description).toMatchObject({ crs: "EPSG:3346", timezone: "Europe/Vilnius" });
    expect(vilnius.notes.crs).toContain("a guess from the value ranges: the only national grid tried that puts X/Y on land within its area of use");
    expect(vilnius.notes.crs).toMatch(/as EPSG:32634 around 54\.\d\d° N, 22\.\d\d° E \(Europe\/Kaliningrad\)/);
  });

  it("never picks one where two grids read the values in different places (PUWG 1992 or LKS-92): both are named with where they put the points", () => {
    const riga = proposeSource(sniffedCsv(header, city("EPSG:3059", 24.11, 56.95)), "riga");
    expect(riga.description.crs).toBeUndefined();
    const [crs] = riga.undecided.filter((u) => u.startsWith("the CRS"));
    expect(crs).toContain("in different places — values alone cannot tell which");
    expect(crs).toMatch(/--crs EPSG:3059 puts the points around 56\.9\d° N, 24\.1\d° E \(Europe\/Riga\)/);
    expect(crs).toMatch(/--crs EPSG:2180 puts the points around 5\d\.\d\d° N, \d+\.\d\d° E \(Europe\/Warsaw\)/);
  });
});

describe("a grid whose X is its northing (LKS-92, PUWG 1992, Gauss-Krüger: EPSG's axis order)", () => {
  // Riga in LKS-92 as a Latvian export writes it: X the northing (~312,000), Y the easting (~506,000).
  const rows = Array.from({ length: 100 }, (_, i) => {
    const [e, n] = fromWgs84("EPSG:3059", 24.11 + (((i * 37) % 101) / 100 - 0.5) * 0.1, 56.95 + (((i * 61) % 103) / 102 - 0.5) * 0.05);
    return [String(i), "2024-03-01", "theft", n.toFixed(0), e.toFixed(0)];
  });
  const header = ["Nr", "Datums", "offence", "X", "Y"];

  it("is among the readings describe names, with X read as the northing", () => {
    const proposal = proposeSource(sniffedCsv(header, rows), "riga");
    const [crs] = proposal.undecided.filter((u) => u.startsWith("the CRS"));
    expect(crs).toMatch(/--crs EPSG:3059 puts the points around 56\.9\d° N, 24\.1\d° E \(Europe\/Riga\) \(X read as its northing, Y as its easting\)/);
  });

  it("given with --crs, is taken with the columns the right way round", () => {
    const proposal = proposeSource(sniffedCsv(header, rows), "riga", { crs: "EPSG:3059" });
    expect(proposal.undecided).toEqual([]);
    expect(proposal.description).toMatchObject({ crs: "EPSG:3059", timezone: "Europe/Riga", columns: { x: "Y", y: "X" } });
    expect(proposal.notes.crs).toContain("X holds the northing and Y the easting, in the grid's own axis order");
  });
});

describe("coordinates given as ranges (Estonia's police open data: Lest_X '6589000-6589499')", () => {
  const header = ["JuhtumId", "ToimKpv", "SyndmusLiik", "Lest_X", "Lest_Y"];
  const rows = Array.from({ length: 60 }, (_, i) => {
    const n = 6585000 + ((i * 7) % 10) * 500;
    const e = 540000 + ((i * 3) % 10) * 500;
    return [String(i), "2024-03-01", "VARAVASTANE", `${n}-${n + 499}`, `${e}-${e + 499}`];
  });

  it("are found by their grid-prefixed names and left undecided, saying why, instead of being proposed as degrees", () => {
    const proposal = proposeSource(sniffedCsv(header, rows), "tallinn");
    expect(proposal.description.crs).toBeUndefined();
    expect(proposal.undecided).toContainEqual(
      expect.stringMatching(/^the coordinates Lest_X\/Lest_Y: coordinates are ranges, not points .* a square of about 500 m/),
    );
  });

  it("nor are columns named as coordinates that hold no numbers proposed as degrees", () => {
    const text = rows.map((r) => [...r.slice(0, 3), "peidetud", "peidetud"]);
    const proposal = proposeSource(sniffedCsv(header, text), "tallinn");
    expect(proposal.description.crs).toBeUndefined();
    expect(proposal.undecided).toContainEqual(
      expect.stringContaining("the coordinates Lest_X/Lest_Y: they hold no numbers in the rows read (Lest_X 'peidetud'"),
    );
  });

  it("are quarantined at ingest with that reason, not as 'not decimal numbers'", () => {
    const point = placePoint("6589000-6589499", "541000-541499", { crs: "EPSG:3301", bounds: [24.5, 59.3, 25.0, 59.6] });
    expect(point).toMatchObject({ ok: false, code: "invalid_coordinates" });
    expect(!point.ok && point.reason).toContain("coordinates are ranges, not points (x '6589000-6589499', y '541000-541499')");
  });
});
