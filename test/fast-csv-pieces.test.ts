/**
 * readCsvChunk decodes a chunk a piece at a time (TEXT_PIECE_BYTES, cut after line breaks): whatever
 * the piece size, the batch — rows, lines, byte offsets, refusals and their text — is the one the
 * chunk decoded whole gives.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BatchBuilder } from "../etl/ingest/batch-builder.ts";
import { readCsvChunk, TEXT_PIECE_BYTES, type CsvLayout } from "../etl/ingest/fast-csv.ts";
import type { IndexSettings } from "../etl/ingest/index-record.ts";
import type { RecordBatch } from "../etl/ingest/record-batch.ts";
import { canonicalSource } from "./helpers/shared.ts";

const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
const LINES = [
  "A-1,2019-06-14T21:35:00+03:00,BK 178,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,x",
  "A-2,2019-06-30T23:30:00Z,BK 178,burglary,pre_trial_investigation,55.94,23.32,Šiaulių m. sav.,Šiauliai,x",
  "A-3,2019-07-01T00:10:00,ANK 71,drug_possession,administrative_offence,56.0,22.94,Šiaulių r. sav.,Kuršėnai,x",
  "A-8,2019-06-14T21:35:00+03:00,BK 178,theft,pre_trial_investigation,,,Šiaulių m. sav.,Šiauliai,x",
  "A-14,2019-06-14T21:35:00+03:00,BK 178,theft,pre_trial_investigation,55.93,23.31",
  "A-19,2019-06-14T21:35:00+03:00,BK 178,théft,pre_trial_investigation,55.93,23.31,x,y,z",
  "",
  "  \t",
];
const INVALID_UTF8 = Buffer.from([0x41, 0x2d, 0x39, 0x39, 0x2c, 0xc5, 0xff, 0xfe]);

let settings: IndexSettings;
beforeAll(async () => {
  settings = { source: await canonicalSource(), now: Date.UTC(2026, 0, 1), timeZone: "Europe/Vilnius", resolution: 8 };
});

/** The batch of `bytes` read with pieces of `pieceBytes`, without its timings. */
function read(bytes: Buffer, pieceBytes: number): Omit<RecordBatch, "h3Seconds" | "readSeconds"> {
  const layout: CsvLayout = { header: HEADER.split(","), delimiter: "," };
  const { h3Seconds, readSeconds, ...batch } = readCsvChunk(bytes, layout, settings, new BatchBuilder(16), -1, pieceBytes);
  expect(h3Seconds + readSeconds).toBeGreaterThanOrEqual(0);
  return batch;
}

describe("readCsvChunk's pieces", () => {
  it("give the batch of the chunk decoded whole, for any piece size and any mix of lines", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(LINES.length), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 400 }),
        (picks, trailingNewline, pieceBytes) => {
          const parts = picks.map((i) => (i === LINES.length ? INVALID_UTF8 : Buffer.from(LINES[i]!)));
          const bytes = Buffer.concat(parts.flatMap((p, i) => (i === parts.length - 1 && !trailingNewline ? [p] : [p, Buffer.from("\n")])));
          expect(read(bytes, pieceBytes)).toEqual(read(bytes, Number.POSITIVE_INFINITY));
        },
      ),
      { seed: 19, numRuns: 300 },
    );
  });

  it("cut a chunk larger than a piece into several, with the same rows", () => {
    const bytes = Buffer.from(`${Array.from({ length: 2000 }, (_, i) => LINES[i % 3]!.replace(/^A-\d+/, `P-${i}`)).join("\n")}\n`);
    expect(bytes.length).toBeGreaterThan(4 * TEXT_PIECE_BYTES);
    const whole = read(bytes, Number.POSITIVE_INFINITY);
    expect(whole.kept).toBe(2000);
    expect(read(bytes, TEXT_PIECE_BYTES)).toEqual(whole);
  });
});
