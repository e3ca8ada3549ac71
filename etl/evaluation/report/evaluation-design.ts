import type { EvaluationResult } from "../lake/run-evaluation.ts";
import { rateDesign, type DesignRating } from "../statistics/design-rating.ts";

/** What the result does not hold about the design: whether the project reached the comparison area, and the monthly history modelled. */
export interface DesignContext {
  comparisonReached: boolean | null;
  /** Pre-intervention months an interrupted time series modelled (0 when none was fitted). */
  preMonths?: number;
}

/**
 * The Maryland SMS rating of one before/after evaluation as run here: one evaluation area, at most
 * one comparison area, no randomisation and no covariates (the product does not assign areas).
 */
export function evaluationDesign(result: Pick<EvaluationResult, "control">, context: DesignContext): DesignRating {
  return rateDesign({
    hasBefore: true,
    hasComparison: result.control !== null,
    comparisonReached: result.control === null ? null : context.comparisonReached,
    treatedUnits: 1,
    comparisonUnits: result.control === null ? 0 : 1,
    controlsOtherVariables: false,
    randomised: false,
    preMonths: context.preMonths ?? 0,
  });
}

/** The rating as lines of text: level, reason, then what would raise it. */
export function designLines(design: DesignRating): string[] {
  return [`${design.label}.`, `Why: ${design.reason}.`, ...(design.to_raise.length > 0 ? [`What would raise it: ${design.to_raise.join("; ")}.`] : [])];
}
