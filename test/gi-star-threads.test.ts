/**
 * Gi* over many vectors in worker threads gives, vector by vector, exactly (bit for bit) what one
 * thread gives: normal and permutation inference, exact and Monte Carlo months, too-few months.
 */
import { describe, expect, it } from "vitest";
import type { HotSpotInference } from "../etl/analytics/gi-star-permutation.ts";
import { groupedHotSpotsInThreads } from "../etl/analytics/gi-star-threads.ts";
import { GiStarWorkspace, type GroupedHotSpots } from "../etl/analytics/grouped-gi-star.ts";
import { groupedHotSpots } from "../etl/analytics/hot-spots.ts";
import { fromLists } from "../etl/analytics/spatial-weights.ts";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";

/** A 30 × 30 grid of cells, each with its 8 neighbours and itself (edge cells fewer). */
const SIDE = 30;
const weights = fromLists(
  Array.from({ length: SIDE * SIDE }, (_, i) => {
    const [r, c] = [Math.floor(i / SIDE), i % SIDE];
    const list: number[] = [];
    for (let dr = -1; dr <= 1; dr++)
      for (let dc = -1; dc <= 1; dc++) if (r + dr >= 0 && r + dr < SIDE && c + dc >= 0 && c + dc < SIDE) list.push((r + dr) * SIDE + c + dc);
    return list.sort((a, b) => a - b);
  }),
  true,
);

/** Months from empty to dense: a single incident, sparse Poisson-like counts, and a dense hot corner. */
function months(): Float64Array[] {
  const random = mulberry32(11);
  const n = weights.n;
  return Array.from({ length: 24 }, (_, t) => {
    const x = new Float64Array(n);
    if (t === 0) return x;
    if (t === 1) {
      x[400] = 1;
      return x;
    }
    const rate = 0.05 * t;
    for (let i = 0; i < n; i++) {
      const corner = i % SIDE < 6 && i < 6 * SIDE ? 8 * rate : rate;
      let k = 0;
      for (let u = random(); u < corner / (1 + corner); u = random()) k++;
      x[i] = k * (t % 3 === 0 ? 7 : 1);
    }
    return x;
  });
}

function expectSame(a: GroupedHotSpots, b: GroupedHotSpots): void {
  expect(b.status).toBe(a.status);
  expect(b.inference).toBe(a.inference);
  expect(b.counts).toBe(a.counts);
  for (const key of ["group", "z", "p", "bin", "binFdr"] as const) {
    // Bitwise: Object.is tells −0 from 0 and matches NaN with NaN.
    expect(b[key].length).toBe(a[key].length);
    expect(Array.from(b[key]).every((v, i) => Object.is(v, a[key][i]))).toBe(true);
  }
}

describe("groupedHotSpotsInThreads", () => {
  const vectors = months();
  const inferences: HotSpotInference[] = [
    { method: "normal" },
    // A small exact budget sends the denser months to Monte Carlo.
    { method: "permutation", permutations: 999, seed: 5, exactBudget: 20_000 },
  ];

  it.each(inferences)(
    "gives every vector's result bit for bit as one thread does ($method)",
    async (inference) => {
      const workspace = new GiStarWorkspace();
      const one = vectors.map((x) => groupedHotSpots(x, weights, inference, workspace));
      // Only the workers compute, so the comparison is between threads.
      const { results, inWorkers } = await groupedHotSpotsInThreads(vectors, weights, inference, { threads: 2, callingThreadWorks: false });
      expect(inWorkers).toBe(vectors.length);
      vectors.forEach((_, v) => expectSame(one[v]!, results[v]!));
      if (inference.method === "permutation") {
        expect(new Set(one.map((r) => r.inference))).toEqual(new Set(["exact", "monte-carlo"]));
        expect(one.some((r) => r.status === "too_few_incidents")).toBe(true);
      }
    },
    60_000,
  );

  it("runs in the calling thread alone with one thread, and shares the work with the workers otherwise", async () => {
    const inference = inferences[1]!;
    const single = await groupedHotSpotsInThreads(vectors, weights, inference, { threads: 1 });
    expect(single.inWorkers).toBe(0);
    const shared = await groupedHotSpotsInThreads(vectors, weights, inference, { threads: 2 });
    expect(shared.inWorkers).toBeLessThanOrEqual(vectors.length);
    vectors.forEach((_, v) => expectSame(single.results[v]!, shared.results[v]!));
  }, 60_000);
});
