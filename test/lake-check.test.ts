/**
 * checkLake verifies a lake against its manifest: a lake as the stages leave it passes; a missing
 * file, changed bytes, a wrong row count, an unlisted Parquet file in a table's folder, a temporary
 * file and a waiting journal are each reported by name, and nothing is changed.
 */
import { appendFile, copyFile, mkdir, mkdtemp, readFile, rm, unlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkText, EXIT_LAKE_DAMAGED } from "../etl/cli/check-command.ts";
import { hotspotsProgram } from "../etl/cli/program.ts";
import { exportName } from "../etl/ingest/export-identity.ts";
import { checkLake, missingListedFiles, type LakeCheck } from "../etl/lake/check-lake.ts";
import { RAW_RETENTION } from "../etl/lake/retention.ts";
import { COMMIT_JOURNAL } from "../etl/lake/lake-commit.ts";
import type { Manifest } from "../etl/lake/manifest.ts";
import { contextStage, ingestStage } from "../etl/pipeline.ts";
import { defaultSettings } from "../etl/settings.ts";
import { hotspotsInProcess } from "./helpers/hotspots-cli.ts";
import { projectRoot } from "./helpers/shared.ts";

let dir: string;
let lake: string;
let manifest: Manifest;
/** The lake name of sample.csv's files (see exportName). */
let sample: string;
/** The sample's data rows of January and February 2019 (counted in the text, not by the lake). */
let goodRows: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lake-check-"));
  lake = join(dir, "lake");
  const lines = gunzipSync(await readFile(join(projectRoot, "data", "incidents", "siauliai-2015-2021.csv.gz")))
    .toString("utf8")
    .trimEnd()
    .split("\n");
  const file = join(dir, "sample.csv");
  const good = lines.slice(1).filter((l) => /,2019-0[12]-/.test(l));
  goodRows = good.length;
  await writeFile(file, `${[lines[0], ...good, "SIA-X,bad time,,theft,x,1,1,,,x"].join("\n")}\n`);
  const settings = defaultSettings({ lakeDir: lake });
  await ingestStage([file], settings);
  sample = exportName({ source: "siauliai-demo", path: "../sample.csv" });
  await contextStage(settings);
  manifest = JSON.parse(await readFile(join(lake, "manifest.json"), "utf8")) as Manifest;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("checkLake", () => {
  it("passes a lake as the stages leave it: 2 incident partitions with their 2 × 2 aggregates, the quarantine and 5 context tables", async () => {
    expect(await checkLake(lake)).toEqual({
      ok: true,
      files: 12,
      rows: expect.objectContaining({ incidents: goodRows, quarantine: 1 }) as Record<string, number>,
      missing: [],
      expired: [],
      checksum_mismatches: [],
      row_mismatches: [],
      strays: [],
      temporary: [],
      journal: false,
    });
  });

  it("hotspots check reports it and exits 0; a damaged lake gets exit code 4 and what to do", async () => {
    const out: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      process.exitCode = undefined;
      await (await hotspotsProgram()).exitOverride().parseAsync(["--lake", lake, "check"], { from: "user" });
    } finally {
      process.stdout.write = write;
    }
    expect(process.exitCode).toBeUndefined();
    expect(out.join("")).toContain(`Lake OK: the 12 files the manifest lists are there with their recorded bytes and rows (`);
    expect(out.join("")).toContain(`incidents ${goodRows.toLocaleString("en-GB")}`);
    const damaged: LakeCheck = {
      ok: false,
      files: 12,
      rows: { incidents: goodRows, quarantine: 1 },
      missing: [`incidents/month=2019-01/${sample}.parquet`],
      expired: [],
      checksum_mismatches: [],
      row_mismatches: [],
      strays: ["hotspots/month=2019-02/old.parquet"],
      temporary: [],
      journal: true,
    };
    const text = checkText(damaged);
    expect(text).toContain(
      "a commit was interrupted (its journal is waiting): `hotspots check --repair` (or any other command on the lake) completes or removes it",
    );
    expect(text).toContain("1 listed file(s) missing: ingest their source files again");
    expect(text).toContain("1 Parquet file(s) no commit lists (no reader sees them): move them out of the lake.\n    hotspots/month=2019-02/old.parquet");
    expect(EXIT_LAKE_DAMAGED).toBe(4);
  });

  it("names each kind of damage, and changes nothing", async () => {
    const january = `incidents/month=2019-01/${sample}.parquet`;
    const february = `incidents/month=2019-02/${sample}.parquet`;
    const projects = "context/projects/projects.parquet";
    const sha = manifest.tables.incidents![january]!.sha256;
    await copyFile(join(lake, january), join(dir, "january.parquet"));
    await unlink(join(lake, january));
    await copyFile(join(lake, february), join(lake, "incidents", "month=2019-02", "stray.parquet"));
    await appendFile(join(lake, projects), "x");
    await writeFile(join(lake, "incidents", "month=2019-02", `${sample}.parquet.1.2.tmp`), "");
    await writeFile(join(lake, COMMIT_JOURNAL), JSON.stringify({ renames: [], deletes: [] }));
    // The quarantine's rows as recorded no longer match its file.
    const edited = structuredClone(manifest);
    edited.sources[sample]!.rows_quarantined = 2;
    await writeFile(join(lake, "manifest.json"), JSON.stringify(edited));

    const check = await checkLake(lake);
    expect(check).toMatchObject({
      ok: false,
      missing: [january],
      checksum_mismatches: [{ file: projects, recorded: manifest.tables.context![projects]!.sha256, found: expect.stringMatching(/^[0-9a-f]{64}$/) }],
      row_mismatches: [
        { file: projects, recorded: manifest.tables.context![projects]!.rows, found: -1 },
        { file: `quarantine/${sample}.parquet`, recorded: 2, found: 1 },
      ],
      strays: ["incidents/month=2019-02/stray.parquet"],
      temporary: [`incidents/month=2019-02/${sample}.parquet.1.2.tmp`],
      journal: true,
    });
    expect(check.checksum_mismatches[0]!.found).not.toBe(sha);
    expect(await readFile(join(lake, "incidents", "month=2019-02", "stray.parquet"))).toEqual(await readFile(join(lake, february)));
  });

  it("refuses a damaged manifest naming the file and the way out, not with a bare JSON error", async () => {
    const damaged = join(dir, "damaged");
    await mkdir(damaged, { recursive: true });
    await writeFile(join(damaged, "manifest.json"), '{"format": 1, "timezone": "Europe/Vil');
    await expect(checkLake(damaged)).rejects.toThrow(`the lake's manifest ${join(damaged, "manifest.json")} is damaged (not JSON`);
  });

  it("refuses a folder without a manifest, saying what to do", async () => {
    await expect(checkLake(join(dir, "nothing"))).rejects.toThrow(/has no manifest.json: it is not a lake \(run ingest first, or give --lake\)/);
  });
});

describe("a listed file deleted by hand (issue 21: unnoticed by ingest and analyse)", () => {
  it("stops every command that reads the lake, naming the file and the way out; ingest warns and re-ingesting its source mends it", async () => {
    const mended = join(dir, "deleted-by-hand");
    const file = join(dir, "sample.csv");
    await hotspotsInProcess(["--lake", mended, "--json", "ingest", file]);
    const january = `incidents/month=2019-01/${sample}.parquet`;
    await unlink(join(mended, january));
    const refusal = `the lake at ${mended} lacks 1 file(s) its manifest lists (${january}): ingest their source files again, or restore them from a backup; \`hotspots check\` lists every damaged file`;
    for (const command of [["analyse"], ["emerging"], ["publish", "--no-build"], ["context"]])
      await expect(hotspotsInProcess(["--lake", mended, "--json", ...command])).rejects.toThrow(refusal);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      await hotspotsInProcess(["--lake", mended, "--json", "ingest", file]);
      expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toContain(`warning: ${refusal}`);
    } finally {
      stderr.mockRestore();
    }
    expect(await checkLake(mended)).toMatchObject({ ok: true, missing: [] });
    // A command waiting for the lock stages its lock file beside the lake's files at each try: that is
    // not a commit's debris (a check holding the lock failed whenever another command was waiting).
    await writeFile(join(mended, `_lock.json.${process.pid}.${Date.now()}.tmp`), "{}");
    expect(await checkLake(mended)).toMatchObject({ ok: true, temporary: [] });
  }, 120_000);
});

describe("a quarantine file the lake bucket's retention rule removed", () => {
  const DAY = 86_400_000;
  /** Runs `hotspots check` on `lakeDir`; its exit code and text. */
  async function checkCommand(lakeDir: string, ...flags: string[]) {
    const out: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      process.exitCode = undefined;
      await (await hotspotsProgram()).exitOverride().parseAsync(["--lake", lakeDir, ...flags, "check"], { from: "user" });
    } finally {
      process.stdout.write = write;
    }
    const exitCode = process.exitCode;
    process.exitCode = undefined;
    return { exitCode, text: out.join("") };
  }

  it("is reported expired, not missing, once its commit's other files are older than the retention; missing before that, or when nothing dates it", async () => {
    const expiring = join(dir, "expiring");
    await hotspotsInProcess(["--lake", expiring, "--json", "ingest", join(dir, "sample.csv")]);
    const quarantine = `quarantine/${sample}.parquet`;
    // The files its commit wrote beside the quarantine file: the export's partitions and their aggregates.
    const committed = JSON.parse(await readFile(join(expiring, "manifest.json"), "utf8")) as Manifest;
    const partitions = Object.values(committed.tables)
      .flatMap((entries) => Object.keys(entries))
      .filter((key) => key.endsWith(`/${sample}.parquet`));
    expect(partitions).toContain(`incidents/month=2019-01/${sample}.parquet`);
    await unlink(join(expiring, quarantine));

    // Written just now: gone, so missing (damage), by checkLake, by every command and by check's exit code.
    const fresh = await checkLake(expiring);
    expect(fresh).toMatchObject({ ok: false, missing: [quarantine], expired: [] });
    expect(await missingListedFiles(expiring)).toEqual([quarantine]);
    expect((await checkCommand(expiring)).exitCode).toBe(EXIT_LAKE_DAMAGED);
    // A day short of the retention it is still missing; at the retention it has expired.
    const days = RAW_RETENTION.expireAfterDays;
    expect(await checkLake(expiring, new Date(Date.now() + (days - 1) * DAY))).toMatchObject({ ok: false, missing: [quarantine], expired: [] });
    expect(await checkLake(expiring, new Date(Date.now() + (days + 1) * DAY))).toMatchObject({ ok: true, missing: [], expired: [{ file: quarantine }] });

    // The commit's files written over a year ago (as an S3 check's mirror dates them by LastModified).
    // Whole seconds, as S3's LastModified and every file system keep them.
    const written = new Date(Math.floor((Date.now() - (days + 3) * DAY) / 1000) * 1000);
    for (const key of partitions) await utimes(join(expiring, ...key.split("/")), written, written);
    const old = await checkLake(expiring);
    expect(old).toMatchObject({ ok: true, missing: [], expired: [{ file: quarantine, written: written.toISOString() }] });
    expect(await missingListedFiles(expiring)).toEqual([]);
    const { exitCode, text } = await checkCommand(expiring);
    expect(exitCode).toBeUndefined();
    expect(text).toContain(`Lake OK: the ${old.files - 1} files the manifest lists are there`);
    expect(text).toContain(`1 quarantine file(s) expired, as intended: written over ${days} days ago`);
    expect(text).toContain(`${quarantine} (written ${written.toISOString().slice(0, 10)})`);
    // --now dates the retention as the other commands date their months: before the partitions' write, not expired.
    expect((await checkCommand(expiring, "--now", new Date(written.getTime() + DAY).toISOString())).exitCode).toBe(EXIT_LAKE_DAMAGED);

    // With those files gone too nothing dates the quarantine file: all are missing, none expired.
    for (const key of partitions) await unlink(join(expiring, ...key.split("/")));
    expect(await checkLake(expiring)).toMatchObject({ ok: false, missing: [...partitions, quarantine].sort(), expired: [] });
  }, 120_000);
});
