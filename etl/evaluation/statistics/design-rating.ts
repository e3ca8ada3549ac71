/**
 * The strength of an evaluation's design on the Maryland Scientific Methods Scale (SMS)
 * [@sherman1997; @farrington2002], from the facts of the design alone — never from its results, so a
 * significant change cannot raise the rating and a null one cannot lower it.
 */

/** What an evaluation's design is made of. */
export interface DesignFacts {
  /** A count of the evaluation area before the intervention (false: one measurement after only). */
  hasBefore: boolean;
  /** A comparison (control) area measured over the same periods. */
  hasComparison: boolean;
  /**
   * Whether the project also reached the comparison area: true (contaminated comparison), false
   * (untreated), null (not stated — then its comparability is unknown, not assumed).
   */
  comparisonReached: boolean | null;
  /** Treated and comparison units (areas) analysed separately; a single area is 1. */
  treatedUnits: number;
  comparisonUnits: number;
  /** Other variables that influence crime controlled for (covariates, matching, synthetic control weights). */
  controlsOtherVariables: boolean;
  /** Areas assigned to the intervention at random. */
  randomised: boolean;
  /** Months of pre-intervention monthly history the analysis models (0: periods compared as totals). */
  preMonths: number;
}

export type SmsLevel = 1 | 2 | 3 | 4 | 5;

/** A Maryland SMS level with why, what limits it and what data would raise it. */
export interface DesignRating {
  level: SmsLevel;
  /** True when the level is an upper bound: the comparison is weaker than the level assumes. */
  at_best: boolean;
  /** "Level 3 at best: before/after with a comparison area the project also reached". */
  label: string;
  reason: string;
  /** Data or design changes that would raise the level (or strengthen it within its level), most useful first. */
  to_raise: string[];
}

/** The scale's own wording of each level [@farrington2002]. */
export const SMS_LEVELS: Readonly<Record<SmsLevel, string>> = {
  1: "correlation between a prevention programme and a measure of crime at one point in time",
  2: "measures of crime before and after the programme, with no comparable control condition",
  3: "measures of crime before and after the programme in experimental and comparable control conditions",
  4: "measures of crime before and after in multiple experimental and control units, controlling for other variables that influence crime",
  5: "random assignment of units to the programme and control conditions",
};

// An interrupted time series needs enough pre-intervention months to separate a trend from twelve
// seasonal effects: two full years is the usual minimum [@bernal2017].
export const ITS_MIN_PRE_MONTHS = 24;

/**
 * Rates a design on the Maryland SMS. Level 5 needs random assignment; level 4 several treated and
 * comparison units with other influences on crime controlled; level 3 a before/after comparison
 * with a comparable control; level 2 a before/after comparison without one; level 1 no before
 * measure. A comparison area the project also reached is not an untreated control: the design is
 * then "level 3 at best", because the difference in differences understates any effect that reached
 * both areas, and an untreated comparison is the first thing that would strengthen it. An
 * interrupted time series over ≥ 24 pre-intervention months does not change the level (it has no
 * control condition) but removes the pre-trend, seasonality and regression-to-the-mean objections
 * of a two-period comparison, so it is named among what would strengthen a level-2 or -3 design.
 */
export function rateDesign(facts: DesignFacts): DesignRating {
  for (const [name, value] of [
    ["treatedUnits", facts.treatedUnits],
    ["comparisonUnits", facts.comparisonUnits],
    ["preMonths", facts.preMonths],
  ] as const) {
    if (!(Number.isInteger(value) && value >= 0)) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  const its = facts.preMonths >= ITS_MIN_PRE_MONTHS;
  const itsStep = its
    ? []
    : [
        `an interrupted time series over at least ${ITS_MIN_PRE_MONTHS} months before the intervention (monthly counts, with trend and seasonality), which rules out a pre-existing trend and regression to the mean`,
      ];
  const randomStep = "random assignment of areas (or times) to the intervention, with the rest as controls (level 5)";
  const multiStep =
    "several treated and several untreated areas, or a comparison series weighted from many untreated localities, with other influences on crime controlled (level 4)";

  if (!facts.hasBefore) {
    return rating(1, false, "only the period after the intervention is measured, so nothing shows a change", [
      "counts of the same area before the intervention (level 2)",
      "the same counts in a comparable area the project did not reach (level 3)",
    ]);
  }
  if (facts.randomised) {
    return rating(5, false, "areas were assigned to the intervention at random, so treated and control areas differ only by chance", []);
  }
  if (!facts.hasComparison) {
    return rating(
      2,
      false,
      "a before/after comparison of the evaluation area alone: the change cannot be separated from the general trend, recording practice or chance",
      ["the same counts in a comparable area the project did not reach (level 3)", ...itsStep, multiStep],
    );
  }
  if (facts.comparisonReached === true) {
    return rating(
      3,
      true,
      "a before/after comparison with a comparison area that the project also reached: it is not an untreated control, so the difference in differences understates any effect that reached both areas",
      ["a comparison area the project did not reach, with similar counts and trend (a full level 3)", ...itsStep, multiStep],
    );
  }
  const unknown = facts.comparisonReached === null ? " (whether the project reached it is not stated, so its comparability is assumed, not shown)" : "";
  if (facts.treatedUnits > 1 && facts.comparisonUnits > 1 && facts.controlsOtherVariables) {
    return rating(
      4,
      false,
      `before/after measures in ${facts.treatedUnits} treated and ${facts.comparisonUnits} comparison units, controlling for other influences on crime${unknown}`,
      [randomStep],
    );
  }
  return rating(3, facts.comparisonReached === null, `a before/after comparison with an untreated comparison area${unknown}`, [
    ...itsStep,
    multiStep,
    randomStep,
  ]);
}

function rating(level: SmsLevel, atBest: boolean, reason: string, toRaise: string[]): DesignRating {
  return { level, at_best: atBest, label: `Maryland SMS level ${level}${atBest ? " at best" : ""}: ${SMS_LEVELS[level]}`, reason, to_raise: toRaise };
}
