/**
 * The caveats an ingest reports with the rows it kept (ingest-notes.ts): a first or last month with a
 * tiny share of the rows (q5 #9: an export of March cut at UTC midnight put 1 row in February), and
 * coordinates rounded coarser than the lake's cells (q5 #6).
 */
import { describe, expect, it } from "vitest";
import { decimalPlaces, FINEST_PLACES, fewDecimalPlaces } from "../etl/analytics/coordinate-cells.ts";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";
import { coordinateDecimals, coordinatePrecisionNote, monthNotes, partialMonthNotes, strayMonthNotes } from "../etl/ingest/ingest-notes.ts";

const months = (entries: Array<[string, number]>) => new Map(entries);

describe("partial first or last months", () => {
  it("warns of a first month of 1 row beside a month of 67 (an export cut at UTC midnight)", () => {
    expect(
      partialMonthNotes(
        months([
          ["2019-02", 1],
          ["2019-03", 67],
        ]),
        "America/Los_Angeles",
      ),
    ).toEqual([
      "the first month, 2019-02, holds 1 row against a median of 67 in the file's other months: probably a partial month " +
        "(an export cut mid-month, or at midnight UTC while the lake's months are in America/Los_Angeles); its monthly count will read as a drop in crime — check the export's date range and the source's timezone",
    ]);
  });

  it("warns of a short last month, and of both ends at once", () => {
    const notes = partialMonthNotes(
      months([
        ["2019-01", 3],
        ["2019-02", 80],
        ["2019-03", 90],
        ["2019-04", 70],
        ["2019-05", 5],
      ]),
      "Europe/Vilnius",
    );
    expect(notes.map((n) => n.slice(0, 40))).toEqual(["the first month, 2019-01, holds 3 rows a", "the last month, 2019-05, holds 5 rows ag"]);
  });

  it("takes the month the ingest is in for the current month, not a partial one, as analysisEnd does", () => {
    const rows = months([
      ["2019-01", 80],
      ["2019-02", 90],
      ["2019-03", 70],
      ["2019-04", 3],
    ]);
    // An export pulled on 2 April: April has not ended, and is left out of the analyses until it has.
    expect(partialMonthNotes(rows, "Europe/Vilnius", "2019-04")).toEqual([]);
    expect(monthNotes(rows, "Europe/Vilnius", Date.UTC(2019, 3, 2))).toEqual([]);
    // Once April has ended (in the lake's time zone: 23:30 UTC on 30 April is May in Vilnius), its 3 rows are a partial month.
    expect(monthNotes(rows, "Europe/Vilnius", Date.UTC(2019, 3, 30, 23, 30))).toEqual([expect.stringMatching(/^the last month, 2019-04, holds 3 rows/)]);
    // A month not ended is no typical month either: the first month is measured against the ended ones.
    const first = months([
      ["2019-01", 7],
      ["2019-02", 80],
      ["2019-03", 90],
      ["2019-04", 1],
      ["2019-05", 1],
    ]);
    expect(partialMonthNotes(first, "Europe/Vilnius", "2019-04")).toEqual([
      expect.stringMatching(/^the first month, 2019-01, holds 7 rows against a median of 85 /),
    ]);
  });

  it("says nothing of ordinary months, a quiet month among small counts, or a single month", () => {
    expect(
      partialMonthNotes(
        months([
          ["2019-01", 60],
          ["2019-02", 45],
          ["2019-03", 70],
        ]),
        "Europe/Vilnius",
      ),
    ).toEqual([]);
    expect(
      partialMonthNotes(
        months([
          ["2019-01", 1],
          ["2019-02", 4],
          ["2019-03", 2],
        ]),
        "Europe/Vilnius",
      ),
    ).toEqual([]);
    expect(partialMonthNotes(months([["2019-03", 2]]), "Europe/Vilnius")).toEqual([]);
  });
});

describe("stray months a year or more from the rest (q6: a 1998 date in an export of 2022–2023)", () => {
  const body = Array.from({ length: 24 }, (_, i): [string, number] => [`${2022 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`, 50]);

  it("names a stray first month once, not also as a partial month, and how far it stretches the analyses", () => {
    const notes = monthNotes(months([["1998-07", 1], ...body]), "America/Mexico_City");
    expect(notes).toEqual([
      "1 row dated 1998-07 lies 281 months before the file's other months (2022-01 … 2023-12), with none between: probably mistyped years. " +
        "They are kept in the lake, and left out of the hot spots, trends and forecasts, which start at 2022-01 (the first month with 10 % of a typical month's incidents) — " +
        "correct their dates in the export (or leave them out) and ingest it again with --replace",
    ]);
  });

  it("names stray last months too, and leaves a real gap of a year in an export alone when both sides are substantial", () => {
    expect(strayMonthNotes(months([...body, ["2031-01", 2], ["2031-02", 1]])).notes[0]).toMatch(
      /^3 rows dated 2031-01, 2031-02 lie 84 months after the file's other months.* stretch the hot spots, trends and forecasts over 110 months, mostly empty/,
    );
    // First months of substance (a tenth of a typical month or more) are analysed, and stretch the analyses too.
    expect(strayMonthNotes(months([["1998-07", 6], ...body])).notes[0]).toMatch(
      /^6 rows dated 1998-07 .* stretch the hot spots, trends and forecasts over 306 months/,
    );
    // Two years of data either side of a year without any (a system migration): not stray.
    expect(strayMonthNotes(months([...body, ...body.map(([m, n]): [string, number] => [`${Number(m.slice(0, 4)) + 3}${m.slice(4)}`, n])])).notes).toEqual([]);
    // A gap under a year is no isolation.
    expect(strayMonthNotes(months([["2021-02", 1], ...body])).notes).toEqual([]);
  });
});

describe("coordinates coarser than the lake's cells", () => {
  const stage = (lat: number[], lon: number[]) => ({
    forEachPosition: async (visit: (lat: Float64Array, lon: Float64Array) => void) => visit(Float64Array.from(lat), Float64Array.from(lon)),
  });

  it("counts rows by their finer coordinate's decimal places, and warns with the re-indexing refusal's words", async () => {
    const decimals = await coordinateDecimals(stage([37.77, 37.78, 37.78, 37.771234, 37.7712345678], [-122.41, -122.4, -122.4, -122.419876, -122.4]));
    expect(decimals).toEqual({ "2": 3, "6": 2 });
    expect(coordinatePrecisionNote(decimals, 8)).toMatch(
      /^H3 resolution 8 is finer than the incidents' coordinates: .*about 1113 m.* Use --resolution 7 or coarser/,
    );
    expect(coordinatePrecisionNote(decimals, 7)).toBeUndefined();
    expect(coordinatePrecisionNote({}, 8)).toBeUndefined();
  });

  it("reads places as decimalPlaces does (String(x)'s), up to FINEST_PLACES", () => {
    const next = mulberry32(6);
    for (let k = 0; k < 20_000; k++) {
      const x = Number(((next() - 0.5) * 360).toFixed(k % 10));
      expect(fewDecimalPlaces(x), String(x)).toBe(Math.min(decimalPlaces(x), FINEST_PLACES));
    }
    expect([0, 23, -0.5, 1e-7, 55.93].map(fewDecimalPlaces)).toEqual([0, 0, 1, FINEST_PLACES, 2]);
  });
});
