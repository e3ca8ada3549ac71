import type { CellMonthGrid } from "./cell-month-grid.ts";
import { monthSlice } from "./cell-month-grid.ts";
import { cellAreasKm2, rankCells } from "./cell-selection.ts";
import { densityRanking, forecastAccuracy, type ForecastAccuracy } from "./forecast-accuracy.ts";
import { DEFAULT_SCORING, scorer, type ScoringMethod, type ScoringParameters } from "./patrol-scores.ts";
import type { BinaryWeights } from "./spatial-weights.ts";

export const DEFAULT_AREA_SHARES = [0.01, 0.05, 0.1] as const;

/** One forecast month of the backtest, for one method and area share. */
export interface BacktestFold extends ForecastAccuracy {
  method: ScoringMethod;
  month: string;
}

/** A method's accuracy at one area share, over every fold with at least one incident. */
export interface BacktestSummary {
  method: ScoringMethod;
  areaTarget: number;
  folds: number;
  /** Means over folds of the per-month measures. */
  meanHitRate: number;
  meanPai: number;
  meanPei: number;
  /** Pooled over folds: Σn / ΣN, and that over the mean selected area share. */
  pooledHitRate: number;
  pooledPai: number;
}

export interface BacktestOptions {
  methods: readonly ScoringMethod[];
  areaShares: readonly number[];
  /** Months of history required before the first forecast origin (default 12). */
  minHistory: number;
  parameters: ScoringParameters;
}

/**
 * Rolling-origin backtest [@tashman2000]: for every month T from `minHistory` to the last month of
 * the grid, each method ranks the cells using months < T only, and the ranking is scored against
 * the counts of T at each area share (PAI, PEI*, hit rate; see `forecastAccuracy`). The forecast is
 * always one month ahead, the horizon patrol planning uses. Months with no incident are skipped.
 */
export function rollingBacktest(grid: CellMonthGrid, weights: BinaryWeights, options: Partial<BacktestOptions> = {}): { folds: BacktestFold[]; summary: BacktestSummary[] } {
  const methods = options.methods ?? (["ewma-ring", "gi-star-mean", "last-month", "last-12-months"] as const);
  const shares = options.areaShares ?? DEFAULT_AREA_SHARES;
  const minHistory = options.minHistory ?? 12;
  const areas = cellAreasKm2(grid.cells);
  const folds: BacktestFold[] = [];
  // The oracle's ranking of a month is the same for every method and share: computed once.
  const oracles = new Map<number, Int32Array>();
  for (const method of methods) {
    const score = scorer(method, grid, weights, options.parameters ?? DEFAULT_SCORING);
    for (let t = Math.max(1, minHistory); t < grid.months.length; t++) {
      const actual = monthSlice(grid, t);
      if (actual.every((v) => v === 0)) continue;
      const { score: s, tieBreak } = score(t);
      const order = rankCells(s, tieBreak);
      let oracle = oracles.get(t);
      if (!oracle) oracles.set(t, (oracle = densityRanking(actual, areas)));
      for (const share of shares) folds.push({ method, month: grid.months[t]!, ...forecastAccuracy(order, actual, areas, share, oracle) });
    }
  }
  return { folds, summary: summarise(folds, methods, shares) };
}

function summarise(folds: readonly BacktestFold[], methods: readonly ScoringMethod[], shares: readonly number[]): BacktestSummary[] {
  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  return methods.flatMap((method) =>
    shares.map((areaTarget) => {
      const f = folds.filter((x) => x.method === method && x.areaTarget === areaTarget);
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
      };
    }),
  );
}
