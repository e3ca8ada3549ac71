/**
 * The patrol-forecast backtest at city scale (issue 14, item 6): a seeded synthetic city of about
 * 8,000 H3 cells at resolution 9 (the 51-ring disk around Medellín's centre) over 120 months with
 * about 150,000 incidents — a few hundred hot cells with steady rates, the rest sparse — and the
 * whole rolling-origin backtest with nested method selection (every candidate, every month, the
 * "selected" forecast) timed in this process, against the 60 s target of the issue. The lake, ingest
 * and study area are left out: they are timed by the pipeline part of `npm run bench`, which runs this
 * script in a child process after it and reports its line.
 *
 *   npx tsx bench/forecast-backtest.ts
 */
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { gridDisk, latLngToCell } from "h3-js";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { rollingBacktest } from "../etl/analytics/rolling-backtest.ts";
import { createRandom } from "./synthetic/random.ts";

const random = createRandom("hotspots-bench/forecast-v1");
const cells = gridDisk(latLngToCell(6.25, -75.57, 9), 51).sort();
const months = Array.from({ length: 120 }, (_, t) => `${2010 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`);
// 5 % of the cells carry most of the risk; rates drift slowly so that recency matters.
const rate = Float64Array.from(cells, () => (random.uniform() < 0.05 ? 4 * random.uniform() : 0.08 * random.uniform()));
const counts = new Float64Array(months.length * cells.length);
let incidents = 0;
for (let t = 0; t < months.length; t++) {
  for (let i = 0; i < cells.length; i++) {
    const lambda = rate[i]! * (1 + 0.3 * Math.sin((2 * Math.PI * (t + i)) / 60));
    let k = 0;
    for (let p = Math.exp(-lambda), u = random.uniform(); u > p; k++) {
      u -= p;
      p *= lambda / (k + 1);
    }
    counts[t * cells.length + i] = k;
    incidents += k;
  }
}
const started = performance.now();
const cpuBefore = process.cpuUsage();
const result = rollingBacktest({ cells, months, counts }, kRingWeights(cells, 1), {});
const seconds = (performance.now() - started) / 1000;
// CPU time of this process too: on a machine shared with other work the wall time says more about the load than the code.
const cpu = process.cpuUsage(cpuBefore);
const months12 = result.summary.filter((s) => s.method === "selected" || s.method === "last-12-months");
// The processor as /proc/cpuinfo names it (Linux), else as Node does.
const processor =
  (() => {
    try {
      return /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim();
    } catch {
      return undefined;
    }
  })() ??
  cpus()[0]?.model.trim() ??
  "unknown";
const TARGET_S = 60;
console.log(
  JSON.stringify({
    cells: cells.length,
    months: months.length,
    incidents,
    methods: result.candidates.length,
    backtest_s: Math.round(seconds * 10) / 10,
    backtest_cpu_s: Math.round((cpu.user + cpu.system) / 1e5) / 10,
    load_average: Math.round(loadavg()[0]! * 10) / 10,
    target_s: TARGET_S,
    within_target: seconds <= TARGET_S,
    processor,
    next: result.next.method,
    summary: months12.map((s) => ({ method: s.method, share: s.areaTarget, mean_pai: s.meanPai })),
  }),
);
