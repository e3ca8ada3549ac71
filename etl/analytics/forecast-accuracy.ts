import { cellsForAreaShare, rankCells } from "./cell-selection.ts";

/** Accuracy of one ranked forecast at one share of the study area. */
export interface ForecastAccuracy {
  /** Target share of the area, e.g. 0.01. */
  areaTarget: number;
  /** Share of the area actually selected (a/A) and the number of cells. */
  areaShare: number;
  cells: number;
  /** Incidents in the selected cells (n) and in the whole study area (N) in the forecast month. */
  hits: number;
  total: number;
  /** Hit rate n/N. */
  hitRate: number;
  /** Predictive accuracy index (n/N)/(a/A). */
  pai: number;
  /** PAI of a perfect forecast of as many cells: the cells of highest actual incidents per km². */
  paiMax: number;
  /** Predictive efficiency index PEI* = PAI / PAI_max, between 0 and 1. */
  pei: number;
}

/**
 * PAI, PEI* and hit rate of a ranking against the counts that followed [@chainey2008; @hunt2016;
 * @wheeler2021]:
 *
 *     hit rate = n / N          PAI = (n / N) / (a / A)          PEI* = PAI / PAI*
 *
 * n incidents fall in the selected cells of area a, N in the study area of area A. The selection is
 * the shortest prefix of the ranking reaching `areaTarget` of A (see `cellsForAreaShare`). PAI* is
 * Hunt's maximum attainable PAI: that of an oracle taking as many cells, those with the highest
 * actual density n_i / a_i (as `ptools::pai` of Wheeler & Steenbeek computes it), so PEI* = 1 means
 * no better choice of that many cells existed. With equal cell areas PEI* ≤ 1 exactly; H3 cells of one
 * resolution differ slightly in area, so PEI* can exceed 1 by a hair. With N = 0 every measure is NaN.
 * `order` may be the first cells of the ranking only, if they reach the area (see `cellsCovering`).
 * `oracleOrder` is densityRanking(actual, areas), when the caller has it already.
 */
export function forecastAccuracy(
  order: ArrayLike<number>,
  actual: ArrayLike<number>,
  areas: ArrayLike<number>,
  areaTarget: number,
  oracleOrder?: ArrayLike<number>,
): ForecastAccuracy {
  if (order.length > actual.length || areas.length !== actual.length) throw new RangeError("ranking, counts and areas differ in length");
  let total = 0;
  let totalArea = 0;
  for (let i = 0; i < actual.length; i++) {
    total += actual[i]!;
    totalArea += areas[i]!;
  }
  const capture = (ranking: ArrayLike<number>, k: number) => {
    let hits = 0;
    let area = 0;
    for (let r = 0; r < k; r++) {
      hits += actual[ranking[r]!]!;
      area += areas[ranking[r]!]!;
    }
    return { k, hits, share: area / totalArea };
  };
  const forecast = capture(order, cellsForAreaShare(order, areas, areaTarget));
  const oracle = capture(oracleOrder ?? densityRanking(actual, areas), forecast.k);
  const hitRate = total > 0 ? forecast.hits / total : Number.NaN;
  const pai = hitRate / forecast.share;
  const paiMax = (total > 0 ? oracle.hits / total : Number.NaN) / oracle.share;
  return { areaTarget, areaShare: forecast.share, cells: forecast.k, hits: forecast.hits, total, hitRate, pai, paiMax, pei: pai / paiMax };
}

/**
 * The oracle's ranking for forecastAccuracy: cells by actual incidents per km², highest first. It
 * depends only on the month, so a backtest computes it once per month for every method and share.
 */
export function densityRanking(actual: ArrayLike<number>, areas: ArrayLike<number>): Int32Array {
  return rankCells(Array.from(actual, (v, i) => v / areas[i]!));
}
