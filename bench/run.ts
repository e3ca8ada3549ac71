/**
 * `npm run bench`: the pipeline at national scale on this machine (issue 8). For each size of
 * BENCH_SIZES it generates (once) a seeded synthetic history, runs every stage on a fresh lake in a
 * child process — timing each stage, its wall time and peak RSS — runs R spdep `localG` on the same
 * grid as the peer of the Gi* stage, and for 10 M adds one month to the finished lake (the
 * incremental run). Prints a table and writes bench-results.json at the project root.
 *
 *   npm run bench                      # both sizes (about 5 minutes the first time, data included)
 *   npm run bench -- --sizes 1m        # one size;  --no-spdep skips R;  --keep keeps the lakes
 *   npm run bench -- --sizes 40m       # 40 M incidents, a 5 GB CSV: memory bounded by chunking
 *   npm run bench -- --no-forecast     # without the patrol-forecast backtest (bench/forecast-backtest.ts)
 *   npm run bench -- --tsx             # the runs' child from the TypeScript sources through tsx, not compiled
 *                                      # into one module as the Lambda asset is (bench/child-bundle.ts)
 *   npm run bench -- --national        # only the bundled Lambda on a 10-year, 10 M-incident lake in a local S3
 *                                      # server (bench/national-scale.ts; about 10 minutes): the monthly run and
 *                                      # one month's 100 k-row national export, on x64; add
 *                                      # --arm64-node <path to an arm64 node> for arm64 under qemu-user-static;
 *                                      # --memory-mb <MB> holds the runs to another function memory
 *
 * Data and lakes live in $BENCH_DIR (default: the system temporary folder, hotspots-bench/).
 */
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { addMonths } from "../etl/analytics/monthly-counts.ts";
import { PROJECT_ROOT } from "../etl/config.ts";
import { bundleChild, type ChildBundle } from "./child-bundle.ts";
import { syntheticFile } from "./data.ts";
import { ingestFloor } from "./ingest-floor.ts";
import { findArm64Runtime } from "./lambda-invoke.ts";
import type { NationalRequest, NationalScaleReport } from "./national-scale.ts";
import { giStarVsLocalG, ingestSeconds, printNationalScale, printTable, type SizeResult } from "./report.ts";
import type { RunReport, RunRequest } from "./run-size.ts";
import { BENCH_SIZES } from "./sizes.ts";

const args = process.argv.slice(2);
const national = args.includes("--national");
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
// --national alone runs only the national-scale bench; with --sizes, both.
const wanted = option("--sizes")?.split(",") ?? (national ? [] : BENCH_SIZES.filter((s) => s.byDefault).map((s) => s.name));
const spdep = !args.includes("--no-spdep");
const keep = args.includes("--keep");
// The child compiled as the Lambda runs it (startup and code as deployed), or with --tsx from the sources.
const bundle: ChildBundle | null = args.includes("--tsx") ? null : await bundleChild();
const dir = process.env.BENCH_DIR ?? join(tmpdir(), "hotspots-bench");
const log = (line: string) => process.stderr.write(`${line}\n`);

const machine = `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
log(
  `bench: ${machine}; data in ${dir}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
await mkdir(dir, { recursive: true });
const results: SizeResult[] = [];
for (const size of BENCH_SIZES.filter((s) => wanted.includes(s.name))) {
  const history = await syntheticFile(dir, `synthetic-${size.name}`, size.history, log);
  const lakeDir = join(dir, `lake-${size.name}`);
  const dashboardDir = join(dir, `dashboard-${size.name}`);
  // A fresh lake and a fresh dashboard folder: the publish state a kept folder holds (place names, releases) would spare the full run work.
  for (const folder of [lakeDir, dashboardDir]) await rm(folder, { recursive: true, force: true });
  log(`${size.name}: full run (${size.incidents.toLocaleString("en")} incidents, ${size.months} months)…`);
  const full = await runChild({ files: [history], lakeDir, dashboardDir, ...(spdep ? { spdepDir: join(dir, `spdep-${size.name}`) } : {}) });
  let incremental: (RunReport & { process_s: number }) | undefined;
  if (size.nextMonth) {
    const next = await syntheticFile(dir, `synthetic-${size.name}-next`, size.nextMonth, log);
    log(`${size.name}: incremental run (one more month)…`);
    incremental = await runChild({ files: [next], lakeDir, dashboardDir, month: addMonths(size.history.firstMonth, size.history.months) });
  }
  log(`${size.name}: the floor (DuckDB read_csv → partitioned Parquet; h3-js on every core)…`);
  const floor = await ingestFloor(history, dir);
  results.push({ size, full, incremental, floor });
  if (!keep) for (const folder of [lakeDir, dashboardDir]) await rm(folder, { recursive: true, force: true });
}

if (results.length > 0) printTable(results, machine);
const nationalReport = national ? await nationalScale() : null;
if (nationalReport) printNationalScale(nationalReport);
// Issue 14, item 6: the patrol-forecast backtest with method selection at city scale (10 years, res 9), in its own process.
const forecast = args.includes("--no-forecast") || (national && results.length === 0) ? null : await forecastBacktest();
const json = results.map(({ size, full, incremental, floor }) => ({
  incidents: size.incidents,
  months: size.months,
  wall_s: round(full.wall_s),
  cpu_s: round(full.cpu_s),
  peak_rss_mib: Math.round(full.peak_rss_mib),
  stages: Object.fromEntries(Object.entries(full.stages).map(([k, v]) => [k, round(v)])),
  stage_cpu_s: Object.fromEntries(Object.entries(full.stage_cpu_s).map(([k, v]) => [k, round(v)])),
  floor: { ...floor, duckdb_s: round(floor.duckdb_s), h3_s: round(floor.h3_s), floor_s: round(floor.floor_s) },
  ingest_floor_ratio: round(ingestSeconds(full) / floor.floor_s),
  spdep_ratio: full.spdep?.ran ? round(giStarVsLocalG(full)!.ratio) : null,
  spdep: full.spdep ?? null,
  rows_read: full.rows_read,
  rows_ingested: full.rows_ingested,
  load_average: full.load_average.map(round),
  ...(incremental
    ? {
        incremental: {
          wall_s: round(incremental.wall_s),
          cpu_s: round(incremental.cpu_s),
          process_s: round(incremental.process_s),
          peak_rss_mib: Math.round(incremental.peak_rss_mib),
          stages: Object.fromEntries(Object.entries(incremental.stages).map(([k, v]) => [k, round(v)])),
          stage_cpu_s: Object.fromEntries(Object.entries(incremental.stage_cpu_s).map(([k, v]) => [k, round(v)])),
          stage_wall_s: Object.fromEntries(Object.entries(incremental.stage_wall_s).map(([k, v]) => [k, round(v)])),
          startup_s: round(incremental.startup_s),
          build: incremental.build,
          load_average: incremental.load_average.map(round),
        },
      }
    : {}),
  machine,
}));
const extras = [...(forecast ? [{ forecast_backtest: forecast }] : []), ...(nationalReport ? [{ national_scale: nationalReport }] : [])];
await writeFile(join(PROJECT_ROOT, "bench-results.json"), `${JSON.stringify([...json, ...extras], null, 2)}\n`);
log(`wrote ${join(PROJECT_ROOT, "bench-results.json")}`);

/** Runs bench/run-size.ts in a child process (its bundle, or with --tsx this process's TypeScript loader) and parses its report. */
function runChild(request: RunRequest): Promise<RunReport & { process_s: number }> {
  const started = performance.now();
  const script = bundle ? [bundle.entry] : [...process.execArgv, join(import.meta.dirname, "run-size.ts")];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...script, JSON.stringify(request)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`bench run failed (exit ${code})`));
      resolve({ ...(JSON.parse(out.trim().split("\n").at(-1)!) as RunReport), process_s: (performance.now() - started) / 1000 });
    });
  });
}

/** Runs bench/forecast-backtest.ts in a child process, prints its figures and returns its JSON line. */
function forecastBacktest(): Promise<Record<string, unknown>> {
  log("forecast backtest: 10-year city at resolution 9…");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, join(import.meta.dirname, "forecast-backtest.ts")], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`forecast backtest failed (exit ${code})`));
      const result = JSON.parse(out.trim().split("\n").at(-1)!) as Record<string, unknown>;
      console.log(
        `\nForecast backtest with method selection: ${String(result.cells)} cells × ${String(result.months)} months, ${String(result.incidents)} incidents, ${String(result.methods)} methods: ${String(result.backtest_s)} s (target ${String(result.target_s)} s) on ${String(result.processor)}`,
      );
      resolve(result);
    });
  });
}

/** Runs bench/national-scale.ts in a child process (its memory apart from this one's) and parses its report. */
function nationalScale(): Promise<NationalScaleReport> {
  const arm64 = findArm64Runtime(option("--arm64-node") ?? process.env.BENCH_ARM64_NODE);
  const memory = option("--memory-mb");
  const request: NationalRequest = {
    dir,
    arm64: typeof arm64 === "string" ? null : arm64,
    ...(memory ? { memoryMb: Number(memory) } : {}),
  };
  if (typeof arm64 === "string") log(`national: arm64 skipped — ${arm64}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, join(import.meta.dirname, "national-scale.ts"), JSON.stringify(request)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`national-scale bench failed (exit ${code})`));
      const report = JSON.parse(out.trim().split("\n").at(-1)!) as NationalScaleReport;
      if (typeof arm64 === "string") report.skipped.arm64 = arm64;
      resolve(report);
    });
  });
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
