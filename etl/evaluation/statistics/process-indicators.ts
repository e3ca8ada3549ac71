import type { Indicator, ValueQualifier } from "../../context/project-indicators.ts";
import { directionMet } from "./desired-direction.ts";
import { formatNumber } from "../format.ts";

/** A checkpoint with its running total and its share of the target. */
export interface CheckpointProgress {
  label: string;
  date: string | null;
  value: number;
  basis: "cumulative" | "in_period";
  qualifier: ValueQualifier;
  /** Total reached by this checkpoint: the value itself (cumulative) or the previous total plus it (in period). */
  cumulative: number;
  cumulative_qualifier: ValueQualifier;
  percent_of_target: number | null;
}

/** An indicator with what can be computed from its figures — never more than the seed states. */
export interface IndicatorProgress {
  indicator: Indicator;
  percent_of_target: number | null;
  target_met: boolean | null;
  change_from_baseline: number | null;
  percent_change_from_baseline: number | null;
  direction_met: boolean | null;
  checkpoints: CheckpointProgress[];
  /** Plain-language status, e.g. "538 against 300 planned (179.3 % of target): target exceeded". */
  status: string;
}

/**
 * Whether an indicator's unit is a share (per cent, percentage points, Lithuanian procentai): such
 * figures are not counts, so readings are not summed across periods and a change from the baseline
 * is in percentage points, not a percentage of a percentage (40 % → 55 % is +15 points, not +37.5 %).
 */
export function isShareUnit(unit: string): boolean {
  return /^(%|per ?cents?|percent(age)?s?|percentage points?|pp|proc\.?|procent(as|ai|o|ų|inis|iniai)?( punkt(as|ai|o|ų))?)$/i.test(unit.trim());
}

/** "about 3,000", "over 8,000", "826". */
export function qualified(value: number | null, qualifier: ValueQualifier | null): string {
  if (value === null) return "–";
  const text = formatNumber(value, 1);
  return qualifier === "approximate" ? `about ${text}` : qualifier === "more_than" ? `over ${text}` : text;
}

/**
 * Progress of one indicator: % of target = achieved / target × 100; change and % change from the
 * baseline; whether the change went the desired way; and the checkpoints as running totals (an
 * "in_period" value adds to the previous total, which assumes nobody is counted in two periods).
 * A qualifier travels with the figure: "about" and "over" values give "about"/"over" results.
 */
export function indicatorProgress(indicator: Indicator): IndicatorProgress {
  const { baseline, target, achieved } = indicator;
  const percentOfTarget = target !== null && target > 0 && achieved !== null ? (achieved * 100) / target : null;
  const targetMet = target !== null && achieved !== null ? (indicator.desired_direction === "increase" ? achieved >= target : achieved <= target) : null;
  const change = baseline !== null && achieved !== null ? achieved - baseline : null;

  const share = isShareUnit(indicator.unit);
  let total = 0;
  let totalQualifier: ValueQualifier = "exact";
  const checkpoints = [...indicator.checkpoints]
    .sort((a, b) => (a.date ?? "").localeCompare(b.date ?? ""))
    .map((c): CheckpointProgress => {
      // A share within a period is that period's reading: quarters' percentages do not add up.
      const standsAlone = c.basis === "cumulative" || share;
      total = standsAlone ? c.value : total + c.value;
      totalQualifier = standsAlone ? c.qualifier : combine(totalQualifier, c.qualifier);
      return { ...c, cumulative: total, cumulative_qualifier: totalQualifier, percent_of_target: target ? (total * 100) / target : null };
    });

  return {
    indicator,
    percent_of_target: percentOfTarget,
    target_met: targetMet,
    change_from_baseline: change,
    percent_change_from_baseline: change !== null && baseline! > 0 && !share ? (change * 100) / baseline! : null,
    direction_met: change === null ? null : directionMet(change, indicator.desired_direction),
    checkpoints,
    status: statusText(indicator, percentOfTarget, targetMet, checkpoints.at(-1)),
  };
}

function combine(a: ValueQualifier, b: ValueQualifier): ValueQualifier {
  if (a === "more_than" || b === "more_than") return "more_than";
  return a === "approximate" || b === "approximate" ? "approximate" : "exact";
}

function statusText(indicator: Indicator, percentOfTarget: number | null, targetMet: boolean | null, last: CheckpointProgress | undefined): string {
  const { baseline, target, achieved, achieved_qualifier: q } = indicator;
  const achievedText = qualified(achieved, q);
  if (target !== null && achieved !== null) {
    const verdict = targetMet ? (percentOfTarget! > 100 ? "target exceeded" : "target met") : "target not reached";
    return `${achievedText} against ${formatNumber(target)} planned (${formatNumber(percentOfTarget, 1)} % of target): ${verdict}`;
  }
  if (target !== null && last) {
    const share =
      last.percent_of_target === null
        ? ""
        : ` (${last.cumulative_qualifier === "exact" ? "" : "≈ "}${formatNumber(last.percent_of_target, 0)} % of the ${formatNumber(target)} target)`;
    if (isShareUnit(indicator.unit))
      return `no result stated; the latest checkpoint (${last.label}) reads ${qualified(last.cumulative, last.cumulative_qualifier)}${share}`;
    return `no total stated; the checkpoints add up to ${qualified(last.cumulative, last.cumulative_qualifier)}${share}, if nobody is counted twice`;
  }
  if (target !== null) return `target ${formatNumber(target)}; no result stated`;
  if (baseline !== null && achieved !== null)
    return `${formatNumber(baseline)} (${indicator.baseline_period ?? "baseline"}) → ${achievedText}; no target stated`;
  if (achieved !== null) return `${achievedText} achieved; no target stated`;
  return "no figure stated in the source";
}
