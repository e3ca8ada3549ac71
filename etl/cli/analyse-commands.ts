import { InvalidArgumentError, Option, type Command } from "commander";
import { analyseLake } from "../analytics/analyse-lake.ts";
import { backtestStage, type BacktestStageSummary } from "../analytics/backtest-lake.ts";
import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { emergingStage, type EmergingSummary } from "../analytics/emerging-lake.ts";
import { forecastStage, type ForecastSummary } from "../analytics/forecast-lake.ts";
import { hotSpotReport } from "../analytics/hot-spot-report.ts";
import { studyAreaOf } from "../analytics/lake-grid.ts";
import { readCellMonthCounts } from "../analytics/monthly-counts.ts";
import { SCORING_METHODS, type ScoringMethod } from "../analytics/patrol-scores.ts";
import { withConnection } from "../duckdb/connection.ts";
import type { CliContext } from "./context.ts";
import { runAnalyse } from "./pipeline-commands.ts";
import { startProgress } from "./progress.ts";
import { summaryText } from "./summary-text.ts";

/** Hot-spot analytics commands: analyse, emerging, forecast and backtest. */
export function register(program: Command, cli: CliContext): void {
  const hull = () => new Option("--hull [ring]", "study area: hull of the incident cells plus this many rings (default 1) instead of the municipalities").argParser(integer(0, 10));
  const range = (c: Command) => c.option("--from <month>", "first month (YYYY-MM)", month).option("--to <month>", "last month (YYYY-MM)", month);
  const category = new Option("--category <name>", "one offence category (default: all offences together)");
  const scoring = (c: Command) =>
    c.addOption(new Option("--window <months>", "months of history a score uses").default(12).argParser(integer(1, 120))).addOption(new Option("--half-life <months>", "half-life of ewma-ring weights").default(3).argParser(positive)).addOption(new Option("--ring-weight <w>", "weight of ring neighbours in ewma-ring").default(0.5).argParser(share));

  range(program.command("analyse").description("monthly Getis-Ord Gi* hot spots per H3 cell and offence category over the study area"))
    .option("--month <month>", "one month (YYYY-MM)", month)
    .addOption(new Option("--category <name>", "report this category's hot spots (all categories are computed and stored)"))
    .addOption(hull())
    .option("--full", "recompute every month (default: only months whose incidents or parameters changed; --month/--from/--to always recompute their range)", false)
    .action(async (o: { month?: string; from?: string; to?: string; category?: string; hull?: number | true; full: boolean }) => {
      const settings = cli.settings();
      const from = o.month ?? o.from;
      const to = o.month ?? o.to;
      if (from === undefined && to === undefined && o.category === undefined && o.hull === undefined) {
        return cli.report({ lake: settings.lakeDir, analyse: await runAnalyse(settings, cli, o.full) }, summaryText);
      }
      const progress = startProgress("analyse", !cli.json());
      const result = await withConnection(async (c) => {
        const area = await studyAreaOf(settings, await readCellMonthCounts(c, settings.lakeDir), o.hull === undefined ? null : o.hull === true ? 1 : o.hull);
        const analyse = await analyseLake({ ...settings, studyArea: area, from, to, full: o.full, onMonth: (d, t) => progress.update(d, t, "months") }).finally(() => progress.stop());
        const cat = o.category ?? ALL_OFFENCES;
        const months = await hotSpotReport(c, settings.lakeDir, cat, analyse.first_month ?? "", analyse.last_month ?? "");
        return { lake: settings.lakeDir, analyse, category: cat, months };
      });
      cli.report(result, (r) => [summaryText({ lake: r.lake, analyse: r.analyse }), ...r.months.map((m) => `  ${r.category} ${m.month}: ${m.incidents} incidents; hot spots (FDR) ${Object.entries(m.by_bin_fdr).filter(([b]) => Number(b) > 0).map(([b, n]) => `bin ${b}: ${n}`).join(", ") || "none"}${m.hot_cells.length ? `; top ${m.hot_cells.slice(0, 3).map((h) => `${h.h3_cell} z=${h.gi_z.toFixed(2)}`).join(", ")}` : ""}`)].join("\n"));
    });

  range(scoring(program.command("emerging").description("emerging hot and cold spots (ArcGIS categories, Mann-Kendall trend) per cell over a month range")))
    .addOption(category)
    .addOption(new Option("--time-window <months>", "space-time Gi*: the cell's ring in this many previous months too (default: monthly Gi*)").argParser(integer(0, 24)))
    .option("--no-fdr", "confidence bins without false-discovery-rate control")
    .addOption(new Option("--min-bin <bin>", "smallest |Gi_Bin| counted as significant (1/2/3 = 90/95/99 %)").default(2).argParser(integer(1, 3)))
    .addOption(new Option("--trend-alpha <p>", "level of the Mann-Kendall test").default(0.05).argParser(positive))
    .addOption(hull())
    .action(async (o: { from?: string; to?: string; category?: string; timeWindow?: number; fdr: boolean; minBin: 1 | 2 | 3; trendAlpha: number; hull?: number | true }) => {
      const settings = cli.settings();
      const summary = await emergingStage(settings, { category: o.category, from: o.from, to: o.to, hullRing: ring(o.hull) }, { timeWindow: o.timeWindow ?? null, fdr: o.fdr, minBin: o.minBin, trendAlpha: o.trendAlpha });
      cli.report(summary, emergingText);
    });

  scoring(program.command("forecast").description("next-month patrol priorities: ranked cells by each scoring method"))
    .requiredOption("--month <month>", "the month to plan for (YYYY-MM); history is every earlier month", month)
    .addOption(category)
    .addOption(new Option("--method <name...>", "scoring methods").choices(SCORING_METHODS).default(["ewma-ring", "gi-star-mean"]))
    .addOption(new Option("--top <n>", "the N highest-ranked cells").argParser(integer(1, 100000)).conflicts("areaShare"))
    .addOption(new Option("--area-share <x>", "cells covering this share of the study area by real cell area").default(0.05).argParser(share))
    .addOption(hull())
    .action(async (o: { month: string; category?: string; method: ScoringMethod[]; top?: number; areaShare: number; window: number; halfLife: number; ringWeight: number; hull?: number | true }) => {
      const settings = cli.settings();
      const selection = o.top !== undefined ? { top: o.top } : { areaShare: o.areaShare };
      const summary = await forecastStage(settings, { month: o.month, category: o.category, hullRing: ring(o.hull), methods: o.method, selection, parameters: { window: o.window, halfLife: o.halfLife, ringWeight: o.ringWeight } });
      cli.report(summary, forecastText);
    });

  range(scoring(program.command("backtest").description("rolling-origin backtest of the scoring methods and baselines: PAI, PEI* and hit rate")))
    .addOption(category)
    .addOption(new Option("--method <name...>", "scoring methods").choices(SCORING_METHODS).default([...SCORING_METHODS]))
    .addOption(new Option("--area-shares <list>", "comma-separated shares of the study area").default([0.01, 0.05, 0.1]).argParser((v) => v.split(",").map(share)))
    .addOption(new Option("--min-history <months>", "months of history before the first forecast").default(12).argParser(integer(1, 120)))
    .addOption(hull())
    .action(async (o: { from?: string; to?: string; category?: string; method: ScoringMethod[]; areaShares: number[]; minHistory: number; window: number; halfLife: number; ringWeight: number; hull?: number | true }) => {
      const settings = cli.settings();
      const summary = await backtestStage(settings, { category: o.category, from: o.from, to: o.to, hullRing: ring(o.hull) }, { methods: o.method, areaShares: o.areaShares, minHistory: o.minHistory, parameters: { window: o.window, halfLife: o.halfLife, ringWeight: o.ringWeight } });
      cli.report(summary, backtestText);
    });
}

const ring = (h: number | true | undefined) => (h === undefined ? null : h === true ? 1 : h);
const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)} %`;

function emergingText(s: EmergingSummary): string {
  const lines = [`Emerging hot spots, ${s.category}: ${s.months} months (${s.first_month ?? "–"} … ${s.last_month ?? "–"}) × ${s.cells} cells → ${s.file ?? "nothing written"}`];
  for (const [c, n] of Object.entries(s.cells_by_category).sort((a, b) => b[1] - a[1])) lines.push(`  ${c.replaceAll("_", " ").padEnd(24)} ${n}`);
  return lines.join("\n");
}

function forecastText(s: ForecastSummary): string {
  const lines = [`Patrol priorities for ${s.month}, ${s.category} (history ${s.history.from} … ${s.history.to}) → ${s.file}`];
  for (const m of s.methods) {
    const accuracy = m.accuracy ? ` — against ${s.month}: hit rate ${pct(m.accuracy.hitRate)}, PAI ${m.accuracy.pai.toFixed(2)}, PEI* ${m.accuracy.pei.toFixed(3)}` : "";
    lines.push(`  ${m.method}: ${m.cells.length} cells${accuracy}`);
    for (const c of m.cells.slice(0, 10)) lines.push(`    ${String(c.rank).padStart(3)}. ${c.h3_cell}  score ${c.score.toFixed(3)}`);
  }
  return lines.join("\n");
}

function backtestText(s: BacktestStageSummary): string {
  const lines = [`Backtest, ${s.category}: forecasts for each month after ${s.parameters.min_history_months} months of history, ${s.first_month} … ${s.last_month}, ${s.cells} cells → ${s.file}`, `  ${"method".padEnd(15)} ${"area".padStart(6)} ${"months".padStart(6)} ${"hit rate".padStart(9)} ${"PAI".padStart(7)} ${"PEI*".padStart(6)}`];
  for (const r of s.summary) lines.push(`  ${r.method.padEnd(15)} ${pct(r.areaTarget).padStart(6)} ${String(r.folds).padStart(6)} ${pct(r.meanHitRate).padStart(9)} ${r.meanPai.toFixed(2).padStart(7)} ${r.meanPei.toFixed(3).padStart(6)}`);
  return lines.join("\n");
}

function month(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError("expected a month YYYY-MM");
  return value;
}

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

function positive(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError("expected a positive number");
  return n;
}

function share(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError("expected a share in (0, 1], e.g. 0.05");
  return n;
}
