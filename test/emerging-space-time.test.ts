/**
 * The space-time Gi* of emerging hot spots computed once per group of bins with equal neighbourhood
 * sum and weight (spaceTimeGiStar, issue 19) against the bin-by-bin computation it replaces: getisOrdZ
 * over the cube's space-time weights, confidenceBins / confidenceBinsFdr over every bin, and the
 * Mann-Kendall test of each cell's z-series with the exact comparator (gi-star-exact.ts). Every
 * value must be the same double, every pattern the same: the lake's emerging files may not change.
 */
import { gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { binsFdrOfGroups, binsOfP, confidenceBins, confidenceBinsFdr } from "../etl/analytics/confidence-bins.ts";
import { classifyEmerging } from "../etl/analytics/emerging-categories.ts";
import { emergingHotSpots, type EmergingHotSpots, type EmergingOptions } from "../etl/analytics/emerging-hot-spots.ts";
import { groupRanks, spaceTimeBins, spaceTimeGiStar } from "../etl/analytics/emerging-space-time.ts";
import { getisOrdZ } from "../etl/analytics/getis-ord.ts";
import { exactGiStar, giStarComparator } from "../etl/analytics/gi-star-exact.ts";
import { DEFAULT_INFERENCE, giStarPermutation, testability, type HotSpotInference } from "../etl/analytics/gi-star-permutation.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { mannKendall, RankSeriesMannKendall } from "../etl/analytics/mann-kendall.ts";
import { valueCounts } from "../etl/analytics/sample-sum-distribution.ts";
import { spaceTimeWeights } from "../etl/analytics/space-time-weights.ts";
import { fromLists, type BinaryWeights } from "../etl/analytics/spatial-weights.ts";
import { spaceTimeRingSums } from "../etl/publish/hotspot-release.ts";

/** A seeded linear congruential generator in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/**
 * The bins of the cube bin by bin: from z (normal approximation), or from the conditional-permutation
 * test of each bin on its own (its neighbourhood sum over the space-time weights, its number of
 * neighbours, its own count), all 0 where the cube cannot be tested.
 */
function binsByBin(counts: Float64Array, cube: BinaryWeights, z: Float64Array, fdr: boolean, inference: HotSpotInference): Int8Array {
  if (inference.method === "normal") return (fdr ? confidenceBinsFdr : confidenceBins)(z);
  const n = cube.n;
  const sum = new Float64Array(n);
  const size = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    size[u] = cube.offsets[u + 1]! - cube.offsets[u]!;
    for (let e = cube.offsets[u]!; e < cube.offsets[u + 1]!; e++) sum[u]! += counts[cube.neighbours[e]!]!;
  }
  const vc = valueCounts(counts);
  const test = giStarPermutation(counts, { sum, size, own: counts, groups: n }, inference, vc);
  if (testability(vc, [...new Set(size)]) !== "tested") return new Int8Array(n);
  return fdr ? binsFdrOfGroups(test.direction, test.p, new Float64Array(n).fill(1)) : binsOfP(test.direction, test.p);
}

/** Emerging hot spots bin by bin, as emergingHotSpots computed them before the grouping (the reference). */
function byBin(counts: Float64Array, spatial: BinaryWeights, steps: number, o: EmergingOptions & { timeWindow: number }): EmergingHotSpots {
  const cells = spatial.n;
  const cube = spaceTimeWeights(spatial, steps, o.timeWindow);
  const z = getisOrdZ(counts, cube);
  const bins = binsByBin(counts, cube, z, o.fdr, o.inference ?? DEFAULT_INFERENCE);
  const exact = exactGiStar(counts, cube);
  const result: EmergingHotSpots = {
    category: [],
    hotSteps: new Int32Array(cells),
    coldSteps: new Int32Array(cells),
    trendZ: new Float64Array(cells),
    trendP: new Float64Array(cells),
    finalZ: new Float64Array(cells),
    finalBin: new Int8Array(cells),
    bins,
  };
  for (let i = 0; i < cells; i++) {
    const series = Float64Array.from({ length: steps }, (_, t) => z[t * cells + i]!);
    const significance = Int8Array.from({ length: steps }, (_, t) => (Math.abs(bins[t * cells + i]!) >= o.minBin ? Math.sign(bins[t * cells + i]!) : 0));
    const r = classifyEmerging(
      series,
      significance,
      o.trendAlpha,
      giStarComparator(z, exact, (t) => t * cells + i),
      o.timeWindow,
    );
    result.category.push(r.category);
    result.hotSteps[i] = r.hotSteps;
    result.coldSteps[i] = r.coldSteps;
    result.trendZ[i] = r.trend.z;
    result.trendP[i] = r.trend.p;
    result.finalZ[i] = z[(steps - 1) * cells + i]!;
    result.finalBin[i] = bins[(steps - 1) * cells + i]!;
  }
  return result;
}

/** Whether two results hold the same values, NaN and −0 included (toEqual would let 0 and −0 pass). */
function sameBits(a: EmergingHotSpots, b: EmergingHotSpots): string[] {
  const differing: string[] = [];
  for (const key of Object.keys(a) as (keyof EmergingHotSpots)[]) {
    const x = a[key] as ArrayLike<unknown>;
    const y = b[key] as ArrayLike<unknown>;
    if (x.length !== y.length || Array.from(x).some((v, i) => !Object.is(v, y[i]))) differing.push(key);
  }
  return differing;
}

const cells = gridDisk(latLngToCell(55.93, 23.31, 8), 4).sort();
const spatial = kRingWeights(cells, 1);

/**
 * Seeded grids of the kinds emerging hot spots meet: a growing cluster over sparse noise (bins of
 * both signs, trends), very sparse counts (most bins tied at L = 0, z tied across months), and a
 * grid whose every cell-month has the same count pattern per month (exact ties of z at different
 * months that floating point could split).
 */
function grids(steps: number): Array<{ name: string; counts: Float64Array }> {
  const next = random(steps * 31 + 7);
  const n = cells.length;
  const of = (f: (t: number, i: number) => number) => Float64Array.from({ length: n * steps }, (_, u) => f(Math.floor(u / n), u % n));
  return [
    { name: "cluster over noise", counts: of((t, i) => (i < 6 ? Math.floor(t / 2) : 0) + (next() < 0.3 ? Math.floor(next() * 4) : 0)) },
    { name: "sparse", counts: of(() => (next() < 0.03 ? 1 + Math.floor(next() * 2) : 0)) },
    { name: "repeating months", counts: of((t, i) => ((i * 7) % 5 === 0 ? 1 + (t % 3 === 0 ? 1 : 0) : 0)) },
    { name: "dense", counts: of((t, i) => Math.floor(next() * 30) + (i % 11 === 0 ? t : 0)) },
  ];
}

const NORMAL: HotSpotInference = { method: "normal" };
/** Each setting with the normal approximation and with (the default) conditional permutation. */
const SETTINGS: Array<EmergingOptions & { timeWindow: number }> = [
  { timeWindow: 1, fdr: true, minBin: 2, trendAlpha: 0.05 },
  { timeWindow: 0, fdr: false, minBin: 1, trendAlpha: 0.05 },
  { timeWindow: 2, fdr: true, minBin: 3, trendAlpha: 0.1 },
];
const OPTIONS: Array<EmergingOptions & { timeWindow: number }> = SETTINGS.flatMap((o) => [
  { ...o, inference: NORMAL },
  { ...o, inference: DEFAULT_INFERENCE },
]);

describe("spaceTimeGiStar", () => {
  it.each(OPTIONS)("gives every bin getisOrdZ's z and the bins of the whole cube, and the ring sums as L (%o)", (o) => {
    for (const steps of [1, 2, 13]) {
      for (const { name, counts } of grids(steps)) {
        const st = spaceTimeGiStar(counts, spatial, steps, o.timeWindow, o.fdr, undefined, o.inference)!;
        const weights = spaceTimeWeights(spatial, steps, o.timeWindow);
        const z = getisOrdZ(counts, weights);
        const expanded = Float64Array.from(st.group, (g) => st.z[g]!);
        expect(
          Array.from(expanded).every((v, u) => Object.is(v, z[u])),
          `${name}, ${steps} steps: z`,
        ).toBe(true);
        expect(spaceTimeBins(st), `${name}, ${steps} steps: bins`).toEqual(binsByBin(counts, weights, z, o.fdr, o.inference!));
        expect(st.lags).toEqual(spaceTimeRingSums(counts, spatial, steps, o.timeWindow));
        // Far fewer groups than bins where counts are sparse, as most of a study area is: the point of grouping.
        if (steps === 13 && name === "sparse") expect(st.z.length).toBeLessThan(counts.length / 3);
      }
    }
  });

  it("sums each bin's own neighbour list where the weights are not symmetric", () => {
    // Cell 0 lists 1 and 2, which do not list it: the sums are scattered through the transpose.
    const lists = [[0, 1, 2], [1], [2, 1], [3, 0]];
    const asymmetric = fromLists(lists, true);
    const steps = 5;
    const next = random(3);
    const counts = Float64Array.from({ length: 4 * steps }, () => Math.floor(next() * 4));
    for (const window of [0, 1, 3]) {
      const st = spaceTimeGiStar(counts, asymmetric, steps, window, false)!;
      expect(st.lags).toEqual(spaceTimeRingSums(counts, asymmetric, steps, window));
      const z = getisOrdZ(counts, spaceTimeWeights(asymmetric, steps, window));
      expect(Array.from(st.group, (g) => st.z[g]!)).toEqual(Array.from(z));
    }
  });

  it("leaves counts that are not whole numbers to the bin-by-bin route, which emergingHotSpots then takes", () => {
    const steps = 6;
    const counts = Float64Array.from({ length: cells.length * steps }, (_, u) => (u % 7) * 0.5);
    expect(spaceTimeGiStar(counts, spatial, steps, 1, true)).toBeNull();
    const months = Array.from({ length: steps }, (_, t) => `2020-0${t + 1}`);
    const o = OPTIONS[0]!;
    expect(sameBits(emergingHotSpots({ cells, months, counts }, spatial, o), byBin(counts, spatial, steps, o))).toEqual([]);
  });

  it("refuses weights without the cell itself and a cube of no month, saying why", () => {
    const gi: BinaryWeights = { ...spatial, selfIncluded: false };
    expect(() => spaceTimeGiStar(new Float64Array(cells.length), gi, 1, 1, true)).toThrow(/include the cell itself/);
    expect(() => spaceTimeGiStar(new Float64Array(0), spatial, 0, 1, true)).toThrow(/at least one time step/);
  });
});

describe("groupRanks", () => {
  it("orders the groups as their z-scores, ties exactly where z is tied, NaN where undefined", () => {
    const steps = 13;
    const { counts } = grids(steps)[2]!;
    const st = spaceTimeGiStar(counts, spatial, steps, 1, true)!;
    const rank = groupRanks(st);
    for (let g = 0; g < st.z.length; g++) {
      for (let h = 0; h < st.z.length; h++) {
        if (st.z[g]! < st.z[h]! - 1e-9) expect(rank[g]!).toBeLessThan(rank[h]!);
        if (st.z[g] === st.z[h]) expect(rank[g]).toBe(rank[h]);
      }
    }
    const empty = spaceTimeGiStar(new Float64Array(cells.length * 2), spatial, 2, 1, true)!;
    expect(Array.from(groupRanks(empty)).every(Number.isNaN)).toBe(true);
  });
});

describe("emergingHotSpots by groups", () => {
  it.each(OPTIONS)("is bit for bit the bin-by-bin classification (%o)", (o) => {
    let patterns = 0;
    for (const steps of [1, 3, 13, 30]) {
      const months = Array.from({ length: steps }, (_, t) => `m${t}`);
      for (const { name, counts } of grids(steps)) {
        const grouped = emergingHotSpots({ cells, months, counts }, spatial, o);
        expect(sameBits(grouped, byBin(counts, spatial, steps, o)), `${name}, ${steps} steps`).toEqual([]);
        patterns += grouped.category.filter((c) => c !== "no_pattern").length;
      }
    }
    // The grids exercise the patterns, not only "no pattern" (fewer under permutation with FDR, which
    // does not take the sparse grid's lone incidents for hot spots).
    expect(patterns).toBeGreaterThan(10);
  });
});

describe("Mann-Kendall without a comparator", () => {
  it("gives what the sign comparator gives: S, its tie-corrected variance, z, p and tau", () => {
    const next = random(5);
    for (let k = 0; k < 200; k++) {
      const n = Math.floor(next() * 125);
      const levels = [1, 2, 5, 40, 1e6][k % 5]!;
      const series = Array.from({ length: n }, () => (next() < 0.05 ? Number.NaN : next() < 0.02 ? -0 : Math.floor(next() * levels)));
      expect(mannKendall(series), `series ${k}`).toEqual(mannKendall(series, (s, t) => Math.sign(series[s]! - series[t]!)));
    }
  });
});

describe("RankSeriesMannKendall", () => {
  it("gives mannKendall's result for series of ranks, one after another on the same work arrays", () => {
    const next = random(23);
    for (const groups of [1, 3, 40, 5000]) {
      const test = new RankSeriesMannKendall(groups);
      for (let k = 0; k < 60; k++) {
        const n = Math.floor(next() * 125);
        const series = Array.from({ length: n }, () => (next() < 0.05 ? Number.NaN : Math.floor(next() * Math.min(groups, 1 + (k % 9) * 3))));
        expect(test.test(series), `${groups} ranks, series ${k}`).toEqual(mannKendall(series));
      }
    }
  });

  it("refuses a value that is not one of its ranks, saying which", () => {
    expect(() => new RankSeriesMannKendall(4).test([0, 1.5, 2])).toThrow(/rank 1.5 is not a whole number in 0 … 3/);
    expect(() => new RankSeriesMannKendall(4).test([0, 4])).toThrow(/rank 4 /);
    expect(() => new RankSeriesMannKendall(-1)).toThrow(/whole number/);
  });
});
