/**
 * The floor of the ingest on this machine (issue 19, item 1): what the same CSV costs with no
 * validation at all, so that the pipeline's ingest can be stated as a ratio measured in one run.
 *
 * - DuckDB alone: `read_csv` with explicit column types → `COPY … (FORMAT parquet, PARTITION_BY
 *   (month))`, on all cores, the month taken from the local timestamp's text.
 * - h3-js alone: every coordinate pair indexed at the lake's resolution, split over one worker thread
 *   per core (the coordinates are read beforehand and not timed).
 *
 * The floor is the sum of the two: both use every core, so they cannot overlap.
 *
 *   npx tsx bench/ingest-floor.ts FILE.csv [--resolution 8]
 */
import { rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { DuckDBInstance } from "@duckdb/node-api";
import { DEFAULTS } from "../etl/config.ts";

export interface IngestFloor {
  rows: number;
  /** Seconds for DuckDB to read the CSV and write month-partitioned Parquet. */
  duckdb_s: number;
  /** Seconds for h3-js to index every coordinate pair on all cores. */
  h3_s: number;
  points: number;
  threads: number;
  /** duckdb_s + h3_s. */
  floor_s: number;
  /**
   * CPU seconds (every thread of the process) of the same two timed parts: on a shared machine the
   * wall times grow with the load, the CPU times much less.
   */
  duckdb_cpu_s: number;
  h3_cpu_s: number;
  floor_cpu_s: number;
}

/** CPU seconds of every thread of this process since `from` (process.cpuUsage). */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};

/** The CSV's columns as the canonical incident file has them (etl/ingest/incident-schema.ts). */
const COLUMN_TYPES = {
  id: "VARCHAR",
  occurred_at: "VARCHAR",
  offence_code: "VARCHAR",
  offence_category: "VARCHAR",
  case_type: "VARCHAR",
  lat: "DOUBLE",
  lon: "DOUBLE",
  municipality: "VARCHAR",
  locality: "VARCHAR",
  source: "VARCHAR",
};

export async function ingestFloor(
  csvFile: string,
  workDir: string,
  resolution: number = DEFAULTS.h3Resolution,
  threads = availableParallelism(),
): Promise<IngestFloor> {
  const out = join(workDir, "floor-parquet");
  await rm(out, { recursive: true, force: true });
  const instance = await DuckDBInstance.create(":memory:", { threads: String(threads) });
  const connection = await instance.connect();
  try {
    const columns = `{${Object.entries(COLUMN_TYPES)
      .map(([name, type]) => `'${name}': '${type}'`)
      .join(", ")}}`;
    const source = `read_csv($file, header = true, columns = ${columns})`;
    const started = performance.now();
    const cpu = process.cpuUsage();
    await connection.run(
      `COPY (SELECT *, substr(occurred_at, 1, 7) AS month FROM ${source}) TO '${out.replaceAll("'", "''")}' (FORMAT parquet, PARTITION_BY (month))`,
      { file: csvFile },
    );
    const duckdb_s = (performance.now() - started) / 1000;
    const duckdb_cpu_s = cpuSince(cpu);

    const reader = await connection.runAndReadAll(`SELECT lat, lon FROM ${source} WHERE lat IS NOT NULL AND lon IS NOT NULL`, { file: csvFile });
    const rows = (await connection.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${source}`, { file: csvFile })).getRows()[0]![0] as number;
    const lat = new Float64Array(new SharedArrayBuffer(reader.currentRowCount * 8));
    const lon = new Float64Array(new SharedArrayBuffer(reader.currentRowCount * 8));
    reader.getColumnsJS().forEach((values, c) => (c === 0 ? lat : lon).set(values as number[]));
    const h3 = await indexOnThreads(lat, lon, resolution, threads);
    return {
      rows,
      duckdb_s,
      h3_s: h3.seconds,
      points: lat.length,
      threads,
      floor_s: duckdb_s + h3.seconds,
      duckdb_cpu_s,
      h3_cpu_s: h3.cpu_s,
      floor_cpu_s: duckdb_cpu_s + h3.cpu_s,
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(out, { recursive: true, force: true });
  }
}

/**
 * Indexes the points in `threads` equal slices, one worker thread each, and returns the seconds from
 * the start signal to the last worker's end (thread start-up and loading h3-js are not counted), and
 * the CPU seconds of the process over the same span.
 */
async function indexOnThreads(lat: Float64Array, lon: Float64Array, resolution: number, threads: number): Promise<{ seconds: number; cpu_s: number }> {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const { latLngToCell } = require("h3-js");
    const lat = new Float64Array(workerData.lat), lon = new Float64Array(workerData.lon);
    latLngToCell(lat[0] ?? 0, lon[0] ?? 0, workerData.resolution);
    parentPort.once("message", () => {
      let changes = 0, previous = "";
      for (let i = workerData.from; i < workerData.to; i++) {
        const cell = latLngToCell(lat[i], lon[i], workerData.resolution);
        if (cell !== previous) changes++;
        previous = cell;
      }
      parentPort.postMessage(changes);
    });
    parentPort.postMessage("ready");`;
  const per = Math.ceil(lat.length / threads);
  const workers = Array.from(
    { length: threads },
    (_, t) =>
      new Worker(code, { eval: true, workerData: { lat: lat.buffer, lon: lon.buffer, resolution, from: t * per, to: Math.min(lat.length, (t + 1) * per) } }),
  );
  try {
    const next = (w: Worker) =>
      new Promise<unknown>((resolve, reject) => {
        w.once("message", resolve);
        w.once("error", reject);
      });
    await Promise.all(workers.map(next));
    const started = performance.now();
    const cpu = process.cpuUsage();
    const done = Promise.all(workers.map(next));
    for (const w of workers) w.postMessage("go");
    await done;
    return { seconds: (performance.now() - started) / 1000, cpu_s: cpuSince(cpu) };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  if (!file) throw new Error("usage: npx tsx bench/ingest-floor.ts FILE.csv [--resolution R]");
  const at = process.argv.indexOf("--resolution");
  const floor = await ingestFloor(file, tmpdir(), at > 0 ? Number(process.argv[at + 1]) : undefined);
  console.log(JSON.stringify(floor, null, 2));
}
