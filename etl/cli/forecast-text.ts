import type { BacktestStageSummary } from "../analytics/backtest-lake.ts";
import { BASELINE_METHOD, TIE_BROKEN_BASELINE } from "../analytics/forecast-candidates.ts";
import type { ForecastSummary } from "../analytics/forecast-lake.ts";
import { DEFAULT_SELECTION, type SelectionReason } from "../analytics/forecast-selection.ts";
import { monthRange } from "../analytics/monthly-counts.ts";
import { SELECTED_METHOD, type ChosenMethod } from "../analytics/rolling-backtest.ts";

const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)} %`;
const points = (x: number) => `${(100 * x).toFixed(1)} %`;
const signed = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? "+" : ""}${x.toFixed(2)}` : "–");

/** The `forecast` command's text: the choice of "selected" in words, then each method's ranked cells. */
export function forecastText(s: ForecastSummary): string {
  const lines = [`Patrol priorities for ${s.month}, ${s.category} (history ${s.history.from} … ${s.history.to}) → ${s.file}`];
  if (s.chosen) lines.push(`  ${SELECTED_METHOD} = ${choiceText(s.chosen)}`);
  for (const m of s.methods) {
    const accuracy = m.accuracy
      ? ` — against ${s.month}: hit rate ${pct(m.accuracy.hitRate)}, PAI ${m.accuracy.pai.toFixed(2)}, PEI* ${m.accuracy.pei.toFixed(3)}`
      : "";
    lines.push(`  ${m.method}: ${m.cells.length} cells${accuracy}`);
    for (const c of m.cells.slice(0, 10)) lines.push(`    ${String(c.rank).padStart(3)}. ${c.h3_cell}  score ${c.score.toFixed(3)}`);
  }
  return lines.join("\n");
}

/** The `backtest` command's text: one row per method and area share, then the choice for the next month. */
export function backtestText(s: BacktestStageSummary): string {
  const head = `Backtest, ${s.category}: forecasts for each month after ${s.parameters.min_history_months} months of history, ${s.first_month} … ${s.last_month}, ${s.cells} cells → ${s.file}`;
  // No month scored: a table of NaN says nothing; say why, and what the next month's forecast rests on.
  const unscored = unscoredBacktestText(s);
  if (unscored !== null) return [head, `  ${unscored}`, ...(s.next ? [`  next month: ${SELECTED_METHOD} = ${choiceText(s.next)}`] : [])].join("\n");
  const w = Math.max(15, ...s.summary.map((r) => r.method.length));
  const lines = [
    head,
    `  "${SELECTED_METHOD}" forecasts each month with the method a backtest over the earlier months chose; PAI vs last-12-months: mean difference [95 % CI: EWC variance, t with ν = floor(0.4 n^(2/3)) df], months won/lost`,
    `  ${"method".padEnd(w)} ${"area".padStart(6)} ${"months".padStart(6)} ${"hit rate".padStart(9)} ${"PAI".padStart(7)} ${"PEI*".padStart(6)} ${"PAI 12m".padStart(7)} ${"top10".padStart(6)} ${"top20".padStart(6)}  vs last-12-months`,
  ];
  for (const r of s.summary) {
    const v = r.versusBaseline;
    const versus = r.method === BASELINE_METHOD ? "" : `${signed(v.meanDifference)} [${signed(v.ciLow)}, ${signed(v.ciHigh)}] ${v.wins}/${v.losses}`;
    lines.push(
      `  ${r.method.padEnd(w)} ${pct(r.areaTarget).padStart(6)} ${String(r.folds).padStart(6)} ${pct(r.meanHitRate).padStart(9)} ${r.meanPai.toFixed(2).padStart(7)} ${r.meanPei.toFixed(3).padStart(6)} ${r.recentMeanPai.toFixed(2).padStart(7)} ${r.meanHitsTop10.toFixed(1).padStart(6)} ${r.meanHitsTop20.toFixed(1).padStart(6)}  ${versus}`,
    );
  }
  if (s.next) lines.push(`  next month: ${SELECTED_METHOD} = ${choiceText(s.next)}`);
  return lines.join("\n");
}

/**
 * Why a backtest scored no month, or null when it scored one: a lake no longer than the history a
 * scored month needs has methods but no month (say so, not "NaN"). Shared by run's and backtest's text.
 */
export function unscoredBacktestText(backtest: BacktestStageSummary): string | null {
  if (!backtest.summary.every((b) => b.folds === 0)) return null;
  const history = Number(backtest.parameters.min_history_months);
  const months = backtest.first_month && backtest.last_month ? monthRange(backtest.first_month, backtest.last_month).length : 0;
  const why =
    months > history
      ? `no month after the first ${history} held an incident`
      : `a scored month needs ${history} months before it (backtest --min-history <months> lowers it)`;
  return `no month scored — ${why}; the patrol priorities stand without a measured accuracy`;
}

/** Why a kept baseline was kept, in the words both `choiceText` and `choiceHeadline` start from. */
const KEPT_BECAUSE: Record<Exclude<SelectionReason, "best in backtest">, string> = {
  "too little history": "too little history to choose a method",
  // Months enough, but a sparse category: the baseline's list caught nothing, so no gain over it can be measured.
  "baseline never hit": "too little evidence to choose a method",
  "baseline best in backtest": "no method beat it",
};

/**
 * The chosen method and why, in one line an analyst can act on. A kept baseline is named as the
 * baseline (its published label, stacked(kde…,w=0), is last-12-months with ties broken by risk, which
 * nobody would read as "the baseline"); the margin is the one applied — one standard error, or the
 * family-wise margin over the candidates where that is larger — not always "one standard error".
 */
export function choiceText(c: ChosenMethod, minFolds: number = DEFAULT_SELECTION.minFolds): string {
  const shares = c.byShare.map((s) => pct(s.share)).join(" and ");
  const baseline = isTieBrokenBaseline(c)
    ? `${BASELINE_METHOD}, the baseline (published as ${TIE_BROKEN_BASELINE}: its ranking with ties broken by the incidents around each cell)`
    : `${c.method}, the baseline`;
  if (c.reason === "too little history")
    return `${baseline} — ${KEPT_BECAUSE[c.reason]}: ${c.folds} earlier backtest month${c.folds === 1 ? "" : "s"}, at least ${minFolds} needed`;
  if (c.reason === "baseline never hit")
    return `${baseline} — ${KEPT_BECAUSE[c.reason]}: in ${c.folds} earlier backtest months the baseline's list caught no incident at ${c.byShare.map((s) => pct(s.share)).join(" or ")} of the area, so no method's gain over it can be measured`;
  const noise = noiseText(c.marginStandardErrors);
  if (c.reason === "baseline best in backtest") {
    const closest = c.runnerUp === null ? "" : ` (the closest, ${c.runnerUp}, fell short by ${points(c.marginOverRunnerUp)} of the baseline's PAI)`;
    return `${baseline} — ${KEPT_BECAUSE[c.reason]}: over ${c.folds} months none was ahead of it at ${shares} by more than ${noise}${closest}`;
  }
  const gains = c.byShare.map((s) => `${s.gainOverBaseline >= 0 ? "+" : ""}${points(s.gainOverBaseline)} at ${pct(s.share)}`).join(", ");
  const best = `${c.parts[0]}: mean PAI ${gains} over ${BASELINE_METHOD} in ${c.folds} months, more than ${noise}; ${points(c.marginOverRunnerUp)} ahead of ${c.runnerUp ?? "–"} net of it`;
  return c.parts.length > 1 ? `the mean of ${c.parts.join(", ")} (the methods ahead of ${BASELINE_METHOD} by more than ${noise}; best ${best})` : best;
}

/**
 * The choice in a few words, for the run's one-line summary: the method and its smaller mean PAI gain
 * over the baseline, or the kept baseline and why (`choiceText` gives the evidence).
 */
export function choiceHeadline(c: ChosenMethod): string {
  if (c.reason === "best in backtest") return `${c.method}, ahead of ${BASELINE_METHOD} by ${points(c.gainOverBaseline)} in mean PAI`;
  const name = isTieBrokenBaseline(c) ? BASELINE_METHOD : c.method;
  return `${name}, the baseline: ${KEPT_BECAUSE[c.reason]}`;
}

/** The kept baseline as published: last-12-months with its ties broken by risk, which nobody would read as "the baseline". */
function isTieBrokenBaseline(c: ChosenMethod): boolean {
  return c.parts.length === 1 && c.parts[0] === TIE_BROKEN_BASELINE;
}

/** The margin a method had to clear, in words: one standard error, or the family-wise margin where larger. */
function noiseText(standardErrors: number): string {
  if (!Number.isFinite(standardErrors) || standardErrors <= 1 + 1e-9) return "one standard error of its month-to-month noise";
  return `${standardErrors.toFixed(2)} standard errors of its month-to-month noise (the margin for choosing the best of many methods)`;
}
