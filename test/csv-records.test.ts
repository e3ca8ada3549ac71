/**
 * The CSV record splitter (etl/ingest/csv-records.ts): a malformed record costs its own line and
 * never a valid row after it, and every record keeps its own line number — checked on the shapes of
 * breakage exports have, and as a property over random files with random breakage.
 */
import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvRecords, type CsvRecord } from "../etl/ingest/csv-records.ts";

const OPTIONS = { delimiter: ",", maxRecordChars: 1_000_000, maxLineChars: 64 << 20, onTooLong: (line: number) => new Error(`line ${line} too long`) };

/** The records of `text` (fed in `chunk`-character pieces) as "line:fields" or "line:ERR". */
async function read(text: string, chunk = 7): Promise<string[]> {
  const pieces = Array.from({ length: Math.ceil(text.length / chunk) }, (_, i) => text.slice(i * chunk, (i + 1) * chunk));
  const out: string[] = [];
  for await (const r of csvRecords(Readable.from(pieces, { objectMode: true }), OPTIONS)) out.push(show(r));
  return out;
}
const show = (r: CsvRecord) => ("error" in r ? `${r.line}:ERR` : `${r.line}:${r.fields.join("|")}`);

describe("csvRecords", () => {
  it("refuses only the broken line and reads the rows after it, with their own line numbers", async () => {
    expect(await read('id,b\n1,x\n2,"q"z\n3,x\n4,x\n')).toEqual(["1:id|b", "2:1|x", "3:ERR", "4:3|x", "5:4|x"]);
    expect(await read('id,b\n1,x\n2,"open\n3,x\n4,x')).toEqual(["1:id|b", "2:1|x", "3:ERR", "4:3|x", "5:4|x"]);
    expect(await read('id,b\n1,x\n2,ab"c\n3,"multi\nline"\n4,x\n')).toEqual(["1:id|b", "2:1|x", "3:ERR", "4:3|multi\nline", "6:4|x"]);
    expect(await read('id,b\r\n1,x\r\n2,"q"z\r\n3,"a\r\nb"\r\n')).toEqual(["1:id|b", "2:1|x", "3:ERR", "4:3|a\r\nb"]);
    // A quote never closed that a later line's quote would close: the record would have the wrong width.
    expect(await read('a,b,c\n1,"open,2\n"\n","","""x"\n')).toEqual(["1:a|b|c", "2:ERR", '3:\n||"x']);
  });

  it("never lets a quote swallow a row: the row is read on its own (issue 21)", async () => {
    // b opens a quote in its locality that c's locality closes: read as one record it has the
    // header's width, but c alone is a whole row, so b's line is refused and c is read again.
    const h = "id,t,o,c,k,lat,lon,m,locality,s";
    const r = (id: string, locality: string) => `${id},2019,BK,theft,pt,55.9,23.3,Šiaulių m. sav.,${locality},x`;
    const out = await read(`${h}\n${r("a", "Šiauliai")}\n${r("b", '"Šiau')}\n${r("c", 'liai"')}\n${r("d", "Šiauliai")}\n`);
    expect(out.map((o) => o.split(":")[0])).toEqual(["1", "2", "3", "4", "5"]);
    expect(out[2]).toBe("3:ERR");
    expect(out[3]).toBe("4:ERR"); // c alone: a quote inside a field
    expect(out[4]).toBe("5:d|2019|BK|theft|pt|55.9|23.3|Šiaulių m. sav.|Šiauliai|x");
    // A quoted line break whose continuation is not a row is still one record.
    expect(await read(`${h}\n${r("a", '"Šiau\nliai"')}\n${r("d", "x")}\n`)).toEqual([
      "1:" + h.replaceAll(",", "|"),
      "2:a|2019|BK|theft|pt|55.9|23.3|Šiaulių m. sav.|Šiau\nliai|x",
      "4:d|2019|BK|theft|pt|55.9|23.3|Šiaulių m. sav.|x|x",
    ]);
  });

  it("ends a line at a bare carriage return, outside and inside quoted fields", async () => {
    expect(await read("id,b\r1,x\r2,y\n3,z\r\n4,w\r")).toEqual(["1:id|b", "2:1|x", "3:2|y", "4:3|z", "5:4|w"]);
    // A line break inside a quoted field is data, a bare CR too; the record still starts on its first line.
    expect(await read('id,b\n1,"a\rb"\r2,c\n')).toEqual(["1:id|b", "2:1|a\rb", "4:2|c"]);
    // \r at the end of one piece and \n at the start of the next are one break.
    for (const chunk of [1, 2, 3, 5]) expect(await read("id,b\r\n1,x\r\n\r\n2,y\r\n", chunk)).toEqual(["1:id|b", "2:1|x", "4:2|y"]);
  });

  it("skips blank lines without moving the next record's line or text", async () => {
    const records: CsvRecord[] = [];
    for await (const r of csvRecords(Readable.from(["\uFEFFid,b\n\n  \t\n1,x\n"]), OPTIONS)) records.push(r);
    expect(records).toEqual([
      { line: 1, fields: ["id", "b"], raw: "id,b\n" },
      { line: 4, fields: ["1", "x"], raw: "1,x\n" },
    ]);
  });

  it("gives a quote never closed up after maxRecordChars and reads on from the next line", async () => {
    const long = Array.from({ length: 50 }, (_, i) => `${i},row`).join("\n");
    const out: string[] = [];
    for await (const r of csvRecords(Readable.from([`id,b\n1,"open\n${long}\n`]), { ...OPTIONS, maxRecordChars: 100 })) out.push(show(r));
    expect(out.slice(0, 3)).toEqual(["1:id|b", "2:ERR", "3:0|row"]);
    expect(out).toHaveLength(52);
    // At full size: a million characters of rows taken back and read again, none lost.
    const many = Array.from({ length: 200_000 }, (_, i) => `${i},row`).join("\n");
    let rows = 0;
    for await (const r of csvRecords(Readable.from([`id,b\n1,"open\n${many}\n`]), OPTIONS)) if (!("error" in r)) rows++;
    expect(rows).toBe(200_001);
  });

  it("refuses a file whose line is longer than maxLineChars", async () => {
    expect(await read(`id,b\n${"x".repeat(5000)},y\n`, 100)).toEqual(["1:id|b", `2:${"x".repeat(5000)}|y`]);
    const small = { ...OPTIONS, maxLineChars: 1000 };
    const run = async () => {
      for await (const _ of csvRecords(Readable.from([`id,b\n`, "x".repeat(600), "x".repeat(600), "\n"]), small));
    };
    await expect(run()).rejects.toThrow("line 2 too long");
  });

  it("reads every valid row of a randomly broken file, at its line, whatever the chunking", async () => {
    // Quoted line breaks as the rule (csv-records.ts) takes them: not in the first column, and no
    // delimiter after the break (in that field or a later one), so no continuation line reads as a row.
    const field = (column: number) =>
      fc.oneof(
        fc.stringMatching(/^[a-zA-Z0-9 ]{0,6}$/),
        fc
          .stringMatching(/^[a-z,\n ]{0,6}$/)
          .map((s) => `"${column === 0 ? s.replaceAll("\n", " ") : s.replace(/\n[^]*$/, (tail) => tail.replaceAll(",", " "))}"`),
        fc.stringMatching(/^[a-z]{0,3}$/).map((s) => `"${s}""x"`),
      );
    const row = fc.tuple(field(0), field(1), field(2)).map((fields) => {
      const multi = fields.findIndex((f) => f.includes("\n"));
      return multi < 0 ? fields : fields.map((f, i) => (i > multi ? f.replaceAll(",", " ") : f));
    });
    const breakage = fc.constantFrom('"ab"c', 'ab"c', '"open', 'x"');
    const line = fc.oneof(
      { weight: 6, arbitrary: row.map((fields) => ({ fields, broken: false })) },
      { weight: 1, arbitrary: breakage.map((b) => ({ fields: ["1", b, "2"], broken: true })) },
      { weight: 1, arbitrary: fc.constant({ fields: [] as string[], broken: false }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 30 }), fc.boolean(), fc.integer({ min: 1, max: 40 }), async (lines, crlf, chunk) => {
        const eol = crlf ? "\r\n" : "\n";
        let at = 2;
        const expected: string[] = ["1:a|b|c"];
        const texts = lines.map(({ fields, broken }) => {
          const text = fields.join(",");
          const unquote = (f: string) => (f.startsWith('"') ? f.slice(1, -1).replaceAll('""', '"') : f.trim());
          if (fields.length === 0) at++;
          else {
            expected.push(broken ? `${at}:ERR` : `${at}:${fields.map((f) => unquote(f).replaceAll("\n", eol)).join("|")}`);
            at += text.split("\n").length;
          }
          return text.replaceAll("\n", eol);
        });
        // Ambiguous files are left out: a quote left open on one line, closed by the quote of a valid
        // row's multi-line field on a later line, is valid CSV read that way.
        const odd = lines.filter((l) => l.broken && l.fields[1] !== '"ab"c').length;
        const multiLine = lines.some((l) => !l.broken && l.fields.some((f) => f.includes("\n")));
        fc.pre(odd === 0 || !multiLine);
        expect(await read(`a,b,c${eol}${texts.join(eol)}${eol}`, chunk)).toEqual(expected);
      }),
      { seed: 20261125, numRuns: 300 },
    );
  });
});

/** Every record's physical lines: from its line, as many as the line breaks in its text (one more at the end of the file). */
function span(r: CsvRecord): number {
  const breaks = r.raw.match(/\r\n|\r|\n/g)?.length ?? 0;
  return /[\r\n]$/.test(r.raw) ? breaks : breaks + 1;
}

/** The file's physical lines, counted here independently of the reader: their texts. */
function physicalLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (/[\r\n]$/.test(text)) lines.pop();
  return lines;
}

async function records(text: string, chunk: number): Promise<CsvRecord[]> {
  const pieces = Array.from({ length: Math.ceil(text.length / chunk) }, (_, i) => text.slice(i * chunk, (i + 1) * chunk));
  const out: CsvRecord[] = [];
  for await (const r of csvRecords(Readable.from(pieces, { objectMode: true }), OPTIONS)) out.push(r);
  return out;
}

/** Every physical line is blank or lies in exactly one record, the records in file order. */
function expectEveryLineAccounted(text: string, read: readonly CsvRecord[]): void {
  const lines = physicalLines(text);
  const owner = new Array<string>(lines.length + 1).fill("");
  for (const r of read) {
    for (let l = r.line; l < r.line + span(r); l++) {
      expect(owner[l], `line ${l} in two records`).toBe("");
      owner[l] = "record";
    }
  }
  for (let l = 1; l <= lines.length; l++)
    expect(owner[l] || (/^[ \t\v\f]*$/.test(lines[l - 1]!) ? "blank" : ""), `line ${l}: ${JSON.stringify(lines[l - 1])}`).not.toBe("");
  expect(read.map((r) => r.line)).toEqual([...read.map((r) => r.line)].sort((a, b) => a - b));
}

describe("csvRecords under random quoting damage", () => {
  const eol = fc.constantFrom("\n", "\r\n", "\r");
  const plain = fc.stringMatching(/^[a-zA-Z0-9 ;.Šų]{0,6}$/);

  it("reads one record per non-blank line: a stray quote costs its own line, whatever the line ends and the chunking", async () => {
    const line = fc.oneof(
      { weight: 5, arbitrary: fc.tuple(plain, plain, plain, plain).map((fields) => ({ fields, quoteAt: -1 })) },
      { weight: 2, arbitrary: fc.tuple(fc.tuple(plain, plain, plain, plain), fc.nat()).map(([fields, at]) => ({ fields, quoteAt: at })) },
      { weight: 1, arbitrary: fc.constantFrom("", "  ", "\t").map((blank) => ({ fields: [blank], quoteAt: -2 })) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(line, eol), { maxLength: 30 }),
        eol,
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        async (lines, headerEol, lastEol, chunk) => {
          let text = `a,b,c,d${headerEol}`;
          const expected: string[] = ["1:a|b|c|d"];
          lines.forEach(([{ fields, quoteAt }, end], i) => {
            let body = fields.join(",");
            if (body === "" && text.endsWith("\r")) body = " "; // else \r then \n would be one break
            if (quoteAt >= 0) body = `${body.slice(0, quoteAt % (body.length + 1))}"${body.slice(quoteAt % (body.length + 1))}`;
            if (quoteAt !== -2) expected.push(quoteAt >= 0 ? `${i + 2}:ERR` : `${i + 2}:${fields.map((f) => f.trim()).join("|")}`);
            text += body + (i < lines.length - 1 || lastEol ? end : "");
          });
          const read = await records(text, chunk);
          expect(read.map(show)).toEqual(expected);
          // Rows read = the file's non-blank lines after the header, counted without the reader.
          expect(read.length - 1).toBe(
            physicalLines(text)
              .slice(1)
              .filter((l) => !/^[ \t\v\f]*$/.test(l)).length,
          );
          expectEveryLineAccounted(text, read);
        },
      ),
      { seed: 20261202, numRuns: 400 },
    );
  });

  it("accounts for every physical line and reads every intact one-line row, with quoted line breaks and damage anywhere", async () => {
    const field = fc.oneof(
      plain,
      fc.stringMatching(/^[a-z,\n\r ]{0,8}$/).map((s) => `"${s}"`),
      fc.stringMatching(/^[a-z,]{0,3}$/).map((s) => `"${s}""x"`),
    );
    const row = fc.record({ fields: fc.tuple(field, field, field), damage: fc.option(fc.nat(), { freq: 3, nil: undefined }), end: eol });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 25 }), fc.integer({ min: 1, max: 40 }), async (rows, chunk) => {
        let text = "a,b,c\n";
        let line = 2;
        const intact: string[] = [];
        for (const { fields, damage, end } of rows) {
          let body = fields.join(",");
          if (damage !== undefined) body = `${body.slice(0, damage % (body.length + 1))}"${body.slice(damage % (body.length + 1))}`;
          else if (!/[\r\n]/.test(body))
            intact.push(`${line}:${fields.map((f) => (f.startsWith('"') ? f.slice(1, -1).replaceAll('""', '"') : f.trim())).join("|")}`);
          line += physicalLines(body + end).length;
          text += body + end;
        }
        const read = await records(text, chunk);
        expectEveryLineAccounted(text, read);
        const shown = new Set(read.map(show));
        for (const row of intact) expect(shown.has(row), `${JSON.stringify(row)} in ${JSON.stringify(text)}`).toBe(true);
      }),
      { seed: 20261203, numRuns: 400 },
    );
  });
});
