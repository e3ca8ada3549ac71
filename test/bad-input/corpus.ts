/**
 * The bad-input corpus: every way an incident export goes wrong that we have met or can foresee,
 * each with what ingest must do — refuse the file with a specific error, or keep the valid rows and
 * quarantine the others with a specific reason. `make-corpus.ts` writes the small files to
 * test/bad-input/files/ (committed); the two large ones are built at test time.
 */
import { gzipSync } from "node:zlib";
import iconv from "iconv-lite";
import type { SourceDescription } from "../../etl/ingest/source-description.ts";

export const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";

/** A valid canonical row; `over` replaces fields by name. */
export function row(id: string, over: Partial<Record<string, string>> = {}): string {
  const base: Record<string, string> = {
    id,
    occurred_at: "2019-06-14T21:35:00+03:00",
    offence_code: "BK 178",
    offence_category: "theft",
    case_type: "pre_trial_investigation",
    lat: "55.933500",
    lon: "23.314200",
    municipality: "Šiaulių m. sav.",
    locality: "Šiauliai",
    source: "siauliai-demo",
  };
  return HEADER.split(",")
    .map((k) => over[k] ?? base[k]!)
    .join(",");
}

/** A row's place in Kuršėnai (Šiaulių r. sav.), with Lithuanian letters, inside its municipality. */
const KURSENAI = { locality: "Kuršėnai", municipality: "Šiaulių r. sav.", lat: "56.0041", lon: "22.9309" };

const csv = (...lines: string[]) => Buffer.from(`${lines.join("\n")}\n`);
/** Two valid rows around one bad one: the valid ones must survive. */
const sandwich = (bad: string) => csv(HEADER, row("ok-1"), bad, row("ok-2"));

export type Expectation = { error: RegExp } | { ingested: number; quarantined?: Record<string, number>; reason?: RegExp; warnings?: Record<string, number> };

export interface BadInput {
  file: string;
  what: string;
  bytes: () => Buffer;
  expect: Expectation;
  /** Changes to the canonical source description for this file. */
  source?: (canonical: SourceDescription) => SourceDescription;
  /** Built at test time rather than committed (too large for the repository). */
  large?: boolean;
}

const q = (code: string, reason: RegExp, ingested = 2): Expectation => ({ ingested, quarantined: { [code]: 1 }, reason });

export const CORPUS: BadInput[] = [
  { file: "empty.csv", what: "empty file", bytes: () => Buffer.alloc(0), expect: { error: /is empty \(0 bytes\)/ } },
  { file: "whitespace-only.csv", what: "only blank lines", bytes: () => Buffer.from("\n \n\n"), expect: { error: /no header row/ } },
  { file: "header-only.csv", what: "header, no rows", bytes: () => csv(HEADER), expect: { error: /header but no data rows; the lake was not changed/ } },
  {
    file: "missing-column.csv",
    what: "a required column missing",
    bytes: () => csv(HEADER.replace(",lat", ""), "x"),
    expect: { error: /missing required column\(s\) lat/ },
  },
  {
    file: "duplicate-header.csv",
    what: "a column named twice",
    bytes: () => csv(`${HEADER},lat`, `${row("a")},55.9`),
    expect: { error: /column 'lat' appears twice in the header/ },
  },
  {
    file: "wrong-delimiter.csv",
    what: "semicolons where commas are described",
    bytes: () => csv(HEADER.replaceAll(",", ";"), row("a").replaceAll(",", ";")),
    expect: { error: /the header is one field split by ";", not by the described delimiter ",": write delimiter: ";" in the source description/ },
  },
  {
    file: "semicolon.csv",
    what: "semicolons, described",
    bytes: () => csv(HEADER.replaceAll(",", ";"), row("a").replaceAll(",", ";")),
    source: (d) => ({ ...d, delimiter: ";" }),
    expect: { ingested: 1 },
  },
  {
    file: "tab.tsv",
    what: "tabs, described",
    bytes: () => csv(HEADER.replaceAll(",", "\t"), row("a").replaceAll(",", "\t")),
    source: (d) => ({ ...d, delimiter: "\t" }),
    expect: { ingested: 1 },
  },
  {
    file: "html-error-page.csv",
    what: "an HTML error page saved as CSV",
    bytes: () => Buffer.from("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>\n"),
    expect: { error: /missing required column/ },
  },
  {
    file: "truncated-last-line.csv",
    what: "download cut mid-row",
    bytes: () => Buffer.from(`${HEADER}\n${row("ok-1")}\n${row("ok-2")}\n${row("cut").slice(0, 30)}`),
    expect: q("malformed_record", /the row has \d+ fields where the header has 10/),
  },
  {
    file: "extra-field.csv",
    what: "a stray delimiter",
    bytes: () => sandwich(`${row("x")},extra`),
    expect: q("malformed_record", /11 fields where the header has 10/),
  },
  {
    file: "unbalanced-quote.csv",
    what: "a quote never closed",
    bytes: () => csv(HEADER, row("ok-1"), row("ok-2"), row("bad", { locality: '"Šiau' })),
    expect: q("malformed_record", /quote|longer than/),
  },
  // A broken quote costs its own line only: records are split by lines and balanced quotes before
  // they are parsed, so the row after it is read as usual (csv-parse alone would read on to the next quote).
  {
    file: "quote-mid-field.csv",
    what: "a quote closing mid-field",
    bytes: () => sandwich(row("bad", { locality: '"Šiau"liai' })),
    expect: q("malformed_record", /quote closes in the middle of a field/),
  },
  // Issue 21: b's quote, closed in c's locality, would read b and c as one record of the right width.
  {
    file: "quote-swallows-row.csv",
    what: "a quote opened in one row and closed in the next",
    bytes: () => csv(HEADER, row("a"), row("b", { locality: '"Šiau' }), row("c", { locality: 'liai"' }), row("d")),
    expect: { ingested: 2, quarantined: { malformed_record: 2 }, reason: /line 4 reads as a row of its own/ },
  },
  {
    file: "bare-cr.csv",
    what: "a bare carriage return between two rows (a line end)",
    bytes: () => Buffer.from(`${HEADER}\n${row("a")}\r${row("b")}\n${row("c")}\n`),
    expect: { ingested: 3 },
  },
  {
    file: "mac-line-ends.csv",
    what: "old Mac line ends (bare CR only)",
    bytes: () => Buffer.from(`${HEADER}\r${row("a")}\r${row("b")}\r`),
    expect: { ingested: 2 },
  },
  {
    file: "quoted-newline.csv",
    what: "a newline inside a quoted field (valid)",
    bytes: () => csv(HEADER, row("a", { locality: '"Šiauliai\ncentras"' })),
    expect: { ingested: 1 },
  },
  { file: "crlf.csv", what: "Windows line endings (valid)", bytes: () => Buffer.from(`${HEADER}\r\n${row("a")}\r\n${row("b")}\r\n`), expect: { ingested: 2 } },
  { file: "blank-lines.csv", what: "blank lines between rows (valid)", bytes: () => csv(HEADER, "", row("a"), "", "", row("b")), expect: { ingested: 2 } },
  {
    file: "utf8-bom.csv",
    what: "UTF-8 with a byte-order mark (valid)",
    bytes: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv(HEADER, row("a"))]),
    expect: { ingested: 1 },
  },
  {
    file: "invalid-utf8.csv",
    what: "bytes that are not UTF-8",
    bytes: () =>
      Buffer.concat([
        csv(HEADER, row("ok-1")),
        Buffer.from(`${row("bad", { locality: "X" }).replace("X", "")}`),
        Buffer.from([0xff, 0xfe, 0x0a]),
        csv(row("ok-2")),
      ]),
    expect: q("invalid_encoding", /not valid UTF-8.*windows-1257/),
  },
  {
    file: "windows-1257-as-utf8.csv",
    what: "a Windows-1257 export described as UTF-8",
    bytes: () => iconv.encode(`${HEADER}\n${row("a", KURSENAI)}\n`, "windows-1257"),
    expect: { ingested: 0, quarantined: { invalid_encoding: 1 }, reason: /windows-1257/ },
  },
  {
    file: "windows-1257.csv",
    what: "a Windows-1257 export, described",
    bytes: () => iconv.encode(`${HEADER}\n${row("a", KURSENAI)}\n`, "windows-1257"),
    source: (d) => ({ ...d, encoding: "windows-1257" }),
    expect: { ingested: 1 },
  },
  { file: "gzip-named-csv.csv", what: "gzip data under a .csv name", bytes: () => gzipSync(csv(HEADER, row("a"), row("b"))), expect: { ingested: 2 } },
  {
    file: "zip-archive.csv",
    what: "a ZIP archive (Excel workbook) named .csv",
    bytes: () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(60)]),
    expect: { error: /ZIP archive \(an Excel workbook\?\)/ },
  },
  {
    file: "binary-garbage.csv",
    what: "random binary bytes",
    bytes: () => Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919 + 13) % 256)),
    expect: { error: /missing required column|no header|header \(line \d+\) is not readable CSV/ },
  },
  {
    file: "zero-zero.csv",
    what: "(0, 0) placeholder coordinates",
    bytes: () => sandwich(row("x", { lat: "0", lon: "0" })),
    expect: q("invalid_coordinates", /\(0, 0\) is a missing-location placeholder/),
  },
  {
    file: "swapped-lat-lon.csv",
    what: "latitude and longitude swapped",
    bytes: () => sandwich(row("x", { lat: "23.3142", lon: "55.9335" })),
    expect: q("swapped_coordinates", /latitude and longitude swapped/),
  },
  {
    file: "far-outside.csv",
    what: "a point in Vilnius, far outside the study area",
    bytes: () => sandwich(row("x", { lat: "54.6872", lon: "25.2797" })),
    expect: q("outside_study_area", /outside the source's bounds/),
  },
  {
    file: "latitude-95.csv",
    what: "latitude beyond the pole",
    bytes: () => sandwich(row("x", { lat: "95.1" })),
    expect: q("invalid_coordinates", /not a valid position/),
  },
  {
    file: "nan-coordinates.csv",
    what: "NaN coordinates",
    bytes: () => sandwich(row("x", { lat: "NaN", lon: "NaN" })),
    expect: q("missing_coordinates", /coordinates are missing/),
  },
  {
    file: "empty-coordinates.csv",
    what: "empty coordinates",
    bytes: () => sandwich(row("x", { lat: "", lon: "" })),
    expect: q("missing_coordinates", /coordinates are missing/),
  },
  {
    file: "decimal-comma.csv",
    what: "decimal commas in quoted coordinates",
    bytes: () => sandwich(row("x", { lat: '"55,9335"', lon: '"23,3142"' })),
    expect: q("invalid_coordinates", /not decimal numbers/),
  },
  {
    file: "lks94-described.csv",
    what: "LKS-94 grid coordinates, described",
    bytes: () => csv(HEADER, row("a", { lon: "457116.85", lat: "6200287.20" })),
    source: (d) => ({ ...d, crs: "EPSG:3346" }),
    expect: { ingested: 1 },
  },
  {
    file: "lks94-as-wgs84.csv",
    what: "LKS-94 metres under a WGS84 description",
    bytes: () => sandwich(row("x", { lon: "457116.85", lat: "6200287.20" })),
    expect: q("invalid_coordinates", /not a valid position in EPSG:4326/),
  },
  {
    file: "future-date.csv",
    what: "a date in the future",
    bytes: () => sandwich(row("x", { occurred_at: "2099-01-01T10:00:00+02:00" })),
    expect: q("invalid_timestamp", /in the future/),
  },
  {
    file: "before-1990.csv",
    what: "a mis-keyed year",
    bytes: () => sandwich(row("x", { occurred_at: "1019-06-14T21:35:00+03:00" })),
    expect: q("invalid_timestamp", /before 1990/),
  },
  {
    file: "february-30.csv",
    what: "30 February",
    bytes: () => sandwich(row("x", { occurred_at: "2019-02-30T12:00:00+02:00" })),
    expect: q("invalid_timestamp", /not a real date-time/),
  },
  {
    file: "not-a-date.csv",
    what: "free text as a date",
    bytes: () => sandwich(row("x", { occurred_at: "yesterday evening" })),
    expect: q("invalid_timestamp", /not an ISO 8601 date-time/),
  },
  {
    file: "offset-25h.csv",
    what: "an impossible UTC offset",
    bytes: () => sandwich(row("x", { occurred_at: "2019-06-14T21:35:00+25:00" })),
    expect: q("invalid_timestamp", /UTC offset outside/),
  },
  // Issue 18: months would be cut in the lake's zone, not the source's; refused before anything is written.
  {
    file: "other-time-zone.csv",
    what: "a source in another time zone than the lake's",
    bytes: () => csv(HEADER, row("a")),
    source: (d) => ({ ...d, timezone: "America/New_York" }),
    expect: {
      error: /is in time zone America\/New_York, but this lake's months are cut in Europe\/Vilnius: ingest it into a lake of its own \(another --lake/,
    },
  },
  {
    file: "dst-gap.csv",
    what: "a local time in the spring DST gap",
    bytes: () => sandwich(row("x", { occurred_at: "2019-03-31T03:30:00" })),
    expect: q("nonexistent_local_time", /does not exist in Europe\/Vilnius/),
  },
  {
    file: "dst-overlap.csv",
    what: "a local time that happens twice in autumn (kept, flagged)",
    bytes: () => sandwich(row("x", { occurred_at: "2019-10-27T03:30:00" })),
    expect: { ingested: 3, warnings: { ambiguous_local_time: 1 } },
  },
  {
    file: "duplicate-ids.csv",
    what: "an id used twice for different rows",
    bytes: () => sandwich(row("ok-1", { locality: "Kuršėnai", lat: "56.0041", lon: "22.9309", municipality: "Šiaulių r. sav." })),
    expect: q("repeated_id", /already taken from line 2/),
  },
  { file: "exact-duplicate-rows.csv", what: "the same row twice", bytes: () => sandwich(row("ok-1")), expect: q("exact_duplicate", /identical to line 2/) },
  { file: "empty-id.csv", what: "an empty id", bytes: () => sandwich(row("")), expect: q("missing_value", /the id\) is empty/) },
  {
    file: "unknown-category.csv",
    what: "an offence with no category mapping",
    bytes: () => sandwich(row("x", { offence_category: "arson" })),
    expect: q("unmapped_offence", /'arson' has no category/),
  },
  // Issue 21: plain-object lookups answered these from Object.prototype and stopped the whole file.
  {
    file: "prototype-category.csv",
    what: "offence categories named constructor and toString",
    bytes: () => csv(HEADER, row("ok-1"), row("x", { offence_category: "constructor" }), row("y", { offence_category: "toString" }), row("ok-2")),
    expect: { ingested: 2, quarantined: { unmapped_offence: 2 }, reason: /'constructor' has no category/ },
  },
  {
    file: "prototype-case-type.csv",
    what: "a case type named __proto__",
    bytes: () => sandwich(row("x", { case_type: "__proto__" })),
    expect: q("unknown_case_type", /'__proto__'/),
  },
  {
    file: "prototype-columns.csv",
    what: "header columns named __proto__ and constructor, ids named hasOwnProperty",
    bytes: () => csv(`${HEADER},__proto__,constructor`, `${row("hasOwnProperty", { locality: "valueOf" })},a,b`),
    expect: { ingested: 1 },
  },
  {
    file: "unknown-case-type.csv",
    what: "an unknown case type",
    bytes: () => sandwich(row("x", { case_type: "investigation" })),
    expect: q("unknown_case_type", /'investigation'/),
  },
  {
    file: "formula-injection.csv",
    what: "a spreadsheet formula in a text field",
    bytes: () => sandwich(row("x", { locality: '"=HYPERLINK(""http://evil.example"",""click"")"' })),
    expect: q("formula_text", /starts like a spreadsheet formula/),
  },
  {
    file: "formula-minus.csv",
    what: "a formula after a minus and a digit (issue 21: passed the old guard)",
    bytes: () => sandwich(row("x", { locality: "-2+3+cmd|' /C calc'!A0" })),
    expect: q("formula_text", /starts like a spreadsheet formula/),
  },
  { file: "formula-at.csv", what: "an @-formula in the id", bytes: () => sandwich(row("@SUM(1+1)")), expect: q("formula_text", /spreadsheet formula/) },
  {
    file: "broken-line.jsonl",
    what: "JSON Lines with a broken line",
    bytes: () => jsonl([{ ...obj("a") }, "{not json", { ...obj("b") }]),
    source: (d) => ({ ...d, format: "jsonl" }),
    expect: q("malformed_record", /not valid JSON/),
  },
  {
    file: "array-line.jsonl",
    what: "JSON Lines with an array for a record",
    bytes: () => jsonl([obj("a"), [1, 2], obj("b")]),
    source: (d) => ({ ...d, format: "jsonl" }),
    expect: q("malformed_record", /not a JSON object/),
  },
  {
    file: "linestring.geojson",
    what: "GeoJSON with a line among points",
    bytes: () =>
      geojson([
        point("a"),
        {
          type: "Feature",
          properties: obj("x"),
          geometry: {
            type: "LineString",
            coordinates: [
              [23.3, 55.9],
              [23.4, 55.95],
            ],
          },
        },
        point("b"),
      ]),
    source: geoSource,
    expect: q("malformed_record", /geometry LineString; a Point is needed/),
  },
  {
    file: "not-a-collection.geojson",
    what: "GeoJSON that is one feature, not a collection",
    bytes: () => Buffer.from(JSON.stringify(point("a"))),
    source: geoSource,
    expect: { error: /not a GeoJSON FeatureCollection/ },
  },
  {
    file: "ten-megabyte-field.csv",
    what: "a 10 MB field",
    large: true,
    bytes: () => csv(HEADER, row("ok-1"), row("big", { locality: "x".repeat(10_000_000) }), row("ok-2")),
    expect: q("malformed_record", /longer than 1000000 characters/),
  },
  {
    file: "million-columns.csv",
    what: "a line with a million columns",
    large: true,
    bytes: () => csv(HEADER, row("ok-1"), ",".repeat(1_000_000), row("ok-2")),
    expect: q("malformed_record", /longer than 1000000 characters/),
  },
];

function obj(id: string): Record<string, string> {
  const fields = row(id).split(",");
  return Object.fromEntries(HEADER.split(",").map((k, i) => [k, fields[i]!]));
}
function jsonl(lines: unknown[]): Buffer {
  return Buffer.from(lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
}
function point(id: string) {
  return { type: "Feature", properties: obj(id), geometry: { type: "Point", coordinates: [23.3142, 55.9335] } };
}
function geojson(features: unknown[]): Buffer {
  return Buffer.from(JSON.stringify({ type: "FeatureCollection", features }));
}
/** GeoJSON: coordinates come from the point geometry, so no x/y columns. */
function geoSource(d: SourceDescription): SourceDescription {
  const { x: _x, y: _y, ...columns } = d.columns;
  return { ...d, format: "geojson", columns };
}
