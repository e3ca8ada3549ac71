/** Property-based tests (fast-check) of the parsers and coordinate transforms. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromWgs84, placePoint, toWgs84 } from "../etl/ingest/coordinates.ts";
import { parseTime } from "../etl/ingest/parse-time.ts";
import { fieldsAlone } from "../etl/ingest/csv-records.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { readRecords } from "../etl/ingest/read-records.ts";
import type { SourceDescription } from "../etl/ingest/source-description.ts";
import { HEADER, row } from "./bad-input/corpus.ts";
import { canonicalSource } from "./helpers/shared.ts";

const SEED = { seed: 20191231 };
const ZONE = "Europe/Vilnius";
const NOW = Date.UTC(2026, 0, 1);
let dir: string;
let canonical: SourceDescription;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "props-"));
  canonical = await canonicalSource();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("coordinate transforms", () => {
  it("LKS-94 (EPSG:3346) round-trips every point of Lithuania to within a micro-degree", () => {
    fc.assert(
      fc.property(fc.double({ min: 20.9, max: 26.9, noNaN: true }), fc.double({ min: 53.8, max: 56.5, noNaN: true }), (lon, lat) => {
        const [x, y] = fromWgs84("EPSG:3346", lon, lat);
        const [lon2, lat2] = toWgs84("EPSG:3346", x, y);
        expect(Math.abs(lon2 - lon)).toBeLessThan(1e-6);
        expect(Math.abs(lat2 - lat)).toBeLessThan(1e-6);
      }),
      SEED,
    );
  });

  it("UTM 10N (EPSG:32610) round-trips points of its zone", () => {
    fc.assert(
      fc.property(fc.double({ min: -125.9, max: -120.1, noNaN: true }), fc.double({ min: 30, max: 60, noNaN: true }), (lon, lat) => {
        const [x, y] = fromWgs84("EPSG:32610", lon, lat);
        const [lon2, lat2] = toWgs84("EPSG:32610", x, y);
        expect(Math.abs(lon2 - lon)).toBeLessThan(1e-6);
        expect(Math.abs(lat2 - lat)).toBeLessThan(1e-6);
      }),
      SEED,
    );
  });

  it("LKS-94 is a transverse Mercator on 24° E with false easting 500 000 m (EPSG:3346 definition)", () => {
    fc.assert(
      fc.property(fc.double({ min: 53.8, max: 56.5, noNaN: true }), fc.double({ min: 0.01, max: 3, noNaN: true }), (lat, d) => {
        // On the central meridian the easting is exactly the false easting…
        expect(fromWgs84("EPSG:3346", 24, lat)[0]).toBeCloseTo(500_000, 6);
        // …and points mirrored across it mirror around 500 000 m with the same northing.
        const [xEast, yEast] = fromWgs84("EPSG:3346", 24 + d, lat);
        const [xWest, yWest] = fromWgs84("EPSG:3346", 24 - d, lat);
        expect(xEast - 500_000).toBeCloseTo(500_000 - xWest, 6);
        expect(yEast).toBeCloseTo(yWest, 6);
      }),
      SEED,
    );
  });

  it("placePoint accepts every in-bounds WGS84 point and refuses every out-of-bounds one", () => {
    const [west, south, east, north] = canonical.bounds;
    fc.assert(
      fc.property(fc.double({ min: -179, max: 179, noNaN: true }), fc.double({ min: -89, max: 89, noNaN: true }), (lon, lat) => {
        const result = placePoint(String(lon), String(lat), canonical);
        const inside = lat >= south && lat <= north && lon >= west && lon <= east;
        expect(result.ok).toBe(inside && !(lat === 0 && lon === 0));
      }),
      SEED,
    );
  });
});

describe("projected coordinates a police export writes", () => {
  const lks94 = { crs: "EPSG:3346" as const, bounds: [22, 55.4, 24.2, 56.6] as [number, number, number, number], decimal: "," as const };

  it("(0, 0) in metres is the missing-location placeholder, as in degrees", () => {
    expect(placePoint("0", "0", lks94)).toMatchObject({
      ok: false,
      code: "invalid_coordinates",
      reason: expect.stringMatching(/\(0, 0\) is a missing-location placeholder/),
    });
  });

  it("a projected point outside the bounds is reported with the values the file holds", () => {
    // Near Utena, east of the bounds, still inside Lithuania's grid.
    const result = placePoint("656837,30", "6204921,55", lks94);
    expect(result).toMatchObject({ ok: false, code: "outside_study_area" });
    expect(!result.ok && result.reason).toMatch(/^\(656837\.30, 6204921\.55\) in EPSG:3346 \(lat 55\.\d+, lon 26\.\d+\) is outside the source's bounds/);
  });
});

describe("time parsing", () => {
  const instant = fc.integer({ min: Date.UTC(1990, 0, 2), max: NOW - 1 });

  it("an instant written with its Vilnius offset parses back to the same instant", () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const text = DateTime.fromMillis(ms, { zone: ZONE }).startOf("second").toISO({ suppressMilliseconds: true })!;
        const parsed = parseTime({ format: "iso", column: "t" }, () => text, ZONE, NOW);
        expect(parsed.ok && parsed.epochMs).toBe(Math.floor(ms / 1000) * 1000);
      }),
      SEED,
    );
  });

  it("a local wall-clock time either round-trips to the same wall clock or is refused as nonexistent", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (ms, hour, minute) => {
        const day = DateTime.fromMillis(ms, { zone: "utc" });
        const wall = `${day.toFormat("yyyy-MM-dd")}T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00`;
        const parsed = parseTime({ format: "iso", column: "t" }, () => wall, ZONE, Number.MAX_SAFE_INTEGER);
        if (parsed.ok) expect(DateTime.fromMillis(parsed.epochMs, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm:ss")).toBe(wall);
        else expect(parsed.code).toBe("nonexistent_local_time");
      }),
      { ...SEED, numRuns: 300 },
    );
  });

  it("the dd.MM.yyyy HH:mm pattern and YEAR/MONTH/DAY/HOUR/MINUTE parts agree with ISO", () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const local = DateTime.fromMillis(ms, { zone: ZONE }).startOf("minute");
        const iso = parseTime({ format: "iso", column: "t" }, () => local.toISO()!, ZONE, NOW);
        const pattern = parseTime({ format: "pattern", column: "t", pattern: "dd.MM.yyyy HH:mm" }, () => local.toFormat("dd.MM.yyyy HH:mm"), ZONE, NOW);
        const parts: Record<string, string> = {
          Y: String(local.year),
          M: String(local.month),
          D: String(local.day),
          h: String(local.hour),
          m: String(local.minute),
        };
        const fromParts = parseTime({ format: "parts", year: "Y", month: "M", day: "D", hour: "h", minute: "m" }, (c) => parts[c]!, ZONE, NOW);
        expect(iso.ok).toBe(true);
        // In the autumn overlap the wall clock alone cannot tell which instant: the first is taken.
        if (pattern.ok && !pattern.ambiguous) {
          expect(pattern.epochMs).toBe(iso.ok && iso.epochMs);
          expect(fromParts.ok && fromParts.epochMs).toBe(iso.ok && iso.epochMs);
        }
      }),
      SEED,
    );
  });
});

describe("CSV reading", () => {
  // Field text as exports contain it: Lithuanian letters, delimiters, quotes and line breaks inside.
  const field = fc
    .array(fc.constantFrom("a", "Š", "ų", "ė", " ", ",", ";", '"', "\n", "1", "."), { minLength: 1, maxLength: 12 })
    .map((chars) => chars.join("").trim())
    .filter((s) => s !== "");

  it("any fields written with standard quoting are read back unchanged, with any delimiter", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(field, field, field), { minLength: 1, maxLength: 8 }), fc.constantFrom(",", ";", "\t"), async (rows, delimiter) => {
        const quote = (s: string) => (/[",;\t\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
        const lines = [["a", "b", "c"], ...rows].map((r) => r.map(quote).join(delimiter));
        // Left out: a quoted line break followed by text that reads as a whole row on its own, which
        // the reader refuses rather than risk swallowing a row (csv-records.ts; tested there).
        fc.pre(
          lines.every((l) =>
            l
              .split("\n")
              .slice(1)
              .every((after) => fieldsAlone(after, delimiter) !== 3),
          ),
        );
        const text = lines.join("\n");
        const file = join(dir, "roundtrip.csv");
        await writeFile(file, text);
        const read: string[][] = [];
        for await (const record of readRecords(file, { ...canonical, delimiter }, ["a", "b", "c"])) {
          if ("error" in record) throw new Error(record.error.reason);
          read.push([record.fields.a!, record.fields.b!, record.fields.c!]);
        }
        expect(read).toEqual(rows);
      }),
      { ...SEED, numRuns: 60 },
    );
  });
});

describe("ingest accounting under quoting damage", () => {
  it("rows read = the file's non-blank data lines counted without the reader; a stray quote costs its own row only, on either reader", async () => {
    const line = fc.record({
      damage: fc.option(fc.nat(), { freq: 3, nil: undefined }),
      end: fc.constantFrom("\n", "\n", "\r\n", "\r"),
      blankAfter: fc.constantFrom("", "", "", "  \n"),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 40 }), async (lines) => {
        let text = `${HEADER}\n`;
        lines.forEach(({ damage, end, blankAfter }, i) => {
          let body = row(`r-${i}`, { locality: i % 2 ? "Šiauliai" : "Kuršėnai" });
          if (damage !== undefined) body = `${body.slice(0, damage % (body.length + 1))}"${body.slice(damage % (body.length + 1))}`;
          text += body + end + (end === "\r" ? blankAfter.replace("\n", "\r") : blankAfter);
        });
        const file = join(dir, `damaged-${run}.csv`);
        await writeFile(file, text);
        const dataLines = text
          .split(/\r\n|\r|\n/)
          .slice(1)
          .filter((l) => l.trim() !== "").length;
        const damaged = lines.filter((l) => l.damage !== undefined).length;
        const options = { resolution: 8, timeZone: ZONE, now: NOW, source: canonical };
        const fast = await ingestFile(file, { ...options, lakeDir: join(dir, `lake-fast-${run}`) });
        const slow = await ingestFile(file, { ...options, lakeDir: join(dir, `lake-slow-${run++}`), fastCsv: false });
        expect(fast.rows_read).toBe(dataLines);
        expect(fast.rows_read).toBe(lines.length);
        expect(fast.rows_ingested).toBe(lines.length - damaged);
        expect(fast.quarantine_reasons).toEqual(damaged > 0 ? { malformed_record: damaged } : {});
        expect(slow).toEqual(fast);
      }),
      { ...SEED, numRuns: 15 },
    );
  }, 120_000);
});
