import type { AnalyticsStageSummary } from "../analytics/analytics-stage.ts";
import type { BacktestStageSummary } from "../analytics/backtest-lake.ts";
import type { EmergingSummary } from "../analytics/emerging-lake.ts";
import type { ForecastSummary } from "../analytics/forecast-lake.ts";
import type { UnchangedOutput } from "../analytics/output-fingerprint.ts";
import type { CategoryAnalyticsSummary } from "../stages.ts";
import { DEFAULT_SELECTION } from "../analytics/forecast-selection.ts";
import { SELECTED_METHOD } from "../analytics/rolling-backtest.ts";
import { choiceHeadline, unscoredBacktestText } from "./forecast-text.ts";

const fmt = (n: number) => n.toLocaleString("en-GB");

/** The forecast a patrol uses and the two baselines it must beat: always shown in the summary. */
const HEADLINE_METHODS: ReadonlySet<string> = new Set(["selected", "last-12-months", "last-month"]);

/**
 * The run's emerging hot spots, patrol priorities and backtest for people, then one line per category's
 * emerging hot spots (a run's `categories`); a file kept because it was up to date says so.
 */
export function analyticsText({
  emerging,
  forecast,
  backtest,
  categories,
}: AnalyticsStageSummary & { categories?: Record<string, CategoryAnalyticsSummary> }): string[] {
  return [
    ...(isKept(emerging) ? keptText("Emerging hot spots", emerging) : emergingText(emerging)),
    ...(forecast === null ? [] : isKept(forecast) ? keptText("Patrol priorities", forecast) : forecastText(forecast)),
    ...(isKept(backtest) ? keptText("Backtest", backtest) : backtestText(backtest)),
    ...categoriesText(categories ?? {}),
  ];
}

/** Each category's emerging hot spots in one line: its patterns, why it was too sparse, or that it was kept. */
function categoriesText(categories: Record<string, CategoryAnalyticsSummary>): string[] {
  const names = Object.keys(categories).sort();
  if (names.length === 0) return [];
  const width = Math.max(...names.map((name) => name.length));
  return [
    "Emerging hot spots by category:",
    ...names.map((name) => {
      const emerging = categories[name]!.emerging;
      const text = isKept(emerging) ? "not recomputed (up to date)" : emerging.skipped ? sparseText(emerging.skipped) : patternsText(emerging);
      return `    ${name.padEnd(width)}  ${text}`;
    }),
  ];
}

/** The cells per emerging pattern, "none" when no cell shows one. */
function patternsText(emerging: EmergingSummary): string {
  const patterns = Object.entries(emerging.cells_by_category).filter(([name]) => name !== "no_pattern");
  return patterns.map(([name, n]) => `${name.replaceAll("_", " ")} ${fmt(n)}`).join(", ") || "none";
}

function isKept<T extends object>(summary: T | UnchangedOutput): summary is UnchangedOutput {
  return "unchanged" in summary;
}

function keptText(what: string, kept: UnchangedOutput): string[] {
  return [`${what} (${kept.category}): not recomputed, ${kept.unchanged} (--full recomputes it): ${kept.file}`];
}

function emergingText(emerging: EmergingSummary): string[] {
  return [`Emerging hot spots (${emerging.category}): ${emerging.skipped ? sparseText(emerging.skipped) : patternsText(emerging)}`];
}

/** Why a series was too sparse for emerging hot spots (see emergingSparsity). */
function sparseText(skipped: NonNullable<EmergingSummary["skipped"]>): string {
  return `too sparse: incidents in fewer than ${fmt(skipped.minimum_months)} of its ${fmt(skipped.months)} months`;
}

function forecastText(forecast: ForecastSummary): string[] {
  const headline = forecast.methods.filter((m) => HEADLINE_METHODS.has(m.method));
  return (headline.length > 0 ? headline : forecast.methods.slice(0, 1)).map((method) => {
    const top = method.cells
      .slice(0, 3)
      .map((c) => c.h3_cell)
      .join(", ");
    // The selected forecast names the method it published and why, as `forecast` words the choice.
    const label = method.method === SELECTED_METHOD && forecast.chosen ? `${method.method}: ${choiceHeadline(forecast.chosen)}` : method.method;
    return `Patrol priorities ${forecast.month} (${label}): ${fmt(method.cells.length)} cells; top: ${top}`;
  });
}

function backtestText(backtest: BacktestStageSummary): string[] {
  if (backtest.summary.length === 0) return [];
  const unscored = unscoredBacktestText(backtest);
  if (unscored !== null) return [`Backtest ${backtest.first_month} … ${backtest.last_month}: ${unscored}`];
  // Dozens of candidates are backtested: the selected forecast, the baselines and the best three others by PAI at 1 %.
  const pai = (method: string) =>
    backtest.summary
      .filter((b) => b.method === method)
      .sort((a, b) => a.areaTarget - b.areaTarget)
      .map((b) => b.meanPai);
  const methods = [...new Set(backtest.summary.map((b) => b.method))];
  // Fewer scored months than a choice of method needs: a "best three" ranked on them would be luck printed as a finding.
  const months = Math.max(...backtest.summary.map((b) => b.folds));
  const needed = Number(backtest.parameters.selection_min_months ?? DEFAULT_SELECTION.minFolds);
  const ranked = months >= needed;
  const others = methods.filter((m) => !HEADLINE_METHODS.has(m)).sort((a, b) => (pai(b)[0] ?? 0) - (pai(a)[0] ?? 0));
  const shown = [...methods.filter((m) => HEADLINE_METHODS.has(m)), ...(ranked ? others.slice(0, 3) : [])];
  const over = `${fmt(months)} scored month${months === 1 ? "" : "s"}`;
  const lines = [`Backtest ${backtest.first_month} … ${backtest.last_month}, mean PAI at 1 % / 5 % / 10 % of the area over ${over}:`];
  for (const method of shown)
    lines.push(
      `    ${method.padEnd(24)} ${pai(method)
        .map((v) => v.toFixed(1))
        .join(" / ")}`,
    );
  if (!ranked)
    lines.push(
      `    ${over}, fewer than the ${fmt(needed)} a comparison of methods needs: the others are not ranked on ${months === 1 ? "it" : "them"} (backtest --json lists them all)`,
    );
  else if (methods.length > shown.length) lines.push(`    … ${methods.length - shown.length} more methods (backtest --json lists them all)`);
  return lines;
}
