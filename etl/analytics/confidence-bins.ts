import cdf from "@stdlib/stats-base-dists-normal-cdf";

/** Two-sided p-value of a standard normal z-score; NaN stays NaN. */
export function twoSidedP(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return 2 * cdf(-Math.abs(z), 0, 1);
}

/** The confidence levels of ArcGIS Hot Spot Analysis: bin ±3, ±2, ±1 at 99 %, 95 %, 90 %. */
const LEVELS = [
  { bin: 3, alpha: 0.01 },
  { bin: 2, alpha: 0.05 },
  { bin: 1, alpha: 0.1 },
] as const;

/**
 * Gi_Bin as ArcGIS reports it: +3/−3 for hot/cold spots significant at 99 % confidence, ±2 at 95 %,
 * ±1 at 90 %, 0 otherwise, from the two-sided p-value and the sign of z.
 */
export function confidenceBins(z: ArrayLike<number>): Int8Array {
  const bins = new Int8Array(z.length);
  for (let i = 0; i < z.length; i++) {
    const p = twoSidedP(z[i]!);
    const level = LEVELS.find((l) => p <= l.alpha);
    bins[i] = level ? Math.sign(z[i]!) * level.bin : 0;
  }
  return bins;
}

/**
 * Confidence bins with the false discovery rate controlled [@benjamini1995], as ArcGIS applies its
 * FDR option: at each level α the Benjamini–Hochberg step-up rule over the m finite p-values finds
 * the largest rank k with p_(k) ≤ k α / m, and only p-values at or below p_(k) stay significant at
 * that level. Fewer cells survive than with `confidenceBins`, never more.
 */
export function confidenceBinsFdr(z: ArrayLike<number>): Int8Array {
  const p = Array.from(z, twoSidedP);
  const sorted = p.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const m = sorted.length;
  const cutoffs = LEVELS.map(({ bin, alpha }) => {
    let cutoff = -1;
    for (let k = m; k >= 1; k--) {
      if (sorted[k - 1]! <= (k * alpha) / m) {
        cutoff = sorted[k - 1]!;
        break;
      }
    }
    return { bin, cutoff };
  });
  const bins = new Int8Array(z.length);
  for (let i = 0; i < z.length; i++) {
    const level = cutoffs.find((c) => p[i]! <= c.cutoff);
    bins[i] = level ? Math.sign(z[i]!) * level.bin : 0;
  }
  return bins;
}
