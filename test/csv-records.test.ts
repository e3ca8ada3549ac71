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
    const field = fc.oneof(
      fc.stringMatching(/^[a-zA-Z0-9 ]{0,6}$/),
      fc.stringMatching(/^[a-z,\n ]{0,6}$/).map((s) => `"${s}"`),
      fc.stringMatching(/^[a-z]{0,3}$/).map((s) => `"${s}""x"`),
    );
    const row = fc.tuple(field, field, field);
    const breakage = fc.constantFrom('"ab"c', 'ab"c', '"open', 'x"');
    const line = fc.oneof({ weight: 6, arbitrary: row.map((fields) => ({ fields, broken: false })) }, { weight: 1, arbitrary: breakage.map((b) => ({ fields: ["1", b, "2"], broken: true })) }, { weight: 1, arbitrary: fc.constant({ fields: [] as string[], broken: false }) });
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
        // Ambiguous files are left out: a quote left open on one line, closed by a quote on a later
        // line (another broken line, or a valid row's multi-line field), is valid CSV read that way.
        const odd = lines.filter((l) => l.broken && l.fields[1] !== '"ab"c').length;
        const multiLine = lines.some((l) => !l.broken && l.fields.some((f) => f.includes("\n")));
        fc.pre(odd === 0 || (odd === 1 && !multiLine));
        expect(await read(`a,b,c${eol}${texts.join(eol)}${eol}`, chunk)).toEqual(expected);
      }),
      { seed: 20261125, numRuns: 300 },
    );
  });
});
