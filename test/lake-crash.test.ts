/**
 * Atomicity of the lake under a crash: an ingest killed mid-write leaves the previous state exactly
 * (only invisible *.tmp files behind), and an ingest killed while committing is rolled forward.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { COMMIT_JOURNAL, recoverLake } from "../etl/lake/lake-commit.ts";
import { lakeLayout } from "../etl/lake/lake-layout.ts";
import { LOCK_FILE } from "../etl/lake/lake-lock.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { LakeWriter } from "../etl/lake/table-writer.ts";
import { canonicalSource, projectRoot } from "./helpers/shared.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "crash-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Visible lake files (what readers see) with their bytes; the killed command's lock is no data. */
async function visible(lake: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(lake, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && !e.name.endsWith(".tmp") && e.name !== LOCK_FILE)
      out[join(e.parentPath, e.name).slice(lake.length)] = (await readFile(join(e.parentPath, e.name))).toString("base64");
  }
  return out;
}

async function countRows(lake: string): Promise<number> {
  return withConnection(async (c) =>
    Number((await c.runAndReadAll("SELECT count(*) FROM read_parquet($g)", { g: lakeLayout.glob(lakeLayout.incidentsDir(lake)) })).getRows()[0]![0]),
  );
}

describe("a process killed while ingesting", () => {
  it("leaves the previous lake state intact, or a commit that recovery completes", async () => {
    const bundled = gunzipSync(await readFile(join(projectRoot, "data", "incidents", "siauliai-2015-2021.csv.gz")))
      .toString("utf8")
      .trimEnd()
      .split("\n");
    const file = join(dir, "incidents.csv");
    const options = { lakeDir: join(dir, "lake"), resolution: 8, timeZone: "Europe/Vilnius", source: await canonicalSource() };
    // Version 1: the first 10,000 incidents.
    await writeFile(file, bundled.slice(0, 10_001).join("\n"));
    await ingestFile(file, options);
    const before = await visible(options.lakeDir);
    // Version 2 (all 36,282) in another process, killed as soon as it starts writing the lake.
    await writeFile(file, bundled.join("\n"));
    const child = spawn(process.execPath, [join(projectRoot, "bin", "hotspots.js"), "--lake", options.lakeDir, "--json", "ingest", file], { stdio: "ignore" });
    let gone = false;
    const exited = new Promise((resolve) => child.on("exit", resolve)).then(() => (gone = true));
    for (;;) {
      const names = await readdir(options.lakeDir, { recursive: true });
      // A data file being written (the lock is staged under a temporary name too, before anything is written).
      if (names.some((n) => n.endsWith(".tmp") && !n.includes(LOCK_FILE))) break;
      if (gone) throw new Error("the ingest ended before writing anything: it should have been killed while writing");
      await new Promise((r) => setTimeout(r, 2));
    }
    child.kill("SIGKILL");
    await exited;

    if (existsSync(join(options.lakeDir, COMMIT_JOURNAL))) {
      // Killed while committing: recovery rolls forward to version 2.
      expect((await recoverLake(options.lakeDir)).rolledForward).toBe(true);
      expect(await countRows(options.lakeDir)).toBe(36_282);
    } else {
      // Killed while writing: readers see exactly version 1, every visible file readable.
      expect(await visible(options.lakeDir)).toEqual(before);
      expect(await countRows(options.lakeDir)).toBe(10_000);
      const leftovers = (await readdir(options.lakeDir, { recursive: true })).filter((n) => n.endsWith(".tmp"));
      expect(leftovers.length).toBeGreaterThan(0);
      expect((await recoverLake(options.lakeDir)).removedTemporary).toBe(leftovers.length);
    }
    // The next run completes version 2, identical to a lake that never crashed.
    await ingestFile(file, options);
    const clean = { ...options, lakeDir: join(dir, "clean") };
    await ingestFile(file, clean);
    expect(await visible(options.lakeDir)).toEqual(await visible(clean.lakeDir));
  }, 120_000);
});

describe("recoverLake", () => {
  it("rolls an interrupted commit forward and is idempotent", async () => {
    const lake = join(dir, "journal");
    await mkdir(join(lake, "incidents", "month=2019-01"), { recursive: true });
    await writeFile(join(lake, "incidents", "month=2019-01", "a.parquet.1.tmp"), "new");
    await writeFile(join(lake, "incidents", "month=2019-01", "old.parquet"), "old");
    await writeFile(join(lake, "manifest.json.1.tmp"), "{}");
    await writeFile(
      join(lake, COMMIT_JOURNAL),
      JSON.stringify({
        renames: [
          { from: "incidents/month=2019-01/a.parquet.1.tmp", to: "incidents/month=2019-01/a.parquet" },
          { from: "manifest.json.1.tmp", to: "manifest.json" },
        ],
        deletes: ["incidents/month=2019-01/old.parquet"],
      }),
    );
    expect(await recoverLake(lake)).toEqual({ rolledForward: true, removedTemporary: 0 });
    expect(await readFile(join(lake, "incidents", "month=2019-01", "a.parquet"), "utf8")).toBe("new");
    expect(existsSync(join(lake, "incidents", "month=2019-01", "old.parquet"))).toBe(false);
    expect(existsSync(join(lake, COMMIT_JOURNAL))).toBe(false);
    expect(await recoverLake(lake)).toEqual({ rolledForward: false, removedTemporary: 0 });
  });
});

describe("a damaged or planted journal", () => {
  it("is refused before anything moves: a path outside the lake, or text that is not a journal, with the file and the way out", async () => {
    const lake = join(dir, "planted");
    const outside = join(dir, "outside.txt");
    await mkdir(lake, { recursive: true });
    await writeFile(outside, "not the lake's");
    await writeFile(join(dir, "x.tmp"), "planted");
    const journal = join(lake, COMMIT_JOURNAL);
    for (const commit of [
      { renames: [{ from: "../x.tmp", to: "manifest.json" }], deletes: [] },
      { renames: [], deletes: ["../outside.txt"] },
      { renames: [], deletes: [outside] },
      { renames: [{ from: "incidents/a.parquet", to: "manifest.json" }], deletes: [] },
    ]) {
      await writeFile(journal, JSON.stringify(commit));
      await expect(recoverLake(lake)).rejects.toThrow(`the commit journal ${journal} is damaged`);
    }
    expect(await readFile(outside, "utf8")).toBe("not the lake's");
    expect(existsSync(join(dir, "x.tmp"))).toBe(true);
    await writeFile(journal, '{"renames": [{"from": "manifest.json.1.1.tm');
    await expect(recoverLake(lake)).rejects.toThrow(
      new RegExp(`the commit journal ${journal} is damaged \\(not JSON .*\\); nothing was renamed or deleted.*run \`hotspots check\`.*then delete ${journal}`),
    );
  });
});

describe("a damaged manifest", () => {
  it("is refused with the file named and the safe way out, never answered with 'remove this one'", async () => {
    const lake = join(dir, "damaged-manifest");
    await mkdir(lake, { recursive: true });
    const file = join(lake, "manifest.json");
    for (const [text, problem] of [
      ["{}", "format: Invalid input: expected 1"],
      [
        '{"format": 1, "timezone": "Europe/Vilnius", "h3_resolution": 8, "tables": {"incidents": {"a.parquet": {"month": "2019-01"}}}, "sources": {}}',
        "tables.incidents.a.parquet.rows",
      ],
      ['{"format": 1, "timezone": "Europe/Vil', "not JSON"],
    ]) {
      await writeFile(file, text!);
      for (const read of [() => readManifest(lake, "Europe/Vilnius", 8), () => LakeWriter.openAsBuilt(lake)]) {
        const error = (await read().catch((e: unknown) => e)) as Error;
        expect(error.message).toContain(`the lake's manifest ${file} is damaged (`);
        expect(error.message).toContain(problem);
        expect(error.message).toContain("restore it from a backup, then run `hotspots check`");
        expect(error.message).not.toContain("remove this one");
      }
    }
  });
});
