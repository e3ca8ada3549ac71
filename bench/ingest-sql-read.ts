/**
 * What the SQL read path of issue 19 (Deliver 2, step 2) could cost, before it is built: DuckDB's
 * parallel `read_csv` loading a plain CSV's fields as text, and a first screen in SQL of the rows
 * that are certainly clean (id present and not formula text, an ISO time with its offset, both
 * coordinates numbers inside the source's bounds), then each clean row's month in the lake's time
 * zone. Each step's wall and CPU time (every thread) is printed beside the JavaScript readers'
 * whole ingest, which `bench/ingest-vs-floor.ts` measures. It writes nothing.
 *
 *   npx tsx bench/ingest-sql-read.ts [--size 1m] [--source data/sources/x.yaml]
 *
 * Only for sources whose time is `format: iso` and whose CSV is plain (the bench's synthetic
 * history and the canonical layout); the screen is a measure of cost, not the product's rules.
 */
import { mkdir } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { DEFAULTS } from "../etl/config.ts";
import { loadSourceDescription } from "../etl/ingest/source-description.ts";
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
console.log(`load average: ${load.map(f).join(" ")} at start, ${loadavg().map(f).join(" ")} at end`);
