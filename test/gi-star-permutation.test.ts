/**
 * Gi* randomisation inference: the exact distribution of the neighbourhood sum against brute-force
 * enumeration (every subset, every permutation) on tiny grids, the seeded Monte Carlo fallback
 * against the exact law, and the testability rule on the real Šiauliai grid.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { giStarPermutation, testability, type HotSpotInference } from "../etl/analytics/gi-star-permutation.ts";
import { hotSpotsOf } from "../etl/analytics/hot-spots.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import {
  binomial,
  extremeSumProbabilities,
  LeaveOneOutTails,
  sampleSumTails,
  subsetSumCounts,
  valueCounts,
  valueCountsOfListed,
} from "../etl/analytics/sample-sum-distribution.ts";
import { fromLists, type BinaryWeights } from "../etl/analytics/spatial-weights.ts";
import { mulberry32, streamedTailCounts } from "../etl/analytics/sample-sum-monte-carlo.ts";
import { selectMunicipalities, studyAreaCells } from "../etl/analytics/study-area.ts";
import { readMunicipalities } from "../etl/geo/municipalities.ts";
import { SHARED_BOUNDARIES } from "./helpers/shared.ts";

const SEED = { seed: 20260102 };
const EXACT: HotSpotInference = { method: "permutation", permutations: 999, seed: 7 };

/** Every k-subset of the indices 0…n−1. */
function* subsets(n: number, k: number, start = 0, chosen: number[] = []): Generator<number[]> {
  if (chosen.length === k) yield chosen;
  else for (let i = start; i < n; i++) yield* subsets(n, k, i + 1, [...chosen, i]);
}

/** Every permutation of `values`. */
function* permutations(values: number[]): Generator<number[]> {
  if (values.length <= 1) yield values;
  else for (let i = 0; i < values.length; i++) for (const rest of permutations([...values.slice(0, i), ...values.slice(i + 1)])) yield [values[i]!, ...rest];
}

/** A small irregular grid: cell i neighbours i±1 and i±3 (a 3-wide strip), itself included. */
function stripWeights(n: number): BinaryWeights {
  return fromLists(
    Array.from({ length: n }, (_, i) =>
      [i, i - 1, i + 1, i - 3, i + 3].filter((j) => j >= 0 && j < n && (Math.abs(i - j) !== 1 || Math.floor(i / 3) === Math.floor(j / 3))),
    ),
    true,
  );
}

describe("sampleSumTails", () => {
  it("counts the m-subsets by sum exactly as enumeration does, for every removed value, size and cap", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(0), fc.nat(4)), { minLength: 2, maxLength: 9 }), fc.integer({ min: 1, max: 12 }), (x, cap) => {
        const vc = valueCounts(x);
        const table = subsetSumCounts(vc, x.length - 1, cap);
        for (const removed of new Set(x)) {
          const pool = [...x];
          pool.splice(pool.indexOf(removed), 1);
          for (let m = 0; m <= pool.length; m++) {
            const { upper, total } = sampleSumTails(vc, table, cap, m, removed);
            const sums = [...subsets(pool.length, m)].map((s) => s.reduce((a, i) => a + pool[i]!, 0));
            expect(total).toBe(sums.length);
            for (let s = 0; s <= cap; s++) expect(upper[s]).toBe(sums.filter((v) => v >= s).length);
          }
        }
      }),
      { ...SEED, numRuns: 150 },
    );
  });

  it("counts beyond 2^53 (the overflow summed term by term) as the closed form does, within rounding", () => {
    // a ones and b twos: the k-subsets with sum s hold j = s − k twos, C(b, j) · C(a, k − j) of them.
    // C(4000, 6) ≈ 5.7·10^18 passes 2^53, so this takes the rounding branch of the expansion; the
    // enumeration test above takes the integer-exact one.
    const [a, b, size, cap] = [3000, 1000, 6, 9];
    const table = subsetSumCounts(valueCounts([...Array<number>(a).fill(1), ...Array<number>(b).fill(2)]), size, cap);
    for (let k = 0; k <= size; k++) {
      let over = 0;
      for (let s = 0; s <= 2 * k; s++) {
        const j = s - k;
        const count = j < 0 ? 0 : binomial(b, j) * binomial(a, k - j);
        if (s >= cap) over += count;
        else expect(Math.abs(table[k * (cap + 1) + s]! - count)).toBeLessThanOrEqual(1e-14 * count);
      }
      expect(Math.abs(table[k * (cap + 1) + cap]! - over)).toBeLessThanOrEqual(1e-14 * over);
    }
    expect(binomial(a + b, size) * size).toBeGreaterThan(2 ** 53);
  });

  it("gives both leave-one-out tails within a few ulps of BigInt counts, however small, where C(n, m) passes 2^53", () => {
    // A sparse month: 2,400 zeros and 600 small counts with a long tail. C(3000, 6) ≈ 10^18, so the
    // zeros' factors round; the non-zero units' counts stay integers (C(600, 6)·6 < 2^53).
    const x = [...Array<number>(2400).fill(0), ...Array.from({ length: 600 }, (_, i) => 1 + ((i * 7919) % 97 === 0 ? 40 + (i % 13) : (i * 31) % 5))];
    const vc = valueCounts(x);
    const [maxSize, cap] = [6, 160];
    const tails = new LeaveOneOutTails(vc, maxSize, cap);
    const out = new Float64Array(2);
    let smallest = 1;
    const choose = (n: number, k: number) => {
      let c = 1n;
      for (let i = 0; i < k; i++) c = (c * BigInt(n - i)) / BigInt(i + 1);
      return k < 0 || k > n ? 0n : c;
    };
    for (const removed of [0, 1, 3, 45]) {
      // Exact counts of the pool (x without one unit of `removed`) by BigInt dynamic programming.
      const pool = [...x];
      expect(pool.indexOf(removed)).toBeGreaterThanOrEqual(0);
      pool.splice(pool.indexOf(removed), 1);
      const nonZero = pool.filter((v) => v > 0);
      const zeros = pool.length - nonZero.length;
      const rows = Array.from({ length: maxSize + 1 }, () => Array<bigint>(cap + 1).fill(0n));
      rows[0]![0] = 1n;
      for (const v of nonZero) for (let k = maxSize - 1; k >= 0; k--) for (let s = cap - v; s >= 0; s--) rows[k + 1]![s + v]! += rows[k]![s]!;
      for (const m of [3, 6]) {
        const exact = (s: number, upper: boolean) => {
          let count = 0n;
          for (let i = 0; i <= m; i++) {
            const all = choose(nonZero.length, i);
            const below = rows[i]!.slice(0, upper ? s : s + 1).reduce((a, b) => a + b, 0n);
            count += choose(zeros, m - i) * (upper ? all - below : below);
          }
          return Number(count);
        };
        for (const s of [0, 2, 5, 9, 20, 60, 100, 140]) {
          tails.tails(m, removed, s, out);
          const [above, atMost] = [exact(s, true), exact(s, false)];
          expect(Math.abs(out[0]! - above)).toBeLessThanOrEqual(1e-14 * above);
          expect(Math.abs(out[1]! - atMost)).toBeLessThanOrEqual(1e-14 * atMost);
          smallest = Math.min(smallest, above / Number(choose(pool.length, m)));
        }
      }
    }
    // Some of the tails checked are small (≈ 4e-9 of all samples): the bound is relative to each.
    expect(smallest).toBeLessThan(1e-8);
  });

  it("counts a month's values from its listed non-zero cells as valueCounts does from every cell", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })), { minLength: 1, maxLength: 60 }), (x) => {
        const listed = Int32Array.from(x.flatMap((v, i) => (v > 0 ? [i] : [])));
        expect(valueCountsOfListed(x, listed, listed.length, Math.max(0, ...x))).toEqual(valueCounts(x));
      }),
      SEED,
    );
  });

  it("counts values up to its histogram's limit (2^20) and beyond it, with small ones after either", () => {
    // The histogram is kept between calls at its full size: a call after a large value must see it clean.
    for (const x of [[0, 2 ** 20, 3, 3], [2 ** 20 + 1, 0, 1], [5, 0, 5, 2], [1]]) {
      const listed = Int32Array.from(x.flatMap((v, i) => (v > 0 ? [i] : [])));
      expect(valueCountsOfListed(x, listed, listed.length, Math.max(...x))).toEqual(valueCounts(x));
    }
  });

  it("gives the extreme sums' probabilities as enumeration does", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(3), { minLength: 3, maxLength: 9 }), (x) => {
        const vc = valueCounts(x);
        const removed = x[0]!;
        const pool = x.slice(1);
        for (let m = 1; m < pool.length; m++) {
          const sums = [...subsets(pool.length, m)].map((s) => s.reduce((a, i) => a + pool[i]!, 0));
          const { largest, smallest } = extremeSumProbabilities(vc, m, removed);
          expect(largest).toBeCloseTo(sums.filter((v) => v === Math.max(...sums)).length / sums.length, 12);
          expect(smallest).toBeCloseTo(sums.filter((v) => v === Math.min(...sums)).length / sums.length, 12);
        }
      }),
      { ...SEED, numRuns: 100 },
    );
  });
});

describe("Gi* permutation p-values", () => {
  it("equal brute-force enumeration of every permutation of the other cells' values (tiny grids, exact)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.nat(3), fc.nat(9)), { minLength: 4, maxLength: 8 }), (values) => {
        fc.pre(values.some((v) => v > 0));
        const n = values.length;
        const weights = stripWeights(n);
        const result = hotSpotsOf(Float64Array.from(values), weights, EXACT);
        expect(result.inference).toBe("exact");
        for (let i = 0; i < n; i++) {
          const ring = Array.from(weights.neighbours.subarray(weights.offsets[i]!, weights.offsets[i + 1]!));
          const observed = ring.reduce((a, j) => a + values[j]!, 0);
          const others = values.filter((_, j) => j !== i);
          let atLeast = 0;
          let atMost = 0;
          let all = 0;
          for (const perm of permutations(others)) {
            // Cell i keeps its value; the permutation fills the other cells in index order.
            const arranged = [...perm.slice(0, i), values[i]!, ...perm.slice(i)];
            const sum = ring.reduce((a, j) => a + arranged[j]!, 0);
            if (sum >= observed) atLeast++;
            if (sum <= observed) atMost++;
            all++;
          }
          const upper = atLeast / all;
          const lower = atMost / all;
          expect(result.p[i]).toBe(Math.min(1, 2 * Math.min(upper, lower)));
          if (result.status === "tested") expect(Math.sign(result.bin[i]!)).toBe(result.bin[i] === 0 ? 0 : upper < lower ? 1 : -1);
        }
      }),
      { ...SEED, numRuns: 60 },
    );
  });

  it("Monte Carlo agrees with the exact law within its error, and the same seed gives the same p-values", () => {
    const n = 60;
    const weights = stripWeights(n);
    const counts = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 11 < 5 ? 0 : ((i * 104729) % 13) + (i > 40 ? 6 : 0)));
    const exact = hotSpotsOf(counts, weights, { method: "permutation", permutations: 20_000, seed: 1 });
    const mc = hotSpotsOf(counts, weights, { method: "permutation", permutations: 20_000, seed: 1, exactBudget: 0 });
    const again = hotSpotsOf(counts, weights, { method: "permutation", permutations: 20_000, seed: 1, exactBudget: 0 });
    expect(exact.inference).toBe("exact");
    expect(mc.inference).toBe("monte-carlo");
    expect(Array.from(again.p)).toEqual(Array.from(mc.p));
    let compared = 0;
    for (let i = 0; i < n; i++) {
      const p = exact.p[i]!;
      // 2·(M+1)/(R+1) estimates 2·min tail: binomial standard error of the doubled tail, plus the +1.
      const se = 2 * Math.sqrt((Math.min(p / 2, 0.5) * (1 - Math.min(p / 2, 0.5))) / 20_000);
      expect(Math.abs(mc.p[i]! - p)).toBeLessThanOrEqual(4.5 * se + 2 / 20_001);
      if (p < 1) compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it("tests a month in which every cell has incidents (no zero to hold out), exactly and by Monte Carlo", () => {
    const counts = Float64Array.from({ length: 30 }, (_, i) => 1 + ((i * 7) % 5) + (i > 24 ? 9 : 0));
    const weights = stripWeights(counts.length);
    for (const exactBudget of [undefined, 0]) {
      const r = hotSpotsOf(counts, weights, { method: "permutation", permutations: 999, seed: 3, exactBudget });
      expect(r.inference).toBe(exactBudget === 0 ? "monte-carlo" : "exact");
      expect(r.p.every((p) => p > 0 && p <= 1)).toBe(true);
      expect(Math.max(...r.bin)).toBeGreaterThan(0);
    }
  });

  it("reports the same groups' p-values through giStarPermutation as cell by cell", () => {
    const counts = [0, 2, 0, 5, 1, 0, 0, 3];
    const weights = stripWeights(counts.length);
    const cells = hotSpotsOf(Float64Array.from(counts), weights, EXACT);
    const sum = Array.from({ length: counts.length }, (_, i) =>
      Array.from(weights.neighbours.subarray(weights.offsets[i]!, weights.offsets[i + 1]!)).reduce((a, j) => a + counts[j]!, 0),
    );
    const size = Array.from({ length: counts.length }, (_, i) => weights.offsets[i + 1]! - weights.offsets[i]!);
    const test = giStarPermutation(counts, { sum, size, own: counts, groups: counts.length }, EXACT);
    expect(Array.from(test.p)).toEqual(Array.from(cells.p));
  });
});

describe("testability on the Šiauliai grid (3,066 res-8 cells, k = 1)", async () => {
  const area = selectMunicipalities(await readMunicipalities(SHARED_BOUNDARIES), ["Šiaulių m. sav.", "Šiaulių r. sav."]);
  const cells = studyAreaCells(area, 8);
  const weights = kRingWeights(cells, 1);
  const size = (i: number) => weights.offsets[i + 1]! - weights.offsets[i]!;
  // A cell whose ring lies wholly inside the study area, as do its neighbours' rings.
  const interior = cells.findIndex(
    (_, i) => size(i) === 7 && weights.neighbours.subarray(weights.offsets[i]!, weights.offsets[i + 1]!).every((j) => size(j) === 7),
  );

  it("one incident: too few to test, no bin, and no cell below p = 2·6/3065 (the issue's robbery month)", () => {
    expect(cells).toHaveLength(3066);
    const counts = new Float64Array(cells.length);
    counts[interior] = 1;
    const r = hotSpotsOf(counts, weights);
    expect(r.status).toBe("too_few_incidents");
    expect(r.inference).toBe("exact");
    expect(r.bin.every((b) => b === 0) && r.binFdr.every((b) => b === 0)).toBe(true);
    expect(Math.min(...r.p)).toBeCloseTo((2 * 6) / 3065, 15);
    expect(r.p[interior]).toBe(1);
    // The normal approximation made the ring "hot 99 %" even after FDR (z = 20.9).
    const normal = hotSpotsOf(counts, weights, { method: "normal" });
    expect(normal.z[interior]).toBeGreaterThan(20);
    expect(normal.status).toBe("too_few_incidents");
    // Several incidents in that one cell change nothing.
    counts[interior] = 4;
    expect(hotSpotsOf(counts, weights).status).toBe("too_few_incidents");
  });

  it("two incidents in neighbouring cells can be tested, and the cells whose ring holds both are hot after FDR", () => {
    const counts = new Float64Array(cells.length);
    const neighbour =
      weights.neighbours[weights.offsets[interior]!] === interior
        ? weights.neighbours[weights.offsets[interior]! + 1]!
        : weights.neighbours[weights.offsets[interior]!]!;
    counts[interior] = 1;
    counts[neighbour] = 1;
    const r = hotSpotsOf(counts, weights);
    expect(r.status).toBe("tested");
    expect(testability(valueCounts(counts), [7])).toBe("tested");
    const hot = Array.from(r.binFdr).filter((b) => b > 0).length;
    // Exactly the two cells adjacent to both (plus neither incident cell itself).
    expect(hot).toBe(2);
  });
});

describe("streamedTailCounts", () => {
  it("tallies by size histograms exactly what comparing every group in every replicate gives", () => {
    const used = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(fc.nat(6), { minLength: 2, maxLength: 400 }),
        fc.array(fc.tuple(fc.nat(24), fc.nat(1_000), fc.nat(80)), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer(),
        (x, picks, replicates, seed) => {
          const values = Float64Array.from(x);
          // Each group's size below n, its own value one of the units', any observed sum.
          const sizes = picks.map(([m]) => m % x.length);
          const owns = picks.map(([, i]) => x[i % x.length]!);
          const observed = picks.map(([, , s]) => s);
          const tails = () => [new Float64Array(picks.length), new Float64Array(picks.length)] as const;
          const [ge, le] = tails();
          const [geDirect, leDirect] = tails();
          used.add(streamedTailCounts(values, sizes, owns, observed, replicates, seed, ge, le));
          expect(streamedTailCounts(values, sizes, owns, observed, replicates, seed, geDirect, leDirect, "direct")).toBe("direct");
          expect(Array.from(ge)).toEqual(Array.from(geDirect));
          expect(Array.from(le)).toEqual(Array.from(leDirect));
        },
      ),
      { ...SEED, numRuns: 200 },
    );
    expect(used.has("histogram")).toBe(true);
  });

  it("keeps comparing each group where a value is not a whole number", () => {
    const x = Float64Array.from([0, 1.5, 2, 0, 1, 3]);
    const [ge, le] = [new Float64Array(1), new Float64Array(1)];
    expect(streamedTailCounts(x, [2], [0], [3], 500, 1, ge, le)).toBe("direct");
    expect(ge[0]! + le[0]!).toBeGreaterThanOrEqual(500);
  });
});

describe("Monte Carlo p-values at their floor 2/(R + 1) in a dense month (Šiauliai grid, 3,066 res-8 cells)", async () => {
  const cells = studyAreaCells(selectMunicipalities(await readMunicipalities(SHARED_BOUNDARIES), ["Šiaulių m. sav.", "Šiaulių r. sav."]), 8);
  const weights = kRingWeights(cells, 1);
  const ringOf = (i: number) => Array.from(weights.neighbours.subarray(weights.offsets[i]!, weights.offsets[i + 1]!));
  // A full ring whose cells' rings are full too: the planted cluster.
  const centre = cells.findIndex((_, i) => ringOf(i).length === 7 && ringOf(i).every((j) => ringOf(j).length === 7));
  const cluster = ringOf(centre);
  // Every cell Poisson(3) (seeded), the cluster's seven 12 more: a month too rich for the default exact budget.
  const random = mulberry32(11);
  const poisson = (mean: number) => {
    let k = 0;
    for (let product = random(); product > Math.exp(-mean); product *= random()) k++;
    return k;
  };
  const counts = Float64Array.from(cells, (_, i) => poisson(3) + (cluster.includes(i) ? 12 : 0));
  const options = { method: "permutation", permutations: 9999, seed: 20260101 } as const;
  const exact = hotSpotsOf(counts, weights, { ...options, exactBudget: Infinity });

  it("the exact test puts the cluster at 99 % after FDR (the floor 2·10⁻⁴ is above 0.01 · 7 / 3,066)", () => {
    expect(exact.inference).toBe("exact");
    expect(cluster.map((i) => exact.binFdr[i])).toEqual(Array(7).fill(3));
    expect(Math.max(...cluster.map((i) => exact.p[i]!))).toBeLessThan((0.01 * 7) / cells.length);
  });

  it("computes the p-values near the floor exactly where that is affordable: the same bins as the exact test", () => {
    const r = hotSpotsOf(counts, weights, { ...options, exactBudget: 10_000 });
    expect(r.inference).toBe("monte-carlo");
    for (const i of cluster) expect(r.p[i]).toBe(exact.p[i]);
    expect(Array.from(r.binFdr)).toEqual(Array.from(exact.binFdr));
  });

  it("otherwise draws more replicates for them, so the cluster keeps its 99 % bins", () => {
    const r = hotSpotsOf(counts, weights, { ...options, exactBudget: 0 });
    expect(r.inference).toBe("monte-carlo");
    expect(cluster.map((i) => r.binFdr[i])).toEqual(Array(7).fill(3));
    for (const i of cluster) expect(r.p[i]).toBeLessThan(2 / 10_000);
    // The same seed, the same p-values (the extra streams are seeded too).
    expect(Array.from(hotSpotsOf(counts, weights, { ...options, exactBudget: 0 }).p)).toEqual(Array.from(r.p));
  });
});
