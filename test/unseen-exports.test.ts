/**
 * A crime analyst of a city the product has never seen, following the README: `describe` on the
 * unit's export, the few edits a user must make, then ingest. The exports are synthetic, in the
 * shapes of public portals (test/fixtures/unseen/README.md). What is checked is what went wrong
 * before: the delimiter of Socrata files (a quoted "(lat, lon)" on every row), the occurrence
 * column over the report date, a full timestamp over YEAR/MONTH columns, LAPD's clock column,
 * web-mercator X/Y beside WGS84 columns, placeholder points in the bounds, the code page of a Riga
 * export, its trailing ";" and the months of incidents around midnight and DST in each zone; Toronto's
 * hour column and a Z written after local clock times.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { placePoint } from "../etl/ingest/coordinates.ts";
import { describeFile } from "../etl/ingest/describe-file.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { TABLES } from "../etl/lake/tables.ts";
import { parseSourceDescription, type SourceDescription } from "../etl/ingest/source-description.ts";
import { projectRoot } from "./helpers/shared.ts";

const NOW = Date.UTC(2026, 0, 1);
const fixture = (name: string) => join(projectRoot, "test", "fixtures", "unseen", name);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "unseen-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Describes an export, checks the proposal is complete, and returns it as a description. */
async function described(name: string, edit: (d: Record<string, unknown>) => void = () => {}) {
  const result = await describeFile(fixture(name));
  expect(result.proposal.undecided).toEqual([]);
  const proposal = structuredClone(result.proposal.description) as Record<string, unknown>;
  edit(proposal);
  return { result, source: parseSourceDescription(proposal, name) };
}

/** Ingests into a lake of its own; the local month and time of each kept line. */
async function ingested(name: string, source: SourceDescription) {
  const lakeDir = join(dir, `lake-${source.id}`);
  const report = await ingestFile(fixture(name), { lakeDir, resolution: 8, timeZone: source.timezone, now: NOW, source });
  const rows = await withConnection(async (c) =>
    (
      await c.runAndReadAll(
        `SELECT source_line AS line, month, strftime(occurred_at AT TIME ZONE '${source.timezone}', '%Y-%m-%d %H:%M') AS local
         FROM read_parquet('${lakeDir}/incidents/*/*.parquet', hive_partitioning = true)`,
      )
    ).getRowObjectsJson(),
  );
  const byLine = new Map(rows.map((r) => [Number(r.line), { month: String(r.month), local: String(r.local) }]));
  return { report, byLine };
}

describe("Chicago (Socrata CSV)", () => {
  it("finds the delimiter despite the quoted (lat, lon) column, which is no locality, reads the 12-hour clock, and cuts months at local midnight", async () => {
    const { result, source } = await described("chicago-crimes.csv");
    expect(source).toMatchObject({ delimiter: ",", timezone: "America/Chicago", crs: "EPSG:4326" });
    expect(source.columns).toMatchObject({ id: "ID", x: "Longitude", y: "Latitude", offence: { column: "Primary Type" } });
    expect(source.columns.time).toEqual({ format: "pattern", column: "Date", pattern: "MM/dd/yyyy hh:mm:ss a" });
    // "Location" holds "(41.88, -87.80)": the incident's point as text, not a locality.
    expect(source.columns.locality).toBeUndefined();
    expect(source.categories["DECEPTIVE PRACTICE"]).toBe("fraud");
    expect(result.sample?.rows).toBe(1200);
    const { report, byLine } = await ingested("chicago-crimes.csv", source);
    expect(report.rows_read).toBe(1200);
    expect(report.rows_ingested + report.rows_quarantined).toBe(1200);
    expect(report.quarantine_reasons).toMatchObject({ nonexistent_local_time: 1, invalid_timestamp: 1 }); // 12 Mar 02:30; 2027
    expect(byLine.get(3)).toEqual({ month: "2023-11", local: "2023-11-05 01:30" });
    expect(byLine.get(4)).toEqual({ month: "2023-05", local: "2023-05-31 23:59" });
    expect(byLine.get(5)).toEqual({ month: "2023-06", local: "2023-06-01 00:00" });
  });
});

describe("LAPD", () => {
  it("takes DATE OCC over Date Rptd, with the clock of TIME OCC, and Crm Cd Desc as the offence", async () => {
    const { source } = await described("lapd-crime-data.csv");
    expect(source.columns.time).toEqual({ format: "pattern", column: "DATE OCC", pattern: "MM/dd/yyyy hh:mm:ss a", time_of_day: "TIME OCC" });
    expect(source.columns.offence).toEqual({ column: "Crm Cd Desc" });
    expect(source.categories["INTIMATE PARTNER - SIMPLE ASSAULT"]).toBe("domestic_violence");
    expect(source.categories["THEFT OF IDENTITY"]).toBe("fraud");
    expect(source.categories["BURGLARY FROM VEHICLE"]).toBe("vehicle_crime");
    const { report, byLine } = await ingested("lapd-crime-data.csv", source);
    expect(report.time_precision).toEqual({ minute: report.rows_ingested });
    expect(report.quarantine_reasons).toMatchObject({ nonexistent_local_time: 1 }); // 12 Mar 02:15
    expect(report.quarantine_reasons.invalid_coordinates).toBeGreaterThan(0); // the (0, 0) placeholders
    expect(byLine.get(3)).toEqual({ month: "2023-11", local: "2023-11-05 01:45" });
    expect(byLine.get(4)).toEqual({ month: "2023-01", local: "2023-01-31 23:55" });
    expect(byLine.get(5)).toEqual({ month: "2023-02", local: "2023-02-01 00:05" });
  });
});

describe("Boston", () => {
  it("reads OCCURRED_ON_DATE with its short offset rather than YEAR/MONTH, and keeps the (-1, -1) placeholders out of the bounds as invalid locations", async () => {
    const { source } = await described("boston-incidents.csv");
    expect(source.columns.time).toEqual({ format: "iso", column: "OCCURRED_ON_DATE" });
    const [west, south, east, north] = source.bounds;
    expect(west).toBeGreaterThan(-72);
    expect(east).toBeLessThan(-70);
    expect(south).toBeGreaterThan(42);
    expect(north).toBeLessThan(43);
    const { report, byLine } = await ingested("boston-incidents.csv", source);
    expect(report.time_precision).toEqual({ minute: report.rows_ingested });
    // (-1, -1) is a missing location, thousands of km away, not an incident outside the study area.
    expect(report.quarantine_reasons.invalid_coordinates).toBeGreaterThan(0);
    expect(report.quarantine_reasons.outside_study_area).toBeUndefined();
    expect(byLine.get(2)).toEqual({ month: "2023-03", local: "2023-03-12 01:30" });
    expect(byLine.get(3)).toEqual({ month: "2023-03", local: "2023-03-12 03:30" });
    expect(byLine.get(5)).toEqual({ month: "2023-04", local: "2023-04-30 23:45" });
    expect(byLine.get(6)).toEqual({ month: "2023-05", local: "2023-05-01 00:15" });
  });
});

describe("Montreal's placeholder point for a missing location (-163.965, 1.0, in the Pacific)", () => {
  const montreal = { crs: "EPSG:4326" as const, bounds: [-73.99, 45.39, -73.45, 45.72] as [number, number, number, number] };

  it("is an invalid location, not an incident outside the study area; a point near the bounds still is one", () => {
    const placeholder = placePoint("-163.965", "1.0", montreal);
    expect(placeholder).toMatchObject({ ok: false, code: "invalid_coordinates" });
    expect(!placeholder.ok && placeholder.reason).toMatch(
      /lat 1, lon -163\.965 lies [\d,]+ km beyond the source's bounds .*placeholder for a missing location/,
    );
    // Québec City, 230 km from the bounds: a real place, so the bounds may be what is wrong.
    expect(placePoint("-71.21", "46.81", montreal)).toMatchObject({ ok: false, code: "outside_study_area" });
  });

  it("is judged by its distance from the bounds in projected coordinates too (MTM zone 8's origin, far south of Montreal)", () => {
    const mtm8 = "+proj=tmerc +lat_0=0 +lon_0=-73.5 +k=0.9999 +x_0=304800 +y_0=0 +datum=NAD83 +units=m +no_defs";
    expect(placePoint("304800", "1000", { ...montreal, crs: mtm8 })).toMatchObject({
      ok: false,
      code: "invalid_coordinates",
      reason: expect.stringMatching(/\(\(304800, 1000\) in \+proj=tmerc.*\) lies [\d,]+ km beyond/),
    });
  });
});

describe("Toronto MCI", () => {
  it("takes the WGS84 columns over the web-mercator X/Y, OCC_DATE over REPORT_DATE at the hours of OCC_HOUR, and MCI_CATEGORY over LOCATION_TYPE", async () => {
    const { source } = await described("toronto-mci.csv");
    expect(source).toMatchObject({ crs: "EPSG:4326", timezone: "America/Toronto" });
    expect(source.columns).toMatchObject({ x: "LONG_WGS84", y: "LAT_WGS84", offence: { column: "MCI_CATEGORY" } });
    // OCC_HOUR holds whole hours (13 is 13:00, not the clock 00:13): read to the hour, beside its day.
    expect(source.columns.time).toEqual({ format: "date", column: "OCC_DATE", time_of_day: { column: "OCC_HOUR", format: "hour" } });
    expect(source.categories["Break and Enter"]).toBe("burglary");
    const { report, byLine } = await ingested("toronto-mci.csv", source);
    expect(report.time_precision).toEqual({ hour: report.rows_ingested });
    expect(byLine.get(2)).toEqual({ month: "2023-05", local: "2023-05-02 13:00" }); // OCC_DATE 2023-05-02, OCC_HOUR 13
    expect(byLine.get(4)).toEqual({ month: "2023-11", local: "2023-11-16 16:00" });
    // The hour reaches the lake's day counts (the evaluations' and briefing's time of day): an hour is a known time of day.
    const hours = await withConnection(async (c) =>
      (
        await c.runAndReadAll(
          `SELECT sum(incidents) FILTER (WHERE hour IS NOT NULL)::INTEGER AS timed, sum(incidents)::INTEGER AS n, sum(incidents) FILTER (WHERE hour = 13)::INTEGER AS at13
             FROM read_parquet('${join(dir, `lake-${source.id}`, TABLES.day_counts.folder)}/**/*.parquet')`,
        )
      ).getRowObjectsJson(),
    );
    expect(hours[0]).toMatchObject({ timed: report.rows_ingested, n: report.rows_ingested });
    expect(Number(hours[0]!.at13)).toBeGreaterThan(0);
  });
});

describe("San Francisco incident reports (local clock times written with a Z)", () => {
  it("checks the Z against Incident Time, reads the clock as local (offset: ignore), and cuts months at local midnight", async () => {
    const { result, source } = await described("sf-incident-reports.csv");
    expect(source.timezone).toBe("America/Los_Angeles");
    expect(source.columns.time).toEqual({ format: "iso", column: "Incident Datetime", offset: "ignore" });
    expect(result.proposal.notes.time).toMatch(/Incident Time agrees with the clock as written on 800 and with the UTC instant in America\/Los_Angeles on 0/);
    const { report, byLine } = await ingested("sf-incident-reports.csv", source);
    expect(report.rows_ingested + report.rows_quarantined).toBe(800);
    expect(report.quarantine_reasons).toMatchObject({ nonexistent_local_time: 1 }); // 12 Mar 02:30 local
    expect(report.time_precision).toEqual({ minute: report.rows_ingested });
    expect(byLine.get(3)).toEqual({ month: "2023-11", local: "2023-11-05 01:30" });
    // Read as UTC, 23:55 on 31 January would be 15:55 local and 00:05 on 1 February would fall in January.
    expect(byLine.get(4)).toEqual({ month: "2023-01", local: "2023-01-31 23:55" });
    expect(byLine.get(5)).toEqual({ month: "2023-02", local: "2023-02-01 00:05" });
  });
});

describe("Toronto MCI with its web-mercator X/Y only", () => {
  it("decides EPSG:3857 from eastings no transverse Mercator grid reaches, and places each point where its WGS84 columns say", async () => {
    const lines = (await readFile(fixture("toronto-mci.csv"), "utf8")).split("\r\n");
    // The WGS84 columns are the last two and hold no quoted text: cut them off, keep them to compare.
    const wgs84 = lines.map((l) => l.split(",").slice(-2).map(Number));
    const file = join(dir, "toronto-xy.csv");
    await writeFile(file, lines.map((l) => l.split(",").slice(0, -2).join(",")).join("\r\n"));
    const result = await describeFile(file);
    expect(result.proposal.undecided).toEqual([]);
    const source = parseSourceDescription(result.proposal.description, "toronto-xy");
    expect(source).toMatchObject({ crs: "EPSG:3857", timezone: "America/Toronto" });
    expect(source.columns).toMatchObject({ x: "X", y: "Y" });
    const lakeDir = join(dir, "lake-toronto-xy");
    const report = await ingestFile(file, { lakeDir, resolution: 8, timeZone: source.timezone, now: NOW, source });
    expect(report.quarantine_reasons.invalid_coordinates).toBeGreaterThan(0); // the withheld (0, 0)
    expect(report.quarantine_reasons.outside_study_area).toBeUndefined();
    const rows = await withConnection(async (c) =>
      (await c.runAndReadAll(`SELECT source_line AS line, lon, lat FROM read_parquet('${lakeDir}/incidents/*/*.parquet')`)).getRowObjectsJson(),
    );
    expect(rows.length).toBe(report.rows_ingested);
    for (const r of rows) {
      const [lon, lat] = wgs84[Number(r.line) - 1]!;
      expect(Math.abs(Number(r.lon) - lon!)).toBeLessThan(1e-6);
      expect(Math.abs(Number(r.lat) - lat!)).toBeLessThan(1e-6);
    }
  });
});

describe("Riga (Windows-1257, ';', decimal commas, a trailing ';')", () => {
  it("decodes Latvian letters, accepts the empty last column, and cuts months in Europe/Riga", async () => {
    const { source } = await described("riga-incidents.csv", (d) => {
      // describe names the Latvian offence column itself ("pārkāpums", an offence).
      expect(d.columns).toMatchObject({ offence: { column: "Pārkāpuma veids" } });
      // What the user writes: the id column, named in Latvian, and the offences' categories.
      const columns = d.columns as Record<string, unknown>;
      columns.id = "Notikuma Nr.";
      d.categories = {
        Zādzība: "theft",
        ZĀDZĪBA: "theft",
        Huligānisms: "public_order",
        "Transportlīdzekļa zādzība": "vehicle_crime",
        "Miesas bojājumi": "assault",
        "Narkotiku glabāšana": "drug_possession",
        Krāpšana: "fraud",
        "Mantas bojāšana": "criminal_damage",
      };
    });
    expect(source).toMatchObject({ encoding: "windows-1257", delimiter: ";", decimal: ",", timezone: "Europe/Riga" });
    expect(source.columns).toMatchObject({ x: "Garums", y: "Platums" });
    const { report, byLine } = await ingested("riga-incidents.csv", source);
    expect(report.rows_read).toBe(700);
    expect(report.quarantine_reasons).toEqual({ nonexistent_local_time: 1 }); // 26 Mar 03:30
    expect(report.warnings).toEqual({ ambiguous_local_time: 1 }); // 29 Oct 03:30, taken in summer time
    expect(byLine.get(3)).toEqual({ month: "2023-10", local: "2023-10-29 03:30" });
    expect(byLine.get(4)).toEqual({ month: "2023-03", local: "2023-03-31 23:50" });
    expect(byLine.get(5)).toEqual({ month: "2023-04", local: "2023-04-01 00:10" });
    expect(byLine.get(7)).toEqual({ month: "2023-12", local: "2023-12-31 23:59" });
  });
});

describe("a Polish export (Windows-1250, ';', decimal commas, dd.MM.yyyy with a Godzina column)", () => {
  it("decodes Polish letters, finds długość/szerokość and the clock, and reads every row", async () => {
    const offences = ["Kradzież", "Kradzież z włamaniem", "Kradzież samochodu", "Rozbój", "Uszkodzenie mienia", "Bójka lub pobicie", "Oszustwo"];
    const lines = ["Nr sprawy;Data zdarzenia;Godzina;Kwalifikacja;Dzielnica;Szerokość geograficzna;Długość geograficzna"];
    for (let i = 0; i < 40; i++) {
      const day = `${String(1 + (i % 28)).padStart(2, "0")}.${String(1 + (i % 12)).padStart(2, "0")}.2023`;
      const [lat, lon] = [(51.08 + (i % 9) * 0.007).toFixed(5), (16.98 + (i % 11) * 0.009).toFixed(5)].map((v) => v.replace(".", ","));
      lines.push(
        [
          `RSD-${1000 + i}/23`,
          day,
          `${String(i % 24).padStart(2, "0")}:${String((i * 7) % 60).padStart(2, "0")}`,
          offences[i % offences.length],
          "Śródmieście",
          lat,
          lon,
        ].join(";"),
      );
    }
    const file = join(dir, "wroclaw-zdarzenia.csv");
    await writeFile(file, iconv.encode(lines.join("\r\n") + "\r\n", "windows-1250"));
    const { proposal, sample } = await describeFile(file);
    expect(proposal.undecided).toEqual([]);
    expect(proposal.description).toMatchObject({ encoding: "windows-1250", delimiter: ";", decimal: ",", timezone: "Europe/Warsaw", crs: "EPSG:4326" });
    expect(proposal.description.columns).toMatchObject({
      time: { format: "pattern", column: "Data zdarzenia", pattern: "dd.MM.yyyy", time_of_day: "Godzina" },
      x: "Długość geograficzna",
      y: "Szerokość geograficzna",
      offence: { column: "Kwalifikacja" },
    });
    expect(proposal.description.categories).toMatchObject({ "Kradzież z włamaniem": "burglary", "Kradzież samochodu": "vehicle_crime", Rozbój: "robbery" });
    expect(sample).toMatchObject({ rows: 40, ingested: 40, quarantined: {} });
  });
});

describe("JSON exports (describe read CSV only before)", () => {
  it("Denver's ArcGIS GeoJSON: the point from the geometry, Unix-millisecond dates as format: epoch, null geometries quarantined, not lost", async () => {
    const { result, source } = await described("denver-offenses.geojson");
    expect(source).toMatchObject({ format: "geojson", timezone: "America/Denver", crs: "EPSG:4326" });
    expect(source.columns).toMatchObject({ id: "INCIDENT_ID", time: { format: "epoch", column: "FIRST_OCCURRENCE_DATE", unit: "ms" } });
    expect(source.columns.x).toBeUndefined();
    expect(source.categories["auto-theft"]).toBe("vehicle_crime");
    expect(result.sample?.rows).toBe(800);
    const { report, byLine } = await ingested("denver-offenses.geojson", source);
    expect(report.rows_read).toBe(800);
    expect(report.rows_ingested + report.rows_quarantined).toBe(800);
    expect(report.quarantine_reasons.invalid_timestamp).toBeUndefined();
    expect(report.quarantine_reasons.missing_coordinates).toBeGreaterThan(0); // the null geometries (unlocated features)
    expect(report.quarantine_reasons.malformed_record).toBeUndefined();
    expect(report.months).toHaveLength(12);
    // Feature 1's FIRST_OCCURRENCE_DATE is 1672925520000: 5 January 2023 13:32 UTC, 06:32 in Denver (MST).
    expect(byLine.get(1)).toEqual({ month: "2023-01", local: "2023-01-05 06:32" });
  });

  it("Seattle's JSON Lines: floating local times in America/Los_Angeles, months cut at local midnight", async () => {
    const { source } = await described("seattle-offenses.jsonl");
    expect(source).toMatchObject({ format: "jsonl", timezone: "America/Los_Angeles" });
    expect(source.columns).toMatchObject({
      id: "report_number",
      time: { format: "iso", column: "offense_start_datetime" },
      x: "longitude",
      y: "latitude",
      // Not crime_against_category, whose one value (PROPERTY) tells no offences apart.
      offence: { column: "offense_parent_group" },
    });
    const { report, byLine } = await ingested("seattle-offenses.jsonl", source);
    expect(report.rows_read).toBe(900);
    expect(report.quarantine_reasons).toMatchObject({ nonexistent_local_time: 1, repeated_id: 1 });
    expect(byLine.get(2)).toEqual({ month: "2023-11", local: "2023-11-05 01:30" });
    expect(byLine.get(3)).toEqual({ month: "2023-06", local: "2023-06-30 23:30" });
    expect(byLine.get(4)).toEqual({ month: "2023-07", local: "2023-07-01 00:30" });
  });
});
