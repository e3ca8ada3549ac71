import type { OutcomePower, OutcomeRow } from "./outcome-row.ts";
import { minimumDetectableEffect, monthsNeeded, wddDetectable } from "./power.ts";

export type { OutcomePower } from "./outcome-row.ts";

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
  if (row.rate_ratio !== null && row.rate_ratio > 0 && Number.isFinite(row.rate_ratio) && Math.abs(row.rate_ratio - 1) > 1e-9)
    ratios.push({ ratio: row.rate_ratio, basis: "observed" });
  ratios.push({ ratio: row.desired_direction === "decrease" ? 1 - MODERATE_CHANGE : 1 + MODERATE_CHANGE, basis: "moderate" });
  return {
    power: CONVENTIONAL_POWER,
    alpha,
    rise_ratio: mde.increase_ratio,
    fall_ratio: mde.decrease_ratio,
    wdd_cases: row.control && row.control.wdd.se > 0 ? wddDetectable(row.control.wdd.se, alpha, CONVENTIONAL_POWER).cases : null,
    months_needed:
      monthlyRate > 0
        ? ratios.map(({ ratio, basis }) => ({ ratio, basis, months: monthsNeeded(monthlyRate, ratio, alpha, CONVENTIONAL_POWER, MAX_MONTHS) }))
        : [],
  };
}
