import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { startThread, threadModule, type ThreadModule } from "../workers/thread-module.ts";
import type { HotSpotInference } from "./gi-star-permutation.ts";
import { GiStarWorkspace, type GroupedHotSpots } from "./grouped-gi-star.ts";
import { groupedHotSpots } from "./hot-spots.ts";
import type { BinaryWeights } from "./spatial-weights.ts";

const WORKER_SOURCE = new URL("./gi-star-worker.ts", import.meta.url);
const WORKER_BUNDLED = new URL("./gi-star-worker.mjs", import.meta.url);

/** A vector sent to a Gi* thread. */
export interface GiStarJob {
  index: number;
  counts: Float64Array;
}

/** What a Gi* thread posts: ready, a vector's result (its arrays transferred), or that it failed on one. */
export type GiStarReply = { ready: true } | { index: number; result: Omit<GroupedHotSpots, "counts"> } | { index: number; failed: string };

/** Vectors sent ahead to each thread, so that it never waits for the calling thread between two. */
const AHEAD = 2;

/**
 * Milliseconds of CPU time (this process's) after which the workers are started: about the CPU time a worker costs before
 * it runs at full speed (tsx compiles its modules, ≈ 0.45 s, then its code warms up, ≈ 0.5 s, on the
 * bench machine under load), so that only a job long enough to repay it — a city at a fine
 * resolution, many years — starts one; the 10 M / 120-month bench grid (≈ 1.1–1.5 s in one thread)
 * gains nothing from a second thread on 2 cores.
 */
const START_AFTER_MS = 1000;

/**
 * groupedHotSpots of many vectors over the same weights (the analysis: every month × category), in
 * `threads` threads: this one and threads − 1 worker threads (gi-star-worker.ts), which take the next
 * vector as each finishes (the dense months cost a hundred times the sparse ones, so a fixed split
 * would leave a thread idle). This thread starts on the vectors alone and starts the workers only
 * when the job outlasts START_AFTER_MS, then keeps working while they start, so a small job costs
 * what it costs in one thread. Each vector's result is what
 * groupedHotSpots gives in one thread, bit for bit (`test/gi-star-threads.test.ts`): the same
 * functions on the same numbers, a workspace per thread, and the Monte Carlo stream seeded per call.
 * Results in the order of `vectors`, and how many the worker threads computed. Where no worker can
 * start (no tsx, or the Lambda bundle without the worker's), everything runs in this thread; a vector
 * on which a worker fails is computed here again, so its error is raised here.
 * `callingThreadWorks: false` starts the workers at once and leaves every vector to them (tests).
 */
export async function groupedHotSpotsInThreads(
  vectors: readonly Float64Array[],
  weights: BinaryWeights,
  inference: HotSpotInference,
  { threads = availableParallelism(), callingThreadWorks = true }: { threads?: number; callingThreadWorks?: boolean } = {},
): Promise<{ results: GroupedHotSpots[]; inWorkers: number }> {
  const results: (GroupedHotSpots | undefined)[] = Array.from({ length: vectors.length });
  const workspace = new GiStarWorkspace();
  const here = (v: number) => (results[v] = groupedHotSpots(vectors[v]!, weights, inference, workspace));
  const module = threads > 1 && vectors.length > 1 ? workerModule() : undefined;
  if (!module) {
    for (let v = 0; v < vectors.length; v++) here(v);
    return { results: results as GroupedHotSpots[], inWorkers: 0 };
  }
  let inWorkers = 0;
  let next = 0;
  const workers: Worker[] = [];
  const idle: (() => void)[] = [];
  const finished: Promise<void>[] = [];
  const data = { weights: { n: weights.n, offsets: weights.offsets, neighbours: weights.neighbours, selfIncluded: weights.selfIncluded }, inference };
  const startWorkers = () => {
    for (let t = 1; t < threads; t++) {
      // A larger young generation, as the CSV reader threads have: the per-month tables are short-lived.
      const worker = startThread(module, data, { maxYoungGenerationSizeMb: 64 });
      workers.push(worker);
      let pending = 0;
      const send = () => {
        while (pending < AHEAD && next < vectors.length) {
          const index = next++;
          pending++;
          // A copy of its own: a view into a larger buffer would be cloned with all of it.
          const counts = vectors[index]!.slice();
          worker.postMessage({ index, counts } satisfies GiStarJob, [counts.buffer]);
        }
      };
      finished.push(
        new Promise<void>((resolve) => {
          // Whatever goes wrong with a thread, its vectors without a result are computed in this one.
          worker.on("error", () => resolve());
          worker.on("exit", () => resolve());
          // When this thread has taken the last vector: done unless vectors are out with the worker.
          idle.push(() => pending === 0 && resolve());
          worker.on("message", (reply: GiStarReply) => {
            if ("index" in reply) {
              pending--;
              if ("result" in reply) {
                results[reply.index] = { counts: vectors[reply.index]!, ...reply.result };
                inWorkers++;
              }
            }
            send();
            if (pending === 0 && next >= vectors.length) resolve();
          });
        }),
      );
    }
  };
  try {
    if (!callingThreadWorks) startWorkers();
    // This thread takes vectors too, and lets the threads' messages in between two. The workers
    // start only once the job has run for about what starting one costs: a shorter job would not
    // gain from them.
    // CPU rather than wall time: on a loaded machine the wall clock says little about the job's size.
    const started = process.cpuUsage();
    const workedMs = () => {
      const used = process.cpuUsage(started);
      return (used.user + used.system) / 1000;
    };
    while (callingThreadWorks && next < vectors.length) {
      here(next++);
      if (workers.length === 0 && next < vectors.length - 1 && workedMs() > START_AFTER_MS) startWorkers();
      if (workers.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // Vectors all taken: a thread still starting has nothing left to do (unless this one takes none).
    if (callingThreadWorks) for (const done of idle) done();
    await Promise.all(finished);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  for (let v = 0; v < vectors.length; v++) if (results[v] === undefined) here(v);
  return { results: results as GroupedHotSpots[], inWorkers };
}

/** The worker thread's module (undefined: everything in the calling thread). */
function workerModule(): ThreadModule | undefined {
  return threadModule(WORKER_SOURCE, WORKER_BUNDLED);
}
