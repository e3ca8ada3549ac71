/**
 * The inference stage alone on a bench-sized cell-month grid, without the pipeline around it:
 *
 *   npx tsx bench/inference-grid.ts [--incidents 10000000] [--months 120] [--cache /work/bench-data] [--no-r]
 *
 * The grid is the benchmark's synthetic history (bench/synthetic: the same clusters, category mix,
 * background share and monthly totals, drawn straight into H3 cells instead of written as CSV and
 * ingested), counted per month × (all offences and each category) × study-area cell, zeros
 * included, as the analyse stage sees it. It is cached as raw doubles in `--cache` so that repeated
 * runs (profiling) skip the drawing. Then runInferenceBench times Gi* with normal-approximation
 * p-values against permutation p-values on every vector, in this process, in one thread and in as
 * many as there are cores (wall and CPU seconds of both), and R spdep `localG_perm` (nsim = 999) on
 * a sample of the vectors, scaled to all of them, where R and spdep are installed (`--no-r` skips it).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cpus } from "node:os";
import { latLngToCell } from "h3-js";
import { loadStudyArea } from "../data/generator/boundaries.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { municipalityStudyArea } from "../etl/analytics/lake-grid.ts";
import { DEFAULTS } from "../etl/config.ts";
import { defaultSettings } from "../etl/settings.ts";
import { runInferenceBench } from "./inference-peer.ts";
import { CATEGORIES, clusterWeights, makeClusters } from "./synthetic/clusters.ts";
import { calendarOf } from "./synthetic/generate.ts";
import { createRandom, cumulativeOf, drawIndex } from "./synthetic/random.ts";

const { values } = parseArgs({
  options: {
    incidents: { type: "string", default: "10000000" },
    months: { type: "string", default: "120" },
    first: { type: "string", default: "2015-01" },
    cache: { type: "string", default: "/work/bench-data" },
    "no-r": { type: "boolean", default: false },
  },
});
const incidents = Number(values.incidents);
const months = Number(values.months);
const settings = defaultSettings();
const { cells } = await municipalityStudyArea(settings);
const weights = kRingWeights(cells, settings.k);
const file = join(values.cache, `inference-grid-${incidents}-${months}-${values.first}-r${settings.resolution}.f64`);
let counts: Float64Array;
if (existsSync(file)) counts = new Float64Array((await readFile(file)).buffer.slice(0));
else {
  const started = performance.now();
  counts = drawGrid(cells);
  await mkdir(values.cache, { recursive: true });
  await writeFile(file, new Uint8Array(counts.buffer));
  console.log(`drew ${incidents.toLocaleString("en")} incidents into ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
// R spdep's localG_perm (nsim = 999) on a sample of the vectors, where R and spdep are installed.
const probe = spawnSync("Rscript", ["-e", "suppressPackageStartupMessages(library(spdep))"], { encoding: "utf8" });
const rAvailable = !probe.error && probe.status === 0 && !values["no-r"];
const edgeList: number[] = [];
for (let i = 0; i < cells.length; i++) {
  for (let e = weights.offsets[i]!; e < weights.offsets[i + 1]!; e++) if (weights.neighbours[e] !== i) edgeList.push(i + 1, weights.neighbours[e]! + 1);
}
const result = await runInferenceBench(counts, cells.length, weights, Int32Array.from(edgeList), join(values.cache, "perm"), rAvailable);
const cpu = cpus()[0]?.model ?? "unknown";
console.log(`processor: ${cpu}; load average ${(await readFile("/proc/loadavg", "utf8").catch(() => "?")).split(" ").slice(0, 3).join(" ")}`);
const t = result.threaded;
console.log(
  `inference: ${result.vectors} vectors × ${result.cells} cells (${result.exact} exact, ${result.monte_carlo} Monte Carlo, ${result.too_few} too few)\n` +
    `  normal approximation: wall ${result.normal_s.toFixed(3)} s, CPU ${result.normal_cpu_s.toFixed(3)} s\n` +
    `  permutation, one thread: wall ${result.permutation_s.toFixed(3)} s (${(result.permutation_s / result.normal_s).toFixed(2)}×), ` +
    `CPU ${result.permutation_cpu_s.toFixed(3)} s (${(result.permutation_cpu_s / result.normal_cpu_s).toFixed(2)}×)\n` +
    `  permutation, ${t.threads} threads (worker start-up included; ${t.in_workers} vectors in workers): wall ${t.wall_s.toFixed(3)} s ` +
    `(${(t.wall_s / result.normal_s).toFixed(2)}× the normal wall), CPU of all threads ${t.cpu_s.toFixed(3)} s (${(t.cpu_s / result.normal_cpu_s).toFixed(2)}× the normal CPU); ` +
    `bit-identical to one thread: ${t.identical ? "yes" : "NO"}`,
);
if (result.r.ran) {
  const r = result.r;
  console.log(
    `  R spdep ${r.spdep} localG_perm (nsim = ${r.nsim}, R ${r.r}) timed on ${r.sampled_vectors} of the ${result.vectors} vectors: ${r.sample_s.toFixed(1)} s, ` +
      `scaled to all ${r.scaled_s.toFixed(0)} s (an estimate) → permutation ${(r.scaled_s / result.permutation_s).toFixed(0)}× faster in one thread, ` +
      `${(r.scaled_s / t.wall_s).toFixed(0)}× in ${t.threads} (wall)`,
  );
} else console.log(`  R spdep localG_perm: skipped — ${values["no-r"] ? "--no-r" : result.r.reason}`);

/** Month-major vectors: for month t, "all" then each category, each over the study-area cells. */
function drawGrid(studyCells: readonly string[]): Float64Array {
  const spec = { seed: "hotspots-bench/v1", firstMonth: values.first, timelineMonths: months };
  const random = createRandom(`${spec.seed}/${spec.firstMonth}/${spec.timelineMonths}`);
  const clusters = makeClusters(random, loadStudyArea(DEFAULTS.municipalitiesGeoJson), months);
  const rowRandom = createRandom(`${spec.seed}/rows/0/${months}/${incidents}`);
  const box = { south: 55.73, north: 56.21, west: 22.58, east: 23.6 };
  const index = new Map(studyCells.map((c, i) => [c, i]));
  const n = studyCells.length;
  const per = CATEGORIES.length + 1;
  const grid = new Float64Array(months * per * n);
  const background = cumulativeOf(CATEGORIES.map(() => 1));
  const seasonal = Array.from(
    { length: months },
    (_, t) => (1 + 0.15 * Math.cos((2 * Math.PI * (calendarOf(spec.firstMonth, t)[1] - 7)) / 12)) * 1.02 ** (t / 12),
  );
  const total = seasonal.reduce((s, w) => s + w, 0);
  for (let t = 0; t < months; t++) {
    const weightsT = clusterWeights(clusters, t, calendarOf(spec.firstMonth, t)[1]);
    const rows = Math.round((seasonal[t]! / total) * incidents);
    for (let r = 0; r < rows; r++) {
      const isBackground = rowRandom.uniform() < 0.12;
      const c = clusters[drawIndex(rowRandom, weightsT)]!;
      const category = isBackground ? drawIndex(rowRandom, background) : drawIndex(rowRandom, c.categories);
      const lat = isBackground ? box.south + rowRandom.uniform() * (box.north - box.south) : c.lat + (rowRandom.normal() * c.spreadMetres) / 111_320;
      const lon = isBackground
        ? box.west + rowRandom.uniform() * (box.east - box.west)
        : c.lon + (rowRandom.normal() * c.spreadMetres) / (111_320 * Math.cos((c.lat * Math.PI) / 180));
      const i = index.get(latLngToCell(lat, lon, settings.resolution));
      if (i === undefined) continue;
      grid[t * per * n + i]!++;
      grid[(t * per + 1 + category) * n + i]!++;
    }
  }
  return grid;
}
