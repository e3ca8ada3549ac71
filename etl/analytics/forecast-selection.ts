/** Why the forecast is what it is. */
export type SelectionReason = "best in backtest" | "baseline best in backtest" | "too little history";

/** What the nested backtest chose for one forecast origin, and the evidence. */
export interface MethodSelection {
  /** Index of the chosen method: the one furthest ahead of the baseline net of noise, or the baseline. */
  chosen: number;
  /** Backtest months the choice rests on (months with incidents, all before the origin). */
  folds: number;
  /**
   * Per method: the smaller over the decision shares of its mean PAI difference from the baseline,
   * less `standardErrors` standard errors of that mean, relative to the baseline's mean PAI (NaN
   * without evidence; 0 for the baseline). Positive = ahead of the baseline at every share by more
   * than the month-to-month noise of the difference.
   */
  criterion: Float64Array;
  /** The same per decision share (criterion = the minimum of these): `byShare[s][m]`. */
  byShare: Float64Array[];
  /** Per decision share, the chosen method's mean PAI over the baseline's, minus 1 (0s for the baseline). */
  gainByShare: number[];
  /** The smaller of `gainByShare`. */
  gainOverBaseline: number;
  /** The chosen method's criterion minus the best other's; for the baseline, how far the best challenger fell short (NaN without one). */
  marginOverRunnerUp: number;
  /** The best other method (for the baseline: the best challenger), or null. */
  runnerUp: number | null;
  /** The methods the forecast combines: up to `combine` with a positive criterion, best first; the baseline alone when none. */
  combination: number[];
  reason: SelectionReason;
}

export interface SelectionOptions {
  /** At most this many of the latest earlier backtest months are used (default 36). */
  window: number;
  /** With fewer earlier backtest months, the baseline is kept (default 6). */
  minFolds: number;
  /** The forecast combines up to this many methods that beat the baseline (default 1: the best alone). */
  combine: number;
  /** How many standard errors of the mean difference a method must beat the baseline by (default 1). */
  standardErrors: number;
}

/**
 * The defaults, none tuned on a data set's test months (`bench/forecast-datasets.ts` reports each data
 * set under them). `standardErrors` = 1 is the one-standard-error rule of model selection
 * [@breiman1984; @hastie2009, §7.10]: keep the simplest model (the naive baseline) unless another is
 * better by more than one standard error of the estimated difference. `window` = 36 months gives the
 * standard error about 35 degrees of freedom while letting the choice follow a pattern that changes
 * over years. `combine` = 1: the candidates chosen from are stacked forecasts (`selectable` in
 * rolling-backtest.ts), each already a combination with the baseline, and averaging several of them
 * lost more months to the baseline on the bench's data sets than the best alone (combine = 3, a
 * trimmed combination of the leaders [@timmermann2006], remains an option).
 */
export const DEFAULT_SELECTION: SelectionOptions = { window: 36, minFolds: 6, combine: 1, standardErrors: 1 };

/**
 * Chooses the forecasting method by its record over earlier months — the inner loop of a nested
 * rolling-origin evaluation [@tashman2000; @bergmeir2012]. `pai[m][s][f]` is method m's PAI at
 * decision share s (e.g. 1 % and 5 % of the area) in backtest month f; `folds` lists the months f the
 * choice may use, all before the origin being forecast (the caller guarantees this; nothing later is
 * read). Over the last `window` of them, per share s and method m, with d_f = PAI_msf − PAI_bsf the
 * paired difference from the baseline b [@diebold1995],
 *
 *     C_ms = (d̄ − κ · s_d / √n) / mean_f PAI_bsf,     C_m = min_s C_ms,     κ = standardErrors,
 *
 * the mean gain over the baseline less κ standard errors of it, relative to the baseline, at the
 * share where it is smallest (the baseline's C is 0). The method of highest C is chosen if C > 0,
 * else the baseline: a method must beat the naive forecast at every patrol-sized area by more than
 * its month-to-month noise — the one-standard-error rule [@breiman1984] — so that, among many close
 * candidates, luck in a few months does not replace a baseline that is as good. With fewer than
 * `minFolds` months, or a baseline of zero mean PAI, the baseline is kept.
 *
 * Only the methods listed in `eligible` (default all) may be chosen; the criterion is reported for
 * every method.
 *
 * One method (or combination) serves every share, because the published forecast is one ranking.
 * With `combine` > 1 it averages the (sum-normalised) scores of up to `combine` methods with C > 0,
 * best first (`combinedScores`), rather than trusting the single best [@bates1969; @timmermann2006].
 */
export function selectByBacktest(
  pai: ReadonlyArray<ReadonlyArray<ArrayLike<number>>>,
  folds: readonly number[],
  baseline: number,
  options: SelectionOptions = DEFAULT_SELECTION,
  eligible?: readonly number[],
): MethodSelection {
  const methods = pai.length;
  const shares = pai[baseline]!.length;
  const used = folds.slice(Math.max(0, folds.length - options.window));
  const n = used.length;
  const criterion = new Float64Array(methods).fill(Number.NaN);
  const byShare = Array.from({ length: shares }, () => new Float64Array(methods).fill(Number.NaN));
  const keep = (reason: SelectionReason, runnerUp: number | null = null): MethodSelection => ({
    chosen: baseline,
    folds: n,
    criterion,
    byShare,
    gainByShare: byShare.map(() => 0),
    gainOverBaseline: 0,
    marginOverRunnerUp: runnerUp === null ? Number.NaN : -criterion[runnerUp]!,
    runnerUp,
    combination: [baseline],
    reason,
  });
  if (n < options.minFolds) return keep("too little history");
  const gains = Array.from({ length: shares }, () => new Float64Array(methods));
  for (let s = 0; s < shares; s++) {
    const base = pai[baseline]![s]!;
    const baseMean = used.reduce((sum, f) => sum + base[f]!, 0) / n;
    if (!(baseMean > 0)) return keep("too little history");
    for (let m = 0; m < methods; m++) {
      const values = pai[m]![s]!;
      let sum = 0;
      for (const f of used) sum += values[f]! - base[f]!;
      const mean = sum / n;
      let squares = 0;
      for (const f of used) squares += (values[f]! - base[f]! - mean) ** 2;
      const standardError = Math.sqrt(squares / (n - 1) / n);
      byShare[s]![m] = m === baseline ? 0 : (mean - options.standardErrors * standardError) / baseMean;
      gains[s]![m] = mean / baseMean;
    }
  }
  for (let m = 0; m < methods; m++) criterion[m] = Math.min(...byShare.map((c) => c[m]!));
  const pool = new Set(eligible ?? Array.from({ length: methods }, (_, m) => m)).add(baseline);
  const ranked = Array.from({ length: methods }, (_, m) => m)
    .filter((m) => pool.has(m))
    .sort((a, b) => criterion[b]! - criterion[a]! || a - b);
  const challengers = ranked.filter((m) => m !== baseline);
  const best = challengers[0];
  if (best === undefined || !(criterion[best]! > 0)) return keep("baseline best in backtest", best ?? null);
  const runnerUp = ranked[1]!;
  const gainByShare = gains.map((g) => g[best]!);
  const combination = ranked.filter((m) => criterion[m]! > 0).slice(0, Math.max(1, options.combine));
  return {
    chosen: best,
    folds: n,
    criterion,
    byShare,
    gainByShare,
    gainOverBaseline: Math.min(...gainByShare),
    marginOverRunnerUp: criterion[best]! - criterion[runnerUp]!,
    runnerUp,
    combination,
    reason: "best in backtest",
  };
}
