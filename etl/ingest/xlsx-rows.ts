/**
 * The rows of one sheet of an Excel workbook (.xlsx), as the texts a CSV export of it would hold, so
 * that the mapping reads a workbook as it reads CSV. The workbook is streamed (exceljs's
 * WorkbookReader): rows are handed on as the sheet's XML is parsed, and the sheet waits in a temporary
 * file until the archive's end (below), never in memory.
 */
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import type ExcelJS from "exceljs";
import { checkInputFile, firstBytes, InputFileError, refuseOfficeBinary } from "./open-input.ts";

/** One row of a sheet: its row number as Excel shows it, and its cells' texts from column A (trailing blanks dropped). */
export interface SheetRow {
  line: number;
  cells: string[];
}

/** What the rows were read from: the sheet's name and every sheet of the workbook, in tab order. */
export interface SheetInfo {
  sheet: string;
  sheets: string[];
}

// The parts of exceljs's streaming reader used here that its type declarations leave out.
interface SheetReader extends AsyncIterable<ExcelJS.Row> {
  name?: string;
  iterator?: unknown;
}
interface BookReader {
  // Emitted shared strings come as bare { index, text } items (exceljs 4.4 gives them no eventType).
  parse(): AsyncIterable<{ eventType?: string; value?: unknown; index?: number; text?: unknown }>;
  model?: { sheets?: Array<{ name?: string }> };
  properties?: { model?: { date1904?: boolean } };
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Reads of a workbook before exceljs's dropped workbook part counts as the file's (see sheetRows). */
const READ_ATTEMPTS = 3;

/** Whether the file starts as a ZIP archive does (an .xlsx is one). */
export async function isZipFile(file: string): Promise<boolean> {
  const magic = await firstBytes(file, 4);
  return ZIP_MAGIC.every((b, i) => magic[i] === b);
}

/**
 * The rows of the sheet named `sheet` (default the first in tab order), in order; `info` is filled
 * in when the sheet is found. Rows Excel stores no cell for are not given at all. A file that is not
 * a readable workbook, a sheet that is not there or holds nothing, is refused as a whole
 * (InputFileError): nothing reaches the lake.
 */
export async function* sheetRows(file: string, sheet?: string, info: Partial<SheetInfo> = {}): AsyncGenerator<SheetRow> {
  await checkInputFile(file);
  const magic = await firstBytes(file, 8);
  if (magic.length === 0) throw new InputFileError(file, "is empty (0 bytes)");
  await refuseOfficeBinary(file, magic);
  if (!ZIP_MAGIC.every((b, i) => magic[i] === b)) {
    throw new InputFileError(
      file,
      `is not an Excel workbook (.xlsx): its bytes are not a ZIP archive${magic[0] === 0x1f && magic[1] === 0x8b ? " but gzip (a workbook is compressed already)" : ""}`,
      "for CSV, JSON Lines or GeoJSON write that format in the source description (hotspots describe FILE proposes one)",
    );
  }
  // Loaded here, not with the module: exceljs takes a second or two to load, which no CSV ingest should pay.
  const { default: excel } = await import("exceljs");
  let book: BookReader;
  let found: boolean;
  let rows: number;
  for (let attempt = 1; ; attempt++) {
    const input = createReadStream(file);
    book = new excel.stream.xlsx.WorkbookReader(input, {
      // Shared strings emitted, not cached: exceljs then keeps every sheet in a temporary file until the
      // archive's end, so the workbook's sheet names, date system and number formats (which tell date
      // cells from numbers) are known before a row is read, whatever order its writer stored its parts in
      // (a sheet read before them came with no dates, or failed on the date system: exceljs issue 1329).
      sharedStrings: "emit",
      styles: "cache",
      hyperlinks: "ignore",
      worksheets: "emit",
      entries: "ignore",
    }) as unknown as BookReader;
    const strings: unknown[] = [];
    found = false;
    rows = 0;
    try {
      for await (const { eventType, value, index, text } of book.parse()) {
        if (eventType === undefined && index !== undefined) {
          strings[index] = text;
          continue;
        }
        if (eventType !== "worksheet") continue;
        const reader = value as SheetReader;
        const names = (book.model?.sheets ?? []).map((s) => s.name ?? "");
        const wanted = sheet ?? names[0];
        // Sheets are emitted in the archive's order, not the tabs'; an unnamed one is taken only as the first asked for.
        if (found || (wanted !== undefined && reader.name !== undefined && reader.name !== wanted)) {
          skipSheet(reader);
          continue;
        }
        found = true;
        info.sheet = reader.name ?? wanted ?? "";
        info.sheets = names;
        const date1904 = book.properties?.model?.date1904 === true;
        for await (const row of reader) {
          const cells = rowTexts(row, date1904, strings);
          if (cells.length === 0) continue;
          rows++;
          yield { line: row.number, cells };
        }
      }
    } catch (error) {
      if (error instanceof InputFileError) throw error;
      // exceljs's unzip now and then ends without handing over the workbook part (seen under load, about one
      // read in thirty of test/xlsx-skipped-sheet.test.ts), and then fails on its deferred sheets: before any
      // row was given, the file is read again; a workbook truly without that part fails every time.
      if (book.model === undefined && !found && rows === 0 && attempt < READ_ATTEMPTS) continue;
      throw new InputFileError(
        file,
        `is a damaged Excel workbook (${(error as Error).message}): the download was cut or the file corrupted`,
        "open it in Excel or LibreOffice and save it again as .xlsx (or download it again)",
        (reason, advice) => `${reason}; ${advice}; the lake was not changed`,
      );
    } finally {
      input.destroy();
    }
    break;
  }
  const names = (book.model?.sheets ?? []).map((s) => s.name ?? "");
  if (book.model === undefined) {
    throw new InputFileError(file, "is a ZIP archive, not an Excel workbook (it holds no xl/workbook.xml)", "unzip it and give the export inside");
  }
  const list = names.map((n) => `'${n}'`).join(", ");
  if (!found) {
    throw new InputFileError(
      file,
      sheet === undefined ? "is an Excel workbook with no sheet" : `has no sheet named '${sheet}' (its sheets: ${list})`,
      "write the sheet that holds the incidents as sheet: NAME in the source description",
    );
  }
  if (rows === 0) {
    throw new InputFileError(
      file,
      `sheet '${info.sheet}' is empty: it has no header row and no rows`,
      names.length > 1
        ? `write the sheet that holds the incidents as sheet: NAME in the source description (its sheets: ${list})`
        : "export the incidents again",
    );
  }
}

/**
 * A sheet not asked for: its rows are not parsed, and a copy waiting in a temporary file is closed.
 * exceljs deletes that file as soon as this returns, often before the stream has opened it; the open
 * then fails with ENOENT on the destroyed stream, an uncaught exception unless something listens.
 */
function skipSheet(reader: SheetReader): void {
  const pending = reader.iterator as Partial<Readable> | undefined;
  if (typeof pending?.destroy !== "function") return;
  pending.on?.("error", () => undefined);
  pending.destroy();
}

/** A row's cells as texts, column A first; blanks after the last cell with a value dropped. */
function rowTexts(row: ExcelJS.Row, date1904: boolean, strings: readonly unknown[]): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    // A text cell refers to the workbook's table of strings by its index.
    const shared = cell.value !== null && typeof cell.value === "object" && "sharedString" in cell.value;
    const value = shared ? (strings[(cell.value as unknown as { sharedString: number }).sharedString] as ExcelJS.CellValue) : cell.value;
    const text = cellText(value, cell.numFmt, date1904);
    if (text !== "") {
      while (cells.length < column - 1) cells.push("");
      cells[column - 1] = text;
    }
  });
  return cells;
}

/**
 * A cell as the text the mapping reads, trimmed as the CSV reader trims fields: text as it is; a
 * number as JavaScript writes it, never in exponent form; a date cell as its local clock
 * (cellDateText); a formula as its cached result (an error result, which the reader cannot see, as
 * blank); rich text as its plain text; an error cell as Excel shows it (`#N/A`); a boolean as TRUE/FALSE.
 */
export function cellText(value: ExcelJS.CellValue | undefined, numFmt: string | undefined, date1904: boolean): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "";
    // exceljs dates only plain cells: a formula's numeric result in a date format is a date too.
    return isDateFormat(numFmt) ? cellDateText(serialDate(value, date1904), numFmt) : plainNumber(value);
  }
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return cellDateText(value, numFmt);
  if ("richText" in value)
    return value.richText
      .map((run) => run.text ?? "")
      .join("")
      .trim();
  if ("error" in value) return String(value.error);
  if ("result" in value) return cellText(value.result as ExcelJS.CellValue, numFmt, date1904);
  if ("text" in value) return cellText(value.text as ExcelJS.CellValue, numFmt, date1904);
  return "";
}

/** Excel's day number as the Date whose UTC fields are its local clock (as exceljs dates plain cells). */
function serialDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

// A number format shows a date or a clock when it holds those letters outside quoted text and [..] (colours, elapsed hours).
const formatLetters = (numFmt: string) => numFmt.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, "");
const isDateFormat = (numFmt: string | undefined) => numFmt !== undefined && /[ymdhsb]/i.test(formatLetters(numFmt).replace(/general/gi, ""));

/**
 * A date cell's local clock. Excel stores a clock time with no zone (exceljs gives it as the UTC
 * fields of a Date), read in the source's time zone like any floating local time:
 * `yyyy-MM-ddTHH:mm:ss` to the nearest second; a day whose format shows no clock and whose time is
 * midnight as `yyyy-MM-dd`; a clock alone (a format with no day, on Excel's day 0) as `HH:mm:ss`,
 * as a time-of-day column reads it.
 */
export function cellDateText(date: Date, numFmt: string | undefined): string {
  const iso = new Date(Math.round(date.getTime() / 1000) * 1000).toISOString();
  const [day, clock] = [iso.slice(0, 10), iso.slice(11, 19)];
  const letters = formatLetters(numFmt ?? "");
  const showsDay = /[yd]/i.test(letters) || /m{3,}/i.test(letters) || !/[hs]/i.test(letters);
  const showsClock = /[hs]/i.test(letters);
  if (!showsDay && (day === "1899-12-30" || day === "1899-12-31" || day === "1904-01-01")) return clock;
  if (!showsClock && clock === "00:00:00") return day;
  return `${day}T${clock}`;
}

/** A number in plain decimal notation with JavaScript's shortest round-trip digits: 1e-7 → 0.0000001, 1e21 → 1000000000000000000000. */
export function plainNumber(value: number): string {
  const text = String(value);
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const [, sign, lead, rest = "", power] = exponent;
  const digits = `${lead}${rest}`;
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
