import type { CellMonthGrid } from "./cell-month-grid.ts";

/**
 * The fewest months with an incident that emerging hot spots of one category need (see
 * emergingSparsity). Not a property of any data set: the size below which the Mann-Kendall S of a
 * series is far from normal [@kendall1975 tabulates its exact distribution up to n = 10].
 */
export const EMERGING_MINIMUM_MONTHS = 10;

/** Why a category's grid is too sparse for emerging hot spots: the rule it breaks, with the figures a page may show. */
export interface EmergingSparsity {
  reason: "few_months";
  /** Months of the grid, and the fewest of them that must hold an incident. */
  months: number;
  minimum_months: number;
}

/**
 * Whether emerging hot spots [@esri-ehsa] can say anything about this cell × month grid, or why not.
 *
 * Assumption: a cell's pattern rests on the Mann-Kendall trend of its monthly Gi* z-scores and on
 * which months are significant. A month without any incident in the study area gives every cell the
 * same z (its neighbourhood is empty, as every other), so it carries no information about where or
 * whether the category moves: the test effectively sees only the months with incidents. Below
 * `minimum` such months (default EMERGING_MINIMUM_MONTHS) the trend test's normal approximation does
 * not hold and one or two incidents decide every pattern, so the category is refused (null: it may
 * be analysed). Only which rule failed is returned, never the count of incidents or months with
 * them: a refused category is sparse, and its counts would fall under the suppression threshold.
 */
export function emergingSparsity(grid: CellMonthGrid, minimum: number = EMERGING_MINIMUM_MONTHS): EmergingSparsity | null {
  if (!Number.isInteger(minimum) || minimum < 1) throw new RangeError(`the minimum number of months must be a positive integer, got ${minimum}`);
  const cells = grid.cells.length;
  const steps = grid.months.length;
  let withIncidents = 0;
  for (let t = 0; t < steps; t++) {
    for (let i = t * cells; i < (t + 1) * cells; i++) {
      if (grid.counts[i]! > 0) {
        withIncidents++;
        break;
      }
    }
  }
  return withIncidents >= minimum ? null : { reason: "few_months", months: steps, minimum_months: minimum };
}

/**
 * The refusal of a command that asked for emerging hot spots of a series too sparse for them: what
 * was asked, the rule, and what to do. Like EmergingSparsity, it names the months of the range and
 * the minimum, not how many months held an incident.
 */
export function emergingSparsityText(category: string, first: string | null, last: string | null, sparsity: EmergingSparsity): string {
  const range = first === null || last === null ? "the lake's months" : first === last ? first : `${first} … ${last}`;
  return (
    `no emerging hot spots of ${category} over ${range} (${sparsity.months} month${sparsity.months === 1 ? "" : "s"}): ` +
    `the trend test needs incidents in at least ${sparsity.minimum_months} months, and fewer of these months hold one. ` +
    `Give a longer range (--from/--to; leave them out for every month of the lake), or a broader category`
  );
}
