import { InvalidArgumentError, Option, type Command } from "commander";
import { analyseLake } from "../analytics/analyse-lake.ts";
import { backtestStage } from "../analytics/backtest-lake.ts";
import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { emergingStage, type EmergingSummary } from "../analytics/emerging-lake.ts";
import { DEFAULT_EMERGING_OPTIONS } from "../analytics/emerging-hot-spots.ts";
import { DEFAULT_FORECAST_METHODS, forecastStage } from "../analytics/forecast-lake.ts";
import { DEFAULT_INFERENCE, type HotSpotInference } from "../analytics/gi-star-permutation.ts";
import { hotSpotMonthText, hotSpotReport } from "../analytics/hot-spot-report.ts";
import { analysedHullMonths, studyAreaOf } from "../analytics/lake-grid.ts";
import { checkAnalyseRange, currentMonth, lakeMonthSpan } from "../analytics/lake-months.ts";
import { checkLakeStudyArea } from "../analytics/study-area-coverage.ts";
import { readCellMonthCounts } from "../analytics/monthly-counts.ts";
import { METHOD_FAMILIES } from "../analytics/forecast-candidates.ts";
import { DEFAULT_SELECTION } from "../analytics/forecast-selection.ts";
import { withConnection } from "../duckdb/connection.ts";
import type { PipelineSettings } from "../settings.ts";
import type { CliContext } from "./context.ts";
import { checkCategory, checkLakeCategory } from "./category-option.ts";
import { backtestText, forecastText } from "./forecast-text.ts";
import { hullOption, hullRingOf, ring } from "./hull-option.ts";
import { fetchIncidentsIfRead } from "./incident-mirror.ts";
import { runAnalyse } from "./pipeline-commands.ts";
import { startProgress } from "./progress.ts";
import { summaryText } from "./summary-text.ts";

/** Hot-spot analytics commands: analyse, emerging, forecast and backtest. */
export function register(program: Command, cli: CliContext): void {
  const range = (c: Command) => c.option("--from <month>", "first month (YYYY-MM)", month).option("--to <month>", "last month (YYYY-MM)", month);
  const category = new Option("--category <name>", "one offence category (default: all offences together)");
  const scoring = (c: Command) =>
    c
      .addOption(new Option("--window <months>", "months of history a score uses").default(12).argParser(integer(1, 120)))
      .addOption(new Option("--half-life <months>", "half-life of ewma-ring weights").default(3).argParser(positive))
      .addOption(new Option("--ring-weight <w>", "weight of ring neighbours in ewma-ring").default(0.5).argParser(share));

  range(program.command("analyse").description("monthly Getis-Ord Gi* hot spots per H3 cell and offence category over the study area"))
    .option("--month <month>", "one month (YYYY-MM)", month)
    .addOption(new Option("--category <name>", "report this category's hot spots (all categories are computed and stored)"))
    .addOption(hullOption())
    .option(
      "--full",
      "recompute every month (default: only months whose incidents or parameters changed; --month/--from/--to always recompute their range)",
      false,
    )
    .addOption(
      new Option("--inference <method>", "p-values from the permutation distribution (exact where cheap, else Monte Carlo) or the normal approximation of z")
        .choices(["permutation", "normal"])
        .default("permutation"),
    )
    .addOption(
      new Option("--permutations <R>", "Monte Carlo replicates where the exact distribution is too costly")
        .default(DEFAULT_INFERENCE.method === "permutation" ? DEFAULT_INFERENCE.permutations : 9999)
        .argParser(integer(99, 10_000_000)),
    )
    .addOption(
      new Option("--seed <n>", "seed of the Monte Carlo replicates")
        .default(DEFAULT_INFERENCE.method === "permutation" ? DEFAULT_INFERENCE.seed : 1)
        .argParser(integer(0, 2 ** 32 - 1)),
    )
    .action(
      async (o: {
        month?: string;
        from?: string;
        to?: string;
        category?: string;
        hull?: number | true;
        full: boolean;
        inference: "permutation" | "normal";
        permutations: number;
        seed: number;
      }) => {
        const settings = cli.settings();
        await fetchIncidentsIfRead(program, settings, ["analyse"]);
        // The configuration's study_area: { hull } unless --hull says otherwise.
        o.hull ??= settings.hullRing ?? undefined;
        const from = o.month ?? o.from;
        const to = o.month ?? o.to;
        const inference: HotSpotInference =
          o.inference === "normal" ? { method: "normal" } : { method: "permutation", permutations: o.permutations, seed: o.seed };
        if (from === undefined && to === undefined && o.category === undefined && o.hull === undefined) {
          return cli.report({ lake: settings.lakeDir, analyse: await runAnalyse(settings, cli, o.full, inference) }, summaryText);
        }
        const progress = startProgress("analyse", !cli.json());
        const result = await withConnection(async (c) => {
          const counts = await readCellMonthCounts(c, settings.lakeDir, settings.resolution);
          // A month past the data would be stored as a month of zeros, and shown as one.
          checkAnalyseRange(from, to, lakeMonthSpan(counts.map((r) => r.month)), currentMonth(settings.timeZone, settings.now));
          checkCategory(
            o.category,
            counts.map((r) => r.category),
          );
          // The hull of the lake's analysed months, whatever months are asked for: the study area of a default run.
          const area = await studyAreaOf(settings, counts, ring(o.hull), await analysedHullMonths(settings));
          // Another place's study area (the demo's municipalities met by another city's export) is refused, naming --hull and --config.
          await checkLakeStudyArea(c, settings, area, ring(o.hull));
          const analyse = await analyseLake({
            ...settings,
            studyArea: area,
            from,
            to,
            full: o.full,
            inference,
            onMonth: (d, t) => progress.update(d, t, "months"),
          }).finally(() => progress.stop());
          const cat = o.category ?? ALL_OFFENCES;
          const months = await hotSpotReport(c, settings.lakeDir, cat, analyse.first_month ?? "", analyse.last_month ?? "");
          return { lake: settings.lakeDir, analyse, category: cat, months };
        });
        cli.report(result, (r) =>
          [summaryText({ lake: r.lake, analyse: r.analyse }), ...r.months.map((m) => `  ${r.category} ${m.month}: ${hotSpotMonthText(m)}`)].join("\n"),
        );
      },
    );

  // No scoring options: they are the forecast's and backtest's, not the emerging hot spots'.
  range(program.command("emerging").description("emerging hot and cold spots (ArcGIS categories, Mann-Kendall trend) per cell over a month range"))
    .addOption(category)
    .addOption(
      new Option(
        "--time-window <months>",
        "space-time Gi*: the cell's ring in this many previous months too (ArcGIS neighbourhood time step; default 1)",
      ).argParser(integer(0, 24)),
    )
    .option("--no-fdr", "confidence bins without false-discovery-rate control")
    .addOption(new Option("--min-bin <bin>", "smallest |Gi_Bin| counted as significant (1/2/3 = 90/95/99 %)").default(2).argParser(integer(1, 3)))
    .addOption(new Option("--trend-alpha <p>", "level of the Mann-Kendall test").default(0.05).argParser(positive))
    .addOption(hullOption())
    .action(
      async (o: {
        from?: string;
        to?: string;
        category?: string;
        timeWindow?: number;
        fdr: boolean;
        minBin: 1 | 2 | 3;
        trendAlpha: number;
        hull?: number | true;
      }) => {
        const settings = cli.settings();
        await fetchIncidentsIfRead(program, settings, ["analytics"]);
        await checkLakeCategory(o.category, settings.lakeDir);
        const summary = await emergingStage(settings, rangeScope(o, settings), {
          timeWindow: o.timeWindow ?? DEFAULT_EMERGING_OPTIONS.timeWindow,
          fdr: o.fdr,
          minBin: o.minBin,
          trendAlpha: o.trendAlpha,
        });
        cli.report(summary, emergingText);
      },
    );

  scoring(program.command("forecast").description("next-month patrol priorities: ranked cells by each scoring method"))
    .requiredOption("--month <month>", "the month to plan for (YYYY-MM); history is every earlier month", month)
    .addOption(category)
    .addOption(
      new Option(
        "--method <name...>",
        `"selected" (chosen by a backtest over earlier months) and/or method families (${METHOD_FAMILIES.join(", ")}) or labels such as "kde(b=1,h=24)"`,
      ).default([...DEFAULT_FORECAST_METHODS]),
    )
    .addOption(new Option("--top <n>", "the N highest-ranked cells").argParser(integer(1, 100000)).conflicts("areaShare"))
    .addOption(new Option("--area-share <x>", "cells covering this share of the study area by real cell area").default(0.05).argParser(share))
    .addOption(hullOption())
    .action(
      async (o: {
        month: string;
        category?: string;
        method: string[];
        top?: number;
        areaShare: number;
        window: number;
        halfLife: number;
        ringWeight: number;
        hull?: number | true;
      }) => {
        const settings = cli.settings();
        await fetchIncidentsIfRead(program, settings, ["analytics"]);
        await checkLakeCategory(o.category, settings.lakeDir);
        const selection = o.top !== undefined ? { top: o.top } : { areaShare: o.areaShare };
        const summary = await forecastStage(settings, {
          month: o.month,
          category: o.category,
          hullRing: hullRingOf(o.hull, settings),
          methods: o.method,
          selection,
          parameters: { window: o.window, halfLife: o.halfLife, ringWeight: o.ringWeight },
        });
        cli.report(summary, forecastText);
      },
    );

  range(scoring(program.command("backtest").description("rolling-origin backtest of the scoring methods and baselines: PAI, PEI* and hit rate")))
    .addOption(category)
    .addOption(new Option("--method <name...>", `method families (${METHOD_FAMILIES.join(", ")}) or labels; default all, last-12-months always included`))
    .addOption(
      new Option("--area-shares <list>", "comma-separated shares of the study area").default([0.01, 0.05, 0.1]).argParser((v) => v.split(",").map(share)),
    )
    .addOption(new Option("--min-history <months>", "months of history before the first forecast").default(12).argParser(integer(1, 120)))
    .addOption(
      new Option(
        "--selection-window <months>",
        `the method for a month is chosen from at most this many earlier backtest months (at least ${DEFAULT_SELECTION.minFolds}, the fewest a choice rests on)`,
      )
        .default(DEFAULT_SELECTION.window)
        .argParser(integer(DEFAULT_SELECTION.minFolds, 1200)),
    )
    .addOption(hullOption())
    .action(
      async (o: {
        from?: string;
        to?: string;
        category?: string;
        method?: string[];
        areaShares: number[];
        minHistory: number;
        selectionWindow: number;
        window: number;
        halfLife: number;
        ringWeight: number;
        hull?: number | true;
      }) => {
        const settings = cli.settings();
        await fetchIncidentsIfRead(program, settings, ["analytics"]);
        await checkLakeCategory(o.category, settings.lakeDir);
        const summary = await backtestStage(settings, rangeScope(o, settings), {
          ...(o.method ? { methods: o.method } : {}),
          areaShares: o.areaShares,
          minHistory: o.minHistory,
          selection: { ...DEFAULT_SELECTION, window: o.selectionWindow },
          parameters: { window: o.window, halfLife: o.halfLife, ringWeight: o.ringWeight },
        });
        cli.report(summary, backtestText);
      },
    );
}

/** The category, month range and study area of a command over a range of months (emerging, backtest). */
function rangeScope(o: { category?: string; from?: string; to?: string; hull?: number | true }, settings: PipelineSettings) {
  return { category: o.category, from: o.from, to: o.to, hullRing: hullRingOf(o.hull, settings) };
}

function emergingText(s: EmergingSummary): string {
  const lines = [
    `Emerging hot spots, ${s.category}: ${s.months} months (${s.first_month ?? "–"} … ${s.last_month ?? "–"}) × ${s.cells} cells → ${s.file ?? "nothing written"}`,
  ];
  for (const [c, n] of Object.entries(s.cells_by_category).sort((a, b) => b[1] - a[1])) lines.push(`  ${c.replaceAll("_", " ").padEnd(24)} ${n}`);
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
