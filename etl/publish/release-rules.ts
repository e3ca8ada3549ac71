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
 *   (withheldInEvaluation) and the evaluation's "all offences" is counted without it
 *   (excludedFromEvaluationAll). Where the project publishes a figure of its own for that area
 *   (an indicator the evaluation cross-checks), that "all" is withheld too: the project's figure
 *   may count every offence, and it less our "all" would then be the area's sensitive count.
 *   An evaluation's per-locality figures (placebo estimates, donor weights) of a sensitive category,
 *   or of an "all" that counts one, are not published either (perLocalityWithheld).
 * - Counts of nested selections of a published total (a backtest month's hit rates at 1, 5 and 10 % of
 *   the area, with the month's incidents the overview publishes) are released so that every band
 *   between two published ones, and the rest up to the total, is 0 or at least the threshold
 *   (releasedNested, releasedBacktestFolds): a hit rate is a count once its denominator is published.
 *   A forecast selection's margin and gain over the baseline, means over the same months, are published
 *   only where every month they rest on is (selectionEvidenceReleased).
 * - A statistic of a neighbourhood (Gi* bins) is published only where the neighbourhood's count is 0
 *   or at least the threshold: with the grid, the weights and the month's totals known, a bin pins
 *   the neighbourhood count to an interval, which for small counts can be a single value.
 * - Figures of a series of releases over windows that slide by a month (the patrol briefing's area
 *   counts) are rounded to the base of the threshold (seriesRounded): two exact releases difference
 *   to the months that entered and left the window, which no check of one release can see.
 */
import { listValue, type DuckDBListValue } from "@duckdb/node-api";
import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";
import { TOP_CELLS } from "../analytics/rolling-backtest.ts";
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
 * The sensitive categories an outcome evaluation may not publish: every configured one, unless every
 * area it counts in is a whole municipality. A control's or a buffer's count is as much a per-area
 * figure as the evaluation area's, so one locality, polygon or set of cells among them withholds them
 * (and an unknown kind does too). The evaluation's "all offences" is then counted without them, as a
 * per-cell "all" is (excludedFromAll): "all" less the published categories would otherwise give their
 * count, whichever categories the evaluation asked for. Sorted.
 */
export function excludedFromEvaluationAll(areas: EvaluationAreaKinds, rules: Pick<ReleaseRules, "sensitive">): string[] {
  return areas.every((a) => a === null || a.kind === "municipality") ? [] : excludedFromAll(ALL_OFFENCES, rules);
}

/**
 * Whether a project's indicator is a figure the project publishes itself: a baseline, an achieved
 * value or a checkpoint (a target is no count of what happened).
 */
export function publishesFigure(indicator: { baseline: number | null; achieved: number | null; checkpoints: readonly unknown[] }): boolean {
  return indicator.baseline !== null || indicator.achieved !== null || indicator.checkpoints.length > 0;
}

/**
 * The categories among `categories` whose figures an outcome evaluation may not publish: the
 * sensitive ones excludedFromEvaluationAll names, and "all" offences too where `all.excludes` (the
 * categories the evaluation's "all" was counted without: its `all_excludes`) is not empty and neither
 * is `all.projectFigures` — the indicators, cross-checked by the evaluation, whose figures the project
 * publishes itself for the evaluation area (publishesFigure). Such a figure may count every offence
 * of the area, the sensitive ones included, and this "all" is counted without them: the project's
 * figure less ours, for any period they share, would be the area's sensitive count (the project's
 * 3 → 6 beside our 1 → 1 gives 2 → 5). Whether a figure is "all offences" or one category, and which
 * months it covers, the product cannot tell from a seed's sentence, so every "all" figure of the
 * evaluation is withheld — rows, history, time series, placebos, synthetic control and the
 * cross-checks set beside them — whichever category and period the figure has. The one rule for the
 * dashboard's evaluation data, the shared reports and the lake's caveat notes; sorted.
 */
export function withheldInEvaluation(
  categories: Iterable<string>,
  areas: EvaluationAreaKinds,
  all: { excludes: readonly string[]; projectFigures: readonly string[] },
  rules: Pick<ReleaseRules, "sensitive">,
): string[] {
  const excluded = new Set(excludedFromEvaluationAll(areas, rules));
  if (all.excludes.length > 0 && all.projectFigures.length > 0) excluded.add(ALL_OFFENCES);
  return [...new Set(categories)].filter((c) => excluded.has(c)).sort();
}

/**
 * Whether an outcome evaluation's per-locality figures of `category` — its in-space placebos' estimates,
 * its synthetic control's donor weights and the text that names them — may not be published: the
 * placebos and donors are the lake's localities, below a municipality. A sensitive category's never
 * are, nor "all" where it counts the sensitive categories (`allExcludes` empty: every area of the
 * evaluation is a whole municipality, so its donors' "all" was counted with them too): a donor's
 * weight beside the synthetic control's count gives that donor's count (a weight of 100 %, the
 * count itself), which less its "all" without them, published by another evaluation of that locality,
 * would be its sensitive count. The evaluation-wide figures (rank, p-value, the area's counts) stay.
 */
export function perLocalityWithheld(category: string, allExcludes: readonly string[], rules: Pick<ReleaseRules, "sensitive">): boolean {
  return rules.sensitive.has(category) || (category === ALL_OFFENCES && allExcludes.length === 0 && rules.sensitive.size > 0);
}

/** A count as published: itself when 0 or at least the threshold, otherwise null ("< threshold"). */
export function releasedCount(count: number, rules: Pick<ReleaseRules, "threshold">): number | null {
  return count === 0 || count >= rules.threshold ? count : null;
}

/** Whether a neighbourhood statistic (a Gi* bin) may be published for a neighbourhood holding `ringCount` incidents. */
export function releasableNeighbourhood(ringCount: number, rules: Pick<ReleaseRules, "threshold">): boolean {
  return ringCount === 0 || ringCount >= rules.threshold;
}

/**
 * Which counts of nested selections may be published beside their total: `cumulative` holds the
 * counts of ever larger selections of one whole (a ranking's first 1, 5 and 10 % of the area or its
 * top 10 and 20 cells, as a backtest month's hits; the best cells' counts behind PEI*), smallest
 * selection first; `total` is the whole's count (the month's incidents, which the overview publishes).
 * Two published figures give the count of the band of cells between them, and the last one with the
 * total gives the rest: a figure is published only where every band between published figures, and
 * the rest, holds 0 or at least the threshold. Taken from the smallest selection on; the last ones
 * are withheld again until the rest is safe. A total below the threshold publishes none.
 */
export function releasedNested(cumulative: readonly number[], total: number, rules: Pick<ReleaseRules, "threshold">): boolean[] {
  if (!nestedWithin(cumulative, total)) throw new RangeError(`nested counts ${cumulative.join(", ")} of ${total} do not grow within their total`);
  const safe = (n: number) => releasedCount(n, rules) !== null;
  const taken: number[] = [];
  const last = () => (taken.length === 0 ? 0 : cumulative[taken.at(-1)!]!);
  cumulative.forEach((c, j) => {
    if (safe(c - last())) taken.push(j);
  });
  while (taken.length > 0 && !safe(total - last())) taken.pop();
  const released = new Set(taken);
  return cumulative.map((_, j) => released.has(j));
}

/** Whether counts of ever larger selections grow, none past their total (what releasedNested reads them as). */
export function nestedWithin(cumulative: readonly number[], total: number): boolean {
  return cumulative.every((c, j) => c >= (cumulative[j - 1] ?? 0) && c <= total);
}

/** What the release of a backtest month reads of each fold (one method, month and share of the area). */
export interface BacktestCounts {
  method: string;
  month: string;
  /** Cells selected, incidents in them, and the month's incidents in the study area. */
  cells: number;
  hits: number;
  incidents: number;
  pai: number;
  pai_max: number;
  /** Incidents in the method's top 10 and 20 cells (the summary's means). */
  top10: number;
  top20: number;
}

/**
 * The folds of a backtest whose figures may be published (`published`: the month's hit rate, PAI
 * and PEI*) and those the summary's means may take in (`summarised`: published, and the month's
 * top-10 and top-20 captures too, which the means average). A month's selections of one method are
 * nested — its shares of the area and its top 10 and 20 cells are prefixes of one ranking — and the
 * overview publishes the month's incidents, so a hit rate gives the hits, two give the count of the
 * cells between them and the last the rest of the area: each is released under releasedNested. So
 * are the best cells' counts behind PEI* (hits / PEI*: its oracle takes as many cells, those of most
 * incidents), where the hits are not 0. A mean over months takes in no withheld month: the mean
 * times the months, less the months published, would give it back.
 */
export function releasedBacktestFolds<T extends BacktestCounts>(
  folds: readonly T[],
  rules: Pick<ReleaseRules, "threshold">,
): { published: Set<T>; summarised: Set<T> } {
  const published = new Set<T>();
  const summarised = new Set<T>();
  const byMonth = new Map<string, T[]>();
  for (const f of folds) {
    const key = `${f.method}\u0000${f.month}`;
    byMonth.set(key, [...(byMonth.get(key) ?? []), f]);
  }
  for (const month of byMonth.values()) {
    const total = month[0]!.incidents;
    // Every selection of the ranking by its number of cells (one count per number of cells: a share and a top-N may coincide).
    const selections = new Map<number, number>(month.map((f) => [f.cells, f.hits]));
    TOP_CELLS.forEach((n, i) => selections.set(n, i === 0 ? month[0]!.top10 : month[0]!.top20));
    const sizes = [...selections.keys()].sort((a, b) => a - b);
    const hits = sizes.map((n) => selections.get(n)!);
    // Lists not nested are not one ranking's (a fold written otherwise): nothing of the month can be shown safe, so none is.
    if (!nestedWithin(hits, total)) continue;
    const hitsOut = releasedNested(hits, total, rules);
    const hitsReleased = new Map(sizes.map((n, j) => [n, hitsOut[j]!]));
    // The oracle's counts are given away only by a PEI* of hits above 0: hits × PAI* / PAI, as a reader works them out. The
    // oracle's cells differ from the list's in area by a hair, so large counts come out a fraction off: rounded, kept nested.
    const revealing = month.filter((f) => f.hits > 0 && f.pai > 0).sort((a, b) => a.cells - b.cells);
    let previous = 0;
    const oracle = revealing.map((f) => (previous = Math.min(total, Math.max(previous, Math.round((f.hits * f.pai_max) / f.pai)))));
    const oracleOut = releasedNested(oracle, total, rules);
    const oracleReleased = new Map(revealing.map((f, j) => [f, oracleOut[j]!]));
    const topReleased = TOP_CELLS.every((n) => hitsReleased.get(n));
    for (const f of month) {
      if (!hitsReleased.get(f.cells) || oracleReleased.get(f) === false) continue;
      published.add(f);
      if (topReleased) summarised.add(f);
    }
  }
  return { published, summarised };
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

/**
 * The base the briefing's area counts are rounded to: the threshold. Exact, consecutive briefings
 * leak: an area's 12 months minus the same area's 12 months a briefing earlier is the newest month
 * less the month 13 back (the newest month alone in a lake's first year), and minus the hot-spot
 * page's cells of that month it gives a count the briefing withheld (Nottingham robberies, December
 * 393 − November 360 − 21 − 9 = 3); any two briefings n months apart do the same over n months, and
 * an area's 12 months less the last-month figures of its other 11 months give the twelfth. A record
 * of what earlier briefings published cannot close this: a lake re-run, rebuilt or copied has none,
 * and the briefings it published stay on readers' disks. Rounded to base b = threshold, a count is
 * only known to one of b consecutive values, and so is every difference of one rounded figure with
 * exact ones: b consecutive values can never all lie within 1 … threshold − 1 (statistical
 * disclosure control's rounding, as ONS and Eurostat round such tables to base 5; Hundepool et
 * al. 2012, ch. 5). Every area count of the briefing is rounded, last month's too: an exact month
 * beside rounded windows would give exact offsets, and windows whose other months are all known
 * exactly intersect to one value. Limit: intersecting many rounded windows of one area whose other
 * counts are all published exactly (a hot-spot cell's every month) can still narrow a count; the
 * difference check against the hot-spot page (hot-spot-differences.ts) withholds the windows whose
 * unpublished rest is that small. A threshold of 1 rounds nothing.
 */
export function seriesRoundingBase(rules: Pick<ReleaseRules, "threshold">): number {
  return rules.threshold;
}

/** A released count (null where withheld, 0 as 0) rounded to the nearest multiple of seriesRoundingBase, halves up. */
export function seriesRounded(count: number | null, rules: Pick<ReleaseRules, "threshold">): number | null {
  if (count === null || count === 0) return count;
  const base = seriesRoundingBase(rules);
  // A released non-zero count is at least the threshold, so it never rounds to 0.
  return Math.max(base, Math.round(count / base) * base);
}

/** A total and its parts as released, each rounded (seriesRounded): the parts need not add up to the total any more. */
export function seriesRoundedParts(released: ReleasedParts, rules: Pick<ReleaseRules, "threshold">): ReleasedParts {
  return { total: seriesRounded(released.total, rules), parts: released.parts.map((n) => seriesRounded(n, rules)) };
}

/**
 * Whether a forecast selection's margin over the runner-up and gain over the baseline may be published
 * beside its backtest's released months. The gain is the chosen method's summed PAI over the baseline's,
 * less 1, at the decision share where it is smallest, over the selection's months: with every other of
 * those months published, it gives the one withheld month's PAI, and so its hits (the demo's published
 * figures give a month's PAI back to ±0.007, one incident being 0.19), the count releasedBacktestFolds
 * withheld. So both figures go out only where every fold they rest on — each of `methods` (the chosen
 * ones, the baseline, the runner-up), month and decision share — is one the release publishes; a fold
 * missing from `folds` counts as withheld. The margin's own factor (the family-wise margin, a bootstrap
 * over every candidate) is not invertible, but the margin is a difference of the same means.
 */
export function selectionEvidenceReleased<T extends { method: string; month: string; area_target: number }>(
  folds: readonly T[],
  published: ReadonlySet<T>,
  evidence: { methods: readonly string[]; months: readonly string[]; shares: readonly number[] },
): boolean {
  const key = (method: string, month: string, share: number) => `${method}\u0000${month}\u0000${share}`;
  const released = new Set(folds.filter((f) => published.has(f)).map((f) => key(f.method, f.month, f.area_target)));
  return evidence.methods.every((m) => evidence.months.every((month) => evidence.shares.every((s) => released.has(key(m, month, s)))));
}
