/**
 * CPU time of parseTime per row for each way of writing time that a time-of-day column or an
 * offset policy touches: ISO with a Z (read, and `offset: ignore`), a day + clock column (LAPD), a
 * day + hour column (Toronto). One thread, synthetic values over a year; the best of `--repeat`
 * runs is reported, as CPU microseconds per row, beside the load average.
 *
 *   npx tsx bench/parse-time.ts [--rows 200000] [--repeat 5]
 */
import { loadavg } from "node:os";
import { parseTime } from "../etl/ingest/parse-time.ts";
import type { TimeSpec } from "../etl/ingest/source-description.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rows = arg("rows", 200_000);
const repeat = arg("repeat", 5);
const NOW = Date.UTC(2026, 0, 1);
const pad = (n: number) => String(n).padStart(2, "0");

// The same instants for every case: one a minute apart from 1 January 2023, stepping 263 minutes.
const walls = Array.from({ length: rows }, (_, i) => new Date(Date.UTC(2023, 0, 1) + ((i * 263) % (365 * 1440)) * 60_000));
const day = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const cases: Array<{ name: string; spec: TimeSpec; values: Array<Record<string, string>> }> = [
  { name: "iso Z", spec: { format: "iso", column: "t" }, values: walls.map((d) => ({ t: `${d.toISOString().slice(0, 19)}Z` })) },
  {
    name: "iso Z, offset: ignore",
    spec: { format: "iso", column: "t", offset: "ignore" },
    values: walls.map((d) => ({ t: `${d.toISOString().slice(0, 19)}Z` })),
  },
  {
    name: "date + clock",
    spec: { format: "date", column: "d", time_of_day: "c" },
    values: walls.map((d) => ({ d: day(d), c: String(d.getUTCHours() * 100 + d.getUTCMinutes()) })),
  },
  {
    name: "date + hour",
    spec: { format: "date", column: "d", time_of_day: { column: "h", format: "hour" } },
    values: walls.map((d) => ({ d: day(d), h: String(d.getUTCHours()) })),
  },
];

for (const { name, spec, values } of cases) {
  let best = Infinity;
  let kept = 0;
  for (let run = 0; run < repeat; run++) {
    const start = process.cpuUsage();
    kept = 0;
    for (const v of values) if (parseTime(spec, (c) => v[c] ?? "", "America/Toronto", NOW).ok) kept++;
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / rows);
  }
  console.log(`${name.padEnd(24)} ${best.toFixed(2)} µs CPU/row (best of ${repeat}; ${kept} of ${rows} read)`);
}
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
