import type { CellMonthGrid } from "./cell-month-grid.ts";
import { monthSlice } from "./cell-month-grid.ts";
import { getisOrdZ } from "./getis-ord.ts";
import type { BinaryWeights } from "./spatial-weights.ts";

/** Scoring methods for next-month patrol priorities; the last two are the baselines. */
export const SCORING_METHODS = ["ewma-ring", "gi-star-mean", "last-month", "last-12-months"] as const;
export type ScoringMethod = (typeof SCORING_METHODS)[number];

export interface ScoringParameters {
  /** Months of history a score looks at (default 12). */
  window: number;
  /** Half-life in months of the exponential weights of "ewma-ring" (default 3). */
  halfLife: number;
  /** Weight of each ring neighbour's counts relative to the cell's own in "ewma-ring" (default 0.5). */
  ringWeight: number;
}

export const DEFAULT_SCORING: ScoringParameters = { window: 12, halfLife: 3, ringWeight: 0.5 };

/** A method's scores for one month, and what breaks ties among equal scores (before the cell id). */
export interface CellScores {
  score: Float64Array;
  /** For the smoothed methods, the cell's own count over the window; null for the baselines. */
  tieBreak: Float64Array | null;
}

/**
 * A scorer for one method over a grid: `score(origin)` rates every cell for month index `origin`
 * using only months before it (origin may equal the number of months: the month after the grid).
 * Higher is more urgent. The methods, with c_j(s) the count of cell j in month s, T the origin,
 * W the window and N_k(i) the k-ring of i within the study area (i included):
 *
 * - "ewma-ring": e_i + ρ Σ_{j∈N_k(i), j≠i} e_j with e_j = Σ_{l=1..W} λ^{l−1} c_j(T−l),
 *   λ = 2^(−1/halfLife), ρ = ringWeight — recent counts, exponentially down-weighted with age
 *   [@brown1959] and spread at a lower weight to the ring, in the spirit of prospective hot-spotting
 *   [@bowers2004; @johnson2009], where risk spreads to near neighbours.
 * - "gi-star-mean": the mean of the cell's monthly Gi* z-scores over the last W months (months with
 *   undefined Gi* skipped) — how consistently the cell sat in a hot spot [@getis1992].
 * - "last-month": c_i(T−1); "last-12-months": Σ_{l=1..12} c_i(T−l) — naive baselines.
 *
 * Cells with no usable history score NaN and rank last. The smoothed methods give neighbouring cells
 * nearly equal scores, so their ties are broken by the cell's own count over the window.
 */
export function scorer(
  method: ScoringMethod,
  grid: CellMonthGrid,
  weights: BinaryWeights,
  parameters: ScoringParameters = DEFAULT_SCORING,
): (origin: number) => CellScores {
  const n = grid.cells.length;
  const steps = grid.months.length;
  const check = (origin: number) => {
    if (!Number.isInteger(origin) || origin < 1 || origin > steps) throw new RangeError(`origin ${origin} needs at least one earlier month in 0..${steps - 1}`);
  };
  const sumPast = (origin: number, window: number, weightOf: (lag: number) => number) => {
    const out = new Float64Array(n);
    for (let lag = 1; lag <= window && origin - lag >= 0; lag++) {
      const counts = monthSlice(grid, origin - lag);
      const w = weightOf(lag);
      for (let i = 0; i < n; i++) out[i]! += w * counts[i]!;
    }
    return out;
  };
  switch (method) {
    case "last-month":
      return (origin) => (check(origin), { score: sumPast(origin, 1, () => 1), tieBreak: null });
    case "last-12-months":
      return (origin) => (check(origin), { score: sumPast(origin, 12, () => 1), tieBreak: null });
    case "ewma-ring": {
      const lambda = 2 ** (-1 / parameters.halfLife);
      return (origin) => {
        check(origin);
        const own = sumPast(origin, parameters.window, (lag) => lambda ** (lag - 1));
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          for (let e = weights.offsets[i]!; e < weights.offsets[i + 1]!; e++) {
            const j = weights.neighbours[e]!;
            out[i]! += (j === i ? 1 : parameters.ringWeight) * own[j]!;
          }
        }
        return { score: out, tieBreak: sumPast(origin, parameters.window, () => 1) };
      };
    }
    case "gi-star-mean": {
      // Each month's z when first needed: a score reads the W months before its origin, and a backtest
      // that reuses its earlier folds scores two or three origins, not every month of the history.
      const z: Array<Float64Array | undefined> = new Array(steps);
      return (origin) => {
        check(origin);
        // The window's months, latest first (the order the mean adds them in).
        const past: Float64Array[] = [];
        for (let lag = 1; lag <= parameters.window && origin - lag >= 0; lag++)
          past.push((z[origin - lag] ??= getisOrdZ(monthSlice(grid, origin - lag), weights)));
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          let sum = 0;
          let m = 0;
          for (const month of past) {
            const v = month[i]!;
            if (Number.isFinite(v)) {
              sum += v;
              m++;
            }
          }
          out[i] = m > 0 ? sum / m : Number.NaN;
        }
        return { score: out, tieBreak: sumPast(origin, parameters.window, () => 1) };
      };
    }
  }
}
