/**
 * The release rules of every published figure (dashboard data, patrol briefing): the one module that
 * says what may leave the lake. Their values — the suppression threshold and the sensitive categories —
 * come from the project configuration (`suppressionThreshold`, `sensitiveCategories` of the settings;
 * defaults in etl/config.ts); the rules below are how they are applied.
 *
 * - A count below the threshold is withheld ("< threshold"); 0 is published as 0: a zero reveals no
 *   person, and withholding it would make "< 5" mean "0–4" on one page and "1–4" on another.
 * - A withheld count must not come back by difference: when a total and some of its parts are
 *   published, the parts not published must together be 0 or hold at least the threshold
 *   (complementary suppression; Hundepool et al. 2012, Statistical Disclosure Control, §4.4, §5.2).
 *   One table's total and parts are released with releaseParts; tables linked by further sums (the
 *   dashboard's monthly, yearly and per-export counts and the row accounting) are released together
 *   with suppressLinked (linked-suppression.ts, ch. 4–5; the tau-argus approach for linked tables):
 *   it withholds until the closure of every relation — a known total and all parts but one give that
 *   part, all parts give the total — derives no withheld count of 1 … threshold − 1, and every known
 *   total's underivable parts hold 0 or at least the threshold. It is the standard heuristic, not a
 *   linear-programming audit: combinations of relations beyond that closure and bounds from
 *   non-negativity are not checked.
 * - A sensitive category is published only as a municipality (or wider) total: never per cell, per
 *   ring, or inside a per-cell "all offences" figure that a difference could reveal it from. In an
 *   outcome evaluation every area it counts in (evaluation area, control, buffer, the buffer's
 *   control) must be a whole municipality, or none of that category's figures is published
 *   (withheldInEvaluation).
 * - A statistic of a neighbourhood (Gi* bins) is published only where the neighbourhood's count is 0
 *   or at least the threshold: with the grid, the weights and the month's totals known, a bin pins
 *   the neighbourhood count to an interval, which for small counts can be a single value.
 */
import { listValue, type DuckDBListValue } from "@duckdb/node-api";
import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { DEFAULTS, SENSITIVE_CATEGORIES } from "../config.ts";

export interface ReleaseRules {
  /** Smallest count that may be published (a positive integer); smaller counts are withheld. */
  readonly threshold: number;
  /** Categories published only as municipality totals. */
  readonly sensitive: ReadonlySet<string>;
}

/** The rules of a configuration (its `suppressionThreshold` and `sensitiveCategories`), with the product's defaults. */
export function releaseRules(settings: { suppressionThreshold?: number; sensitiveCategories?: Iterable<string> } = {}): ReleaseRules {
  const threshold = settings.suppressionThreshold ?? DEFAULTS.suppressionThreshold;
  if (!Number.isInteger(threshold) || threshold < 1) {
    throw new RangeError(`suppression threshold ${threshold} is not a positive whole number of incidents; write e.g. suppression_threshold: 5`);
  }
  return { threshold, sensitive: new Set(settings.sensitiveCategories ?? SENSITIVE_CATEGORIES) };
}

/**
 * The sensitive categories as a SQL list parameter (`list_contains($sensitive, category)`). A
 * configuration may have none, and DuckDB cannot type an empty list: the empty string, which is no
 * category, keeps it typed VARCHAR[].
 */
export function sensitiveList(sensitive: ReadonlySet<string>): DuckDBListValue {
  return listValue(["", ...sensitive]);
}

/**
 * The categories an "all offences" figure leaves out when it is published per cell (a patrol
 * forecast, a Gi* or emerging pattern of all offences): the sensitive ones, sorted, so that the per-cell
 * figure is the same with or without them; none for a single category.
 */
export function excludedFromAll(category: string, rules: Pick<ReleaseRules, "sensitive">): string[] {
  return category === ALL_OFFENCES ? [...rules.sensitive].sort() : [];
}

/**
 * The categories of `categories` that may be published per cell (a map, a ranking, a pattern): every
 * one but the sensitive ones, "all" offences first, then by name — the order the pages offer them in.
 */
export function perCellCategories(categories: Iterable<string>, rules: Pick<ReleaseRules, "sensitive">): string[] {
  return [...new Set(categories)]
    .filter((c) => !rules.sensitive.has(c))
    .sort((a, b) => Number(b === ALL_OFFENCES) - Number(a === ALL_OFFENCES) || a.localeCompare(b));
}

/**
 * The kind of each area an outcome evaluation counts in — evaluation area, control, buffer, the
 * buffer's control — as its result or the lake's runs table gives it: null for a role not given,
 * `{ kind: null }` for one given whose kind is not known.
 */
export type EvaluationAreaKinds = ReadonlyArray<{ readonly kind: string | null } | null>;

/**
 * The sensitive categories among `categories` whose figures an outcome evaluation may not publish:
 * every one, unless every area the evaluation counts in is a whole municipality. A control's or a
 * buffer's count is as much a per-area figure as the evaluation area's, so one locality, polygon or
 * set of cells among them withholds the category (and an unknown kind does too). The one rule for
 * the dashboard's evaluation data, the shared reports and the lake's caveat notes; sorted.
 */
export function withheldInEvaluation(categories: Iterable<string>, areas: EvaluationAreaKinds, rules: Pick<ReleaseRules, "sensitive">): string[] {
  if (areas.every((a) => a === null || a.kind === "municipality")) return [];
  return [...new Set(categories)].filter((c) => rules.sensitive.has(c)).sort();
}

/** A count as published: itself when 0 or at least the threshold, otherwise null ("< threshold"). */
export function releasedCount(count: number, rules: Pick<ReleaseRules, "threshold">): number | null {
  return count === 0 || count >= rules.threshold ? count : null;
}

/** Whether a neighbourhood statistic (a Gi* bin) may be published for a neighbourhood holding `ringCount` incidents. */
export function releasableNeighbourhood(ringCount: number, rules: Pick<ReleaseRules, "threshold">): boolean {
  return ringCount === 0 || ringCount >= rules.threshold;
}

/** A total and its parts as published: null where withheld. */
export interface ReleasedParts {
  /** The total, or null when below the threshold. */
  total: number | null;
  /** Each part, or null when withheld. */
  parts: Array<number | null>;
}

/**
 * A total and its parts (offence mix, days of the week, a cell's categories): a part below the
 * threshold is withheld — as is every part `listed` marks false, which the caller does not publish
 * anyway — and then so many more parts (the smallest first) that the withheld parts together hold 0
 * or at least the threshold, since the published total minus the published parts is their sum.
 * A total below the threshold withholds every part. With `zeroDisclosive` (the briefing's choice,
 * where a withheld part is meant to stay unknown) a withheld sum of 0 counts as disclosive too.
 */
export function releaseParts(
  parts: readonly number[],
  threshold: number,
  options: { listed?: readonly boolean[]; zeroDisclosive?: boolean } = {},
): ReleasedParts {
  const total = parts.reduce((s, n) => s + n, 0);
  if (total < threshold) return { total: null, parts: parts.map(() => null) };
  const zeroDisclosive = options.zeroDisclosive ?? true;
  const withheld = new Set(parts.flatMap((n, i) => (n < threshold || options.listed?.[i] === false ? [i] : [])));
  const withheldSum = () => [...withheld].reduce((s, i) => s + parts[i]!, 0);
  const safe = () => {
    const sum = withheldSum();
    return withheld.size === 0 || sum >= threshold || (sum === 0 && !zeroDisclosive);
  };
  // Smallest published parts first.
  const order = parts
    .map((n, i) => [n, i] as const)
    .filter(([, i]) => !withheld.has(i))
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (safe()) break;
    withheld.add(i);
  }
  return { total, parts: parts.map((n, i) => (withheld.has(i) ? null : n)) };
}
