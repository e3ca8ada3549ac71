/**
 * Wall and CPU time of each part of a publish, for bench/dashboard-publish.ts: each part is a
 * performance measure named `publish:<part>` whose detail holds the process's CPU seconds over it
 * (DuckDB's threads included; the parts run one after another). Nothing reads them in the product;
 * a measure is a few dozen bytes, and `publishDashboardData` clears the previous publish's.
 */
export const TIMING_PREFIX = "publish:";

/** Runs `work` as the part `part`, recording its wall and CPU time. */
export async function timed<T>(part: string, work: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  try {
    return await work();
  } finally {
    const used = process.cpuUsage(cpu);
    performance.measure(`${TIMING_PREFIX}${part}`, { start, end: performance.now(), detail: { cpu_s: (used.user + used.system) / 1e6 } });
  }
}

/** The parts of the last publish: wall and CPU seconds by part, summed where a part ran more than once. */
export function publishTimings(): Record<string, { wall_s: number; cpu_s: number }> {
  const out: Record<string, { wall_s: number; cpu_s: number }> = {};
  for (const entry of performance.getEntriesByType("measure")) {
    if (!entry.name.startsWith(TIMING_PREFIX)) continue;
    const part = entry.name.slice(TIMING_PREFIX.length);
    const cpu = ((entry as PerformanceMeasure).detail as { cpu_s: number }).cpu_s;
    const sum = (out[part] ??= { wall_s: 0, cpu_s: 0 });
    sum.wall_s += entry.duration / 1000;
    sum.cpu_s += cpu;
  }
  return out;
}

/** Forgets the previous publish's parts (a long-lived process publishes many times). */
export function clearPublishTimings(): void {
  for (const entry of performance.getEntriesByType("measure")) if (entry.name.startsWith(TIMING_PREFIX)) performance.clearMeasures(entry.name);
}
