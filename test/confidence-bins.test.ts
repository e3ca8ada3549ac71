import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binsFdrOfGroups, binsFdrOfP, confidenceBins, confidenceBinsFdr, twoSidedP } from "../etl/analytics/confidence-bins.ts";

// z for a two-sided p: the standard normal quantile of 1 − p/2, from published tables.
const Z = { p10: 1.6448536269514722, p05: 1.959963984540054, p01: 2.5758293035489004 };

describe("confidence bins (ArcGIS Gi_Bin)", () => {
  it("p-values match the normal table", () => {
    expect(twoSidedP(Z.p05)).toBeCloseTo(0.05, 12);
    expect(twoSidedP(-Z.p01)).toBeCloseTo(0.01, 12);
    expect(twoSidedP(0)).toBe(1);
    expect(twoSidedP(Number.NaN)).toBeNaN();
  });

  it("bins ±3/±2/±1 at 99/95/90 % confidence, signed by z", () => {
    const z = [3, 2.2, 1.7, 1.6, 0, -1.7, -2.2, -3, Number.NaN];
    expect(Array.from(confidenceBins(z))).toEqual([3, 2, 1, 0, 0, -1, -2, -3, 0]);
  });

  it("FDR keeps only the Benjamini–Hochberg step-up discoveries at each level", () => {
    // Ten p-values worked by hand. At α = 0.05 the thresholds kα/m are 0.005, 0.010, … 0.050:
    // p(1) = 0.001 and p(2) = 0.008 pass, p(3) = 0.039 > 0.015 and no later p passes, so k = 2.
    // At α = 0.10 (thresholds 0.01k): p(5) = 0.042 ≤ 0.05 passes and nothing above it, so k = 5.
    // At α = 0.01 (0.001k): only p(1) = 0.001 ≤ 0.001.
    const p = [0.008, 0.001, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216];
    const z = p.map((v, i) => inverseTwoSided(v) * (i === 3 ? -1 : 1));
    expect(Array.from(confidenceBinsFdr(z))).toEqual([2, 3, 1, -1, 1, 0, 0, 0, 0, 0]);
    // Without FDR: 0.008 → 99 %, 0.039–0.042 → 95 %, 0.06, 0.074 → 90 %.
    expect(Array.from(confidenceBins(z))).toEqual([3, 3, 2, -2, 2, 1, 1, 0, 0, 0]);
  });
});

describe("binsFdrOfGroups", () => {
  it("gives every cell of a group the FDR bin that binsFdrOfP gives the expanded list", () => {
    // Groups share p-values (ties within and across groups), some are empty, some have no p-value:
    // the grouped rule must find the same Benjamini–Hochberg cut-offs as the rule over every cell.
    const pValue = fc.oneof(fc.constantFrom(0.0002, 0.001, 0.004, 0.01, 0.02, 0.05, 0.1, Number.NaN), fc.double({ min: 0, max: 1, noNaN: true }));
    const group = fc.record({ p: pValue, members: fc.nat(40), sign: fc.constantFrom(-1, 0, 1) });
    fc.assert(
      fc.property(fc.array(group, { minLength: 1, maxLength: 300 }), (groups) => {
        const p = Float64Array.from(groups, (g) => g.p);
        const z = Float64Array.from(groups, (g) => g.sign);
        const members = Float64Array.from(groups, (g) => g.members);
        const grouped = binsFdrOfGroups(z, p, members);
        const cellP = groups.flatMap((g) => Array<number>(g.members).fill(g.p));
        const cellZ = groups.flatMap((g) => Array<number>(g.members).fill(g.sign));
        const expected = binsFdrOfP(cellZ, cellP);
        const expanded = groups.flatMap((g, k) => Array<number>(g.members).fill(grouped[k]!));
        expect(expanded).toEqual(Array.from(expected));
      }),
      { seed: 19, numRuns: 300 },
    );
  });
});

/** |z| with two-sided p, by bisection on twoSidedP (monotone), to check the bins from p-values. */
function inverseTwoSided(p: number): number {
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (twoSidedP(mid) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
