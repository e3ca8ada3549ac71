/**
 * Which export a file is (issue 17, item 1) and when it may replace one (issue 21, item 5): a file's
 * partitions are keyed by its source and path, so files of the same name in other folders and names
 * that slug alike are both kept; a correction (same path) replaces only its own months; a version
 * with no row ingested, the same bytes under another path, and an entry from before exports were
 * keyed by path are refused unless --replace says otherwise.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hotspotsProgram } from "../etl/cli/program.ts";
import { exportIdentity, exportName } from "../etl/ingest/export-identity.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { checkLake } from "../etl/lake/check-lake.ts";
import { manifestText, type Manifest } from "../etl/lake/manifest.ts";
import { canonicalSource } from "./helpers/shared.ts";

const NOW = Date.UTC(2026, 0, 1);
const source = await canonicalSource();
const header = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
/** A canonical row in month `month` (2019-MM) of Šiauliai. */
const row = (id: string, month: string) =>
  `${id},2019-${month}-15T12:00:00+02:00,BK 178,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,siauliai-demo`;
const bad = (id: string) => `${id},not a time,BK 178,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,siauliai-demo`;

let dir: string;
let lake: string;
const options = (extra = {}) => ({ lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: NOW, source, ...extra });
const manifest = async () => JSON.parse(await readFile(join(lake, "manifest.json"), "utf8")) as Manifest;
/** Rows per export (by the file it came from and its path), as the manifest lists them. */
async function exportsInLake(): Promise<Record<string, { rows: number; months: string[] }>> {
  const m = await manifest();
  return Object.fromEntries(Object.values(m.sources).map((r) => [r.export ?? r.file, { rows: r.rows_ingested, months: r.months }]));
}
async function csv(path: string, rows: string[]): Promise<string> {
  const file = join(dir, path);
  await mkdir(join(file, ".."), { recursive: true });
  await writeFile(file, `${[header, ...rows].join("\n")}\n`);
  return file;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "export-identity-"));
  lake = join(dir, "lake");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("source identity", () => {
  it("keeps two files of the same name in different folders, and two names that slug alike", async () => {
    await ingestFile(await csv("north/export.csv", [row("N-1", "01"), row("N-2", "03")]), options());
    await ingestFile(await csv("south/export.csv", [row("S-1", "03")]), options());
    await ingestFile(await csv("Šiauliai 2019 Q1.csv", [row("Q-1", "02")]), options());
    await ingestFile(await csv("siauliai-2019-q1.csv", [row("q-1", "02"), row("q-2", "02")]), options());
    expect(await exportsInLake()).toEqual({
      "../north/export.csv": { rows: 2, months: ["2019-01", "2019-03"] },
      "../south/export.csv": { rows: 1, months: ["2019-03"] },
      "../Šiauliai 2019 Q1.csv": { rows: 1, months: ["2019-02"] },
      "../siauliai-2019-q1.csv": { rows: 2, months: ["2019-02"] },
    });
    const m = await manifest();
    expect(Object.values(m.tables.incidents!).reduce((n, e) => n + e.rows, 0)).toBe(6);
    expect(Object.keys(m.tables.incidents!).filter((k) => k.startsWith("incidents/month=2019-03/"))).toHaveLength(2);
    expect((await checkLake(lake)).ok).toBe(true);
  });

  it("a correction (same source, same path) replaces only its own months; a symlink to it is the same export", async () => {
    const north = await csv("north/export.csv", [row("N-1", "01"), row("N-2", "03")]);
    await ingestFile(await csv("south/export.csv", [row("S-1", "03")]), options());
    await ingestFile(north, options());
    const south = (await manifest()).tables.incidents!;
    // The correction lacks January and March: --replace says it replaces them (export-overlap.test.ts: refused without).
    await csv("north/export.csv", [row("N-1", "02")]);
    await ingestFile(north, options({ replace: true }));
    await symlink(north, join(dir, "link.csv"));
    await ingestFile(join(dir, "link.csv"), options());
    expect(await exportsInLake()).toEqual({
      "../north/export.csv": { rows: 1, months: ["2019-02"] },
      "../south/export.csv": { rows: 1, months: ["2019-03"] },
    });
    const southName = exportName(await exportIdentity(join(dir, "south/export.csv"), lake, source.id));
    const key = `incidents/month=2019-03/${southName}.parquet`;
    expect((await manifest()).tables.incidents![key]).toEqual(south[key]);
    expect((await checkLake(lake)).ok).toBe(true);
  });

  it("an explicit export id names the export whatever the file's path", async () => {
    await ingestFile(await csv("monday/export.csv", [row("A-1", "01")]), options({ exportId: "weekly" }));
    await ingestFile(await csv("tuesday/export.csv", [row("A-1", "02")]), options({ exportId: "weekly", replace: true }));
    expect(await exportsInLake()).toEqual({ weekly: { rows: 1, months: ["2019-02"] } });
  });

  it("refuses the same bytes under another path (rows counted twice) unless --replace moves the export", async () => {
    const first = await csv("2019/export.csv", [row("A-1", "01")]);
    await ingestFile(first, options());
    const before = await readFile(join(lake, "manifest.json"), "utf8");
    const copy = await csv("copy/export.csv", [row("A-1", "01")]);
    await expect(ingestFile(copy, options())).rejects.toThrow(
      `${copy}: the lake cannot tell it from the same bytes as export '../2019/export.csv' of source 'siauliai-demo' (months 2019-01…2019-01); the lake was not changed. ` +
        "If this file is a new version of that export, ingest it with --replace",
    );
    expect(await readFile(join(lake, "manifest.json"), "utf8")).toBe(before);
    // A name that only slugs alike, with the same bytes, is the same rows too.
    const alike = await csv("2019/Export.csv", [row("A-1", "01")]);
    await expect(ingestFile(alike, options())).rejects.toThrow("if it is a copy, leave it out: its rows are in the lake already");
    await ingestFile(copy, options({ replace: true }));
    expect(await exportsInLake()).toEqual({ "../copy/export.csv": { rows: 1, months: ["2019-01"] } });
    expect((await checkLake(lake)).ok).toBe(true);
  });

  it("refuses to guess which export an entry from before path keys is, unless --replace takes it over", async () => {
    const file = await csv("new/export.csv", [row("A-1", "02")]);
    // A lake as the slug-keyed ingest left it: the export named 'export', no path recorded.
    await ingestFile(await csv("old/export.csv", [row("A-1", "01"), row("A-2", "01")]), options());
    const m = await manifest();
    const [name, report] = Object.entries(m.sources)[0]!;
    delete report.export;
    m.sources = { export: report };
    for (const [key, entry] of Object.entries(m.tables.incidents!)) {
      const legacy = key.replace(name, "export");
      await writeFile(join(lake, legacy), await readFile(join(lake, key)));
      await rm(join(lake, key));
      delete m.tables.incidents![key];
      m.tables.incidents![legacy] = { ...entry, source: "export" };
    }
    await writeFile(join(lake, "quarantine", "export.parquet"), await readFile(join(lake, "quarantine", `${name}.parquet`)));
    await rm(join(lake, "quarantine", `${name}.parquet`));
    await writeFile(join(lake, "manifest.json"), manifestText(m));
    expect((await checkLake(lake)).ok).toBe(true);

    await expect(ingestFile(file, options())).rejects.toThrow(
      `${file}: the lake cannot tell it from an export 'export.csv' of source 'siauliai-demo' ingested before exports were told apart by their path (months 2019-01…2019-01); the lake was not changed`,
    );
    await ingestFile(file, options({ replace: true }));
    expect(await exportsInLake()).toEqual({ "../new/export.csv": { rows: 1, months: ["2019-02"] } });
    expect((await checkLake(lake)).ok).toBe(true);
  });
});

describe("a re-export with no row ingested", () => {
  it("does not wipe the export's months unless --replace says it is meant to be empty", async () => {
    const file = await csv("export.csv", [row("A-1", "01"), row("A-2", "02")]);
    await ingestFile(file, options());
    const before = await readFile(join(lake, "manifest.json"), "utf8");
    await csv("export.csv", [bad("A-1"), bad("A-2"), bad("A-3")]);
    await expect(ingestFile(file, options())).rejects.toThrow(
      `${file}: none of its 3 rows could be ingested (invalid_timestamp 3), so it would replace this export's 2 rows (months 2019-01…2019-02) with nothing; ` +
        "the lake was not changed. Correct the file, or ingest it with --replace if the export is meant to be empty",
    );
    expect(await readFile(join(lake, "manifest.json"), "utf8")).toBe(before);
    await csv("export.csv", []);
    await expect(ingestFile(file, options())).rejects.toThrow("has a header but no data rows; the lake was not changed");
    expect(await readFile(join(lake, "manifest.json"), "utf8")).toBe(before);

    await csv("export.csv", [bad("A-1")]);
    const report = await ingestFile(file, options({ replace: true }));
    expect(report).toMatchObject({ rows_read: 1, rows_ingested: 0, months: [] });
    expect((await manifest()).tables.incidents).toEqual({});
    expect((await checkLake(lake)).ok).toBe(true);
  });

  it("is recorded with its quarantine when the lake holds nothing of the export yet", async () => {
    const file = await csv("export.csv", [bad("A-1")]);
    expect(await ingestFile(file, options())).toMatchObject({ rows_read: 1, rows_quarantined: 1, quarantine_reasons: { invalid_timestamp: 1 } });
  });
});

describe("the ingest command", () => {
  /** Runs the CLI in this process, its summary on stdout discarded; rejects with its error. */
  async function cli(args: string[]): Promise<void> {
    const write = process.stdout.write.bind(process.stdout);
    const stderr = process.stderr.write.bind(process.stderr);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      await (await hotspotsProgram()).exitOverride().parseAsync(["--lake", lake, "--json", "ingest", ...args], { from: "user" });
    } finally {
      process.stdout.write = write;
      process.stderr.write = stderr;
      process.exitCode = undefined;
    }
  }

  it("takes --replace for a re-export meant to be empty, and --export-id for one file", async () => {
    const file = await csv("export.csv", [row("A-1", "01")]);
    await cli([file]);
    await csv("export.csv", [bad("A-1")]);
    await expect(cli([file])).rejects.toThrow("none of its 1 rows could be ingested (invalid_timestamp 1)");
    expect(Object.keys((await manifest()).tables.incidents!)).toHaveLength(1);
    await cli(["--replace", file]);
    expect((await manifest()).tables.incidents).toEqual({});

    const a = await csv("a/x.csv", [row("B-1", "02")]);
    const b = await csv("b/y.csv", [row("C-1", "03")]);
    await expect(cli(["--export-id", "weekly", a, b])).rejects.toThrow("an export id names one export, but 2 files were given: ingest them one at a time");
    await cli(["--export-id", "weekly", a]);
    await expect(cli(["--export-id", "weekly", b])).rejects.toThrow(
      "export 'weekly' of source 'siauliai-demo' that lacks months the lake holds from it: 2019-02",
    );
    await cli(["--export-id", "weekly", "--replace", b]);
    expect(await exportsInLake()).toEqual({ "../export.csv": { rows: 0, months: [] }, weekly: { rows: 1, months: ["2019-03"] } });
  });
});
