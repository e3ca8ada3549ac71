import type { OutcomeRow } from "./outcome-row.ts";
import { minimumDetectableEffect, monthsNeeded, wddDetectable } from "./power.ts";

/** Power of one outcome row's comparisons: what they could have detected, and what data a change would need. */
export interface OutcomePower {
  /** Conventional power the minimum detectable effects are stated at. */
  power: number;
  alpha: number;
  /** Smallest rise and fall of the rate (as after/before ratios) the exact test detects with `power`; null when none. */
  rise_ratio: number | null;
  fall_ratio: number | null;
  /** Smallest |WDD| in cases detected with `power` (null without a control). */
  wdd_cases: number | null;
  /** Months each of two equal periods would need, at the before period's monthly rate, to detect a change of `ratio` with `power` (null months: more than 50 years). */
  months_needed: Array<{ ratio: number; months: number | null; basis: "observed" | "moderate" }>;
}

// The conventional power of a design that "would have detected" an effect [@cohen1988].
export const CONVENTIONAL_POWER = 0.8;
// A moderate change in the desired direction, stated beside the observed one so that the months a
// modest real effect would need are shown even when the observed change is huge or nil.
const MODERATE_CHANGE = 0.25;
const DAYS_PER_MONTH = 365.25 / 12;
const MAX_MONTHS = 600;

/**
 * The power figures of an outcome row: the minimum detectable rise and fall of the exact rate-ratio
 * test with the before count taken as the before period's mean and the periods' lengths as
 * exposures, the minimum detectable WDD from its standard error, and the months of data each period
 * would need for the observed change and for a moderate (25 %) change in the desired direction.
 */
export function outcomePower(row: Pick<OutcomeRow, "before" | "days" | "rate_ratio" | "desired_direction" | "control">, alpha: number): OutcomePower {
  const mde = minimumDetectableEffect(row.before, row.days.before, row.days.after, alpha, CONVENTIONAL_POWER);
  const monthlyRate = row.before / (row.days.before / DAYS_PER_MONTH);
  const ratios: Array<{ ratio: number; basis: "observed" | "moderate" }> = [];
  if (row.rate_ratio !== null && row.rate_ratio > 0 && Number.isFinite(row.rate_ratio) && Math.abs(row.rate_ratio - 1) > 1e-9) ratios.push({ ratio: row.rate_ratio, basis: "observed" });
  ratios.push({ ratio: row.desired_direction === "decrease" ? 1 - MODERATE_CHANGE : 1 + MODERATE_CHANGE, basis: "moderate" });
  return {
    power: CONVENTIONAL_POWER,
    alpha,
    rise_ratio: mde.increase_ratio,
    fall_ratio: mde.decrease_ratio,
    wdd_cases: row.control && row.control.wdd.se > 0 ? wddDetectable(row.control.wdd.se, alpha, CONVENTIONAL_POWER).cases : null,
    months_needed: monthlyRate > 0 ? ratios.map(({ ratio, basis }) => ({ ratio, basis, months: monthsNeeded(monthlyRate, ratio, alpha, CONVENTIONAL_POWER, MAX_MONTHS) })) : [],
  };
}
