/**
 * The one CSV formula-injection guard (etl/csv/formula-guard.ts, OWASP rule): every CSV writer of
 * the product uses it — the evaluation report tables and the dashboard's table downloads — and
 * ingest refuses the same texts as `formula_text`.
 */
import { realpathSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvText } from "../dashboard/src/components/csv.js";
import { guardCell, startsLikeFormula } from "../etl/csv/formula-guard.js";
import { toCsv } from "../etl/evaluation/report/report-csv.ts";
import { mapRecord } from "../etl/ingest/map-record.ts";
import { canonicalSource, projectRoot } from "./helpers/shared.ts";

const FORMULAS = [
  "=1+1",
  "+1+1",
  "-1+1",
  "@SUM(A1)",
  "\t=1",
  "\r=1",
  "-2+3+cmd|' /C calc'!A0",
  '=HYPERLINK("x")',
  "-",
  "+",
  "- text",
  "-5 Main St",
  "+370 600 00000",
];
const SAFE = ["-2", "+3", "-0.5", "-.5", "1e-3", "-1E+6", "12", "Šiauliai", "a=1", " =1", "", "'=1"];

describe("startsLikeFormula and guardCell", () => {
  it("flag a leading = + - @ tab or CR unless the whole text is a number", () => {
    for (const text of FORMULAS) expect([text, startsLikeFormula(text), guardCell(text)]).toEqual([text, true, `'${text}`]);
    for (const text of SAFE) expect([text, startsLikeFormula(text), guardCell(text)]).toEqual([text, false, text]);
  });

  it("are what every writer and ingest apply, for any text", async () => {
    const source = await canonicalSource();
    const row = {
      id: "x",
      occurred_at: "2019-06-14T21:35:00+03:00",
      offence_code: "BK 178",
      offence_category: "theft",
      case_type: "pre_trial_investigation",
      lat: "55.93",
      lon: "23.31",
      municipality: "Šiaulių m. sav.",
      source: "s",
    };
    const text = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.tuple(fc.constantFrom("=", "+", "-", "@", "\t", "\r"), fc.string({ maxLength: 6 })).map(([a, b]) => a + b),
      fc.double({ noNaN: true }).map(String),
    );
    fc.assert(
      fc.property(text, (t) => {
        const flagged = startsLikeFormula(t);
        // The report CSV (LF lines) and the dashboard CSV (CRLF lines) write the guarded text, quoted where needed.
        const cell = (csv: string, eol: string) => {
          const body = csv.slice(1).split(eol)[1]!;
          return body.startsWith('"') ? body.slice(1, -1).replaceAll('""', '"') : body;
        };
        if (!/[\r\n]/.test(t)) {
          expect(cell(toCsv(["a"], [{ a: t }]), "\n")).toBe(flagged ? `'${t}` : t);
          expect(cell(csvText([t], [{ label: "a", value: (r: string) => r }]), "\r\n")).toBe(flagged ? `'${t}` : t);
        }
        const mapped = mapRecord({ ...row, locality: t }, 2, source, Date.UTC(2026, 0, 1));
        expect(!mapped.ok && mapped.rejection.code === "formula_text").toBe(flagged);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  it("is one module: the dashboard's copy is a link to it", () => {
    expect(realpathSync(join(projectRoot, "dashboard", "src", "components", "formula-guard.ts"))).toBe(
      realpathSync(join(projectRoot, "etl", "csv", "formula-guard.ts")),
    );
  });
});
