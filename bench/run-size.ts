/**
 * One benchmark run in its own process (so that its peak RSS is its own): the pipeline's stages as
 * `hotspots run --no-build` calls them, each timed, on a fresh lake — or, with `month`, one more
 * month ingested into that lake and the stages run as a user runs them again: the analyse stage
 * finds by itself which months changed (see analyseLake) and recomputes only those. Prints one JSON line (RunReport).
 * Usage: tsx bench/run-size.ts '<RunRequest as JSON>'
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import type { AnalyseTimings } from "../etl/analytics/analyse-lake.ts";
import type { AnalyticsTimings } from "../etl/analytics/analytics-stage.ts";
import { STAGES } from "../etl/stages.ts";
import type { IngestTimings } from "../etl/ingest/ingest-options.ts";
import { analyseStage, contextStage, ingestStage, publishStage } from "../etl/pipeline.ts";
import { evaluateStage } from "../etl/evaluation/lake/evaluate-stage.ts";
import { defaultSettings } from "../etl/settings.ts";
import { runSpdepPeer, type SpdepResult } from "./spdep-peer.ts";

export interface RunRequest {
  files: string[];
  lakeDir: string;
  dashboardDir: string;
  /**
   * The month the incremental run adds: marks the run as incremental (context tables are not
   * reloaded). The analyse stage is not told the month — it detects the changed months itself.
   */
  month?: string;
  /** Run the R spdep peer afterwards (full run only) in this folder. */
  spdepDir?: string;
}

export interface RunReport {
  wall_s: number;
  /** CPU seconds of every thread of the process (2 cores busy for the whole run would be 2 × wall_s). */
  cpu_s: number;
  peak_rss_mib: number;
  stages: Record<string, number>;
  rows_read: number;
  rows_ingested: number;
  /** Months whose hot spots the analyse stage recomputed (all on a fresh lake; 1 when one month is added). */
  months_recomputed: number;
  load_average: number[];
  /**
   * CPU seconds (every thread) of each part of the run: ingest, context, analyse, analytics (and
   * within it analytics.emerging and analytics.forecast_backtest of all offences, and
   * analytics.categories),
   * evaluate, dashboard_data. On a shared machine a part's wall time grows with the load, its CPU
   * time much less: these say where the work is when others share the cores.
   */
  stage_cpu_s: Record<string, number>;
  /**
   * Wall seconds of the same parts (ingest, context, analyse, analytics, evaluate, dashboard_data):
   * beside `stages`, whose timers cover only parts of them, they show where the rest of wall_s went.
   */
  stage_wall_s: Record<string, number>;
  /** Seconds from the process's start to the run's first statement: Node's start and loading every module imported. */
  startup_s: number;
  /** How the child ran: "bundle" (one esbuild ES module, as the Lambda asset runs) or "tsx" (TypeScript sources through tsx). */
  build: "bundle" | "tsx";
  spdep?: SpdepResult;
  /** How the Gi* stage obtained its p-values: category-months tested exactly, by Monte Carlo, by the normal approximation, too few to test. */
  gi_star_inference?: { exact: number; monte_carlo: number; normal: number; too_few_incidents: number };
}

// performance.now() counts from the process's start: here, every static import has been loaded.
const startup = performance.now() / 1000;
const request = JSON.parse(process.argv[2]!) as RunRequest;
const settings = defaultSettings({ lakeDir: request.lakeDir, dashboardDir: request.dashboardDir });
const ingest: IngestTimings = { read_validate: 0, h3_index: 0, parquet_write: 0 };
const analyse: AnalyseTimings = { monthly_counts: 0, gi_star: 0, hot_spot_write: 0 };
const analytics: Required<AnalyticsTimings> = { emerging: 0, forecast_backtest: 0, cpu: { emerging: 0, forecast_backtest: 0 } };
const load = loadavg();
const cpuStart = process.cpuUsage();
const started = performance.now();
const stageCpu: Record<string, number> = {};
const stageWall: Record<string, number> = {};
/** The wall seconds since the previous lap (also in stageWall[part]); the CPU seconds go to stageCpu[part]. */
const lap = (() => {
  let last = started;
  let lastCpu = process.cpuUsage();
  return (part: string) => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const seconds = (now - last) / 1000;
    stageCpu[part] = (cpu.user + cpu.system) / 1e6;
    stageWall[part] = seconds;
    last = now;
    lastCpu = process.cpuUsage();
    return seconds;
  };
})();

const summary = await ingestStage(request.files, settings, undefined, undefined, ingest);
const ingestWall = lap("ingest");
const context = request.month === undefined ? (await contextStage(settings), lap("context")) : 0;
const analysed = await analyseStage(settings, undefined, { timings: analyse });
if (request.month !== undefined && analysed.months_recomputed !== 1) {
  process.stderr.write(`run-size: the incremental run recomputed ${analysed.months_recomputed} months, not just ${request.month}\n`);
}
lap("analyse");
// The analytics stage as `run` runs it (all offences, then each category published per cell).
await STAGES.find((s) => s.name === "analytics")!.run(settings, { analyticsTimings: analytics });
lap("analytics");
// The analytics part's CPU split: all offences' emerging hot spots (the space-time Gi* over the whole
// grid) and forecast + backtest; the categories' emerging hot spots and baseline forecasts.
stageCpu["analytics.emerging"] = analytics.cpu.emerging;
stageCpu["analytics.forecast_backtest"] = analytics.cpu.forecast_backtest;
stageCpu["analytics.categories"] = stageCpu.analytics! - analytics.cpu.emerging - analytics.cpu.forecast_backtest;
await evaluateStage(settings);
const evaluate = lap("evaluate");
await publishStage(settings);
const dashboard = lap("dashboard_data");
const wall = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);

const report: RunReport = {
  wall_s: wall,
  cpu_s: (cpu.user + cpu.system) / 1e6,
  peak_rss_mib: peakRssMib(),
  stages: { ...ingest, context, ...analyse, emerging: analytics.emerging, forecast_backtest: analytics.forecast_backtest, evaluate, dashboard_data: dashboard },
  rows_read: summary.rows_read,
  rows_ingested: summary.rows_ingested,
  months_recomputed: analysed.months_recomputed,
  gi_star_inference: analysed.category_months,
  load_average: load,
  stage_cpu_s: stageCpu,
  stage_wall_s: stageWall,
  startup_s: startup,
  build: import.meta.url.endsWith(".ts") ? "tsx" : "bundle",
};
const rest = wall - ingestWall;
process.stderr.write(
  `run-size: wall ${wall.toFixed(2)} s = ingest ${ingestWall.toFixed(2)} s + the rest ${rest.toFixed(2)} s; CPU seconds per part: ${Object.entries(stageCpu)
    .map(([part, s]) => `${part} ${s.toFixed(2)}`)
    .join(", ")}; load average at start ${load.map((l) => l.toFixed(1)).join(" ")}\n`,
);
if (request.spdepDir) report.spdep = await runSpdepPeer(request.lakeDir, settings.k, join(request.spdepDir));
process.stdout.write(`${JSON.stringify(report)}\n`);

/** Peak resident set of this process — every thread: reader threads, DuckDB's — in MiB. */
function peakRssMib(): number {
  const status = readFileSync("/proc/self/status", "utf8");
  const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return Number.isFinite(kib) ? kib / 1024 : process.resourceUsage().maxRSS / 1024;
}
