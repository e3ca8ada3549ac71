/**
 * Each value's mid-rank on [0, 1]: (number of smaller values + (number of equal values − 1) / 2) /
 * (n − 1), so the smallest value maps to 0, the largest to 1 and tied values share the mean of their
 * ranks (the "average" ties method of R's `rank`, rescaled). NaN counts as smaller than every number.
 * Ranks make two forecasts on different scales (counts and smoothed rates) commensurable for
 * stacking, and they are invariant to any increasing transform of either [@wheeler2021].
 */
export function midRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const key = Float64Array.from({ length: n }, (_, i) => (Number.isNaN(values[i]!) ? Number.NEGATIVE_INFINITY : values[i]!));
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (key[a] === key[b] ? 0 : key[a]! - key[b]!));
  const out = new Float64Array(n);
  if (n === 1) return out.fill(0.5);
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && key[order[end + 1]!] === key[order[start]!]) end++;
    const rank = (start + end) / 2 / (n - 1);
    for (let r = start; r <= end; r++) out[order[r]!] = rank;
    start = end + 1;
  }
  return out;
}

/**
 * A forecast stacked on the naive baseline [@wolpert1992; @breiman1996]: with b the baseline's
 * scores (last-12-months counts), p a partner method's and w the partner's weight,
 *
 *     w = 0:   score = b, ties broken by p;
 *     w > 0:   score = (1 − w) · midRanks(b) + w · midRanks(p), ties broken by p.
 *
 * w = 0 reorders cells only within the baseline's ties — where the baseline itself can only fall back
 * on cell order, which carries no information — so it differs from the baseline only where that
 * choice is arbitrary; sparse counts tie a lot at the coverage cut-off. Larger w moves towards the
 * partner. w is chosen by the nested backtest like every other parameter, and w = 1 (the partner
 * alone) is not a stacked forecast: it is the partner candidate.
 */
export function stackedScores(
  baseline: Float64Array,
  partner: Float64Array,
  w: number,
  ranks?: { baseline: Float64Array; partner: Float64Array },
): { score: Float64Array; tieBreak: Float64Array } {
  if (!(w >= 0 && w < 1)) throw new RangeError(`the partner's weight must be in [0, 1), got ${w}`);
  if (baseline.length !== partner.length) throw new RangeError("the baseline and the partner score different numbers of cells");
  if (w === 0) return { score: baseline, tieBreak: partner };
  const rb = ranks?.baseline ?? midRanks(baseline);
  const rp = ranks?.partner ?? midRanks(partner);
  return { score: Float64Array.from(rb, (v, i) => (1 - w) * v + w * rp[i]!), tieBreak: partner };
}
