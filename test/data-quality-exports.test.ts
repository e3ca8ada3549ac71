/**
 * The data-quality page keeps exports apart by their identity (source and path), not the bare file
 * name: two exports called `export.csv` in different folders get their own monthly counts, and a
 * label that names the folder only where file names are shared.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import type { QualityReport } from "../etl/ingest/quality-report.ts";
import { readManifest, type Manifest } from "../etl/lake/manifest.ts";
import { cachedCountRows, countTables } from "../etl/publish/count-tables.ts";
import { dataQuality, exportLabels } from "../etl/publish/data-quality.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";
import { canonicalSource } from "./helpers/shared.ts";

const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";

/** `n` thefts in each given month, ids prefixed so that the two exports never share one. */
function csv(prefix: string, perMonth: Record<string, number>): string {
  const lines = [HEADER];
  for (const [month, n] of Object.entries(perMonth))
    for (let i = 0; i < n; i++)
      lines.push(`${prefix}-${month}-${i},${month}-10T12:00:00Z,X,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,test`);
  return lines.join("\n") + "\n";
}

let dir: string;
let lake: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "data-quality-exports-"));
  lake = join(dir, "lake");
  const files: Array<{ folder: string; name?: string; perMonth: Record<string, number>; prefix: string }> = [
    { folder: "north", perMonth: { "2019-01": 7, "2019-02": 9 }, prefix: "N" },
    { folder: "south", perMonth: { "2019-01": 11, "2019-02": 6 }, prefix: "S" },
    { folder: "south", name: "other.csv", perMonth: { "2019-01": 8 }, prefix: "O" },
  ];
  for (const f of files) {
    await mkdir(join(dir, f.folder), { recursive: true });
    const file = join(dir, f.folder, f.name ?? "export.csv");
    await writeFile(file, csv(f.prefix, f.perMonth));
    await ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: Date.UTC(2026, 0, 1), source: await canonicalSource() });
  }
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("data quality by export", () => {
  it("publishes each export's monthly counts apart, labelled by file name and, where names are shared, folder", async () => {
    const manifest = await readManifest(lake, "Europe/Vilnius", 8);
    const rules = releaseRules({ suppressionThreshold: 5, sensitiveCategories: new Set<string>() });
    const { bySource } = await withConnection((c) => countTables(c, lake, rules));
    const quality = dataQuality(manifest, bySource, rules, null);
    expect(quality.sources.map((s) => s.file).sort()).toEqual(["north/export.csv", "other.csv", "south/export.csv"]);
    const byLabel = new Map(quality.sources.map((s) => [s.file, s.name]));
    const monthly = (label: string) =>
      quality.monthly
        .filter((m) => m.name === byLabel.get(label))
        .map((m) => [m.month, m.count])
        .sort();
    expect(monthly("north/export.csv")).toEqual([
      ["2019-01", 7],
      ["2019-02", 9],
    ]);
    expect(monthly("south/export.csv")).toEqual([
      ["2019-01", 11],
      ["2019-02", 6],
    ]);
    expect(monthly("other.csv")).toEqual([["2019-01", 8]]);
    expect(quality.monthly).toHaveLength(5);
    // Each export's rows are counted once: the page's totals equal its files' rows ingested.
    for (const s of quality.sources) {
      const sum = quality.monthly.filter((m) => m.name === s.name).reduce((t, m) => t + (m.count ?? 0), 0);
      expect(sum).toBe(s.rows_ingested);
    }
  });
});

describe("exportLabels", () => {
  const report = (file: string, path: string | undefined, source = "siauliai-demo") => ({ file, source, ...(path ? { export: path } : {}) }) as QualityReport;

  it("names as many folders as tell shared file names apart, the source where even the path is shared", () => {
    const sources: Manifest["sources"] = {
      a: report("export.csv", "../data/2019/q1/export.csv"),
      b: report("export.csv", "../data/2020/q1/export.csv"),
      c: report("export.csv", "../data/2020/q2/export.csv"),
      d: report("alone.csv", "../data/2020/alone.csv"),
      e: report("same.csv", "inbox/same.csv", "police-a"),
      f: report("same.csv", "inbox/same.csv", "police-b"),
    };
    expect(Object.fromEntries(exportLabels(sources))).toEqual({
      a: "2019/q1/export.csv",
      b: "2020/q1/export.csv",
      c: "2020/q2/export.csv",
      d: "alone.csv",
      e: "inbox/same.csv (police-a)",
      f: "inbox/same.csv (police-b)",
    });
  });

  it("uses the name in the lake in place of folders for exports recorded without a path", () => {
    const sources: Manifest["sources"] = { "export-old": report("export.csv", undefined), "export-0123456789ab": report("export.csv", "s3/export.csv") };
    expect(Object.fromEntries(exportLabels(sources))).toEqual({ "export-old": "export-old/export.csv", "export-0123456789ab": "s3/export.csv" });
  });
});

describe("the count rows kept for the next publish", () => {
  it("are keyed on the manifest publish passes in: a month whose cell_counts it records otherwise is read again", async () => {
    const manifest = await readManifest(lake, "Europe/Vilnius", 8);
    const file = join(dir, "count-rows.json");
    const rules = releaseRules({ suppressionThreshold: 5, sensitiveCategories: new Set<string>() });
    const first = await withConnection((c) => cachedCountRows(c, lake, file, manifest));
    expect(first.read).toEqual(["2019-01", "2019-02"]);
    expect((await withConnection((c) => cachedCountRows(c, lake, file, manifest))).read).toEqual([]);
    // The same lake, but a manifest recording another SHA-256 for a February file: that month is read again, the lake's own manifest reads none.
    const group = manifest.tables.cell_counts!;
    const key = Object.keys(group).find((k) => group[k]!.month === "2019-02")!;
    const other: Manifest = { ...manifest, tables: { ...manifest.tables, cell_counts: { ...group, [key]: { ...group[key]!, sha256: "another export" } } } };
    expect((await withConnection((c) => cachedCountRows(c, lake, file, other))).read).toEqual(["2019-02"]);
    expect((await withConnection((c) => cachedCountRows(c, lake, file))).read).toEqual(["2019-02"]);
    expect((await withConnection((c) => cachedCountRows(c, lake, file))).read).toEqual([]);
    // The tables made from kept rows are those made from the lake.
    const kept = await withConnection((c) => countTables(c, lake, rules, { file, manifest }));
    expect(JSON.stringify(kept)).toBe(JSON.stringify(await withConnection((c) => countTables(c, lake, rules))));
  });
});
