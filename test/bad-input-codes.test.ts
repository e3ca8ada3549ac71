/**
 * One list of quarantine codes: the codes the bad-input corpus's cases quarantine rows with (which
 * test/bad-input.test.ts checks against the real ingest) are exactly the codes of the table in
 * etl/ingest/README.md, every code data/sources/README.md names is one of them (issue 21: the
 * sources' documentation lacked `outside_municipality`), and the data-quality page labels each.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { en } from "../dashboard/src/components/strings-en.ts";
import { lt } from "../dashboard/src/components/strings-lt.ts";
import { CORPUS } from "./bad-input/corpus.ts";
import { projectRoot } from "./helpers/shared.ts";

const readme = (...path: string[]) => readFileSync(join(projectRoot, ...path), "utf8");
const backticked = (text: string) => [...text.matchAll(/`([a-z]+(?:_[a-z]+)+)`/g)].map((m) => m[1]!);

/** The codes of the table that follows "The codes:" in the ingest README (first cell of each row). */
function tableCodes(): string[] {
  const text = readme("etl", "ingest", "README.md");
  const start = text.indexOf("The codes:");
  expect(start, "etl/ingest/README.md has no 'The codes:' table").toBeGreaterThan(-1);
  const rows = text.slice(start).split("\n").slice(1);
  const table = rows.slice(rows.findIndex((l) => l.startsWith("|")));
  const body = table
    .slice(
      0,
      table.findIndex((l) => !l.startsWith("|")),
    )
    .slice(2); // no header, no rule
  return body.flatMap((line) => backticked(line.split("|")[1]!)).sort();
}

const corpusCodes = [...new Set(CORPUS.flatMap((c) => ("quarantined" in c.expect ? Object.keys(c.expect.quarantined ?? {}) : [])))].sort();

describe("quarantine codes", () => {
  it("the ingest README's table lists exactly the codes the corpus sees rows quarantined with", () => {
    expect(corpusCodes).toContain("outside_municipality");
    expect(tableCodes()).toEqual(corpusCodes);
  });

  it("the data-quality page has a readable label for every code, in English and in Lithuanian", () => {
    const codes = tableCodes();
    expect(codes).toContain("excluded_offence");
    const unlabelled = (reasons: Record<string, string>) => codes.filter((c) => !Object.hasOwn(reasons, c) || reasons[c] === c);
    expect(unlabelled(en.quality.reasons)).toEqual([]);
    expect(unlabelled(lt.quality.reasons)).toEqual([]);
  });

  it("the sources README names only those codes where it speaks of the quarantine, outside_municipality among them", () => {
    // Table cells and list items that speak of quarantining; the report fields, lake column, warning and description key they also name are not codes.
    const notCodes = new Set(["quarantine_examples", "likely_cause", "municipality_check", "time_precision", "ambiguous_local_time", "time_of_day"]);
    const segments = readme("data", "sources", "README.md")
      .split(/\n- |\n\n|\|/)
      .filter((s) => s.includes("quarantine"));
    const named = segments.flatMap(backticked).filter((w) => !notCodes.has(w));
    expect(named).toContain("outside_municipality");
    expect(named.filter((c) => !corpusCodes.includes(c))).toEqual([]);
  });
});
