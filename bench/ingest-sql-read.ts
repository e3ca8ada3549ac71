/**
 * What the SQL read path of issue 19 (Deliver 2, step 2) could cost, before it is built: DuckDB's
 * parallel `read_csv` loading a plain CSV's fields as text, and a first screen in SQL of the rows
 * that are certainly clean (id present and not formula text, an ISO time with its offset, both
 * coordinates numbers inside the source's bounds), then each clean row's month in the lake's time
 * zone; whether the rows sit in file order (the bench file's ids rise with its lines); and H3 as
 * step 2 would index it: the clean rows' distinct coordinate pairs pulled out as typed arrays,
 * indexed by h3-js in this thread, appended back and joined to the rows. Each step's wall and CPU
 * time (every thread) is printed beside the JavaScript readers' whole ingest, which
 * `bench/ingest-vs-floor.ts` measures. It writes nothing.
 *
 * On the 1 M file, load average 8 (13:52 UTC, 3 Dec), in CPU seconds: read_csv 2.5–2.9, screen 0.43,
 * month 0.41–0.48, rows in file order (0 out of place), distinct pairs 0.3 (998,858 for 999,512
 * clean rows: the synthetic points hardly repeat, so indexing each pair once saves nothing here),
 * pulled out 0.2, h3-js 1.2, appended back 0.44–0.55, joined 0.59: about 6–6.5 s before the
 * municipality check, the offence mapping, the repeated-id hashes, the tally and the month phase
 * (4.5 s, bench/ingest-write.ts), against a floor of 4.1–5.2 s for the whole ingest.
 *
 *   npx tsx bench/ingest-sql-read.ts [--size 1m] [--source data/sources/x.yaml]
 *
 * Only for sources whose time is `format: iso` and whose CSV is plain (the bench's synthetic
 * history and the canonical layout); the screen is a measure of cost, not the product's rules.
 */
import { mkdir } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DOUBLE, DuckDBDataChunk, DuckDBInstance, UBIGINT } from "@duckdb/node-api";
import { latLngToCell } from "h3-js";
import { DEFAULTS } from "../etl/config.ts";
import { loadSourceDescription } from "../etl/ingest/source-description.ts";
import { fillVector, readVector } from "../etl/lake/duckdb-columns.ts";
import { syntheticFile } from "./data.ts";
import { BENCH_SIZES } from "./sizes.ts";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const sizeName = option("--size") ?? "1m";
const size = BENCH_SIZES.find((s) => s.name === sizeName);
if (!size) throw new Error(`--size ${sizeName}: write one of ${BENCH_SIZES.map((s) => s.name).join(", ")}`);
const source = await loadSourceDescription(option("--source") ?? DEFAULTS.sourceDescription);
const time = source.columns.time;
if (time.format !== "iso")
  throw new Error(`the source's time is format: ${time.format}; this estimate reads only format: iso (write a source with an ISO time column)`);
if (source.crs !== "EPSG:4326") throw new Error(`the source's crs is ${source.crs}; this estimate screens degrees only (write a source in EPSG:4326)`);
const dir = process.env.BENCH_DIR ?? join(tmpdir(), "hotspots-bench");
await mkdir(dir, { recursive: true });
const file = await syntheticFile(dir, `synthetic-${size.name}`, size.history, (line) => process.stderr.write(`${line}\n`));

const instance = await DuckDBInstance.create(":memory:");
const connection = await instance.connect();
const f = (v: number) => v.toFixed(2);
/** Runs `sql`, printing its wall and CPU seconds and its first row. */
async function step(name: string, sql: string, values: Record<string, unknown> = {}): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const reader = await connection.runAndReadAll(sql, values as never);
  const used = process.cpuUsage(cpu);
  const first = reader.getRows()[0]?.map(String).join(", ") ?? "";
  console.log(`${name}: wall ${f((performance.now() - started) / 1000)} s, CPU ${f((used.user + used.system) / 1e6)} s${first ? ` → ${first}` : ""}`);
}

const load = loadavg();
// Every field as text, no quoting, '\n' lines: the fast-csv.ts case. Empty fields come back NULL.
await step(
  "read_csv (fields as text)",
  `CREATE TABLE raw AS SELECT * FROM read_csv($file, all_varchar = true, header = true, delim = $delim, quote = '', escape = '',
     new_line = '\\n', strict_mode = true)`,
  { file, delim: source.delimiter },
);
const [west, south, east, north] = source.bounds;
const id = source.columns.id ?? "id";
await step(
  "screen (id, ISO time, coordinates in bounds)",
  `CREATE TABLE screened AS
   SELECT r AS row, try_cast(t AS TIMESTAMPTZ) AS occurred_at,
          (i IS NOT NULL AND left(i, 1) NOT IN ('=', '+', '-', '@')
           AND regexp_full_match(t, '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d)?([+-]\\d\\d:\\d\\d|Z)') AND try_cast(t AS TIMESTAMPTZ) IS NOT NULL
           AND try_cast(y AS DOUBLE) BETWEEN $south AND $north AND try_cast(x AS DOUBLE) BETWEEN $west AND $east) AS clean
     FROM (SELECT rowid AS r, columns($id) AS i, columns($time) AS t, columns($lat) AS y, columns($lon) AS x FROM raw)`,
  { id, time: time.column, lat: source.columns.y ?? "lat", lon: source.columns.x ?? "lon", west, south, east, north },
);
await step("clean rows, all rows", "SELECT count(*) FILTER (WHERE clean), count(*) FROM screened");
await step(
  "month in the lake's time zone",
  "CREATE TABLE months AS SELECT row, strftime(timezone($tz, occurred_at), '%Y-%m') AS month FROM screened WHERE clean",
  { tz: source.timezone },
);
// Step 2's order: the raw table must hold the data rows in file order (line numbers, first-kept
// repeats). The bench file's ids rise with its lines, so an id below its predecessor's means a row
// out of place (0 expected; repeats are equal, not lower).
await step(
  "rows out of file order (ids falling, by rowid)",
  `SELECT count(*) FROM (SELECT columns($id) AS i, lag(columns($id)) OVER (ORDER BY rowid) AS p FROM raw) WHERE i < p`,
  { id },
);
// H3 as step 2 would do it: each distinct coordinate pair of the clean rows once, pulled out as
// typed arrays, indexed by h3-js in this thread, the cells appended back and joined to the rows.
await step(
  "distinct coordinate pairs of the clean rows",
  `CREATE TABLE pairs AS SELECT DISTINCT try_cast(columns($lat) AS DOUBLE) AS lat, try_cast(columns($lon) AS DOUBLE) AS lon
     FROM raw JOIN screened ON screened.row = raw.rowid WHERE clean`,
  { lat: source.columns.y ?? "lat", lon: source.columns.x ?? "lon" },
);
{
  const cpu = process.cpuUsage();
  const started = performance.now();
  const n = Number((await connection.runAndReadAll("SELECT count(*) FROM pairs")).getRows()[0]![0]);
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  let at = 0;
  for await (const chunk of await connection.stream("SELECT lat, lon FROM pairs")) {
    readVector(chunk.getColumnVector(0), lat, at, chunk.rowCount);
    readVector(chunk.getColumnVector(1), lon, at, chunk.rowCount);
    at += chunk.rowCount;
  }
  const pulled = process.cpuUsage(cpu);
  const cells = new BigUint64Array(n);
  for (let i = 0; i < n; i++) cells[i] = BigInt(`0x${latLngToCell(lat[i]!, lon[i]!, DEFAULTS.h3Resolution)}`);
  const indexed = process.cpuUsage(cpu);
  await connection.run("CREATE TABLE pair_cells (lat DOUBLE, lon DOUBLE, h3_cell UBIGINT)");
  const appender = await connection.createAppender("pair_cells");
  for (let base = 0; base < n; base += 2048) {
    const m = Math.min(2048, n - base);
    const chunk = DuckDBDataChunk.create([DOUBLE, DOUBLE, UBIGINT], m);
    fillVector(chunk.getColumnVector(0), lat.subarray(base, base + m), m);
    fillVector(chunk.getColumnVector(1), lon.subarray(base, base + m), m);
    fillVector(chunk.getColumnVector(2), cells.subarray(base, base + m), m);
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  const appended = process.cpuUsage(cpu);
  const s = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
  console.log(
    `${n} distinct pairs: pulled out ${f(s(pulled))} s CPU, h3-js ${f(s(indexed) - s(pulled))} s, appended back ${f(s(appended) - s(indexed))} s; wall ${f((performance.now() - started) / 1000)} s`,
  );
}
await step(
  "cells joined to the clean rows",
  `CREATE TABLE celled AS SELECT p.row, c.h3_cell
     FROM (SELECT rowid AS row, try_cast(columns($lat) AS DOUBLE) AS lat, try_cast(columns($lon) AS DOUBLE) AS lon FROM raw) p
     JOIN screened ON screened.row = p.row AND screened.clean
     JOIN pair_cells c ON c.lat = p.lat AND c.lon = p.lon`,
  { lat: source.columns.y ?? "lat", lon: source.columns.x ?? "lon" },
);
await step("rows with a cell", "SELECT count(*) FROM celled");
console.log(`load average: ${load.map(f).join(" ")} at start, ${loadavg().map(f).join(" ")} at end`);
