/**
 * The bad-input corpus: every way an incident export goes wrong that we have met or can foresee,
 * each with what ingest must do — refuse the file with a specific error, or keep the valid rows and
 * quarantine the others with a specific reason. `make-corpus.ts` writes the small files to
 * test/bad-input/files/ (committed); the two large ones are built at test time.
 */
import { gzipSync } from "node:zlib";
import iconv from "iconv-lite";
import { parseSourceDescription, type SourceDescription } from "../../etl/ingest/source-description.ts";

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

/**
 * What ingest must do with a case: refuse the file (`error`; the lake is left exactly as it was), or
 * account for every row. `rows` is the file's data rows counted by hand from how the case is built
 * (independently of any reader): the test checks rows read = rows = ingested + quarantined, with the
 * quarantine exactly as given. `lakeRows`: the rows the lake holds afterwards, every export together;
 * `check`: the report's municipality_check sentence.
 */
export type Expectation =
  | { error: RegExp }
  | {
      rows: number;
      ingested: number;
      quarantined?: Record<string, number>;
      reason?: RegExp;
      warnings?: Record<string, number>;
      lakeRows?: number;
      check?: RegExp;
    };

export interface BadInput {
  file: string;
  what: string;
  bytes: () => Buffer;
  expect: Expectation;
  /** Changes to the canonical source description for this file. */
  source?: (canonical: SourceDescription) => SourceDescription;
  /** Built at test time rather than committed (too large for the repository). */
  large?: boolean;
  /**
   * Files ingested into the case's lake first, from the case's own folder: an earlier version of this
   * file (no `name`: the same path), or another file (`name`). Their bytes default to the case's.
   */
  before?: Array<{ name?: string; bytes?: () => Buffer; replace?: boolean }>;
  /** The case's file is a symbolic link to this file of its folder (ingested in `before`). */
  symlinkTo?: string;
  /** The path given is a folder of this name, not a file (nothing committed). */
  folder?: boolean;
  /** The lake's time zone when not the source's. */
  timeZone?: string;
  /** Ingest with --replace. */
  replace?: boolean;
}

/** One row quarantined with `code` among `ingested` good ones (a sandwich: 2). */
const q = (code: string, reason: RegExp, ingested = 2): Expectation => ({ rows: ingested + 1, ingested, quarantined: { [code]: 1 }, reason });

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
    expect: { rows: 1, ingested: 1 },
  },
  {
    file: "tab.tsv",
    what: "tabs, described",
    bytes: () => csv(HEADER.replaceAll(",", "\t"), row("a").replaceAll(",", "\t")),
    source: (d) => ({ ...d, delimiter: "\t" }),
    expect: { rows: 1, ingested: 1 },
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
    expect: { rows: 4, ingested: 2, quarantined: { malformed_record: 2 }, reason: /line 4 reads as a row of its own/ },
  },
  {
    file: "bare-cr.csv",
    what: "a bare carriage return between two rows (a line end)",
    bytes: () => Buffer.from(`${HEADER}\n${row("a")}\r${row("b")}\n${row("c")}\n`),
    expect: { rows: 3, ingested: 3 },
  },
  {
    file: "mac-line-ends.csv",
    what: "old Mac line ends (bare CR only)",
    bytes: () => Buffer.from(`${HEADER}\r${row("a")}\r${row("b")}\r`),
    expect: { rows: 2, ingested: 2 },
  },
  {
    file: "quoted-newline.csv",
    what: "a newline inside a quoted field (valid)",
    bytes: () => csv(HEADER, row("a", { locality: '"Šiauliai\ncentras"' })),
    expect: { rows: 1, ingested: 1 },
  },
  {
    file: "crlf.csv",
    what: "Windows line endings (valid)",
    bytes: () => Buffer.from(`${HEADER}\r\n${row("a")}\r\n${row("b")}\r\n`),
    expect: { rows: 2, ingested: 2 },
  },
  {
    file: "blank-lines.csv",
    what: "blank lines between rows (valid)",
    bytes: () => csv(HEADER, "", row("a"), "", "", row("b")),
    expect: { rows: 2, ingested: 2 },
  },
  {
    file: "spreadsheet-blank-rows.csv",
    what: "a spreadsheet's blank rows saved as CSV, every field empty (skipped as blank lines)",
    bytes: () => csv(HEADER, row("a"), ",,,,,,,,,", row("b"), ",,,,,,,,,", ",,,,,,,,,"),
    expect: { rows: 2, ingested: 2 },
  },
  {
    file: "spreadsheet-blank-rows-crlf.csv",
    what: "blank spreadsheet rows with Windows line endings, quoted empties and fewer delimiters (the csv-parse path)",
    bytes: () => Buffer.from(`${HEADER}\r\n${row("a")}\r\n,,,,,,,,,\r\n"","",,,,,,,,\r\n${row("b")}\r\n , ,,\r\n`),
    expect: { rows: 2, ingested: 2 },
  },
  {
    file: "spreadsheet-row-id-only-empty.csv",
    what: "a row with its id empty but other fields filled is no blank row",
    bytes: () => csv(HEADER, row("a"), row("", { offence_code: "" }), row("b")),
    expect: q("missing_value", /\(the id\) is empty/),
  },
  {
    file: "utf8-bom.csv",
    what: "UTF-8 with a byte-order mark (valid)",
    bytes: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv(HEADER, row("a"))]),
    expect: { rows: 1, ingested: 1 },
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
    expect: { rows: 1, ingested: 0, quarantined: { invalid_encoding: 1 }, reason: /windows-1257/ },
  },
  {
    file: "windows-1257.csv",
    what: "a Windows-1257 export, described",
    bytes: () => iconv.encode(`${HEADER}\n${row("a", KURSENAI)}\n`, "windows-1257"),
    source: (d) => ({ ...d, encoding: "windows-1257" }),
    expect: { rows: 1, ingested: 1 },
  },
  { file: "gzip-named-csv.csv", what: "gzip data under a .csv name", bytes: () => gzipSync(csv(HEADER, row("a"), row("b"))), expect: { rows: 2, ingested: 2 } },
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
    expect: { rows: 1, ingested: 1 },
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
    expect: { rows: 3, ingested: 3, warnings: { ambiguous_local_time: 1 } },
  },
  {
    file: "duplicate-ids.csv",
    what: "an id used twice for different rows",
    bytes: () => sandwich(row("ok-1", { locality: "Kuršėnai", lat: "56.0041", lon: "22.9309", municipality: "Šiaulių r. sav." })),
    expect: q("repeated_id", /already taken from line 2/),
  },
  { file: "exact-duplicate-rows.csv", what: "the same row twice", bytes: () => sandwich(row("ok-1")), expect: q("exact_duplicate", /identical to line 2/) },
  {
    file: "empty-id.csv",
    what: "an empty id",
    bytes: () => sandwich(row("")),
    expect: q("missing_value", /the id\) is empty: a row without its id cannot be checked for repeats; fill it in the export/),
  },
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
    expect: { rows: 4, ingested: 2, quarantined: { unmapped_offence: 2 }, reason: /'constructor' has no category/ },
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
    expect: { rows: 1, ingested: 1 },
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

/** Places used below, as data/geo/lt-municipalities.topojson has them. */
const LATVIA = { lat: "56.45", lon: "23.7" }; // north of the border, inside the source's bounds
const KURSENAI_POINT = { lat: KURSENAI.lat, lon: KURSENAI.lon }; // Šiaulių r. sav.
const lines = (...parts: string[]) => Buffer.from(parts.join(""));
const u16le = (text: string) => Buffer.from(text, "utf16le");
const u16be = (text: string) => {
  const le = Buffer.from(text, "utf16le");
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
};
/** The canonical description with extra mapping-table entries (own properties, whatever their names). */
const withTables =
  (categories: Array<[string, string]>, caseTypes: Array<[string, string]> = []) =>
  (d: SourceDescription): SourceDescription => ({
    ...d,
    categories: Object.fromEntries([...Object.entries(d.categories), ...categories]) as SourceDescription["categories"],
    case_types: Object.fromEntries(caseTypes) as NonNullable<SourceDescription["case_types"]>,
  });
const twoMonths = () => csv(HEADER, row("m-1", { occurred_at: "2019-05-14T21:35:00+03:00" }), row("m-2"), row("m-3"));

// Issue 21, items 1, 2, 5, 7 and 8, and their neighbours.
const ISSUE_21: BadInput[] = [
  // Item 1: every physical line accounted for.
  {
    file: "quote-swallows-last-row.csv",
    what: "a quote opened in the next-to-last row and closed in the last",
    bytes: () => csv(HEADER, row("a"), row("b", { locality: '"Šiau' }), row("c", { locality: 'liai"' })),
    expect: { rows: 3, ingested: 1, quarantined: { malformed_record: 2 } },
  },
  {
    file: "quote-swallows-two-rows.csv",
    what: "a quote opened in one row and closed two rows later (the row between is read on its own)",
    bytes: () => csv(HEADER, row("a"), row("b", { locality: '"Šiau' }), row("c"), row("d", { locality: 'liai"' }), row("e")),
    expect: { rows: 5, ingested: 3, quarantined: { malformed_record: 2 } },
  },
  {
    file: "quote-swallows-across-blank-line.csv",
    what: "a quote opened before a blank line and closed after it",
    bytes: () => csv(HEADER, row("a"), row("b", { locality: '"Šiau' }), "", row("c", { locality: 'liai"' }), row("d")),
    expect: { rows: 4, ingested: 2, quarantined: { malformed_record: 2 } },
  },
  {
    file: "quote-in-id.csv",
    what: "a quote opened in the first field and never closed",
    bytes: () => sandwich(row('"x')),
    expect: { rows: 3, ingested: 2, quarantined: { malformed_record: 1 } },
  },
  {
    file: "bare-cr-inside-field.csv",
    what: "a bare CR in the middle of an unquoted field (a line end: two short lines)",
    bytes: () => sandwich(row("x", { locality: "Šiau\rliai" })),
    expect: { rows: 4, ingested: 2, quarantined: { malformed_record: 2 }, reason: /fields where the header has 10/ },
  },
  {
    file: "cr-cr-lf.csv",
    what: "CR CR LF between rows (a blank line)",
    bytes: () => lines(HEADER, "\r\n", row("a"), "\r\r\n", row("b"), "\r\n"),
    expect: { rows: 2, ingested: 2 },
  },
  {
    file: "bare-cr-at-end.csv",
    what: "a bare CR ending the last row",
    bytes: () => lines(HEADER, "\n", row("a"), "\n", row("b"), "\r"),
    expect: { rows: 2, ingested: 2 },
  },
  {
    file: "crlf-quoted-newline.csv",
    what: "CRLF line ends with a CRLF inside a quoted field (one record)",
    bytes: () => lines(HEADER, "\r\n", row("a", { locality: '"Šiauliai\r\ncentras"' }), "\r\n", row("b"), "\r\n"),
    expect: { rows: 2, ingested: 2 },
  },
  {
    file: "escaped-quotes.csv",
    what: "doubled quotes inside a quoted field (valid)",
    bytes: () => sandwich(row("x", { locality: '"Šiaulių ""centras"""' })),
    expect: { rows: 3, ingested: 3 },
  },
  {
    file: "empty-quoted-field.csv",
    what: "an empty quoted locality (valid: locality may be empty)",
    bytes: () => sandwich(row("x", { locality: '""' })),
    expect: { rows: 3, ingested: 3 },
  },
  {
    file: "no-final-newline.csv",
    what: "no line end after the last row (valid)",
    bytes: () => lines(HEADER, "\n", row("a"), "\n", row("b")),
    expect: { rows: 2, ingested: 2 },
  },
  {
    file: "spaces-only-line.csv",
    what: "a line of spaces and tabs between rows (blank)",
    bytes: () => csv(HEADER, row("a"), "  \t ", row("b")),
    expect: { rows: 2, ingested: 2 },
  },
  {
    file: "nine-fields.csv",
    what: "a row one field short",
    bytes: () => sandwich(row("x").split(",").slice(0, 9).join(",")),
    expect: q("malformed_record", /9 fields where the header has 10/),
  },
  {
    file: "bom-crlf.csv",
    what: "a byte-order mark and CRLF line ends (valid)",
    bytes: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), lines(HEADER, "\r\n", row("a"), "\r\n")]),
    expect: { rows: 1, ingested: 1 },
  },

  // Item 2: prototype names in every mapped column and in the mapping tables.
  {
    file: "prototype-category-proto.csv",
    what: "an offence category named __proto__",
    bytes: () => sandwich(row("x", { offence_category: "__proto__" })),
    expect: q("unmapped_offence", /'__proto__' has no category/),
  },
  {
    file: "prototype-category-hasownproperty.csv",
    what: "an offence category named hasOwnProperty",
    bytes: () => sandwich(row("x", { offence_category: "hasOwnProperty" })),
    expect: q("unmapped_offence", /'hasOwnProperty' has no category/),
  },
  {
    file: "prototype-case-type-constructor.csv",
    what: "a case type named constructor",
    bytes: () => sandwich(row("x", { case_type: "constructor" })),
    expect: q("unknown_case_type", /'constructor'/),
  },
  {
    file: "prototype-case-type-tostring.csv",
    what: "a case type named toString",
    bytes: () => sandwich(row("x", { case_type: "toString" })),
    expect: q("unknown_case_type", /'toString'/),
  },
  {
    file: "prototype-case-type-valueof.csv",
    what: "a case type named valueOf",
    bytes: () => sandwich(row("x", { case_type: "valueOf" })),
    expect: q("unknown_case_type", /'valueOf'/),
  },
  {
    file: "prototype-offence-code.csv",
    what: "an offence code named __proto__ (free text: kept)",
    bytes: () => sandwich(row("x", { offence_code: "__proto__" })),
    expect: { rows: 3, ingested: 3 },
  },
  {
    file: "prototype-municipality.csv",
    what: "municipalities named __proto__ and constructor (not in the boundaries: kept, unchecked)",
    bytes: () => csv(HEADER, row("ok-1"), row("x", { municipality: "__proto__" }), row("y", { municipality: "constructor" })),
    expect: { rows: 3, ingested: 3 },
  },
  {
    file: "prototype-locality-source.csv",
    what: "a locality named toString and a source named valueOf",
    bytes: () => sandwich(row("x", { locality: "toString", source: "valueOf" })),
    expect: { rows: 3, ingested: 3 },
  },
  {
    file: "prototype-ids.csv",
    what: "ids named __proto__ and constructor, the second reused with other values",
    bytes: () => csv(HEADER, row("__proto__"), row("constructor"), row("constructor", { offence_category: "robbery" })),
    expect: { rows: 3, ingested: 2, quarantined: { repeated_id: 1 }, reason: /already taken from line 3/ },
  },
  {
    file: "prototype-mapping-tables.csv",
    what: "a source mapping offences constructor and __proto__, and case type toString",
    bytes: () =>
      csv(
        HEADER,
        row("x", { offence_category: "constructor" }),
        row("y", { offence_category: "__proto__", case_type: "toString" }),
        row("z", { offence_category: "toString" }),
      ),
    source: withTables(
      [
        ["constructor", "theft"],
        ["__proto__", "robbery"],
      ],
      [["toString", "administrative_offence"]],
    ),
    expect: { rows: 3, ingested: 2, quarantined: { unmapped_offence: 1 }, reason: /'toString' has no category/ },
  },
  {
    file: "prototype-keys.jsonl",
    what: "JSON Lines records with __proto__ and constructor keys",
    bytes: () => jsonl([{ ...obj("a"), __proto__x: 1 }, JSON.stringify(obj("b")).replace("{", '{"__proto__":{"x":1},"constructor":"c",')]),
    source: (d) => ({ ...d, format: "jsonl" }),
    expect: { rows: 2, ingested: 2 },
  },

  // Item 5: re-exports.
  {
    file: "all-bad-reexport.csv",
    what: "a re-export in which every row is bad, over a good version (refused: it would wipe the months)",
    before: [{ bytes: () => csv(HEADER, row("a"), row("b")) }],
    bytes: () => csv(HEADER, row("a", { offence_category: "arson" }), row("b", { offence_category: "arson" })),
    expect: { error: /none of its 2 rows could be ingested \(unmapped_offence 2\).*--replace/ },
  },
  {
    file: "all-bad-reexport-replace.csv",
    what: "the same, with --replace (the export is emptied, as asked)",
    before: [{ bytes: () => csv(HEADER, row("a"), row("b")) }],
    bytes: () => csv(HEADER, row("a", { offence_category: "arson" }), row("b", { offence_category: "arson" })),
    replace: true,
    expect: { rows: 2, ingested: 0, quarantined: { unmapped_offence: 2 }, lakeRows: 0 },
  },
  {
    file: "header-only-reexport.csv",
    what: "a re-export with a header and no rows, over a good version",
    before: [{ bytes: () => csv(HEADER, row("a"), row("b")) }],
    bytes: () => csv(HEADER),
    expect: { error: /header but no data rows; the lake was not changed/ },
  },
  {
    file: "corrected-reexport.csv",
    what: "a re-export at the same path with one month fewer (refused: it would remove the month)",
    before: [{ bytes: twoMonths }],
    bytes: () => csv(HEADER, row("m-2"), row("m-3")),
    expect: { error: /lacks months the lake holds from it: 2019-05 \(1 incidents\) would be removed; the lake was not changed.*--export-id <name>.*--replace/ },
  },
  {
    file: "corrected-reexport-replace.csv",
    what: "the same, with --replace (a correction: the old month goes)",
    before: [{ bytes: twoMonths }],
    bytes: () => csv(HEADER, row("m-2"), row("m-3")),
    replace: true,
    expect: { rows: 2, ingested: 2, lakeRows: 2 },
  },
  {
    file: "overlapping-export.csv",
    what: "another export of the source repeating an incident number the lake holds (a re-export of recent months)",
    before: [{ name: "first-half.csv", bytes: () => csv(HEADER, row("a"), row("b")) }],
    bytes: () => csv(HEADER, row("b"), row("c")),
    expect: {
      rows: 2,
      ingested: 1,
      quarantined: { id_in_other_export: 1 },
      reason: /^id b is in the lake already, from export '[^']*first-half\.csv' \(its line 3, month 2019-06\): counted there, not again/,
      lakeRows: 3,
    },
  },
  {
    file: "same-file-twice.csv",
    what: "the same file ingested twice (the second replaces the first)",
    before: [{}],
    bytes: () => csv(HEADER, row("a"), row("b")),
    expect: { rows: 2, ingested: 2, lakeRows: 2 },
  },
  {
    file: "same-bytes-other-name.csv",
    what: "the same content under another name (every row would count twice)",
    before: [{ name: "first-name.csv" }],
    bytes: () => csv(HEADER, row("a"), row("b")),
    expect: { error: /cannot tell it from the same bytes as export '[^']*first-name\.csv'.*leave it out/ },
  },
  {
    file: "same-bytes-moved.csv",
    what: "the same content under another name with --replace (a moved file: counted once)",
    before: [{ name: "old-name.csv" }],
    bytes: () => csv(HEADER, row("a"), row("b")),
    replace: true,
    expect: { rows: 2, ingested: 2, lakeRows: 2 },
  },
  {
    file: "symlink.csv",
    what: "a symbolic link to a file already ingested (the same export: counted once)",
    before: [{ name: "target.csv" }],
    symlinkTo: "target.csv",
    bytes: () => csv(HEADER, row("a"), row("b")),
    expect: { rows: 2, ingested: 2, lakeRows: 2 },
  },

  // Item 7: refusals that name the file and say what to do.
  {
    file: "cut-gzip.csv.gz",
    what: "a gzip download cut short",
    bytes: () => gzipSync(csv(HEADER, ...Array.from({ length: 50 }, (_, i) => row(`r${i}`)))).subarray(0, 300),
    expect: { error: /cut-gzip\.csv\.gz: is damaged gzip .*download or compress it again/ },
  },
  {
    file: "cut-gzip-1257.csv.gz",
    what: "a cut gzip download of a Windows-1257 export (its text decoded on the way: the error crashed the process)",
    bytes: () =>
      gzipSync(iconv.encode(`${HEADER}\n${Array.from({ length: 50 }, (_, i) => row(`r${i}`, KURSENAI)).join("\n")}\n`, "windows-1257")).subarray(0, 300),
    source: (d) => ({ ...d, encoding: "windows-1257" }),
    expect: { error: /cut-gzip-1257\.csv\.gz: is damaged gzip .*download or compress it again/ },
  },
  {
    file: "cut-gzip.jsonl.gz",
    what: "a cut gzip download of JSON Lines",
    bytes: () => gzipSync(jsonl(Array.from({ length: 50 }, (_, i) => obj(`r${i}`)))).subarray(0, 300),
    source: (d) => ({ ...d, format: "jsonl" }),
    expect: { error: /cut-gzip\.jsonl\.gz: is damaged gzip/ },
  },
  {
    file: "corrupt-gzip.csv.gz",
    what: "gzip whose checksum does not match",
    bytes: () => {
      const gz = gzipSync(csv(HEADER, row("a")));
      gz[gz.length - 6]! ^= 0xff;
      return gz;
    },
    expect: { error: /corrupt-gzip\.csv\.gz: is damaged gzip/ },
  },
  {
    file: "a-folder.csv",
    what: "a folder given as the file",
    folder: true,
    bytes: () => Buffer.alloc(0),
    expect: { error: /a-folder\.csv: is a folder, not an export file/ },
  },
  {
    file: "utf16le.csv",
    what: "UTF-16 little-endian without a byte-order mark",
    bytes: () => u16le(`${HEADER}\n${row("a")}\n`),
    expect: { error: /utf16le\.csv: is UTF-16 text \(little-endian.*save it as UTF-8.*iconv -f UTF-16LE/ },
  },
  {
    file: "utf16be.csv",
    what: "UTF-16 big-endian without a byte-order mark",
    bytes: () => u16be(`${HEADER}\n${row("a")}\n`),
    expect: { error: /utf16be\.csv: is UTF-16 text \(big-endian.*iconv -f UTF-16BE/ },
  },
  {
    file: "utf16le-bom.csv",
    what: "UTF-16 with its byte-order mark",
    bytes: () => Buffer.concat([Buffer.from([0xff, 0xfe]), u16le(`${HEADER}\n${row("a")}\n`)]),
    expect: { error: /utf16le-bom\.csv: is UTF-16 text/ },
  },
  {
    file: "latvia-as-siauliai.csv",
    what: "a point in Latvia inside the bounding box, labelled Šiaulių m. sav.",
    bytes: () => sandwich(row("x", LATVIA)),
    expect: {
      ...q(
        "outside_municipality",
        /is not inside Šiaulių m\. sav\. \(boundaries: lt-municipalities\.topojson\); correct the row's coordinates or its municipality/,
      ),
      check: /^checked against lt-municipalities\.topojson/,
    },
  },
  {
    file: "district-as-city.csv",
    what: "a point in Kuršėnai (the district) labelled as the city",
    bytes: () => sandwich(row("x", KURSENAI_POINT)),
    expect: q("outside_municipality", /is not inside Šiaulių m\. sav\./),
  },
  {
    file: "city-as-district.csv",
    what: "a point in the city labelled as the district",
    bytes: () => sandwich(row("x", { municipality: "Šiaulių r. sav." })),
    expect: q("outside_municipality", /is not inside Šiaulių r\. sav\./),
  },
  {
    file: "unknown-municipality-name.csv",
    what: "a municipality the boundaries do not name (not checked: kept)",
    bytes: () => sandwich(row("x", { ...LATVIA, municipality: "Rīgas pilsēta" })),
    expect: { rows: 3, ingested: 3 },
  },
  {
    file: "foreign-source.csv",
    what: "a source outside Lithuania (no boundaries: the check is skipped and the report says so)",
    bytes: () => csv(HEADER, row("v", { lat: "49.2827", lon: "-123.1207", municipality: "Vancouver", occurred_at: "2019-06-14T21:35:00-07:00" })),
    source: (d) => ({ ...d, timezone: "America/Vancouver", bounds: [-123.3, 49.0, -122.9, 49.4] }),
    timeZone: "America/Vancouver",
    expect: { rows: 1, ingested: 1, check: /^skipped: the source's bounds \[-123\.3, 49, -122\.9, 49\.4\] lie outside the municipality boundaries/ },
  },
  {
    file: "no-municipality-column.csv",
    what: "a source that maps no municipality (the check is skipped and the report says so)",
    bytes: () => csv(HEADER, row("a", LATVIA)),
    source: (d) => {
      const { municipality: _m, ...columns } = d.columns;
      return { ...d, columns };
    },
    expect: { rows: 1, ingested: 1, check: /^skipped: the source description maps no municipality/ },
  },
  {
    file: "wgs84-under-lks94.csv",
    what: "WGS84 degrees under an LKS-94 description",
    bytes: () => csv(HEADER, row("a"), row("b")),
    source: (d) => ({ ...d, crs: "EPSG:3346" }),
    expect: {
      rows: 2,
      ingested: 0,
      quarantined: { outside_study_area: 2 },
      reason: /read as EPSG:4326 degrees \(WGS84\) it lies inside them: .*write crs: EPSG:4326/,
    },
  },
  {
    file: "lks94-swapped.csv",
    what: "LKS-94 easting and northing swapped",
    bytes: () =>
      csv(
        HEADER,
        row("ok-1", { lon: "457116.85", lat: "6200287.20" }),
        row("x", { lon: "6200287.20", lat: "457116.85" }),
        row("ok-2", { lon: "457116.85", lat: "6200287.20" }),
      ),
    source: (d) => ({ ...d, crs: "EPSG:3346" }),
    expect: q("swapped_coordinates", /easting and northing swapped/),
  },
  {
    file: "lks94-as-wgs84-hint.csv",
    what: "LKS-94 metres under a WGS84 description: the hint names EPSG:3346",
    bytes: () => csv(HEADER, row("x", { lon: "457116.85", lat: "6200287.20" })),
    expect: {
      rows: 1,
      ingested: 0,
      quarantined: { invalid_coordinates: 1 },
      reason: /read as EPSG:3346 metres \(LKS-94\) it lies inside them: if the file is in EPSG:3346, write crs: EPSG:3346/,
    },
  },
  {
    file: "inverted-bounds.csv",
    what: "bounds with west and east exchanged (refused up front)",
    bytes: () => csv(HEADER, row("a")),
    source: (d) => parseSourceDescription({ ...d, delimiter: ",", bounds: [24.2, 55.4, 22.0, 56.6] }, "inverted-bounds.yaml"),
    expect: {
      error:
        /inverted-bounds\.yaml: invalid source description:\n {2}bounds: \[24\.2, 55\.4, 22, 56\.6\] is not a box \[west, south, east, north\].*did you mean \[22, 55\.4, 24\.2, 56\.6\]/,
    },
  },
  {
    file: "mars-time-zone.csv",
    what: "a lake time zone that does not exist",
    bytes: () => csv(HEADER, row("a")),
    timeZone: "Mars/Olympus",
    expect: { error: /mars-time-zone\.csv: the lake's time zone 'Mars\/Olympus' is not an IANA time zone; write one such as Europe\/Vilnius/ },
  },

  // Item 8: the formula guard (OWASP: = + - @ tab CR, unless the whole cell is a number).
  {
    file: "formula-plus.csv",
    what: "a +formula in the locality",
    bytes: () => sandwich(row("x", { locality: "+cmd|' /C calc'!A0" })),
    expect: q("formula_text", /locality/),
  },
  {
    file: "formula-equals-municipality.csv",
    what: "an =formula in the municipality",
    bytes: () => sandwich(row("x", { municipality: "=1+1" })),
    expect: q("formula_text", /municipality '=1\+1'/),
  },
  {
    file: "formula-dde.csv",
    what: "a DDE formula",
    bytes: () => sandwich(row("x", { locality: "=cmd|' /C calc'!A0" })),
    expect: q("formula_text", /spreadsheet formula/),
  },
  {
    file: "formula-tab.csv",
    what: "a quoted locality starting with a tab",
    bytes: () => sandwich(row("x", { locality: '"\t=1+1"' })),
    expect: q("formula_text", /locality/),
  },
  {
    file: "formula-cr.csv",
    what: "a quoted locality starting with a CR",
    bytes: () => sandwich(row("x", { locality: '"\r=1+1"' })),
    expect: q("formula_text", /locality/),
  },
  {
    file: "formula-offence-code.csv",
    what: "an @formula in the offence code",
    bytes: () => sandwich(row("x", { offence_code: "@SUM(A1)" })),
    expect: q("formula_text", /offence_code/),
  },
  {
    file: "formula-offence.csv",
    what: "an =formula as the offence (refused before mapping)",
    bytes: () => sandwich(row("x", { offence_category: "=theft" })),
    expect: q("formula_text", /offence '=theft'/),
  },
  { file: "formula-double-minus.csv", what: "--1, not a number", bytes: () => sandwich(row("x", { locality: "--1" })), expect: q("formula_text", /locality/) },
  {
    file: "negative-number-text.csv",
    what: "a locality that is a negative number (not a formula)",
    bytes: () => sandwich(row("x", { locality: "-12.5" })),
    expect: { rows: 3, ingested: 3 },
  },
  {
    file: "plus-number-text.csv",
    what: "a locality +3e2, a number (not a formula)",
    bytes: () => sandwich(row("x", { locality: "+3e2" })),
    expect: { rows: 3, ingested: 3 },
  },
  {
    file: "formula-unmapped-column.csv",
    what: "a formula in a column the description does not read (kept: never written)",
    bytes: () => sandwich(row("x", { source: "=1+1" })),
    expect: { rows: 3, ingested: 3 },
  },

  // Neighbours: times, coordinates, repeats, JSON Lines and GeoJSON.
  {
    file: "leap-day.csv",
    what: "29 February of a leap year (valid)",
    bytes: () => sandwich(row("x", { occurred_at: "2020-02-29T12:00:00+02:00" })),
    expect: { rows: 3, ingested: 3 },
  },
  {
    file: "not-leap-day.csv",
    what: "29 February of a common year",
    bytes: () => sandwich(row("x", { occurred_at: "2019-02-29T12:00:00+02:00" })),
    expect: q("invalid_timestamp", /not a real date-time/),
  },
  {
    file: "utc-z.csv",
    what: "a UTC time written with Z (valid)",
    bytes: () => sandwich(row("x", { occurred_at: "2019-06-14T18:35:00Z" })),
    expect: { rows: 3, ingested: 3 },
  },
  {
    file: "infinity-coordinates.csv",
    what: "Infinity as a coordinate",
    bytes: () => sandwich(row("x", { lat: "Infinity" })),
    expect: q("invalid_coordinates", /not decimal numbers/),
  },
  {
    file: "hex-coordinates.csv",
    what: "a hexadecimal coordinate",
    bytes: () => sandwich(row("x", { lat: "0x37" })),
    expect: q("invalid_coordinates", /not decimal numbers/),
  },
  {
    file: "null-coordinates.csv",
    what: "null written as coordinates",
    bytes: () => sandwich(row("x", { lat: "null", lon: "null" })),
    expect: q("missing_coordinates", /coordinates are missing/),
  },
  {
    file: "exponent-coordinates.csv",
    what: "coordinates in exponent notation (valid)",
    bytes: () => sandwich(row("x", { lat: "5.59335e1", lon: "2.33142e1" })),
    expect: { rows: 3, ingested: 3 },
  },
  {
    file: "three-same-rows.csv",
    what: "the same row three times",
    bytes: () => csv(HEADER, row("a"), row("a"), row("a")),
    expect: { rows: 3, ingested: 1, quarantined: { exact_duplicate: 2 } },
  },
  {
    file: "id-three-times.csv",
    what: "an id used for three different rows",
    bytes: () => csv(HEADER, row("a"), row("a", { offence_category: "robbery" }), row("a", { offence_category: "fraud" })),
    expect: { rows: 3, ingested: 1, quarantined: { repeated_id: 2 } },
  },
  {
    file: "blank-lines.jsonl",
    what: "JSON Lines with blank lines (valid)",
    bytes: () => Buffer.from(`${JSON.stringify(obj("a"))}\n\n${JSON.stringify(obj("b"))}\n\n`),
    source: (d) => ({ ...d, format: "jsonl" }),
    expect: { rows: 2, ingested: 2 },
  },
  {
    file: "null-coordinates.jsonl",
    what: "JSON Lines with null coordinates",
    bytes: () => jsonl([obj("a"), { ...obj("x"), lat: null, lon: null }, obj("b")]),
    source: (d) => ({ ...d, format: "jsonl" }),
    expect: q("missing_coordinates", /coordinates are missing/),
  },
  {
    file: "null-geometry.geojson",
    what: "GeoJSON with an unlocated feature (geometry null)",
    bytes: () => geojson([point("a"), { type: "Feature", properties: obj("x"), geometry: null }, point("b")]),
    source: geoSource,
    expect: q("missing_coordinates", /coordinates are missing/),
  },
  {
    file: "multipoint.geojson",
    what: "GeoJSON with a MultiPoint",
    bytes: () =>
      geojson([
        point("a"),
        {
          type: "Feature",
          properties: obj("x"),
          geometry: {
            type: "MultiPoint",
            coordinates: [
              [23.3, 55.9],
              [23.31, 55.91],
            ],
          },
        },
        point("b"),
      ]),
    source: geoSource,
    expect: q("malformed_record", /geometry MultiPoint/),
  },
  {
    file: "bom.geojson",
    what: "GeoJSON with a byte-order mark (valid)",
    bytes: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), geojson([point("a"), point("b")])]),
    source: geoSource,
    expect: { rows: 2, ingested: 2 },
  },
  {
    file: "outside-municipality.geojson",
    what: "GeoJSON point in Latvia labelled Šiaulių m. sav.",
    bytes: () => geojson([point("a"), { ...point("x"), geometry: { type: "Point", coordinates: [23.7, 56.45] } }, point("b")]),
    source: geoSource,
    expect: q("outside_municipality", /is not inside Šiaulių m\. sav\./),
  },
  { file: "empty-collection.geojson", what: "GeoJSON with no features", bytes: () => geojson([]), source: geoSource, expect: { error: /no data rows/ } },
  {
    file: "broken.geojson",
    what: "GeoJSON cut mid-way",
    bytes: () => geojson([point("a"), point("b")]).subarray(0, 200),
    source: geoSource,
    expect: { error: /broken\.geojson: is not valid GeoJSON/ },
  },
];
CORPUS.push(...ISSUE_21);

// Records that are no offences (Mexico City's "HECHO NO DELICTIVO"), mapped to exclude: quarantined, not counted.
const notOffences = withTables([["HECHO NO DELICTIVO", "exclude"]]);
CORPUS.push(
  {
    file: "not-offences.csv",
    what: "records the description maps to exclude, one written in another case",
    bytes: () =>
      csv(HEADER, row("ok-1"), row("x", { offence_category: "HECHO NO DELICTIVO" }), row("ok-2"), row("y", { offence_category: "Hecho no delictivo" })),
    source: notOffences,
    expect: {
      rows: 4,
      ingested: 2,
      quarantined: { excluded_offence: 2 },
      reason: /^offence 'Hecho no delictivo' is not counted as an incident: the source description maps it to exclude \(categories: "HECHO NO DELICTIVO"\)/,
      lakeRows: 2,
    },
  },
  {
    file: "only-not-offences.csv",
    what: "an export of nothing but records mapped to exclude (nothing loaded; the command fails, see quarantine-failure.test.ts)",
    bytes: () => csv(HEADER, row("x", { offence_category: "HECHO NO DELICTIVO" }), row("y", { offence_category: "HECHO NO DELICTIVO" })),
    source: notOffences,
    expect: { rows: 2, ingested: 0, quarantined: { excluded_offence: 2 }, lakeRows: 0 },
  },
);

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
