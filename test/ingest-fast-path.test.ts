/**
 * The fast CSV path (chunked reader, reader threads, repeated-id check in SQL) against csv-parse:
 * for any plain CSV — blank lines, spaces, tabs, wrong field counts, invalid UTF-8, repeated ids,
 * bad values — the lake, its quarantine and the data-quality report are byte for byte the same.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import type { IngestOptions } from "../etl/ingest/ingest-options.ts";
import type { SourceDescription } from "../etl/ingest/source-description.ts";
import { canonicalSource, projectRoot } from "./helpers/shared.ts";
import { lakeSnapshot } from "./helpers/lake-snapshot.ts";

const NOW = Date.UTC(2026, 0, 1);
let dir: string;
let source: SourceDescription;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fast-path-"));
  source = await canonicalSource();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let runs = 0;
/** Ingests `content` (as file `name`) into a new lake with `options`; the lake's snapshot, or the error message. */
async function ingest(name: string, content: string | Buffer, options: Partial<IngestOptions>): Promise<Record<string, string> | string> {
  const folder = join(dir, `run-${runs++}`);
  const file = join(folder, name);
  const lake = join(folder, "lake");
  await import("node:fs/promises").then((fs) => fs.mkdir(folder, { recursive: true }));
  await writeFile(file, content);
  try {
    await ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: NOW, source, ...options });
    return await lakeSnapshot(lake);
  } catch (error) {
    return (error as Error).message.replace(folder, "<dir>");
  }
}

const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
const ROWS = [
  "A-1,2019-06-14T21:35:00+03:00,BK 178,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,x",
  "A-2,2019-06-30T23:30:00Z,BK 178,burglary,pre_trial_investigation,55.94,23.32,Šiaulių m. sav.,Šiauliai,x",
  "A-3,2019-07-01T00:10:00,ANK 71,drug_possession,administrative_offence,56.0,22.94,Šiaulių r. sav.,Kuršėnai,x",
  "A-4,2019-03-31T03:30:00,BK 140,assault,pre_trial_investigation,55.92,23.30,,,x",
  "A-5,2019-10-27T03:30:00,BK 140,assault,pre_trial_investigation,55.92,23.30,Šiaulių m. sav.,Šiauliai,x",
  "A-6,2019-02-30T12:00:00+02:00,BK 178,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,x",
  "A-7,2019-06-14T21:35:00+03:00,BK 178,arson,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,x",
  "A-8,2019-06-14T21:35:00+03:00,BK 178,theft,pre_trial_investigation,,,Šiaulių m. sav.,Šiauliai,x",
  "A-9,2019-06-14T21:35:00+03:00,=cmd,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,x",
  "A-10,2019-06-14T21:35:00+03:00,BK 178,theft,pre_trial_investigation,23.31,55.93,Šiaulių m. sav.,Šiauliai,x",
  "A-11,2030-06-14T21:35:00+03:00,BK 178,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,x",
  "A-12,2019-06-14T21:35:00+03:00,BK 178,theft,other,55.93,23.31,Šiaulių m. sav.,Šiauliai,x",
  "A-1,2019-06-14T21:35:00+03:00,BK 178,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,x",
  "A-2,2019-06-15T21:35:00+03:00,BK 178,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,x",
  "A-13,2019-06-14,BK 178,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,x",
  "A-14,2019-06-14T21:35:00+03:00,BK 178,theft,pre_trial_investigation,55.93,23.31",
  "A-15,2019-06-14T21:35:00+03:00,BK 178,theft,pre_trial_investigation,55.93,23.31,a,b,c,d",
  "",
  "   ",
  "\t",
  "\u000b\f",
  "  A-16 , 2019-06-14T21:35:00.123+03:00 ,BK 178,theft , pre_trial_investigation,55.93 ,\t23.31,x,y,z",
  "A-17,2019-06-14T21:35:00+0300,BK 178,theft,pre_trial_investigation,0,0,x,y,z",
  "A-18,2019-06-14T21:35:00+03:00,BK 178,theft,pre_trial_investigation,NA,n/a,x,y,z",
  "A-19,2019-06-14T21:35:00+03:00,BK 178,théft,pre_trial_investigation,55.93,23.31,x,y,z",
  "A-20,2019-06-14T21:35:00+03:00,BK 178,theft,pre_trial_investigation,55.93,23.31,x,y,\u00a0z",
];

describe("the fast CSV path", () => {
  it("gives the same lake as csv-parse for any mix of valid and invalid plain-CSV rows", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(ROWS.length - 1), { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 64, max: 4096 }),
        async (picks, bom, trailingNewline, chunkBytes) => {
          const text = `${bom ? "\uFEFF" : ""}${HEADER}\n${picks.map((i) => ROWS[i]).join("\n")}${trailingNewline ? "\n" : ""}`;
          const parsed = await ingest("sample.csv", text, { fastCsv: false });
          expect(await ingest("sample.csv", text, { readers: 0, chunkBytes })).toEqual(parsed);
        },
      ),
      { seed: 8, numRuns: 60 },
    );
  }, 120_000);

  it("quarantines invalid UTF-8 and keeps the rest, as csv-parse does", async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEADER}\n${ROWS[0]}\n`),
      Buffer.from([0x41, 0x2d, 0x39, 0x39, 0x2c, 0xff, 0xfe, 0x0a]),
      Buffer.from(`${ROWS[1]}\n`),
    ]);
    expect(await ingest("bytes.csv", bytes, { readers: 0, chunkBytes: 100 })).toEqual(await ingest("bytes.csv", bytes, { fastCsv: false }));
  });

  it("falls back to csv-parse when a quote appears after the first chunks, with the same result", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ROWS[i % 3]!.replace(/^A-\d+/, `Q-${i}`));
    rows[250] = rows[250]!.replace("Šiauliai,x", '"Šiauliai, centre",x');
    const text = `${HEADER}\n${rows.join("\n")}\n`;
    expect(await ingest("quoted.csv", text, { readers: 0, chunkBytes: 1024 })).toEqual(await ingest("quoted.csv", text, { fastCsv: false }));
  });

  it("refuses the same files with the same messages", async () => {
    for (const text of ["", "\n\n", `${HEADER}\n`, "id,occurred_at,lat,lon\n1,2019-06-01T12:00:00+03:00,55.9,23.3\n", `${HEADER},id\n${ROWS[0]}\n`]) {
      expect(await ingest("refused.csv", text, { readers: 0 })).toEqual(await ingest("refused.csv", text, { fastCsv: false }));
    }
  });

  it("reads the bundled data in parallel reader threads into the same lake", async () => {
    const bundled = gunzipSync(await readFile(join(projectRoot, "data", "incidents", "siauliai-2015-2021.csv.gz")));
    const single = await ingest("siauliai-2015-2021.csv", bundled, { readers: 0 });
    expect(typeof single).toBe("object");
    expect(await ingest("siauliai-2015-2021.csv", bundled, { readers: 2, chunkBytes: 256 * 1024 })).toEqual(single);
    expect(await ingest("siauliai-2015-2021.csv", bundled, { fastCsv: false })).toEqual(single);
  }, 120_000);
});
