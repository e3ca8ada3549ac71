/**
 * The fixed costs of one more month (issue 19, deliver 3): the ingest and analyse stages of the
 * bench's next month on a copy of a finished lake, each run in a fresh process (as `hotspots run`
 * is: module loading aside, its first-use costs count), repeated, with wall and CPU seconds (every
 * thread) per stage, their medians, the load average, and whether every repetition wrote the same
 * bytes (SHA-256 of every lake file). The whole `npm run bench` times the same stages among the rest;
 * this times only them, often enough for the median to mean something on a shared machine.
 *
 *   npx tsx bench/ingest-month.ts [--size 1m] [--runs 5]
 *
 * The base lake (the history, ingested and analysed: `$BENCH_DIR/lake-month-base-<size>`) is built
 * on first use and kept; the files are the bench's synthetic history and next month, in $BENCH_DIR
 * (default: the system temporary folder, hotspots-bench/), generated on first use.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { filesBelow } from "../etl/lake/lake-files.ts";
import { analyseStage, ingestStage } from "../etl/pipeline.ts";
import { defaultSettings } from "../etl/settings.ts";
import { syntheticFile } from "./data.ts";
import { BENCH_SIZES } from "./sizes.ts";

interface StageTimes {
  ingest: { wall_s: number; cpu_s: number };
  analyse: { wall_s: number; cpu_s: number };
  months_recomputed: number;
}

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

// The child: ingest and analyse `file` into `lakeDir`, print the times as one JSON line.
if (args[0] === "--child") {
  const [lakeDir, file] = args.slice(1) as [string, string];
  const settings = defaultSettings({ lakeDir, dashboardDir: join(lakeDir, "..", "dashboard") });
  const ingest = await measured(() => ingestStage([file], settings));
  const analyse = await measured(() => analyseStage(settings));
  const times: StageTimes = { ingest: ingest.times, analyse: analyse.times, months_recomputed: analyse.value.months_recomputed };
  process.stdout.write(`${JSON.stringify(times)}\n`);
  process.exit(0);
}

const sizeName = option("--size") ?? "1m";
const size = BENCH_SIZES.find((s) => s.name === sizeName && s.nextMonth);
if (!size?.nextMonth)
  throw new Error(
    `--size ${sizeName}: write one of ${BENCH_SIZES.filter((s) => s.nextMonth)
      .map((s) => s.name)
      .join(", ")}`,
  );
const runs = Number(option("--runs") ?? 5);
const dir = process.env.BENCH_DIR ?? join(tmpdir(), "hotspots-bench");
await mkdir(dir, { recursive: true });
const log = (line: string) => process.stderr.write(`${line}\n`);
const history = await syntheticFile(dir, `synthetic-${size.name}`, size.history, log);
const next = await syntheticFile(dir, `synthetic-${size.name}-next`, size.nextMonth, log);
const base = join(dir, `lake-month-base-${size.name}`);
if (!existsSync(join(base, "manifest.json"))) {
  log(`building the base lake ${base} (${size.incidents.toLocaleString("en")} incidents, ingest and analyse)…`);
  const settings = defaultSettings({ lakeDir: base, dashboardDir: join(dir, `dashboard-month-base-${size.name}`) });
  await ingestStage([history], settings);
  await analyseStage(settings);
}

const results: StageTimes[] = [];
const digests = new Set<string>();
for (let run = 1; run <= runs; run++) {
  const work = join(dir, `lake-month-${process.pid}`);
  await rm(work, { recursive: true, force: true });
  await cp(base, join(work, "lake"), { recursive: true });
  const load = loadavg()[0]!.toFixed(1);
  const child = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, "--child", join(work, "lake"), next], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`run ${run} failed: ${child.stderr}`);
  const times = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as StageTimes;
  if (times.months_recomputed !== 1) log(`run ${run}: the analyse stage recomputed ${times.months_recomputed} months, not 1`);
  digests.add(await lakeDigest(join(work, "lake")));
  await rm(work, { recursive: true, force: true });
  results.push(times);
  log(
    `run ${run}: ingest ${times.ingest.wall_s.toFixed(2)} s wall, ${times.ingest.cpu_s.toFixed(2)} s CPU; analyse ${times.analyse.wall_s.toFixed(2)} s wall, ${times.analyse.cpu_s.toFixed(2)} s CPU (load average ${load})`,
  );
}
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
console.log(
  `one more month (${size.nextMonth.incidents.toLocaleString("en")} incidents) on the ${size.name} lake, ${runs} runs, medians: ` +
    `ingest ${median(results.map((r) => r.ingest.wall_s)).toFixed(2)} s wall / ${median(results.map((r) => r.ingest.cpu_s)).toFixed(2)} s CPU, ` +
    `analyse ${median(results.map((r) => r.analyse.wall_s)).toFixed(2)} s wall / ${median(results.map((r) => r.analyse.cpu_s)).toFixed(2)} s CPU; ` +
    `${digests.size === 1 ? `every run wrote the same bytes (lake SHA-256 ${[...digests][0]!.slice(0, 16)}…)` : `the runs wrote ${digests.size} different lakes`}; load average now ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
);

/** Wall and CPU seconds (all threads) of `run`. */
async function measured<T>(run: () => Promise<T>): Promise<{ value: T; times: { wall_s: number; cpu_s: number } }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, times: { wall_s: (performance.now() - started) / 1000, cpu_s: (used.user + used.system) / 1e6 } };
}

/** SHA-256 over every file of the lake (its path and bytes), in path order. */
async function lakeDigest(lakeDir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const file of (filesBelow(lakeDir) ?? []).sort()) hash.update(`${file}\n`).update(await readFile(join(lakeDir, file)));
  return hash.digest("hex");
}
