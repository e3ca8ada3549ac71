/**
 * Exports that overlap and exports saved under one path (q1 findings 1 and 3): an incident number of
 * a source that the lake holds from another export is quarantined as `id_in_other_export`, naming
 * that export, so an overlapping re-export counts nothing twice and loses nothing; a new version of
 * an export that lacks months the old one holds is refused unless --replace says it replaces them,
 * and every removal is in the result, the --json summary and the printed one.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hotspotsProgram } from "../etl/cli/program.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { checkLake } from "../etl/lake/check-lake.ts";
import type { Manifest } from "../etl/lake/manifest.ts";
import { canonicalSource } from "./helpers/shared.ts";

const NOW = Date.UTC(2026, 0, 1);
const source = await canonicalSource();
const header = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
/** A canonical row in month `month` (2019-MM) of Šiauliai; `code` tells versions of one incident apart. */
const row = (id: string, month: string, code = "BK 178") =>
  `${id},2019-${month}-15T12:00:00+02:00,${code},theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,siauliai-demo`;

let dir: string;
let lake: string;
const options = (extra = {}) => ({ lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: NOW, source, ...extra });
const manifest = async () => JSON.parse(await readFile(join(lake, "manifest.json"), "utf8")) as Manifest;
async function csv(path: string, rows: string[]): Promise<string> {
  const file = join(dir, path);
  await mkdir(join(file, ".."), { recursive: true });
  await writeFile(file, `${[header, ...rows].join("\n")}\n`);
  return file;
}
/** Every incident row of the lake: its id and month, by id. */
async function lakeIds(): Promise<Array<[string, string]>> {
  return withConnection(async (c) => {
    const reader = await c.runAndReadAll(`SELECT id, month::VARCHAR FROM read_parquet('${lake}/incidents/*/*.parquet', hive_partitioning = true) ORDER BY ALL`);
    return reader.getRowsJS() as Array<[string, string]>;
  });
}
async function quarantine(): Promise<Array<{ file: string; line: number; code: string; reason: string; raw: string }>> {
  return withConnection(async (c) => {
    const reader = await c.runAndReadAll(`SELECT file, line, code, reason, raw FROM read_parquet('${lake}/quarantine/*.parquet') ORDER BY file, line`);
    return reader.getRowObjectsJS() as never;
  });
}
/** SHA-256 of every file of the lake, by its path in it. */
async function lakeBytes(): Promise<Record<string, string>> {
  const files = (await readdir(lake, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const out: Record<string, string> = {};
  for (const f of files) {
    const path = join(f.parentPath, f.name);
    out[relative(lake, path)] = createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
  }
  return out;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "export-overlap-"));
  lake = join(dir, "lake");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("an export repeating incident numbers of another export", () => {
  it.each([true, false])("counts each incident once and quarantines the repeat with the export holding it (fast CSV reader: %s)", async (fastCsv) => {
    await ingestFile(await csv("h1.csv", [row("A-1", "01"), row("A-2", "06")]), options({ fastCsv }));
    await ingestFile(await csv("h2.csv", [row("A-3", "07")]), options({ fastCsv }));
    // A re-export of June–August: again (A-3 corrected), A-4 new.
    const overlap = await csv("jun-aug.csv", [row("A-2", "06"), row("A-3", "07", "BK 180"), row("A-4", "08")]);
    const report = await ingestFile(overlap, options({ fastCsv }));
    expect(report).toMatchObject({ rows_read: 3, rows_ingested: 1, rows_quarantined: 2, quarantine_reasons: { id_in_other_export: 2 }, months: ["2019-08"] });
    expect(report.time_range?.first).toBe("2019-08-15T10:00:00.000Z");
    expect(await lakeIds()).toEqual([
      ["A-1", "2019-01"],
      ["A-2", "2019-06"],
      ["A-3", "2019-07"],
      ["A-4", "2019-08"],
    ]);
    const held = (await quarantine()).filter((q) => q.code === "id_in_other_export");
    expect(held).toEqual([
      {
        file: "jun-aug.csv",
        line: 2,
        code: "id_in_other_export",
        reason:
          "id A-2 is in the lake already, from export '../h1.csv' (its line 3, month 2019-06): counted there, not again " +
          "(an overlapping re-export needs nothing done; if the source gives one number to several incidents, write repeated_ids: keep)",
        raw: `${row("A-2", "06")}\n`, // as read, with its line break
      },
      expect.objectContaining({
        line: 3,
        raw: `${row("A-3", "07", "BK 180")}\n`,
        reason: expect.stringMatching(/^id A-3 .* from export '\.\.\/h2\.csv' \(its line 2, month 2019-07\)/),
      }),
    ]);
    expect(report.quarantine_examples?.id_in_other_export?.line).toBe(2);

    // Ingesting the same file again changes no byte of the lake.
    const before = await lakeBytes();
    await ingestFile(overlap, options({ fastCsv }));
    expect(await lakeBytes()).toEqual(before);
    expect((await checkLake(lake)).ok).toBe(true);
  });

  it("finds a repeated number in any month of the other export, and only within the same source", async () => {
    await ingestFile(await csv("a.csv", [row("B-1", "01")]), options());
    // The incident's time corrected into another month; a second source that numbers alike.
    const other = { ...source, id: "other-register" };
    const moved = await ingestFile(await csv("b.csv", [row("B-1", "03")]), options());
    expect(moved.quarantine_reasons).toEqual({ id_in_other_export: 1 });
    const foreign = await ingestFile(await csv("c.csv", [row("B-1", "03")]), options({ source: other }));
    expect(foreign.quarantine_reasons).toEqual({});
    expect(await lakeIds()).toEqual([
      ["B-1", "2019-01"],
      ["B-1", "2019-03"],
    ]);
  });

  it("keeps every row where the description says repeated_ids: keep", async () => {
    const keep = { ...source, repeated_ids: "keep" as const };
    await ingestFile(await csv("a.csv", [row("K-1", "01")]), options({ source: keep }));
    const second = await ingestFile(await csv("b.csv", [row("K-1", "01"), row("K-2", "02")]), options({ source: keep }));
    expect(second.rows_ingested).toBe(2);
  });

  it("does not check against an export the file supersedes (--replace of a moved file)", async () => {
    const first = await csv("old/export.csv", [row("M-1", "01")]);
    await ingestFile(first, options());
    const moved = await ingestFile(await csv("new/export.csv", [row("M-1", "01")]), options({ replace: true }));
    expect(moved).toMatchObject({ rows_ingested: 1, quarantine_reasons: {}, removed: [{ export: "../old/export.csv", months: ["2019-01"], rows: 1 }] });
    expect(await lakeIds()).toEqual([["M-1", "2019-01"]]);
  });
});

describe("a new version of an export that lacks months the old one holds", () => {
  it("is refused with the months named and the lake unchanged; --export-id keeps both, --replace removes them", async () => {
    const download = join(dir, "dl", "export.csv");
    await csv("dl/export.csv", [row("C-1", "01"), row("C-2", "02")]);
    await ingestFile(download, options());
    const before = await lakeBytes();
    // The next download, saved under the same name.
    await csv("dl/export.csv", [row("C-3", "07")]);
    await expect(ingestFile(download, options())).rejects.toThrow(
      `${download}: is a new version of export '../dl/export.csv' of source 'siauliai-demo' that lacks months the lake holds from it: ` +
        "2019-01, 2019-02 (2 incidents) would be removed; the lake was not changed. If it is another export (the next download saved under the same name), " +
        "give it a name of its own: another file name, or --export-id <name>; if it replaces that export, those months included, ingest it with --replace",
    );
    expect(await lakeBytes()).toEqual(before);

    const own = await ingestFile(download, options({ exportId: "2019-07" }));
    expect(own.removed).toBeUndefined();
    expect((await lakeIds()).map(([id]) => id)).toEqual(["C-1", "C-2", "C-3"]);

    await csv("dl/export.csv", [row("C-2", "02")]);
    const replaced = await ingestFile(download, options({ replace: true }));
    expect(replaced.removed).toEqual([{ export: "../dl/export.csv", months: ["2019-01"], rows: 1 }]);
    expect((await lakeIds()).map(([id]) => id)).toEqual(["C-2", "C-3"]);
    expect(
      Object.values((await manifest()).sources)
        .map((s) => s.months)
        .sort(),
    ).toEqual([["2019-02"], ["2019-07"]]);
  });

  it("prints every removal and the repeats' count, and gives them in --json", async () => {
    const run = async (args: string[]): Promise<string> => {
      const write = process.stdout.write.bind(process.stdout);
      const stderr = process.stderr.write.bind(process.stderr);
      let out = "";
      process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
      process.stderr.write = (() => true) as typeof process.stderr.write;
      try {
        await (await hotspotsProgram()).exitOverride().parseAsync(["--lake", lake, ...args], { from: "user" });
      } finally {
        process.stdout.write = write;
        process.stderr.write = stderr;
        process.exitCode = undefined;
      }
      return out;
    };
    const file = await csv("export.csv", [row("D-1", "01"), row("D-2", "02")]);
    await run(["ingest", file]);
    await csv("export.csv", [row("D-2", "02")]);
    const text = await run(["ingest", "--replace", file]);
    expect(text).toContain("    removed from the lake: export '../export.csv' months 2019-01 (1 incidents)");
    await csv("export.csv", [row("D-1", "01"), row("D-2", "02")]);
    const json = JSON.parse(await run(["--json", "ingest", file])) as { ingest: { files: Array<{ removed?: unknown }> } };
    expect(json.ingest.files[0]!.removed).toBeUndefined();
    await csv("export.csv", [row("D-2", "02")]);
    const removedJson = JSON.parse(await run(["--json", "ingest", "--replace", file])) as { ingest: { files: Array<{ removed?: unknown }> } };
    expect(removedJson.ingest.files[0]!.removed).toEqual([{ export: "../export.csv", months: ["2019-01"], rows: 1 }]);

    const overlap = await csv("again.csv", [row("D-2", "02"), row("D-3", "03")]);
    expect(await run(["ingest", overlap])).toContain("again.csv: months 2019-03 … 2019-03; quarantined: id_in_other_export 1");
    const again = JSON.parse(await run(["--json", "ingest", overlap])) as { ingest: { files: Array<{ quarantine_reasons: unknown }> } };
    expect(again.ingest.files[0]!.quarantine_reasons).toEqual({ id_in_other_export: 1 });
  });
});
