/**
 * IncidentRows appends batches' rows in chunks of its own, across batch boundaries and reusing a
 * chunk: whatever the batch sizes, the staged table holds every row, in order, with every value.
 */
import { describe, expect, it } from "vitest";
import { withConnections } from "../etl/duckdb/connection.ts";
import { IncidentRows } from "../etl/lake/incident-rows.ts";
import { TEXT_COUNT, type RecordBatch } from "../etl/ingest/record-batch.ts";

/** A batch of `n` kept rows numbered from `first` (only what IncidentRows reads). */
function batch(first: number, n: number): RecordBatch {
  const ids = Array.from({ length: n }, (_, i) => `ID-${first + i}${"x".repeat((first + i) % 17)}`);
  const cell = new Uint32Array(2 * n);
  const contentHash = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) {
    cell[2 * i] = first + i; // low half
    cell[2 * i + 1] = 0x08800000 + ((first + i) % 7);
    contentHash[2 * i] = (first + i) * 2654435761;
    contentHash[2 * i + 1] = first + i;
  }
  return {
    kept: n,
    line: Int32Array.from({ length: n }, (_, i) => i + 1),
    occurredAt: Float64Array.from({ length: n }, (_, i) => 1.7e12 + (first + i) * 1000),
    lat: Float64Array.from({ length: n }, (_, i) => 55 + (first + i) * 1e-6),
    lon: Float64Array.from({ length: n }, (_, i) => 23 + (first + i) * 1e-6),
    text: Uint32Array.from({ length: n * TEXT_COUNT }, (_, k) => (Math.floor(k / TEXT_COUNT) + first + (k % TEXT_COUNT)) % 5),
    cell,
    contentHash,
    ambiguous: Uint8Array.from({ length: n }, (_, i) => (first + i) % 2),
    ids: ids.join(""),
    idLengths: Uint32Array.from(ids, (id) => id.length),
  } as unknown as RecordBatch;
}

describe("IncidentRows.append", () => {
  it("stages every row of batches of any size, in order, with its values", async () => {
    // Sizes around the chunk (2048 rows) and past the reuses of one chunk (32 × 2048).
    const sizes = [1, 2047, 2, 2048, 0, 5000, 70_000, 3];
    const codes = Uint32Array.from([10, 11, 12, 13, 14]);
    await withConnections(1, async ([connection]) => {
      const rows = await IncidentRows.create(connection!);
      let first = 0;
      let lineOffset = 0;
      for (const n of sizes) {
        rows.append(batch(first, n), codes, lineOffset);
        first += n;
        lineOffset += 100_000;
      }
      rows.close();
      const reader = await connection!.runAndReadAll(
        "SELECT id, occurred_ms, time_precision, month, h3_cell, lat, lon, source_line, record_hash, ambiguous FROM stage_incidents",
      );
      const got = reader.getRowsJS();
      expect(got).toHaveLength(first);
      let at = 0;
      lineOffset = 0;
      for (const n of sizes) {
        for (let i = 0; i < n; i++, at++) {
          const row = got[at]!;
          expect(row[0]).toBe(`ID-${at}${"x".repeat(at % 17)}`);
          expect(row[1]).toBe(1.7e12 + at * 1000);
          expect(row[2]).toBe(10 + (at % 5));
          expect(row[3]).toBe(10 + ((at + TEXT_COUNT - 1) % 5));
          expect(row[4]).toBe((BigInt(0x08800000 + (at % 7)) << 32n) | BigInt(at));
          expect(row[5]).toBe(55 + at * 1e-6);
          expect(row[6]).toBe(23 + at * 1e-6);
          expect(row[7]).toBe(i + 1 + lineOffset);
          expect(row[8]).toBe((BigInt(at) << 32n) | BigInt((at * 2654435761) >>> 0));
          expect(row[9]).toBe(at % 2);
        }
        lineOffset += 100_000;
      }
    });
  }, 60_000);
});
