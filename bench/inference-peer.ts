import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { DEFAULT_INFERENCE } from "../etl/analytics/gi-star-permutation.ts";
import { groupedHotSpotsInThreads } from "../etl/analytics/gi-star-threads.ts";
import { GiStarWorkspace, type GroupedHotSpots } from "../etl/analytics/grouped-gi-star.ts";
import { groupedHotSpots } from "../etl/analytics/hot-spots.ts";
import type { BinaryWeights } from "../etl/analytics/spatial-weights.ts";

/** Permutations R's localG_perm draws per cell (issue 13: the peer at nsim = 999). */
export const R_PERMUTATIONS = 999;
/** Vectors (month × category) R is timed on; its time is scaled to all of them (localG_perm takes seconds per vector). */
export const R_SAMPLE_VECTORS = 4;

/** The inference stage on the pipeline's grid: ours in both modes, and R's localG_perm on a sample, scaled. */
export interface InferenceBench {
  vectors: number;
  cells: number;
  /** Seconds for Gi* with normal-approximation p-values, bins and FDR over every vector (the issue-8 Gi* stage). */
  normal_s: number;
  /** The same with permutation p-values (exact where cheap, else Monte Carlo; the default). */
  permutation_s: number;
  /** CPU seconds of the process over the same two loops (user + system; the loops are single-threaded JavaScript). */
  normal_cpu_s: number;
  permutation_cpu_s: number;
  /**
   * The permutation loop in `threads` threads (groupedHotSpotsInThreads, as the analyse stage runs it;
   * worker start-up included): wall seconds, CPU seconds of every thread, vectors the workers
   * computed, and whether every array equalled the one-thread results bit for bit.
   */
  threaded: { threads: number; wall_s: number; cpu_s: number; in_workers: number; identical: boolean };
  /** Category-months tested exactly, by Monte Carlo, or too few to test. */
  exact: number;
  monte_carlo: number;
  too_few: number;
  r:
    | {
        ran: true;
        sampled_vectors: number;
        nsim: number;
        sample_s: number;
        scaled_s: number;
        /** R's CPU seconds on the sample, and scaled like scaled_s. */
        sample_cpu_s: number;
        scaled_cpu_s: number;
        /** Of those, building nb and listw once (not scaled: it does not grow with the vectors). */
        weights_s?: number;
        weights_cpu_s?: number;
        significant_5pc: number;
        spdep: string;
        r: string;
      }
    | { ran: false; reason: string };
}

/**
 * Times the randomisation stage against the normal approximation on the same vectors, in this
 * process (no I/O in the timed part), and R spdep `localG_perm` (nsim = 999) on R_SAMPLE_VECTORS
 * vectors spread evenly over the grid, scaled by vectors / sampled to the whole grid — localG_perm
 * costs about the same per vector of the same size, and running it on every vector of the 10 M grid
 * would take hours.
 */
export async function runInferenceBench(
  counts: Float64Array,
  cells: number,
  weights: BinaryWeights,
  edges: Int32Array,
  workDir: string,
  rAvailable: boolean,
): Promise<InferenceBench> {
  const vectors = counts.length / cells;
  const slices = Array.from({ length: vectors }, (_, v) => counts.subarray(v * cells, (v + 1) * cells)).filter((x) => x.some((c) => c > 0));
  // One workspace per mode, reused from vector to vector as the analyse stage reuses it over a run's
  // months (a fresh one per call allocates its 4 MB key table each time, which then dominates both).
  const workspaces = { normal: new GiStarWorkspace(), permutation: new GiStarWorkspace() };
  // Both modes once over a few vectors first, so that neither timing pays for compilation.
  for (const x of slices.slice(0, 5)) {
    groupedHotSpots(x, weights, { method: "normal" }, workspaces.normal);
    groupedHotSpots(x, weights, DEFAULT_INFERENCE, workspaces.permutation);
  }
  // CPU seconds beside wall seconds: on a shared machine the wall time of this single-threaded loop
  // swings with the load (2–3× between runs at load 12 on 2 cores), its CPU time much less.
  const cpuSeconds = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1e6;
  };
  let started = performance.now();
  let cpu = process.cpuUsage();
  for (const x of slices) groupedHotSpots(x, weights, { method: "normal" }, workspaces.normal);
  const normal_s = (performance.now() - started) / 1000;
  const normal_cpu_s = cpuSeconds(cpu);
  const used = { exact: 0, monte_carlo: 0, too_few: 0 };
  const single: GroupedHotSpots[] = [];
  started = performance.now();
  cpu = process.cpuUsage();
  for (const x of slices) {
    const r = groupedHotSpots(x, weights, DEFAULT_INFERENCE, workspaces.permutation);
    single.push(r);
    if (r.status === "too_few_incidents") used.too_few++;
    else if (r.inference === "exact") used.exact++;
    else used.monte_carlo++;
  }
  const permutation_s = (performance.now() - started) / 1000;
  const permutation_cpu_s = cpuSeconds(cpu);
  // The same loop in threads (process.cpuUsage counts every thread of the process).
  const threads = availableParallelism();
  started = performance.now();
  cpu = process.cpuUsage();
  const { results, inWorkers } = await groupedHotSpotsInThreads(slices, weights, DEFAULT_INFERENCE, { threads });
  const threaded = {
    threads,
    wall_s: (performance.now() - started) / 1000,
    cpu_s: cpuSeconds(cpu),
    in_workers: inWorkers,
    identical: results.every((r, v) => sameBits(r, single[v]!)),
  };
  const base = { vectors: slices.length, cells, normal_s, permutation_s, normal_cpu_s, permutation_cpu_s, threaded, ...used };
  if (!rAvailable) return { ...base, r: { ran: false, reason: "R spdep not available" } };

  const step = Math.max(1, Math.floor(slices.length / R_SAMPLE_VECTORS));
  const sample = slices.filter((_, v) => v % step === 0).slice(0, R_SAMPLE_VECTORS);
  const joined = new Float64Array(sample.length * cells);
  sample.forEach((x, v) => joined.set(x, v * cells));
  await mkdir(workDir, { recursive: true });
  await writeFile(join(workDir, "sample.f64"), new Uint8Array(joined.buffer));
  await writeFile(join(workDir, "edges.i32"), new Uint8Array(edges.buffer));
  await writeFile(join(workDir, "meta.txt"), `${cells} ${sample.length} ${R_PERMUTATIONS}\n`);
  const run = spawnSync("Rscript", [join(import.meta.dirname, "spdep-peer-perm.R"), workDir], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (run.status !== 0) return { ...base, r: { ran: false, reason: `Rscript failed: ${run.stderr.trim().split("\n").slice(-3).join(" / ")}` } };
  const r = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as {
    seconds: number;
    cpu_seconds: number;
    weights_seconds?: number;
    weights_cpu_seconds?: number;
    vectors: number;
    nsim: number;
    significant_5pc: number;
    spdep: string;
    r: string;
  };
  return {
    ...base,
    r: {
      ran: true,
      sampled_vectors: r.vectors,
      nsim: r.nsim,
      sample_s: r.seconds,
      // The calls scale with the vectors, the weights (built once) do not.
      scaled_s: scaledToAll(r.seconds, r.weights_seconds ?? 0, slices.length / r.vectors),
      sample_cpu_s: r.cpu_seconds,
      scaled_cpu_s: scaledToAll(r.cpu_seconds, r.weights_cpu_seconds ?? 0, slices.length / r.vectors),
      weights_s: r.weights_seconds,
      weights_cpu_s: r.weights_cpu_seconds,
      significant_5pc: r.significant_5pc,
      spdep: r.spdep,
      r: r.r,
    },
  };
}

/** R's seconds on the sample scaled to every vector: the weights once, the calls `factor` times. */
const scaledToAll = (seconds: number, weights: number, factor: number) => weights + (seconds - weights) * factor;

/** Whether two results hold the same bits in every array (NaN equal to NaN, −0 unequal to 0). */
function sameBits(a: GroupedHotSpots, b: GroupedHotSpots): boolean {
  if (a.status !== b.status || a.inference !== b.inference) return false;
  for (const key of ["group", "z", "p", "bin", "binFdr"] as const) {
    const x = a[key];
    const y = b[key];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  }
  return true;
}
