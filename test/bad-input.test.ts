/**
 * The bad-input corpus (test/bad-input/corpus.ts): each file gets its specific error, or its valid
 * rows are kept and the bad ones quarantined with their specific reason. Nothing crashes or hangs,
 * and the two huge inputs are ingested within a small, fixed heap.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import type { SourceDescription } from "../etl/ingest/source-description.ts";
import { lakeLayout } from "../etl/lake/lake-layout.ts";
import { CORPUS } from "./bad-input/corpus.ts";
import { canonicalSource, projectRoot } from "./helpers/shared.ts";

const FILES = join(projectRoot, "test", "bad-input", "files");
const NOW = Date.UTC(2026, 0, 1);
let dir: string;
let canonical: SourceDescription;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bad-input-"));
  canonical = await canonicalSource();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Cases whose file is built in their own folder at test time (a folder, a link, earlier versions), or too large to commit. */
const committed = (c: (typeof CORPUS)[number]) => !c.large && !c.folder;

it("the corpus has at least 100 cases, and the committed files are exactly what corpus.ts builds", async () => {
  expect(CORPUS.length).toBeGreaterThanOrEqual(100);
  expect(new Set(CORPUS.map((c) => c.file)).size).toBe(CORPUS.length);
  const files = (await readdir(FILES)).sort();
  expect(files).toEqual(
    CORPUS.filter(committed)
      .map((c) => c.file)
      .sort(),
  );
  for (const input of CORPUS.filter(committed)) expect(readFileSync(join(FILES, input.file)).equals(input.bytes()), input.file).toBe(true);
});

/** The rows every export of a lake holds together, by its manifest. */
async function lakeRows(lake: string): Promise<number> {
  const manifest = JSON.parse(await readFile(join(lake, "manifest.json"), "utf8")) as { tables: { incidents?: Record<string, { rows: number }> } };
  return Object.values(manifest.tables.incidents ?? {}).reduce((sum, p) => sum + p.rows, 0);
}

describe.each(CORPUS)("$file ($what)", (input) => {
  it("gets its specific error with the lake unchanged, or accounts for every row with its reason", async () => {
    const lake = join(dir, `lake-${input.file}`);
    const options = async (replace?: boolean) => ({
      lakeDir: lake,
      resolution: 8,
      timeZone: input.timeZone ?? "Europe/Vilnius",
      now: NOW,
      source: input.source ? input.source(canonical) : canonical,
      ...(replace ? { replace } : {}),
    });
    // The file where it is read from: the committed one, or one built in the case's own folder.
    let file = join(FILES, input.file);
    if (input.large || input.folder || input.before || input.symlinkTo) {
      const folder = join(dir, `case-${input.file}`);
      await mkdir(folder, { recursive: true });
      file = join(folder, input.file);
      for (const step of input.before ?? []) {
        const path = join(folder, step.name ?? input.file);
        await writeFile(path, (step.bytes ?? input.bytes)());
        await ingestFile(path, await options(step.replace));
      }
      if (input.folder) await mkdir(file);
      else if (input.symlinkTo) await symlink(join(folder, input.symlinkTo), file);
      else await writeFile(file, input.bytes());
    }
    const manifestBefore = await readFile(join(lake, "manifest.json"), "utf8").catch(() => undefined);
    const run = (async () => ingestFile(file, await options(input.replace)))();
    const expected = input.expect;
    if ("error" in expected) {
      await expect(run).rejects.toThrow(expected.error);
      if (manifestBefore === undefined)
        await expect(readdir(lake)).rejects.toThrow(/ENOENT/); // nothing written
      else expect(await readFile(join(lake, "manifest.json"), "utf8")).toBe(manifestBefore);
      return;
    }
    const report = await run;
    // Every data row, counted by hand from how the case is built, is ingested or quarantined.
    expect(report.rows_read).toBe(expected.rows);
    expect(report.rows_ingested).toBe(expected.ingested);
    expect(report.quarantine_reasons).toEqual(expected.quarantined ?? {});
    expect(expected.ingested + Object.values(expected.quarantined ?? {}).reduce((a, n) => a + n, 0)).toBe(expected.rows);
    expect(report.rows_ingested + report.rows_quarantined).toBe(report.rows_read);
    if (expected.warnings) expect(report.warnings).toEqual(expected.warnings);
    if (expected.lakeRows !== undefined) expect(await lakeRows(lake)).toBe(expected.lakeRows);
    if (expected.check) expect(report.municipality_check).toMatch(expected.check);
    if (expected.reason) {
      const reasons = await withConnection(async (c) =>
        // The case's own lake: its exports' quarantines.
        (await c.runAndReadAll("SELECT reason FROM read_parquet($file)", { file: join(lake, "quarantine", "*.parquet") })).getRows().map((r) => String(r[0])),
      );
      expect(
        reasons.some((r) => expected.reason!.test(r)),
        reasons.join("\n"),
      ).toBe(true);
    }
  });
});

describe("inputs that could exhaust memory", () => {
  for (const name of ["ten-megabyte-field.csv", "million-columns.csv"]) {
    it(`${name} ingests within a 160 MB JavaScript heap`, async () => {
      const input = CORPUS.find((c) => c.file === name)!;
      const file = join(dir, `bounded-${name}`);
      await writeFile(file, input.bytes());
      const run = spawnSync(
        process.execPath,
        ["--max-old-space-size=160", join(projectRoot, "bin", "hotspots.js"), "--lake", join(dir, `bounded-lake-${name}`), "--json", "ingest", file],
        // 31–41 s at load average 20 on 2 cores.
        { encoding: "utf8", timeout: 170_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout);
      expect(summary.ingest).toMatchObject({ rows_read: 3, rows_ingested: 2, rows_quarantined: 1 });
    }, 180_000);
  }
});

it("Windows-1257 text keeps its Lithuanian letters when the encoding is described", async () => {
  const lake = join(dir, "lake-1257-check");
  const input = CORPUS.find((c) => c.file === "windows-1257.csv")!;
  await ingestFile(join(FILES, input.file), { lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: NOW, source: input.source!(canonical) });
  const localities = await withConnection(async (c) =>
    (await c.runAndReadAll("SELECT locality, municipality FROM read_parquet($glob)", { glob: lakeLayout.glob(lakeLayout.incidentsDir(lake)) })).getRows(),
  );
  expect(localities).toEqual([["Kuršėnai", "Šiaulių r. sav."]]);
});
