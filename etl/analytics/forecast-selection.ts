/** What the nested backtest chose for one forecast origin, and the evidence. */
export interface MethodSelection {
  /** Index of the chosen method in the list given. */
  chosen: number;
  /** Backtest months the choice rests on (months with incidents, all before the origin). */
  folds: number;
  /** The criterion of every method (NaN without evidence); the chosen one's is the highest. */
  criterion: Float64Array;
  /** The chosen method's criterion over the runner-up's, minus 1 (0 when nothing else competed). */
  marginOverRunnerUp: number;
  /** The chosen method's criterion over the baseline's, minus 1 (0 when the baseline is chosen). */
  gainOverBaseline: number;
  /** The eligible methods (at least the baseline at every share), best criterion first; the baseline alone without evidence. */
  ranked: number[];
  /** The methods the forecast combines: the first `combine` of `ranked`, or the baseline alone when it is chosen. */
  combination: number[];
  /** Why: "best in backtest", "baseline best in backtest", or "too little history". */
  reason: "best in backtest" | "baseline best in backtest" | "too little history";
}

export interface SelectionOptions {
  /** At most this many of the latest earlier backtest months are used (default 24). */
  window: number;
  /** With fewer earlier backtest months, the baseline is kept (default 6). */
  minFolds: number;
  /** The forecast combines this many of the best eligible methods (default 3; 1 = the best alone). */
  combine: number;
}

export const DEFAULT_SELECTION: SelectionOptions = { window: 24, minFolds: 6, combine: 3 };

/**
 * Chooses a forecasting method by its record over earlier months — the inner loop of a nested
 * rolling-origin evaluation [@tashman2000; @bergmeir2012]. `pai[m][s][f]` is method m's PAI at
 * decision share s (e.g. 1 % and 5 % of the area) in backtest month f; `folds` lists the months f the
 * choice may use, all before the origin being forecast (the caller guarantees this; nothing later is
 * read). Over the last `window` of them, the criterion of method m is its mean PAI relative to the
 * mean of all methods, averaged over the shares,
 *
 *     C_m = (1/S) Σ_s  mean_f PAI_msf / ((1/M) Σ_m' mean_f PAI_m'sf),
 *
 * so each share counts equally although PAI at 1 % is several times PAI at 5 %. The method of highest
 * C is chosen among those whose mean PAI is at least the baseline's at every share — unless none
 * strictly beats the baseline's C, or fewer than `minFolds` months exist, in which case the baseline
 * is kept: a method must earn its place against the naive forecast at every patrol-sized area.
 *
 * The forecast then averages the (sum-normalised) scores of the `combine` best eligible methods
 * (`combinedScores`) rather than trusting the single best: a winner picked from many close
 * candidates on a few dozen noisy months is partly luck, and a trimmed combination of the leaders
 * forecasts more steadily [@bates1969; @timmermann2006].
 */
export function selectByBacktest(pai: ReadonlyArray<ReadonlyArray<ArrayLike<number>>>, folds: readonly number[], baseline: number, options: SelectionOptions = DEFAULT_SELECTION): MethodSelection {
  const methods = pai.length;
  const used = folds.slice(Math.max(0, folds.length - options.window));
  const criterion = new Float64Array(methods).fill(Number.NaN);
  const keep = (reason: MethodSelection["reason"], ranked = [baseline]): MethodSelection => ({ chosen: baseline, folds: used.length, criterion, marginOverRunnerUp: 0, gainOverBaseline: 0, ranked, combination: [baseline], reason });
  if (used.length < options.minFolds) return keep("too little history");
  const shares = pai[baseline]!.length;
  const means = pai.map((byShare) => byShare.map((values) => used.reduce((sum, f) => sum + values[f]!, 0) / used.length));
  criterion.fill(0);
  let counted = 0;
  for (let s = 0; s < shares; s++) {
    const average = means.reduce((sum, m) => sum + m[s]!, 0) / methods;
    if (!(average > 0)) continue;
    counted++;
    for (let m = 0; m < methods; m++) criterion[m]! += means[m]![s]! / average;
  }
  if (counted === 0) return keep("too little history");
  for (let m = 0; m < methods; m++) criterion[m]! /= counted;
  // Eligible: at least the baseline's mean PAI at every share, so the choice never trades one share for another.
  const eligible = (m: number) => means[m]!.every((v, s) => v >= means[baseline]![s]!);
  let best = baseline;
  for (let m = 0; m < methods; m++) if (eligible(m) && criterion[m]! > criterion[best]!) best = m;
  let runnerUp = Number.NaN;
  for (let m = 0; m < methods; m++) if (m !== best && !(criterion[m]! <= runnerUp)) runnerUp = criterion[m]!;
  const marginOverRunnerUp = Number.isNaN(runnerUp) ? 0 : criterion[best]! / runnerUp - 1;
  const ranked = Array.from({ length: methods }, (_, m) => m).filter((m) => eligible(m) && criterion[m]! >= criterion[baseline]!).sort((a, b) => criterion[b]! - criterion[a]! || a - b);
  if (best === baseline) return { ...keep("baseline best in backtest"), marginOverRunnerUp };
  const combination = ranked.slice(0, Math.max(1, options.combine));
  return { chosen: best, folds: used.length, criterion, marginOverRunnerUp, gainOverBaseline: criterion[best]! / criterion[baseline]! - 1, ranked, combination, reason: "best in backtest" };
}
