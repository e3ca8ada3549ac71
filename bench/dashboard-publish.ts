/**
 * The dashboard-data stage of one more month, alone and repeatable: `publishStage` on a lake that
 * has the month (`--lake`), starting each run from a copy of the data folder as the previous
 * publish left it (`--before`: a dashboard folder, e.g. a kept bench lake's before its +1 month),
 * each run in a fresh process with the stages' modules loaded and the lake counts and DuckDB instance
 * warmed first, as `run`'s analytics leave them. Prints wall and CPU seconds per run (and the main thread's CPU: the
 * rest is DuckDB's and libuv's threads) with the load average, and a SHA-256 of
 * every data file written (meta.json's generated_at left out), so two versions of the code can be
 * compared for identical output; `--cpu-prof <dir>` profiles each run; `--parts` prints each part's wall and CPU.
 *
 *   npx tsx bench/dashboard-publish.ts --lake /tmp/b/lake61 --before /tmp/b/dash60 --runs 3
 *   npx tsx bench/dashboard-publish.ts --hash /tmp/b/dash61   # the same hash of a dashboard folder
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, readdir, readFile, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    lake: { type: "string" },
    before: { type: "string" },
    runs: { type: "string", default: "3" },
    work: { type: "string", default: join(tmpdir(), "dashboard-publish-bench") },
    "cpu-prof": { type: "string" },
    hash: { type: "string" },
    child: { type: "boolean", default: false },
    parts: { type: "boolean", default: false },
  },
});

if (values.child) await child(values.lake!, values.work!);
else if (values.hash) console.log(await dataHash(join(values.hash, "src", "data")));
else await parent();

/** One timed publish of `lakeDir` into `dashboardDir`; prints one JSON line. */
async function child(lakeDir: string, dashboardDir: string): Promise<void> {
  const { publishStage } = await import("../etl/pipeline.ts");
  const { defaultSettings } = await import("../etl/settings.ts");
  const { withConnection } = await import("../etl/duckdb/connection.ts");
  const { readLakeCounts } = await import("../etl/analytics/lake-counts.ts");
  const settings = defaultSettings({ lakeDir, dashboardDir });
  // What `run` has loaded before publish: every stage's modules (the evaluate stage's statistics alone
  // take 0.2–0.3 s of CPU to load, which a publish started cold would count as its own).
  await import("../etl/stages.ts");
  // What `run` has done before publish: the DuckDB instance opened and the lake's counts read.
  await withConnection((connection) => readLakeCounts(connection, lakeDir, settings.resolution));
  const cpu = process.cpuUsage();
  const main = await mainThreadCpu();
  const started = performance.now();
  await publishStage(settings);
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const mainUsed = main === null ? null : (await mainThreadCpu())! - main;
  const { publishTimings } = await import("../etl/publish/publish-timing.ts");
  process.stdout.write(`${JSON.stringify({ wall_s: wall, cpu_s: (used.user + used.system) / 1e6, main_cpu_s: mainUsed, parts: publishTimings() })}\n`);
}

/**
 * CPU seconds of this process's main thread (JavaScript; DuckDB's and libuv's threads are others),
 * from Linux's /proc in clock ticks (USER_HZ, 100 a second); null elsewhere. Against the process's
 * CPU it says how much of the stage DuckDB's threads did, which can overlap the JavaScript.
 */
async function mainThreadCpu(): Promise<number | null> {
  const stat = await readFile(`/proc/self/task/${process.pid}/stat`, "utf8").catch(() => null);
  if (stat === null) return null;
  // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function parent(): Promise<void> {
  if (!values.lake || !values.before) throw new Error("usage: dashboard-publish.ts --lake <lake with the month> --before <dashboard folder before it>");
  const work = values.work!;
  for (let run = 1; run <= Number(values.runs); run++) {
    await rm(work, { recursive: true, force: true });
    await cp(values.before, work, { recursive: true });
    const load = loadavg()[0]!.toFixed(2);
    const prof = values["cpu-prof"] ? ["--cpu-prof", "--cpu-prof-dir", values["cpu-prof"]] : [];
    const args = [...process.execArgv, ...prof, import.meta.filename, "--child", "--lake", values.lake, "--work", work];
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
      let text = "";
      p.stdout.setEncoding("utf8").on("data", (d: string) => (text += d));
      p.on("error", reject);
      p.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`publish run failed (exit ${code})`))));
    });
    const { wall_s, cpu_s, main_cpu_s, parts } = JSON.parse(out.trim().split("\n").at(-1)!) as {
      wall_s: number;
      cpu_s: number;
      main_cpu_s: number | null;
      parts: Record<string, { wall_s: number; cpu_s: number }>;
    };
    const main = main_cpu_s === null ? "" : ` (main thread ${main_cpu_s.toFixed(2)} s)`;
    console.log(`run ${run}: wall ${wall_s.toFixed(3)} s, CPU ${cpu_s.toFixed(3)} s${main}, load ${load}; data ${await dataHash(join(work, "src", "data"))}`);
    if (values.parts) {
      // Each part of publishDashboardData (etl/publish/publish-timing.ts), largest CPU first; the rest of the stage is reading the manifest and outlines.
      for (const [part, t] of Object.entries(parts).sort((a, b) => b[1].cpu_s - a[1].cpu_s)) {
        console.log(`  ${part.padEnd(34)} wall ${t.wall_s.toFixed(3)} s  CPU ${t.cpu_s.toFixed(3)} s`);
      }
    }
  }
}

/** SHA-256 over every file of the data folder (.state/ left out) by path, meta.json without its time stamp. */
async function dataHash(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .filter((f) => !f.startsWith(".state"))
    .sort();
  for (const file of files) {
    let text = await readFile(join(dir, file), "utf8");
    if (file === "meta.json") text = text.replace(/"generated_at":"[^"]*"/, "");
    hash.update(`${file}\n${createHash("sha256").update(text).digest("hex")}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}
