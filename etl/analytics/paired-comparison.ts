/** A method against a reference over the same backtest months. */
export interface PairedComparison {
  /** Months compared (both defined). */
  n: number;
  /** Mean of d_t = method − reference, and its two-sided 95 % confidence interval (paired t). */
  meanDifference: number;
  ciLow: number;
  ciHigh: number;
  /** Months the method was higher, lower, equal. */
  wins: number;
  losses: number;
  ties: number;
}

/**
 * Paired comparison of two accuracy series month by month (e.g. PAI of a method and of the
 * last-12-months baseline): the mean difference d̄ with the paired t interval
 *
 *     d̄ ± t_{0.975, n−1} · s_d / √n,
 *
 * and the count of months won, lost and tied (the sign-test view) [@diebold1995; @student1908].
 * Pairs where either value is not finite are skipped. With n < 2 the interval is NaN. Consecutive
 * months are not independent, so the interval is a guide, not a test at exactly 95 %.
 *
 * `same` marks months where the two are the same in substance though their values differ (a
 * backtest's PAI of two selections that caught as many incidents in as many cells differs only by
 * the few-per-10⁴ spread of H3 cell areas): they count as ties, not as months won or lost. The mean
 * and interval keep the values as they are.
 */
/** Two selections of one backtest month caught alike: as many incidents in as many cells (`same` of pairedComparison). */
export function caughtAlike(a: { hits: number; cells: number }, b: { hits: number; cells: number } | undefined): boolean {
  return b !== undefined && a.hits === b.hits && a.cells === b.cells;
}

export function pairedComparison(method: ArrayLike<number>, reference: ArrayLike<number>, level = 0.95, same?: ArrayLike<boolean>): PairedComparison {
  if (method.length !== reference.length || (same !== undefined && same.length !== method.length)) throw new RangeError("the two series differ in length");
  const d: number[] = [];
  let wins = 0;
  let losses = 0;
  let ties = 0;
  for (let t = 0; t < method.length; t++) {
    const a = method[t]!;
    const b = reference[t]!;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    d.push(a - b);
    if (same?.[t] || a === b) ties++;
    else if (a > b) wins++;
    else losses++;
  }
  const n = d.length;
  const mean = n > 0 ? d.reduce((s, v) => s + v, 0) / n : Number.NaN;
  const sd = n > 1 ? Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  const half = n > 1 ? studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n)) : Number.NaN;
  return { n, meanDifference: mean, ciLow: mean - half, ciHigh: mean + half, wins, losses, ties };
}

/**
 * Quantile of Student's t with ν degrees of freedom: the Cornish–Fisher expansion in 1/ν around the
 * normal quantile [@abramowitz1964, 26.7.5]: within about 3e-3 of the exact value at ν = 3 and 1e-4
 * from ν = 10 (p = 0.975); exact forms for ν = 1 (Cauchy) and ν = 2. Enough for an interval that is a
 * guide (see `pairedComparison`).
 */
export function studentTQuantile(p: number, nu: number): number {
  if (!(p > 0 && p < 1) || !(nu > 0)) throw new RangeError(`need 0 < p < 1 and ν > 0, got p = ${p}, ν = ${nu}`);
  if (nu === 1) return Math.tan(Math.PI * (p - 0.5));
  if (nu === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / nu + g2 / nu ** 2 + g3 / nu ** 3 + g4 / nu ** 4;
}

/** Standard normal quantile, Acklam's rational approximation (relative error < 1.2e-9) [@acklam2003]. */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
    return p < low ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
