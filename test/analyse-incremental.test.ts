/**
 * The analysis is incremental by content: a month's hot spots are recomputed only when its incident
 * partitions or the analysis parameters changed since they were computed. Checked on a tiny lake of
 * synthetic CSVs: partitions kept are the same files (same inode, same bytes), partitions recomputed
 * are new files, and the summary's bins cover every month either way.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gridDisk, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyseLake, type AnalyseOptions, type AnalyseSummary } from "../etl/analytics/analyse-lake.ts";
import type { RunSummary } from "../etl/cli/summary-text.ts";
import { sha256File } from "../etl/lake/atomic-file.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { lakeLayout } from "../etl/lake/lake-layout.ts";
import { manifestText, MANIFEST_FILE, type Manifest } from "../etl/lake/manifest.ts";
import { canonicalSource, projectRoot } from "./helpers/shared.ts";

const HOT = latLngToCell(55.9349, 23.3137, 8);
const AREA = gridDisk(HOT, 8);
let dir: string;
let lake: string;

/** Canonical CSV rows: a theft cluster around HOT and scattered burglaries in `month`, `n` of each. */
function rows(month: string, n: number, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      `${prefix}-${month}-T${i},${month}-10T12:00:00Z,BK 178,theft,pre_trial_investigation,${55.9349 + (i % 5) * 1e-4},${23.3137 + (i % 3) * 1e-4},Šiaulių m. sav.,Šiauliai,test`,
    );
    out.push(
      `${prefix}-${month}-B${i},${month}-11T12:00:00Z,BK 180,burglary,pre_trial_investigation,${55.93 + (i % 7) * 0.004},${23.28 + (i % 4) * 0.015},Šiaulių m. sav.,Šiauliai,test`,
    );
  }
  return out;
}

/** One theft in Kuršėnai, about 24 km west of HOT, outside AREA: counted as outside the study area, never gridded. */
const outsideRow = (month: string, prefix: string) =>
  `${prefix}-${month}-O,${month}-12T12:00:00Z,BK 178,theft,pre_trial_investigation,55.9877,22.9366,Šiaulių r. sav.,Kuršėnai,test`;

/** `replace`: a corrected version that lacks months the old one held (--replace). */
async function ingest(name: string, lines: string[], replace = false): Promise<void> {
  const file = join(dir, name);
  await writeFile(file, ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source", ...lines].join("\n"));
  await ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: Date.UTC(2026, 0, 1), source: await canonicalSource(), replace });
}

const analyse = (options: Partial<AnalyseOptions> = {}): Promise<AnalyseSummary> =>
  analyseLake({ lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", k: 1, studyArea: { cells: AREA, label: "test" }, ...options });

/** Every hot-spot partition: month → its checksum and inode (a rewritten file gets a new inode). */
async function partitions(): Promise<Map<string, { sha256: string; ino: number }>> {
  const out = new Map<string, { sha256: string; ino: number }>();
  for (const entry of (await readdir(lakeLayout.hotspotsDir(lake))).sort()) {
    const month = entry.replace(/^month=/, "");
    const path = lakeLayout.hotspotPartition(lake, month);
    out.set(month, { sha256: await sha256File(path), ino: (await stat(path)).ino });
  }
  return out;
}

/** The months whose partition file is not the same file as before (new, rewritten or removed). */
async function rewrittenSince(before: Map<string, { sha256: string; ino: number }>): Promise<string[]> {
  const after = await partitions();
  const months = new Set([...before.keys(), ...after.keys()]);
  return [...months].filter((m) => before.get(m)?.ino !== after.get(m)?.ino).sort();
}

const manifestBytes = () => readFile(join(lake, MANIFEST_FILE), "utf8");
const bins = (s: AnalyseSummary) => ({ bin: s.hot_spot_cell_months_by_bin, fdr: s.hot_spot_cell_months_by_bin_fdr });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "analyse-incremental-"));
  lake = join(dir, "lake");
  // a.csv: March and May 2019 (April empty); b.csv later adds June.
  await ingest("a.csv", [...rows("2019-03", 30, "A"), outsideRow("2019-03", "A"), ...rows("2019-05", 4, "A")]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("incremental analyseLake", () => {
  let first: AnalyseSummary;

  it("computes every month on a new lake and records input and parameter fingerprints", async () => {
    first = await analyse();
    expect(first).toMatchObject({ months: 3, months_recomputed: 3, months_kept: 0, first_month: "2019-03", last_month: "2019-05" });
    const manifest = JSON.parse(await manifestBytes()) as Manifest;
    const entries = Object.values(manifest.tables.hot_spots!);
    expect(entries).toHaveLength(3);
    for (const entry of entries)
      expect(entry).toMatchObject({ input_sha256: expect.stringMatching(/^[0-9a-f]{64}$/), parameters_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(manifest.parameters!.hot_spots).toMatchObject({
      resolution: 8,
      k: 1,
      study_area: "test",
      study_area_cells: AREA.length,
      study_area_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it("a re-run with no new data recomputes nothing and leaves partitions and manifest byte-identical", async () => {
    const before = await partitions();
    const manifest = await manifestBytes();
    const again = await analyse();
    expect(again).toMatchObject({ months: 3, months_recomputed: 0, months_kept: 3, cell_months: first.cell_months });
    expect(await rewrittenSince(before)).toEqual([]);
    expect(await partitions()).toEqual(before);
    expect(await manifestBytes()).toBe(manifest);
    // The bins of kept months are read back from their partitions: the same totals as computing them.
    expect(bins(again)).toEqual(bins(first));
  });

  it("ingesting a new month recomputes exactly that month, with the bins of all months", async () => {
    await ingest("b.csv", [...rows("2019-06", 10, "B"), outsideRow("2019-06", "B")]);
    const before = await partitions();
    const summary = await analyse();
    expect(summary).toMatchObject({ months: 4, months_recomputed: 1, months_kept: 3, last_month: "2019-06", cell_months: 4 * AREA.length });
    expect(await rewrittenSince(before)).toEqual(["2019-06"]);
    // The same as recomputing everything: same bins, byte-identical partitions.
    const incremental = await partitions();
    const full = await analyse({ full: true });
    expect(full).toMatchObject({ months_recomputed: 4, months_kept: 0 });
    expect(bins(full)).toEqual(bins(summary));
    // Kept months' incidents come from their stored counts and the manifest's rows, not their aggregates: the same accounting.
    const accounting = (s: AnalyseSummary) => [s.incidents_in_study_area, s.incidents_outside_study_area];
    expect(accounting(summary)).toEqual(accounting(full));
    expect(accounting(full)[1]).toBe(2);
    expect([...(await partitions())].map(([m, p]) => [m, p.sha256])).toEqual([...incremental].map(([m, p]) => [m, p.sha256]));
  });

  it("a corrected re-export of an old month recomputes exactly that month", async () => {
    const before = await partitions();
    // One March burglary moved to the theft cluster, in place (line numbers of May stay the same).
    const corrected = [...rows("2019-03", 30, "A"), outsideRow("2019-03", "A"), ...rows("2019-05", 4, "A")];
    corrected[1] = corrected[1]!.replace(/,55\.93,23\.28,/, ",55.9349,23.3137,");
    expect(corrected[1]).toContain(",55.9349,23.3137,");
    await ingest("a.csv", corrected);
    expect(await analyse()).toMatchObject({ months: 4, months_recomputed: 1, months_kept: 3 });
    expect(await rewrittenSince(before)).toEqual(["2019-03"]);
  });

  it("a month whose incidents disappeared is removed; the month that gained them is recomputed", async () => {
    const before = await partitions();
    await ingest("b.csv", rows("2019-05", 2, "B"), true); // the corrected b.csv holds May, no longer June
    const summary = await analyse();
    expect(summary).toMatchObject({ months: 3, months_recomputed: 1, months_kept: 2, last_month: "2019-05" });
    expect(await rewrittenSince(before)).toEqual(["2019-05", "2019-06"]);
    expect([...(await partitions()).keys()]).toEqual(["2019-03", "2019-04", "2019-05"]);
    expect(
      Object.values((JSON.parse(await manifestBytes()) as Manifest).tables.hot_spots!)
        .map((e) => e.month)
        .sort(),
    ).toEqual(["2019-03", "2019-04", "2019-05"]);
  });

  it("changing k, the study area's cells or its label recomputes every month", async () => {
    expect(await analyse({ k: 2 })).toMatchObject({ months_recomputed: 3, months_kept: 0 });
    expect(await analyse({ k: 2 })).toMatchObject({ months_recomputed: 0, months_kept: 3 });
    expect(await analyse()).toMatchObject({ months_recomputed: 3, months_kept: 0 });
    // Same label, one cell fewer; then the same cells in another order (no change); then another label.
    expect(await analyse({ studyArea: { cells: AREA.slice(1), label: "test" } })).toMatchObject({ months_recomputed: 3 });
    expect(await analyse()).toMatchObject({ months_recomputed: 3 });
    expect(await analyse({ studyArea: { cells: [...AREA].reverse(), label: "test" } })).toMatchObject({ months_recomputed: 0, months_kept: 3 });
    expect(await analyse({ studyArea: { cells: AREA, label: "renamed" } })).toMatchObject({ months_recomputed: 3 });
    expect(await analyse()).toMatchObject({ months_recomputed: 3 });
  });

  it("an explicit month range recomputes that range only, and the next automatic run keeps it", async () => {
    const before = await partitions();
    expect(await analyse({ from: "2019-04", to: "2019-04" })).toMatchObject({ months: 1, months_recomputed: 1, months_kept: 0 });
    expect(await rewrittenSince(before)).toEqual(["2019-04"]);
    expect(await analyse()).toMatchObject({ months_recomputed: 0, months_kept: 3 });
  });

  it("a lake analysed before fingerprints were recorded is recomputed in full once", async () => {
    const manifest = JSON.parse(await manifestBytes()) as Manifest;
    for (const entry of Object.values(manifest.tables.hot_spots!)) {
      delete entry.input_sha256;
      delete entry.parameters_sha256;
    }
    manifest.parameters!.hot_spots = {
      k: 1,
      study_area: "test",
      statistic: "Getis-Ord Gi* (binary k-ring weights, self included)",
      fdr: "Benjamini-Hochberg per confidence level",
    };
    await writeFile(join(lake, MANIFEST_FILE), manifestText(manifest));
    expect(await analyse()).toMatchObject({ months_recomputed: 3, months_kept: 0 });
    expect(await analyse()).toMatchObject({ months_recomputed: 0, months_kept: 3 });
  });

  it("a partition missing on disk is recomputed", async () => {
    await rm(lakeLayout.hotspotPartition(lake, "2019-05"));
    expect(await analyse()).toMatchObject({ months_recomputed: 1, months_kept: 2 });
    expect([...(await partitions()).keys()]).toEqual(["2019-03", "2019-04", "2019-05"]);
  });
});

describe("hotspots analyse --full and run --full", () => {
  const cli = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(projectRoot, "bin", "hotspots.js"), "--lake", lake, ...args], { cwd: projectRoot });
    return stdout;
  };

  it("the CLI analyses incrementally by default and recomputes every month with --full", async () => {
    const json = async (...args: string[]) => (JSON.parse(await cli("--json", "analyse", ...args)) as RunSummary).analyse!;
    const first = await json(); // another study area (the municipalities): every month
    expect(first).toMatchObject({ months: 3, months_recomputed: 3, months_kept: 0 });
    expect(await json()).toMatchObject({ months_recomputed: 0, months_kept: 3, hot_spot_cell_months_by_bin: first.hot_spot_cell_months_by_bin });
    expect(await json("--full")).toMatchObject({ months_recomputed: 3, months_kept: 0 });
    expect(await cli("analyse")).toMatch(/months recomputed 0, kept 3 \(incidents and parameters unchanged; --full recomputes them\)/);
  }, 120_000);

  it("run offers --full", async () => {
    expect(await cli("run", "--help")).toMatch(/--full/);
  }, 60_000);
});
