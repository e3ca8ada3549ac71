import type { CellMonthGrid } from "./cell-month-grid.ts";
import { monthSlice } from "./cell-month-grid.ts";
import { cellsCovering, rankCells, sharedCellAreas } from "./cell-selection.ts";
import { densityRanking, forecastAccuracy, type ForecastAccuracy } from "./forecast-accuracy.ts";
import {
  BASELINE_METHOD,
  candidateScorer,
  candidatesNamed,
  forecastCandidates,
  scoringContext,
  SELECTABLE_FAMILIES,
  TIE_BROKEN_BASELINE,
  type ForecastCandidate,
} from "./forecast-candidates.ts";
import { DEFAULT_SELECTION, selectByBacktest, type MethodSelection, type SelectionOptions, type SelectionReason } from "./forecast-selection.ts";
import { caughtAlike, pairedComparison, type PairedComparison } from "./paired-comparison.ts";
import { DEFAULT_SCORING, type ScoringParameters } from "./patrol-scores.ts";
import type { BinaryWeights } from "./spatial-weights.ts";

export const DEFAULT_AREA_SHARES = [0.01, 0.05, 0.1] as const;
/** The area shares the method choice optimises (the patrol-sized ones). */
export const DECISION_SHARES = [0.01, 0.05] as const;
/** Patrol-sized selections: incidents captured by the top 10 and top 20 cells. */
export const TOP_CELLS = [10, 20] as const;
/** The pseudo-method whose forecast for each month is that of the method chosen from earlier months. */
export const SELECTED_METHOD = "selected";

/** One forecast month of the backtest, for one method and area share. */
export interface BacktestFold extends ForecastAccuracy {
  method: string;
  month: string;
  /** Incidents of the month in the method's top 10 and top 20 cells. */
  hitsTop10: number;
  hitsTop20: number;
  /** For "selected": the method chosen from the months before, its margin over the runner-up and gain over the baseline. */
  chosen: string | null;
  margin: number | null;
  gainOverBaseline: number | null;
}

/** A method's accuracy at one area share, over every fold with at least one incident. */
export interface BacktestSummary {
  method: string;
  areaTarget: number;
  folds: number;
  /** Means over folds of the per-month measures. */
  meanHitRate: number;
  meanPai: number;
  meanPei: number;
  /** Pooled over folds: Σn / ΣN, and that over the mean selected area share. */
  pooledHitRate: number;
  pooledPai: number;
  /** Mean PAI over the last 12 folds. */
  recentMeanPai: number;
  /** Mean incidents captured by the top 10 and top 20 cells. */
  meanHitsTop10: number;
  meanHitsTop20: number;
  /** PAI month by month against last-12-months over the same folds. */
  versusBaseline: PairedComparison;
}

export interface BacktestOptions {
  /** Method families or labels (see `forecastCandidates`); default all. last-12-months is always added. */
  methods: readonly string[];
  areaShares: readonly number[];
  /** Months of history required before the first forecast origin (default 12). */
  minHistory: number;
  parameters: ScoringParameters;
  selection: SelectionOptions;
}

export interface BacktestResult {
  candidates: ForecastCandidate[];
  folds: BacktestFold[];
  summary: BacktestSummary[];
  /** The choice for the month after the grid, from every backtest month. */
  next: ChosenMethod;
  /** The last month whose folds were taken from `stored` (null: none were, every fold computed). */
  reusedThrough?: string | null;
}

/** Folds of an earlier backtest on the first months of the grid, reused as they are (see rollingBacktest). */
export interface StoredFolds {
  /** The last month of the grid they were computed on: every fold of a month up to it is taken from `folds`. */
  through: string;
  folds: readonly BacktestFold[];
}

/** The evidence at one decision share for the chosen method (see `selectByBacktest`). */
export interface ShareEvidence {
  share: number;
  /** The chosen method's mean PAI over the baseline's in the selection window, minus 1 (0 for the baseline). */
  gainOverBaseline: number;
  /** Its criterion at this share (mean gain less the margin's standard errors, relative), and the runner-up's. */
  criterion: number;
  runnerUpCriterion: number;
}

/** A selection with the methods named. */
export interface ChosenMethod {
  /** The forecast's method: one label, or the combined labels joined by " + ". */
  method: string;
  /** The methods combined, best first (one for the baseline). */
  parts: string[];
  /** The best other method; when the baseline is chosen, the best challenger. */
  runnerUp: string | null;
  reason: SelectionReason;
  folds: number;
  /** Criterion of the chosen over the runner-up's (relative PAI); for the baseline, how far the best challenger fell short. */
  marginOverRunnerUp: number;
  /** The chosen method's mean PAI gain over the baseline at the decision share where it is smaller (0 for the baseline). */
  gainOverBaseline: number;
  /** The evidence per decision share (1 % and 5 % of the area). */
  byShare: ShareEvidence[];
  /** Standard errors a method had to beat the baseline by: 1, or the family-wise margin over the candidates where larger. */
  marginStandardErrors: number;
}

/**
 * Rolling-origin backtest with nested method selection [@tashman2000]: for every month T from
 * `minHistory` to the last month of the grid, each candidate ranks the cells using months < T only,
 * and the ranking is scored against the counts of T (PAI, PEI*, hit rate at each area share, and the
 * incidents captured by the top 10 and 20 cells; see `forecastAccuracy`). The pseudo-method
 * "selected" forecasts T with the candidates that `selectByBacktest` picks from the backtest months
 * before T (combined by `combinedScores`; where the baseline is kept, its ranking with ties broken by risk, `publishedMethods`) — the choice a user of the product would have had then — so its accuracy is honest
 * out-of-sample evidence of the whole procedure. Months with no incident are skipped.
 *
 * `stored`: the folds of an earlier backtest with the same candidates, shares and options on this
 * grid's months up to `stored.through` (same counts, same cells). Every fold, "selected" included,
 * depends only on the months up to its own (the scores on months before it, the choice on the folds
 * before it), so those folds are taken as they are and only the later ones computed: a month added
 * to the lake costs one fold per method, not the whole history (issue 19). The caller vouches that
 * they are that backtest's (backtest-lake.ts checks the fingerprints the manifest records); a fold
 * missing from them is refused. The last stored month is computed again as a check: where its folds
 * or its selection differ from the stored ones (the code changed since), nothing stored is used.
 */
export function rollingBacktest(grid: CellMonthGrid, weights: BinaryWeights, options: Partial<BacktestOptions> = {}, stored?: StoredFolds): BacktestResult {
  const candidates = candidateList(options.methods);
  const shares = options.areaShares ?? DEFAULT_AREA_SHARES;
  const minHistory = Math.max(1, options.minHistory ?? 12);
  const areas = sharedCellAreas(grid.cells);
  const context = scoringContext(grid, weights, options.parameters ?? DEFAULT_SCORING);
  const origins: number[] = [];
  for (let t = minHistory; t < grid.months.length; t++) if (monthSlice(grid, t).some((v) => v > 0)) origins.push(t);
  const kept = storedLookup(stored, origins, grid.months, [...candidates.map((c) => c.method), SELECTED_METHOD], shares);
  // The last stored origin is computed afresh too, to check the stored folds against this code (see below).
  const check = kept.size > 0 ? Math.max(...kept.keys()) : -1;
  const oracles = origins.map((t) => (kept.has(t) && t !== check ? undefined : densityRanking(monthSlice(grid, t), areas)));
  // Only the cells that can matter are ranked: those covering the largest share, and the top 20.
  const limit = Math.max(cellsCovering(areas, Math.max(...shares)), ...TOP_CELLS);
  let mismatch = false;
  const byCandidate: BacktestFold[][] = candidates.map((c) => {
    const score = candidateScorer(c, context);
    const compute = (t: number, f: number): BacktestFold[] => {
      const actual = monthSlice(grid, t);
      const { score: s, tieBreak } = score(t);
      const order = rankCells(s, tieBreak, limit);
      const top = TOP_CELLS.map((k) => captured(order, actual, k));
      return shares.map((share) => ({
        method: c.method,
        month: grid.months[t]!,
        ...forecastAccuracy(order, actual, areas, share, oracles[f]),
        hitsTop10: top[0]!,
        hitsTop20: top[1]!,
        chosen: null,
        margin: null,
        gainOverBaseline: null,
      }));
    };
    return origins.flatMap((t, f) => {
      if (!kept.has(t)) return compute(t, f);
      const folds = kept.get(t)!(c.method);
      if (t === check && !sameFolds(folds, compute(t, f))) mismatch = true;
      return folds;
    });
  });
  // Stored folds that this code does not reproduce (a method's formula changed since they were
  // computed, say) are not reused: the whole backtest is computed afresh.
  if (mismatch) return rollingBacktest(grid, weights, options);
  const decision = decisionShares(shares);
  const evidence = evidenceOf(byCandidate, decision);
  const baseline = candidates.findIndex((c) => c.method === BASELINE_METHOD);
  const eligible = selectable(candidates);
  const choose = (f: number) => {
    const choice = selectByBacktest(evidence, range(f), baseline, options.selection ?? DEFAULT_SELECTION, eligible);
    return { ...choice, combination: publishedMethods(choice, candidates) };
  };
  const scorers = candidates.map((c) => candidateScorer(c, context));
  if (check >= 0) {
    // The selection of the last stored month, made again from the folds before it: another choice is another selection rule.
    const f = origins.indexOf(check);
    const choice = choose(f);
    const [fold] = kept.get(check)!(SELECTED_METHOD);
    const same = (a: number | null, b: number | null) => (a === null || !Number.isFinite(a) ? b === null || !Number.isFinite(b) : a === b);
    if (fold!.chosen !== choice.combination.map((m) => candidates[m]!.method).join(" + ") || !same(fold!.margin, choice.marginOverRunnerUp))
      return rollingBacktest(grid, weights, options);
  }
  const selected = origins.flatMap((t, f) => {
    if (kept.has(t)) return kept.get(t)!(SELECTED_METHOD);
    const choice = choose(f);
    const extra = {
      method: SELECTED_METHOD,
      chosen: choice.combination.map((m) => candidates[m]!.method).join(" + "),
      margin: choice.marginOverRunnerUp,
      gainOverBaseline: choice.gainOverBaseline,
    };
    if (choice.combination.length === 1)
      return byCandidate[choice.combination[0]!]!.slice(f * shares.length, (f + 1) * shares.length).map((fold) => ({ ...fold, ...extra }));
    const { score, tieBreak } = combinedScores(choice.combination.map((m) => scorers[m]!(t)));
    const actual = monthSlice(grid, t);
    const order = rankCells(score, tieBreak, limit);
    const top = TOP_CELLS.map((k) => captured(order, actual, k));
    return shares.map((share) => ({
      month: grid.months[t]!,
      ...forecastAccuracy(order, actual, areas, share, oracles[f]),
      hitsTop10: top[0]!,
      hitsTop20: top[1]!,
      ...extra,
    }));
  });
  const folds = [...byCandidate.flat(), ...selected];
  return {
    candidates,
    folds,
    summary: summarise(folds, [...candidates.map((c) => c.method), SELECTED_METHOD], shares),
    next: named(choose(origins.length), candidates, decision),
    reusedThrough: kept.size > 0 ? grid.months[check]! : null,
  };
}

/** True when two folds of one method and month agree in every measure (NaN agreeing with NaN: a stored non-finite value reads back as NaN). */
function sameFolds(a: readonly BacktestFold[], b: readonly BacktestFold[]): boolean {
  const keys = ["areaTarget", "areaShare", "cells", "hits", "total", "hitRate", "pai", "paiMax", "pei", "hitsTop10", "hitsTop20"] as const;
  const same = (x: number, y: number) => x === y || (!Number.isFinite(x) && !Number.isFinite(y));
  return a.length === b.length && a.every((fold, i) => keys.every((k) => same(fold[k], b[i]![k])));
}

/** The decision shares among the backtested ones (1 % and 5 % of the area), or the first share alone. */
function decisionShares(shares: readonly number[]): number[] {
  const decision = DECISION_SHARES.filter((s) => shares.includes(s));
  return decision.length > 0 ? decision : [shares[0]!];
}

/** The selection with method labels instead of indices, and its evidence per decision share. */
function named(choice: MethodSelection, candidates: readonly ForecastCandidate[], decision: readonly number[]): ChosenMethod {
  const label = (m: number) => candidates[m]!.method;
  return {
    method: choice.combination.map(label).join(" + "),
    parts: choice.combination.map(label),
    runnerUp: choice.runnerUp === null ? null : label(choice.runnerUp),
    reason: choice.reason,
    folds: choice.folds,
    marginOverRunnerUp: choice.marginOverRunnerUp,
    gainOverBaseline: choice.gainOverBaseline,
    byShare: decision.map((share, s) => ({
      share,
      gainOverBaseline: choice.gainByShare[s]!,
      criterion: choice.byShare[s]![choice.chosen]!,
      runnerUpCriterion: choice.runnerUp === null ? Number.NaN : choice.byShare[s]![choice.runnerUp]!,
    })),
    marginStandardErrors: choice.margin,
  };
}

/**
 * The candidates the selection may publish: the forecasts stacked on the baseline ("stacked", which
 * keep its ranking as an anchor) and the other `SELECTABLE_FAMILIES` when any stacked forecast is
 * backtested, else every candidate. On the bundled and real
 * data sets (bench/forecast-datasets.ts), free choice among all 27 unanchored methods lost to the
 * baseline over the last 12 months on three of eight, because a method ahead over the previous three
 * years is often behind over the next: stacking shrinks each choice towards the baseline
 * [@breiman1996; @wolpert1992]. The unanchored methods stay in the backtest as evidence.
 */
export function selectable(candidates: readonly ForecastCandidate[]): number[] | undefined {
  if (!candidates.some((c) => c.family === "stacked")) return undefined;
  return candidates.flatMap((c, m) => (SELECTABLE_FAMILIES.includes(c.family) ? [m] : []));
}

/**
 * The candidates a selection's forecast is made of: its combination, except that where it keeps the
 * baseline alone (no method ahead by more than the margin, or too little history), the baseline's
 * ranking is published with its ties broken by risk (`TIE_BROKEN_BASELINE`) when that candidate is
 * among `candidates`, instead of by cell id. The choice and its evidence are unchanged: the baseline
 * is still what was kept (reason, criterion and margins say so); only its arbitrary order within
 * ties is replaced. On the bench's 16 figures (bench/forecast-datasets.ts) this raised the figures
 * strictly above the baseline over the last 12 months from 13 to 15 and lost none.
 */
export function publishedMethods(choice: Pick<MethodSelection, "combination">, candidates: ReadonlyArray<{ method: string }>): number[] {
  const baseline = candidates.findIndex((c) => c.method === BASELINE_METHOD);
  const tieBroken = candidates.findIndex((c) => c.method === TIE_BROKEN_BASELINE);
  return choice.combination.length === 1 && choice.combination[0] === baseline && tieBroken >= 0 ? [tieBroken] : [...choice.combination];
}

/** The candidates of `names` (default all), with the baseline always among them. */
export function candidateList(names?: readonly string[]): ForecastCandidate[] {
  const list = names === undefined ? forecastCandidates() : candidatesNamed(names);
  return list.some((c) => c.method === BASELINE_METHOD) ? list : [...list, ...candidatesNamed([BASELINE_METHOD])];
}

/** The evidence `selectByBacktest` weighs: per candidate and decision share, the PAI series over the folds. */
function evidenceOf(byCandidate: readonly BacktestFold[][], decision: readonly number[]): Float64Array[][] {
  return byCandidate.map((rows) =>
    decision.map((share) =>
      Float64Array.from(
        rows.filter((r) => r.areaTarget === share),
        (r) => r.pai,
      ),
    ),
  );
}

/**
 * The mean of the methods' scores, each scaled to sum 1 over the cells (an equal-weight forecast
 * combination [@bates1969]); ties by the first method's tie-break. One method's scores are returned
 * as they are.
 */
export function combinedScores(parts: ReadonlyArray<{ score: Float64Array; tieBreak: Float64Array | null }>): {
  score: Float64Array;
  tieBreak: Float64Array | null;
} {
  if (parts.length === 1) return parts[0]!;
  const n = parts[0]!.score.length;
  const score = new Float64Array(n);
  for (const part of parts) {
    let total = 0;
    for (let i = 0; i < n; i++) if (Number.isFinite(part.score[i]!)) total += part.score[i]!;
    if (total > 0) for (let i = 0; i < n; i++) if (Number.isFinite(part.score[i]!)) score[i]! += part.score[i]! / total / parts.length;
  }
  return { score, tieBreak: parts.find((p) => p.tieBreak !== null)?.tieBreak ?? null };
}

function captured(order: Int32Array, actual: ArrayLike<number>, k: number): number {
  let hits = 0;
  for (let r = 0; r < Math.min(k, order.length); r++) hits += actual[order[r]!]!;
  return hits;
}

/**
 * Per origin covered by `stored` (month ≤ through), the stored folds of a method at every share in
 * the order of `shares`. Refuses stored folds that do not cover exactly those origins, methods and
 * shares: they would come from another backtest than the one asked for.
 */
function storedLookup(
  stored: StoredFolds | undefined,
  origins: readonly number[],
  months: readonly string[],
  methods: readonly string[],
  shares: readonly number[],
): Map<number, (method: string) => BacktestFold[]> {
  const out = new Map<number, (method: string) => BacktestFold[]>();
  if (stored === undefined) return out;
  const key = (method: string, month: string, share: number) => `${method}\n${month}\n${share}`;
  const byKey = new Map(stored.folds.map((f) => [key(f.method, f.month, f.areaTarget), f]));
  let used = 0;
  for (const t of origins) {
    const month = months[t]!;
    if (month > stored.through) continue;
    const folds = new Map(
      methods.map((method) => [
        method,
        shares.map((share) => {
          const fold = byKey.get(key(method, month, share));
          if (!fold) throw new Error(`the stored backtest folds have no ${method} fold for ${month} at area share ${share}: run the backtest in full instead`);
          return fold;
        }),
      ]),
    );
    used += methods.length * shares.length;
    out.set(t, (method) => folds.get(method)!);
  }
  if (used !== stored.folds.length)
    throw new Error(
      `the stored backtest has ${stored.folds.length} folds up to ${stored.through}, this grid's origins, methods and shares need ${used}: run the backtest in full instead`,
    );
  return out;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function summarise(folds: readonly BacktestFold[], methods: readonly string[], shares: readonly number[]): BacktestSummary[] {
  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  // The folds of each method and share in their order, grouped once (a filter per pair read every fold 300 times).
  const groups = new Map<string, BacktestFold[]>();
  for (const fold of folds) {
    const key = `${fold.method}\n${fold.areaTarget}`;
    const group = groups.get(key);
    if (group) group.push(fold);
    else groups.set(key, [fold]);
  }
  const of = (method: string, areaTarget: number) => groups.get(`${method}\n${areaTarget}`) ?? [];
  return methods.flatMap((method) =>
    shares.map((areaTarget) => {
      const f = of(method, areaTarget);
      const reference = of(BASELINE_METHOD, areaTarget);
      const hits = f.reduce((s, x) => s + x.hits, 0);
      const total = f.reduce((s, x) => s + x.total, 0);
      return {
        method,
        areaTarget,
        folds: f.length,
        meanHitRate: mean(f.map((x) => x.hitRate)),
        meanPai: mean(f.map((x) => x.pai)),
        meanPei: mean(f.map((x) => x.pei)),
        pooledHitRate: hits / total,
        pooledPai: hits / total / mean(f.map((x) => x.areaShare)),
        recentMeanPai: mean(f.slice(-12).map((x) => x.pai)),
        meanHitsTop10: mean(f.map((x) => x.hitsTop10)),
        meanHitsTop20: mean(f.map((x) => x.hitsTop20)),
        // A month whose selections caught as many incidents in as many cells is a tie: the PAIs differ by cell areas only.
        versusBaseline: pairedComparison(
          f.map((x) => x.pai),
          reference.map((x) => x.pai),
          0.95,
          f.map((x, i) => caughtAlike(x, reference[i])),
        ),
      };
    }),
  );
}
