/**
 * One command at a time per lake (issue 21, item 3): the lock is exclusive, a second command gets
 * "lake busy" naming the holder (or waits with --wait), a stale lock (dead process on this host, or
 * no heartbeat for the timeout) is taken over, two ingests started at once both land, and
 * recoverLake leaves a live writer's temporary files alone.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLake } from "../etl/lake/check-lake.ts";
import { recoverLake } from "../etl/lake/lake-commit.ts";
import { acquireLakeLock, LakeBusyError, lakeHolder, LOCK_FILE, withLakeLock } from "../etl/lake/lake-lock.ts";
import type { Manifest } from "../etl/lake/manifest.ts";
import { hotspotsInProcess, hotspotsProcess } from "./helpers/hotspots-cli.ts";
import { projectRoot } from "./helpers/shared.ts";

let dir: string;
let lines: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lake-lock-"));
  lines = gunzipSync(await readFile(join(projectRoot, "data", "incidents", "siauliai-2015-2021.csv.gz")))
    .toString("utf8")
    .trimEnd()
    .split("\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The pid of a process that has ended (so no process on this host has it, barring reuse). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

/** Runs the CLI in its own process; resolves with its exit code and stderr. */
const hotspots = (args: string[]) => hotspotsProcess(args);

describe("acquireLakeLock", () => {
  it("is exclusive: a second taker gets 'lake busy' naming the holder and the file, and gets it once released", async () => {
    const lake = join(dir, "exclusive");
    const lock = await acquireLakeLock(lake, { command: "ingest" });
    expect(await lakeHolder(lake)).toMatchObject({ pid: process.pid, host: hostname(), command: "ingest" });
    const busy = await acquireLakeLock(lake, { command: "analyse" }).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(LakeBusyError);
    expect((busy as Error).message).toContain(`lake busy: \`ingest\` (pid ${process.pid} on ${hostname()}), started ${lock.holder.started}`);
    expect((busy as Error).message).toContain(`remove ${join(lake, LOCK_FILE)} only if that process is no longer running`);
    await lock.release();
    expect(existsSync(join(lake, LOCK_FILE))).toBe(false);
    await withLakeLock(lake, { command: "analyse" }, async () => expect((await lakeHolder(lake))?.command).toBe("analyse"));
    expect(await lakeHolder(lake)).toBeNull();
  });

  it("waits up to --wait for the holder to let go, and says how long it waited when it does not", async () => {
    const lake = join(dir, "wait");
    const first = await acquireLakeLock(lake, { command: "ingest" });
    setTimeout(() => void first.release(), 400);
    const second = await acquireLakeLock(lake, { command: "analyse", waitSeconds: 10 });
    expect((await lakeHolder(lake))?.token).toBe(second.holder.token);
    const late = await acquireLakeLock(lake, { command: "publish", waitSeconds: 0.5 }).catch((e: unknown) => e);
    expect((late as Error).message).toContain("did not finish within the 0.5 s waited");
    await second.release();
  });

  it("takes over a stale lock: a dead process on this host, or no heartbeat for the timeout on another host", async () => {
    const lake = join(dir, "stale");
    await mkdir(lake, { recursive: true });
    const file = join(lake, LOCK_FILE);
    const planted = (pid: number, host: string) =>
      writeFile(file, JSON.stringify({ pid, host, started: "2026-01-01T00:00:00.000Z", command: "ingest", token: `t-${pid}-${host}` }));

    await planted(deadPid(), hostname());
    const taken = await acquireLakeLock(lake, { command: "analyse" });
    expect((await lakeHolder(lake))?.token).toBe(taken.holder.token);
    await taken.release();

    // Another host's pid cannot be checked: fresh, it is busy; silent for longer than the timeout, stale.
    await planted(1, "another-host");
    await expect(acquireLakeLock(lake, { command: "analyse", staleSeconds: 60 })).rejects.toThrow("lake busy: `ingest` (pid 1 on another-host)");
    const old = new Date(Date.now() - 120_000);
    await utimes(file, old, old);
    const after = await acquireLakeLock(lake, { command: "analyse", staleSeconds: 60 });
    expect((await lakeHolder(lake))?.command).toBe("analyse");
    await after.release();
  });

  it("refuses a lock file it did not write, naming it", async () => {
    const lake = join(dir, "garbage");
    await mkdir(lake, { recursive: true });
    await writeFile(join(lake, LOCK_FILE), "not json");
    await expect(acquireLakeLock(lake, { command: "ingest" })).rejects.toThrow(`the lake lock ${join(lake, LOCK_FILE)} is not a lock this program wrote`);
  });
});

describe("recoverLake beside a live writer", () => {
  it("removes the temporary files of dead processes and of this one, never a live other process's", async () => {
    const lake = join(dir, "recover");
    await mkdir(join(lake, "incidents", "month=2019-01"), { recursive: true });
    const live = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    try {
      const partition = join(lake, "incidents", "month=2019-01");
      const liveFile = join(partition, `a.parquet.${live.pid}.1.tmp`);
      await writeFile(liveFile, "being written");
      await writeFile(join(partition, `b.parquet.${deadPid()}.1.tmp`), "left by a crash");
      await writeFile(join(partition, `c.parquet.${process.pid}.1.tmp`), "abandoned here");
      expect(await recoverLake(lake)).toEqual({ rolledForward: false, removedTemporary: 2 });
      expect(await readFile(liveFile, "utf8")).toBe("being written");
    } finally {
      live.kill();
    }
  });
});

describe("the CLI holds the lock", () => {
  it("lands both of two ingests of different files started at once (--wait), nothing lost", async () => {
    const lake = join(dir, "two-writers");
    const header = lines[0]!;
    const a = join(dir, "north.csv");
    const b = join(dir, "south.csv");
    await writeFile(a, `${[header, ...lines.slice(1, 2001)].join("\n")}\n`);
    await writeFile(b, `${[header, ...lines.slice(2001, 4001)].join("\n")}\n`);
    const results = await Promise.all([a, b].map((f) => hotspots(["--lake", lake, "--wait", "120", "--json", "ingest", f])));
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    const manifest = JSON.parse(await readFile(join(lake, "manifest.json"), "utf8")) as Manifest;
    const reports = Object.values(manifest.sources);
    expect(reports.map((r) => r.file).sort()).toEqual(["north.csv", "south.csv"]);
    expect(reports.map((r) => r.rows_read)).toEqual([2000, 2000]);
    const listed = Object.values(manifest.tables.incidents!).reduce((sum, e) => sum + e.rows, 0);
    expect(listed).toBe(reports.reduce((sum, r) => sum + r.rows_ingested, 0));
    expect((await checkLake(lake)).ok).toBe(true);
    expect(existsSync(join(lake, LOCK_FILE))).toBe(false);
  }, 120_000);

  it("stops a second writer with 'lake busy' (exit 1, lake unchanged), and takes over a dead writer's lock", async () => {
    const lake = join(dir, "busy");
    const file = join(dir, "busy.csv");
    await writeFile(file, `${lines.slice(0, 501).join("\n")}\n`);
    const lock = await acquireLakeLock(lake, { command: "analyse" });
    try {
      const busy = await hotspots(["--lake", lake, "ingest", file]);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain(`hotspots: lake busy: \`analyse\` (pid ${process.pid} on ${hostname()})`);
      expect(existsSync(join(lake, "manifest.json"))).toBe(false);
    } finally {
      await lock.release();
    }
    await writeFile(
      join(lake, LOCK_FILE),
      JSON.stringify({ pid: deadPid(), host: hostname(), started: "2026-01-01T00:00:00.000Z", command: "hotspots ingest", token: "killed" }),
    );
    expect((await hotspots(["--lake", lake, "ingest", file])).code).toBe(0);
    expect(existsSync(join(lake, "manifest.json"))).toBe(true);
    expect(existsSync(join(lake, LOCK_FILE))).toBe(false);
  }, 120_000);
});

describe("readers hold the lock too (in-process CLI)", () => {
  /** Runs the CLI in this process with stdout captured; resolves with what it printed, or rejects with its error. */
  const inProcess = async (args: string[]) => (await hotspotsInProcess(args)).stdout;

  it("a reader (check) waits for a writer instead of meeting its half-replaced files, and any command lets go when it fails", async () => {
    const lake = join(dir, "reader");
    const file = join(dir, "reader.csv");
    await writeFile(file, `${lines.slice(0, 201).join("\n")}\n`);
    await inProcess(["--lake", lake, "--json", "ingest", file]);
    expect(await lakeHolder(lake)).toBeNull();
    const writer = await acquireLakeLock(lake, { command: "hotspots ingest" });
    await expect(inProcess(["--lake", lake, "check"])).rejects.toThrow("lake busy: `hotspots ingest`");
    setTimeout(() => void writer.release(), 300);
    expect(await inProcess(["--lake", lake, "--wait", "30", "check"])).toContain("Lake OK");
    expect(await lakeHolder(lake)).toBeNull();
    // A command that fails after taking the lock (here: no such file) still releases it.
    await expect(inProcess(["--lake", lake, "ingest", join(dir, "no-such-file.csv")])).rejects.toThrow(/no-such-file\.csv/);
    expect(await lakeHolder(lake)).toBeNull();
  }, 60_000);
});
