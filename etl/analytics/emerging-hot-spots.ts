import type { CellMonthGrid } from "./cell-month-grid.ts";
import { monthSlice } from "./cell-month-grid.ts";
import { confidenceBins, confidenceBinsFdr } from "./confidence-bins.ts";
import { classifyEmerging, classifyWithTrend, zTrend, type EmergingCategory, type EmergingResult } from "./emerging-categories.ts";
import { groupRanks, spaceTimeBins, spaceTimeGiStar, type SpaceTimeGiStar } from "./emerging-space-time.ts";
import { getisOrdZ } from "./getis-ord.ts";
import { DEFAULT_INFERENCE, type HotSpotInference } from "./gi-star-permutation.ts";
import { RankSeriesMannKendall, type MannKendallResult } from "./mann-kendall.ts";
import { exactGiStar, giStarComparator } from "./gi-star-exact.ts";
import { FRESH_ARRAYS, type ScratchArrays } from "./scratch-arrays.ts";
import { spaceTimeWeights } from "./space-time-weights.ts";
import type { BinaryWeights } from "./spatial-weights.ts";

/** How the Gi* series behind the classification is computed. */
export interface EmergingOptions {
  /**
   * A number t ≥ 0 (default 1, as ArcGIS): space-time Gi* over the whole cube, each bin's
   * neighbourhood being its k-ring in the same month and in the t previous months — ArcGIS
   * "Neighborhood Time Step" t, which counts previous steps only ("the bins at the same location in
   * the previous N time steps"); t = 0 is the k-ring of the same month, compared with the whole cube.
   * null: Gi* of each month on its own (spatial neighbourhood, that month's mean and spread).
   */
  timeWindow: number | null;
  /** Apply Benjamini–Hochberg FDR to the bins (per month, or over the whole cube in space-time mode). */
  fdr: boolean;
  /** Smallest |Gi_Bin| that counts as a significant hot / cold spot: 1, 2 or 3 (90/95/99 %). */
  minBin: 1 | 2 | 3;
  /** Level of the two-sided Mann-Kendall trend test. */
  trendAlpha: number;
  /**
   * How the bins' p-values are obtained in space-time mode with whole-number counts (default
   * DEFAULT_INFERENCE: conditional permutation, seeded; see spaceTimeGiStar). The monthly mode and
   * counts that are not whole numbers keep the normal approximation.
   */
  inference?: HotSpotInference;
}

/** ArcGIS Emerging Hot Spot Analysis defaults: space-time Gi*, neighbourhood time step 1, FDR on. */
export const DEFAULT_EMERGING_OPTIONS: EmergingOptions = { timeWindow: 1, fdr: true, minBin: 2, trendAlpha: 0.05, inference: DEFAULT_INFERENCE };

/** Per cell of the grid: its emerging category and the evidence for it. */
export interface EmergingHotSpots {
  category: EmergingCategory[];
  hotSteps: Int32Array;
  coldSteps: Int32Array;
  trendZ: Float64Array;
  trendP: Float64Array;
  /** Gi* z and bin of the final month. */
  finalZ: Float64Array;
  finalBin: Int8Array;
  /** The confidence bin of every cell and month (month-major, as the grid's counts), after FDR when asked. */
  bins: Int8Array;
}

/**
 * Emerging hot-spot analysis over a cell × month grid [@esri-ehsa]: Gi* z-scores and confidence bins
 * for every cell and month (zeros included), then per cell the Mann-Kendall trend of its z-series and
 * the pattern of `classifyEmerging`. Months in which no incident occurred have undefined Gi* in the
 * monthly mode; they count as not significant. In space-time mode with whole-number counts the cube's
 * Gi* is computed by groups of bins (spaceTimeGiStar), its bins tested by conditional permutation
 * (options.inference), and classified by emergingOfSpaceTime; other grids bin by bin with the normal
 * approximation, `cube` building the space-time weights (a caller classifying several grids of the
 * same cells and months passes one that builds them once). With the same inference both routes give
 * the same bits.
 */
export function emergingHotSpots(
  grid: CellMonthGrid,
  weights: BinaryWeights,
  options: EmergingOptions = DEFAULT_EMERGING_OPTIONS,
  cube: typeof spaceTimeWeights = spaceTimeWeights,
): EmergingHotSpots {
  return emergingWithCube(grid, weights, options, cube).result;
}

/**
 * What a cube's trend tests leave for the next month (see emergingOfSpaceTime): per cell, the part of
 * its Mann-Kendall S made of pairs of months that both lie at or after the time window (t ≥ window),
 * over the first `months` months.
 */
export interface TrendTail {
  months: number;
  tail: Int32Array;
}

/**
 * emergingHotSpots with the grouped cube it was computed from (null where it took the per-bin route;
 * its neighbourhood sums are the ring rule's counts) and the trend tails of its cells (null where
 * they cannot be carried: see emergingOfSpaceTime). `previous`, the tails of a grid whose first
 * months are this grid's first months with every other input the same (the caller vouches for it,
 * see emerging-state-store.ts), spares the trend tests most of their pairs. The cube's per-bin arrays
 * (the grouped cube's, the result's `bins`) come from `arrays` (see spaceTimeGiStar).
 */
export function emergingWithCube(
  grid: CellMonthGrid,
  weights: BinaryWeights,
  options: EmergingOptions = DEFAULT_EMERGING_OPTIONS,
  cube: typeof spaceTimeWeights = spaceTimeWeights,
  previous: TrendTail | null = null,
  arrays: Pick<ScratchArrays, "float64" | "int32" | "int8"> = FRESH_ARRAYS,
): { result: EmergingHotSpots; grouped: SpaceTimeGiStar | null; tails: TrendTail | null } {
  const cells = grid.cells.length;
  const steps = grid.months.length;
  if (weights.n !== cells) throw new RangeError(`the weights have ${weights.n} units but the grid ${cells} cells`);
  if (options.timeWindow !== null && steps > 0) {
    const grouped = spaceTimeGiStar(grid.counts, weights, steps, options.timeWindow, options.fdr, arrays, options.inference ?? DEFAULT_INFERENCE);
    if (grouped) return { ...emergingWithTails(cells, steps, grouped, options, options.timeWindow, previous, arrays), grouped };
  }
  return { result: emergingByBin(grid, weights, options, cube), grouped: null, tails: null };
}

/**
 * The classification of every cell from a cube's grouped space-time Gi* (see spaceTimeGiStar): each
 * cell's series of its bins' group ranks (groupRanks) for the Mann-Kendall test — the same pairs and
 * ties as its z-series, counted without a sort (RankSeriesMannKendall) — and its bins' significance
 * for the patterns.
 */
export function emergingOfSpaceTime(cells: number, steps: number, st: SpaceTimeGiStar, options: EmergingOptions): EmergingHotSpots {
  return emergingWithTails(cells, steps, st, options, options.timeWindow ?? 0, null, FRESH_ARRAYS).result;
}

/**
 * emergingOfSpaceTime, and each cell's trend tail (TrendTail) for the next month's run.
 *
 * Why a tail carries over: a bin's z is (L − x̄W)/(S·spread(W)), and every month t ≥ window of a cell
 * has the same W (its ring × (window + 1)), so between two such months the z-order is the order of
 * their neighbourhood sums L — which a new month changes neither for old months (the window looks
 * back only) nor by moving x̄, S and n. Their pairs' signs in S stay; only pairs with a month before
 * the window (another W: the order can turn with x̄) and pairs with the new months are counted again,
 * O(months) a cell instead of the Fenwick tree's O(months · log groups). S is a whole number and the
 * ties are counted from the ranks as before, so the test's every bit is test()'s (tests check it).
 * Carried only where every z is finite and has its exact form (the order of equal-W groups is then
 * exactly that of L), and `previous` covers at least the window's months; otherwise the full tests.
 */
function emergingWithTails(
  cells: number,
  steps: number,
  st: SpaceTimeGiStar,
  options: EmergingOptions,
  window: number,
  previous: TrendTail | null,
  arrays: Pick<ScratchArrays, "int8">,
): { result: EmergingHotSpots; tails: TrendTail | null } {
  const rank = groupRanks(st);
  const trend = new RankSeriesMannKendall(st.z.length);
  const result = emptyResult(cells, spaceTimeBins(st, arrays));
  const ranks = new Float64Array(steps);
  const zSeries = new Float64Array(steps);
  const significance = new Int8Array(steps);
  const carried = st.exact !== null && st.z.every(Number.isFinite) && steps > window;
  const tail = carried ? new Int32Array(cells) : null;
  const from = carried && previous && previous.tail.length === cells && previous.months > window && previous.months <= steps ? previous.months : -1;
  for (let i = 0; i < cells; i++) {
    for (let t = 0; t < steps; t++) {
      const g = st.group[t * cells + i]!;
      ranks[t] = rank[g]!;
      zSeries[t] = st.z[g]!;
      const bin = st.bin[g]!;
      significance[t] = Math.abs(bin) >= options.minBin ? Math.sign(bin) : 0;
    }
    let test: MannKendallResult;
    if (tail) {
      const head = headPairs(ranks, window);
      if (from >= 0) {
        tail[i] = previous!.tail[i]! + newPairs(ranks, window, from);
        test = trend.testKnownS(ranks, tail[i]! + head);
      } else {
        test = trend.test(ranks);
        tail[i] = test.s - head;
      }
    } else test = trend.test(ranks);
    // S from the ranks (or the tail), its variance corrected from the z-series itself.
    test = zTrend(zSeries, test, window);
    const last = st.group[(steps - 1) * cells + i]!;
    record(result, i, classifyWithTrend(significance, test, options.trendAlpha), st.z[last]!, st.bin[last]!);
  }
  return { result, tails: tail ? { months: steps, tail } : null };
}

/** Σ sgn(r_t − r_s) over the pairs s < t whose first month lies before the window (s < window). */
function headPairs(ranks: Float64Array, window: number): number {
  let s = 0;
  for (let a = 0; a < window; a++) {
    const r = ranks[a]!;
    for (let t = a + 1; t < ranks.length; t++) s += r < ranks[t]! ? 1 : r > ranks[t]! ? -1 : 0;
  }
  return s;
}

/** Σ sgn(r_j − r_t) over the pairs window ≤ t < j whose later month is new (j ≥ from). */
function newPairs(ranks: Float64Array, window: number, from: number): number {
  let s = 0;
  for (let j = from; j < ranks.length; j++) {
    const r = ranks[j]!;
    for (let t = window; t < j; t++) s += r > ranks[t]! ? 1 : r < ranks[t]! ? -1 : 0;
  }
  return s;
}

/** emergingHotSpots bin by bin: getisOrdZ per month or over the cube's space-time weights, the trend test with the exact comparator. */
function emergingByBin(grid: CellMonthGrid, weights: BinaryWeights, options: EmergingOptions, cube: typeof spaceTimeWeights): EmergingHotSpots {
  const cells = grid.cells.length;
  const steps = grid.months.length;
  const z = new Float64Array(cells * steps);
  const bins = new Int8Array(cells * steps);
  const binOf = options.fdr ? confidenceBinsFdr : confidenceBins;
  // The exact form of every z, so that the trend test sees ties that floating point splits.
  const spaceTime = options.timeWindow !== null && steps > 0 ? cube(weights, steps, options.timeWindow) : null;
  const exact = steps > 0 ? exactGiStar(grid.counts, spaceTime ?? weights) : null;
  if (options.timeWindow === null) {
    for (let t = 0; t < steps; t++) {
      const zt = getisOrdZ(monthSlice(grid, t), weights);
      z.set(zt, t * cells);
      bins.set(binOf(zt), t * cells);
    }
  } else if (spaceTime) {
    z.set(getisOrdZ(grid.counts, spaceTime));
    bins.set(binOf(z));
  }
  const result = emptyResult(cells, bins);
  const zSeries = new Float64Array(steps);
  const significance = new Int8Array(steps);
  for (let i = 0; i < cells; i++) {
    const compare = giStarComparator(z, exact, (t) => t * cells + i);
    for (let t = 0; t < steps; t++) {
      zSeries[t] = z[t * cells + i]!;
      const bin = bins[t * cells + i]!;
      significance[t] = Math.abs(bin) >= options.minBin ? Math.sign(bin) : 0;
    }
    const r = classifyEmerging(zSeries, significance, options.trendAlpha, compare, options.timeWindow);
    record(result, i, r, steps > 0 ? z[(steps - 1) * cells + i]! : Number.NaN, steps > 0 ? bins[(steps - 1) * cells + i]! : 0);
  }
  return result;
}

function emptyResult(cells: number, bins: Int8Array): EmergingHotSpots {
  return {
    category: [],
    hotSteps: new Int32Array(cells),
    coldSteps: new Int32Array(cells),
    trendZ: new Float64Array(cells),
    trendP: new Float64Array(cells),
    finalZ: new Float64Array(cells),
    finalBin: new Int8Array(cells),
    bins,
  };
}

/** Cell i's classification and final month into the result (cells are recorded in order). */
function record(result: EmergingHotSpots, i: number, r: EmergingResult, finalZ: number, finalBin: number): void {
  result.category.push(r.category);
  result.hotSteps[i] = r.hotSteps;
  result.coldSteps[i] = r.coldSteps;
  result.trendZ[i] = r.trend.z;
  result.trendP[i] = r.trend.p;
  result.finalZ[i] = finalZ;
  result.finalBin[i] = finalBin;
}
