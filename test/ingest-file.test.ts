import { createHash } from "node:crypto";
import { access, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getResolution } from "h3-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { exportIdentity, exportName } from "../etl/ingest/export-identity.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { checkHeader } from "../etl/ingest/read-records.ts";
import { lakeLayout } from "../etl/lake/lake-layout.ts";
import { canonicalSource, projectRoot } from "./helpers/shared.ts";

const FIXTURE = join(projectRoot, "test", "fixtures", "incidents-small.csv");
const NOW = Date.UTC(2026, 0, 1);
let dir: string;
let lake: string;
const source = await canonicalSource();
const options = () => ({ lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: NOW, source });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ingest-"));
  lake = join(dir, "lake");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function query(sql: string, params: string[] = []) {
  return withConnection(async (c) => (await c.runAndReadAll(sql, params)).getRowObjectsJson());
}

describe("ingestFile on a small canonical file", () => {
  it("accounts for every row: ingested + quarantined = read, with a specific reason each", async () => {
    const summary = await ingestFile(FIXTURE, options());
    expect(summary.rows_read).toBe(15);
    expect(summary.rows_ingested).toBe(6);
    expect(summary.rows_quarantined).toBe(9);
    expect(summary.quarantine_reasons).toEqual({
      invalid_timestamp: 2,
      invalid_coordinates: 2,
      missing_coordinates: 1,
      unmapped_offence: 1,
      unknown_case_type: 1,
      repeated_id: 1,
      malformed_record: 1,
    });
    const q = await query(`SELECT line, code, reason FROM read_parquet(?) ORDER BY line`, [
      lakeLayout.quarantineFile(lake, exportName(await exportIdentity(FIXTURE, lake, source.id))),
    ]);
    expect(q.map((r) => Number(r.line))).toEqual([6, 8, 9, 10, 11, 12, 13, 14, 15]);
    const reasons = Object.fromEntries(q.map((r) => [r.line, r.reason]));
    expect(reasons[6]).toMatch(/2019-02-30.*not a real date/);
    expect(reasons[8]).toMatch(/\(0, 0\)/);
    expect(reasons[9]).toMatch(/\(55.9, 123.3\) is not a valid position/);
    expect(reasons[10]).toMatch(/coordinates are missing/);
    expect(reasons[11]).toMatch(/offence 'arson' has no category/);
    expect(reasons[13]).toMatch(/id T-3 was already taken from line 4/);
    expect(reasons[14]).toMatch(/11 fields where the header has 10|has 6 fields/);
    expect(reasons[15]).toMatch(/in the future/);
    // A time without an offset is local time in the source's zone (T-6, line 7).
    expect(summary.months).toEqual(["2019-05", "2019-06"]);
  });

  it("assigns calendar months in Europe/Vilnius and partitions by month, Hive style", async () => {
    await ingestFile(FIXTURE, options());
    const rows = await query(`SELECT id, month, h3_cell FROM read_parquet(?, hive_partitioning = true) ORDER BY id`, [
      lakeLayout.glob(lakeLayout.incidentsDir(lake)),
    ]);
    // T-1 is 23:30 UTC on 31 May = 02:30 on 1 June in Vilnius; T-2 is 23:00 on 31 May in Vilnius.
    expect(rows.map((r) => [r.id, r.month])).toEqual([
      ["T-1", "2019-06"],
      ["T-14", "2019-06"],
      ["T-2", "2019-05"],
      ["T-3", "2019-06"],
      ["T-4", "2019-06"],
      ["T-6", "2019-06"],
    ]);
    const cellOf = (id: string) => String(rows.find((r) => r.id === id)!.h3_cell);
    expect(getResolution(cellOf("T-3"))).toBe(8);
    expect(cellOf("T-3")).toBe(cellOf("T-4")); // 14 m apart in Kuršėnai
    expect(cellOf("T-3")).not.toBe(cellOf("T-1")); // Kuršėnai vs Šiauliai
    expect((await readdir(lakeLayout.incidentsDir(lake))).sort()).toEqual(["month=2019-05", "month=2019-06"]);
  });

  it("is idempotent: ingesting the same file again leaves a byte-identical lake", async () => {
    await ingestFile(FIXTURE, options());
    const first = await snapshot(lake);
    await ingestFile(FIXTURE, options());
    expect(await snapshot(lake)).toEqual(first);
  });

  it("replaces a file's months when a corrected version is ingested, dropping months it no longer holds", async () => {
    // A correction is a new version of the same export: the same source and path.
    const export_ = join(dir, "incidents-small.csv");
    const text = await readFile(FIXTURE, "utf8");
    await writeFile(export_, text);
    await ingestFile(export_, options());
    const name = exportName(await exportIdentity(export_, lake, source.id));
    expect(name).toBe(`incidents-small-${createHash("sha256").update(`${source.id}\n../incidents-small.csv`).digest("hex").slice(0, 12)}`);
    await access(lakeLayout.incidentPartition(lake, "2019-05", name));
    await writeFile(
      export_,
      text
        .split("\n")
        .filter((l) => !l.startsWith("T-2,"))
        .join("\n"),
    );
    // Without --replace the version that lacks May is refused, naming it, and the lake is unchanged.
    const before = await readFile(join(lake, "manifest.json"), "utf8");
    await expect(ingestFile(export_, options())).rejects.toThrow(
      /lacks months the lake holds from it: 2019-05 \(1 incidents\) would be removed.*--export-id.*--replace/,
    );
    expect(await readFile(join(lake, "manifest.json"), "utf8")).toBe(before);
    const summary = await ingestFile(export_, { ...options(), replace: true });
    expect(summary.months).toEqual(["2019-06"]);
    expect(summary.removed).toEqual([{ export: "../incidents-small.csv", months: ["2019-05"], rows: 1 }]);
    await expect(access(lakeLayout.incidentPartition(lake, "2019-05", name))).rejects.toThrow(/ENOENT/);
    const manifest = JSON.parse(await readFile(join(lake, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.tables.incidents)).toEqual([`incidents/month=2019-06/${name}.parquet`]);
    const n = await query(`SELECT count(*)::INTEGER AS n FROM read_parquet(?)`, [lakeLayout.glob(lakeLayout.incidentsDir(lake))]);
    expect(n[0]!.n).toBe(5);
  });

  it("refuses a file without the required columns, naming them", async () => {
    const broken = join(dir, "broken.csv");
    await writeFile(broken, "id,occurred_at,lat,lon\n1,2019-06-01T12:00:00+03:00,55.9,23.3\n");
    await expect(ingestFile(broken, options())).rejects.toThrow(
      /missing required column\(s\) offence_category, offence_code, case_type, municipality, locality; the header has id, occurred_at, lat, lon/,
    );
    await expect(readdir(lake)).rejects.toThrow(); // nothing written
  });

  it("names the encoding when the header's column names hold bytes that are not UTF-8", async () => {
    // A Windows-1257 header read as UTF-8: "Įvykio Nr." arrives as "\uFFFDvykio Nr.".
    const header = Buffer.from([0xc1, ...Buffer.from("vykio Nr.,Laikas")])
      .toString("utf8")
      .split(",");
    expect(() => checkHeader("f.csv", header, ["Įvykio Nr.", "Laikas"], ",")).toThrow(/missing required column\(s\) Įvykio Nr\..*write encoding: windows-1257/);
    // A UTF-8 header that simply lacks the column keeps the general advice.
    expect(() => checkHeader("f.csv", ["Laikas"], ["Įvykio Nr.", "Laikas"], ",")).toThrow(/describe it \(hotspots describe FILE/);
  });

  it("refuses an empty file", async () => {
    const empty = join(dir, "empty.csv");
    await writeFile(empty, "");
    await expect(ingestFile(empty, options())).rejects.toThrow(/empty/);
  });

  it("reads gzip-compressed input", async () => {
    const { gzipSync } = await import("node:zlib");
    const gz = join(dir, "incidents-small.csv.gz");
    await writeFile(gz, gzipSync(await readFile(FIXTURE)));
    expect((await ingestFile(gz, options())).rows_ingested).toBe(6);
  });
});

/** Every file of the lake with its bytes, for byte-level comparison. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out[path] = (await readFile(path)).toString("base64");
    }
  }
  return out;
}
