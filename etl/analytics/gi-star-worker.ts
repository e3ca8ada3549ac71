/**
 * A Gi* thread of groupedHotSpotsInThreads: computes the grouped hot spots of each vector it is sent,
 * over the weights it was started with and with its own workspace, and posts each result back without
 * copying its arrays. The arithmetic is the calling thread's (the same functions on the same numbers),
 * so a vector's result does not depend on the thread that computed it.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { HotSpotInference } from "./gi-star-permutation.ts";
import { GiStarWorkspace } from "./grouped-gi-star.ts";
import { groupedHotSpots } from "./hot-spots.ts";
import type { BinaryWeights } from "./spatial-weights.ts";
import type { GiStarJob, GiStarReply } from "./gi-star-threads.ts";

const { weights, inference } = workerData as { weights: BinaryWeights; inference: HotSpotInference };
const workspace = new GiStarWorkspace();

parentPort!.on("message", ({ index, counts }: GiStarJob) => {
  let reply: GiStarReply;
  try {
    const { group, z, p, bin, binFdr, status, inference: used } = groupedHotSpots(counts, weights, inference, workspace);
    reply = { index, result: { group, z, p, bin, binFdr, status, inference: used } };
  } catch (error) {
    // The calling thread computes this vector again itself, and so raises the error where it is awaited.
    reply = { index, failed: (error as Error).message };
  }
  // Each array's buffer once (a buffer listed twice cannot be transferred).
  const arrays = "result" in reply ? [reply.result.group, reply.result.z, reply.result.p, reply.result.bin, reply.result.binFdr] : [];
  parentPort!.postMessage(reply, [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))]);
});
parentPort!.postMessage({ ready: true } satisfies GiStarReply);
