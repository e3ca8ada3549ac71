/**
 * Where the ingest's write goes (issue 19, Deliver 2, step 1): the bench file is staged once as the
 * ingest stages it (etl/ingest/stage-file.ts), then its month partitions are written several ways,
 * each timed in wall and CPU seconds (every thread) on ONE connection, month after month, so the
 * variants compare without the machine's load mixing in a second writer:
 *
 * - `lake`: IncidentRows.writeMonth as the ingest runs it (texts looked up from the dictionary, the
 *   time and cell converted, ORDER BY where a month's rows did not arrive in order);
 * - `raw`: the staged columns as they are (codes, epoch ms, 64-bit cell): the COPY without any
 *   conversion or sort, the floor of writing these rows;
 * - variants of `lake` with one part left out (`no-sort`, `no-texts`, `no-cell`, `snappy`);
 * - the whole month phase, each partition's three files hashed and compared between ways:
 *   `per-file` as the ingest does it (the partition written, then each aggregate counted from the
 *   file: etl/lake/aggregates.ts); `month-table`, the month's lake rows made once in a temporary
 *   table and all three files written from it.
 *
 * `--repeat N` runs each N times and keeps the least (the load of a shared machine only adds).
 *
 *   npx tsx bench/ingest-write.ts [--size 1m] [--only lake,raw,per-file] [--repeat 3]
 *
 * On the 1 M file (60 months), one connection, load average 7–12 (least CPU of 2–3 runs, 13:17–13:45
 * UTC on 3 Dec): `lake` 2.0–2.2 s, `no-sort` 1.5–1.7 s (the synthetic file's months arrive in order,
 * so the ingest skips the sort), `no-texts` 1.3–1.4 s (the six texts, looked up and encoded as
 * Parquet strings, cost about 0.8 s), `no-cell` and `snappy` within the noise of `lake`, `raw` 0.7 s.
 * The month phase takes 4.5 s, of which the two aggregates about 2.5 s: day_counts has nearly a row
 * per incident (979 k for 999 k rows) and is grouped and sorted by ten columns. `month-table` (4.8–5.4
 * s) and counting the aggregates from the staged rows' codes (3.5 s against 2.6 s) were slower and
 * are not used; grouping and sorting day_counts by the local DATE instead of its text gave the same
 * bytes for 1.59 s against 1.62 s, too little to keep.
 */
import { mkdir, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULTS } from "../etl/config.ts";
import { sqlLiteral, withConnections } from "../etl/duckdb/connection.ts";
import { municipalityCheck } from "../etl/ingest/municipality-check.ts";
import { loadSourceDescription } from "../etl/ingest/source-description.ts";
import { configureStaging, stageFile } from "../etl/ingest/stage-file.ts";
import { sha256File } from "../etl/lake/atomic-file.ts";
import { writeAggregate, AGGREGATE_TABLES } from "../etl/lake/aggregates.ts";
import { syntheticFile } from "./data.ts";
import { BENCH_SIZES } from "./sizes.ts";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const sizeName = option("--size") ?? "1m";
const size = BENCH_SIZES.find((s) => s.name === sizeName);
if (!size) throw new Error(`--size ${sizeName}: write one of ${BENCH_SIZES.map((s) => s.name).join(", ")}`);
const only = option("--only")?.split(",");
const dir = process.env.BENCH_DIR ?? join(tmpdir(), "hotspots-bench");
await mkdir(dir, { recursive: true });
const file = await syntheticFile(dir, `synthetic-${size.name}`, size.history, (line) => process.stderr.write(`${line}\n`));
const out = join(dir, `write-${process.pid}`);
await mkdir(out, { recursive: true });
const f = (v: number) => v.toFixed(2);

const repeats = Number(option("--repeat") ?? 1);
/** Wall and CPU seconds of `run`, the least of `repeats` runs (the machine's load only adds). */
async function measured(run: () => Promise<void>, times = repeats): Promise<{ wall: number; cpu: number }> {
  let best = { wall: Infinity, cpu: Infinity };
  for (let i = 0; i < times; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await run();
    const used = process.cpuUsage(cpu);
    best = { wall: Math.min(best.wall, (performance.now() - started) / 1000), cpu: Math.min(best.cpu, (used.user + used.system) / 1e6) };
  }
  return best;
}

const source = await loadSourceDescription(DEFAULTS.sourceDescription);
const check = await municipalityCheck(source, DEFAULTS.municipalitiesGeoJson);
const load = loadavg();
await withConnections(availableParallelism(), async ([connection]) => {
  const c = connection!;
  await configureStaging(c);
  const options = { lakeDir: out, resolution: DEFAULTS.h3Resolution, timeZone: source.timezone, source };
  const staging = await measured(async () => {
    const { stage, sink } = await stageFile(c, file, options, check.rings);
    stage.close();
    // No months: only the dictionary table the writers read (IncidentRows.setDictionary).
    await stage.writeMonths([c], [], sink.dictionary(), { source: source.id, file: "synthetic.csv" }, async () => undefined);
  }, 1);
  console.log(`staged ${size.name}: wall ${f(staging.wall)} s, CPU ${f(staging.cpu)} s`);
  const months = (await c.runAndReadAll("SELECT DISTINCT month FROM stage_incidents ORDER BY month")).getRows().map(([m]) => Number(m));
  await c.run("SET VARIABLE stage_strings = (SELECT coalesce(list(text ORDER BY ix), []::VARCHAR[]) FROM stage_strings)");

  const text = (column: string) => `getvariable('stage_strings')[${column} + 1] AS ${column}`;
  const lakeSelect = (parts: { sort: boolean; texts: boolean; cell: boolean }) =>
    `SELECT id, timezone('UTC', epoch_ms(occurred_ms::BIGINT)) AS occurred_at,
            ${["time_precision", "offence_code", "offence_category", "case_type"].map((k) => (parts.texts ? text(k) : k)).join(", ")},
            lat, lon, ${["municipality", "locality"].map((k) => (parts.texts ? text(k) : k)).join(", ")},
            $source AS source, ${parts.cell ? "format('{:x}', h3_cell)" : "h3_cell"} AS h3_cell, $file AS source_file, source_line
       FROM stage_incidents WHERE month = $month${parts.sort ? " ORDER BY id, source_line" : ""}`;
  const variants: Record<string, { select: string; codec: string; constants: boolean }> = {
    lake: { select: lakeSelect({ sort: true, texts: true, cell: true }), codec: "zstd", constants: true },
    "no-sort": { select: lakeSelect({ sort: false, texts: true, cell: true }), codec: "zstd", constants: true },
    "no-texts": { select: lakeSelect({ sort: true, texts: false, cell: true }), codec: "zstd", constants: true },
    "no-cell": { select: lakeSelect({ sort: true, texts: true, cell: false }), codec: "zstd", constants: true },
    snappy: { select: lakeSelect({ sort: true, texts: true, cell: true }), codec: "snappy", constants: true },
    raw: { select: "SELECT * EXCLUDE (month) FROM stage_incidents WHERE month = $month", codec: "zstd", constants: false },
    "raw-snappy": { select: "SELECT * EXCLUDE (month) FROM stage_incidents WHERE month = $month", codec: "snappy", constants: false },
  };
  for (const [name, v] of Object.entries(variants)) {
    if (only && !only.includes(name)) continue;
    const t = await measured(async () => {
      for (const month of months) {
        const path = join(out, `${name}-${month}.parquet`);
        await c.run(`COPY (${v.select}) TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION ${v.codec})`, {
          month,
          ...(v.constants ? { source: source.id, file: "synthetic.csv" } : {}),
        });
      }
    });
    console.log(`write ${name.padEnd(10)} ${months.length} months: wall ${f(t.wall)} s, CPU ${f(t.cpu)} s`);
  }
  // The aggregates' SELECTs (etl/lake/aggregates.ts) over any relation.
  const aggregateSql = (from: string) => ({
    cell_counts: `SELECT h3_cell, offence_category, case_type, municipality, count(*)::INTEGER AS incidents FROM ${from} GROUP BY ALL ORDER BY ALL`,
    day_counts: `SELECT strftime(timezone($tz, occurred_at), '%Y-%m-%d') AS day,
            CASE WHEN time_precision = 'minute' THEN hour(timezone($tz, occurred_at)) END::TINYINT AS hour,
            time_precision, municipality, locality, h3_cell, offence_code, offence_category, case_type, source,
            count(*)::INTEGER AS incidents FROM ${from} GROUP BY ALL ORDER BY ALL`,
  });
  const constants = { source: source.id, file: "synthetic.csv" };
  const hashes: Record<string, string[]> = {};
  const phases: Record<string, (month: number) => Promise<string[]>> = {
    "per-file": async (month) => {
      const path = join(out, `per-file-${month}.parquet`);
      await c.run(`COPY (${lakeSelect({ sort: false, texts: true, cell: true })}) TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`, {
        month,
        ...constants,
      });
      const files = [path];
      for (const table of AGGREGATE_TABLES) {
        const to = join(out, `per-file-${table.name}-${month}.parquet`);
        await writeAggregate(c, table, path, to, source.timezone);
        files.push(to);
      }
      return Promise.all(files.map((file) => sha256File(file)));
    },
    "month-table": async (month) => {
      const path = join(out, `month-table-${month}.parquet`);
      await c.run(`CREATE OR REPLACE TEMP TABLE month_rows AS ${lakeSelect({ sort: false, texts: true, cell: true })}`, { month, ...constants });
      await c.run(`COPY month_rows TO ${sqlLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`);
      const files = [path];
      for (const [name, sql] of Object.entries(aggregateSql("month_rows"))) {
        const to = join(out, `month-table-${name}-${month}.parquet`);
        await c.run(`COPY (${sql}) TO ${sqlLiteral(to)} (FORMAT parquet, COMPRESSION zstd)`, sql.includes("$tz") ? { tz: source.timezone } : {});
        files.push(to);
      }
      return Promise.all(files.map((file) => sha256File(file)));
    },
  };
  for (let round = 0; round < repeats; round++) {
    for (const [name, phase] of Object.entries(phases)) {
      if (only && !only.includes(name)) continue;
      const t = await measured(async () => {
        hashes[name] = [];
        for (const month of months) hashes[name].push(...(await phase(month)));
      }, 1);
      console.log(`month phase ${name.padEnd(11)} ${months.length} months: wall ${f(t.wall)} s, CPU ${f(t.cpu)} s`);
    }
  }
  const [first, ...others] = Object.entries(hashes);
  for (const [name, list] of others)
    console.log(`${name}: ${list.filter((h, i) => h === first![1][i]).length} of ${list.length} files byte-identical to ${first![0]}'s`);
});
await rm(out, { recursive: true, force: true });
console.log(`load average: ${load.map(f).join(" ")} at start, ${loadavg().map(f).join(" ")} at end`);
