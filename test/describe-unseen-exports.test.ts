/**
 * `describe` on exports laid out as other police units write them (QA's unseen-city exports): a city
 * with its outlying towns, projected metres of a grid the product does not read, column names in
 * other languages and forms (small tables handed to proposeSource, as sniffTable gives them), Excel's sep= line.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isIdName, isLocalityName, isMunicipalityName, isXName, isYName, normalName } from "../etl/ingest/column-names.ts";
import { fromWgs84 } from "../etl/ingest/coordinates.ts";
import { proposeSource } from "../etl/ingest/propose-source.ts";
import { sniffTable } from "../etl/ingest/sniff-file.ts";
import { sourceYaml } from "../etl/ingest/source-yaml.ts";
import { sniffedCsv } from "./helpers/shared.ts";

const offences = ["theft", "burglary", "robbery"];
/** A point of a cluster around (lon, lat), spread over about ±`km` (deterministic). */
const near = (lon: number, lat: number, km: number, i: number): [number, number] => [
  lon + ((((i * 37) % 101) / 100 - 0.5) * km) / 55,
  lat + ((((i * 61) % 103) / 102 - 0.5) * km) / 111,
];

describe("the bounds of a city with its district", () => {
  // Šiauliai (85 % of the rows) and Kuršėnai, 20 km west (15 %): the quartiles lie in the city, so
  // 3 interquartile ranges fence the town out. Plus a (-1, -1) placeholder and a row with x and y swapped.
  const points = [
    ...Array.from({ length: 340 }, (_, i) => near(23.31, 55.93, 6, i)),
    ...Array.from({ length: 60 }, (_, i) => near(22.93, 56.0, 3, i)),
    [-1, -1] as [number, number],
    [55.93, 23.31] as [number, number],
  ];
  const rows = points.map(([lon, lat], i) => [String(i), "2023-01-05T10:00:00", offences[i % 3]!, lon.toFixed(6), lat.toFixed(6)]);
  const proposal = proposeSource(sniffedCsv(["id", "occurred", "offence", "lon", "lat"], rows), "siauliai");

  it("hold every point of the town, and leave out the placeholder and the swapped row", () => {
    const [west, south, east, north] = proposal.description.bounds!;
    expect(west).toBeLessThan(22.9);
    expect(east).toBeGreaterThan(23.36);
    expect([west > 22.5, south > 55.8, north < 56.2]).toEqual([true, true, true]);
    expect(proposal.notes.bounds).toContain("2 points more than 300 km from the median point");
    expect(proposal.description.timezone).toBe("Europe/Vilnius");
  });
});

describe("projected metres checked against each grid's area of use", () => {
  // British National Grid eastings/northings (Nottingham): LKS94 or a UTM zone reads them near the equator.
  const bng = Array.from({ length: 200 }, (_, i) => [String(i), "2022-01", offences[i % 3]!, String(452000 + i * 37), String(338000 + i * 41)]);
  const header = ["Crime ID", "Month", "Crime type", "Easting", "Northing"];

  it("refuses a --crs that puts the points outside the grid's area (BNG read as LKS94 lands in Africa)", () => {
    const proposal = proposeSource(sniffedCsv(header, bng), "nottingham", { crs: "EPSG:3346" });
    expect(proposal.description.crs).toBeUndefined();
    expect(proposal.description.timezone).toBeUndefined();
    expect(proposal.description.bounds).toBeUndefined();
    expect(proposal.undecided[0]).toMatch(/^the CRS of Easting\/Northing: read as EPSG:3346 .* outside Lithuania/);
    expect(proposal.undecided[0]).toContain("convert x/y to WGS84 longitude/latitude");
  });

  it("names where each fitting grid would put the points, and never LKS94 outside Lithuania", () => {
    const proposal = proposeSource(sniffedCsv(header, bng), "nottingham");
    expect(proposal.undecided[0]).toContain("--crs EPSG:32635 puts the points around 3.");
    expect(proposal.undecided[0]).not.toContain("--crs EPSG:3346");
    expect(proposal.undecided.join("\n")).not.toContain("no point could be placed");
  });

  it("says plainly that no supported grid fits metres that none reads on land in its area", () => {
    // A city's own grid with its origin north of it (negative northings): every supported grid puts it at sea or outside its area.
    const rows = Array.from({ length: 100 }, (_, i) => [String(i), "2022-01", "theft", String(19900000 + i * 20), String(-30000000 - i * 30)]);
    const proposal = proposeSource(sniffedCsv(["id", "Month", "offence", "x", "y"], rows), "local-grid");
    expect(proposal.description.crs).toBeUndefined();
    expect(proposal.undecided[0]).toContain("none of EPSG:3346 (LKS-94), EPSG:3059 (LKS-92 / Latvia TM), EPSG:3301 (L-EST97, Estonia)");
    expect(proposal.undecided[0]).toContain("EPSG:32635 (UTM 35N) puts them on land within the area where it is used");
  });

  it("keeps a --crs whose area holds the points (LKS94 in Lithuania)", () => {
    const rows = Array.from({ length: 100 }, (_, i) => {
      const [x, y] = fromWgs84("EPSG:3346", ...near(23.31, 55.93, 6, i));
      return [String(i), "2022-01", "theft", x.toFixed(2), y.toFixed(2)];
    });
    const proposal = proposeSource(sniffedCsv(["id", "Month", "offence", "X", "Y"], rows), "siauliai", { crs: "EPSG:3346" });
    expect(proposal.undecided).toEqual([]);
    expect(proposal.description).toMatchObject({ crs: "EPSG:3346", timezone: "Europe/Vilnius" });
  });
});

describe("column names in other languages and forms", () => {
  it("are compared without accents, case or punctuation", () => {
    expect(["Įvykio Nr.", "X koordinatė", "Längengrad", "Número de caso"].map(normalName)).toEqual([
      "ivykio_nr",
      "x_koordinate",
      "langengrad",
      "numero_de_caso",
    ]);
  });

  it("find the coordinates and the incident number", () => {
    for (const x of ["X koordinatė", "Längengrad", "X Coordinate", "este", "LONGITUDE", "Rechtswert"]) expect(isXName(x), x).toBe(true);
    for (const y of ["Y koordinatė", "Breitengrad", "Y Coordinate", "norte", "Latitud", "Hochwert"]) expect(isYName(y), y).toBe(true);
    for (const id of ["Įvykio Nr.", "Case Number", "Crime ID", "Vorgangsnummer", "Número de caso", "caso", "INCIDENT_KEY", "DR_NO", "CMPLNT_NUM", "Nr sprawy"])
      expect(isIdName(id), id).toBe(true);
    for (const other of ["Hausnummer", "Tatort", "Veika", "Adresas", "Month"]) expect(isIdName(other), other).toBe(false);
  });

  it("take a Lithuanian register's act (Veika) over its article (Straipsnis), and a German Delikt", () => {
    const lt = Array.from({ length: 30 }, (_, i) => [`ŠPK-${i}`, "2021-01-01", ["Vagystė", "Plėšimas"][i % 2]!, `BK ${178 + (i % 3)}`, "23.31", "55.93"]);
    const proposal = proposeSource(sniffedCsv(["Įvykio Nr.", "Įvykio data", "Veika", "Straipsnis", "Ilguma", "Platuma"], lt), "lt");
    expect(proposal.description.columns).toMatchObject({ id: "Įvykio Nr.", offence: { column: "Veika" } });
    const de = Array.from({ length: 30 }, (_, i) => [`V${i}`, "01.01.2019 19:50", ["Raub", "Taschendiebstahl"][i % 2]!, "-122.40", "37.78"]);
    const german = proposeSource(sniffedCsv(["Vorgangsnummer", "Tatzeit", "Delikt", "Längengrad", "Breitengrad"], de), "de");
    expect(german.description.columns).toMatchObject({ id: "Vorgangsnummer", offence: { column: "Delikt" }, x: "Längengrad", y: "Breitengrad" });
  });
});

describe("coordinate columns named with a prefix (q6)", () => {
  it("are found: Denver's GEO_LON/GEO_LAT in degrees are taken over its State Plane GEO_X/GEO_Y", () => {
    for (const x of ["GEO_LON", "gps_longitude", "WGS84_LON", "MapLongitude", "GPSLongitude"]) expect(isXName(x), x).toBe(true);
    for (const y of ["GEO_LAT", "gps_latitude", "WGS84_LAT", "MapLatitude", "GeoLat"]) expect(isYName(y), y).toBe(true);
    for (const other of ["GEOID", "geo_type", "latency", "Mapping", "Geology", "MapLayer"]) expect(isXName(other) || isYName(other), other).toBe(false);
    const header = ["incident_id", "FIRST_OCCURRENCE_DATE", "OFFENSE_CATEGORY_ID", "GEO_X", "GEO_Y", "GEO_LON", "GEO_LAT"];
    const rows = Array.from({ length: 40 }, (_, i) => {
      const [lon, lat] = near(-104.95, 39.74, 8, i);
      return [`${2023000000 + i}`, "1/5/2023 10:30:00 PM", offences[i % 3]!, `${3140000 + i * 97}`, `${1690000 + i * 89}`, lon.toFixed(7), lat.toFixed(7)];
    });
    const proposal = proposeSource(sniffedCsv(header, rows), "denver");
    expect(proposal.undecided).toEqual([]);
    expect(proposal.description).toMatchObject({ crs: "EPSG:4326", timezone: "America/Denver", columns: { x: "GEO_LON", y: "GEO_LAT" } });
  });
});

describe("Excel's sep= first line", () => {
  it("is taken for the delimiter, not the header, and the user is told to delete it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "describe-sep-"));
    try {
      const file = join(dir, "es_sep.csv");
      await writeFile(file, "sep=;\ncaso;fecha;delito;longitud;latitud\nC-1;2019-03-02;Hurto;-75,5601;6,2501\n");
      const table = await sniffTable(file);
      expect([table.delimiter, table.header]).toEqual([";", ["caso", "fecha", "delito", "longitud", "latitud"]]);
      expect(table.undecided).toEqual([
        'the first line "sep=;" is Excel\'s delimiter hint, not the header: delete that line from the file (ingest reads the first line as the header), then describe it again',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a quoted field with line breaks on every row (Dallas\'s Location1: address, city, "(lat, lon)")', () => {
  it("does not hide the delimiter: it is counted per record, not per line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "describe-multiline-"));
    try {
      const file = join(dir, "dallas.csv");
      const rows = Array.from({ length: 30 }, (_, i) => `${i}-2023,2023-01-05T00:00:00.000,23:30,BMV,"1500 MAIN ST\nDALLAS, TX 75201\n(32.78, -96.80)"`);
      await writeFile(file, ["Service Number ID,Date1 of Occurrence,Time1 of Occurrence,NIBRS Crime,Location1", ...rows].join("\n") + "\n");
      const table = await sniffTable(file);
      expect(table.delimiter).toBe(",");
      expect(table.undecided).toEqual([]);
      expect(table.rows[0]).toHaveLength(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("a spreadsheet's blank rows (;;;;)", () => {
  it("are left out of the sample as the ingest skips them: no id 'missing' for them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "describe-blank-"));
    try {
      const file = join(dir, "blank.csv");
      const rows = Array.from({ length: 300 }, (_, i) => `C-${i};2019-03-0${1 + (i % 9)};Hurto;-75,56${i % 10};6,25${i % 7}`);
      await writeFile(file, ["caso;fecha;delito;longitud;latitud", ...rows.slice(0, 150), ";;;;", ...rows.slice(150), ";;;;", ";;;;"].join("\n") + "\n");
      const table = await sniffTable(file);
      expect(table.rows).toHaveLength(300);
      expect(proposeSource(table, "blank").notes.id).not.toMatch(/have none/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the municipality column", () => {
  it("is proposed by its name in the languages of the exports, beside the locality", () => {
    for (const name of ["municipality", "Savivaldybė", "Gemeinde", "municipio", "Pašvaldība", "Local Authority", "Municipality Name"])
      expect(isMunicipalityName(name), name).toBe(true);
    for (const name of ["Gyvenvietė", "locality", "Ortsteil", "barrio", "BORO_NM", "AREA NAME", "Dzielnica"]) expect(isLocalityName(name), name).toBe(true);
    const header = ["Įvykio Nr.", "Įvykio data", "Veika", "Savivaldybė", "Gyvenvietė", "Platuma", "Ilguma"];
    const rows = Array.from({ length: 50 }, (_, i) => [`SIA-${i}`, "2020-01-01 00:38", "Vagystė", "Šiaulių m. sav.", "Šiauliai", "55.95", "23.28"]);
    const proposal = proposeSource(sniffedCsv(header, rows), "lt");
    expect(proposal.description.columns.municipality).toEqual({ column: "Savivaldybė" });
    expect(proposal.description.columns.locality).toEqual({ column: "Gyvenvietė" });
    expect(sourceYaml(proposal, "lt.csv")).toContain("\n  municipality: { column: Savivaldybė }\n");
  });
});

describe("an id column some rows leave empty", () => {
  it("is proposed, saying how many rows have no id (police.uk's anti-social behaviour rows)", () => {
    const rows = Array.from({ length: 100 }, (_, i) => [i % 10 === 0 ? "" : `c${i}`, "2022-01", "Burglary", "-1.19", "53.01"]);
    const { description, notes, undecided } = proposeSource(sniffedCsv(["Crime ID", "Month", "Crime type", "Longitude", "Latitude"], rows), "uk");
    expect(description.columns.id).toBe("Crime ID");
    // Setting a tenth of the rows aside is the user's decision, not a default describe takes alone.
    expect(undecided.join("\n")).toMatch(
      /the id column Crime ID: 10 of 100 rows of the sample \(10 %\) have none and would be quarantined as missing_value; keep columns\.id if/,
    );
    expect(notes.id).toMatch(
      /^incident numbers; 10 of 100 rows of the sample \(10 %\) have none and are quarantined as missing_value \(leave columns\.id out to keep them/,
    );
    const one = Array.from({ length: 400 }, (_, i) => [i === 0 ? "" : `c${i}`, "2022-01", "Burglary", "-1.19", "53.01"]);
    const few = proposeSource(sniffedCsv(["Crime ID", "Month", "Crime type", "Longitude", "Latitude"], one), "uk");
    expect(few.notes.id).toMatch(/; 1 of 400 rows of the sample \(under 1 %\) have none/);
    expect(few.undecided.join("\n")).not.toMatch(/the id column/);
  });
});

describe("the offence column (q6: names alone took the wrong one, or none)", () => {
  const cycle = <T>(values: readonly T[], i: number) => values[i % values.length]!;
  it("is not a column named as a category that names no offences (Seattle's Crime Against Category, Mexico City's categoria_delito)", () => {
    const seattle = Array.from({ length: 60 }, (_, i) => [
      `2023-${i}`,
      "01/05/2023 10:30:00 PM",
      cycle(["PROPERTY", "PERSON", "SOCIETY"], i),
      cycle(["LARCENY-THEFT", "ASSAULT OFFENSES", "ROBBERY", "DRUG/NARCOTIC OFFENSES"], i),
      "-122.33",
      "47.61",
    ]);
    const header = ["Report Number", "Offense Start DateTime", "Crime Against Category", "Offense Parent Group", "Longitude", "Latitude"];
    expect(proposeSource(sniffedCsv(header, seattle), "seattle").description.columns.offence).toEqual({ column: "Offense Parent Group" });
    const cdmx = Array.from({ length: 60 }, (_, i) => [
      "2023-01-05",
      cycle(["VIOLENCIA FAMILIAR", "ROBO A TRANSEUNTE EN VIA PUBLICA CON VIOLENCIA", "FRAUDE", "HOMICIDIO DOLOSO", "AMENAZAS"], i),
      cycle(
        [
          "DELITO DE BAJO IMPACTO",
          "ROBO A TRANSEUNTE EN VÍA PÚBLICA CON Y SIN VIOLENCIA",
          "DELITO DE BAJO IMPACTO",
          "HOMICIDIO DOLOSO",
          "DELITO DE BAJO IMPACTO",
        ],
        i,
      ),
      "19.43",
      "-99.13",
    ]);
    const mx = proposeSource(sniffedCsv(["fecha_hecho", "delito", "categoria_delito", "latitud", "longitud"], cdmx), "cdmx");
    expect(mx.description.columns.offence).toEqual({ column: "delito" });
    expect(mx.description.categories).toMatchObject({ FRAUDE: "fraud", "HOMICIDIO DOLOSO": "homicide" });
  });

  it("is found by its values where its name says nothing (Philadelphia's text_general_code, Buenos Aires' tipo), but not from a column of places", () => {
    const philly = Array.from({ length: 60 }, (_, i) => [
      `2023${i}`,
      "2023-01-05 22:30:00",
      cycle(["4200 BLOCK W GIRARD AVE", "600 BLOCK MARKET ST"], i),
      cycle(["Thefts", "Burglary Residential", "Aggravated Assault No Firearm", "Fraud", "DRIVING UNDER THE INFLUENCE"], i),
      "-75.16",
      "39.95",
    ]);
    const header = ["dc_key", "dispatch_date_time", "location_block", "text_general_code", "point_x", "point_y"];
    const { description } = proposeSource(sniffedCsv(header, philly), "philadelphia");
    expect(description.columns.offence).toEqual({ column: "text_general_code" });
    expect(description.categories).toMatchObject({ Thefts: "theft", "Burglary Residential": "burglary", "DRIVING UNDER THE INFLUENCE": "other" });
    const ba = Array.from({ length: 60 }, (_, i) => [
      `HC-${i}`,
      "2023-01-05",
      cycle(["Robo", "Hurto", "Lesiones", "Amenazas"], i),
      "Palermo",
      "-34.58",
      "-58.42",
    ]);
    expect(proposeSource(sniffedCsv(["id-mapa", "fecha", "tipo", "barrio", "latitud", "longitud"], ba), "buenos-aires").description.columns.offence).toEqual({
      column: "tipo",
    });
    // Places only: the offence is still the file name's, as before.
    const places = Array.from({ length: 60 }, (_, i) => [`${i}`, "2023-01-05", cycle(["STREET", "RESIDENCE", "APARTMENT"], i), "-75.16", "39.95"]);
    expect(proposeSource(sniffedCsv(["id", "date", "premise", "lon", "lat"], places), "burglary").description.columns.offence).toEqual({
      constant: "burglary",
    });
  });
});
