/**
 * Publishing a total and its parts (offence mix, days of the week, times of day) under the release
 * rules: a part below the threshold is withheld, and so many more parts (the smallest first) that the
 * withheld parts together hold at least the threshold — otherwise the published total minus the
 * published parts would give a small count back (complementary suppression; Hundepool et al. 2012,
 * Statistical Disclosure Control, §5.2). A total below the threshold withholds every part.
 */
export interface ReleasedParts {
  /** The total, or null when below the threshold. */
  total: number | null;
  /** Each part, or null when withheld. */
  parts: Array<number | null>;
}

export function releaseParts(parts: readonly number[], threshold: number): ReleasedParts {
  const total = parts.reduce((s, n) => s + n, 0);
  if (total < threshold) return { total: null, parts: parts.map(() => null) };
  const withheld = new Set(parts.flatMap((n, i) => (n < threshold ? [i] : [])));
  const withheldSum = () => [...withheld].reduce((s, i) => s + parts[i]!, 0);
  // Smallest published parts first; zeros count as published facts only when nothing is withheld.
  const order = parts.map((n, i) => [n, i] as const).filter(([, i]) => !withheld.has(i)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [, i] of order) {
    const sum = withheldSum();
    if (withheld.size === 0 || sum >= threshold) break;
    withheld.add(i);
  }
  return { total, parts: parts.map((n, i) => (withheld.has(i) ? null : n)) };
}
