/**
 * Values that are names on Object.prototype (`__proto__`, `constructor`, `toString`,
 * `hasOwnProperty`…) are data like any other: in every mapped column, in the header and as keys of a
 * source's mapping tables, rows are ingested or quarantined with their reason, and never stop the
 * file — on the fast reader and on csv-parse alike, with the same lake (issue 21 item 2).
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { parseSourceDescription, type SourceDescription } from "../etl/ingest/source-description.ts";
import { QualityTally } from "../etl/ingest/quality-report.ts";
import { projectRoot } from "./helpers/shared.ts";
import { lakeSnapshot } from "./helpers/lake-snapshot.ts";

const NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "prototype", "__defineGetter__", "isPrototypeOf"] as const;
const NOW = Date.UTC(2026, 0, 1);
let dir: string;
let source: SourceDescription;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "proto-names-"));
  // A description whose mapping tables have prototype names as keys, and whose locality and
  // municipality come from columns named __proto__ and constructor.
  const yaml = (await readFile(join(projectRoot, "data", "sources", "siauliai-demo.yaml"), "utf8"))
    .replace("categories:\n", "categories:\n  __proto__: theft\n  constructor: burglary\n  toString: other\n")
    .replace("locality: { column: locality }", "locality: { column: __proto__ }")
    .replace("municipality: { column: municipality }", "municipality: { column: constructor }")
    .replace(
      "repeated_ids: quarantine",
      "case_types:\n  hasOwnProperty: administrative_offence\n  __proto__: pre_trial_investigation\nrepeated_ids: quarantine",
    );
  source = parseSourceDescription(parseYaml(yaml), "proto.yaml");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,__proto__,constructor,toString";
const MAPPED_OFFENCES = new Set(["__proto__", "constructor", "toString", "theft", "burglary"]);
const MAPPED_CASE_TYPES = new Set(["hasOwnProperty", "__proto__", "pre_trial_investigation", "administrative_offence"]);

describe("prototype names", () => {
  it("are kept as keys of a source's mapping tables", () => {
    expect(Object.keys(source.categories)).toEqual(expect.arrayContaining(["__proto__", "constructor", "toString"]));
    expect(Object.hasOwn(source.categories, "__proto__")).toBe(true);
    expect(Object.keys(source.case_types!)).toEqual(["hasOwnProperty", "__proto__"]);
  });

  it("in any mapped column, are ingested or quarantined with a reason on either reader, never stopping the file", async () => {
    const value = (normal: readonly string[]) => fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom(...normal));
    const row = fc.record({
      id: fc.oneof(fc.constantFrom(...NAMES), fc.constant("")),
      offence: value(["theft", "burglary", "arson"]),
      code: value(["BK 178"]),
      caseType: value(["pre_trial_investigation", "administrative_offence", "other"]),
      place: value(["Šiauliai"]),
      municipality: value(["Šiaulių m. sav."]),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 20 }), async (rows) => {
        const lines = rows.map((r, i) =>
          [
            r.id === "" ? `r-${i}` : `${r.id}${i}`,
            "2019-06-14T21:35:00+03:00",
            r.code,
            r.offence,
            r.caseType,
            "55.93",
            "23.31",
            r.place,
            r.municipality,
            r.place,
          ].join(","),
        );
        // One row whose id is exactly a prototype name.
        lines.push(`__proto__,2019-06-14T21:35:00+03:00,BK 178,theft,pre_trial_investigation,55.93,23.31,x,y,z`);
        const folder = join(dir, `run-${run++}`);
        await mkdir(folder);
        const file = join(folder, "names.csv");
        await writeFile(file, `${HEADER}\n${lines.join("\n")}\n`);
        const options = { resolution: 8, timeZone: "Europe/Vilnius", now: NOW, source };
        const fast = await ingestFile(file, { ...options, lakeDir: join(folder, "fast"), readers: 0 });
        const slow = await ingestFile(file, { ...options, lakeDir: join(folder, "slow"), fastCsv: false });
        const expected = rows.filter((r) => MAPPED_OFFENCES.has(r.offence) && MAPPED_CASE_TYPES.has(r.caseType)).length + 1;
        expect(fast.rows_read).toBe(rows.length + 1);
        expect(fast.rows_ingested).toBe(expected);
        for (const code of Object.keys(fast.quarantine_reasons)) expect(["unmapped_offence", "unknown_case_type"]).toContain(code);
        expect(slow).toEqual(fast);
        expect(await lakeSnapshot(join(folder, "slow"))).toEqual(await lakeSnapshot(join(folder, "fast")));
      }),
      { seed: 21, numRuns: 12 },
    );
  }, 120_000);

  it("in JSON Lines keys and values, are fields like any other", async () => {
    const folder = join(dir, "jsonl");
    await mkdir(folder);
    const file = join(folder, "names.jsonl");
    const record = (over: Record<string, string>) =>
      JSON.stringify({
        id: "a",
        occurred_at: "2019-06-14T21:35:00+03:00",
        offence_code: "BK 178",
        offence_category: "constructor",
        case_type: "__proto__",
        lat: "55.93",
        lon: "23.31",
        constructor: "m",
        toString: "t",
        ...over,
      }).replace('"__proto__x"', '"__proto__"');
    await writeFile(file, `${record({ __proto__x: "Šiauliai" })}\n${record({ id: "b", offence_category: "valueOf" })}\n`);
    const report = await ingestFile(file, {
      lakeDir: join(folder, "lake"),
      resolution: 8,
      timeZone: "Europe/Vilnius",
      now: NOW,
      source: { ...source, format: "jsonl" },
    });
    expect(report).toMatchObject({ rows_read: 2, rows_ingested: 1, quarantine_reasons: { unmapped_offence: 1 } });
  });

  it("as quality-tally codes, count like any other", () => {
    const tally = new QualityTally();
    for (const code of NAMES) {
      tally.rowRead();
      tally.quarantined(code);
      tally.warn(code);
    }
    const report = tally.report("s", "f", "h");
    expect(report.rows_quarantined).toBe(NAMES.length);
    expect(Object.keys(report.quarantine_reasons).sort()).toEqual([...NAMES].sort());
    expect(Object.keys(report.warnings).sort()).toEqual([...NAMES].sort());
  });
});
