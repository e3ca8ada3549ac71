/**
 * IncidentRows.writeMonth reads the texts from the dictionary variable each connection sets once
 * per dictionary: a later month on the same connection gets the same texts, and a new dictionary
 * (setDictionary again) gives that dictionary's texts, not the ones the connection read before.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sqlLiteral, withConnections } from "../etl/duckdb/connection.ts";
import { IncidentRows } from "../etl/lake/incident-rows.ts";

describe("IncidentRows.writeMonth", () => {
  it("writes the texts of the dictionary set last, on every connection, month after month", async () => {
    const dir = await mkdtemp(join(tmpdir(), "incident-rows-dictionary-"));
    try {
      await withConnections(2, async ([first, second]) => {
        const rows = await IncidentRows.create(first!);
        rows.close();
        // Codes 0-5 are the six texts of a row, 6 and 7 its month (two months).
        await first!.run(`INSERT INTO stage_incidents VALUES
          ('A', 1.7e12, 0, 1, 2, 3, 4, 5, 6, 617700169958293503, 55.9, 23.3, 2, 1, 0),
          ('B', 1.7e12, 0, 1, 2, 3, 4, 5, 7, 617700169958293503, 55.9, 23.3, 3, 2, 0)`);
        const texts = async (connection: typeof first, month: number, name: string) => {
          const path = join(dir, `${name}.parquet`);
          await rows.writeMonth(connection!, month, path, true, { source: "s", file: "f.csv" });
          const reader = await connection!.runAndReadAll(
            `SELECT time_precision, offence_code, offence_category, case_type, municipality, locality FROM read_parquet(${sqlLiteral(path)})`,
          );
          return reader.getRowsJS()[0];
        };
        const one = ["minute", "x1", "theft", "unspecified", "Šiaulių m. sav.", "Centras", "2025-01", "2025-02"];
        await rows.setDictionary(one);
        expect(await texts(first, 6, "a")).toEqual(one.slice(0, 6));
        expect(await texts(first, 7, "b")).toEqual(one.slice(0, 6));
        expect(await texts(second, 7, "c")).toEqual(one.slice(0, 6));

        const other = ["day", "y2", "fraud", "pre_trial_investigation", "Joniškio r. sav.", "Žagarė", "2025-01", "2025-02"];
        await rows.setDictionary(other);
        expect(await texts(first, 6, "d")).toEqual(other.slice(0, 6));
        expect(await texts(second, 7, "e")).toEqual(other.slice(0, 6));
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
