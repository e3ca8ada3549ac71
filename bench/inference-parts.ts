/**
 * Where the Gi* stage's CPU time goes, on a grid the bench wrote (the format of bench/inference-stage.ts):
 *
 *   npx tsx bench/inference-parts.ts [--grid /tmp/b10/spdep-10m] [--repeats 7]
 *
 * 1. The cold pass as a curve: cumulative CPU after the first 1, 10, 100, … vectors, then the same
 *    vectors again warm — the difference is JIT warm-up and first-touch memory.
 * 2. Warm, per kind of month (exact or Monte Carlo): the permutation mode against the normal mode on
 *    the same vectors (median of `repeats`), so the inference's own cost shows apart from the grouping,
 *    z and bins both modes share.
 * 3. The exact months' subset-sum expansion alone: its multiply-adds (counted) and its CPU time.
 *
 * CPU seconds of this process; on the shared bench machine compare runs at a similar load (printed).
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { DEFAULT_INFERENCE } from "../etl/analytics/gi-star-permutation.ts";
import { GiStarWorkspace } from "../etl/analytics/grouped-gi-star.ts";
import { groupedHotSpots } from "../etl/analytics/hot-spots.ts";
import { subsetSumCounts, valueCounts, type ValueCounts } from "../etl/analytics/sample-sum-distribution.ts";
import { readSpdepGrid } from "./spdep-grid.ts";

const { values } = parseArgs({ options: { grid: { type: "string", default: "/tmp/b10/spdep-10m" }, repeats: { type: "string", default: "7" } } });
const dir = values.grid;
const repeats = Number(values.repeats);
const { cells, slices, weights } = readSpdepGrid(dir);
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

// 1. Cold, then warm, cumulative CPU at each mark.
const marks = [1, 10, 100, 400, slices.length];
const kinds = { exact: [] as Float64Array[], "monte-carlo": [] as Float64Array[] };
for (const pass of ["cold", "warm"]) {
  const workspace = new GiStarWorkspace();
  const started = process.cpuUsage();
  const curve: string[] = [];
  for (let v = 0; v < slices.length; v++) {
    const r = groupedHotSpots(slices[v]!, weights, DEFAULT_INFERENCE, workspace);
    if (pass === "warm" && r.inference !== "normal") kinds[r.inference].push(slices[v]!);
    if (marks.includes(v + 1)) curve.push(`${v + 1}: ${cpuMs(started).toFixed(0)}`);
  }
  console.log(`${pass} pass, cumulative CPU ms after n vectors — ${curve.join(", ")}`);
}

// 2. Warm, permutation against normal, per kind of month.
const workspace = new GiStarWorkspace();
for (const [kind, list] of Object.entries(kinds)) {
  const times = (inference: typeof DEFAULT_INFERENCE | { method: "normal" }) => {
    const t: number[] = [];
    for (let k = 0; k < repeats; k++) {
      const started = process.cpuUsage();
      for (const x of list) groupedHotSpots(x, weights, inference, workspace);
      t.push(cpuMs(started));
    }
    return median(t);
  };
  const permutation = times(DEFAULT_INFERENCE);
  const normal = times({ method: "normal" });
  console.log(
    `${list.length} ${kind} months, warm: permutation ${permutation.toFixed(1)} ms, normal ${normal.toFixed(1)} ms (the inference's own ≈ ${(permutation - normal).toFixed(1)} ms)`,
  );
}

// 3. The exact months' expansion alone, with the sizes and cap the permutation test gives it.
const jobs: { vc: ValueCounts; deepest: number; cap: number }[] = [];
let operations = 0;
for (const x of kinds.exact) {
  const vc = valueCounts(x);
  let deepest = 0;
  let cap = 1;
  for (let i = 0; i < cells; i++) {
    let sum = 0;
    for (let e = weights.offsets[i]!; e < weights.offsets[i + 1]!; e++) sum += x[weights.neighbours[e]!]!;
    deepest = Math.max(deepest, weights.offsets[i + 1]! - weights.offsets[i]! - 1);
    if (sum > 0) cap = Math.max(cap, sum - x[i]! + 1);
  }
  jobs.push({ vc, deepest, cap });
  operations += expansionOperations(vc, deepest, cap);
}
const buffer = new Float64Array(1 << 22);
const t: number[] = [];
for (let k = 0; k < repeats; k++) {
  const started = process.cpuUsage();
  for (const { vc, deepest, cap } of jobs) subsetSumCounts(vc, deepest, cap, buffer, { top: new Int32Array(0), overflow: false });
  t.push(cpuMs(started));
}
const expansion = median(t);
console.log(
  `expansion of the ${jobs.length} exact months: ${(operations / 1e6).toFixed(1)} M multiply-adds, ${expansion.toFixed(1)} ms CPU warm ` +
    `(${((expansion * 1e6) / operations).toFixed(2)} ns each); load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
);

/** The row additions subsetSumCounts makes in its integer-exact form (sums that land below the cap). */
function expansionOperations(vc: ValueCounts, maxSize: number, cap: number): number {
  const top = new Int32Array(maxSize + 1).fill(-1);
  top[0] = 0;
  let count = 0;
  for (let j = 0; j < vc.values.length; j++) {
    const v = vc.values[j]!;
    for (let k = maxSize - 1; k >= 0; k--) {
      if (top[k]! < 0) continue;
      for (let t = 1; t <= Math.min(vc.counts[j]!, maxSize - k); t++) {
        const below = Math.min(top[k]!, cap - 1 - t * v);
        if (below < 0) break;
        count += below + 1;
        top[k + t] = Math.max(top[k + t]!, below + t * v);
      }
    }
  }
  return count;
}
