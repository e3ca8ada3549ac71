import { exactTestShowsChange, rateRatioTest } from "./rate-ratio-test.ts";

/** A split of a total count into before and after, with its rate ratio after/before (null when before is 0). */
export interface Split {
  before: number;
  after: number;
  rate_ratio: number | null;
}

/** The least lopsided splits of a total that the exact test would call significant, each way. */
export interface DetectableChange {
  total: number;
  alpha: number;
  /** Least extreme rise that shows a change (null when even all-after does not). */
  increase: Split | null;
  /** Least extreme fall that shows a change (null when even all-before does not). */
  decrease: Split | null;
}

/**
 * How large a change the data could show at all. Conditional on the total n = before + after, the
 * exact rate-ratio test (rate-ratio-test.ts) has only n + 1 possible outcomes; this finds the least
 * lopsided split in each direction that shows a change (exactTestShowsChange: p < α and the interval
 * excludes 1) [@r-poisson-test; @fay2010]. Both the p-value and the interval's distance from 1 only
 * grow more extreme as a split a (after) moves away from the expected n·π0, π0 = E_a/(E_a + E_b), so
 * a bisection over each side suffices. For n = 11 with equal periods the answer is 1 → 10 and
 * 10 → 1: a change of 3 → 8, or even 2 → 9, cannot be significant at 5 %, whatever the intervention did.
 */
export function detectableChange(total: number, beforeExposure = 1, afterExposure = 1, alpha = 0.05): DetectableChange {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a non-negative integer, got ${total}`);
  const shows = (after: number) => exactTestShowsChange(rateRatioTest(total - after, after, beforeExposure, afterExposure, 1 - alpha), alpha);
  const split = (after: number): Split => ({
    before: total - after,
    after,
    rate_ratio: after === total ? null : rateRatioTest(total - after, after, beforeExposure, afterExposure).rateRatio,
  });
  const expected = (total * afterExposure) / (afterExposure + beforeExposure);

  // Rises: the smallest a in [⌈expected⌉, total] that shows a change (every larger a does too).
  let increase: Split | null = null;
  let lo = Math.ceil(expected);
  let hi = total;
  if (total > 0 && shows(hi)) {
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (shows(mid)) hi = mid;
      else lo = mid + 1;
    }
    increase = split(hi);
  }

  // Falls: the largest a in [0, ⌊expected⌋] that shows a change (every smaller a does too).
  let decrease: Split | null = null;
  lo = 0;
  hi = Math.floor(expected);
  if (total > 0 && shows(lo)) {
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (shows(mid)) lo = mid;
      else hi = mid - 1;
    }
    decrease = split(lo);
  }
  return { total, alpha, increase, decrease };
}
