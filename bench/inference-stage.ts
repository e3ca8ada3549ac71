/**
 * The analyse stage's Gi* step alone, as the pipeline runs it — once, in a fresh process (JIT
 * warm-up and collection included) — on a grid the bench wrote, without ingesting anything:
 *
 *   npx tsx bench/inference-stage.ts [--grid /tmp/b10/spdep-10m] [--passes 2] [--bits out.bin]
 *
 * `--grid` is a folder written by the bench's spdep peer (bench/spdep-peer.ts: grid.f64, the
 * pipeline's count vectors month by month and category by category over the study-area cells;
 * edges.i32, the k-ring neighbour pairs; meta.txt). The first pass is what the bench's "Gi*" line
 * times; the weights are built before it and timed apart, as the analyse stage does — `kRingWeights`
 * over the default study area's cells when it has the grid's number of cells (checked afterwards to
 * give the grid's own weights; kept for later passes, as for a run's later stages), else from the
 * edge list. Later passes show the warm cost. `--bits` writes every cell's result (z, p, bin,
 * binFdr; status, inference) of the first pass to a file, so two versions of the code can be
 * compared bit for bit (`cmp`).
 */
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { DEFAULT_INFERENCE } from "../etl/analytics/gi-star-permutation.ts";
import { GiStarWorkspace, type GroupedHotSpots } from "../etl/analytics/grouped-gi-star.ts";
import { expandHotSpots, groupedHotSpots } from "../etl/analytics/hot-spots.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { municipalityStudyArea } from "../etl/analytics/lake-grid.ts";
import { type BinaryWeights } from "../etl/analytics/spatial-weights.ts";
import { threadCpu, threadCpuSince } from "./inference-threads.ts";
import { readSpdepGrid } from "./spdep-grid.ts";
import { defaultSettings } from "../etl/settings.ts";

const { values } = parseArgs({
  options: {
    grid: { type: "string", default: "/tmp/b10/spdep-10m" },
    passes: { type: "string", default: "2" },
    bits: { type: "string" },
  },
});
const dir = values.grid;
const { cells, slices, weights: fromEdges } = readSpdepGrid(dir);
// The pipeline builds its weights from the study area's H3 cells (kRingWeights, before the stage):
// the same here when the default study area is the grid's (the bench's), else the edge list's.
const settings = defaultSettings();
const { cells: studyCells } = await municipalityStudyArea(settings);
const sameWeights = (a: BinaryWeights, b: BinaryWeights) =>
  a.offsets.every((o, i) => o === b.offsets[i]) && a.neighbours.every((j, e) => j === b.neighbours[e]);
const fromCells = studyCells.length === cells ? [...studyCells].sort() : undefined;
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
const load = loadavg()
  .map((l) => l.toFixed(1))
  .join(" ");
for (let pass = 0; pass < Number(values.passes); pass++) {
  // The weights first, timed apart: the analyse stage builds them before its Gi* span (once a run,
  // kept for the later stages), as spdep's peer builds its listw outside the localG calls.
  const weightsStarted = performance.now();
  const weightsCpu = process.cpuUsage();
  const weights = fromCells ? kRingWeights(fromCells, settings.k) : fromEdges;
  const weightsWall = (performance.now() - weightsStarted) / 1000;
  const weightsUsed = cpuSeconds(weightsCpu);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const threads = threadCpu();
  const workspace = new GiStarWorkspace();
  const results: GroupedHotSpots[] = [];
  for (const x of slices) results.push(groupedHotSpots(x, weights, DEFAULT_INFERENCE, workspace));
  const wall = (performance.now() - started) / 1000;
  const used = cpuSeconds(cpu);
  const byThread = threadCpuSince(threads);
  // Checked after the timing: the study area's k-ring weights must be the grid's own.
  if (weights !== fromEdges && !sameWeights(weights, fromEdges))
    throw new Error("the default study area's k-ring weights are not the grid's: pass a grid of the default study area");
  const kinds = { exact: 0, "monte-carlo": 0, normal: 0 };
  for (const r of results) kinds[r.inference]++;
  console.log(
    `pass ${pass + 1} (${pass === 0 ? "cold, as the pipeline" : "warm"}): ${slices.length} vectors × ${cells} cells — wall ${wall.toFixed(3)} s, CPU ${used.toFixed(3)} s ` +
      `(${kinds.exact} exact, ${kinds["monte-carlo"]} Monte Carlo)${byThread ? ` — main thread ${byThread.main.toFixed(3)} s, other threads ${byThread.others.toFixed(3)} s` : ""}; ${weights === fromEdges ? "weights from the edge list, built before and not timed" : `weights by kRingWeights apart: wall ${weightsWall.toFixed(3)} s, CPU ${weightsUsed.toFixed(3)} s${pass > 0 ? " (kept from pass 1)" : ""}`}; load average ${load}`,
  );
  if (pass === 0 && values.bits) writeFileSync(values.bits, bitsOf(results));
}

/** Every cell's z, p and bins of every result, and its status and inference, as one buffer (group numbers may differ). */
function bitsOf(results: readonly GroupedHotSpots[]): Buffer {
  const parts: Buffer[] = [];
  for (const g of results) {
    const r = expandHotSpots(g);
    parts.push(Buffer.from(`${r.status}/${r.inference};`));
    for (const a of [r.z, r.p, r.bin, r.binFdr]) parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }
  return Buffer.concat(parts);
}
