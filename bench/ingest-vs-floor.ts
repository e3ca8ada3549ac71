/**
 * The ingest alone against its floor (issue 19, item 2), in one process: the pipeline's ingest stage
 * on a fresh lake, then the floor (bench/ingest-floor.ts) on the same file, each with its wall time
 * and its CPU time (every thread of the process: reader threads, DuckDB's, h3-js workers). On a
 * shared machine the wall ratio mostly measures the load; the CPU ratio says where the work is.
 *
 *   npx tsx bench/ingest-vs-floor.ts [--size 1m] [--skip-floor] [--stages] [--keep]
 *
 * The file is the bench's synthetic history of that size, in $BENCH_DIR (default: the system
 * temporary folder, hotspots-bench/), generated on first use. `--stages` prints the ingest's own
 * timings (read + validate, H3, Parquet write); `--keep` keeps the lake (its folder is printed).
 */
import { mkdir, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { IngestTimings } from "../etl/ingest/ingest-options.ts";
import { ingestStage } from "../etl/pipeline.ts";
import { defaultSettings } from "../etl/settings.ts";
import { syntheticFile } from "./data.ts";
import { ingestFloor } from "./ingest-floor.ts";
import { BENCH_SIZES } from "./sizes.ts";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const sizeName = option("--size") ?? "1m";
const size = BENCH_SIZES.find((s) => s.name === sizeName);
if (!size) throw new Error(`--size ${sizeName}: write one of ${BENCH_SIZES.map((s) => s.name).join(", ")}`);
const dir = process.env.BENCH_DIR ?? join(tmpdir(), "hotspots-bench");
await mkdir(dir, { recursive: true });
const log = (line: string) => process.stderr.write(`${line}\n`);
const file = await syntheticFile(dir, `synthetic-${size.name}`, size.history, log);
const keep = args.includes("--keep");
const lakeDir = join(dir, keep ? `lake-ingest-${size.name}` : `lake-ingest-${size.name}-${process.pid}`);

/** Wall and CPU seconds (all threads) of `run`. */
async function measured<T>(run: () => Promise<T>): Promise<{ value: T; wall_s: number; cpu_s: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, wall_s: (performance.now() - started) / 1000, cpu_s: (used.user + used.system) / 1e6 };
}

const load = loadavg();
const timings: IngestTimings = { read_validate: 0, h3_index: 0, parquet_write: 0 };
const settings = defaultSettings({ lakeDir, dashboardDir: join(dir, "unused-dashboard") });
await rm(lakeDir, { recursive: true, force: true });
const ingest = await measured(() => ingestStage([file], settings, undefined, undefined, timings));
if (!keep) await rm(lakeDir, { recursive: true, force: true });
const floor = args.includes("--skip-floor") ? null : { value: await ingestFloor(file, dir, settings.resolution) };
const loadAfter = loadavg();

const f = (v: number) => v.toFixed(2);
console.log(
  `ingest ${size.name}: ${ingest.value.rows_read} rows read, ${ingest.value.rows_ingested} ingested; wall ${f(ingest.wall_s)} s, CPU ${f(ingest.cpu_s)} s`,
);
if (args.includes("--stages"))
  console.log(
    `  stages (wall): ${Object.entries(timings)
      .map(([k, v]) => `${k} ${f(v)} s`)
      .join(", ")}`,
  );
if (floor) {
  const v = floor.value;
  console.log(
    `floor: wall ${f(v.floor_s)} s (DuckDB ${f(v.duckdb_s)} s + h3-js ${f(v.h3_s)} s), CPU ${f(v.floor_cpu_s)} s (DuckDB ${f(v.duckdb_cpu_s)} s + h3-js ${f(v.h3_cpu_s)} s)`,
  );
  console.log(`ingest / floor: wall ${f(ingest.wall_s / v.floor_s)}×, CPU ${f(ingest.cpu_s / v.floor_cpu_s)}×`);
}
if (keep) console.log(`lake kept in ${lakeDir}`);
console.log(`load average: ${load.map(f).join(" ")} at start, ${loadAfter.map(f).join(" ")} at end`);
