/**
 * The bad-input corpus (test/bad-input/corpus.ts): each file gets its specific error, or its valid
 * rows are kept and the bad ones quarantined with their specific reason. Nothing crashes or hangs,
 * and the two huge inputs are ingested within a small, fixed heap.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
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

it("the corpus has at least 40 files, and the committed ones are exactly what corpus.ts builds", async () => {
  expect(CORPUS.length).toBeGreaterThanOrEqual(40);
  const committed = (await readdir(FILES)).sort();
  expect(committed).toEqual(
    CORPUS.filter((c) => !c.large)
      .map((c) => c.file)
      .sort(),
  );
  for (const input of CORPUS.filter((c) => !c.large)) expect(readFileSync(join(FILES, input.file)).equals(input.bytes()), input.file).toBe(true);
});

describe.each(CORPUS)("$file ($what)", (input) => {
  it("gets its specific error, or keeps the valid rows and quarantines the rest with its reason", async () => {
    const file = input.large ? join(dir, input.file) : join(FILES, input.file);
    if (input.large) await writeFile(file, input.bytes());
    const lake = join(dir, `lake-${input.file}`);
    const source = input.source ? input.source(canonical) : canonical;
    const run = ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: NOW, source });
    const expected = input.expect;
    if ("error" in expected) {
      await expect(run).rejects.toThrow(expected.error);
      await expect(readdir(lake)).rejects.toThrow(/ENOENT/); // nothing written
      return;
    }
    const report = await run;
    expect(report.rows_ingested).toBe(expected.ingested);
    expect(report.quarantine_reasons).toEqual(expected.quarantined ?? {});
    expect(report.rows_read).toBe(report.rows_ingested + report.rows_quarantined);
    if (expected.warnings) expect(report.warnings).toEqual(expected.warnings);
    if (expected.reason) {
      const reasons = await withConnection(async (c) =>
        // The case's own lake: its one export's quarantine.
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
        { encoding: "utf8", timeout: 60_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout);
      expect(summary.ingest).toMatchObject({ rows_read: 3, rows_ingested: 2, rows_quarantined: 1 });
    }, 60_000);
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
