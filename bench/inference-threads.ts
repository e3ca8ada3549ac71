/**
 * CPU time by thread of this process, from Linux's /proc/self/task/<tid>/schedstat (nanoseconds on
 * the CPU): the main thread apart from the others, to tell a span's own work from what runs beside
 * it — V8's platform workers (concurrent TurboFan compiles, concurrent marking and sweeping, parallel
 * scavenge helpers), libuv's pool and, in the pipeline, DuckDB's threads. `process.cpuUsage` counts
 * them all, which is why a single-threaded span can show more CPU than wall time.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Nanoseconds on the CPU per thread id (empty where /proc has no schedstat, e.g. not Linux). */
export function threadCpu(): Map<number, number> {
  const byThread = new Map<number, number>();
  let tasks: string[];
  try {
    tasks = readdirSync("/proc/self/task");
  } catch {
    return byThread;
  }
  for (const tid of tasks) {
    try {
      byThread.set(Number(tid), Number(readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ")[0]));
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return byThread;
}

/** CPU seconds since `before` on the main thread (tid = pid) and on all other threads, or null without /proc. */
export function threadCpuSince(before: Map<number, number>): { main: number; others: number } | null {
  const now = threadCpu();
  if (now.size === 0) return null;
  let main = 0;
  let others = 0;
  for (const [tid, ns] of now) {
    const used = (ns - (before.get(tid) ?? 0)) / 1e9;
    if (tid === process.pid) main += used;
    else others += used;
  }
  return { main, others };
}
