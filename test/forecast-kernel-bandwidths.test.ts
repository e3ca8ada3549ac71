/**
 * kernelBandwidths (what the backtest loads from the kernel store before scoring) names exactly the
 * bandwidths candidateScorer asks its context for: every candidate is scored over a small grid, with
 * a context that records each `kernel(b)` call, at an origin with a year of history and one without.
 * A method that smooths with a kernel kernelBandwidths leaves out fails here.
 */
import { gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import type { CellMonthGrid } from "../etl/analytics/cell-month-grid.ts";
import { candidateScorer, forecastCandidates, kernelBandwidths, scoringContext } from "../etl/analytics/forecast-candidates.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";

const cells = gridDisk(latLngToCell(55.93, 23.31, 8), 2).sort();
const months = Array.from({ length: 30 }, (_, t) => `${2017 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`);
const random = mulberry32(7);
const grid: CellMonthGrid = { cells, months, counts: Float64Array.from({ length: months.length * cells.length }, () => Math.floor(random() * 3)) };
const weights = kRingWeights(cells, 1);

/** The bandwidths scoring `candidates` asks for, at each origin given. */
function requested(candidates: ReturnType<typeof forecastCandidates>, origins: readonly number[]): number[] {
  const asked = new Set<number>();
  const context = scoringContext(grid, weights);
  const kernel = context.kernel;
  context.kernel = (b) => (asked.add(b), kernel(b));
  for (const c of candidates) for (const origin of origins) candidateScorer(c, context)(origin);
  return [...asked].sort((a, b) => a - b);
}

describe("kernelBandwidths", () => {
  it("names, for each candidate, exactly the kernels its scorer uses", () => {
    const all = forecastCandidates();
    for (const c of all) expect(kernelBandwidths([c]), c.method).toEqual(requested([c], [3, 24]));
    expect(kernelBandwidths(all)).toEqual([1, 2]);
  });
});
