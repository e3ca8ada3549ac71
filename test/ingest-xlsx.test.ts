/**
 * Excel workbooks (.xlsx) read directly, as police units export them: `describe` proposes a source
 * description from a sheet (date cells as ISO local clock times), `ingest` reads the sheet's rows as
 * it reads a CSV's — row numbers as Excel shows them, a blank row skipped, date cells read in the
 * source's time zone — and a workbook it cannot read is refused whole, naming what to do.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Document, Packer, Paragraph } from "docx";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { describeFile } from "../etl/ingest/describe-file.ts";
import { exportIdentity, exportName } from "../etl/ingest/export-identity.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { InputFileError } from "../etl/ingest/open-input.ts";
import { loadSourceDescription, type SourceDescription } from "../etl/ingest/source-description.ts";
import { cellText, plainNumber } from "../etl/ingest/xlsx-rows.ts";
import { lakeLayout } from "../etl/lake/lake-layout.ts";

const ZONE = "Europe/Vilnius";
const HEADER = ["Įvykio Nr.", "Įvykio laikas", "Platuma", "Ilguma", "Nusikaltimas", "Vietovė"];
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "xlsx-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A local clock time as Excel holds it: a Date whose UTC fields are the clock (no zone). */
const clock = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi));

type Cell = ExcelJS.CellValue;
interface Row {
  /** The row's number in the sheet. */
  at: number;
  cells: Cell[];
}

/**
 * The incident sheet: the header on row 1, then rows whose numbers are given (a gap is a blank row).
 * The time column is formatted as a date and time, as Excel formats a typed `2024-03-31 23:59`.
 */
function incidentRows(): Row[] {
  const rows: Row[] = [];
  let at = 2;
  const place = (i: number) => [55.93 + i * 0.001, 23.31 + i * 0.001];
  // Ordinary rows in March and April, enough for describe to decide the coordinates and bounds.
  for (let i = 0; i < 8; i++) rows.push({ at: at++, cells: [5000 + i, clock(2024, 3 + (i % 2), 10 + i, 14, 5), ...place(i), "Vagystė", "Šiauliai"] });
  rows.push({ at: at++, cells: [6001, clock(2024, 3, 31, 23, 59), ...place(9), "Vagystė iš automobilio", "Kuršėnai"] }); // March's last minute
  rows.push({ at: at++, cells: [6002, clock(2024, 4, 1, 0, 0), ...place(10), "Vagystė", "Šiauliai"] }); // April's first
  rows.push({ at: at++, cells: [6003, clock(2024, 3, 31, 3, 30), ...place(11), "Vagystė", "Šiauliai"] }); // in the DST gap
  at++; // a blank row
  // A numeric id beyond 2^32 and a rich-text offence.
  rows.push({
    at: at++,
    cells: [123456789012, clock(2024, 4, 2, 9, 0), ...place(12), { richText: [{ text: "Vag" }, { font: { bold: true }, text: "ystė" }] }, "Šiauliai"],
  });
  // An id computed by a formula (its cached result is read).
  rows.push({ at: at++, cells: [{ formula: "A2+10000", result: 15000 }, clock(2024, 4, 3, 10, 0), ...place(13), "Vagystė", "Šiauliai"] });
  rows.push({ at, cells: [6005, clock(2024, 4, 4, 11, 0), "55,9x", 23.32, "Vagystė", "Šiauliai"] }); // unreadable latitude
  return rows;
}

/** Writes a workbook: each sheet's rows at their row numbers, date cells formatted as a date and time. */
async function workbook(file: string, sheets: Array<{ name: string; header?: Cell[]; rows: Row[] }>): Promise<string> {
  const book = new ExcelJS.Workbook();
  for (const { name, header, rows } of sheets) {
    const sheet = book.addWorksheet(name);
    if (header) sheet.getRow(1).values = header;
    for (const { at, cells } of rows) {
      const row = sheet.getRow(at);
      row.values = cells;
      row.eachCell((cell) => {
        if (cell.value instanceof Date) cell.numFmt = "yyyy-mm-dd hh:mm";
      });
    }
  }
  await book.xlsx.writeFile(file);
  return file;
}

async function quarantine(file: string, lake: string, source: SourceDescription) {
  const path = lakeLayout.quarantineFile(lake, exportName(await exportIdentity(file, lake, source.id)));
  return withConnection(async (c) => (await c.runAndReadAll(`SELECT line, code, raw FROM read_parquet(?) ORDER BY line`, [path])).getRowObjectsJson());
}

async function incidents(lake: string) {
  const glob = join(lake, "incidents", "**", "*.parquet");
  const sql = `SELECT id, strftime(timezone('${ZONE}', occurred_at), '%Y-%m-%dT%H:%M') AS local, offence_code, locality, source_line, month
    FROM read_parquet(?, hive_partitioning = true) ORDER BY source_line`;
  return withConnection(async (c) => (await c.runAndReadAll(sql, [glob])).getRowObjectsJson());
}

describe("an Excel workbook, described and ingested", () => {
  it("proposes an ISO local time from the date cells and ingests every row by its sheet row number", async () => {
    const rows = incidentRows();
    // The incidents on the second sheet; the first is a summary, as exports often begin.
    const file = await workbook(join(dir, "ivykiai.xlsx"), [
      { name: "Santrauka", rows: [{ at: 1, cells: ["Ataskaita", "2024 m. kovas–balandis"] }] },
      { name: "Įvykiai", header: HEADER, rows },
    ]);
    const described = await describeFile(file, { sheet: "Įvykiai" });
    expect(described.proposal.undecided).toEqual([]);
    expect(described.complete).toBe(true);
    const yamlPath = join(dir, "ivykiai.yaml");
    await writeFile(yamlPath, described.yaml);
    const source = await loadSourceDescription(yamlPath);
    expect([source.id, source.format]).toEqual(["ivykiai", "xlsx"]);
    expect(source.sheet).toBe("Įvykiai");
    expect(source.columns.time).toEqual({ format: "iso", column: "Įvykio laikas" });
    expect([source.columns.id, source.columns.x, source.columns.y]).toEqual(["Įvykio Nr.", "Ilguma", "Platuma"]);
    expect(source.timezone).toBe(ZONE);

    const lake = join(dir, "lake");
    const report = await ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: ZONE, source });
    // Every data row is read (the blank one is not a row), each kept or quarantined by its row number.
    expect(report.rows_read).toBe(rows.length);
    const dst = rows.find((r) => (r.cells[1] as Date).getTime() === clock(2024, 3, 31, 3, 30).getTime())!;
    const badPoint = rows.find((r) => r.cells[2] === "55,9x")!;
    const q = await quarantine(file, lake, source);
    expect(q.map((r) => [Number(r.line), r.code])).toEqual([
      [dst.at, "nonexistent_local_time"],
      [badPoint.at, "invalid_coordinates"],
    ]);
    expect(String(q[1]!.raw)).toContain("55,9x");
    const kept = await incidents(lake);
    expect(kept.map((r) => Number(r.source_line))).toEqual(rows.filter((r) => r !== dst && r !== badPoint).map((r) => r.at));
    const byId = new Map(kept.map((r) => [String(r.id), r]));
    // Date cells are local clock times in the source's zone: the last minute of March stays in March.
    expect(byId.get("6001")).toMatchObject({ local: "2024-03-31T23:59", month: "2024-03", offence_code: "Vagystė iš automobilio", locality: "Kuršėnai" });
    expect(byId.get("6002")).toMatchObject({ local: "2024-04-01T00:00", month: "2024-04" });
    // A large numeric id in full, a formula's cached result, rich text as its plain text.
    expect(byId.get("123456789012")).toMatchObject({ offence_code: "Vagystė" });
    expect(byId.get("15000")).toMatchObject({ local: "2024-04-03T10:00" });
    const months = (m: string) => rows.filter((r) => r !== dst && r !== badPoint && (r.cells[1] as Date).toISOString().startsWith(m)).length;
    expect(report.months.map((m) => [m, kept.filter((r) => r.month === m).length])).toEqual([
      ["2024-03", months("2024-03")],
      ["2024-04", months("2024-04")],
    ]);
  });
});

describe("a row whose last cells are blank (Houston's rows without MapLongitude/MapLatitude)", () => {
  it("is tried by describe as the ingest reads it: its own reason, not a malformed record", async () => {
    const place = (i: number) => [55.93 + i * 0.001, 23.31 + i * 0.001];
    const rows: Row[] = Array.from({ length: 12 }, (_, i) => ({
      at: 2 + i,
      cells: [5000 + i, clock(2024, 3, 10 + i, 14, 5), ...place(i), "Vagystė", "Šiauliai"],
    }));
    // No locality on one row, and neither locality nor a point on another: Excel stores neither cell.
    rows[3] = { at: 5, cells: [5003, clock(2024, 3, 13, 14, 5), ...place(3), "Vagystė"] };
    rows[7] = { at: 9, cells: [5007, clock(2024, 3, 17, 14, 5)] };
    rows[7].cells[4] = "Vagystė";
    const file = await workbook(join(dir, "tusti.xlsx"), [{ name: "Įvykiai", header: HEADER, rows }]);
    const described = await describeFile(file);
    expect(described.proposal.undecided).toEqual([]);
    const yamlPath = join(dir, "tusti.yaml");
    await writeFile(yamlPath, described.yaml);
    const source = await loadSourceDescription(yamlPath);
    const report = await ingestFile(file, { lakeDir: join(dir, "lake"), resolution: 8, timeZone: ZONE, source });
    expect(report.quarantine_reasons).toEqual({ missing_coordinates: 1 });
    expect(described.sample?.quarantined).toEqual(report.quarantine_reasons);
  });
});

describe("cell texts", () => {
  it("writes numbers in plain notation with JavaScript's digits, never exponents", () => {
    expect([1e-7, 54.9, 123456789012, 1.5e21, -2.5e-8].map(plainNumber)).toEqual([
      "0.0000001",
      "54.9",
      "123456789012",
      "1500000000000000000000",
      "-0.000000025",
    ]);
  });

  it("gives a date cell its local clock, a day alone as a day, a clock alone as a clock", () => {
    expect(cellText(clock(2024, 3, 31, 23, 59), "dd.mm.yyyy hh:mm", false)).toBe("2024-03-31T23:59:00");
    // Midnight in a format with a clock is still a time, in a day's format a day.
    expect(cellText(clock(2024, 4, 1), "yyyy-mm-dd hh:mm", false)).toBe("2024-04-01T00:00:00");
    expect(cellText(clock(2024, 4, 1), "yyyy-mm-dd", false)).toBe("2024-04-01");
    // A formula's numeric result in a date format (exceljs dates plain cells only): serial 45382.5 is 2024-03-31 12:00.
    expect(cellText({ formula: "A1+0.5", result: 45382.5 }, "yyyy-mm-dd hh:mm", false)).toBe("2024-03-31T12:00:00");
    expect(cellText({ formula: "B1", result: 0.9375 }, "h:mm", false)).toBe("22:30:00");
    expect(cellText(" Šiauliai ", undefined, false)).toBe("Šiauliai");
  });
});

describe("a workbook that cannot be read is refused, and the lake is not changed", () => {
  const source = (format: "xlsx" | "csv", sheet?: string): SourceDescription =>
    ({
      id: "xlsx-test",
      title: "x",
      format,
      ...(sheet ? { sheet } : {}),
      encoding: "utf-8",
      delimiter: ",",
      decimal: ".",
      timezone: ZONE,
      crs: "EPSG:4326",
      bounds: [20, 53, 27, 57],
      columns: { id: HEADER[0], time: { format: "iso", column: HEADER[1] }, x: HEADER[3], y: HEADER[2], offence: { column: HEADER[4] } },
      categories: { Vagystė: "theft" },
      repeated_ids: "quarantine",
    }) as SourceDescription;

  async function refusal(name: string, bytes: Buffer | (() => Promise<string>), description = source("xlsx")) {
    const file = typeof bytes === "function" ? await bytes() : join(dir, name);
    if (typeof bytes !== "function") await writeFile(file, bytes);
    const lake = join(dir, "lake");
    const error = await ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: ZONE, source: description }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputFileError);
    await expect(readFile(join(lake, "manifest.json"))).rejects.toThrow();
    return (error as InputFileError).message;
  }

  it("an old binary .xls, and a password-encrypted workbook, each saying how to save it", async () => {
    const compound = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(await refusal("old.xls", Buffer.concat([compound, Buffer.alloc(4096)]))).toMatch(
      /Excel 97–2003 workbook \(\.xls.*save it as "Excel Workbook \(\.xlsx\)"/,
    );
    // The same bytes under a CSV description: refused alike, not read as text.
    expect(await refusal("old.csv", Buffer.concat([compound, Buffer.alloc(4096)]), source("csv"))).toMatch(/Excel 97–2003 workbook/);
    const encrypted = Buffer.concat([compound, Buffer.alloc(1500), Buffer.from("EncryptedPackage", "utf16le"), Buffer.alloc(600)]);
    expect(await refusal("locked.xlsx", encrypted)).toMatch(/password-protected \(encrypted\) Excel workbook.*remove the password/);
  });

  it("a damaged workbook (cut short), an empty sheet, a missing sheet, and a ZIP that is no workbook", async () => {
    const whole = await readFile(await workbook(join(dir, "whole.xlsx"), [{ name: "Įvykiai", header: HEADER, rows: incidentRows() }]));
    expect(await refusal("cut.xlsx", whole.subarray(0, Math.floor(whole.length * 0.6)))).toMatch(/is a damaged Excel workbook .*save it again as \.xlsx/);
    const empty = () => workbook(join(dir, "empty.xlsx"), [{ name: "Lapas1", rows: [] }]);
    expect(await refusal("empty.xlsx", empty)).toMatch(/sheet 'Lapas1' is empty/);
    const two = () =>
      workbook(join(dir, "two.xlsx"), [
        { name: "A", header: HEADER, rows: incidentRows() },
        { name: "B", rows: [] },
      ]);
    expect(await refusal("two.xlsx", two, source("xlsx", "Įvykiai"))).toMatch(/has no sheet named 'Įvykiai' \(its sheets: 'A', 'B'\)/);
    // A Word document is a ZIP archive too, but no workbook.
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph("Ataskaita")] }] }));
    expect(await refusal("report.xlsx", docx)).toMatch(/is a ZIP archive, not an Excel workbook/);
    // A CSV opened where the spreadsheet splits by another separator, saved as a workbook: each row in one cell.
    const oneCell = () =>
      workbook(join(dir, "one-cell.xlsx"), [
        { name: "Lapas1", header: [HEADER.join(";")], rows: [{ at: 2, cells: ["6001;2024-03-31 23:59;55.93;23.31;Vagystė;Šiauliai"] }] },
      ]);
    const split = await refusal("one-cell.xlsx", oneCell);
    expect(split).toMatch(/the header is one cell holding names split by ";".*format: csv, delimiter: ";".*Text to Columns/);
    expect(split).not.toMatch(/write delimiter/);
    // A workbook under a CSV description: refused as before, saying to write format: xlsx.
    expect(await refusal("whole.csv", whole, source("csv"))).toMatch(/ZIP archive \(an Excel workbook\?\).*write format: xlsx/);
  });
});
