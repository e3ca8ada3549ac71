/**
 * A workbook whose incidents are not on its first sheet: exceljs keeps the sheets read before the
 * workbook's parts in temporary files and deletes a skipped one's file at once, often before the
 * stream skipSheet destroys has opened it. The failed open must not surface as an uncaught exception
 * (it did, as ENOENT on /tmp/tmp-…, failing a CI run). libuv's threads are kept busy, as on a loaded
 * machine, so that the open waits until after the delete.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pbkdf2 } from "node:crypto";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sheetRows } from "../etl/ingest/xlsx-rows.ts";

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "xlsx-skip-"));
  file = join(dir, "two-sheets.xlsx");
  const book = new ExcelJS.Workbook();
  book.addWorksheet("Summary").addRow(["Report", "2024"]);
  const sheet = book.addWorksheet("Incidents");
  sheet.addRow(["id", "time"]);
  for (let i = 0; i < 50; i++) sheet.addRow([`A-${i}`, "2024-03-01T10:00:00"]);
  await book.xlsx.writeFile(file);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it("reads the asked sheet past a skipped one, with no uncaught error, every time", async () => {
  const uncaught: unknown[] = [];
  const listen = (error: unknown) => uncaught.push(error);
  process.on("uncaughtException", listen);
  try {
    for (let i = 0; i < 10; i++) {
      // Keep libuv's threads busy, as a loaded machine does, so the skipped sheet's open waits behind them.
      const busy = Array.from({ length: 8 }, () => new Promise((done) => pbkdf2("x", "y", 20_000, 32, "sha256", done)));
      const rows: string[][] = [];
      for await (const row of sheetRows(file, "Incidents")) rows.push(row.cells);
      expect(rows).toHaveLength(51);
      await Promise.all(busy);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    process.off("uncaughtException", listen);
  }
  expect(uncaught).toEqual([]);
});
