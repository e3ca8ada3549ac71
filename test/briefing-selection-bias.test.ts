/**
 * The briefing's areas are the top of a ranking of the last 12 months, so a word about their
 * direction must not come from the selection itself (regression to the mean: an area picked for a
 * high year looks "rising" against the year before even where nothing changes). Under stationary
 * rates, every directional label the briefing gives a selected area (areaDirections) must be given
 * at most at its nominal rate: 2.5 % per direction for a two-sided test at 5 %.
 */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";
import { areaDirections } from "../etl/briefing/briefing-data.ts";

const DIRECTIONAL = new Set(["rising", "falling", "intensifying", "easing"]);

/** Knuth's product method: exact for the small rates drawn here. */
function poisson(random: () => number, rate: number): number {
  const limit = Math.exp(-rate);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

/**
 * `areas` stationary areas (log-normal rates about `mean` a month, spread `sigma`), 24 months each;
 * the `top` by the last 12 months, as the forecast's baseline selects them; the share of their labels per direction.
 */
function labelRates({ mean, sigma, seed }: { mean: number; sigma: number; seed: number }): Map<string, number> {
  const [areas, top, replicates, threshold] = [2000, 20, 60, 5];
  const random = mulberry32(seed);
  const tally = new Map<string, number>();
  for (let rep = 0; rep < replicates; rep++) {
    const drawn = Array.from({ length: areas }, () => {
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      const rate = mean * Math.exp(sigma * z - (sigma * sigma) / 2);
      const months = Array.from({ length: 24 }, () => poisson(random, rate));
      const sum = (from: number, to: number) => months.slice(from, to).reduce((a, b) => a + b, 0);
      // Oldest first: the 12 months before the last 12, then the last 12 but their last month, then last month.
      return { previous: sum(0, 12), recent: sum(12, 23), lastMonth: months[23]! };
    });
    const selected = drawn.sort((a, b) => b.recent + b.lastMonth - (a.recent + a.lastMonth)).slice(0, top);
    for (const t of selected)
      for (const label of Object.values(areaDirections(t, threshold, true)))
        if (DIRECTIONAL.has(label)) tally.set(label, (tally.get(label) ?? 0) + 1 / (replicates * top));
  }
  return tally;
}

describe("the briefing's directional words on the areas it selected", () => {
  // 1,200 selected areas per case: three standard errors above 2.5 % is about 3.9 %.
  it.each([
    { mean: 1, sigma: 0.3, seed: 11 },
    { mean: 3, sigma: 0.3, seed: 12 },
    { mean: 1, sigma: 1, seed: 13 },
  ])("are given at most at their nominal rate where nothing changes (mean $mean a month, spread $sigma)", (c) => {
    const rates = labelRates(c);
    for (const label of DIRECTIONAL) expect(rates.get(label) ?? 0, label).toBeLessThanOrEqual(0.039);
  });
});
