/**
 * `describe` on an export its own trial shows to be unusable as proposed: a spreadsheet-saved CSV
 * whose incident numbers became `2,02E+11` (QA q5 #5: 3,004 of 3,005 rows quarantined, yet exit 0 and
 * "next: ingest"). It must exit 2 and say what to do, not send the user on to the ingest.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposeSource } from "../etl/ingest/propose-source.ts";
import { hotspotsInProcess } from "./helpers/hotspots-cli.ts";
import { sniffedCsv } from "./helpers/shared.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "describe-failing-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (id: string, i: number) =>
  `${id};2020-01-${String(1 + (i % 28)).padStart(2, "0")} 0${i % 10}:38;Vagystė;54,9${String(i % 90).padStart(2, "0")};23,9${String(i % 70).padStart(2, "0")}`;

describe("ids a spreadsheet wrote in scientific notation", () => {
  it("are left undecided, with what to do", () => {
    const rows = Array.from({ length: 40 }, (_, i) => line("2,02E+11", i).split(";"));
    const { undecided } = proposeSource({ ...sniffedCsv(["Įvykio Nr.", "Įvykio data", "Veika", "Platuma", "Ilguma"], rows), delimiter: ";" }, "kaunas");
    expect(undecided.join("\n")).toMatch(
      /the id column Įvykio Nr\.: 40 of 40 values are numbers in scientific notation \(2,02E\+11\).*save the column as text in the spreadsheet and export again, or delete the columns\.id line/,
    );
  });
});

describe("a proposal whose trial the ingest would fail", () => {
  it("exits 2 and says why instead of naming the ingest as the next step", async () => {
    // Every row repeats one incident number: the trial keeps 1 row of 300.
    const file = join(dir, "repeats.csv");
    await writeFile(file, `Įvykio Nr.;Įvykio data;Veika;Platuma;Ilguma\n${Array.from({ length: 300 }, (_, i) => line("K-1", i)).join("\n")}\n`);
    const run = await hotspotsInProcess(["describe", "--out", join(dir, "repeats.yaml"), file]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toMatch(
      /not ready to ingest: 299 of 300 rows were quarantined, more than the ingest allows \(50 %\); likely cause: 299 of 300 rows are repeated_id/,
    );
    expect(run.stdout).not.toMatch(/next:/);
  }, 60_000);
});
