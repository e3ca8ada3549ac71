import type { CellMonthGrid } from "./cell-month-grid.ts";
import { monthSlice } from "./cell-month-grid.ts";
import { confidenceBins, confidenceBinsFdr } from "./confidence-bins.ts";
import { classifyEmerging, classifyWithTrend, type EmergingCategory, type EmergingResult } from "./emerging-categories.ts";
import { groupRanks, spaceTimeBins, spaceTimeGiStar, type SpaceTimeGiStar } from "./emerging-space-time.ts";
import { getisOrdZ } from "./getis-ord.ts";
import { RankSeriesMannKendall } from "./mann-kendall.ts";
import { exactGiStar, giStarComparator } from "./gi-star-exact.ts";
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
}

/** ArcGIS Emerging Hot Spot Analysis defaults: space-time Gi*, neighbourhood time step 1, FDR on. */
export const DEFAULT_EMERGING_OPTIONS: EmergingOptions = { timeWindow: 1, fdr: true, minBin: 2, trendAlpha: 0.05 };

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
 * Gi* is computed by groups of bins (spaceTimeGiStar) and classified by emergingOfSpaceTime; other
 * grids bin by bin, `cube` building the space-time weights (a caller classifying several grids of the
 * same cells and months passes one that builds them once). Both give the same bits.
 */
export function emergingHotSpots(
  grid: CellMonthGrid,
  weights: BinaryWeights,
  options: EmergingOptions = DEFAULT_EMERGING_OPTIONS,
  cube: typeof spaceTimeWeights = spaceTimeWeights,
): EmergingHotSpots {
  return emergingWithCube(grid, weights, options, cube).result;
}

/** emergingHotSpots with the grouped cube it was computed from (null where it took the per-bin route): its neighbourhood sums are the ring rule's counts. */
export function emergingWithCube(
  grid: CellMonthGrid,
  weights: BinaryWeights,
  options: EmergingOptions = DEFAULT_EMERGING_OPTIONS,
  cube: typeof spaceTimeWeights = spaceTimeWeights,
): { result: EmergingHotSpots; grouped: SpaceTimeGiStar | null } {
  const cells = grid.cells.length;
  const steps = grid.months.length;
  if (weights.n !== cells) throw new RangeError(`the weights have ${weights.n} units but the grid ${cells} cells`);
  if (options.timeWindow !== null && steps > 0) {
    const grouped = spaceTimeGiStar(grid.counts, weights, steps, options.timeWindow, options.fdr);
    if (grouped) return { result: emergingOfSpaceTime(cells, steps, grouped, options), grouped };
  }
  return { result: emergingByBin(grid, weights, options, cube), grouped: null };
}

/**
 * The classification of every cell from a cube's grouped space-time Gi* (see spaceTimeGiStar): each
 * cell's series of its bins' group ranks (groupRanks) for the Mann-Kendall test — the same pairs and
 * ties as its z-series, counted without a sort (RankSeriesMannKendall) — and its bins' significance
 * for the patterns.
 */
export function emergingOfSpaceTime(cells: number, steps: number, st: SpaceTimeGiStar, options: EmergingOptions): EmergingHotSpots {
  const rank = groupRanks(st);
  const trend = new RankSeriesMannKendall(st.z.length);
  const result = emptyResult(cells, spaceTimeBins(st));
  const ranks = new Float64Array(steps);
  const significance = new Int8Array(steps);
  for (let i = 0; i < cells; i++) {
    for (let t = 0; t < steps; t++) {
      const g = st.group[t * cells + i]!;
      ranks[t] = rank[g]!;
      const bin = st.bin[g]!;
      significance[t] = Math.abs(bin) >= options.minBin ? Math.sign(bin) : 0;
    }
    const last = st.group[(steps - 1) * cells + i]!;
    record(result, i, classifyWithTrend(significance, trend.test(ranks), options.trendAlpha), st.z[last]!, st.bin[last]!);
  }
  return result;
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
    const r = classifyEmerging(zSeries, significance, options.trendAlpha, compare);
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
